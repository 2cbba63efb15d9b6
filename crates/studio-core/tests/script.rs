//! Long scripts: cut at sentence boundaries into parts that fit, and joined again without a
//! click.

use studio_core::script::split::{chars_per_part, split};
use studio_core::script::stitch::stitch;
use studio_core::wav;

#[test]
fn a_script_is_cut_at_sentence_boundaries_into_parts_that_fit() {
    let text = "The first sentence is here. The second one follows it! And a third? Yes.\nA new line.";
    let parts = split(text, 40);
    assert_eq!(parts, ["The first sentence is here.", "The second one follows it! And a third?", "Yes. A new line."]);
    assert!(parts.iter().all(|part| part.chars().count() <= 40));
    assert_eq!(split("Short.", 40), ["Short."]);
    assert_eq!(split("Mr. Smith went to Washington.", 100), ["Mr. Smith went to Washington."]);
}

#[test]
fn a_sentence_longer_than_a_part_is_cut_between_words() {
    let parts = split("one two three four five six seven eight nine ten", 15);
    assert_eq!(parts, ["one two three", "four five six", "seven eight", "nine ten"]);
    assert_eq!(split("unbreakable", 4), ["unbr", "eaka", "ble"]);
}

#[test]
fn a_part_holds_less_than_max_tokens_of_speech() {
    assert_eq!(chars_per_part(None), 71 * 14 * 2 / 3);
    assert!(
        chars_per_part(Some(860)) < 10 * 14,
        "ten seconds of frames hold fewer characters than ten seconds of speech"
    );
    assert_eq!(chars_per_part(Some(1)), 40, "never less than a short sentence");
}

#[test]
fn parts_are_joined_with_a_crossfade_and_read_back_from_wav() {
    let joined = stitch(&[vec![1.0; 10], vec![0.0; 10]], 4);
    assert_eq!(joined.len(), 16, "the joint overlaps by the crossfade");
    assert_eq!(&joined[..6], &[1.0; 6]);
    let fade = [0.8, 0.6, 0.4, 0.2];
    for (sample, expected) in joined[6..10].iter().zip(fade) {
        assert!((sample - expected).abs() < 1e-6, "a straight fade from one part into the next: {:?}", &joined[6..10]);
    }
    assert_eq!(&joined[10..], &[0.0; 6]);

    let (samples, rate) = wav::read(&wav::encode(&[0.5, -0.25], 44_100)).unwrap();
    assert_eq!(rate, 44_100);
    assert!((samples[0] - 0.5).abs() < 1e-3 && (samples[1] + 0.25).abs() < 1e-3, "{samples:?}");
    assert_eq!(wav::read(b"not a wav"), None);
}
