//! Properties of scripts and WAV that hold for any input: parts fit and lose no word, joining keeps the length
//! less the crossfades, and a WAV reads back what was written.

use proptest::prelude::*;
use studio_core::script::split::split;
use studio_core::script::stitch::stitch;
use studio_core::wav;

proptest! {
    #[test]
    fn parts_fit_and_keep_every_word(text in "[a-zA-Zé ,.!?\n]{0,600}", max_chars in 40usize..200) {
        let parts = split(&text, max_chars);
        prop_assert!(parts.iter().all(|part| part.chars().count() <= max_chars && !part.trim().is_empty()));
        let words = |text: &str| text.split_whitespace().map(str::to_owned).collect::<Vec<_>>().concat();
        prop_assert_eq!(words(&parts.join(" ")), words(&text));
    }

    #[test]
    fn joining_keeps_the_length_less_the_crossfades(
        parts in proptest::collection::vec(proptest::collection::vec(-1.0f32..1.0, 0..300), 0..6),
        fade in 0usize..50,
    ) {
        let joined = stitch(&parts, fade);
        let mut expected = 0usize;
        for part in &parts {
            expected += part.len() - fade.min(expected).min(part.len());
        }
        prop_assert_eq!(joined.len(), expected);
        prop_assert!(joined.iter().all(|sample| (-1.0..=1.0).contains(sample)));
    }

    #[test]
    fn a_wav_reads_back_what_was_written(samples in proptest::collection::vec(-1.0f32..=1.0, 0..2000), rate in 8_000u32..192_000) {
        let (read, read_rate) = wav::read(&wav::encode(&samples, rate)).unwrap();
        prop_assert_eq!(read_rate, rate);
        prop_assert_eq!(read.len(), samples.len());
        for (read, written) in read.iter().zip(&samples) {
            prop_assert!((read - written).abs() <= 1.0 / 16_000.0, "{} for {}", read, written);
        }
    }
}
