//! Live alerts of new evaluations for a signed-in agent, anywhere in the app: the unread count
//! beside their "my evaluations" link and a toast for each new evaluation.
//!
//! The count and the toasts are a small piece of context state ([`FeedbackAlerts`], provided
//! by the page frame). [`FeedbackLive`] keeps it current while an agent is signed in, through
//! the shared live stream ([`crate::components::live_stream`]): the server's stream of new
//! evaluations, or polling when it fails. Read state lives on the server: the pages that mark
//! evaluations read hand the new count here.

use leptos::prelude::*;
use pingjia_domain::feedback::FeedbackAlert;
use pingjia_domain::wire::Role;

use crate::api;
use crate::components::live_stream::{CountFrom, LiveFeed, LiveState, keep_live};
use crate::components::toasts::{ToastList, ToastRegion};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::session::use_session;

/// The name of the stream's events.
pub const EVENT_NAME: &str = "evaluation";
/// Where a toast leads: the unread evaluations.
pub const UNREAD_HREF: &str = "/agent/feedback?unread=true";

/// One toast: a new evaluation (its number and scores), or, from polling, new unread ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub number: Option<String>,
    pub overall: Option<u8>,
    pub total_score: Option<f64>,
    /// The unread count when it came.
    pub unread: u64,
}

/// The agent's unread count and the toasts on screen.
#[derive(Debug, Clone, Copy)]
pub struct FeedbackAlerts {
    unread: RwSignal<Option<u64>>,
    /// How many new evaluations arrived (from the stream, or a poll's count that grew).
    arrivals: RwSignal<u64>,
    toasts: ToastList<Toast>,
}

impl Default for FeedbackAlerts {
    fn default() -> Self {
        FeedbackAlerts {
            unread: RwSignal::new(None),
            arrivals: RwSignal::new(0),
            toasts: ToastList::default(),
        }
    }
}

impl FeedbackAlerts {
    /// The unread count, once known (tracked).
    pub fn unread(self) -> Option<u64> {
        self.unread.get()
    }

    /// The server's new unread count (after marking read, or from the stream).
    pub fn set_unread(self, count: u64) {
        self.unread.set(Some(count));
    }

    /// How many new evaluations arrived while the app was open (tracked): what a list of the
    /// agent's evaluations loads again on, so it shows them.
    pub fn arrivals(self) -> u64 {
        self.arrivals.get()
    }

    /// An event of the stream: the new count, and a toast for a new evaluation.
    pub fn receive(self, alert: FeedbackAlert) {
        self.set_unread(alert.unread);
        if alert.number.is_some() {
            self.arrivals.update(|n| *n += 1);
            self.toasts.show(Toast {
                number: alert.number,
                overall: alert.overall,
                total_score: alert.total_score,
                unread: alert.unread,
            });
        }
    }

    /// A count from polling: a toast when it grew.
    pub fn polled(self, count: u64) {
        let before = self.unread.get_untracked();
        self.set_unread(count);
        if before.is_some_and(|before| count > before) {
            self.arrivals.update(|n| *n += 1);
            self.toasts.show(Toast {
                number: None,
                overall: None,
                total_score: None,
                unread: count,
            });
        }
    }

    /// Forgets everything (signed out).
    fn clear(self) {
        self.unread.set(None);
        self.toasts.clear();
    }

    /// What keeps these alerts live: the stream of new evaluations and the unread count.
    fn feed(self) -> LiveFeed {
        LiveFeed::of(
            self,
            EVENT_NAME,
            || Box::pin(api::feedback::stream_href()),
            || Box::pin(async { api::feedback::unread().await.ok().map(|a| a.unread) }),
        )
    }
}

impl LiveState for FeedbackAlerts {
    type Event = FeedbackAlert;

    fn receive(self, alert: FeedbackAlert) {
        FeedbackAlerts::receive(self, alert);
    }

    fn counted(self, count: u64, from: CountFrom) {
        match from {
            CountFrom::First => self.set_unread(count),
            CountFrom::Poll => self.polled(count),
        }
    }
}

/// Puts the alert state into context (the page frame does, for the top bar and every page).
pub fn provide_feedback_alerts() -> FeedbackAlerts {
    let alerts = FeedbackAlerts::default();
    provide_context(alerts);
    alerts
}

/// The alert state, where the page frame provides it.
pub fn use_feedback_alerts() -> Option<FeedbackAlerts> {
    use_context()
}

/// Keeps the alerts current while an agent is signed in, and shows the toasts.
#[component]
pub fn FeedbackLive() -> impl IntoView {
    let session = use_session();
    let Some(alerts) = use_feedback_alerts() else {
        return ().into_any();
    };
    keep_live(
        alerts.feed(),
        move || session.role() == Some(Role::Agent),
        move || alerts.clear(),
    );
    view! { <FeedbackToasts alerts /> }.into_any()
}

/// A toast's words.
fn toast_text(locale: Locale, toast: &Toast) -> String {
    use crate::format::score_text;
    match (&toast.number, toast.overall) {
        (Some(number), Some(overall)) => td_string!(
            locale,
            feedback.toast_new,
            number = number,
            overall = overall.to_string(),
            total = score_text(toast.total_score)
        ),
        (Some(number), None) => td_string!(locale, feedback.toast_new_plain, number = number),
        (None, _) => td_string!(
            locale,
            feedback.toast_unread,
            count = toast.unread.to_string()
        ),
    }
}

/// The toasts: a polite status region, each toast with a link to the unread evaluations and a
/// button to dismiss it.
#[component]
pub fn FeedbackToasts(
    /// The alert state.
    alerts: FeedbackAlerts,
) -> impl IntoView {
    view! {
        <ToastRegion
            toasts=alerts.toasts
            text=toast_text
            href=|_| UNREAD_HREF.to_owned()
            link=|l| td_string!(l, feedback.toast_open)
        />
    }
}

/// The agent's unread count beside their "my evaluations" link; nothing while unknown or zero.
#[component]
pub fn UnreadFeedbackBadge() -> impl IntoView {
    let i18n = use_i18n();
    let alerts = use_feedback_alerts();
    move || {
        alerts
            .and_then(FeedbackAlerts::unread)
            .filter(|n| *n > 0)
            .map(|n| {
                view! {
                    <span class="nav-badge" data-testid="unread-feedback-badge">
                        <span aria-hidden="true">{n.to_string()}</span>
                        <span class="visually-hidden">
                            {move || {
                                td_string!(i18n.get_locale(), feedback.badge_unread, count = n.to_string())
                            }}
                        </span>
                    </span>
                }
            })
    }
}
