//! The small pieces the report's sections share: the sentence instead of an empty table or
//! chart, and a cell's label at phone width.

use leptos::prelude::*;

use crate::i18n::{Locale, use_i18n};
use crate::locale::tr;

/// A sentence instead of an empty table or chart.
#[component]
pub(super) fn Empty(text: fn(Locale) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice notice-empty">{tr(i18n, text)}</p> }
}

/// A cell's label at phone width (its column's name).
pub(super) fn label_of(
    i18n: leptos_i18n::I18nContext<Locale>,
    text: fn(Locale) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || text(i18n.get_locale())
}
