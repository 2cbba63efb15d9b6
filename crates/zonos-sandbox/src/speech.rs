//! The sandbox's voice: espeak-ng speaks the text in the chosen language, at the reference speaker's pitch, written
//! as a 44.1 kHz mono WAV.

use std::io::Cursor;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
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

/// The longest take: the documented most frames (`max_tokens` up to 6144), about 71 seconds.
pub const MAX_FRAMES: u32 = 6144;
/// How long espeak-ng may take before it is stopped.
const SPEAKING_TIMEOUT: Duration = Duration::from_secs(30);
/// Faster than anyone speaks: a take of some seconds can't carry more text than this many characters a second.
const MOST_CHARACTERS_PER_SECOND: f64 = 30.0;

/// The beginning of `text` that a take of `frames` can carry: the rest would be spoken only to be cut off.
pub fn speakable(text: &str, frames: u32) -> &str {
    let characters = (f64::from(frames) / FRAMES_PER_SECOND * MOST_CHARACTERS_PER_SECOND).ceil() as usize + 40;
    text.char_indices().nth(characters).map_or(text, |(end, _)| &text[..end])
}

/// Speaks the request's text with `delivery`, within bounds: the text a take of `max_tokens` frames (at most
/// [`MAX_FRAMES`]) can carry, read from espeak-ng as it speaks and stopped once the take is long enough, or after
/// [`SPEAKING_TIMEOUT`]. The same inputs always give the same bytes: espeak-ng is deterministic.
pub async fn speak(request: &GenerateRequest, delivery: Delivery) -> Result<Vec<u8>, SpeechError> {
    let frames = request.max_tokens.unwrap_or(MAX_FRAMES).min(MAX_FRAMES);
    let seconds = f64::from(frames) / FRAMES_PER_SECOND;
    let voice = voice(request.language);
    let voice = if delivery.high_voice { format!("{voice}+f3") } else { voice.to_owned() };
    let mut child = Command::new("espeak-ng")
        .args(["--stdin", "--stdout", "-v", &voice, "-p", &delivery.pitch.to_string()])
        .args(["-s", &delivery.words_per_minute.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(SpeechError::Unavailable)?;
    // Written on its own task: espeak-ng speaks as it reads, and its output is read meanwhile.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let text = speakable(request.text_or_default(), frames).to_owned();
    tokio::spawn(async move {
        let _ = stdin.write_all(text.as_bytes()).await;
    });
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let listening = async {
        let mut spoken = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let read = stdout.read(&mut chunk).await?;
            if read == 0 {
                return Ok::<_, SpeechError>(spoken);
            }
            spoken.extend_from_slice(&chunk[..read]);
            if let Some(layout) = WavLayout::of(&spoken)? {
                let enough = layout.data + (seconds * f64::from(layout.rate)).ceil() as usize * 2 * layout.channels;
                if spoken.len() >= enough {
                    spoken.truncate(enough);
                    return Ok(spoken);
                }
            }
        }
    };
    let spoken = tokio::time::timeout(SPEAKING_TIMEOUT, listening)
        .await
        .map_err(|_| SpeechError::Failed(format!("it did not finish within {SPEAKING_TIMEOUT:?}")))??;
    // Enough was heard, or it ended: either way it has nothing more to say.
    let _ = child.start_kill();
    let Some(layout) = WavLayout::of(&spoken)? else {
        let output = child.wait_with_output().await?;
        return Err(SpeechError::Failed(String::from_utf8_lossy(&output.stderr).trim().to_owned()));
    };
    let samples: Vec<i16> = spoken[layout.data..]
        .chunks_exact(2 * layout.channels)
        .map(|frame| i16::from_le_bytes([frame[0], frame[1]]))
        .collect();
    let mut samples = resample(&samples, layout.rate, SAMPLE_RATE);
    samples.truncate((seconds * f64::from(SAMPLE_RATE)).ceil() as usize);
    write_wav(&samples)
}

/// Where a 16-bit WAV written to a pipe keeps its samples: its chunks' sizes are unknown as it is written, so they
/// are not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WavLayout {
    rate: u32,
    channels: usize,
    /// Where the samples start.
    data: usize,
}

impl WavLayout {
    /// The layout, once `head` holds the whole header; `None` until then.
    fn of(head: &[u8]) -> Result<Option<WavLayout>, SpeechError> {
        let unreadable = || SpeechError::Failed("it wrote something other than a WAV".to_owned());
        if head.len() < 12 {
            return Ok(None);
        }
        if &head[..4] != b"RIFF" || &head[8..12] != b"WAVE" {
            return Err(unreadable());
        }
        let (mut at, mut format) = (12, None);
        while head.len() >= at + 8 {
            let size = u32::from_le_bytes(head[at + 4..at + 8].try_into().expect("four bytes")) as usize;
            match &head[at..at + 4] {
                b"data" => {
                    let (rate, channels) = format.ok_or_else(unreadable)?;
                    return Ok(Some(WavLayout { rate, channels, data: at + 8 }));
                }
                b"fmt " if head.len() >= at + 24 => {
                    let channels = usize::from(u16::from_le_bytes([head[at + 10], head[at + 11]]));
                    let rate = u32::from_le_bytes(head[at + 12..at + 16].try_into().expect("four bytes"));
                    let bits = u16::from_le_bytes([head[at + 22], head[at + 23]]);
                    if bits != 16 || channels == 0 || rate == 0 {
                        return Err(unreadable());
                    }
                    format = Some((rate, channels));
                }
                b"fmt " => return Ok(None),
                _ => {}
            }
            at += 8 + size.min(head.len());
        }
        Ok(None)
    }
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
    fn only_the_text_a_take_can_carry_is_spoken() {
        let long = "word ".repeat(12_000);
        // 50 frames: about 0.6 s, some 17 characters at most and a margin.
        assert_eq!(speakable(&long, 50).chars().count(), 58);
        assert_eq!(speakable("Short.", 50), "Short.");
        // Never cut inside a character.
        assert_eq!(speakable(&"é".repeat(1000), 50).chars().count(), 58);
        assert!(speakable(&long, MAX_FRAMES).len() < 2_200);
    }

    #[test]
    fn a_wav_header_from_a_pipe_is_read_as_it_arrives() {
        let mut header =
            b"RIFF\xff\xff\xff\xffWAVEfmt \x10\0\0\0\x01\0\x01\0\x22\x56\0\0\x44\xac\0\0\x02\0\x10\0".to_vec();
        assert_eq!(WavLayout::of(&header[..20]).unwrap(), None);
        assert_eq!(WavLayout::of(&header).unwrap(), None, "no data chunk yet");
        header.extend_from_slice(b"data\xff\xff\xff\xff");
        assert_eq!(WavLayout::of(&header).unwrap(), Some(WavLayout { rate: 22_050, channels: 1, data: 44 }));
        assert!(WavLayout::of(b"<html><body>nope</body>").is_err());
    }

    #[test]
    fn resampling_doubles_the_rate_between_the_samples() {
        assert_eq!(resample(&[0, 100, 200], 22_050, 44_100), [0, 50, 100, 150, 200, 200]);
        assert_eq!(resample(&[7, 8], 44_100, 44_100), [7, 8]);
    }
}
