//! A recording as the gateway takes it: the part the person kept, as a 16-bit PCM mono WAV. (Browsers record
//! WebM/Opus, which is not among the documented formats.)

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
