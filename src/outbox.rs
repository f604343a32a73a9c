//! The outbox: evaluations submitted on this device that the server has not confirmed yet.
//!
//! Submitting writes an entry to `localStorage` first (its idempotency key, the body, when it
//! was created and how often it was sent), then one sender sends it. The entry leaves the
//! outbox when the server has answered for good: received (201, or the same answer replayed),
//! already rated (409 `already_rated`) or refused (422, another 409...). Network failures,
//! 429, 5xx (a busy database's 503 among them) and 409 `idempotency_in_flight` keep it and it
//! is sent again later, never sooner than the server's `Retry-After`, with
//! exponential backoff and at once when the browser comes back online; a 401 keeps it until
//! the customer signs in again. After a reload, [`resume`] sends what is left, with its stored
//! key and body: the key is what makes sure the server records one evaluation.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use pingjia_domain::evaluations::{Evaluation, NewEvaluation};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::api::{self, ApiError};
use crate::drafts;

/// The prefix of each user's outbox in `localStorage` (followed by the user id).
pub const STORAGE_PREFIX: &str = "pingjia.outbox.";

/// The first wait before sending again, in milliseconds; it doubles after each failure.
pub const FIRST_DELAY_MS: u32 = 1_000;

/// The longest wait between two attempts, in milliseconds.
pub const MAX_DELAY_MS: u32 = 60_000;

/// The problem code of a 409 whose record has an evaluation already.
pub const ALREADY_RATED: &str = "already_rated";

/// An evaluation waiting to be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The `Idempotency-Key` it is always sent with.
    pub key: String,
    /// What is sent, exactly.
    pub body: NewEvaluation,
    pub created_at: DateTime<Utc>,
    /// How many times it was sent.
    pub attempts: u32,
    /// The rating link it is sent through (`POST /rating-links/{token}/evaluation`), when the
    /// customer came by a link and is not signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The outbox of a rating link's holder, who is not signed in: one per record, apart from
/// every user's (user ids are positive).
pub fn link_outbox(record_id: i64) -> i64 {
    -record_id
}

/// The name of the draft of the rating of `record_id` by `user_id` (see
/// [`drafts::local`]).
pub fn draft_name(user_id: i64, record_id: i64) -> String {
    format!("rating.{user_id}.{record_id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn storage_key(user_id: i64) -> String {
    format!("{STORAGE_PREFIX}{user_id}")
}

/// The entries of `user_id` waiting on this device, oldest first.
pub fn entries(user_id: i64) -> Vec<Entry> {
    storage()
        .and_then(|s| s.get_item(&storage_key(user_id)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn store(user_id: i64, entries: &[Entry]) {
    let Some(storage) = storage() else { return };
    let key = storage_key(user_id);
    let _ = if entries.is_empty() {
        storage.remove_item(&key)
    } else {
        match serde_json::to_string(entries) {
            Ok(text) => storage.set_item(&key, &text),
            Err(_) => Ok(()),
        }
    };
    state().changed.update(|n| *n += 1);
}

/// The entry of `user_id` for `record_id`, if one is waiting.
pub fn pending(user_id: i64, record_id: i64) -> Option<Entry> {
    entries(user_id)
        .into_iter()
        .find(|e| e.body.service_record_id == record_id)
}

/// Puts `body` into the outbox of `user_id` with a new idempotency key and returns the entry.
/// While an entry for the same record is waiting, that one is returned instead, unchanged: a
/// second submission of a record is the first one sent again, with the same key and body.
pub fn enqueue(user_id: i64, body: NewEvaluation, now: DateTime<Utc>) -> Entry {
    enqueue_via(user_id, body, None, now)
}

/// [`enqueue`], sent through the rating link `link` when given.
fn enqueue_via(
    user_id: i64,
    body: NewEvaluation,
    link: Option<String>,
    now: DateTime<Utc>,
) -> Entry {
    let mut all = entries(user_id);
    if let Some(existing) = all
        .iter()
        .find(|e| e.body.service_record_id == body.service_record_id)
    {
        return existing.clone();
    }
    let entry = Entry {
        key: new_key(),
        body,
        created_at: now,
        attempts: 0,
        link,
    };
    all.push(entry.clone());
    store(user_id, &all);
    entry
}

/// Takes the entry with `key` out of the outbox of `user_id`.
pub fn remove(user_id: i64, key: &str) {
    let mut all = entries(user_id);
    let before = all.len();
    all.retain(|e| e.key != key);
    if all.len() != before {
        store(user_id, &all);
    }
}

/// Counts one more attempt of the entry with `key`; returns the new count.
fn count_attempt(user_id: i64, key: &str) -> u32 {
    let mut all = entries(user_id);
    let mut count = 0;
    if let Some(entry) = all.iter_mut().find(|e| e.key == key) {
        entry.attempts += 1;
        count = entry.attempts;
    }
    store(user_id, &all);
    count
}

/// A new idempotency key: `crypto.randomUUID()` where the page may use it (a secure
/// context), else 32 hex digits from `crypto.getRandomValues`.
pub fn new_key() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    let Some(crypto) = crypto else {
        return fallback_key();
    };
    let has_uuid = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID"))
        .is_ok_and(|f| f.is_function());
    if has_uuid {
        return crypto.random_uuid();
    }
    let mut bytes = [0u8; 16];
    if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    } else {
        fallback_key()
    }
}

/// A key from `Math.random` and the clock, for a browser without `crypto`.
fn fallback_key() -> String {
    let random = (0..4)
        .map(|_| {
            format!(
                "{:08x}",
                (js_sys::Math::random() * f64::from(u32::MAX)) as u32
            )
        })
        .collect::<String>();
    format!("{random}{:x}", js_sys::Date::now() as u64)
}

/// How long to wait before sending again after `failures` failed attempts (at least one):
/// 1 s, doubling up to 60 s, spread by ±20 % with `jitter` (0 to 1, random) so that many
/// devices do not come back at once; never sooner than the server's `Retry-After`.
pub fn backoff_ms(failures: u32, jitter: f64, retry_after_secs: Option<u32>) -> u32 {
    let doublings = failures.saturating_sub(1).min(6);
    let base = (FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS);
    let spread = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    let delay = ((f64::from(base) * spread) as u32).min(MAX_DELAY_MS);
    let asked = retry_after_secs.map_or(0, |s| s.saturating_mul(1_000));
    delay.max(asked)
}

/// What a failed attempt means for its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Keep it and send it again later, not before `retry_after_secs` when the server said.
    Retry { retry_after_secs: Option<u32> },
    /// Keep it, and wait until the customer has signed in again (401).
    Hold,
    /// The record has an evaluation already: drop the entry; `number` is that evaluation's.
    AlreadyRated { number: Option<String> },
    /// The server refused it for good (422, a closed rating window...): drop the entry, keep
    /// the draft and show why.
    Refused,
}

/// Classifies an attempt's error.
pub fn classify(error: &ApiError) -> Disposition {
    match error {
        ApiError::Network(_) => Disposition::Retry {
            retry_after_secs: None,
        },
        // A 503 `database_busy` says when to come back; other 5xx may.
        ApiError::Server { .. } | ApiError::RateLimited { .. } | ApiError::InProgress { .. } => {
            Disposition::Retry {
                retry_after_secs: error.retry_after_secs(),
            }
        }
        ApiError::Unauthorized => Disposition::Hold,
        ApiError::Conflict(problem) if problem.code.as_deref() == Some(ALREADY_RATED) => {
            Disposition::AlreadyRated {
                number: problem.reference.clone(),
            }
        }
        _ => Disposition::Refused,
    }
}

/// What became of an entry the server answered for good.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Received: the evaluation as the server recorded it.
    Sent(Evaluation),
    /// The record had been rated already; the existing evaluation's number.
    AlreadyRated(Option<String>),
    /// Refused; the draft is kept.
    Refused(ApiError),
}

/// Where an entry stands, for the form and the banners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// Being sent now.
    Sending,
    /// Kept on this device, to be sent again.
    Saved,
}

/// The outbox's reactive side, shared by every page.
#[derive(Clone)]
struct State {
    /// Bumped on every change of the stored entries.
    changed: ArcRwSignal<u64>,
    /// The keys being sent now.
    sending: ArcRwSignal<BTreeSet<String>>,
    /// What became of the entries answered for good, by record id, until a page takes it.
    outcomes: ArcRwSignal<BTreeMap<i64, Outcome>>,
    /// Bumped whenever an entry is answered for good.
    answered: ArcRwSignal<u64>,
}

/// The sender's bookkeeping.
#[derive(Default)]
struct Sender {
    /// Whose outbox is being sent.
    user_id: Option<i64>,
    /// Changes with the user, so that a loop for another user stops.
    generation: u64,
    running: bool,
    /// Waiting for the customer to sign in again.
    held: bool,
    /// When each key may be sent again (`Date.now()` milliseconds).
    due: HashMap<String, f64>,
    /// Resolves the sender's current wait.
    wake: Option<js_sys::Function>,
    listening: bool,
}

thread_local! {
    static STATE: State = State {
        changed: ArcRwSignal::new(0),
        sending: ArcRwSignal::new(BTreeSet::new()),
        outcomes: ArcRwSignal::new(BTreeMap::new()),
        answered: ArcRwSignal::new(0),
    };
    static SENDER: RefCell<Sender> = RefCell::new(Sender::default());
}

fn state() -> State {
    STATE.with(Clone::clone)
}

/// How many entries of `user_id` wait on this device (tracked).
pub fn waiting_count(user_id: i64) -> usize {
    state().changed.track();
    entries(user_id).len()
}

/// Where the entry of `record_id` stands, if one waits (tracked).
pub fn status(user_id: i64, record_id: i64) -> Option<Pending> {
    let state = state();
    state.changed.track();
    let entry = pending(user_id, record_id)?;
    // Not sent yet is about to be.
    if entry.attempts == 0 || state.sending.with(|s| s.contains(&entry.key)) {
        Some(Pending::Sending)
    } else {
        Some(Pending::Saved)
    }
}

/// What became of the entry of `record_id`, once the server has answered for good and until
/// a page takes it (tracked).
pub fn outcome(record_id: i64) -> Option<Outcome> {
    state().outcomes.with(|o| o.get(&record_id).cloned())
}

/// Takes what became of the entry of `record_id`, if the server has answered for good.
pub fn take_outcome(record_id: i64) -> Option<Outcome> {
    let state = state();
    if !state
        .outcomes
        .with_untracked(|o| o.contains_key(&record_id))
    {
        return None;
    }
    let mut taken = None;
    state.outcomes.update(|o| taken = o.remove(&record_id));
    taken
}

/// Takes the outcome that led to the evaluation `number` (just sent, or found to exist
/// already), if any.
pub fn take_outcome_of(number: &str) -> Option<Outcome> {
    let record = state().outcomes.with_untracked(|o| {
        o.iter()
            .find(|(_, outcome)| match outcome {
                Outcome::Sent(evaluation) => evaluation.number == number,
                Outcome::AlreadyRated(existing) => existing.as_deref() == Some(number),
                Outcome::Refused(_) => false,
            })
            .map(|(record, _)| *record)
    })?;
    take_outcome(record)
}

/// Tracks the answers for good, so that a list of records refreshes after each.
pub fn track_answers() {
    state().answered.track();
}

/// Puts `body` in the outbox (see [`enqueue`]) and sends it now.
pub fn submit(user_id: i64, body: NewEvaluation) -> Entry {
    submit_via(user_id, body, None)
}

/// [`submit`] through the rating link `link` when given (the outbox of [`link_outbox`]).
pub fn submit_via(user_id: i64, body: NewEvaluation, link: Option<String>) -> Entry {
    let entry = enqueue_via(user_id, body, link, Utc::now());
    SENDER.with_borrow_mut(|s| s.due.remove(&entry.key));
    resume(user_id);
    entry
}

/// Starts sending the outbox of `user_id` (after a reload, a sign-in, or a new entry); does
/// nothing more when it is being sent already but wake the sender up.
pub fn resume(user_id: i64) {
    listen_for_online();
    let start = SENDER.with_borrow_mut(|s| {
        s.held = false;
        if s.user_id != Some(user_id) {
            s.user_id = Some(user_id);
            s.generation += 1;
            s.due.clear();
            s.running = false;
        }
        if s.running {
            None
        } else {
            s.running = true;
            Some(s.generation)
        }
    });
    match start {
        Some(generation) => spawn_local(run(user_id, generation)),
        None => wake(),
    }
}

/// Ends the wait of the sender, if it is waiting.
fn wake() {
    if let Some(resolve) = SENDER.with_borrow_mut(|s| s.wake.take()) {
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// Sends everything due at once when the browser comes back online.
fn listen_for_online() {
    if SENDER.with_borrow(|s| s.listening) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_online = Closure::<dyn Fn()>::new(|| {
        let user = SENDER.with_borrow_mut(|s| {
            s.due.clear();
            s.user_id.filter(|_| !s.held)
        });
        if let Some(user_id) = user {
            resume(user_id);
        }
    });
    if window
        .add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref())
        .is_ok()
    {
        // Listens for as long as the page lives.
        on_online.forget();
        SENDER.with_borrow_mut(|s| s.listening = true);
    }
}

/// Waits `millis`, or until [`wake`].
async fn nap(millis: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                millis.min(f64::from(MAX_DELAY_MS)) as i32,
            );
        }
        SENDER.with_borrow_mut(|s| s.wake = Some(resolve));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    SENDER.with_borrow_mut(|s| s.wake = None);
}

/// The sender: sends each due entry, then waits for the next one to be due, until the outbox
/// is empty, the customer must sign in again or another user's outbox is being sent.
async fn run(user_id: i64, generation: u64) {
    let current = || SENDER.with_borrow(|s| s.generation == generation && !s.held);
    let due = |key: &str| SENDER.with_borrow(|s| s.due.get(key).copied().unwrap_or(0.0));
    while current() {
        let now = js_sys::Date::now();
        for entry in entries(user_id) {
            if !current() {
                break;
            }
            if due(&entry.key) <= now {
                attempt(user_id, entry).await;
            }
        }
        let next = entries(user_id)
            .iter()
            .map(|e| due(&e.key))
            .min_by(f64::total_cmp);
        match next {
            None => break,
            Some(at) => {
                let wait = at - js_sys::Date::now();
                if wait > 0.0 && current() {
                    nap(wait).await;
                }
            }
        }
    }
    SENDER.with_borrow_mut(|s| {
        if s.generation == generation {
            s.running = false;
        }
    });
}

/// Sends one entry and settles it by the answer.
async fn attempt(user_id: i64, entry: Entry) {
    let state = state();
    let record_id = entry.body.service_record_id;
    state.sending.update(|s| {
        s.insert(entry.key.clone());
    });
    let attempts = count_attempt(user_id, &entry.key);
    let result = match &entry.link {
        Some(token) => api::links::submit(token, &entry.key, &entry.body).await,
        None => api::evaluations::submit(&entry.key, &entry.body).await,
    };
    state.sending.update(|s| {
        s.remove(&entry.key);
    });
    // Even an entry that should have left waits before it is sent again, in case the storage
    // would not let it go.
    let wait = backoff_ms(
        attempts.max(1),
        js_sys::Math::random(),
        result.as_ref().err().and_then(ApiError::retry_after_secs),
    );
    SENDER.with_borrow_mut(|s| {
        s.due
            .insert(entry.key.clone(), js_sys::Date::now() + f64::from(wait))
    });
    let outcome = match result {
        Ok(evaluation) => {
            finish(user_id, &entry);
            Some(Outcome::Sent(evaluation))
        }
        Err(error) => match classify(&error) {
            Disposition::Retry { .. } => None,
            Disposition::Hold => {
                SENDER.with_borrow_mut(|s| s.held = true);
                None
            }
            Disposition::AlreadyRated { number } => {
                finish(user_id, &entry);
                Some(Outcome::AlreadyRated(number))
            }
            Disposition::Refused => {
                remove(user_id, &entry.key);
                Some(Outcome::Refused(error))
            }
        },
    };
    if let Some(outcome) = outcome {
        state.outcomes.update(|o| {
            o.insert(record_id, outcome);
        });
        state.answered.update(|n| *n += 1);
    }
}

/// The server has the record's evaluation: the entry and the draft go.
fn finish(user_id: i64, entry: &Entry) {
    remove(user_id, &entry.key);
    drafts::local::clear(&draft_name(user_id, entry.body.service_record_id));
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingjia_domain::Problem;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn errors_are_classified() {
        let retry = |after| Disposition::Retry {
            retry_after_secs: after,
        };
        assert_eq!(classify(&ApiError::Network("offline".into())), retry(None));
        assert_eq!(
            classify(&ApiError::Server {
                status: 500,
                problem: None,
                retry_after_secs: None,
            }),
            retry(None)
        );
        assert_eq!(
            classify(&ApiError::Server {
                status: 503,
                problem: Some(Problem::new(503, "Service Unavailable").with_code("database_busy")),
                retry_after_secs: Some(1),
            }),
            retry(Some(1))
        );
        assert_eq!(
            classify(&ApiError::RateLimited {
                retry_after_secs: Some(9)
            }),
            retry(Some(9))
        );
        assert_eq!(
            classify(&ApiError::InProgress {
                problem: Problem::new(409, "Conflict").with_code(crate::api::IN_FLIGHT),
                retry_after_secs: Some(1),
            }),
            retry(Some(1))
        );
        assert_eq!(classify(&ApiError::Unauthorized), Disposition::Hold);
        assert_eq!(
            classify(&ApiError::Conflict(
                Problem::new(409, "Conflict")
                    .with_code(ALREADY_RATED)
                    .with_reference("PJ20261122-000123")
            )),
            Disposition::AlreadyRated {
                number: Some("PJ20261122-000123".into())
            }
        );
        for refused in [
            ApiError::Conflict(Problem::new(409, "Conflict").with_code("rating_window_closed")),
            ApiError::Conflict(Problem::new(409, "Conflict").with_code("service_not_ended")),
            ApiError::Validation(Problem::new(422, "Unprocessable Content")),
            ApiError::Validation(
                Problem::new(422, "Unprocessable Content").with_code("idempotency_key_reused"),
            ),
            ApiError::Forbidden,
            ApiError::Unexpected {
                status: 400,
                problem: None,
            },
        ] {
            assert_eq!(classify(&refused), Disposition::Refused, "{refused:?}");
        }
    }
}
