//! The parts' audio joined into one WAV: the same sample rate throughout, with a short crossfade at each joint so
//! that no click is heard.

/// How long each joint fades from one part into the next.
pub const CROSSFADE_SECONDS: f64 = 0.03;

/// A PCM WAV (16-bit, any channel count; the first channel is kept) as samples in −1..1 and its rate.
pub fn read_wav(bytes: &[u8]) -> Option<(Vec<f32>, u32)> {
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

/// The parts one after another, each joint crossfaded over `fade` samples (less, for very short parts).
pub fn stitch(parts: &[Vec<f32>], fade: usize) -> Vec<f32> {
    let mut joined: Vec<f32> = Vec::new();
    for part in parts {
        let overlap = fade.min(joined.len()).min(part.len());
        let start = joined.len() - overlap;
        for index in 0..overlap {
            let incoming = (index + 1) as f32 / (overlap + 1) as f32;
            joined[start + index] = joined[start + index] * (1.0 - incoming) + part[index] * incoming;
        }
        joined.extend_from_slice(&part[overlap..]);
    }
    joined
}
