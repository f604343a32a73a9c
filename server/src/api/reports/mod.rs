//! Weekly and monthly reports (issue 11): a report per period and scope (kept once the period
//! closed, figures of now before), its tables as CSV, the kept reports with their mails,
//! subscriptions, and the mail server's settings with a test mail.
//!
//! Admins reach every scope; a team lead only their own team's reports and subscriptions.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::authz::{ADMIN, REPORT_READERS, Rule, delete, get, post, put};
use crate::http::state::AppState;

mod kept;
mod scope;
mod smtp;
mod subscriptions;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kept::get_report))
        .routes(routes!(kept::report_csv))
        .routes(routes!(kept::list_reports))
        .routes(routes!(
            subscriptions::list_subscriptions,
            subscriptions::create_subscription
        ))
        .routes(routes!(
            subscriptions::update_subscription,
            subscriptions::remove_subscription
        ))
        .routes(routes!(kept::retry_delivery))
        .routes(routes!(smtp::get_smtp, smtp::put_smtp))
        .routes(routes!(smtp::test_smtp))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/reports", REPORT_READERS),
    get("/api/v1/reports/{kind}/{key}", REPORT_READERS),
    get("/api/v1/reports/{kind}/{key}/csv/{table}", REPORT_READERS),
    get("/api/v1/report-subscriptions", REPORT_READERS),
    post("/api/v1/report-subscriptions", REPORT_READERS),
    put("/api/v1/report-subscriptions/{id}", REPORT_READERS),
    delete("/api/v1/report-subscriptions/{id}", REPORT_READERS),
    post("/api/v1/report-deliveries/{id}/retry", REPORT_READERS),
    get("/api/v1/settings/smtp", ADMIN),
    put("/api/v1/settings/smtp", ADMIN),
    post("/api/v1/settings/smtp/test", ADMIN),
];
