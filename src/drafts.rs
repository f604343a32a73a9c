//! Drafts of forms whose content matters, so that a sign-in in between, a refresh or a failed
//! request loses nothing. Passwords are never kept.
//!
//! The functions at the top level keep a draft in `sessionStorage` (this tab, until it
//! closes); [`local`] keeps it in `localStorage` (this device, until it is sent or cleared),
//! for answers a person would be sorry to type again, such as a rating.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The prefix of every draft's storage key.
const PREFIX: &str = "pingjia.draft.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn load_from<T: DeserializeOwned>(storage: Option<web_sys::Storage>, name: &str) -> Option<T> {
    let text = storage?.get_item(&format!("{PREFIX}{name}")).ok()??;
    serde_json::from_str(&text).ok()
}

fn save_to<T: Serialize>(storage: Option<web_sys::Storage>, name: &str, draft: &T) {
    if let (Some(storage), Ok(text)) = (storage, serde_json::to_string(draft)) {
        let _ = storage.set_item(&format!("{PREFIX}{name}"), &text);
    }
}

fn clear_from(storage: Option<web_sys::Storage>, name: &str) {
    if let Some(storage) = storage {
        let _ = storage.remove_item(&format!("{PREFIX}{name}"));
    }
}

/// The draft kept under `name`, if any and still readable.
pub fn load<T: DeserializeOwned>(name: &str) -> Option<T> {
    load_from(storage(), name)
}

/// Keeps `draft` under `name`. A full or disabled storage only costs the draft.
pub fn save<T: Serialize>(name: &str, draft: &T) {
    save_to(storage(), name, draft);
}

/// Forgets the draft kept under `name`.
pub fn clear(name: &str) {
    clear_from(storage(), name);
}

/// Drafts kept in `localStorage`: they survive closing the tab and the browser.
pub mod local {
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// The draft kept under `name` on this device, if any and still readable.
    pub fn load<T: DeserializeOwned>(name: &str) -> Option<T> {
        super::load_from(storage(), name)
    }

    /// Keeps `draft` under `name` on this device. A full or disabled storage only costs the
    /// draft.
    pub fn save<T: Serialize>(name: &str, draft: &T) {
        super::save_to(storage(), name, draft);
    }

    /// Forgets the draft kept under `name` on this device.
    pub fn clear(name: &str) {
        super::clear_from(storage(), name);
    }
}
