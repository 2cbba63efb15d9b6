//! The sandbox's voice: espeak-ng speaks the text in the chosen language, at the reference speaker's pitch, written
//! as a 44.1 kHz mono WAV.

use std::io::Cursor;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use zonos_api::{GenerateRequest, Language};

/// The sample rate of every WAV the sandbox writes.
pub const SAMPLE_RATE: u32 = 44_100;
/// Zonos emits about 86 audio frames ("tokens") a second: `max_tokens` limits the duration by this rate.
pub const FRAMES_PER_SECOND: f64 = 86.0;

#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("the speech engine (espeak-ng) could not be started: {0}")]
    Unavailable(std::io::Error),
    #[error("the speech engine failed: {0}")]
    Failed(String),
    #[error("the speech engine wrote unreadable audio: {0}")]
    Unreadable(#[from] hound::Error),
    #[error("the speech engine's output could not be stored: {0}")]
    Storage(#[from] std::io::Error),
}

/// The espeak-ng voice for each documented language. (`en` and `fr` are British English and French of France;
/// espeak-ng ignores a variant such as `+f3` after their aliases `en-gb` and `fr-fr`.)
fn voice(language: Language) -> &'static str {
    match language {
        Language::EnUs => "en-us",
        Language::EnGb => "en",
        Language::FrFr => "fr",
        Language::De => "de",
        Language::Es => "es",
        Language::It => "it",
        Language::PtBr => "pt-br",
        Language::Ja => "ja",
        Language::Cmn => "cmn",
        Language::Ko => "ko",
    }
}

/// How espeak-ng is asked to speak: a voice register and pitch that imitate the reference speaker, and a pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// espeak-ng's female variant, for speakers above [`HIGH_VOICE_HZ`].
    high_voice: bool,
    /// espeak-ng's `-p`, 0–99.
    pitch: u8,
    /// espeak-ng's `-s`.
    words_per_minute: u16,
}

/// Where the imitation switches from espeak-ng's default (low) voice to its female variant.
const HIGH_VOICE_HZ: f32 = 150.0;
/// A natural pace, from which the seed moves each take a little.
const WORDS_PER_MINUTE: f32 = 165.0;

impl Delivery {
    /// The delivery for a speaker whose voice sits at `pitch_hz`. espeak-ng's fundamental rises exponentially with
    /// `-p`: measured, its default voice spans about 72–170 Hz over 0–99 and the `+f3` variant 155–325 Hz.
    /// `seed` picks the pace, within a spread that grows with `temperature` and is wider when not `accurate_mode`,
    /// so that takes differ as a sampled model's do while the same seed gives the same take.
    pub fn imitating(pitch_hz: f32, request: &GenerateRequest, seed: u32) -> Delivery {
        let high_voice = pitch_hz >= HIGH_VOICE_HZ;
        let (lowest_hz, steps_per_octave) = if high_voice { (155.0, 93.0) } else { (72.0, 80.0) };
        let pitch = (steps_per_octave * (pitch_hz / lowest_hz).log2()).round().clamp(0.0, 99.0) as u8;
        let spread = request.temperature as f32 * if request.accurate_mode { 6.0 } else { 15.0 };
        // A fixed mix of the seed's bits into −1..1: the same seed, the same pace, on every machine.
        let unit = (u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0;
        let words_per_minute = (WORDS_PER_MINUTE + unit * spread).round() as u16;
        Delivery { high_voice, pitch, words_per_minute }
    }
}

/// Speaks the request's text with `delivery`. The same inputs always give the same bytes: espeak-ng is
/// deterministic.
pub async fn speak(request: &GenerateRequest, delivery: Delivery) -> Result<Vec<u8>, SpeechError> {
    let voice = voice(request.language);
    let voice = if delivery.high_voice { format!("{voice}+f3") } else { voice.to_owned() };
    // espeak-ng fixes the WAV header only when it writes to a seekable file, not to a pipe.
    let file = tempfile::Builder::new().suffix(".wav").tempfile()?;
    let mut child = Command::new("espeak-ng")
        .args(["--stdin", "-v", &voice, "-p", &delivery.pitch.to_string()])
        .args(["-s", &delivery.words_per_minute.to_string(), "-w"])
        .arg(file.path())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(SpeechError::Unavailable)?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(request.text_or_default().as_bytes()).await?;
    drop(stdin);
    let output = child.wait_with_output().await?;
    if !output.status.success() {
        return Err(SpeechError::Failed(String::from_utf8_lossy(&output.stderr).trim().to_owned()));
    }
    let spoken = tokio::fs::read(file.path()).await?;
    let (samples, rate) = read_mono(&spoken)?;
    let mut samples = resample(&samples, rate, SAMPLE_RATE);
    if let Some(frames) = request.max_tokens {
        samples.truncate((f64::from(frames) / FRAMES_PER_SECOND * f64::from(SAMPLE_RATE)).ceil() as usize);
    }
    write_wav(&samples)
}

/// The first channel of a 16-bit WAV, and its sample rate.
fn read_mono(wav: &[u8]) -> Result<(Vec<i16>, u32), hound::Error> {
    let mut reader = hound::WavReader::new(Cursor::new(wav))?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let samples = reader.samples::<i16>().step_by(channels).collect::<Result<Vec<_>, _>>()?;
    Ok((samples, spec.sample_rate))
}

/// Linear interpolation from one rate to another: enough for speech from espeak-ng's 22.05 kHz.
pub fn resample(samples: &[i16], from: u32, to: u32) -> Vec<i16> {
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let length = (samples.len() as u64 * u64::from(to) / u64::from(from)) as usize;
    let step = f64::from(from) / f64::from(to);
    (0..length)
        .map(|index| {
            let position = index as f64 * step;
            let before = position.floor() as usize;
            let after = (before + 1).min(samples.len() - 1);
            let fraction = position - before as f64;
            (f64::from(samples[before]) * (1.0 - fraction) + f64::from(samples[after]) * fraction).round() as i16
        })
        .collect()
}

fn write_wav(samples: &[i16]) -> Result<Vec<u8>, SpeechError> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut bytes, spec)?;
    for &sample in samples {
        writer.write_sample(sample)?;
    }
    writer.finalize()?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resampling_doubles_the_rate_between_the_samples() {
        assert_eq!(resample(&[0, 100, 200], 22_050, 44_100), [0, 50, 100, 150, 200, 200]);
        assert_eq!(resample(&[7, 8], 44_100, 44_100), [7, 8]);
    }
}
