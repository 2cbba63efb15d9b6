//! A recording as the gateway takes it: the kept part, as a 16-bit mono WAV.

use studio_core::wav::{encode, trim};
use zonos_api::AudioFormat;

#[test]
fn trimming_keeps_the_chosen_seconds_within_the_recording() {
    let samples: Vec<f32> = (0..10).map(|index| index as f32 / 10.0).collect();
    assert_eq!(trim(&samples, 10, 0.2, 0.5), &samples[2..5]);
    assert_eq!(trim(&samples, 10, -1.0, 99.0), &samples[..]);
    assert!(trim(&samples, 10, 0.6, 0.4).is_empty(), "an end before the start keeps nothing");
}

#[test]
fn the_wav_is_pcm_mono_16_bit_with_its_rate_and_clamped_samples() {
    let wav = encode(&[0.0, 0.5, -1.0, 2.0], 48_000);
    assert_eq!(AudioFormat::sniff(&wav), Some(AudioFormat::Wav));
    assert_eq!(wav.len(), 44 + 4 * 2);
    let u32_at = |at: usize| u32::from_le_bytes(wav[at..at + 4].try_into().unwrap());
    let u16_at = |at: usize| u16::from_le_bytes(wav[at..at + 2].try_into().unwrap());
    assert_eq!((u32_at(4), u16_at(20), u16_at(22), u32_at(24), u16_at(34), u32_at(40)), (44, 1, 1, 48_000, 16, 8));
    let samples: Vec<i16> = wav[44..].chunks(2).map(|pair| i16::from_le_bytes([pair[0], pair[1]])).collect();
    assert_eq!(samples, [0, 16_384, -32_767, 32_767]);
}
