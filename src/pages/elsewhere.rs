//! The catch-all of the light customer app and of the sign-in build: a page they do not have
//! (an admin's, an agent's, for the sign-in build a customer's) is loaded as a whole page, and
//! the server serves the app that has it there.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
#[cfg(feature = "customer")]
use pingjia_domain::routes::served_by_customer_app as served_here;
#[cfg(not(feature = "customer"))]
use pingjia_domain::routes::served_by_sign_in_build as served_here;

use crate::components::page::NotFound;
use crate::i18n::{t, use_i18n};

/// Loads the current address as a whole page, unless the server sends this build there
/// (then no page lives there: not found, and no loop between the apps).
#[component]
pub fn Elsewhere() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let path = location.pathname.get_untracked();
    if served_here(&path) {
        return NotFound().into_any();
    }
    let with_prefix = |prefix: char, part: String| match part.as_str() {
        "" => part,
        p if p.starts_with(prefix) => part,
        _ => format!("{prefix}{part}"),
    };
    let target = format!(
        "{path}{}{}",
        with_prefix('?', location.search.get_untracked()),
        with_prefix('#', location.hash.get_untracked())
    );
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(&target);
    }
    view! {
        <p class="page-loading" role="status" aria-live="polite">
            {t!(i18n, app.opening)}
        </p>
    }
    .into_any()
}
