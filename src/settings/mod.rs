//! How the page reaches the gateway, set by the person: in direct mode the gateway URL and their API key (kept for
//! this tab, or on this device if they ask); in either mode how often to check a job's status.

use std::ops::RangeInclusive;
use std::str::FromStr;

use leptos::prelude::*;
use zonos_api::{DEFAULT_GATEWAY_URL, RECOMMENDED_POLL_SECONDS};

use crate::platform::storage::{self, Keep};
use studio_core::script::PARTS_AT_ONCE;

use crate::gateway::connection::Connection;
use crate::gateway::Gateway;

const KEY_ITEM: &str = "zonos-studio.api-key";
const GATEWAY_ITEM: &str = "zonos-studio.gateway-url";

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub gateway_url: RwSignal<String>,
    pub key: RwSignal<String>,
    /// Keep the key in this device's storage instead of this tab's.
    pub remember: RwSignal<bool>,
    pub poll_seconds: RwSignal<String>,
    /// How many parts of a long script are sent and followed at once.
    pub parts_at_once: RwSignal<String>,
}

impl Settings {
    /// The settings kept from earlier visits, else the defaults.
    pub fn load() -> Settings {
        let remembered = storage::get(Keep::Device, KEY_ITEM);
        let remember = remembered.is_some();
        let key = remembered.or_else(|| storage::get(Keep::Session, KEY_ITEM)).unwrap_or_default();
        let gateway_url = storage::get(Keep::Device, GATEWAY_ITEM).unwrap_or_else(|| DEFAULT_GATEWAY_URL.to_owned());
        let settings = Settings {
            gateway_url: RwSignal::new(gateway_url),
            key: RwSignal::new(key),
            remember: RwSignal::new(remember),
            poll_seconds: RwSignal::new(RECOMMENDED_POLL_SECONDS.to_string()),
            parts_at_once: RwSignal::new(PARTS_AT_ONCE.to_string()),
        };
        Effect::new(move |_| settings.keep_key(&settings.key.get(), settings.remember.get()));
        settings
    }

    /// Keeps the key where the person chose, and nowhere else.
    fn keep_key(&self, key: &str, remember: bool) {
        let (keep, clear) = if remember { (Keep::Device, Keep::Session) } else { (Keep::Session, Keep::Device) };
        storage::remove(clear, KEY_ITEM);
        if key.trim().is_empty() {
            storage::remove(keep, KEY_ITEM);
        } else {
            storage::set(keep, KEY_ITEM, key.trim());
        }
    }

    /// Sets the gateway URL unless the person chose one before (a host's `config.json` default).
    pub fn suggest_gateway(&self, url: &str) {
        if storage::get(Keep::Device, GATEWAY_ITEM).is_none() {
            self.gateway_url.set(url.to_owned());
        }
    }

    /// Parts of a long script sent at once: the person's choice within 1–4, else the default.
    pub fn parts_at_once(&self) -> usize {
        whole_within(self.parts_at_once, 1..=4, PARTS_AT_ONCE)
    }

    /// Seconds between status checks: the person's choice within 1–60, else the documented advice.
    pub fn poll_seconds(&self) -> u32 {
        whole_within(self.poll_seconds, 1..=60, RECOMMENDED_POLL_SECONDS)
    }

    /// The gateway to use now that the page reaches it by `connection`, or why there is none: the proxy, or the
    /// gateway named here with the key given here.
    pub fn gateway(&self, connection: Option<&Connection>) -> Result<Gateway, String> {
        match connection {
            None => Err("Still finding the gateway: try again in a moment.".to_owned()),
            Some(Connection::Proxy(offer)) => Ok(Gateway::through_proxy(offer.events)),
            Some(Connection::Direct(_)) => {
                let key = self.key.get_untracked();
                if key.trim().is_empty() {
                    Err("Enter your API key under Connection: this page calls the gateway directly.".to_owned())
                } else {
                    Ok(Gateway::direct(&self.gateway_url.get_untracked(), &key))
                }
            }
        }
    }
}

/// The whole number typed in `text` if it lies in `range`, else `default`.
fn whole_within<T: FromStr + PartialOrd>(text: RwSignal<String>, range: RangeInclusive<T>, default: T) -> T {
    text.with_untracked(|text| text.trim().parse().ok()).filter(|value| range.contains(value)).unwrap_or(default)
}

/// A labelled whole-number field of the settings.
#[component]
fn WholeNumberField(id: &'static str, label: &'static str, max: u32, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="number" min="1" max=max inputmode="numeric"
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event)) />
        </div>
    }
}

/// The connection settings. `direct`: the page calls the gateway itself, so it needs a URL and a key.
#[component]
pub fn ConnectionPanel(settings: Settings, direct: Signal<bool>, sandbox: Signal<bool>) -> impl IntoView {
    let forget = move |_| {
        settings.key.set(String::new());
        settings.remember.set(false);
    };
    let remember_gateway = move |url: String| {
        storage::set(Keep::Device, GATEWAY_ITEM, url.trim());
        settings.gateway_url.set(url);
    };
    view! {
        <section class="connection" aria-label="Connection">
            <h2>"Connection"</h2>
            <Show
                when=move || direct.get()
                fallback=move || {
                    view! {
                        <p class="mode">
                            {move || if sandbox.get() {
                                "Through this server, to its sandbox gateway: nothing is charged."
                            } else {
                                "Through this server, which holds the API key."
                            }}
                        </p>
                    }
                }
            >
                <p class="mode">"This page calls the gateway directly, with your key. The key is sent only to this gateway."</p>
                <div class="field">
                    <label for="gateway-url">"Gateway URL"</label>
                    <input id="gateway-url" type="url" prop:value=move || settings.gateway_url.get()
                        on:change=move |event| remember_gateway(event_target_value(&event)) />
                </div>
                <div class="field">
                    <label for="api-key">"API key"</label>
                    <input id="api-key" type="password" autocomplete="off" prop:value=move || settings.key.get()
                        on:input=move |event| settings.key.set(event_target_value(&event)) />
                </div>
                <div class="field toggle">
                    <input id="remember-key" type="checkbox" prop:checked=move || settings.remember.get()
                        on:change=move |event| settings.remember.set(event_target_checked(&event)) />
                    <label for="remember-key">"Remember on this device"</label>
                </div>
                <button type="button" on:click=forget>"Forget key"</button>
            </Show>
            <WholeNumberField id="poll-seconds" label="Check status every (seconds)" max=60 value=settings.poll_seconds />
            <WholeNumberField id="parts-at-once" label="Long scripts: parts sent at once" max=4 value=settings.parts_at_once />
        </section>
    }
}
