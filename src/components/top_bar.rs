//! The top bar: product name, the navigation of the signed-in user's role, who is signed in
//! with a way to sign out (or a way to sign in), and the language switch.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use pingjia_domain::wire::Role;

use crate::api::{self, ApiError};
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::role_name;
use crate::session::{LOGIN_PATH, SessionState, home_path, use_session};

/// One entry of the primary navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavLink {
    /// The public introduction.
    Home,
    /// A role's own home page.
    RoleHome(Role),
    /// The customer's evaluations: look-up and history.
    CustomerEvaluations,
    /// The customer's appeals, with the count of decisions not seen yet.
    CustomerAppeals,
    /// The admin's appeal review, with the count of pending appeals.
    AdminAppeals,
    /// The admin's user management.
    Users,
    /// The admin's team management.
    Teams,
    /// The admin's review queue of anomalous evaluations, with its count.
    Moderation,
    /// The admin's audit log.
    Audit,
    /// The admin's analytics dashboard.
    Analytics,
    /// The QA plans.
    QaPlans,
    /// Rectification tracking.
    QaRectifications,
    /// The checklist templates.
    QaTemplates,
    /// The admin's way into QA.
    Qa,
    /// An agent's or team lead's own inspection results and rectifications.
    MyQa(Role),
    /// A team lead's team's inspection results, what may still be disputed first.
    TeamQa,
    /// The agent's evaluations, with the count of unread ones.
    AgentFeedback,
    /// The improvement plans of an agent (their own) or a team lead (their team's).
    Plans(Role),
    /// The weekly and monthly reports of an admin (any scope) or a team lead (their team).
    Reports(Role),
}

impl NavLink {
    /// Where the link goes.
    pub fn href(self) -> &'static str {
        match self {
            NavLink::Home => "/",
            NavLink::RoleHome(role) => home_path(role),
            NavLink::CustomerEvaluations => "/customer/evaluations",
            NavLink::CustomerAppeals => "/customer/appeals",
            NavLink::AdminAppeals => "/admin/appeals",
            NavLink::Users => "/admin/users",
            NavLink::Teams => "/admin/teams",
            NavLink::Moderation => "/admin/moderation",
            NavLink::Audit => "/admin/audit",
            NavLink::Analytics => "/admin/analytics",
            NavLink::QaPlans => "/qa/plans",
            NavLink::QaRectifications => "/qa/rectifications",
            NavLink::QaTemplates => "/qa/templates",
            NavLink::Qa => "/qa",
            NavLink::MyQa(Role::TeamLead) => "/lead/qa",
            NavLink::MyQa(_) => "/agent/qa",
            NavLink::TeamQa => pingjia_domain::qa::TEAM_QA_PATH,
            NavLink::AgentFeedback => "/agent/feedback",
            NavLink::Plans(Role::TeamLead) => "/lead/plans",
            NavLink::Plans(_) => "/agent/plans",
            NavLink::Reports(Role::TeamLead) => "/lead/reports",
            NavLink::Reports(_) => "/admin/reports",
        }
    }

    fn label(self, locale: Locale) -> &'static str {
        match self {
            NavLink::Home => td_string!(locale, nav.home),
            NavLink::RoleHome(Role::Customer) => td_string!(locale, nav.customer),
            NavLink::CustomerEvaluations => td_string!(locale, nav.customer_evaluations),
            NavLink::CustomerAppeals => td_string!(locale, appeals.nav_mine),
            NavLink::AdminAppeals => td_string!(locale, appeals.nav_admin),
            NavLink::RoleHome(Role::Agent) => td_string!(locale, nav.agent),
            NavLink::RoleHome(Role::TeamLead) => td_string!(locale, nav.team_lead),
            NavLink::RoleHome(Role::QaInspector) => td_string!(locale, nav.qa_inspector),
            NavLink::RoleHome(Role::Admin) => td_string!(locale, nav.admin),
            NavLink::Users => td_string!(locale, nav.users),
            NavLink::Teams => td_string!(locale, nav.teams),
            NavLink::Moderation => td_string!(locale, nav.moderation),
            NavLink::Audit => td_string!(locale, nav.audit),
            NavLink::Analytics => td_string!(locale, analytics.nav),
            NavLink::QaPlans => td_string!(locale, nav.qa_plans),
            NavLink::QaRectifications => td_string!(locale, nav.qa_rectifications),
            NavLink::QaTemplates => td_string!(locale, nav.qa_templates),
            NavLink::Qa => td_string!(locale, nav.qa),
            NavLink::MyQa(Role::TeamLead) => td_string!(locale, nav.lead_qa),
            NavLink::MyQa(_) => td_string!(locale, nav.my_qa),
            NavLink::TeamQa => td_string!(locale, nav.team_qa),
            NavLink::AgentFeedback => td_string!(locale, feedback.nav_feedback),
            NavLink::Plans(_) => td_string!(locale, feedback.nav_plans),
            NavLink::Reports(_) => td_string!(locale, reports.nav),
        }
    }
}

/// The navigation a role sees; signed out, only the introduction.
pub fn nav_links(role: Option<Role>) -> Vec<NavLink> {
    match role {
        None => vec![NavLink::Home],
        Some(Role::Admin) => vec![
            NavLink::RoleHome(Role::Admin),
            NavLink::Analytics,
            NavLink::Reports(Role::Admin),
            NavLink::Users,
            NavLink::Teams,
            NavLink::Moderation,
            NavLink::AdminAppeals,
            NavLink::Audit,
            NavLink::Qa,
        ],
        Some(Role::Customer) => vec![
            NavLink::RoleHome(Role::Customer),
            NavLink::CustomerEvaluations,
            NavLink::CustomerAppeals,
        ],
        Some(Role::QaInspector) => vec![
            NavLink::RoleHome(Role::QaInspector),
            NavLink::QaPlans,
            NavLink::QaRectifications,
            NavLink::QaTemplates,
        ],
        Some(Role::Agent) => vec![
            NavLink::RoleHome(Role::Agent),
            NavLink::AgentFeedback,
            NavLink::Plans(Role::Agent),
            NavLink::MyQa(Role::Agent),
        ],
        Some(Role::TeamLead) => vec![
            NavLink::RoleHome(Role::TeamLead),
            NavLink::Plans(Role::TeamLead),
            NavLink::Reports(Role::TeamLead),
            NavLink::TeamQa,
            NavLink::MyQa(Role::TeamLead),
        ],
    }
}

/// The bar at the top of every page.
#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let role = Memo::new(move |_| session.role());
    let links = move || {
        nav_links(role.get())
            .into_iter()
            .map(|link| {
                // The admin overview is the parent of the other admin pages: only its own
                // address marks it current.
                view! {
                    <li>
                        <A href=link.href() exact=true>
                            {move || link.label(i18n.get_locale())}
                            {(link == NavLink::Moderation).then(review_badge)}
                            {(link == NavLink::CustomerAppeals).then(unseen_appeals_badge)}
                            {(link == NavLink::AdminAppeals).then(pending_appeals_badge)}
                            {(link == NavLink::AgentFeedback).then(unread_feedback_badge)}
                        </A>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="top-bar">
            <A href="/" exact=true attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"评"</span>
                <span class="brand-name">{t!(i18n, app.name)}</span>
            </A>
            <nav class="primary-nav" aria-label=move || t_string!(i18n, nav.label)>
                <ul>{links}</ul>
            </nav>
            {move || {
                role.get().filter(|r| *r != Role::Customer).map(|_| notification_bell())
            }}
            <Account />
            <LanguageSwitch />
        </div>
    }
}

/// How many evaluations await review, beside the link to the queue (staff build only).
#[cfg(feature = "staff")]
fn review_badge() -> impl IntoView {
    view! { <crate::components::nav_badge::ReviewBadge /> }
}

#[cfg(not(feature = "staff"))]
fn review_badge() -> impl IntoView {}

/// How many appeal decisions the customer has not seen, beside the link to their appeals.
fn unseen_appeals_badge() -> impl IntoView {
    view! { <crate::components::nav_badge::UnseenAppealsBadge /> }
}

/// How many appeals await a decision, beside the link to the appeal review (staff build only).
#[cfg(feature = "staff")]
fn pending_appeals_badge() -> impl IntoView {
    view! { <crate::components::nav_badge::PendingAppealsBadge /> }
}

#[cfg(not(feature = "staff"))]
fn pending_appeals_badge() -> impl IntoView {}

/// How many evaluations the agent has not read, beside the link to them (staff build only).
#[cfg(feature = "staff")]
fn unread_feedback_badge() -> impl IntoView {
    view! { <crate::components::feedback_alerts::UnreadFeedbackBadge /> }
}

#[cfg(not(feature = "staff"))]
fn unread_feedback_badge() -> impl IntoView {}

/// The staff member's notification bell (staff build only).
#[cfg(feature = "staff")]
fn notification_bell() -> impl IntoView {
    view! { <crate::components::notification_bell::NotificationBell /> }
}

#[cfg(not(feature = "staff"))]
fn notification_bell() -> impl IntoView {}

/// Who is signed in, with links to their password and a sign-out button; or a sign-in link.
#[component]
fn Account() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    let logout = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            match api::auth::logout().await {
                // Already signed out on the server is signed out all the same.
                Ok(()) | Err(ApiError::Unauthorized) => {
                    session.left();
                    navigate(LOGIN_PATH, Default::default());
                    Ok(())
                }
                Err(error) => Err(error),
            }
        }
    });
    let failed = move || matches!(logout.value().get(), Some(Err(_)));
    move || match session.state() {
        SessionState::SignedIn(me) => {
            let role = me.role;
            EitherOf3::A(view! {
                <div class="account">
                    <div class="account-info">
                        <p class="account-who">
                            <span class="account-name">{me.display_name}</span>
                            <span class="account-role">
                                {move || role_name(i18n.get_locale(), role)}
                            </span>
                        </p>
                        <A href="/account/password" attr:class="account-link">
                            {t!(i18n, account.change_password_link)}
                        </A>
                    </div>
                    <button
                        type="button"
                        class="button button-secondary"
                        aria-disabled=move || logout.pending().get().then_some("true")
                        on:click=move |_| {
                            if !logout.pending().get_untracked() {
                                logout.dispatch_local(());
                            }
                        }
                    >
                        {t!(i18n, account.sign_out)}
                    </button>
                    {move || {
                        failed()
                            .then(|| {
                                view! {
                                    <p class="account-error" role="alert">
                                        {t!(i18n, account.sign_out_failed)}
                                    </p>
                                }
                            })
                    }}
                </div>
            })
        }
        SessionState::Checking => EitherOf3::B(()),
        // The sign-in page needs no link to itself.
        _ if location.pathname.get() == LOGIN_PATH => EitherOf3::B(()),
        _ => EitherOf3::C(view! {
            <div class="account">
                <A href=LOGIN_PATH attr:class="button">
                    {t!(i18n, account.sign_in)}
                </A>
            </div>
        }),
    }
}
