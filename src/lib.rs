//! Pingjia (评价), the customer service quality evaluation app: a Leptos single-page app.
//!
//! `App` holds the routes; `api` is the typed client of the JSON API; `session` knows who is
//! signed in and `locale` the interface language; `pages` are the route views, `components`
//! the pieces they share, `format` how times and numbers are written and `charts` the chart
//! options (staff only).

pub mod api;
#[cfg(feature = "staff")]
pub mod charts;
pub mod components;
pub mod drafts;
pub mod format;
pub mod labels;
pub mod locale;
pub mod outbox;
pub mod pages;
pub mod session;

mod generated_i18n;
pub use generated_i18n::i18n;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::page::NotFound;
use crate::components::shell::Shell;
use crate::locale::LocaleProvider;
use crate::pages::home::Home;
use crate::pages::login::Login;
use crate::session::provide_session;

/// The whole app: language and session context, router, page frame and routes. Each role's
/// pages sit under a guard: signed out, the user is sent to sign in; with another role, they
/// see an access-denied page.
#[component]
pub fn App() -> impl IntoView {
    provide_session();
    view! {
        <LocaleProvider>
            <Router>
                <Shell>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home />
                        <Route path=path!("/login") view=Login />
                        <CustomerRoutes />
                        <StaffRoutes />
                    </Routes>
                </Shell>
            </Router>
        </LocaleProvider>
    }
}

/// The customer's pages. The rating link's page `/r/:token` is its own tiny build, which the
/// server serves; its opt-out page is here (no sign-in).
#[cfg(feature = "customer")]
#[component(transparent)]
fn CustomerRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::components::guard::{Allowed, Guard};
    use crate::pages::customer::appeals::{AppealPage, MyAppeals};
    use crate::pages::customer::evaluation::EvaluationPage;
    use crate::pages::customer::evaluations::MyEvaluations;
    use crate::pages::customer::home::MyServices;
    use crate::pages::customer::opt_out::OptOutPage;
    use crate::pages::customer::rate::RatePage;
    use leptos_router::any_nested_route::IntoAnyNestedRoute;
    use leptos_router::components::ParentRoute;
    use pingjia_domain::wire::Role;
    let only = |role: Role| move || view! { <Guard allowed=Allowed::Only(role) /> };
    view! {
        <Route path=path!("/r/:token/opt-out") view=OptOutPage />
        <ParentRoute path=path!("/customer") view=only(Role::Customer)>
            <Route path=path!("") view=MyServices />
            <Route path=path!("rate/:id") view=RatePage />
            <Route path=path!("evaluations") view=MyEvaluations />
            <Route path=path!("evaluations/:number") view=EvaluationPage />
            <Route path=path!("evaluations/:number/appeal") view=AppealPage />
            <Route path=path!("appeals") view=MyAppeals />
        </ParentRoute>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The sign-in build has no customer pages: they load as a whole page (the light app's), as
/// every page the build lacks does (the catch-all of `StaffRoutes` without `staff`).
#[cfg(not(feature = "customer"))]
#[component(transparent)]
fn CustomerRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! { <Route path=path!("/customer/*any") view=crate::pages::elsewhere::Elsewhere /> }
        .into_inner()
}

/// The pages of agents, team leads, QA inspectors and admins, and the account pages.
#[cfg(feature = "staff")]
#[component(transparent)]
fn StaffRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::components::guard::{Allowed, Guard};
    use crate::pages::account::ChangePassword;
    use crate::pages::admin_appeals::AdminAppeals;
    use crate::pages::admin_audit::AdminAudit;
    use crate::pages::admin_config::api_keys::AdminApiKeys;
    use crate::pages::admin_config::calendar::AdminCalendar;
    use crate::pages::admin_config::catalog::AdminCatalog;
    use crate::pages::admin_config::records::AdminRecords;
    use crate::pages::admin_config::settings::AdminSettings;
    use crate::pages::admin_moderation::AdminModeration;
    use crate::pages::admin_moderation::terms::AdminTerms;
    use crate::pages::admin_overview::AdminOverview;
    use crate::pages::admin_teams::AdminTeams;
    use crate::pages::admin_users::AdminUsers;
    use crate::pages::admin_users::import::ImportUsers;
    use crate::pages::admin_users::new_user::NewUserPage;
    use crate::pages::admin_webhooks::AdminWebhooks;
    use crate::pages::admin_webhooks::log::WebhookLog;
    use crate::pages::analytics::AnalyticsDashboard;
    use crate::pages::analytics::drill::AnalyticsDrillPage;
    use crate::pages::analytics::evaluation::EvaluationDetailPage;
    use crate::pages::analytics::stop_words::StopWordsPage;
    use crate::pages::analytics::tag_names::TagNamesPage;
    use crate::pages::feedback::Area;
    use crate::pages::feedback::agent_home::AgentHome;
    use crate::pages::feedback::coaching::CoachingSessionPage;
    use crate::pages::feedback::coaching_form::NewCoachingPage;
    use crate::pages::feedback::coaching_list::CoachingListPage;
    use crate::pages::feedback::lead_home::LeadHome;
    use crate::pages::feedback::list::FeedbackListPage;
    use crate::pages::feedback::plan::ImprovementPlanPage;
    use crate::pages::feedback::plans::ImprovementPlansPage;
    use crate::pages::qa::calibration::CalibrationsPage;
    use crate::pages::qa::calibration::deviation::DeviationPage;
    use crate::pages::qa::calibration::new::NewCalibrationPage;
    use crate::pages::qa::calibration::session::CalibrationSessionPage;
    use crate::pages::qa::disputes::{DisputePage, DisputesPage};
    use crate::pages::qa::home::QaHomePage;
    use crate::pages::qa::inspect::InspectPage;
    use crate::pages::qa::mine::MyQaPage;
    use crate::pages::qa::plan_list::PlansPage;
    use crate::pages::qa::plans::{NewPlanPage, PlanPage};
    use crate::pages::qa::rectifications::RectificationsPage;
    use crate::pages::qa::report::ReportPage;
    use crate::pages::qa::team::TeamInspectionsPage;
    use crate::pages::qa::templates::{NewTemplatePage, TemplatePage, TemplatesPage};
    use crate::pages::reports::{ReportArea, ReportLink};
    use leptos_router::any_nested_route::IntoAnyNestedRoute;
    use leptos_router::components::ParentRoute;
    use pingjia_domain::wire::Role;
    const REPORT_READERS: &[Role] = &[Role::Admin, Role::TeamLead];
    use crate::pages::admin_channels::ChannelSettingsPage;
    use crate::pages::admin_deliveries::AdminDeliveries;
    use crate::pages::admin_invitations::InvitationSettingsPage;
    use crate::pages::notifications::NotificationsPage;
    use crate::pages::notifications::settings::NotificationSettingsPage;
    use crate::pages::reports::hub::ReportsHub;
    use crate::pages::reports::mail::MailSettingsPage;
    use crate::pages::reports::report::AnalysisReportPage;

    /// Agents read their coaching sessions, leads and admins record them.
    const COACHING: &[Role] = &[Role::Agent, Role::TeamLead, Role::Admin];
    /// QA inspectors and admins both work in `/qa`.
    const QA_STAFF: &[Role] = &[Role::QaInspector, Role::Admin];
    /// Every staff role has a notification centre.
    const STAFF: &[Role] = &[Role::Agent, Role::TeamLead, Role::QaInspector, Role::Admin];
    let only = |role: Role| move || view! { <Guard allowed=Allowed::Only(role) /> };
    view! {
        <ParentRoute path=path!("/agent") view=only(Role::Agent)>
            <Route path=path!("") view=AgentHome />
            <Route path=path!("feedback") view=FeedbackListPage />
            <Route path=path!("plans") view=|| view! { <ImprovementPlansPage area=Area::Agent /> } />
            <Route path=path!("plans/:id") view=|| view! { <ImprovementPlanPage area=Area::Agent /> } />
            <Route path=path!("qa") view=MyQaPage />
        </ParentRoute>
        <ParentRoute path=path!("/lead") view=only(Role::TeamLead)>
            <Route path=path!("") view=LeadHome />
            <Route path=path!("plans") view=|| view! { <ImprovementPlansPage area=Area::Lead /> } />
            <Route path=path!("plans/:id") view=|| view! { <ImprovementPlanPage area=Area::Lead /> } />
            <Route path=path!("reports") view=|| view! { <ReportsHub area=ReportArea::Lead /> } />
            <Route path=path!("reports/:kind/:key") view=|| view! { <AnalysisReportPage area=ReportArea::Lead /> } />
            <Route path=path!("qa") view=MyQaPage />
            <Route path=path!("qa/team") view=TeamInspectionsPage />
            <Route path=path!("qa/plans/:id/report") view=ReportPage />
        </ParentRoute>
        <ParentRoute path=path!("/coaching") view=|| view! { <Guard allowed=Allowed::Any(COACHING) /> }>
            <Route path=path!("") view=CoachingListPage />
            <Route path=path!("new") view=NewCoachingPage />
            <Route path=path!(":id") view=CoachingSessionPage />
        </ParentRoute>
        <ParentRoute path=path!("/qa") view=|| view! { <Guard allowed=Allowed::Any(QA_STAFF) /> }>
            <Route path=path!("") view=QaHomePage />
            <Route path=path!("templates") view=TemplatesPage />
            <Route path=path!("templates/new") view=NewTemplatePage />
            <Route path=path!("templates/:id") view=TemplatePage />
            <Route path=path!("plans") view=PlansPage />
            <Route path=path!("plans/new") view=NewPlanPage />
            <Route path=path!("plans/:id") view=PlanPage />
            <Route path=path!("plans/:id/report") view=ReportPage />
            <Route path=path!("samples/:id") view=InspectPage />
            <Route path=path!("rectifications") view=RectificationsPage />
            <Route path=path!("disputes") view=DisputesPage />
            <Route path=path!("disputes/:id") view=DisputePage />
            <Route path=path!("calibrations") view=CalibrationsPage />
            <Route path=path!("calibrations/new") view=NewCalibrationPage />
            <Route path=path!("calibrations/deviation") view=DeviationPage />
            <Route path=path!("calibrations/:id") view=CalibrationSessionPage />
        </ParentRoute>
        <ParentRoute path=path!("/admin") view=only(Role::Admin)>
            <Route path=path!("") view=AdminOverview />
            <Route path=path!("users") view=AdminUsers />
            <Route path=path!("appeals") view=AdminAppeals />
            <Route path=path!("users/new") view=NewUserPage />
            <Route path=path!("users/import") view=ImportUsers />
            <Route path=path!("teams") view=AdminTeams />
            <Route path=path!("catalog") view=AdminCatalog />
            <Route path=path!("records") view=AdminRecords />
            <Route path=path!("settings") view=AdminSettings />
            <Route path=path!("settings/mail") view=MailSettingsPage />
            <Route path=path!("settings/channels") view=ChannelSettingsPage />
            <Route path=path!("settings/invitations") view=InvitationSettingsPage />
            <Route path=path!("deliveries") view=AdminDeliveries />
            <Route path=path!("webhooks") view=AdminWebhooks />
            <Route path=path!("webhooks/:id") view=WebhookLog />
            <Route path=path!("calendar") view=AdminCalendar />
            <Route path=path!("api-keys") view=AdminApiKeys />
            <Route path=path!("moderation") view=AdminModeration />
            <Route path=path!("moderation/terms") view=AdminTerms />
            <Route path=path!("audit") view=AdminAudit />
            <Route path=path!("plans") view=|| view! { <ImprovementPlansPage area=Area::Admin /> } />
            <Route path=path!("plans/:id") view=|| view! { <ImprovementPlanPage area=Area::Admin /> } />
            <Route path=path!("analytics") view=AnalyticsDashboard />
            <Route path=path!("analytics/evaluations") view=AnalyticsDrillPage />
            <Route path=path!("analytics/evaluations/:number") view=EvaluationDetailPage />
            <Route path=path!("analytics/stop-words") view=StopWordsPage />
            <Route path=path!("analytics/tags") view=TagNamesPage />
            <Route path=path!("reports") view=|| view! { <ReportsHub area=ReportArea::Admin /> } />
            <Route path=path!("reports/:kind/:key") view=|| view! { <AnalysisReportPage area=ReportArea::Admin /> } />
        </ParentRoute>
        <ParentRoute path=path!("/reports") view=|| view! { <Guard allowed=Allowed::Any(REPORT_READERS) /> }>
            <Route path=path!(":kind/:key") view=ReportLink />
        </ParentRoute>
        <ParentRoute path=path!("/notifications") view=|| view! { <Guard allowed=Allowed::Any(STAFF) /> }>
            <Route path=path!("") view=NotificationsPage />
            <Route path=path!("settings") view=NotificationSettingsPage />
        </ParentRoute>
        <ParentRoute path=path!("/account") view=|| view! { <Guard allowed=Allowed::SignedIn /> }>
            <Route path=path!("password") view=ChangePassword />
        </ParentRoute>
    }
    .into_inner()
    .into_any_nested_route()
}

/// The light customer build has no staff pages: any path it does not route is one of them,
/// and is loaded from the server as a whole page, which serves the full app there.
#[cfg(not(feature = "staff"))]
#[component(transparent)]
fn StaffRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! { <Route path=path!("/*any") view=crate::pages::elsewhere::Elsewhere /> }.into_inner()
}
