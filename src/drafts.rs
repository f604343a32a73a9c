//! Drafts of forms whose content matters, kept in `sessionStorage` (this tab, until it
//! closes) so that a sign-in in between, a refresh or a failed request loses nothing.
//! Passwords are never kept.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The prefix of every draft's storage key.
const PREFIX: &str = "pingjia.draft.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The draft kept under `name`, if any and still readable.
pub fn load<T: DeserializeOwned>(name: &str) -> Option<T> {
    let text = storage()?.get_item(&format!("{PREFIX}{name}")).ok()??;
    serde_json::from_str(&text).ok()
}

/// Keeps `draft` under `name`. A full or disabled storage only costs the draft.
pub fn save<T: Serialize>(name: &str, draft: &T) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(draft)) {
        let _ = storage.set_item(&format!("{PREFIX}{name}"), &text);
    }
}

/// Forgets the draft kept under `name`.
pub fn clear(name: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{PREFIX}{name}"));
    }
}
