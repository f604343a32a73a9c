//! The home pages of the customer, agent, team lead and QA inspector roles: who is signed in,
//! what they can do now, and what their role will do here as the app grows.

use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::auth::Me;
use pingjia_domain::wire::Role;

use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::labels::{customer_type_name, role_name};
use crate::pages::PageTitle;
use crate::session::use_session;

/// The agent's home (`/agent`).
#[component]
pub fn AgentHome() -> impl IntoView {
    view! { <RoleHome role=Role::Agent /> }
}

/// The team lead's home (`/lead`).
#[component]
pub fn LeadHome() -> impl IntoView {
    view! { <RoleHome role=Role::TeamLead /> }
}

/// A role's home page title.
fn title(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Customer => td_string!(locale, homes.customer_title),
        Role::Agent => td_string!(locale, homes.agent_title),
        Role::TeamLead => td_string!(locale, homes.team_lead_title),
        Role::QaInspector => td_string!(locale, homes.qa_title),
        Role::Admin => td_string!(locale, admin.title),
    }
}

/// What a role will do here once the features arrive.
fn coming(locale: Locale, role: Role) -> Vec<&'static str> {
    match role {
        Role::Customer => vec![
            td_string!(locale, homes.customer_soon_rate),
            td_string!(locale, homes.customer_soon_history),
            td_string!(locale, homes.customer_soon_lookup),
            td_string!(locale, homes.customer_soon_appeal),
        ],
        Role::Agent => vec![
            td_string!(locale, homes.agent_soon_scores),
            td_string!(locale, homes.agent_soon_comments),
            td_string!(locale, homes.agent_soon_plans),
        ],
        Role::TeamLead => vec![
            td_string!(locale, homes.team_lead_soon_team),
            td_string!(locale, homes.team_lead_soon_callbacks),
        ],
        Role::QaInspector => vec![
            td_string!(locale, homes.qa_soon_sampling),
            td_string!(locale, homes.qa_soon_checklists),
            td_string!(locale, homes.qa_soon_rectification),
        ],
        Role::Admin => Vec::new(),
    }
}

/// The page frame of a role's home.
#[component]
fn RoleHome(
    /// The role whose home this is.
    role: Role,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle page=Signal::derive(move || title(i18n.get_locale(), role)) />
        <h1>{move || title(i18n.get_locale(), role)}</h1>
        <Greeting />
        <div class="home-grid">
            <AccountCard />
            <section class="card" aria-labelledby="home-now-title">
                <h2 id="home-now-title">{t!(i18n, homes.now_heading)}</h2>
                <ul class="link-list">
                    <li>
                        <A href="/account/password">{t!(i18n, homes.now_password)}</A>
                    </li>
                    {matches!(role, Role::Agent | Role::TeamLead)
                        .then(|| {
                            view! {
                                <li>
                                    <A href=format!("{}/qa", crate::session::home_path(role))>
                                        {t!(i18n, nav.my_qa)}
                                    </A>
                                </li>
                            }
                        })}
                </ul>
            </section>
            <section class="card" aria-labelledby="home-soon-title">
                <h2 id="home-soon-title">{t!(i18n, homes.soon_heading)}</h2>
                <ul class="plain-list">
                    {move || {
                        coming(i18n.get_locale(), role)
                            .into_iter()
                            .map(|item| view! { <li>{item}</li> })
                            .collect_view()
                    }}
                </ul>
            </section>
        </div>
    }
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

/// The signed-in user's account: role, numbers, customer type and team.
#[component]
pub fn AccountCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <section class="card" aria-labelledby="home-account-title">
            <h2 id="home-account-title">{t!(i18n, homes.account_heading)}</h2>
            {move || session.me().map(|me| view! { <AccountFacts me /> })}
        </section>
    }
}

/// The facts of one account as a description list.
#[component]
fn AccountFacts(
    /// The signed-in user.
    me: Me,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = me.role;
    let fact = |term: AnyView, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{term}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let mut facts = vec![fact(
        t!(i18n, homes.fact_role).into_any(),
        (move || role_name(i18n.get_locale(), role)).into_any(),
    )];
    if let Some(number) = me.employee_no {
        facts.push(fact(
            t!(i18n, users.employee_no).into_any(),
            number.into_any(),
        ));
    }
    if let Some(number) = me.customer_no {
        facts.push(fact(
            t!(i18n, users.customer_no).into_any(),
            number.into_any(),
        ));
    }
    if let Some(kind) = me.customer_type {
        facts.push(fact(
            t!(i18n, users.customer_type).into_any(),
            (move || customer_type_name(i18n.get_locale(), kind)).into_any(),
        ));
    }
    if let Some(team) = me.team_name {
        facts.push(fact(t!(i18n, users.team).into_any(), team.into_any()));
    }
    view! { <dl class="facts">{facts}</dl> }
}
