//! The interface language switch.

use leptos::prelude::*;
use leptos_i18n::Locale as _;

use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::locale::choose_locale;

/// A labelled pair of toggle buttons (中文 / English); the pressed one is the active locale.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let option = move |locale: Locale| {
        let pressed = move || (i18n.get_locale() == locale).to_string();
        let name = move || match locale {
            Locale::en => t_string!(i18n, lang.en),
            Locale::zh_CN => t_string!(i18n, lang.zh_cn),
        };
        view! {
            <button
                type="button"
                class="lang-option"
                lang=locale.as_str()
                aria-pressed=pressed
                on:click=move |_| choose_locale(i18n, locale)
            >
                {name}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, lang.label)>
            <span class="lang-switch-label" aria-hidden="true">
                {t!(i18n, lang.label)}
            </span>
            <span class="lang-options">{option(Locale::zh_CN)} {option(Locale::en)}</span>
        </div>
    }
}
