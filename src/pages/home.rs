//! The home page: what Pingjia is and what it does for each role, and the way in.

use crate::locale::tr;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page::PageTitle;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::session::{LOGIN_PATH, SessionState, home_path, use_session};

/// Introduces Pingjia and what each role does with it; a sign-in button, or for a signed-in
/// user a link to their home.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let way_in = move || match session.state() {
        SessionState::SignedIn(me) => EitherOf3::A(view! {
            <p class="hero-actions">
                <A href=home_path(me.role) attr:class="button">
                    {tr(i18n, |l| td_string!(l, home.go_home))}
                </A>
            </p>
        }),
        SessionState::Checking => EitherOf3::B(()),
        _ => EitherOf3::C(view! {
            <p class="hero-actions">
                <A href=LOGIN_PATH attr:class="button">
                    {tr(i18n, |l| td_string!(l, home.sign_in))}
                </A>
            </p>
        }),
    };
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, nav.home)) />
        <section class="hero" aria-labelledby="home-title">
            <p class="eyebrow">{tr(i18n, |l| td_string!(l, app.tagline))}</p>
            <h1 id="home-title">{tr(i18n, |l| td_string!(l, home.title))}</h1>
            <p class="lead">{tr(i18n, |l| td_string!(l, home.intro))}</p>
            {way_in}
        </section>
        <section aria-labelledby="roles-title">
            <h2 id="roles-title">{tr(i18n, |l| td_string!(l, home.roles_heading))}</h2>
            <ul class="role-grid">
                <li class="card">
                    <h3>{tr(i18n, |l| td_string!(l, home.customer_title))}</h3>
                    <p>{tr(i18n, |l| td_string!(l, home.customer_body))}</p>
                </li>
                <li class="card">
                    <h3>{tr(i18n, |l| td_string!(l, home.agent_title))}</h3>
                    <p>{tr(i18n, |l| td_string!(l, home.agent_body))}</p>
                </li>
                <li class="card">
                    <h3>{tr(i18n, |l| td_string!(l, home.team_lead_title))}</h3>
                    <p>{tr(i18n, |l| td_string!(l, home.team_lead_body))}</p>
                </li>
                <li class="card">
                    <h3>{tr(i18n, |l| td_string!(l, home.qa_title))}</h3>
                    <p>{tr(i18n, |l| td_string!(l, home.qa_body))}</p>
                </li>
                <li class="card">
                    <h3>{tr(i18n, |l| td_string!(l, home.admin_title))}</h3>
                    <p>{tr(i18n, |l| td_string!(l, home.admin_body))}</p>
                </li>
            </ul>
        </section>
    }
}
