//! Real or clone? A blind round: the reference voice and the clone as A and B, in an order drawn at random each
//! round, the room guesses which is real, then the answer is revealed; a score over the session. The two are
//! level-matched and cut to the same length first, so that neither gives itself away by loudness or length.

/// One of the two players.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub fn letter(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }
}

/// One round: which side is real, the room's guess, and whether the answer is out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    real: Side,
    guess: Option<Side>,
    revealed: bool,
}

impl Round {
    /// A round with the real voice on `real` (drawn at random by the caller).
    pub fn new(real: Side) -> Round {
        Round { real, guess: None, revealed: false }
    }

    /// Records the room's guess of the real voice; once revealed, the guess stands.
    pub fn guess(&mut self, side: Side) {
        if !self.revealed {
            self.guess = Some(side);
        }
    }

    /// Whether `side` plays the real voice: what the page puts in each player. Not shown until revealed.
    pub fn plays_real(&self, side: Side) -> bool {
        self.real == side
    }

    pub fn guessed(&self) -> Option<Side> {
        self.guess
    }

    pub fn is_revealed(&self) -> bool {
        self.revealed
    }

    /// Reveals the answer; true the first time only, so a round counts once in the score.
    pub fn reveal(&mut self) -> bool {
        !std::mem::replace(&mut self.revealed, true)
    }

    /// The side that is real, once revealed.
    pub fn answer(&self) -> Option<Side> {
        self.revealed.then_some(self.real)
    }

    /// "A was the real voice", once revealed.
    pub fn answer_words(&self) -> Option<String> {
        self.answer().map(|real| format!("{} was the real voice", real.letter()))
    }

    /// Whether the guess was right, once revealed and if there was one.
    pub fn guessed_right(&self) -> Option<bool> {
        self.answer().zip(self.guess).map(|(real, guess)| real == guess)
    }
}

/// The rounds of the session that had a guess when revealed, and how many of those were right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Score {
    pub right: u32,
    pub rounds: u32,
}

impl Score {
    /// Counts a round just revealed (one without a guess counts nothing).
    pub fn count(&mut self, round: &Round) {
        if let Some(right) = round.guessed_right() {
            self.rounds += 1;
            self.right += u32::from(right);
        }
    }

    /// "3 of 5 guessed right".
    pub fn words(&self) -> String {
        format!("{} of {} guessed right", self.right, self.rounds)
    }
}

/// The longest a blind clip plays: enough to judge a voice, short enough for a room.
pub const MOST_SECONDS: f64 = 12.0;
/// The loudness both clips are brought to (RMS, full scale = 1).
const TARGET_RMS: f32 = 0.1;
/// Louder than this, a clip is quietened (both together, so they stay matched).
const PEAK_CEILING: f32 = 0.98;
/// Quieter than this (relative to the loudest sample), a clip's start and end are silence, and trimmed.
const SILENCE: f32 = 0.02;
const FADE_SECONDS: f64 = 0.02;

/// `samples` without the silence before and after the sound.
fn trim_silence(samples: &[f32]) -> &[f32] {
    let loudest = samples.iter().fold(0.0_f32, |loudest, sample| loudest.max(sample.abs()));
    let heard = |sample: &f32| sample.abs() > loudest * SILENCE;
    let start = samples.iter().position(heard).unwrap_or(0);
    let end = samples.iter().rposition(heard).map_or(start, |last| last + 1);
    &samples[start..end]
}

pub fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|sample| sample * sample).sum::<f32>() / samples.len() as f32).sqrt()
}

/// The reference and the take, at one sample rate `rate`, made comparable: silence trimmed, cut to the same length
/// (the shorter's, at most [`MOST_SECONDS`]), faded in and out, and brought to the same loudness. `None` if either
/// is silent. The take is heard from its start, the reference up to its end: a reference recorded here opens with
/// the speaker's consent statement, which no take says, and would give the real voice away.
pub fn match_pair(reference: &[f32], take: &[f32], rate: u32) -> Option<(Vec<f32>, Vec<f32>)> {
    let (reference, take) = (trim_silence(reference), trim_silence(take));
    let length = reference.len().min(take.len()).min((MOST_SECONDS * f64::from(rate)) as usize);
    let reference = &reference[reference.len() - length..];
    let fade = ((FADE_SECONDS * f64::from(rate)) as usize).min(length / 2);
    let mut clips = [reference, take].map(|clip| {
        let mut clip = clip[..length].to_vec();
        for index in 0..fade {
            let gain = index as f32 / fade as f32;
            clip[index] *= gain;
            clip[length - 1 - index] *= gain;
        }
        clip
    });
    let levels = clips.each_ref().map(|clip| rms(clip));
    if levels.iter().any(|level| *level <= f32::EPSILON) {
        return None;
    }
    let gains = levels.map(|level| TARGET_RMS / level);
    let peak = clips
        .iter()
        .zip(gains)
        .map(|(clip, gain)| clip.iter().fold(0.0_f32, |peak, sample| peak.max(sample.abs())) * gain)
        .fold(0.0_f32, f32::max);
    let ceiling = if peak > PEAK_CEILING { PEAK_CEILING / peak } else { 1.0 };
    for (clip, gain) in clips.iter_mut().zip(gains) {
        clip.iter_mut().for_each(|sample| *sample *= gain * ceiling);
    }
    let [reference, take] = clips;
    Some((reference, take))
}

/// `samples` at `from` Hz, brought to `to` Hz, so that a reference and a take play at one rate and neither file's
/// header tells them apart. Each new sample is the mean of the old ones its span covers (a box filter against
/// aliasing when the rate falls), read between samples linearly when it rises.
pub fn resampled(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let step = f64::from(from) / f64::from(to);
    let length = (samples.len() as f64 / step).floor() as usize;
    let at = |position: f64| {
        let index = (position.floor() as usize).min(samples.len() - 1);
        let next = (index + 1).min(samples.len() - 1);
        let within = (position - index as f64) as f32;
        samples[index] * (1.0 - within) + samples[next] * within
    };
    (0..length)
        .map(|new| {
            let start = new as f64 * step;
            if step <= 1.0 {
                return at(start);
            }
            let span = &samples[start as usize..((start + step) as usize).clamp(start as usize + 1, samples.len())];
            span.iter().sum::<f32>() / span.len() as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f64, amplitude: f32, rate: u32) -> Vec<f32> {
        (0..(seconds * f64::from(rate)) as usize)
            .map(|index| amplitude * (index as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin())
            .collect()
    }

    fn decibels(level: f32) -> f32 {
        20.0 * level.log10()
    }

    #[test]
    fn a_clip_resampled_lasts_as_long_and_keeps_its_tone_and_level() {
        let reference = tone(1.0, 0.5, 44_100);
        let at_take_rate = resampled(&reference, 44_100, 24_000);
        assert_eq!(at_take_rate.len(), 24_000, "the same second");
        let expected = tone(1.0, 0.5, 24_000);
        let differs = at_take_rate.iter().zip(&expected).map(|(a, b)| (a - b).abs()).fold(0.0_f32, f32::max);
        assert!(differs < 0.03, "a 440 Hz tone stays one: {differs}");
        assert!((decibels(rms(&at_take_rate)) - decibels(rms(&reference))).abs() < 0.1);
        let up = resampled(&tone(1.0, 0.5, 16_000), 16_000, 24_000);
        assert_eq!(up.len(), 24_000);
        assert!((decibels(rms(&up)) - decibels(rms(&expected))).abs() < 0.1);
        assert_eq!(resampled(&[0.1, 0.2], 24_000, 24_000), [0.1, 0.2]);
    }

    #[test]
    fn a_round_reveals_the_real_voice_and_is_counted_once() {
        let mut score = Score::default();
        let mut round = Round::new(Side::B);
        assert_eq!(round.answer_words(), None);
        round.guess(Side::A);
        round.guess(Side::B);
        assert!(round.reveal());
        score.count(&round);
        assert!(!round.reveal(), "a second reveal is not a new one");
        round.guess(Side::A);
        assert_eq!(round.guessed(), Some(Side::B), "a revealed guess stands");
        assert_eq!(round.answer_words().as_deref(), Some("B was the real voice"));
        assert_eq!(round.guessed_right(), Some(true));

        let mut wrong = Round::new(Side::A);
        wrong.guess(Side::B);
        wrong.reveal();
        score.count(&wrong);
        assert_eq!(wrong.answer_words().as_deref(), Some("A was the real voice"));
        let mut unguessed = Round::new(Side::A);
        unguessed.reveal();
        score.count(&unguessed);
        assert_eq!(score.words(), "1 of 2 guessed right");
    }

    #[test]
    fn the_pair_is_level_matched_and_the_same_length() {
        let rate = 16_000;
        let mut quiet_reference = vec![0.0; rate as usize];
        quiet_reference.extend(tone(3.0, 0.05, rate));
        let loud_take = tone(2.0, 0.6, rate);
        let (reference, take) = match_pair(&quiet_reference, &loud_take, rate).unwrap();
        assert_eq!(reference.len(), take.len());
        // The leading second of silence is gone: the clips are the take's two seconds (less its first and last
        // near-silent samples, within a period of the tone).
        assert!((2 * rate as usize - reference.len()) < (rate / 440) as usize, "{} samples", reference.len());
        assert!((decibels(rms(&reference)) - decibels(rms(&take))).abs() < 0.5);
        assert!(reference.iter().chain(&take).all(|sample| sample.abs() <= PEAK_CEILING + 1e-6));
        assert_eq!(reference[0], 0.0, "faded in");
        assert_eq!(*take.last().unwrap(), 0.0, "faded out");
    }

    #[test]
    fn long_clips_are_cut_and_peaks_stay_in_range() {
        let rate = 8_000;
        // A spiky take: brought to the target loudness, its peaks would clip; both are lowered together.
        let mut spiky = tone(20.0, 0.01, rate);
        for sample in spiky.iter_mut().step_by(400) {
            *sample = 1.0;
        }
        let (reference, take) = match_pair(&tone(30.0, 0.3, rate), &spiky, rate).unwrap();
        assert_eq!(reference.len(), (MOST_SECONDS * f64::from(rate)) as usize);
        assert!(take.iter().all(|sample| sample.abs() <= PEAK_CEILING + 1e-6));
        assert!((decibels(rms(&reference)) - decibels(rms(&take))).abs() < 0.5);
    }

    #[test]
    fn the_reference_is_heard_up_to_its_end_past_a_consent_statement() {
        let rate = 8_000;
        let pitched = |hertz: f32, seconds: usize| -> Vec<f32> {
            (0..seconds * rate as usize)
                .map(|index| 0.5 * (index as f32 * hertz * std::f32::consts::TAU / rate as f32).sin())
                .collect()
        };
        // Two seconds of one pitch (the statement), then one of another (the speaker's own words).
        let reference = [pitched(100.0, 2), pitched(1_000.0, 1)].concat();
        let (clip, _) = match_pair(&reference, &pitched(300.0, 1), rate).unwrap();
        let crossings = clip.windows(2).filter(|pair| (pair[0] < 0.0) != (pair[1] < 0.0)).count();
        assert!(crossings > 1_800, "the last second, at 1000 Hz, not the first, at 100 Hz: {crossings} crossings");
    }

    #[test]
    fn silence_cannot_be_matched() {
        assert_eq!(match_pair(&[0.0; 800], &tone(1.0, 0.5, 8_000), 8_000), None);
        assert_eq!(match_pair(&tone(1.0, 0.5, 8_000), &[], 8_000), None);
    }
}
