//! The notification centre's live part, anywhere in the app for a signed-in staff member: the
//! bell in the top bar with the unread count, a toast for each new notification, and a signal
//! pages follow to refetch what a notification says has changed (a lead's callbacks).
//!
//! The state ([`NotificationCentre`]) is provided by the page frame; [`NotificationLive`] keeps
//! it current through the shared live stream ([`crate::components::live_stream`]): the
//! server's stream of notifications, or polling when it fails.

use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::events::EventType;
use pingjia_domain::notifications::{Notification, NotificationAlert};
use pingjia_domain::wire::Role;

use crate::api;
use crate::components::live_stream::{CountFrom, LiveFeed, LiveState, keep_live};
use crate::components::toasts::{ToastList, ToastRegion};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::event_name;
use crate::session::use_session;

/// The name of the stream's events.
pub const EVENT_NAME: &str = "notification";
/// The notification centre's page.
pub const NOTIFICATIONS_PATH: &str = "/notifications";

/// That notifications came: the how-manieth time, and their kind when known (a polled count or
/// a listener that fell behind does not know it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Arrival {
    pub seq: u64,
    pub kind: Option<EventType>,
}

/// The staff member's unread count, the toasts on screen and the last arrival.
#[derive(Debug, Clone, Copy)]
pub struct NotificationCentre {
    unread: RwSignal<Option<u64>>,
    toasts: ToastList<Notification>,
    arrived: RwSignal<Arrival>,
}

impl Default for NotificationCentre {
    fn default() -> Self {
        NotificationCentre {
            unread: RwSignal::new(None),
            toasts: ToastList::default(),
            arrived: RwSignal::new(Arrival::default()),
        }
    }
}

impl NotificationCentre {
    /// The unread count, once known (tracked).
    pub fn unread(self) -> Option<u64> {
        self.unread.get()
    }

    /// The server's new unread count (after marking read, or from the stream).
    pub fn set_unread(self, count: u64) {
        self.unread.set(Some(count));
    }

    /// The last arrival (tracked).
    pub fn arrived(self) -> Arrival {
        self.arrived.get()
    }

    /// Counts the arrivals that may be of one of `kinds` (tracked through the memo): what a
    /// page refetches on.
    pub fn arrivals_of(self, kinds: &'static [EventType]) -> Memo<u64> {
        Memo::new(move |before: Option<&u64>| {
            let arrival = self.arrived.get();
            if arrival.kind.is_none_or(|kind| kinds.contains(&kind)) {
                arrival.seq
            } else {
                before.copied().unwrap_or(0)
            }
        })
    }

    fn arrive(self, kind: Option<EventType>) {
        self.arrived.update(|a| {
            a.seq += 1;
            a.kind = kind;
        });
    }

    /// An event of the stream: the new count, a toast for a new notification.
    pub fn receive(self, alert: NotificationAlert) {
        self.set_unread(alert.unread);
        self.arrive(alert.notification.as_ref().map(|n| n.event_type));
        if let Some(notification) = alert.notification {
            self.toasts.show(notification);
        }
    }

    /// Forgets everything (signed out).
    fn clear(self) {
        self.unread.set(None);
        self.toasts.clear();
    }

    /// What keeps the centre live: the stream of notifications and the unread count.
    fn feed(self) -> LiveFeed {
        LiveFeed::of(
            self,
            EVENT_NAME,
            || Box::pin(api::notifications::stream_href()),
            || Box::pin(async { api::notifications::unread().await.ok() }),
        )
    }
}

impl LiveState for NotificationCentre {
    type Event = NotificationAlert;

    fn receive(self, alert: NotificationAlert) {
        NotificationCentre::receive(self, alert);
    }

    /// A polled count that grew is news of an unknown kind.
    fn counted(self, count: u64, from: CountFrom) {
        let before = self.unread.get_untracked();
        self.set_unread(count);
        if from == CountFrom::Poll && before.is_some_and(|before| count > before) {
            self.arrive(None);
        }
    }
}

/// Puts the centre into context (the page frame does, for the top bar and every page).
pub fn provide_notification_centre() -> NotificationCentre {
    let centre = NotificationCentre::default();
    provide_context(centre);
    centre
}

/// The centre, where the page frame provides it.
pub fn use_notification_centre() -> Option<NotificationCentre> {
    use_context()
}

/// Whether `role` has a notification centre: every staff role.
pub fn has_centre(role: Option<Role>) -> bool {
    role.is_some_and(|role| role != Role::Customer)
}

/// Keeps the centre current while a staff member is signed in, and shows the toasts.
#[component]
pub fn NotificationLive() -> impl IntoView {
    let session = use_session();
    let Some(centre) = use_notification_centre() else {
        return ().into_any();
    };
    keep_live(
        centre.feed(),
        move || has_centre(session.role()),
        move || centre.clear(),
    );
    view! { <NotificationToasts centre /> }.into_any()
}

/// A toast's words: the kind and what it is about.
pub fn toast_text(locale: Locale, notification: &Notification) -> String {
    td_string!(
        locale,
        notifications.toast,
        kind = event_name(locale, notification.event_type),
        subject = notification.subject.as_str()
    )
}

/// The toasts of new notifications, each with a link to its page.
#[component]
pub fn NotificationToasts(
    /// The centre.
    centre: NotificationCentre,
) -> impl IntoView {
    view! {
        <ToastRegion
            toasts=centre.toasts
            text=toast_text
            href=|n: &Notification| n.link.clone()
            link=|l| td_string!(l, notifications.toast_open)
        />
    }
}

/// The bell's accessible name: "Notifications, 3 unread", or "Notifications" at 0.
pub fn bell_label(locale: Locale, unread: Option<u64>) -> String {
    match unread.filter(|n| *n > 0) {
        Some(n) => td_string!(locale, notifications.bell_unread, count = n.to_string()),
        None => td_string!(locale, notifications.bell).to_owned(),
    }
}

/// The bell in the top bar: a link to the notification centre with the unread count.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let i18n = use_i18n();
    let centre = use_notification_centre();
    let unread = move || centre.and_then(NotificationCentre::unread);
    view! {
        <A
            href=NOTIFICATIONS_PATH
            attr:class="bell"
            attr:aria-label=move || bell_label(i18n.get_locale(), unread())
            attr:data-testid="notification-bell"
        >
            <svg class="bell-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
                <path
                    fill="currentColor"
                    d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
                />
            </svg>
            {move || {
                unread()
                    .filter(|n| *n > 0)
                    .map(|n| {
                        view! {
                            <span class="bell-badge" aria-hidden="true" data-testid="notification-count">
                                {if n > 99 { "99+".to_owned() } else { n.to_string() }}
                            </span>
                        }
                    })
            }}
        </A>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_staff_role_has_a_centre_and_customers_none() {
        for role in [Role::Agent, Role::TeamLead, Role::QaInspector, Role::Admin] {
            assert!(has_centre(Some(role)));
        }
        assert!(!has_centre(Some(Role::Customer)));
        assert!(!has_centre(None));
    }

    #[test]
    fn the_bell_says_how_many_are_unread_and_nothing_at_zero() {
        assert_eq!(bell_label(Locale::en, Some(3)), "Notifications, 3 unread");
        assert_eq!(bell_label(Locale::zh_CN, Some(3)), "通知，3 条未读");
        assert_eq!(bell_label(Locale::en, Some(0)), "Notifications");
        assert_eq!(bell_label(Locale::en, None), "Notifications");
    }
}
