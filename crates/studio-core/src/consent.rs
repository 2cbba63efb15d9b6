//! The speaker's consent to have their voice cloned. A reference recorded here is their consent, read aloud (the
//! statement names them and the day); for an uploaded file or a pasted URL, the person attests they have the
//! speaker's permission, and names the speaker. The project's sample voices need neither. The record travels with
//! every take made in that voice; it is not a gateway field, and never sent to the gateway.

use serde::{Deserialize, Serialize};

/// The words the person ticks for a voice that was not recorded here.
pub const ATTESTATION: &str = "I have the speaker's permission to clone this voice";

/// How the consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum How {
    /// The speaker read the statement aloud, and that recording is the reference.
    Recorded,
    /// The person using the studio attested they have the speaker's permission.
    Attested,
}

/// One voice's consent record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The reference audio URL it is for.
    pub voice: String,
    pub how: How,
    /// Whose voice it is.
    pub speaker: String,
    /// The day it was given, `YYYY-MM-DD` (the page's local date).
    pub date: String,
    /// What was said: the statement read aloud, or the attestation ticked.
    pub statement: String,
    /// It came with a shared link: the sender's word, not given on this page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared: bool,
}

/// "30 November 2026" for "2026-11-30"; anything else as it is.
pub fn long_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = date.splitn(3, '-').map(str::parse::<u32>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(year)), Some(Ok(month @ 1..=12)), Some(Ok(day @ 1..=31))) => {
            format!("{day} {} {year}", MONTHS[month as usize - 1])
        }
        _ => date.to_owned(),
    }
}

/// The statement a speaker reads aloud to record their voice, naming them and the day.
pub fn statement(speaker: &str, date: &str) -> String {
    let speaker = speaker.trim();
    let speaker = if speaker.is_empty() { "(your name)" } else { speaker };
    format!(
        "I, {speaker}, agree that my voice, recorded today, {}, is cloned by Zonos Studio for this demonstration.",
        long_date(date)
    )
}

impl Consent {
    /// The consent of `speaker`, who read [`statement`] aloud into the recording now at `voice`.
    pub fn recorded(voice: &str, speaker: &str, date: &str) -> Consent {
        Consent {
            voice: voice.to_owned(),
            how: How::Recorded,
            speaker: speaker.trim().to_owned(),
            date: date.to_owned(),
            statement: statement(speaker, date),
            shared: false,
        }
    }

    /// The person's attestation that they have `speaker`'s permission to clone the voice at `voice`.
    pub fn attested(voice: &str, speaker: &str, date: &str) -> Consent {
        Consent {
            voice: voice.to_owned(),
            how: How::Attested,
            speaker: speaker.trim().to_owned(),
            date: date.to_owned(),
            statement: ATTESTATION.to_owned(),
            shared: false,
        }
    }

    /// The record in a line, as a take's card shows it.
    pub fn summary(&self) -> String {
        let (speaker, date) = (&self.speaker, long_date(&self.date));
        let from = if self.shared { " (from a shared link)" } else { "" };
        match self.how {
            How::Recorded => format!("Consent recorded by {speaker} on {date}{from}"),
            How::Attested => format!("Permission to clone {speaker}'s voice attested on {date}{from}"),
        }
    }
}

/// Why Generate can't send in this voice yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Neither recorded here nor attested.
    Permission,
    /// Attested, but whose voice it is was not said.
    Speaker,
}

impl Missing {
    pub fn message(self) -> String {
        match self {
            Missing::Permission => format!(
                "This voice is not one of the samples: tick \u{201c}{ATTESTATION}\u{201d} before Generate. Nothing was sent."
            ),
            Missing::Speaker => "Say whose voice it is, under the permission box, before Generate. Nothing was sent.".to_owned(),
        }
    }
}

/// Whether a reference needs consent: every voice but the project's samples.
pub fn needed<'a>(voice: &str, mut samples: impl Iterator<Item = &'a str>) -> bool {
    let voice = voice.trim();
    !voice.is_empty() && !samples.any(|sample| sample == voice)
}

/// The consent kept for `voice` among `kept`.
pub fn kept_for<'a>(kept: &'a [Consent], voice: &str) -> Option<&'a Consent> {
    kept.iter().find(|consent| consent.voice == voice.trim())
}

/// What a take in `voice` carries: nothing for a sample, else the consent kept for the voice, or why there is none
/// to carry.
pub fn for_voice<'a>(
    voice: &str,
    samples: impl Iterator<Item = &'a str>,
    kept: &[Consent],
) -> Result<Option<Consent>, Missing> {
    if !needed(voice, samples) {
        return Ok(None);
    }
    let consent = kept_for(kept, voice).ok_or(Missing::Permission)?;
    if consent.speaker.is_empty() {
        return Err(Missing::Speaker);
    }
    Ok(Some(consent.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: [&str; 2] = ["/voices/ada.wav", "/voices/basil.wav"];
    const UPLOADED: &str = "http://127.0.0.1:8080/api/references/ab.wav";

    #[test]
    fn the_statement_names_the_speaker_and_the_day() {
        assert_eq!(
            statement(" Ada Lovelace ", "2026-11-30"),
            "I, Ada Lovelace, agree that my voice, recorded today, 30 November 2026, is cloned by Zonos Studio for this demonstration."
        );
        assert!(
            statement("", "2026-01-02").starts_with("I, (your name), agree"),
            "a blank to fill before a name is given"
        );
        assert!(statement("Ada", "2026-01-02").contains("2 January 2026"));
        assert_eq!(long_date("someday"), "someday");
        assert_eq!(long_date("2026-13-01"), "2026-13-01");
    }

    #[test]
    fn samples_need_no_consent_every_other_voice_does() {
        assert_eq!(for_voice(" /voices/ada.wav ", SAMPLES.into_iter(), &[]), Ok(None));
        assert_eq!(for_voice(UPLOADED, SAMPLES.into_iter(), &[]), Err(Missing::Permission));
        assert!(!needed("", SAMPLES.into_iter()), "no voice yet: the form says so itself");
    }

    #[test]
    fn a_kept_consent_goes_with_its_own_voice_only() {
        let recorded = Consent::recorded(UPLOADED, "Ada", "2026-11-30");
        let kept = [recorded.clone()];
        assert_eq!(for_voice(UPLOADED, SAMPLES.into_iter(), &kept), Ok(Some(recorded.clone())));
        assert_eq!(for_voice("https://example.com/other.wav", SAMPLES.into_iter(), &kept), Err(Missing::Permission));
        assert_eq!(recorded.statement, statement("Ada", "2026-11-30"));
        assert_eq!(recorded.summary(), "Consent recorded by Ada on 30 November 2026");
    }

    #[test]
    fn an_attestation_must_say_whose_voice_it_is() {
        let unnamed = [Consent::attested(UPLOADED, "  ", "2026-11-30")];
        assert_eq!(for_voice(UPLOADED, SAMPLES.into_iter(), &unnamed), Err(Missing::Speaker));
        let named = Consent::attested(UPLOADED, "Basil", "2026-11-30");
        assert_eq!(named.statement, ATTESTATION);
        assert_eq!(named.summary(), "Permission to clone Basil's voice attested on 30 November 2026");
        assert!(Missing::Permission.message().contains(ATTESTATION));
    }

    #[test]
    fn a_record_round_trips_as_json() {
        let consent = Consent::attested(UPLOADED, "Basil", "2026-11-30");
        let json = serde_json::to_string(&consent).unwrap();
        assert_eq!(serde_json::from_str::<Consent>(&json).unwrap(), consent);
    }

    #[test]
    fn a_consent_from_a_shared_link_says_so() {
        let shared = Consent { shared: true, ..Consent::recorded(UPLOADED, "Ada", "2026-11-30") };
        assert_eq!(shared.summary(), "Consent recorded by Ada on 30 November 2026 (from a shared link)");
        let json = serde_json::to_string(&shared).unwrap();
        assert_eq!(serde_json::from_str::<Consent>(&json).unwrap(), shared);
    }
}
