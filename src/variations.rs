//! Try variations: the form's request sent several times, changing one thing (new seeds, a few temperatures, or
//! accurate against expressive). The page says how many paid requests that is and asks before sending; the takes
//! come back side by side (see the takes' variation card), sent as a long script's parts are.

use leptos::prelude::*;
use studio_core::variations::{plan, PlanProblem, Variation, Vary, FEWEST, MOST};

use crate::form::Draft;
use crate::parts::{part_view, RoomStyle};
use crate::takes::Dispatch;

/// "Try variations", and the choices below it once pressed (in the room's part, fetched then).
#[component]
pub fn TryVariations(draft: RwSignal<Draft>, dispatch: Dispatch) -> impl IntoView {
    let open = RwSignal::new(false);
    let attempt = RwSignal::new(0_u32);
    let on_done = Callback::new(move |()| open.set(false));
    view! {
        <div class="try-variations">
            <button type="button" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|open| *open = !*open)>
                "Try variations"
            </button>
            <Show when=move || open.get()>
                {part_view(attempt, move || choices(draft, dispatch, on_done))}
            </Show>
        </div>
    }
}

crate::parts::later! { part room:
    /// What to vary, in the room's part (see the presenter view).
    pub fn choices(draft: RwSignal<Draft>, dispatch: Dispatch, on_done: Callback<()>) -> AnyView {
        untrack(|| view! { <VariationChoices draft dispatch on_done /> }.into_any())
    }
}

/// What changes from one variation to the next, as chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Seeds,
    Temperature,
    Delivery,
}

/// Why the variations can't be sent as chosen.
#[derive(Debug, Clone, PartialEq)]
enum Unsendable {
    /// The form itself is not valid: its problems, as the contract words them.
    Form(String),
    /// A box that doesn't hold a number.
    NotANumber(&'static str),
    Plan(PlanProblem),
}

impl std::fmt::Display for Unsendable {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unsendable::Form(problems) => write!(formatter, "The form is not valid yet: {problems}."),
            Unsendable::NotANumber(name) => write!(formatter, "{name} must be a number."),
            Unsendable::Plan(problem) => write!(formatter, "{problem}"),
        }
    }
}

fn number<T: std::str::FromStr>(text: &str, name: &'static str) -> Result<T, Unsendable> {
    text.trim().parse().map_err(|_| Unsendable::NotANumber(name))
}

/// A seed drawn by the browser's generator.
fn random_seed() -> u32 {
    (js_sys::Math::random() * f64::from(u32::MAX)) as u32
}

/// The choices as made: what changes, and the boxes of each change (kept as typed while another is chosen).
#[derive(Clone, Copy)]
struct Choices {
    change: RwSignal<Change>,
    count: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    steps: RwSignal<String>,
}

impl Choices {
    /// As the choices open: four new seeds, or temperatures from 0.6 to 1.4 in four steps.
    fn new() -> Choices {
        Choices {
            change: RwSignal::new(Change::Seeds),
            count: RwSignal::new("4".to_owned()),
            from: RwSignal::new("0.6".to_owned()),
            to: RwSignal::new("1.4".to_owned()),
            steps: RwSignal::new("4".to_owned()),
        }
    }

    /// The requests as chosen, from the form's `draft`, with `draw` for the seeds.
    fn planned(self, draft: RwSignal<Draft>, draw: &mut dyn FnMut() -> u32) -> Result<Vec<Variation>, Unsendable> {
        let request = draft.with(Draft::to_request).map_err(|problems| {
            Unsendable::Form(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
        })?;
        let vary = match self.change.get() {
            Change::Seeds => Vary::Seeds { count: number(&self.count.get(), "How many")? },
            Change::Temperature => Vary::Temperature {
                from: number(&self.from.get(), "Temperature from")?,
                to: number(&self.to.get(), "Temperature to")?,
                steps: number(&self.steps.get(), "Steps")?,
            },
            Change::Delivery => Vary::Delivery,
        };
        plan(&request, vary, draw).map_err(Unsendable::Plan)
    }
}

/// What to vary and how, how many paid requests that sends, and Send and Cancel.
#[component]
fn VariationChoices(draft: RwSignal<Draft>, dispatch: Dispatch, on_done: Callback<()>) -> impl IntoView {
    let choices = Choices::new();
    let change = choices.change;
    // How many would go, or why none can: counted with stand-in seeds (the real ones are drawn when sent).
    let checked = Memo::new(move |_| {
        let mut counter = 0;
        choices
            .planned(draft, &mut || {
                counter += 1;
                counter
            })
            .map(|variations| variations.len())
    });
    let send = move |_| {
        if let Ok(variations) = untrack(|| choices.planned(draft, &mut random_seed)) {
            if dispatch.vary(variations) {
                on_done.run(());
            }
        }
    };
    view! {
        <RoomStyle />
        <section class="variation-choices" aria-label="Variations to send">
            <fieldset>
                <legend>"Change one thing"</legend>
                <ChangeOption change which=Change::Seeds id="vary-seeds" label="New seeds" />
                <ChangeOption change which=Change::Temperature id="vary-temperature" label="Temperature" />
                <ChangeOption change which=Change::Delivery id="vary-delivery" label="Accurate and expressive" />
            </fieldset>
            <ChangeSettings choices />
            <SendNotice checked />
            <div class="form-actions">
                <button type="button" class="primary" disabled=move || checked.with(Result::is_err) on:click=send>
                    {move || match checked.get() {
                        Ok(count) => format!("Send {count} requests"),
                        Err(_) => "Send".to_owned(),
                    }}
                </button>
                <button type="button" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </section>
    }
}

/// One of the things to change: a radio button and its label.
#[component]
fn ChangeOption(change: RwSignal<Change>, which: Change, id: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <div class="option">
            <input
                type="radio"
                id=id
                name="variation-change"
                prop:checked=move || change.get() == which
                on:change=move |_| change.set(which)
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// The boxes and the hint of the change chosen.
#[component]
fn ChangeSettings(choices: Choices) -> impl IntoView {
    let Choices { change, count, from, to, steps } = choices;
    move || match change.get() {
        Change::Seeds => view! {
            <NumberBox id="variation-count" label="How many" value=count step="1" />
            <p class="hint">{format!("From {FEWEST} to {MOST} seeds, drawn at random.")}</p>
        }
        .into_any(),
        Change::Temperature => view! {
            <NumberBox id="variation-from" label="Temperature from" value=from step="0.05" />
            <NumberBox id="variation-to" label="Temperature to" value=to step="0.05" />
            <NumberBox id="variation-steps" label="Steps" value=steps step="1" />
            <p class="hint">"One seed for all of them: only the temperature changes."</p>
        }
        .into_any(),
        Change::Delivery => view! {
            <p class="hint">"Accurate mode on (closer voice match), then off (more expressive), with one seed."</p>
        }
        .into_any(),
    }
}

/// A labelled number box of a change.
#[component]
fn NumberBox(id: &'static str, label: &'static str, value: RwSignal<String>, step: &'static str) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="number" step=step prop:value=move || value.get() on:input=move |event| value.set(event_target_value(&event)) />
        </div>
    }
}

/// How many paid requests Send sends, or why it can't.
#[component]
fn SendNotice(checked: Memo<Result<usize, Unsendable>>) -> impl IntoView {
    move || match checked.get() {
        Ok(count) => view! {
            <p class="notice" role="status">
                {format!("This sends {count} requests to the gateway, and each one is paid.")}
            </p>
        }
        .into_any(),
        Err(problem) => view! { <p class="problem" role="alert">{problem.to_string()}</p> }.into_any(),
    }
}
