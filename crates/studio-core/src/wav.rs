//! WAV, read and written in one place: a recording as the gateway takes it (browsers record WebM/Opus, which is
//! not among the documented formats, so the part the person kept is written as a 16-bit PCM mono WAV), and a take's
//! audio read back, to be joined into a script.

/// The samples between `start` and `end` seconds (clamped to the recording).
pub fn trim(samples: &[f32], rate: u32, start: f64, end: f64) -> &[f32] {
    let at = |seconds: f64| ((seconds.max(0.0) * f64::from(rate)) as usize).min(samples.len());
    let (from, to) = (at(start), at(end));
    if from < to {
        &samples[from..to]
    } else {
        &[]
    }
}

/// A RIFF/WAVE file of `samples` (−1..1) at `rate`, mono, 16-bit.
pub fn encode(samples: &[f32], rate: u32) -> Vec<u8> {
    let data_bytes = (samples.len() * 2) as u32;
    let mut wav = Vec::with_capacity(44 + data_bytes as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_bytes).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes()); // the format chunk's size
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * 2).to_le_bytes()); // bytes a second
    wav.extend_from_slice(&2u16.to_le_bytes()); // bytes a frame
    wav.extend_from_slice(&16u16.to_le_bytes()); // bits a sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_bytes.to_le_bytes());
    for sample in samples {
        wav.extend_from_slice(&((sample.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes());
    }
    wav
}

/// A PCM WAV (16-bit, any channel count; the first channel is kept) as samples in −1..1 and its rate.
pub fn read(bytes: &[u8]) -> Option<(Vec<f32>, u32)> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WAVE" {
        return None;
    }
    let (mut at, mut format) = (12, None);
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().ok()?) as usize;
        let body = bytes.get(at + 8..(at + 8 + size).min(bytes.len()))?;
        match id {
            b"fmt " => {
                let channels = u16::from_le_bytes(body.get(2..4)?.try_into().ok()?) as usize;
                let rate = u32::from_le_bytes(body.get(4..8)?.try_into().ok()?);
                let bits = u16::from_le_bytes(body.get(14..16)?.try_into().ok()?);
                format = Some((channels.max(1), rate, bits));
            }
            b"data" => {
                let (channels, rate, bits) = format?;
                if bits != 16 {
                    return None;
                }
                let samples = body
                    .chunks_exact(2 * channels)
                    .map(|frame| f32::from(i16::from_le_bytes([frame[0], frame[1]])) / 32768.0)
                    .collect();
                return Some((samples, rate));
            }
            _ => {}
        }
        at += 8 + size + size % 2;
    }
    None
}
