//! Takes kept on the device: what today's version wrote migrates; one take that can't be read is set aside, kept as
//! written, and never costs the others; pages of the same origin merge instead of overwriting each other.

use studio_core::kept::{Kept, FORMAT};
use studio_core::take::{Phase, Take};
use zonos_api::{GenerateRequest, JobStatus};

/// What the version before this one wrote: a bare list of four takes (two, and a script in two parts; the second
/// starred and named), taken from its storage.
const VERSION_0: &str = include_str!("fixtures/takes-v0.json");

#[test]
fn the_list_an_earlier_version_wrote_is_read_and_each_take_gets_an_id() {
    let kept = Kept::read(VERSION_0);
    assert!(kept.unreadable.is_empty(), "{:?}", kept.unreadable);
    assert_eq!(kept.takes.len(), 4);
    assert_eq!(kept.takes.iter().map(|take| take.number).collect::<Vec<_>>(), [1, 2, 3, 4]);
    let starred: Vec<&Take> = kept.takes.iter().filter(|take| take.starred).collect();
    assert_eq!(starred.len(), 1);
    assert_eq!(starred[0].name.as_deref(), Some("The good one"));
    assert_eq!(kept.takes.iter().filter(|take| take.part.is_some()).count(), 2, "the script's parts");
    assert!(kept.takes.iter().all(|take| take.phase == Phase::Ended(JobStatus::Completed)));
    let ids: std::collections::HashSet<&str> = kept.takes.iter().map(|take| take.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "each its own id");
    // Read again, written, and read back: the same takes, in today's envelope.
    let written = kept.write();
    assert!(written.starts_with(&format!("{{\"version\":{FORMAT},")), "{written}");
    assert_eq!(Kept::read(&written), kept);
}

#[test]
fn one_unreadable_take_is_set_aside_as_written_and_the_others_are_read() {
    let mut list: Vec<serde_json::Value> = serde_json::from_str(VERSION_0).unwrap();
    // A request today's contract refuses (a renamed field, an out-of-range value), and a take of a later format.
    list[1]["request"]["temperature"] = 9.0.into();
    list[2]["phase"] = "Teleported".into();
    let text = serde_json::to_string(&list).unwrap();
    let kept = Kept::read(&text);
    assert_eq!(kept.takes.iter().map(|take| take.number).collect::<Vec<_>>(), [1, 4]);
    assert_eq!(kept.unreadable.len(), 2);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&kept.unreadable[0]).unwrap(), list[1], "kept as written");
    // Written back, the unreadable ones stay: the next version may read them.
    assert_eq!(Kept::read(&kept.write()).unreadable, kept.unreadable);
}

#[test]
fn what_is_not_a_list_of_takes_or_a_later_version_is_kept_whole() {
    for text in ["not json", r#"{"version": 2, "takes": [], "more": true}"#, r#"{"something": "else"}"#, "42"] {
        let kept = Kept::read(text);
        assert_eq!((kept.takes.len(), kept.unreadable.as_slice()), (0, [text.to_owned()].as_slice()), "{text}");
    }
}

fn take(id: &str, number: u32) -> Take {
    Take::new(id.to_owned(), number, GenerateRequest::with_reference("https://cdn.example/a.wav"), 0.0)
}

#[test]
fn two_pages_merge_their_takes_and_their_deletions() {
    // Each page made its own take 3; one also deleted take 1, which both had.
    let mut this_page = Kept { takes: vec![take("a", 1), take("b", 2), take("mine", 3)], ..Kept::default() };
    let mut other_page = Kept { takes: vec![take("a", 1), take("b", 2), take("theirs", 3)], ..Kept::default() };
    other_page.forget("a");
    let driven_here = |id: &str| id == "mine";
    let merged = this_page.merge(Kept::read(&other_page.write()), driven_here);
    assert_eq!(merged.added.iter().map(|take| (take.id.as_str(), take.number)).collect::<Vec<_>>(), [("theirs", 4)]);
    let ids: Vec<&str> = this_page.takes.iter().map(|take| take.id.as_str()).collect();
    assert_eq!(ids, ["b", "mine", "theirs"], "theirs added, renumbered; the deleted one gone");
    assert_eq!(this_page.forgotten, ["a"]);
    // What this page deleted doesn't come back from the other's list.
    this_page.forget("b");
    let merged = this_page.merge(Kept::read(&other_page.write()), driven_here);
    assert!(merged.added.is_empty(), "{merged:?}");
    assert!(this_page.takes.iter().all(|take| take.id != "b"));
}

#[test]
fn the_page_that_drives_a_take_tells_its_progress() {
    // The other page sends "theirs"; this page drives "mine". Each had the other's take as it was at first.
    let mut this_page = Kept { takes: vec![take("mine", 1), take("theirs", 2)], ..Kept::default() };
    let mut other_page = this_page.clone();
    other_page.takes[1].phase = Phase::Ended(JobStatus::Completed);
    other_page.takes[0].phase = Phase::Refused; // an old view of this page's take
    let merged = this_page.merge(other_page, |id| id == "mine");
    assert_eq!(merged.updated.iter().map(|take| take.id.as_str()).collect::<Vec<_>>(), ["theirs"]);
    assert_eq!(this_page.takes[1].phase, Phase::Ended(JobStatus::Completed));
    assert_eq!(this_page.takes[0].phase, Phase::Sending, "this page's own take stays as it knows it");
}
