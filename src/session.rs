//! Who is signed in: a small piece of context state, loaded once at start-up from
//! `GET /auth/me`, set by signing in and cleared by signing out or by any request that answers
//! 401 (the session ended on the server). Also where each role lives in the app and which
//! return addresses a login accepts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pingjia_domain::auth::Me;
use pingjia_domain::wire::Role;

use crate::api::{self, ApiError};

/// Where the sign-in page lives.
pub const LOGIN_PATH: &str = "/login";

/// What the app knows about the session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// `GET /auth/me` has not answered yet.
    Checking,
    /// Someone is signed in.
    SignedIn(Me),
    /// Nobody is signed in, and why.
    SignedOut(SignedOut),
    /// `GET /auth/me` failed for another reason than 401 (e.g. the server is unreachable).
    Unknown(ApiError),
}

/// Why nobody is signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedOut {
    /// Nobody signed in during this visit.
    NotYet,
    /// The server ended the session (expired, revoked): the user is asked to sign in again.
    Expired,
    /// The user signed out.
    Left,
}

/// The session in context: copy it freely.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
}

impl Session {
    /// The current state (tracked).
    pub fn state(self) -> SessionState {
        self.state.get()
    }

    /// The signed-in user, if any (tracked).
    pub fn me(self) -> Option<Me> {
        self.state.with(|state| match state {
            SessionState::SignedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// The signed-in user's role, if any (tracked).
    pub fn role(self) -> Option<Role> {
        self.state.with(|state| match state {
            SessionState::SignedIn(me) => Some(me.role),
            _ => None,
        })
    }

    /// Asks the server who is signed in (at start-up, or to try again after a failure).
    pub fn check(self) {
        self.state.set(SessionState::Checking);
        spawn_local(async move {
            let answer = match api::auth::me().await {
                Ok(me) => SessionState::SignedIn(me),
                Err(ApiError::Unauthorized) => SessionState::SignedOut(SignedOut::NotYet),
                Err(error) => SessionState::Unknown(error),
            };
            // A login that finished first knows better than this older answer.
            self.state.update(|state| {
                if *state == SessionState::Checking {
                    *state = answer;
                }
            });
        });
    }

    /// Records a successful login.
    pub fn signed_in(self, me: Me) {
        self.state.set(SessionState::SignedIn(me));
    }

    /// Records that the user signed out.
    pub fn left(self) {
        self.state.set(SessionState::SignedOut(SignedOut::Left));
    }

    /// Records that the server ended the session (a request answered 401).
    pub fn expired(self) {
        self.state.update(|state| {
            if matches!(state, SessionState::SignedIn(_)) {
                *state = SessionState::SignedOut(SignedOut::Expired);
            }
        });
    }
}

/// Puts the session into context, starts asking the server who is signed in, and makes every
/// request that answers 401 end it.
pub fn provide_session() -> Session {
    let session = Session {
        state: RwSignal::new(SessionState::Checking),
    };
    provide_context(session);
    api::on_session_lost(move || session.expired());
    session.check();
    session
}

/// The session provided by [`provide_session`].
pub fn use_session() -> Session {
    expect_context()
}

/// Where each role starts: its home page.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Customer => "/customer",
        Role::Agent => "/agent",
        Role::TeamLead => "/lead",
        Role::QaInspector => "/qa",
        Role::Admin => "/admin",
    }
}

/// A return address a login accepts: a path on this site (`/admin/users?q=x`), never another
/// site (`//evil.example`, `https://…`, `/\evil.example`), nor the sign-in page itself.
/// Browsers drop tabs and line breaks from addresses and read `\` as `/`, so both are refused.
pub fn safe_next(raw: &str) -> Option<&str> {
    let bytes = raw.as_bytes();
    let same_site = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && !raw
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    let login_page = raw == LOGIN_PATH
        || raw
            .strip_prefix(LOGIN_PATH)
            .is_some_and(|rest| rest.starts_with(['?', '#', '/']));
    (same_site && !login_page).then_some(raw)
}

/// The sign-in page, asked to return to `next` (a path with its query) afterwards.
pub fn login_path(next: &str) -> String {
    match safe_next(next) {
        Some(next) if next != "/" => format!(
            "{LOGIN_PATH}?next={}",
            String::from(js_sys::encode_uri_component(next))
        ),
        _ => LOGIN_PATH.to_owned(),
    }
}

/// Where a user goes after signing in: the return address if it is safe, else their home.
pub fn after_login(next: Option<&str>, role: Role) -> String {
    next.and_then(safe_next)
        .unwrap_or_else(|| home_path(role))
        .to_owned()
}
