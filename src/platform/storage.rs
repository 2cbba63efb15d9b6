//! Web storage: `sessionStorage` (this tab, until it closes) and `localStorage` (this device). Either may be
//! missing (a privacy mode): then nothing is kept, and nothing breaks.

use web_sys::Storage;

/// Where a value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// This tab, until it closes.
    Session,
    /// This device, across visits.
    Device,
}

fn storage(keep: Keep) -> Option<Storage> {
    let window = web_sys::window()?;
    match keep {
        Keep::Session => window.session_storage().ok().flatten(),
        Keep::Device => window.local_storage().ok().flatten(),
    }
}

pub fn get(keep: Keep, key: &str) -> Option<String> {
    storage(keep)?.get_item(key).ok().flatten()
}

pub fn set(keep: Keep, key: &str, value: &str) {
    if let Some(storage) = storage(keep) {
        let _ = storage.set_item(key, value);
    }
}

pub fn remove(keep: Keep, key: &str) {
    if let Some(storage) = storage(keep) {
        let _ = storage.remove_item(key);
    }
}
