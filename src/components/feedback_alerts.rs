//! Live alerts of new evaluations for a signed-in agent, anywhere in the app: the unread count
//! beside their "my evaluations" link and a toast for each new evaluation.
//!
//! The count and the toasts are a small piece of context state ([`FeedbackAlerts`], provided
//! by the page frame). [`FeedbackLive`] keeps it current while an agent is signed in: it asks
//! for the unread count, then listens to the server's event stream (`EventSource`, which
//! reconnects by itself); when the stream fails repeatedly, or the browser has none, it polls
//! the count every 30 seconds instead. It stops on sign-out and when unmounted. Read state
//! lives on the server: the pages that mark evaluations read hand the new count here.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use pingjia_domain::feedback::FeedbackAlert;
use pingjia_domain::wire::Role;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{EventSource, EventSourceInit, MessageEvent};

use crate::api;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;
use crate::session::use_session;

/// How long a toast stays unless the pointer or the focus is on it.
pub const TOAST_DURATION: Duration = Duration::from_secs(8);
/// How often the fallback asks for the unread count.
pub const POLL_INTERVAL: Duration = Duration::from_secs(30);
/// Stream errors in a row after which polling takes over.
pub const MAX_STREAM_ERRORS: u32 = 3;
/// The name of the stream's events.
pub const EVENT_NAME: &str = "evaluation";
/// Where a toast leads: the unread evaluations.
pub const UNREAD_HREF: &str = "/agent/feedback?unread=true";

/// One toast: a new evaluation (its number and scores), or, from polling, new unread ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub id: u64,
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
    toasts: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Default for FeedbackAlerts {
    fn default() -> Self {
        FeedbackAlerts {
            unread: RwSignal::new(None),
            toasts: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
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

    /// The toasts on screen, oldest first (tracked).
    pub fn toasts(self) -> Vec<Toast> {
        self.toasts.get()
    }

    /// An event of the stream: the new count, and a toast for a new evaluation.
    pub fn receive(self, alert: FeedbackAlert) {
        self.set_unread(alert.unread);
        if alert.number.is_some() {
            self.show(Toast {
                id: 0,
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
            self.show(Toast {
                id: 0,
                number: None,
                overall: None,
                total_score: None,
                unread: count,
            });
        }
    }

    /// Shows a toast and hides it after a while.
    fn show(self, mut toast: Toast) {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        toast.id = id;
        self.toasts.update(|all| all.push(toast));
        self.expire_later(id);
    }

    fn expire_later(self, id: u64) {
        set_timeout(move || self.expire(id), TOAST_DURATION);
    }

    /// Hides a toast whose time is up, unless the pointer or the focus is on it (then later).
    fn expire(self, id: u64) {
        let held = document()
            .query_selector(&format!("[data-toast='{id}']"))
            .ok()
            .flatten()
            .is_some_and(|el| el.matches(":hover, :focus-within").unwrap_or(false));
        if held {
            self.expire_later(id);
        } else {
            self.dismiss(id);
        }
    }

    /// Hides a toast.
    pub fn dismiss(self, id: u64) {
        self.toasts.try_update(|all| all.retain(|t| t.id != id));
    }

    /// Forgets everything (signed out).
    fn clear(self) {
        self.unread.set(None);
        self.toasts.update(Vec::clear);
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

/// What to do after an error of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterError {
    /// Let the browser reconnect.
    Reconnect,
    /// Give the stream up and poll.
    Poll,
}

/// After `errors_in_a_row` errors with the stream in `ready_state`: a stream the browser has
/// closed for good (an error answer) or one failing again and again gives way to polling.
pub fn after_error(errors_in_a_row: u32, ready_state: u16) -> AfterError {
    if ready_state == EventSource::CLOSED || errors_in_a_row >= MAX_STREAM_ERRORS {
        AfterError::Poll
    } else {
        AfterError::Reconnect
    }
}

/// An open stream with its handlers; closed when dropped.
struct Stream {
    source: EventSource,
    _on_event: Closure<dyn FnMut(MessageEvent)>,
    _on_open: Closure<dyn FnMut()>,
    _on_error: Closure<dyn FnMut()>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// The polling fallback; stops when dropped.
struct Polling(IntervalHandle);

impl Drop for Polling {
    fn drop(&mut self) {
        self.0.clear();
    }
}

/// How the alerts are being kept current.
enum Live {
    Idle,
    Starting,
    /// Held for its `Drop`, which closes the stream.
    Streaming {
        _stream: Stream,
    },
    /// Held for its `Drop`, which stops the polling.
    Polling {
        _interval: Polling,
    },
}

/// The connection of a signed-in agent.
#[derive(Clone, Copy)]
struct Connection {
    alerts: FeedbackAlerts,
    live: StoredValue<Live, LocalStorage>,
    /// Bumped by every start and stop, so a late answer of an older start changes nothing.
    generation: StoredValue<u64>,
}

impl Connection {
    fn running(self) -> bool {
        self.live.with_value(|l| !matches!(l, Live::Idle))
    }

    fn stop(self) {
        self.generation.try_update_value(|g| *g += 1);
        // Dropping the stream or the interval closes it.
        self.live.try_set_value(Live::Idle);
    }

    fn start(self) {
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        self.live.set_value(Live::Starting);
        spawn_local(async move {
            // The stream first, so that nothing submitted while the count loads is missed.
            let url = api::feedback::stream_href().await;
            if !self.current(generation) {
                return;
            }
            match self.open_stream(&url, generation) {
                Ok(stream) => self.live.set_value(Live::Streaming { _stream: stream }),
                Err(_) => {
                    self.poll(generation);
                    return;
                }
            }
            if let Ok(alert) = api::feedback::unread().await
                && self.current(generation)
            {
                self.alerts.set_unread(alert.unread);
            }
        });
    }

    fn current(self, generation: u64) -> bool {
        !self.live.is_disposed() && self.generation.get_value() == generation
    }

    fn open_stream(self, url: &str, generation: u64) -> Result<Stream, JsValue> {
        let init = EventSourceInit::new();
        init.set_with_credentials(true);
        let source = EventSource::new_with_event_source_init_dict(url, &init)?;
        let errors = Rc::new(Cell::new(0u32));
        let alerts = self.alerts;
        let on_event = {
            let errors = Rc::clone(&errors);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                errors.set(0);
                let alert = event
                    .data()
                    .as_string()
                    .and_then(|data| serde_json::from_str::<FeedbackAlert>(&data).ok());
                if let Some(alert) = alert {
                    alerts.receive(alert);
                }
            })
        };
        source.add_event_listener_with_callback(EVENT_NAME, on_event.as_ref().unchecked_ref())?;
        let on_open = {
            let errors = Rc::clone(&errors);
            Closure::<dyn FnMut()>::new(move || errors.set(0))
        };
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let on_error = {
            let source = source.clone();
            Closure::<dyn FnMut()>::new(move || {
                errors.set(errors.get() + 1);
                if after_error(errors.get(), source.ready_state()) == AfterError::Poll {
                    // Not from inside the handler, which giving the stream up drops.
                    set_timeout(
                        move || {
                            if self.current(generation) {
                                self.poll(generation);
                            }
                        },
                        Duration::ZERO,
                    );
                }
            })
        };
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Stream {
            source,
            _on_event: on_event,
            _on_open: on_open,
            _on_error: on_error,
        })
    }

    fn poll(self, generation: u64) {
        let alerts = self.alerts;
        let ask = move || {
            spawn_local(async move {
                if let Ok(alert) = api::feedback::unread().await
                    && self.current(generation)
                {
                    alerts.polled(alert.unread);
                }
            });
        };
        match set_interval_with_handle(ask, POLL_INTERVAL) {
            Ok(handle) => {
                self.live.set_value(Live::Polling {
                    _interval: Polling(handle),
                });
                ask();
            }
            Err(_) => self.live.set_value(Live::Idle),
        }
    }
}

/// Keeps the alerts current while an agent is signed in, and shows the toasts.
#[component]
pub fn FeedbackLive() -> impl IntoView {
    let session = use_session();
    let Some(alerts) = use_feedback_alerts() else {
        return ().into_any();
    };
    let connection = Connection {
        alerts,
        live: StoredValue::new_local(Live::Idle),
        generation: StoredValue::new(0),
    };
    Effect::new(move || {
        let agent = session.role() == Some(Role::Agent);
        if agent && !connection.running() {
            connection.start();
        } else if !agent && connection.running() {
            connection.stop();
            alerts.clear();
        }
    });
    on_cleanup(move || connection.stop());
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
    let i18n = use_i18n();
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            <For each=move || alerts.toasts() key=|toast| toast.id let:toast>
                {
                    let id = toast.id;
                    let text_id = format!("toast-{id}-text");
                    view! {
                        <div class="toast" data-toast=id.to_string()>
                            <p id=text_id.clone() class="toast-text">
                                {move || toast_text(i18n.get_locale(), &toast)}
                            </p>
                            <div class="toast-actions">
                                <A href=UNREAD_HREF attr:class="toast-link" on:click=move |_| alerts.dismiss(id)>
                                    {tr(i18n, |l| td_string!(l, feedback.toast_open))}
                                </A>
                                <button
                                    type="button"
                                    class="button button-secondary button-small"
                                    aria-describedby=text_id
                                    on:click=move |_| alerts.dismiss(id)
                                >
                                    {tr(i18n, |l| td_string!(l, feedback.toast_dismiss))}
                                </button>
                            </div>
                        </div>
                    }
                }
            </For>
        </div>
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

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_closed_or_repeatedly_failing_stream_gives_way_to_polling() {
        assert_eq!(
            after_error(1, EventSource::CONNECTING),
            AfterError::Reconnect
        );
        assert_eq!(
            after_error(2, EventSource::CONNECTING),
            AfterError::Reconnect
        );
        assert_eq!(after_error(3, EventSource::CONNECTING), AfterError::Poll);
        assert_eq!(after_error(1, EventSource::CLOSED), AfterError::Poll);
    }
}
