//! The top bar: product name, primary navigation and the language switch.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::language_switch::LanguageSwitch;
use crate::i18n::{t, t_string, use_i18n};

/// The bar at the top of every page: product name, primary navigation, language switch.
#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="top-bar">
            <A href="/" exact=true attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"评"</span>
                <span class="brand-name">{t!(i18n, app.name)}</span>
            </A>
            <nav class="primary-nav" aria-label=move || t_string!(i18n, nav.label)>
                <ul>
                    <li>
                        <A href="/" exact=true>
                            {t!(i18n, nav.home)}
                        </A>
                    </li>
                    <li>
                        <A href="/admin">{t!(i18n, nav.admin)}</A>
                    </li>
                </ul>
            </nav>
            <LanguageSwitch />
        </div>
    }
}
