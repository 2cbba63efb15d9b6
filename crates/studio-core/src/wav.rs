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
    let (channels, rate, bits, audio) = format_and_audio(bytes)?;
    if bits != 16 {
        return None;
    }
    let samples = audio
        .chunks_exact(2 * channels)
        .map(|frame| f32::from(i16::from_le_bytes([frame[0], frame[1]])) / 32768.0)
        .collect();
    Some((samples, rate))
}

/// How long a WAV plays, in seconds: its audio's bytes over the bytes a second its format says.
pub fn seconds(bytes: &[u8]) -> Option<f64> {
    let (channels, rate, bits, audio) = format_and_audio(bytes)?;
    let bytes_a_second = channels as f64 * f64::from(rate) * f64::from(bits.div_ceil(8));
    (bytes_a_second > 0.0).then(|| audio.len() as f64 / bytes_a_second)
}

/// A WAV's channels, rate and bits a sample (from its `fmt ` chunk), and its audio (the `data` chunk).
fn format_and_audio(bytes: &[u8]) -> Option<(usize, u32, u16, &[u8])> {
    let found = chunks(bytes)?;
    let format = found.iter().find(|(id, _)| *id == b"fmt ")?.1;
    let audio = found.iter().find(|(id, _)| *id == b"data")?.1;
    let channels = usize::from(u16::from_le_bytes(format.get(2..4)?.try_into().ok()?)).max(1);
    let rate = u32::from_le_bytes(format.get(4..8)?.try_into().ok()?);
    let bits = u16::from_le_bytes(format.get(14..16)?.try_into().ok()?);
    Some((channels, rate, bits, audio))
}

/// The chunks of a RIFF/WAVE file, as (id, body); `None` if it is not one. A chunk whose size runs past the end (a
/// WAV written as a stream) ends with the file, as does audio whose size is given as 0.
pub(crate) fn chunks(wav: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    if wav.get(..4)? != b"RIFF" || wav.get(8..12)? != b"WAVE" {
        return None;
    }
    let mut found = Vec::new();
    let mut at = 12;
    while at + 8 <= wav.len() {
        let id = &wav[at..at + 4];
        let mut size = u32::from_le_bytes(wav[at + 4..at + 8].try_into().ok()?) as usize;
        // Written as a stream, the audio's size may be left at 0: the audio is the rest of the file.
        if id == b"data" && size == 0 {
            size = wav.len() - (at + 8);
        }
        let end = (at + 8).saturating_add(size).min(wav.len());
        found.push((id, &wav[at + 8..end]));
        at = end + size % 2;
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wav_is_read_back_as_written_and_says_how_long_it_plays() {
        let samples: Vec<f32> = (0..24_000).map(|index| ((index % 100) as f32 / 100.0) - 0.5).collect();
        let wav = encode(&samples, 16_000);
        let (read, rate) = read(&wav).unwrap();
        assert_eq!((read.len(), rate), (24_000, 16_000));
        assert!(read.iter().zip(&samples).all(|(read, written)| (read - written).abs() < 1e-4));
        assert_eq!(seconds(&wav), Some(1.5));
        assert_eq!(seconds(b"RIFF\0\0\0\0WAVE"), None, "no audio");
        assert_eq!(seconds(b"not a wav"), None);
    }
}
