//! What *Share for review* asks the proxy for: the finished takes among those shared (one take, a set of
//! variations, a long script's parts), each named as the page names it, with its text, its audio's link and its
//! voice's consent record, and for a blind round ("Real or clone?") its voice's reference. A take still running
//! or failed has no audio to share and is left out.

use zonos_api::{JobStatus, ReviewItem, ReviewRequest};

use crate::take::{Phase, Take};

/// What a take is called in a review: the person's name for it, else its variation's or script part's label,
/// else "Take N".
pub fn label_of(take: &Take) -> String {
    if let Some(name) = &take.name {
        return name.clone();
    }
    if let Some(variation) = &take.variation {
        return variation.label.clone();
    }
    match &take.part {
        Some(part) => format!("Part {} of {}", part.index + 1, part.count),
        None => format!("Take {}", take.number),
    }
}

/// How the takes of a review are heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Heard {
    Alone,
    /// Against their voice's reference, not knowing which is which.
    Blind,
}

/// The review of the finished ones of `takes`, called `title`, heard as `heard`; none if no take is finished.
pub fn review_request(title: &str, takes: &[Take], heard: Heard) -> Option<ReviewRequest> {
    let items: Vec<ReviewItem> = takes
        .iter()
        .filter(|take| take.phase == Phase::Ended(JobStatus::Completed))
        .filter_map(|take| {
            let media_url = take.output.as_ref()?.media_url.first()?.clone();
            Some(ReviewItem {
                label: label_of(take),
                text: take.request.text.clone().unwrap_or_default(),
                media_url,
                consent: take.consent.as_ref().and_then(|consent| serde_json::to_value(consent).ok()),
                reference_audio_url: (heard == Heard::Blind).then(|| take.request.reference_audio_url.clone()),
            })
        })
        .collect();
    (!items.is_empty()).then(|| ReviewRequest { title: title.to_owned(), items, days: None })
}

#[cfg(test)]
mod tests {
    use zonos_api::{GenerateRequest, Output};

    use super::*;
    use crate::take::{Part, Variation};

    fn finished(number: u32, text: &str) -> Take {
        let request = GenerateRequest { text: Some(text.into()), ..GenerateRequest::default() };
        let mut take = Take::new(format!("id-{number}"), number, request, 0.0);
        take.phase = Phase::Ended(JobStatus::Completed);
        take.output = Some(Output { media_url: vec![format!("http://h/v1/{number}/output.wav")], ..Output::default() });
        take
    }

    #[test]
    fn a_set_of_variations_is_shared_as_its_finished_takes_under_their_labels() {
        let mut takes: Vec<Take> = (1..=4).map(|number| finished(number, "Hello there.")).collect();
        for (take, seed) in takes.iter_mut().zip([11, 22, 33, 44]) {
            take.variation = Some(Variation { set: 1, label: format!("Seed {seed}") });
        }
        takes[2].phase = Phase::Ended(JobStatus::Failed);
        takes[3].name = Some("The warm one".into());
        let request = review_request("Variations 1", &takes, Heard::Alone).unwrap();
        let labels: Vec<&str> = request.items.iter().map(|item| item.label.as_str()).collect();
        assert_eq!(labels, ["Seed 11", "Seed 22", "The warm one"]);
        assert_eq!(request.items[1].media_url, "http://h/v1/2/output.wav");
        assert_eq!((request.title.as_str(), request.items[0].text.as_str()), ("Variations 1", "Hello there."));
        assert_eq!(request.items[0].reference_audio_url, None);
    }

    #[test]
    fn a_blind_round_sends_the_takes_reference_with_it() {
        let mut take = finished(3, "Is it me?");
        take.request.reference_audio_url = "http://studio/api/references/ab12.wav".into();
        let request = review_request("Real or clone?", &[take], Heard::Blind).unwrap();
        assert_eq!(request.items[0].reference_audio_url.as_deref(), Some("http://studio/api/references/ab12.wav"));
    }

    #[test]
    fn a_scripts_parts_and_a_lone_take_are_named_as_the_page_names_them() {
        let mut part = finished(5, "Second paragraph.");
        part.part = Some(Part { script: 4, index: 1, count: 3 });
        assert_eq!(label_of(&part), "Part 2 of 3");
        assert_eq!(label_of(&finished(9, "x")), "Take 9");
    }

    #[test]
    fn nothing_finished_is_nothing_to_share() {
        let mut take = finished(1, "x");
        take.phase = Phase::Ended(JobStatus::Error);
        assert_eq!(review_request("Take 1", &[take], Heard::Alone), None);
        assert_eq!(review_request("Nothing", &[], Heard::Blind), None);
    }
}
