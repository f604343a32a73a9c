//! The page shown, at the address asked for, to a signed-in user whose role may not see it.

use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::wire::Role;

use crate::i18n::{t, t_string, use_i18n};
use crate::labels::role_name;
use crate::pages::PageTitle;
use crate::session::home_path;

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
