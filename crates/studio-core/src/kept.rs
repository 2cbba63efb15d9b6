//! The takes as kept on the device, in one storage item that every page of the origin shares. Read take by take:
//! one that can't be read (written by a later version, or whose request today's contract refuses) is set aside as
//! written and kept, never the others lost with it. Versioned: the list an earlier version wrote is read too.
//! Merged: a page writing its takes keeps those another page kept meanwhile, and the deletions it made.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::take::Take;

/// The version of what is written; version 0 was a bare list of takes.
pub const FORMAT: u32 = 1;
/// How many deletions are remembered, so that another page does not bring a deleted take back.
const FORGOTTEN_KEPT: usize = 500;

/// What the storage item holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kept {
    pub takes: Vec<Take>,
    /// What could not be read as a take, as it was written: kept, and said so.
    pub unreadable: Vec<String>,
    /// The ids of takes the person deleted.
    pub forgotten: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    version: u32,
    takes: Vec<Value>,
    #[serde(default)]
    unreadable: Vec<String>,
    #[serde(default)]
    forgotten: Vec<String>,
}

impl Kept {
    /// What a storage item holds, whichever version wrote it. Nothing in it is ever dropped: what can't be read is
    /// kept in `unreadable`.
    pub fn read(text: &str) -> Kept {
        let whole_unreadable = || Kept { unreadable: vec![text.to_owned()], ..Kept::default() };
        let (items, unreadable, forgotten) = match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => (items, Vec::new(), Vec::new()),
            Ok(value @ Value::Object(_)) => match serde_json::from_value::<Envelope>(value) {
                Ok(envelope) if envelope.version == FORMAT => (envelope.takes, envelope.unreadable, envelope.forgotten),
                // A later version's, or not ours: kept whole, as written.
                _ => return whole_unreadable(),
            },
            _ => return whole_unreadable(),
        };
        let mut kept = Kept { unreadable, forgotten, ..Kept::default() };
        for item in items {
            match serde_json::from_value::<Take>(item.clone()) {
                Ok(take) => kept.takes.push(with_an_id(take)),
                Err(_) => kept.unreadable.push(item.to_string()),
            }
        }
        kept
    }

    /// The storage item's text.
    pub fn write(&self) -> String {
        let takes = self.takes.iter().map(|take| serde_json::to_value(take).expect("a take serializes")).collect();
        let envelope =
            Envelope { version: FORMAT, takes, unreadable: self.unreadable.clone(), forgotten: self.forgotten.clone() };
        serde_json::to_string(&envelope).expect("JSON serializes")
    }

    /// Notes that the person deleted `id`: no page brings it back.
    pub fn forget(&mut self, id: &str) {
        self.takes.retain(|take| take.id != id);
        if !self.forgotten.iter().any(|forgotten| forgotten == id) {
            self.forgotten.push(id.to_owned());
        }
        let over = self.forgotten.len().saturating_sub(FORGOTTEN_KEPT);
        self.forgotten.drain(..over);
    }

    /// What another page kept (`theirs`), merged into this page's: their takes this page doesn't have (unless it
    /// deleted them), without this page's takes they deleted, their deletions and unreadable entries too. A take
    /// both have is as this page has it if this page drives it (sends or follows it: `driven_here`), else as theirs:
    /// the page that drives a take tells its progress.
    pub fn merge(&mut self, theirs: Kept, driven_here: impl Fn(&str) -> bool) -> Merged {
        let deleted_there: HashSet<&str> = theirs.forgotten.iter().map(String::as_str).collect();
        self.takes.retain(|take| driven_here(&take.id) || !deleted_there.contains(take.id.as_str()));
        for id in &theirs.forgotten {
            if !self.forgotten.contains(id) {
                self.forgotten.push(id.clone());
            }
        }
        for entry in theirs.unreadable {
            if !self.unreadable.contains(&entry) {
                self.unreadable.push(entry);
            }
        }
        let mut merged = Merged::default();
        for mut take in theirs.takes {
            if self.forgotten.contains(&take.id) {
                continue;
            }
            if let Some(ours) = self.takes.iter_mut().find(|ours| ours.id == take.id) {
                if !driven_here(&take.id) && *ours != take {
                    // Their number for it may differ from ours: the one this page shows stays.
                    take.number = ours.number;
                    *ours = take.clone();
                    merged.updated.push(take);
                }
                continue;
            }
            if self.takes.iter().any(|ours| ours.number == take.number) {
                take.number = self.takes.iter().map(|ours| ours.number).max().unwrap_or(0) + 1;
            }
            self.takes.push(take.clone());
            merged.added.push(take);
        }
        merged
    }
}

/// What a merge changed in this page's takes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    /// Takes this page did not have, renumbered where their number was taken here.
    pub added: Vec<Take>,
    /// Takes another page drives, as it last told them.
    pub updated: Vec<Take>,
}

/// A take kept by a version that gave takes no id gets one from what it was: its number and when it was sent.
fn with_an_id(mut take: Take) -> Take {
    if take.id.is_empty() {
        take.id = format!("kept-{}-{}", take.number, take.sent_ms as u64);
    }
    take
}
