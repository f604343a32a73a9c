//! The loading line of a screen.

use leptos::prelude::*;

use crate::i18n::{td_string, use_i18n};
use crate::locale::tr;

/// "Loading…" while a page's data is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="status" role="status">
            {tr(i18n, |l| td_string!(l, status.loading))}
        </p>
    }
}
