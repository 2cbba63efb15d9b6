//! A waveform drawn from the decoded audio, with a playhead; a click seeks. Drawn only for audio the page may read
//! (same-origin or a `blob:`), which is what the proxy serves.

use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use studio_core::peaks::peaks;

use crate::platform::audio;

/// The first channel of the audio at `url`, decoded by the browser.
async fn decode(url: &str) -> Option<Vec<f32>> {
    audio::decode(&audio::fetch(url).await?).await.map(|(samples, _)| samples)
}

const COLUMNS: usize = 240;

/// The waveform's two colours, what is still to play and what was played, for the page's background.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Palette {
    #[default]
    Light,
    /// On the presenter view's dark background.
    Dark,
}

impl Palette {
    fn colours(self) -> (&'static str, &'static str) {
        match self {
            Palette::Light => ("#7c7cf0", "#4f46e5"),
            Palette::Dark => ("#5d5a9e", "#c4c0ff"),
        }
    }
}

fn draw(canvas: &web_sys::HtmlCanvasElement, peaks: &[f32], played: f64, palette: Palette) {
    let (wave, done) = palette.colours();
    let Some(context) =
        canvas.get_context("2d").ok().flatten().and_then(|context| context.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let (width, height) = (f64::from(canvas.width()), f64::from(canvas.height()));
    context.clear_rect(0.0, 0.0, width, height);
    let column = width / peaks.len().max(1) as f64;
    for (index, peak) in peaks.iter().enumerate() {
        let x = index as f64 * column;
        let bar = (f64::from(*peak) * height).max(1.0);
        context.set_fill_style_str(if x / width < played { done } else { wave });
        context.fill_rect(x, (height - bar) / 2.0, (column - 1.0).max(1.0), bar);
    }
}

/// The waveform of the audio at `source` (once it is known), `played` (0–1) of it marked; `on_seek` gets the
/// fraction clicked.
#[component]
pub fn Waveform(
    source: Signal<Option<String>>,
    played: Signal<f64>,
    on_seek: Callback<f64>,
    label: String,
    #[prop(optional)] palette: Palette,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let shape = RwSignal::new(None::<Vec<f32>>);
    Effect::new(move |_| {
        if let Some(url) = source.get() {
            spawn_local(async move {
                if let Some(samples) = decode(&url).await {
                    shape.set(Some(peaks(&samples, COLUMNS)));
                }
            });
        }
    });
    Effect::new(move |_| {
        let played = played.get();
        shape.with(|shape| {
            if let (Some(shape), Some(canvas)) = (shape, canvas.get()) {
                draw(&canvas, shape, played, palette);
            }
        });
    });
    let seek = move |event: leptos::ev::MouseEvent| {
        if let Some(canvas) = canvas.get() {
            let width = f64::from(canvas.client_width().max(1));
            on_seek.run((f64::from(event.offset_x()) / width).clamp(0.0, 1.0));
        }
    };
    view! {
        <Show when=move || shape.with(Option::is_some)>
            <canvas class="waveform" node_ref=canvas width="960" height="96" role="img" aria-label=label.clone() on:click=seek></canvas>
        </Show>
    }
}
