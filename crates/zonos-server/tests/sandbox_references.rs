//! The sandbox fetches the reference voice over HTTP, decodes every documented format, and fails the job, saying
//! why, when it cannot.

mod common;

use std::net::SocketAddr;
use std::path::Path;

use axum::http::StatusCode;
use axum::routing::get;
use common::*;
use zonos_api::JobStatus;

/// A second of digital silence, as a WAV.
fn silence() -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
    (0..16_000).for_each(|_| writer.write_sample(0i16).unwrap());
    writer.finalize().unwrap();
    bytes.into_inner()
}

/// A file host for the references, as a CDN would serve them, with a few that cannot be used.
async fn reference_host() -> SocketAddr {
    let files = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/references");
    let too_large = vec![0u8; zonos_server::sandbox::reference::MAX_REFERENCE_BYTES + 1];
    let router = axum::Router::new()
        .route("/missing.wav", get(|| async { StatusCode::NOT_FOUND }))
        .route("/page.mp3", get(|| async { "<!doctype html><p>Not a recording</p>" }))
        .route("/silence.wav", get(|| async { silence() }))
        .route("/huge.wav", get(|| async move { too_large }))
        .fallback_service(tower_http::services::ServeDir::new(files));
    serve(router).await
}

#[tokio::test]
async fn every_documented_format_is_decoded_and_imitated() {
    let (sandbox, host) = (start(None).await, reference_host().await);
    let files = ["basil.mp3", "basil.ogg", "basil.m4a", "basil.aac", "basil-stereo-48k.wav"];
    let jobs = files.map(|file| async move {
        let (_, status) = submit_and_follow(sandbox, &request_body(&format!("http://{host}/{file}"))).await;
        (file, status)
    });
    for (file, status) in futures_util::future::join_all(jobs).await {
        let pitch = pitch_of(&audio_of(status).await);
        assert!((70.0..110.0).contains(&pitch), "{file}: Basil's low voice, not {pitch} Hz");
    }
}

async fn failure_for(reference_audio_url: &str) -> String {
    let sandbox = start(None).await;
    let (_, status) = submit_and_follow(sandbox, &request_body(reference_audio_url)).await;
    assert_eq!((status.status, &status.output), (JobStatus::Failed, &None));
    status.error.expect("a FAILED job says why")
}

#[tokio::test]
async fn a_reference_that_cannot_be_fetched_fails_the_job_saying_so_in_the_same_words_whatever_the_cause() {
    let host = reference_host().await;
    let missing = failure_for(&format!("http://{host}/missing.wav")).await;
    assert_eq!(missing, "the reference audio could not be fetched from its URL");
    // A port nobody listens on, refused at once: a caller can't tell it from a 404, so can't map the ports.
    let closed = zonos_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap().local_addr().unwrap();
    assert_eq!(failure_for(&format!("http://{closed}/voice.wav")).await, missing);
}

#[tokio::test]
async fn a_reference_that_is_not_audio_fails_the_job_saying_why() {
    let host = reference_host().await;
    let error = failure_for(&format!("http://{host}/page.mp3")).await;
    assert!(error.contains("could not be decoded") && error.contains("MP3, OGG, WAV, M4A, AAC"), "{error}");
}

#[tokio::test]
async fn a_reference_that_is_too_large_or_silent_fails_the_job_saying_why() {
    let host = reference_host().await;
    let huge = failure_for(&format!("http://{host}/huge.wav")).await;
    assert!(huge.contains("larger than the 20 MB limit"), "{huge}");
    let silent = failure_for(&format!("http://{host}/silence.wav")).await;
    assert!(silent.contains("holds no sound"), "{silent}");
}
