//! A review's answers and their tally. A listener may give a take 1–5 stars, a comment of at most 500 characters,
//! and in a blind round a guess of which side is real; each (listener, take) is counted once, the last answer
//! standing. The tally is what the presenter sees: listeners, the mean of the stars and their spread, the comments,
//! "7 of 12 guessed right". The answers also go out as a spreadsheet's rows, which must not run as formulas. Plain
//! logic: the server keeps the answers, the app shows the tally.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::blind::{Score, Side};

/// The longest comment kept, in characters (not bytes: a comment in any script is as long).
pub const MOST_COMMENT_CHARS: usize = 500;

/// What one listener says of one take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub stars: Option<u8>,
    pub comment: Option<String>,
    /// In a blind round: the side the listener takes for the real voice.
    pub guess: Option<Side>,
    /// In a blind round: the real side was shown to this listener, so their guess stands.
    #[serde(default)]
    pub revealed: bool,
}

/// Why an answer is refused, in the words the listener's page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    Stars(u8),
    CommentTooLong(usize),
    /// A guess or a reveal of a take heard alone.
    NotBlind,
    /// A reveal asked before any guess.
    RevealBeforeGuess,
    /// Another guess after the reveal.
    GuessStands,
}

impl std::fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerProblem::Stars(stars) => write!(f, "Give 1 to 5 stars, not {stars}."),
            AnswerProblem::CommentTooLong(chars) => {
                write!(f, "A comment may be {MOST_COMMENT_CHARS} characters long; this one has {chars}.")
            }
            AnswerProblem::NotBlind => write!(f, "Only a blind round takes a guess."),
            AnswerProblem::RevealBeforeGuess => write!(f, "Guess which side is real before the reveal."),
            AnswerProblem::GuessStands => write!(f, "Your guess stands: the real side was revealed to you."),
        }
    }
}

impl Answer {
    /// The answer as kept: stars within 1–5, the comment trimmed, without control characters but line ends, and
    /// within [`MOST_COMMENT_CHARS`] (an empty one is none).
    pub fn checked(stars: Option<u8>, comment: Option<&str>, guess: Option<Side>) -> Result<Answer, AnswerProblem> {
        if let Some(stars) = stars.filter(|stars| !(1..=5).contains(stars)) {
            return Err(AnswerProblem::Stars(stars));
        }
        let comment = comment
            .map(|comment| comment.chars().filter(|c| *c == '\n' || !c.is_control()).collect::<String>())
            .map(|comment| comment.trim().to_owned())
            .filter(|comment| !comment.is_empty());
        if let Some(chars) = comment.as_ref().map(|comment| comment.chars().count()) {
            if chars > MOST_COMMENT_CHARS {
                return Err(AnswerProblem::CommentTooLong(chars));
            }
        }
        Ok(Answer { stars, comment, guess, revealed: false })
    }

    /// This answer, given after `before` (the listener's last of the same take, if any) of a take heard `blind`
    /// or alone, asking for the reveal or not: only a blind round takes a guess; a reveal needs a guess; once
    /// revealed, the guess stands and the reveal stays.
    pub fn after(mut self, before: Option<&Answer>, blind: bool, reveal: bool) -> Result<Answer, AnswerProblem> {
        if !blind && (self.guess.is_some() || reveal) {
            return Err(AnswerProblem::NotBlind);
        }
        if reveal && self.guess.is_none() {
            return Err(AnswerProblem::RevealBeforeGuess);
        }
        let revealed = before.is_some_and(|before| before.revealed);
        if revealed && before.and_then(|before| before.guess) != self.guess {
            return Err(AnswerProblem::GuessStands);
        }
        self.revealed = revealed || reveal;
        Ok(self)
    }

    /// Whether it says anything: a listener who said nothing of a take is not counted for it.
    fn says_something(&self) -> bool {
        self.stars.is_some() || self.comment.is_some() || self.guess.is_some()
    }
}

/// A listener's id, as their phone draws it once and keeps it: 32 lowercase hexadecimal digits.
pub fn is_listener_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

/// An answer as kept: whose, of which take (by its place in the review), and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub listener: String,
    pub item: usize,
    pub answer: Answer,
}

/// What the presenter sees of one take.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemTally {
    /// Listeners who said anything of it.
    pub listeners: u32,
    /// How many gave 1, 2, 3, 4 and 5 stars.
    pub stars: [u32; 5],
    pub comments: Vec<String>,
    /// In a blind round: the guesses made, and how many were right.
    pub blind: Option<Score>,
}

impl ItemTally {
    /// "2 listeners · 4.5 stars (1★ 0 · 2★ 0 · 3★ 0 · 4★ 1 · 5★ 1)", as the presenter reads it.
    /// In a blind round: "3 listeners · 2 of 3 guessed right".
    pub fn summary(&self) -> String {
        let listeners = listeners(self.listeners);
        if let Some(score) = self.blind {
            return format!("{listeners} · {}", score.words());
        }
        let spread: Vec<String> =
            self.stars.iter().zip(1..).map(|(count, stars)| format!("{stars}★ {count}")).collect();
        match self.mean() {
            Some(mean) => format!("{listeners} · {mean:.1} stars ({})", spread.join(" · ")),
            None => format!("{listeners} · no stars yet"),
        }
    }

    /// The mean of the stars given, if any were.
    pub fn mean(&self) -> Option<f64> {
        let given: u32 = self.stars.iter().sum();
        let total: u32 = self.stars.iter().zip(1..).map(|(count, stars)| count * stars).sum();
        (given > 0).then(|| f64::from(total) / f64::from(given))
    }
}

/// "1 listener", "3 listeners".
pub fn listeners(count: u32) -> String {
    if count == 1 {
        "1 listener".to_owned()
    } else {
        format!("{count} listeners")
    }
}

/// The whole review's tally.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Listeners who said anything of any take.
    pub listeners: u32,
    pub items: Vec<ItemTally>,
}

impl Tally {
    /// The tally of `given` over a review whose takes have, in a blind round, their real side in `real` (one entry
    /// a take; `None` for a take heard alone). An answer given twice for one take counts once: the last.
    pub fn of(real: &[Option<Side>], given: &[Given]) -> Tally {
        let last = last_answers(real.len(), given);
        let mut items: Vec<ItemTally> = real
            .iter()
            .map(|real| ItemTally { blind: real.map(|_| Score::default()), ..ItemTally::default() })
            .collect();
        let mut listeners = BTreeSet::new();
        for ((item, listener), answer) in last.into_iter().filter(|(_, answer)| answer.says_something()) {
            listeners.insert(listener);
            let tally = &mut items[item];
            tally.listeners += 1;
            if let Some(stars) = answer.stars {
                tally.stars[usize::from(stars.clamp(1, 5) - 1)] += 1;
            }
            tally.comments.extend(answer.comment.clone());
            if let (Some(score), Some(real), Some(guess)) = (tally.blind.as_mut(), real[item], answer.guess) {
                score.rounds += 1;
                score.right += u32::from(guess == real);
            }
        }
        Tally { listeners: listeners.len() as u32, items }
    }
}

/// The tally as its maker's page reads it, and whether the review is closed (its link no longer plays).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TallyState {
    pub closed: bool,
    pub tally: Tally,
}

/// Each listener's last answer of each of a review's `items` takes, by take and listener.
fn last_answers(items: usize, given: &[Given]) -> BTreeMap<(usize, &str), &Answer> {
    let mut last = BTreeMap::new();
    for answer in given.iter().filter(|given| given.item < items) {
        last.insert((answer.item, answer.listener.as_str()), &answer.answer);
    }
    last
}

/// The columns of a review's answers as a spreadsheet.
pub const ANSWER_COLUMNS: [&str; 6] = ["take", "listener", "stars", "comment", "guess", "right"];

/// A review's answers as a spreadsheet's rows ([`ANSWER_COLUMNS`]), take by take, each listener's last answer:
/// the take's label (`labels`, one a take), the listener's id, the stars, the comment, and in a blind round the
/// side guessed real and whether it was. Every cell is [`spreadsheet_safe`].
pub fn answer_rows(labels: &[String], real: &[Option<Side>], given: &[Given]) -> Vec<[String; 6]> {
    let row = |((item, listener), answer): ((usize, &str), &Answer)| {
        let guess = answer.guess.map(Side::letter).unwrap_or_default();
        let right = match (real.get(item).copied().flatten(), answer.guess) {
            (Some(real), Some(guess)) => {
                if real == guess {
                    "yes"
                } else {
                    "no"
                }
            }
            _ => "",
        };
        let stars = answer.stars.map(|stars| stars.to_string()).unwrap_or_default();
        let comment = answer.comment.clone().unwrap_or_default();
        [labels[item].clone(), listener.to_owned(), stars, comment, guess.to_owned(), right.to_owned()]
            .map(|cell| spreadsheet_safe(&cell))
    };
    last_answers(labels.len(), given).into_iter().filter(|(_, answer)| answer.says_something()).map(row).collect()
}

/// `text` as a spreadsheet cell that shows it and never runs it: a cell starting like a formula gets a `'` first.
pub fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(listener: &str, item: usize, stars: Option<u8>, comment: Option<&str>, guess: Option<Side>) -> Given {
        Given { listener: listener.into(), item, answer: Answer::checked(stars, comment, guess).unwrap() }
    }

    #[test]
    fn stars_are_one_to_five_and_a_comment_is_trimmed_cleaned_and_bounded_in_characters() {
        assert_eq!(Answer::checked(Some(0), None, None), Err(AnswerProblem::Stars(0)));
        assert_eq!(Answer::checked(Some(6), None, None), Err(AnswerProblem::Stars(6)));
        let answer = Answer::checked(Some(5), Some("  Warm,\u{7}\nclear.\u{200b} "), None).unwrap();
        assert_eq!(answer.comment.as_deref(), Some("Warm,\nclear.\u{200b}"), "a bell goes; a line end stays");
        assert_eq!(Answer::checked(None, Some(" \n "), None).unwrap().comment, None);
        let longest = "é".repeat(MOST_COMMENT_CHARS);
        assert!(Answer::checked(None, Some(&longest), None).is_ok(), "500 characters of two bytes each");
        let refused = Answer::checked(None, Some(&format!("{longest}é")), None).unwrap_err();
        assert_eq!(refused.to_string(), "A comment may be 500 characters long; this one has 501.");
    }

    #[test]
    fn only_a_blind_round_takes_a_guess_which_stands_once_revealed() {
        let guess = |side| Answer::checked(None, None, Some(side)).unwrap();
        assert_eq!(guess(Side::A).after(None, false, false), Err(AnswerProblem::NotBlind));
        assert_eq!(Answer::default().after(None, true, true), Err(AnswerProblem::RevealBeforeGuess));
        let changed = guess(Side::B).after(Some(&guess(Side::A)), true, false).unwrap();
        assert_eq!((changed.guess, changed.revealed), (Some(Side::B), false), "changed before the reveal");
        let revealed = guess(Side::B).after(Some(&changed), true, true).unwrap();
        assert!(revealed.revealed);
        assert_eq!(guess(Side::A).after(Some(&revealed), true, false), Err(AnswerProblem::GuessStands));
        let commented = Answer::checked(None, Some("Uncanny."), Some(Side::B)).unwrap();
        assert!(commented.after(Some(&revealed), true, false).unwrap().revealed, "a comment after keeps the reveal");
        assert_eq!(AnswerProblem::GuessStands.to_string(), "Your guess stands: the real side was revealed to you.");
    }

    #[test]
    fn a_listener_id_is_32_lowercase_hex_digits() {
        assert!(is_listener_id("0123456789abcdef0123456789abcdef"));
        for id in ["0123456789ABCDEF0123456789abcdef", "0123456789abcdef", "0123456789abcdef0123456789abcdeg", ""] {
            assert!(!is_listener_id(id), "{id}");
        }
    }

    #[test]
    fn each_listener_counts_once_a_take_with_their_last_answer() {
        let answers = [
            given("aa", 0, Some(2), None, None),
            given("aa", 0, Some(5), Some("Better on a second listen."), None),
            given("bb", 0, Some(4), None, None),
            given("cc", 0, Some(3), Some("Too fast."), None),
            given("cc", 1, Some(1), None, None),
            // Said nothing of the take: not a listener of it.
            given("dd", 1, None, None, None),
            // A take the review doesn't have.
            given("ee", 7, Some(5), None, None),
        ];
        let tally = Tally::of(&[None, None], &answers);
        assert_eq!(tally.listeners, 3);
        let first = &tally.items[0];
        assert_eq!((first.listeners, first.stars), (3, [0, 0, 1, 1, 1]));
        assert_eq!(first.mean(), Some(4.0));
        assert_eq!(first.comments, ["Better on a second listen.", "Too fast."]);
        assert_eq!((tally.items[1].listeners, tally.items[1].mean()), (1, Some(1.0)));
        assert_eq!(first.blind, None);
        assert_eq!(Tally::of(&[None], &[]).items[0].mean(), None, "no stars, no mean");
    }

    #[test]
    fn a_takes_tally_is_said_in_a_line() {
        let item = ItemTally { listeners: 2, stars: [0, 0, 0, 1, 1], ..ItemTally::default() };
        assert_eq!(item.summary(), "2 listeners · 4.5 stars (1★ 0 · 2★ 0 · 3★ 0 · 4★ 1 · 5★ 1)");
        assert_eq!(ItemTally { listeners: 1, ..ItemTally::default() }.summary(), "1 listener · no stars yet");
    }

    #[test]
    fn a_blind_round_counts_the_guesses_right() {
        let answers = [
            given("aa", 0, None, None, Some(Side::B)),
            given("bb", 0, Some(4), None, Some(Side::A)),
            given("cc", 0, None, None, Some(Side::B)),
            given("cc", 1, None, Some("Which one?"), None),
        ];
        let tally = Tally::of(&[Some(Side::B), Some(Side::A)], &answers);
        assert_eq!(tally.items[0].blind.map(|score| score.words()), Some("2 of 3 guessed right".into()));
        assert_eq!(tally.items[0].summary(), "3 listeners · 2 of 3 guessed right");
        assert_eq!(tally.items[1].blind.map(|score| score.words()), Some("0 of 0 guessed right".into()));
        assert_eq!(tally.items[1].listeners, 1, "a comment without a guess counts a listener");
    }

    #[test]
    fn the_answers_go_out_as_rows_each_listeners_last_with_formulas_neutralized() {
        let answers = [
            given("aa", 0, Some(2), None, None),
            given("aa", 0, Some(5), Some("=1+1"), None),
            given("bb", 1, None, None, Some(Side::A)),
            given("cc", 1, Some(3), Some("Close call."), Some(Side::B)),
            given("dd", 0, None, None, None),
        ];
        let labels = ["Seed 11".to_owned(), "Real or clone?".to_owned()];
        let rows = answer_rows(&labels, &[None, Some(Side::B)], &answers);
        let row = |cells: [&str; 6]| cells.map(str::to_owned);
        assert_eq!(
            rows,
            [
                row(["Seed 11", "aa", "5", "'=1+1", "", ""]),
                row(["Real or clone?", "bb", "", "", "A", "no"]),
                row(["Real or clone?", "cc", "3", "Close call.", "B", "yes"]),
            ]
        );
    }

    #[test]
    fn a_cell_that_would_run_as_a_formula_is_shown_as_text() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        for text in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_safe(text).starts_with('\''), "{text:?}");
        }
        assert_eq!(spreadsheet_safe("Warm and clear"), "Warm and clear");
        assert_eq!(spreadsheet_safe(""), "");
    }
}
