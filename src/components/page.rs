//! What every page shows: its document title, the greeting of the signed-in user, and the
//! pages the router falls back to (no page here, no access).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use pingjia_domain::wire::Role;

use crate::i18n::{t, t_string, use_i18n};
use crate::labels::role_name;
use crate::session::{home_path, use_session};

/// Sets the document title to the page's name followed by the product name.
#[component]
pub fn PageTitle(
    /// The page's localized name.
    #[prop(into)]
    page: Signal<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=move || format!("{} · {}", page.get(), t_string!(i18n, app.title_suffix)) /> }
}

/// "Hello, name" for the signed-in user.
#[component]
pub fn Greeting() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.me().map(|me| {
            let name = me.display_name;
            view! { <p class="lead">{t!(i18n, homes.greeting, name)}</p> }
        })
    }
}

/// Says that no page lives at the current address, shows the address and links home.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, not_found.title)) />
        <section class="not-found" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p>
                <code class="path">{move || location.pathname.get()}</code>
            </p>
            <p>
                <A href="/" attr:class="button">
                    {t!(i18n, not_found.home_link)}
                </A>
            </p>
        </section>
    }
}

/// Access denied (403): why, what to do, and a link to the user's own home.
#[component]
pub fn Forbidden(
    /// The signed-in user's role.
    role: Role,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, forbidden.title)) />
        <section class="forbidden" aria-labelledby="forbidden-title">
            <h1 id="forbidden-title">{t!(i18n, forbidden.title)}</h1>
            <p class="lead">
                {t!(i18n, forbidden.body, role = move || role_name(i18n.get_locale(), role))}
            </p>
            <p>{t!(i18n, forbidden.what_to_do)}</p>
            <p>
                <A href=home_path(role) attr:class="button">
                    {t!(i18n, forbidden.home_link)}
                </A>
            </p>
        </section>
    }
}
