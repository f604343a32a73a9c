//! The home page: what Pingjia is and what it does for each role.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, t_string, use_i18n};
use crate::pages::PageTitle;

/// Introduces Pingjia and what each role does with it.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, nav.home)) />
        <section class="hero" aria-labelledby="home-title">
            <p class="eyebrow">{t!(i18n, app.tagline)}</p>
            <h1 id="home-title">{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, home.intro)}</p>
        </section>
        <section aria-labelledby="roles-title">
            <h2 id="roles-title">{t!(i18n, home.roles_heading)}</h2>
            <ul class="role-grid">
                <li class="card">
                    <h3>{t!(i18n, home.customer_title)}</h3>
                    <p>{t!(i18n, home.customer_body)}</p>
                </li>
                <li class="card">
                    <h3>{t!(i18n, home.agent_title)}</h3>
                    <p>{t!(i18n, home.agent_body)}</p>
                </li>
                <li class="card">
                    <h3>{t!(i18n, home.team_lead_title)}</h3>
                    <p>{t!(i18n, home.team_lead_body)}</p>
                </li>
                <li class="card">
                    <h3>{t!(i18n, home.qa_title)}</h3>
                    <p>{t!(i18n, home.qa_body)}</p>
                </li>
                <li class="card">
                    <h3>{t!(i18n, home.admin_title)}</h3>
                    <p>{t!(i18n, home.admin_body)}</p>
                    <A href="/admin" attr:class="button">
                        {t!(i18n, home.admin_cta)}
                    </A>
                </li>
            </ul>
        </section>
    }
}
