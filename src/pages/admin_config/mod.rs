//! The admin's configuration screens: the dimension and service type catalogue
//! (`/admin/catalog`), service records and their import (`/admin/records`), settings
//! (`/admin/settings`), the working-day calendar (`/admin/calendar`) and the helpdesk's API
//! keys (`/admin/api-keys`); and what they share.

pub mod api_keys;
pub mod calendar;
pub mod catalog;
pub mod records;
pub mod settings;

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api::ApiError;
use crate::components::error_panel::error_message;
use crate::i18n::{Locale, t, use_i18n};

/// Which way an item moves in an ordered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// Moves the item at `index` one place up or down; `false` (and nothing changed) at an end
/// of the list or past it.
pub fn move_item<T>(items: &mut [T], index: usize, direction: Move) -> bool {
    let other = match direction {
        Move::Up => index.checked_sub(1),
        Move::Down => index.checked_add(1),
    };
    match other {
        Some(other) if index < items.len() && other < items.len() => {
            items.swap(index, other);
            true
        }
        _ => false,
    }
}

/// What a change did or why it was refused, announced on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It was done.
    Done(Message),
    /// It was refused (e.g. a 409: still in use).
    Refused(Message),
}

/// The words of an [`Outcome`].
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Archived(String),
    Restored(String),
    Saved(String),
    Deleted(String),
    OrderSaved,
    /// 409, with the server's reason.
    InUse(String),
    Failed(ApiError),
    DaySaved(String, String),
    DayRemoved(String, String),
    BulkSaved(i32, usize),
    KeyRevoked(String),
}

/// A message in the interface language.
fn message_view(i18n: I18nContext<Locale>, message: Message) -> AnyView {
    match message {
        Message::Archived(name) => t!(i18n, config.archived_named, name).into_any(),
        Message::Restored(name) => t!(i18n, config.restored_named, name).into_any(),
        Message::Saved(name) => t!(i18n, config.saved_named, name).into_any(),
        Message::Deleted(name) => t!(i18n, config.deleted_named, name).into_any(),
        Message::OrderSaved => t!(i18n, config.order_saved).into_any(),
        Message::InUse(detail) => view! { {t!(i18n, config.in_use)} " " {detail} }.into_any(),
        Message::Failed(error) => error_message(i18n, &error),
        Message::DaySaved(date, name) => t!(i18n, config.day_saved, date, name).into_any(),
        Message::DayRemoved(date, name) => t!(i18n, config.day_removed, date, name).into_any(),
        Message::BulkSaved(year, count) => t!(i18n, config.bulk_saved, year, count).into_any(),
        Message::KeyRevoked(name) => t!(i18n, config.key_revoked, name).into_any(),
    }
}

/// The announcement of the last change: polite when it worked, an alert when refused.
#[component]
pub fn OutcomeMessage(
    /// The last change, if any.
    outcome: RwSignal<Option<Outcome>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="status" class="outcome">
            {move || match outcome.get() {
                Some(Outcome::Done(message)) => {
                    Some(view! { <p class="notice notice-success">{message_view(i18n, message)}</p> })
                }
                _ => None,
            }}
        </div>
        <div role="alert" class="outcome">
            {move || match outcome.get() {
                Some(Outcome::Refused(message)) => {
                    Some(view! { <p class="notice notice-error">{message_view(i18n, message)}</p> })
                }
                _ => None,
            }}
        </div>
    }
}

/// The name of a catalogue entry in the interface language.
pub fn localized<'a>(locale: Locale, zh: &'a str, en: &'a str) -> &'a str {
    match locale {
        Locale::zh_CN => zh,
        Locale::en => en,
    }
}

/// A refused change: a 409 says it is in use, with the server's reason.
pub fn refusal(error: ApiError) -> Outcome {
    Outcome::Refused(match error {
        ApiError::Conflict(problem) => Message::InUse(problem.detail.unwrap_or(problem.title)),
        error => Message::Failed(error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn items_move_one_place_and_stop_at_the_ends() {
        let mut items = vec!['a', 'b', 'c'];
        assert!(move_item(&mut items, 1, Move::Up));
        assert_eq!(items, ['b', 'a', 'c']);
        assert!(move_item(&mut items, 1, Move::Down));
        assert_eq!(items, ['b', 'c', 'a']);
        assert!(!move_item(&mut items, 0, Move::Up));
        assert!(!move_item(&mut items, 2, Move::Down));
        assert!(!move_item(&mut items, 7, Move::Up));
        assert_eq!(items, ['b', 'c', 'a']);
    }
}
