//! The small counts beside navigation links: the appeal decisions a customer has not seen, the
//! appeals awaiting a decision and the evaluations awaiting review (admins). Each counts again
//! after every navigation and whenever a page here changed what it counts ([`recount`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::{self, ApiError};
use crate::i18n::{Locale, t, use_i18n};
use leptos_i18n::I18nContext;

/// What a badge counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counted {
    /// Appeals: decisions the customer has not seen, or appeals awaiting a decision.
    Appeals,
    /// Evaluations under review.
    Review,
}

thread_local! {
    static TRIGGERS: RefCell<HashMap<Counted, ArcTrigger>> = RefCell::new(HashMap::new());
}

/// The trigger of one kind of count (created on first use).
fn trigger(counted: Counted) -> ArcTrigger {
    TRIGGERS.with(|cell| cell.borrow_mut().entry(counted).or_default().clone())
}

/// Says that something counted changed here (a decision taken or seen, an appeal filed): the
/// badges of that kind count again.
pub fn recount(counted: Counted) {
    trigger(counted).notify();
}

/// A count as a small badge, its meaning in words for screen readers; nothing while loading,
/// on failure or when the count is zero.
#[component]
fn CountBadge<F, Fut>(
    /// What it counts, for [`recount`].
    counted: Counted,
    /// Asks the server for the count.
    fetch: F,
    /// The count in words.
    label: fn(I18nContext<Locale>, u64) -> AnyView,
) -> impl IntoView
where
    F: Fn() -> Fut + Copy + 'static,
    Fut: Future<Output = Result<u64, ApiError>> + 'static,
{
    let i18n = use_i18n();
    let location = use_location();
    let trigger = trigger(counted);
    let count = LocalResource::new(move || {
        trigger.track();
        location.pathname.track();
        fetch()
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
                        <span class="visually-hidden">{label(i18n, n)}</span>
                    </span>
                }
            })
    }
}

/// The customer's appeal decisions not seen yet.
#[component]
pub fn UnseenAppealsBadge() -> impl IntoView {
    view! {
        <CountBadge
            counted=Counted::Appeals
            fetch=|| async { api::appeals::mine().await.map(|list| list.unseen) }
            label=|i18n, count| t!(i18n, appeals.badge_unseen, count).into_any()
        />
    }
}

/// The appeals awaiting a decision, for admins.
#[cfg(feature = "staff")]
#[component]
pub fn PendingAppealsBadge() -> impl IntoView {
    use pingjia_domain::appeals::AppealStatus;
    view! {
        <CountBadge
            counted=Counted::Appeals
            fetch=|| async {
                api::appeals::queue(Some(AppealStatus::Pending), 1, 1).await.map(|page| page.pending)
            }
            label=|i18n, count| t!(i18n, appeals.badge_pending, count).into_any()
        />
    }
}

/// The evaluations under review, for admins.
#[cfg(feature = "staff")]
#[component]
pub fn ReviewBadge() -> impl IntoView {
    view! {
        <CountBadge
            counted=Counted::Review
            fetch=api::moderation::under_review_count
            label=|i18n, count| t!(i18n, moderation.badge, count).into_any()
        />
    }
}
