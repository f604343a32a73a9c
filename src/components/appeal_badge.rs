//! How many appeal decisions the customer has not seen yet, beside their link to their appeals;
//! for admins, how many appeals await a decision, beside the link to the appeal queue. Both
//! count again after every change made in this tab ([`appeals_changed`]) and every navigation.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api;
use crate::i18n::{t, use_i18n};

thread_local! {
    static CHANGED: RefCell<Option<ArcTrigger>> = const { RefCell::new(None) };
}

/// The trigger that fires when appeals changed here (created on first use).
fn changed() -> ArcTrigger {
    CHANGED.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(ArcTrigger::new)
            .clone()
    })
}

/// Says that appeals changed (a decision seen, an appeal filed or decided): the badges count
/// again.
pub fn appeals_changed() {
    changed().notify();
}

/// The customer's decisions not seen yet, as a small badge; nothing while loading, on failure
/// or when there are none.
#[component]
pub fn UnseenAppealsBadge() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let trigger = changed();
    let count = LocalResource::new(move || {
        trigger.track();
        location.pathname.track();
        async move { api::appeals::mine().await.map(|list| list.unseen) }
    });
    move || {
        count.get().and_then(Result::ok).filter(|n| *n > 0).map(|n| {
            view! {
                <span class="nav-badge">
                    <span aria-hidden="true">{n.to_string()}</span>
                    <span class="visually-hidden">{t!(i18n, appeals.badge_unseen, count = n)}</span>
                </span>
            }
        })
    }
}

/// The appeals awaiting a decision, as a small badge, for admins.
#[cfg(feature = "staff")]
#[component]
pub fn PendingAppealsBadge() -> impl IntoView {
    use pingjia_domain::appeals::AppealStatus;

    let i18n = use_i18n();
    let location = use_location();
    let trigger = changed();
    let count = LocalResource::new(move || {
        trigger.track();
        location.pathname.track();
        async move {
            api::appeals::queue(Some(AppealStatus::Pending), 1, 1)
                .await
                .map(|page| page.pending)
        }
    });
    move || {
        count.get().and_then(Result::ok).filter(|n| *n > 0).map(|n| {
            view! {
                <span class="nav-badge">
                    <span aria-hidden="true">{n.to_string()}</span>
                    <span class="visually-hidden">{t!(i18n, appeals.badge_pending, count = n)}</span>
                </span>
            }
        })
    }
}
