//! How many evaluations await review, beside the admin's link to the review queue; it follows
//! every decision taken in this tab ([`queue_changed`]) and every navigation.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api;
use crate::i18n::{t, use_i18n};

thread_local! {
    static CHANGED: RefCell<Option<ArcTrigger>> = const { RefCell::new(None) };
}

/// The trigger that fires when the queue has changed here (created on first use).
fn changed() -> ArcTrigger {
    CHANGED.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(ArcTrigger::new)
            .clone()
    })
}

/// Says that decisions changed the queue: the badge counts again.
pub fn queue_changed() {
    changed().notify();
}

/// The number of evaluations under review, as a small badge; nothing while loading, on
/// failure or when there are none.
#[component]
pub fn ReviewBadge() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let trigger = changed();
    let count = LocalResource::new(move || {
        trigger.track();
        location.pathname.track();
        api::moderation::under_review_count()
    });
    move || {
        count
            .get()
            .and_then(Result::ok)
            .filter(|n| *n > 0)
            .map(|n| {
                view! {
                    <span class="nav-badge">
                        <span aria-hidden="true">{n.to_string()}</span>
                        <span class="visually-hidden">{t!(i18n, moderation.badge, count = n)}</span>
                    </span>
                }
            })
    }
}
