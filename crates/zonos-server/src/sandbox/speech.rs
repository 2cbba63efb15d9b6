//! The sandbox's voice: espeak-ng speaks the text in the chosen language, written as a 44.1 kHz mono WAV.

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

/// The espeak-ng voice for each documented language.
fn voice(language: Language) -> &'static str {
    match language {
        Language::EnUs => "en-us",
        Language::EnGb => "en-gb",
        Language::FrFr => "fr-fr",
        Language::De => "de",
        Language::Es => "es",
        Language::It => "it",
        Language::PtBr => "pt-br",
        Language::Ja => "ja",
        Language::Cmn => "cmn",
        Language::Ko => "ko",
    }
}

/// Speaks the request's text. The same request always gives the same bytes: espeak-ng is deterministic.
pub async fn speak(request: &GenerateRequest) -> Result<Vec<u8>, SpeechError> {
    // espeak-ng fixes the WAV header only when it writes to a seekable file, not to a pipe.
    let file = tempfile::Builder::new().suffix(".wav").tempfile()?;
    let mut child = Command::new("espeak-ng")
        .args(["--stdin", "-v", voice(request.language), "-w"])
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
