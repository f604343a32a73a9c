//! The guard of the signed-in parts of the app: a parent route's view that shows its child
//! route only to the roles allowed there.

use leptos::either::EitherOf5;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;
use pingjia_domain::wire::Role;

use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::components::page::Forbidden;
use crate::i18n::{t, use_i18n};
use crate::session::{LOGIN_PATH, SessionState, SignedOut, login_path, use_session};

/// Who may open the pages under a guarded route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// Anyone signed in.
    SignedIn,
    /// Users of this role only.
    Only(Role),
    /// Users of any of these roles.
    Any(&'static [Role]),
}

impl Allowed {
    /// Whether a signed-in user of `role` may enter.
    pub fn admits(self, role: Role) -> bool {
        match self {
            Allowed::SignedIn => true,
            Allowed::Only(allowed) => allowed == role,
            Allowed::Any(allowed) => allowed.contains(&role),
        }
    }
}

/// What the guard does, given the session.
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    /// The session is still being checked.
    Wait,
    /// The session could not be checked.
    Failed(ApiError),
    /// Nobody is signed in: to the sign-in page, and back here afterwards unless the user
    /// signed out (and came back here, e.g. with Back).
    SignIn { come_back: bool },
    /// The user may see the page.
    Enter,
    /// The user is signed in with a role not allowed here.
    Deny(Role),
}

/// Shows the child route (`<Outlet/>`) to the users `allowed` there; sends those who are not
/// signed in to the sign-in page (replacing this address in the history, so Back does not
/// bounce), and shows the others an access-denied page at the same address.
#[component]
pub fn Guard(
    /// Who may enter.
    allowed: Allowed,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let verdict = Memo::new(move |_| match session.state() {
        SessionState::Checking => Verdict::Wait,
        SessionState::Unknown(error) => Verdict::Failed(error),
        SessionState::SignedOut(why) => Verdict::SignIn {
            come_back: why != SignedOut::Left,
        },
        SessionState::SignedIn(me) if allowed.admits(me.role) => Verdict::Enter,
        SessionState::SignedIn(me) => Verdict::Deny(me.role),
    });
    move || match verdict.get() {
        Verdict::Wait => EitherOf5::A(view! {
            <p class="status" role="status">
                {t!(i18n, status.loading)}
            </p>
        }),
        Verdict::Failed(error) => EitherOf5::B(view! {
            <ErrorPanel error on_retry=Callback::new(move |()| session.check()) />
        }),
        Verdict::SignIn { come_back } => {
            let path = if come_back {
                let here = location.pathname.get_untracked();
                let search = location.search.get_untracked();
                if search.is_empty() {
                    login_path(&here)
                } else {
                    login_path(&format!("{here}?{search}"))
                }
            } else {
                LOGIN_PATH.to_owned()
            };
            let options = NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            };
            EitherOf5::C(view! { <Redirect path options /> })
        }
        Verdict::Enter => EitherOf5::D(view! { <Outlet /> }),
        Verdict::Deny(role) => EitherOf5::E(view! { <Forbidden role /> }),
    }
}
