//! Pingjia (评价), the customer service quality evaluation app: a Leptos single-page app.
//!
//! `App` holds the routes; `api` is the typed client of the JSON API; `locale` owns the
//! interface language; `pages` are the route views and `components` the reusable pieces.

pub mod api;
pub mod charts;
pub mod components;
pub mod locale;
pub mod pages;

// `load_locales!` generates the `i18n` module (Locale, use_i18n, t!, ...) from
// `[package.metadata.leptos-i18n]` and `locales/*.json`. leptos_i18n 0.6 deprecates it in favour
// of a build script, but that path builds ICU data export crates for nothing we use.
#[allow(deprecated)]
mod generated_i18n {
    leptos_i18n::load_locales!();
}
pub use generated_i18n::i18n;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
use crate::locale::LocaleProvider;
use crate::pages::{admin_overview::AdminOverview, home::Home, not_found::NotFound};

/// The whole app: language context, router, page frame and routes.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <LocaleProvider>
            <Router>
                <Shell>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home />
                        <Route path=path!("/admin") view=AdminOverview />
                    </Routes>
                </Shell>
            </Router>
        </LocaleProvider>
    }
}
