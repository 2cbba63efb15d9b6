//! An admin's view of the spend log, a part loaded when first opened: the last week's submissions by day and person
//! (how many, how they ended, how long their audio plays), and *Revoke* for each person, which ends their sessions
//! on every replica.

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::gateway::PROXY_BASE;
use zonos_api::{UsageRow, OPEN_ACCESS_PERSON, REVOKE_PATH, USAGE_PATH};

use crate::platform::http;

async fn usage() -> Result<Vec<UsageRow>, String> {
    let unreachable = |_| "The server could not be reached: check the network and try again.".to_owned();
    let answer = http::send("GET", &format!("{PROXY_BASE}{USAGE_PATH}"), &[], None, 15).await.map_err(unreachable)?;
    match answer.status {
        200 => serde_json::from_str(&answer.body).map_err(|_| "The server's answer could not be read.".to_owned()),
        _ => Err(super::refusal(&answer)),
    }
}

async fn revoke(name: &str) -> Result<(), String> {
    let body = serde_json::json!({ "name": name }).to_string();
    let headers = [("content-type", "application/json")];
    let url = format!("{PROXY_BASE}{REVOKE_PATH}");
    let answer = http::send("POST", &url, &headers, Some(&body.into()), 15)
        .await
        .map_err(|_| "The server could not be reached: nobody was revoked.".to_owned())?;
    (answer.status == 200).then_some(()).ok_or_else(|| super::refusal(&answer))
}

crate::parts::later! { part usage:
    /// The panel for the admin signed in as `me`, with *Revoke* where people sign in with codes (`revocable`).
    pub fn usage_panel(me: String, revocable: bool) -> AnyView {
        view! { <UsagePanel me revocable /> }.into_any()
    }
}

/// The spend log, asked for when the panel opens and again after each revoke or *Refresh*.
#[component]
fn UsagePanel(me: String, revocable: bool) -> impl IntoView {
    let rows = RwSignal::new(None::<Result<Vec<UsageRow>, String>>);
    let said = RwSignal::new(None::<Result<String, String>>);
    let load = move || {
        spawn_local(async move {
            rows.try_set(Some(usage().await));
        })
    };
    load();
    let on_revoke = Callback::new(move |name: String| {
        spawn_local(async move {
            said.set(Some(revoke(&name).await.map(|()| format!("{name} is revoked: their sessions have ended."))));
            load();
        })
    });
    view! {
        <section class="usage" aria-labelledby="usage-heading">
            <crate::parts::RoomStyle />
            <h2 id="usage-heading">"Usage"</h2>
            {move || match rows.get() {
                None => view! { <p role="status">"Reading the spend log…"</p> }.into_any(),
                Some(Err(problem)) => view! { <p class="problem" role="alert">{problem}</p> }.into_any(),
                Some(Ok(rows)) => {
                    let revoke = revocable.then(|| view! { <RevokeList rows=rows.clone() me=me.clone() on_revoke /> });
                    view! { <UsageTable rows /> {revoke} }.into_any()
                }
            }}
            {move || said.get().map(|said| match said {
                Ok(done) => view! { <p class="notice" role="status">{done}</p> }.into_any(),
                Err(problem) => view! { <p class="problem" role="alert">{problem}</p> }.into_any(),
            })}
            <button type="button" on:click=move |_| load()>"Refresh"</button>
        </section>
    }
}

/// The log as a table, a row for each day and person, the newest day first.
#[component]
fn UsageTable(rows: Vec<UsageRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"Nothing was sent in the last 7 days."</p> }.into_any();
    }
    let rows = rows.into_iter().map(|row| {
        let audio = studio_core::figures::seconds(row.audio_seconds);
        view! {
            <tr>
                <td>{row.day}</td>
                <th scope="row">{row.person}</th>
                <td>{row.takes}</td>
                <td>{row.completed}</td>
                <td>{row.failed}</td>
                <td>{audio}</td>
            </tr>
        }
    });
    // The table alone scrolls sideways on a narrow screen; what it is, and the buttons, stay in view.
    view! {
        <p id="usage-caption" class="mode">"Submissions of the last 7 days, by day and person"</p>
        <div class="table-scroll">
            <table aria-labelledby="usage-caption">
                <thead>
                    <tr>
                        <th scope="col">"Day"</th>
                        <th scope="col">"Person"</th>
                        <th scope="col">"Takes"</th>
                        <th scope="col">"Completed"</th>
                        <th scope="col">"Failed"</th>
                        <th scope="col">"Audio"</th>
                    </tr>
                </thead>
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// *Revoke* for each person in the log who signed in, but `me` (open access has nobody to revoke); a first press asks
/// for a second, so that nobody is revoked by a slip in front of the room.
#[component]
fn RevokeList(rows: Vec<UsageRow>, me: String, on_revoke: Callback<String>) -> impl IntoView {
    let mut people: Vec<String> = rows.into_iter().map(|row| row.person).collect();
    people.sort();
    people.dedup();
    people.retain(|person| *person != me && person != OPEN_ACCESS_PERSON);
    let armed = RwSignal::new(None::<String>);
    let buttons = people.into_iter().map(|person| {
        let (asked, named) = (person.clone(), person.clone());
        let press = move |_| match armed.get_untracked() == Some(person.clone()) {
            true => {
                armed.set(None);
                on_revoke.run(person.clone());
            }
            false => armed.set(Some(person.clone())),
        };
        let label = move || match armed.with(|armed| armed.as_ref() == Some(&asked)) {
            true => format!("Press again to revoke {named}"),
            false => format!("Revoke {named}"),
        };
        view! { <li><button type="button" on:click=press>{label}</button></li> }
    });
    view! { <ul class="revoke" aria-label="People">{buttons.collect_view()}</ul> }
}
