//! The reference voice: fetched from `reference_audio_url` within limits (size, time, and only from addresses within
//! reach, never following a redirect), decoded from the documented formats only (WAV, MP3, OGG, M4A, AAC) with
//! symphonia, and reduced to what the sandbox's voice can imitate: its pitch.

use std::io::Cursor;
use std::time::Duration;

use futures_util::StreamExt;
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::reach::Reach;

/// The largest reference the sandbox downloads.
pub const MAX_REFERENCE_BYTES: usize = 20 * 1024 * 1024;
/// How long the whole download may take.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(15);
/// How much of the reference is analysed: a voice's pitch shows in seconds.
const MAX_ANALYSED_SECONDS: usize = 30;
/// The sample rates a reference may have: anything else is not speech a gateway would take.
pub const SAMPLE_RATES: std::ops::RangeInclusive<u32> = 8_000..=192_000;

/// Why a reference could not be used; the text becomes the FAILED job's `error`.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// Whatever went wrong (an address out of reach, a refused connection, an error status, a redirect, no answer
    /// in time): one answer for all, so that a caller learns nothing of what lies behind the sandbox.
    #[error("the reference audio could not be fetched from its URL")]
    Unreachable,
    #[error("the reference audio is larger than the {} MB limit", MAX_REFERENCE_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("the reference audio could not be decoded (supported formats: MP3, OGG, WAV, M4A, AAC): {0}")]
    Undecodable(String),
    #[error("the reference audio holds no sound")]
    Silent,
    #[error("the reference audio's sample rate, {0} Hz, is outside 8–192 kHz")]
    SampleRate(u32),
}

/// A decoded reference: mono samples in −1..1 and their rate.
#[derive(Debug, Clone)]
pub struct Reference {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
}

/// Downloads the reference, refusing anything but http(s) within `reach`, anything too large and anything too slow.
pub async fn fetch(client: &reqwest::Client, reach: &Reach, url: &str) -> Result<Vec<u8>, ReferenceError> {
    let url = reqwest::Url::parse(url).ok().filter(|url| reach.allows_url(url)).ok_or(ReferenceError::Unreachable)?;
    let unreachable = |why: &dyn std::fmt::Display| {
        tracing::info!(%why, "a reference could not be fetched");
        ReferenceError::Unreachable
    };
    let download = async {
        let response = client.get(url).send().await.map_err(|error| unreachable(&error.without_url()))?;
        if !response.status().is_success() {
            return Err(unreachable(&response.status()));
        }
        if response.content_length().is_some_and(|length| length > MAX_REFERENCE_BYTES as u64) {
            return Err(ReferenceError::TooLarge);
        }
        let mut bytes = Vec::new();
        let mut body = response.bytes_stream();
        while let Some(chunk) = body.next().await {
            bytes.extend_from_slice(&chunk.map_err(|error| unreachable(&error.without_url()))?);
            if bytes.len() > MAX_REFERENCE_BYTES {
                return Err(ReferenceError::TooLarge);
            }
        }
        Ok(bytes)
    };
    tokio::time::timeout(FETCH_TIMEOUT, download).await.unwrap_or_else(|_| Err(unreachable(&"no answer in time")))
}

/// Decodes the first channel-mixed seconds of any documented format; the container is recognised by content.
pub fn decode(bytes: Vec<u8>) -> Result<Reference, ReferenceError> {
    let undecodable = |error: SymphoniaError| ReferenceError::Undecodable(error.to_string());
    let stream = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let probed = symphonia::default::get_probe()
        .format(&Hint::new(), stream, &FormatOptions::default(), &MetadataOptions::default())
        .map_err(undecodable)?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|track| track.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| ReferenceError::Undecodable("no audio track".to_owned()))?;
    let track_id = track.id;
    if let Some(rate) = track.codec_params.sample_rate.filter(|rate| !SAMPLE_RATES.contains(rate)) {
        return Err(ReferenceError::SampleRate(rate));
    }
    let mut decoder =
        symphonia::default::get_codecs().make(&track.codec_params, &DecoderOptions::default()).map_err(undecodable)?;
    let mut samples = Vec::new();
    let mut sample_rate = track.codec_params.sample_rate.unwrap_or(0);
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(error)) if error.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(error) => return Err(undecodable(error)),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(decoded) => decoded,
            // A damaged packet is skipped, as players do.
            Err(SymphoniaError::DecodeError(_)) => continue,
            Err(error) => return Err(undecodable(error)),
        };
        let spec = *decoded.spec();
        if !SAMPLE_RATES.contains(&spec.rate) {
            return Err(ReferenceError::SampleRate(spec.rate));
        }
        sample_rate = spec.rate;
        let channels = spec.channels.count().max(1);
        let mut buffer = SampleBuffer::<f32>::new(decoded.capacity() as u64, spec);
        buffer.copy_interleaved_ref(decoded);
        samples.extend(buffer.samples().chunks(channels).map(|frame| frame.iter().sum::<f32>() / channels as f32));
        if sample_rate > 0 && samples.len() >= MAX_ANALYSED_SECONDS * sample_rate as usize {
            break;
        }
    }
    if samples.is_empty() || sample_rate == 0 {
        return Err(ReferenceError::Undecodable("no audio in the stream".to_owned()));
    }
    Ok(Reference { samples, sample_rate })
}

/// The rate pitch is estimated at: enough for voices (up to 400 Hz), cheap enough for long references.
const ANALYSIS_RATE: u32 = 11_025;
const LOWEST_VOICE_HZ: f32 = 60.0;
const HIGHEST_VOICE_HZ: f32 = 400.0;

impl Reference {
    /// The speaker's typical fundamental frequency in Hz: the median over voiced frames of the best
    /// autocorrelation lag. `Silent` if no frame is voiced.
    pub fn pitch_hz(&self) -> Result<f32, ReferenceError> {
        let step = (self.sample_rate / ANALYSIS_RATE).max(1) as usize;
        let rate = self.sample_rate as f32 / step as f32;
        // Averaging each step's samples is a crude low-pass that keeps the decimation from aliasing much.
        let signal: Vec<f32> =
            self.samples.chunks(step).map(|chunk| chunk.iter().sum::<f32>() / chunk.len() as f32).collect();
        let frame = (rate * 0.04) as usize;
        let shortest_lag = (rate / HIGHEST_VOICE_HZ) as usize;
        let longest_lag = (rate / LOWEST_VOICE_HZ) as usize;
        let loudest = signal.chunks(frame).map(energy).fold(0.0, f32::max);
        let mut pitches: Vec<f32> = signal
            .windows(frame + longest_lag)
            .step_by(frame / 2)
            .filter(|window| energy(&window[..frame]) > loudest * 0.05)
            .filter_map(|window| {
                let base = &window[..frame];
                let scores: Vec<f32> =
                    (shortest_lag..=longest_lag).map(|lag| correlation(base, &window[lag..lag + frame])).collect();
                let best = scores.iter().copied().fold(0.0, f32::max);
                // A period's multiples correlate almost as well as the period itself: the first peak near the
                // best one is the fundamental, not an octave below.
                let first_peak = (1..scores.len() - 1).find(|&index| {
                    scores[index] >= 0.9 * best
                        && scores[index] >= scores[index - 1]
                        && scores[index] >= scores[index + 1]
                })?;
                (best > 0.6).then_some(rate / (shortest_lag + first_peak) as f32)
            })
            .collect();
        if pitches.is_empty() {
            return Err(ReferenceError::Silent);
        }
        pitches.sort_by(f32::total_cmp);
        Ok(pitches[pitches.len() / 2])
    }
}

fn energy(samples: &[f32]) -> f32 {
    samples.iter().map(|sample| sample * sample).sum::<f32>() / samples.len().max(1) as f32
}

/// Normalised correlation of two equally long slices, in −1..1.
fn correlation(a: &[f32], b: &[f32]) -> f32 {
    let (mut product, mut a_energy, mut b_energy) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        product += x * y;
        a_energy += x * x;
        b_energy += y * y;
    }
    if a_energy == 0.0 || b_energy == 0.0 {
        0.0
    } else {
        product / (a_energy * b_energy).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f32, rate: u32, seconds: f32) -> Reference {
        let samples = (0..(rate as f32 * seconds) as usize)
            .map(|index| {
                let phase = std::f32::consts::TAU * hz * index as f32 / rate as f32;
                // A few harmonics, as a voice has, so the fundamental is not the only peak.
                0.5 * phase.sin() + 0.3 * (2.0 * phase).sin() + 0.2 * (3.0 * phase).sin()
            })
            .collect();
        Reference { samples, sample_rate: rate }
    }

    #[test]
    fn the_pitch_of_a_voiced_tone_is_its_fundamental() {
        for (hz, rate) in [(110.0, 44_100), (220.0, 48_000), (180.0, 22_050), (95.0, 16_000)] {
            let estimate = tone(hz, rate, 1.0).pitch_hz().unwrap();
            assert!((estimate - hz).abs() / hz < 0.03, "{hz} Hz at {rate} Hz: estimated {estimate}");
        }
    }

    #[test]
    fn silence_has_no_pitch() {
        let silence = Reference { samples: vec![0.0; 44_100], sample_rate: 44_100 };
        assert!(matches!(silence.pitch_hz(), Err(ReferenceError::Silent)));
    }

    /// A mono 16-bit WAV at `rate`, a second of a tone (or as many samples as there are, at very low rates).
    fn wav_at(rate: u32) -> Vec<u8> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut bytes = Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut bytes, spec).unwrap();
        for index in 0..rate.max(64) {
            writer.write_sample(((index as f32 * 0.3).sin() * 8000.0) as i16).unwrap();
        }
        writer.finalize().unwrap();
        bytes.into_inner()
    }

    #[test]
    fn sample_rates_outside_8_to_192_khz_are_refused() {
        for rate in [1, 24, 7_999, 192_001, 384_000] {
            let error = decode(wav_at(rate)).unwrap_err();
            assert!(matches!(error, ReferenceError::SampleRate(refused) if refused == rate), "{rate}: {error}");
        }
        for rate in [8_000, 44_100, 192_000] {
            assert_eq!(decode(wav_at(rate)).unwrap().sample_rate, rate);
        }
    }

    #[test]
    fn undocumented_formats_are_not_decoded() {
        let flac =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../zonos-server/tests/references/basil.flac")).unwrap();
        let error = decode(flac).unwrap_err();
        assert!(matches!(error, ReferenceError::Undecodable(_)), "FLAC: {error}");
    }

    #[test]
    fn bytes_that_are_not_audio_are_undecodable() {
        let error = decode(b"<html>not audio</html>".to_vec()).unwrap_err();
        assert!(matches!(error, ReferenceError::Undecodable(_)), "{error}");
    }
}
