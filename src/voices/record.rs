//! A reference recorded on the spot: the speaker named, and their consent statement shown to read aloud as the
//! first words; the microphone through MediaRecorder, with a level meter while recording; then a trim of the start
//! and end, a listen, and "Use this recording" (encoded as WAV and uploaded, its consent kept with the voice), or
//! again.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AnalyserNode, AudioContext, Blob, BlobEvent, MediaRecorder, MediaStream, MediaStreamConstraints};

use crate::parts::part_view;
use crate::platform::audio;

use super::upload::upload;
use super::Consents;
use crate::form::Draft;
use crate::platform::time::local_date;
use studio_core::consent::{statement, Consent};
use studio_core::wav;

/// The recorder's name field: the statement read aloud names the speaker.
const RECORDING_SPEAKER_ID: &str = "recording-speaker";

/// A recording made and decoded.
#[derive(Clone)]
struct Recording {
    samples: Rc<Vec<f32>>,
    rate: u32,
    /// Who read the consent statement into it, and the day.
    speaker: String,
    date: String,
}

impl Recording {
    fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.rate)
    }
}

/// What is going on with the microphone.
#[derive(Clone)]
enum Stage {
    Idle,
    Recording { recorder: MediaRecorder, stream: MediaStream, speaker: String, date: String },
    Recorded(Recording),
}

fn js_error(error: wasm_bindgen::JsValue) -> String {
    error.dyn_ref::<js_sys::Error>().map(|error| String::from(error.message())).unwrap_or_else(|| "no details".into())
}

async fn microphone() -> Result<MediaStream, String> {
    let devices = window()
        .navigator()
        .media_devices()
        .map_err(|_| "This browser gives no access to a microphone here (it needs HTTPS or localhost).".to_owned())?;
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio(&true.into());
    let asked = devices.get_user_media_with_constraints(&constraints).map_err(js_error)?;
    JsFuture::from(asked)
        .await
        .map_err(|error| format!("The microphone could not be used: {}", js_error(error)))?
        .dyn_into()
        .map_err(js_error)
}

/// Decodes what the recorder produced (WebM/Opus) into samples.
async fn decode(recording: Blob, speaker: String, date: String) -> Option<Recording> {
    let bytes: js_sys::ArrayBuffer = JsFuture::from(recording.array_buffer()).await.ok()?.dyn_into().ok()?;
    let (samples, rate) = audio::decode(&bytes).await?;
    Some(Recording { samples: Rc::new(samples), rate, speaker, date })
}

/// Feeds the input level (0–1) to `level` until the stream ends; the listeners that stop it go with the recording.
fn meter(stream: &MediaStream, level: RwSignal<f64>) -> Option<(AudioContext, Vec<EventListener>)> {
    let context = AudioContext::new().ok()?;
    let source = context.create_media_stream_source(stream).ok()?;
    let analyser: AnalyserNode = context.create_analyser().ok()?;
    source.connect_with_audio_node(&analyser).ok()?;
    let buffer = Rc::new(RefCell::new(vec![0.0f32; analyser.fft_size() as usize]));
    let handle = set_interval_with_handle(
        move || {
            let mut samples = buffer.borrow_mut();
            analyser.get_float_time_domain_data(&mut samples);
            let rms = (samples.iter().map(|sample| sample * sample).sum::<f32>() / samples.len().max(1) as f32).sqrt();
            level.set(f64::from(rms).min(1.0));
        },
        std::time::Duration::from_millis(100),
    )
    .ok()?;
    // Stopped with the recording: the context closes, and the interval with it.
    let listeners = stream
        .get_audio_tracks()
        .iter()
        .map(|track| {
            let context = context.clone();
            EventListener::once(track.unchecked_ref(), "ended", move |_| {
                handle.clear();
                let _ = context.close();
            })
        })
        .collect();
    Some((context, listeners))
}

/// "Record a reference". The recorder itself loads on the first press, and asks whose voice it will record.
#[component]
pub fn ReferenceRecorder(offered: Signal<Option<bool>>, draft: RwSignal<Draft>, consents: Consents) -> impl IntoView {
    let opened = RwSignal::new(false);
    let attempt = RwSignal::new(0_u32);
    // A pointer on the button, or the focus, is a hint: the recorder's part starts loading before the press.
    let fetch_ahead = || {
        spawn_local(async {
            let _ = preload_recorder().await;
        })
    };
    view! {
        <Show when=move || offered.get() != Some(false)>
            <div class="recorder" role="group" aria-label="Record a reference">
                <Show
                    when=move || opened.get()
                    fallback=move || view! {
                        <div class="recorder-bar">
                            <button
                                type="button"
                                disabled=move || offered.get().is_none()
                                on:click=move |_| opened.set(true)
                                on:pointerenter=move |_| fetch_ahead()
                                on:focus=move |_| fetch_ahead()
                            >
                                "Record a reference"
                            </button>
                        </div>
                    }
                >
                    {part_view(attempt, move || recorder(draft, consents))}
                </Show>
            </div>
        </Show>
    }
}

crate::parts::later! { part recorder:
    fn recorder(draft: RwSignal<Draft>, consents: Consents) -> AnyView {
        untrack(|| view! { <Recorder draft consents /> }.into_any())
    }
    preload preload_recorder
}

/// The microphone's side of the recorder: what it is doing, its input level, and the recording's listeners.
#[derive(Clone, Copy)]
struct Capture {
    stage: RwSignal<Stage, LocalStorage>,
    level: RwSignal<f64>,
    meter_context: RwSignal<Option<AudioContext>, LocalStorage>,
    chunks: StoredValue<Vec<Blob>, LocalStorage>,
    /// The recording's listeners: replaced by the next recording's, removed with the recorder.
    listening: StoredValue<Vec<EventListener>, LocalStorage>,
    /// What went wrong, in plain words.
    problem: RwSignal<Option<String>>,
}

impl Capture {
    fn new(problem: RwSignal<Option<String>>) -> Capture {
        Capture {
            stage: RwSignal::new_local(Stage::Idle),
            level: RwSignal::new(0.0),
            meter_context: RwSignal::new_local(None),
            chunks: StoredValue::new_local(Vec::new()),
            listening: StoredValue::new_local(Vec::new()),
            problem,
        }
    }

    fn is_recording(&self) -> bool {
        matches!(self.stage.get(), Stage::Recording { .. })
    }

    fn recorded(&self) -> Option<Recording> {
        match self.stage.get() {
            Stage::Recorded(recording) => Some(recording),
            _ => None,
        }
    }

    /// Records `speaker` reading the statement of `date`; once stopped, the recording is decoded and kept.
    fn start(self, speaker: String, date: String) {
        let Capture { stage, level, meter_context, chunks, listening, problem } = self;
        spawn_local(async move {
            let stream = match microphone().await {
                Ok(stream) => stream,
                Err(error) => return problem.set(Some(error)),
            };
            let Ok(recorder) = MediaRecorder::new_with_media_stream(&stream) else {
                return problem.set(Some("This browser cannot record audio.".into()));
            };
            chunks.set_value(Vec::new());
            let on_data = EventListener::new(&recorder, "dataavailable", move |event| {
                if let Some(data) = event.dyn_ref::<BlobEvent>().and_then(BlobEvent::data) {
                    chunks.update_value(|chunks| chunks.push(data));
                }
            });
            let on_stop = EventListener::once(&recorder, "stop", {
                let (speaker, date) = (speaker.clone(), date.clone());
                move |_| self.decode_and_keep(speaker, date)
            });
            let mut listeners = vec![on_data, on_stop];
            if let Some((context, stops)) = meter(&stream, level) {
                meter_context.set(Some(context));
                listeners.extend(stops);
            }
            listening.set_value(listeners);
            if recorder.start().is_ok() {
                stage.set(Stage::Recording { recorder, stream, speaker, date });
            }
        });
    }

    /// The recorder stopped: what it produced is decoded, and is the recording, or the problem says why not.
    fn decode_and_keep(self, speaker: String, date: String) {
        let parts = js_sys::Array::new();
        self.chunks.with_value(|chunks| {
            for chunk in chunks {
                parts.push(chunk);
            }
        });
        spawn_local(async move {
            let Ok(blob) = Blob::new_with_blob_sequence(&parts) else { return };
            match decode(blob, speaker, date).await {
                Some(recording) if !recording.samples.is_empty() => self.stage.set(Stage::Recorded(recording)),
                _ => {
                    self.problem.set(Some("The recording could not be read: record again.".into()));
                    self.stage.set(Stage::Idle);
                }
            }
        });
    }

    fn stop(&self) {
        if let Stage::Recording { recorder, stream, .. } = self.stage.get_untracked() {
            let _ = recorder.stop();
            for track in stream.get_tracks().iter() {
                track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
            }
        }
        if let Some(context) = self.meter_context.get_untracked() {
            let _ = context.close();
        }
        self.level.set(0.0);
    }
}

/// The recorder: the speaker's name, the statement they read aloud, start and stop with the input level, then the
/// recording to trim, hear and use.
#[component]
fn Recorder(draft: RwSignal<Draft>, consents: Consents) -> impl IntoView {
    let speaker = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let capture = Capture::new(problem);
    // The speaker reads the statement, naming themself and the day, as the recording's first words.
    let start = move || {
        done.set(None);
        let speaker = speaker.get_untracked().trim().to_owned();
        if speaker.is_empty() {
            crate::form::focus_by_id(RECORDING_SPEAKER_ID);
            return problem.set(Some("Write the speaker's name first: the statement they read names them.".into()));
        }
        problem.set(None);
        capture.start(speaker, local_date());
    };
    let recording = move || capture.is_recording();
    // What is read aloud: as the name is typed, then as it was when the recording started.
    let read_aloud = move || match capture.stage.get() {
        Stage::Recording { speaker, date, .. } | Stage::Recorded(Recording { speaker, date, .. }) => {
            statement(&speaker, &date)
        }
        Stage::Idle => statement(&speaker.get(), &local_date()),
    };
    let used = Callback::new(move |recording: Recording| {
        done.set(Some(format!("The recording is the reference now, with {}'s consent.", recording.speaker)))
    });
    // Opened by a press of "Record a reference": the name comes first.
    request_animation_frame(|| crate::form::focus_by_id(RECORDING_SPEAKER_ID));
    view! {
                <div class="field">
                    <label for=RECORDING_SPEAKER_ID>"Speaker's name"</label>
                    <input
                        id=RECORDING_SPEAKER_ID
                        type="text"
                        autocomplete="name"
                        disabled=recording
                        prop:value=move || speaker.get()
                        on:input=move |event| speaker.set(event_target_value(&event))
                    />
                </div>
                <figure class="consent-statement">
                    <figcaption>{move || if recording() { "Read this aloud now:" } else { "The speaker reads this aloud, as the recording's first words:" }}</figcaption>
                    <blockquote aria-label="Consent statement">{read_aloud}</blockquote>
                </figure>
                <div class="recorder-bar">
                    <Show when=move || !recording()>
                        <button type="button" on:click=move |_| start()>{move || if capture.recorded().is_some() { "Record again" } else { "Start recording" }}</button>
                    </Show>
                    <Show when=recording>
                        <button type="button" on:click=move |_| capture.stop()>"Stop recording"</button>
                        <label for="input-level">"Input level"</label>
                        <meter id="input-level" min="0" max="0.5" value=move || capture.level.get()></meter>
                    </Show>
                </div>
                {move || capture.recorded().map(|recording| view! { <RecordingTrim recording draft consents problem used /> })}
                {move || problem.get().map(|problem| view! { <p class="problem" role="alert">{problem}</p> })}
                {move || done.get().map(|done| view! { <p class="notice" role="status">{done}</p> })}
    }
}

/// A recording made: its start and end to trim, a listen to what is kept, and "Use this recording", which uploads
/// it as the reference with the speaker's consent (then `used`), or says in `problem` why it could not.
#[component]
fn RecordingTrim(
    recording: Recording,
    draft: RwSignal<Draft>,
    consents: Consents,
    problem: RwSignal<Option<String>>,
    used: Callback<Recording>,
) -> impl IntoView {
    let trim_start = RwSignal::new("0".to_owned());
    let trim_end = RwSignal::new(studio_core::figures::tenths(recording.seconds()));
    let recording = StoredValue::new_local(recording);
    // The kept part as WAV, encoded once per trim: heard in the preview, and uploaded as it is.
    let kept = Memo::new(move |_| {
        recording.with_value(|recording| {
            let start = trim_start.get().trim().parse().unwrap_or(0.0);
            let end = trim_end.get().trim().parse().unwrap_or(recording.seconds());
            wav::encode(wav::trim(&recording.samples, recording.rate, start, end), recording.rate)
        })
    });
    let preview = Memo::new(move |_| kept.with(|wav| audio::object_url(wav)));
    let use_it = move |_| {
        let Some(blob) = kept.with_untracked(|wav| audio::blob(wav)) else { return };
        let recording = recording.get_value();
        problem.set(None);
        spawn_local(async move {
            match upload(blob.clone(), "recording.wav".to_owned()).await {
                Ok(url) => {
                    consents.keep(Consent::recorded(&url, &recording.speaker, &recording.date));
                    draft.update(|draft| draft.reference_audio_url = url);
                    used.run(recording);
                }
                Err(error) => problem.set(Some(error.message())),
            }
        });
    };
    view! {
        <div class="recorder-trim">
            <div class="field inline">
                <label for="trim-start">"Trim start (s)"</label>
                <input id="trim-start" type="number" min="0" step="0.1" prop:value=move || trim_start.get() on:input=move |event| trim_start.set(event_target_value(&event)) />
            </div>
            <div class="field inline">
                <label for="trim-end">"Trim end (s)"</label>
                <input id="trim-end" type="number" min="0" step="0.1" prop:value=move || trim_end.get() on:input=move |event| trim_end.set(event_target_value(&event)) />
            </div>
            <audio controls src=move || preview.get() aria-label="Recording"></audio>
            <button type="button" on:click=use_it>"Use this recording"</button>
        </div>
    }
}
