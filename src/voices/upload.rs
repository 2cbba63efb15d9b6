//! A reference from this device: a file checked by content before it leaves (documented formats only), uploaded to
//! the proxy, which stores it where the gateway can fetch it. The uploading is the studio part's work (reading the
//! proxy's answer needs a JSON library, which the first screen does without).

use futures::future::{FutureExt, LocalBoxFuture};
use leptos::prelude::*;
use leptos::task::spawn_local;

use studio_core::gateway::PROXY_BASE;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, HtmlInputElement};
use zonos_api::{AudioFormat, ErrorBody, UploadedReference, REFERENCES_PATH};

use crate::form::Draft;
use crate::parts::Unloaded;
use crate::platform::http;

/// The proxy's limit, checked here first so a large file is not sent for nothing.
const MAX_BYTES: f64 = 20.0 * 1024.0 * 1024.0;
const UPLOAD_TIMEOUT_SECONDS: u32 = 120;
/// Why a file was not used as the reference.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum UploadProblem {
    NotAudio(String),
    TooLarge(String),
    Refused(String),
    Unreadable,
    Unloaded,
}

impl UploadProblem {
    pub(super) fn message(&self) -> String {
        match self {
            UploadProblem::NotAudio(name) => {
                format!(
                    "{name} is not audio in a format the gateway takes (MP3, OGG, WAV, M4A, AAC): it was not uploaded."
                )
            }
            UploadProblem::TooLarge(name) => format!("{name} is larger than 20 MB: it was not uploaded."),
            UploadProblem::Refused(reason) => format!("The upload failed: {reason}"),
            UploadProblem::Unreadable => "The file could not be read.".to_owned(),
            UploadProblem::Unloaded => Unloaded.message().to_owned(),
        }
    }
}

/// The first bytes of a file, enough to tell its format.
async fn head(file: &Blob) -> Option<Vec<u8>> {
    let slice = file.slice_with_i32_and_i32(0, 16).ok()?;
    let buffer = JsFuture::from(slice.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

crate::parts::later! { part studio:
    fn uploader(file: Blob, name: String) -> LocalBoxFuture<'static, Result<String, UploadProblem>> {
        async move { send(&file, name).await }.boxed_local()
    }
    preload preload_uploader
}

/// Uploads `file` (called `name`) as a reference, once its content shows a documented format; returns its URL.
pub(super) async fn upload(file: Blob, name: String) -> Result<String, UploadProblem> {
    uploader(file, name).await.map_err(|_| UploadProblem::Unloaded)?.await
}

async fn send(file: &Blob, name: String) -> Result<String, UploadProblem> {
    let head = head(file).await.ok_or(UploadProblem::Unreadable)?;
    if AudioFormat::sniff(&head).is_none() {
        return Err(UploadProblem::NotAudio(name));
    }
    if file.size() > MAX_BYTES {
        return Err(UploadProblem::TooLarge(name));
    }
    let answer =
        http::send("POST", &format!("{PROXY_BASE}{REFERENCES_PATH}"), &[], Some(file.as_ref()), UPLOAD_TIMEOUT_SECONDS)
            .await
            .map_err(|_| UploadProblem::Refused("the server could not be reached.".to_owned()))?;
    if answer.status != 201 {
        let said = serde_json::from_str::<ErrorBody>(&answer.body).map(|body| body.summary().to_owned());
        return Err(UploadProblem::Refused(said.unwrap_or_else(|_| format!("HTTP {}", answer.status))));
    }
    serde_json::from_str::<UploadedReference>(&answer.body)
        .map(|uploaded| uploaded.url)
        .map_err(|_| UploadProblem::Refused("the server's answer could not be read.".to_owned()))
}

/// "Upload a reference": offered when the server can store files for the gateway; otherwise the page says why not.
/// `offered` is `None` until the page knows: the field then stands there, not yet open.
#[component]
pub fn ReferenceUpload(offered: Signal<Option<bool>>, draft: RwSignal<Draft>) -> impl IntoView {
    let state = RwSignal::new(None::<Result<String, UploadProblem>>);
    // A pointer on the file box, or the focus, is a hint: the part that uploads starts loading before the choice.
    let fetch_ahead = || {
        spawn_local(async {
            let _ = preload_uploader().await;
        })
    };
    let busy = RwSignal::new(false);
    let chosen = move |event: leptos::ev::Event| {
        let input: HtmlInputElement = event.target().expect("a change has a target").unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        busy.set(true);
        state.set(None);
        spawn_local(async move {
            let name = file.name();
            let outcome = upload(file.into(), name.clone()).await;
            if let Ok(url) = &outcome {
                draft.update(|draft| draft.reference_audio_url = url.clone());
            }
            state.set(Some(outcome.map(|_| name)));
            busy.set(false);
        });
    };
    view! {
        <Show
            when=move || offered.get() != Some(false)
            fallback=|| view! {
                <p class="notice">
                    "To use a file or a recording as the reference, open this page from the Zonos Studio server, "
                    "which stores it where the gateway can fetch it. Here, give its URL below."
                </p>
            }
        >
            <div class="field">
                <label for="reference-file">"Upload a reference"</label>
                <p class="hint">"A recording of the voice: MP3, OGG, WAV, M4A or AAC, up to 20 MB."</p>
                <input id="reference-file" type="file" accept=".wav,.mp3,.ogg,.m4a,.aac,audio/*" on:change=chosen disabled=move || busy.get() || offered.get().is_none()
                    on:pointerenter=move |_| fetch_ahead() on:focus=move |_| fetch_ahead() />
                {move || match state.get() {
                    Some(Ok(name)) => Some(view! { <p class="notice" role="status">{format!("Uploaded {name}: it is the reference now.")}</p> }.into_any()),
                    Some(Err(problem)) => Some(view! { <p class="problem" role="alert">{problem.message()}</p> }.into_any()),
                    None => None,
                }}
            </div>
        </Show>
    }
}
