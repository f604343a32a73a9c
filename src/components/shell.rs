//! The frame every page renders in.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::top_bar::TopBar;
use crate::i18n::{t, use_i18n};

/// The id of the `<main>` landmark, the target of the skip link.
pub const MAIN_ID: &str = "main";

/// The page frame: skip link, top bar (header), the page in `<main>`, and the footer.
#[component]
pub fn Shell(
    /// The routed page.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "staff")]
    {
        crate::components::feedback_alerts::provide_feedback_alerts();
        crate::components::notification_bell::provide_notification_centre();
    }
    view! {
        <a class="skip-link" href=format!("#{MAIN_ID}") on:click=skip_to_main>
            {t!(i18n, app.skip_to_main)}
        </a>
        <header class="site-header">
            <TopBar />
            {live_alerts()}
        </header>
        <main id=MAIN_ID class="site-main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, app.footer)}</p>
        </footer>
    }
}

/// The live alerts and their toasts (staff build only): an agent's new evaluations and every
/// staff member's notifications, one stack of toasts.
#[cfg(feature = "staff")]
fn live_alerts() -> impl IntoView {
    use crate::components::feedback_alerts::FeedbackLive;
    use crate::components::notification_bell::NotificationLive;
    view! {
        <div class="toast-stack">
            <NotificationLive />
            <FeedbackLive />
        </div>
    }
}

#[cfg(not(feature = "staff"))]
fn live_alerts() -> impl IntoView {}

/// Moves focus to `<main>` itself (the router would only scroll to it).
fn skip_to_main(ev: MouseEvent) {
    let main = document()
        .get_element_by_id(MAIN_ID)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        ev.prevent_default();
        let _ = main.focus();
        main.scroll_into_view();
    }
}
