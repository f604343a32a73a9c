//! Weekly and monthly analysis reports (`/reports/...`), their CSV tables, the kept reports
//! with their mails (`/reports`, `/report-deliveries`), the e-mail subscriptions
//! (`/report-subscriptions`) and the mail server's settings (`/settings/smtp`).

use gloo_net::http::Method;
use pingjia_domain::evaluations::IDEMPOTENCY_KEY_HEADER;
use pingjia_domain::reports::{
    Delivery, Report, ReportKind, ReportTable, SmtpSettings, SmtpSettingsInput, StoredReport,
    Subscription, SubscriptionInput, TestMail, TestMailSent,
};
use serde::Serialize;

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;
use super::query;

/// 409: the mail server is not set up yet.
pub const SMTP_NOT_CONFIGURED: &str = "smtp_not_configured";
/// 502: the mail server refused or could not be reached; the problem's `detail` says why.
pub const SMTP_FAILED: &str = "smtp_failed";

/// The filters of the reports' addresses: a kind of report and a team (none: the whole
/// company; a team lead always gets their own team).
#[derive(Serialize)]
struct ReportQuery {
    kind: Option<ReportKind>,
    team: Option<i64>,
}

/// `?team=ID`, or nothing for the whole company.
fn team_query(team: Option<i64>) -> String {
    let query = query::to_query(&ReportQuery { kind: None, team });
    query::with_query("", &query)
}

/// The path of `GET /reports/{kind}/{key}`.
pub fn report_path(kind: ReportKind, key: &str, team: Option<i64>) -> String {
    format!(
        "/reports/{}/{}{}",
        kind.as_str(),
        String::from(js_sys::encode_uri_component(key)),
        team_query(team)
    )
}

/// `GET /reports/{kind}/{key}?team=`: the kept report of the period, or its figures computed
/// now (422 for a key that names no period, 403 for another team than a lead's own).
pub async fn report(kind: ReportKind, key: &str, team: Option<i64>) -> Result<Report, ApiError> {
    client::get(&report_path(kind, key, team)).await
}

/// The address of one table of a report as CSV under the API base `base`: a plain download
/// link (the session cookie goes with it).
pub fn csv_url(
    base: &str,
    kind: ReportKind,
    key: &str,
    table: ReportTable,
    team: Option<i64>,
) -> String {
    format!(
        "{}/reports/{}/{}/csv/{}{}",
        base.trim_end_matches('/'),
        kind.as_str(),
        String::from(js_sys::encode_uri_component(key)),
        table.as_str(),
        team_query(team)
    )
}

/// The path of `GET /reports` with its filters.
pub fn stored_reports_path(kind: Option<ReportKind>, team: Option<i64>) -> String {
    query::with_query("/reports", &query::to_query(&ReportQuery { kind, team }))
}

/// `GET /reports?kind=&team=`: the kept reports, newest first, with their mails.
pub async fn stored_reports(
    kind: Option<ReportKind>,
    team: Option<i64>,
) -> Result<Vec<StoredReport>, ApiError> {
    client::get(&stored_reports_path(kind, team)).await
}

/// `POST /report-deliveries/{id}/retry`: tries a failed or retrying mail again now.
pub async fn retry_delivery(id: i64) -> Result<Delivery, ApiError> {
    let key = crate::outbox::new_key();
    client::request_with_headers(
        Method::POST,
        &format!("/report-deliveries/{id}/retry"),
        Body::Empty,
        Unauthorized::EndsSession,
        &[(IDEMPOTENCY_KEY_HEADER, &key)],
    )
    .await
}

/// `GET /report-subscriptions`: the subscriptions the user may see (a lead: their team's).
pub async fn subscriptions() -> Result<Vec<Subscription>, ApiError> {
    client::get("/report-subscriptions").await
}

/// `POST /report-subscriptions` with `Idempotency-Key: key`: 201 with the subscription; the
/// last closed period's report is built and mailed at once. 422 with field errors on
/// `recipients`, `recipients[i]` or `team_id`.
pub async fn create_subscription(
    key: &str,
    input: &SubscriptionInput,
) -> Result<Subscription, ApiError> {
    client::request_with_headers(
        Method::POST,
        "/report-subscriptions",
        Body::json(input)?,
        Unauthorized::EndsSession,
        &[(IDEMPOTENCY_KEY_HEADER, key)],
    )
    .await
}

/// `PUT /report-subscriptions/{id}`: changes a subscription (or pauses and resumes it).
pub async fn update_subscription(
    id: i64,
    input: &SubscriptionInput,
) -> Result<Subscription, ApiError> {
    client::request(
        Method::PUT,
        &format!("/report-subscriptions/{id}"),
        Body::json(input)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `DELETE /report-subscriptions/{id}`.
pub async fn delete_subscription(id: i64) -> Result<(), ApiError> {
    client::request(
        Method::DELETE,
        &format!("/report-subscriptions/{id}"),
        Body::Empty,
        Unauthorized::EndsSession,
    )
    .await
}

/// `GET /settings/smtp`: the mail server (the password never comes back, only whether one
/// is set).
pub async fn smtp_settings() -> Result<SmtpSettings, ApiError> {
    client::get("/settings/smtp").await
}

/// The JSON body of `PUT /settings/smtp`: without a `password` field when the password is
/// kept (`None`), `""` to remove it, the new one to replace it.
pub fn smtp_body(input: &SmtpSettingsInput) -> Result<Body, ApiError> {
    let mut value = serde_json::to_value(input).map_err(|e| ApiError::Request(e.to_string()))?;
    if input.password.is_none()
        && let Some(fields) = value.as_object_mut()
    {
        fields.remove("password");
    }
    Body::json(&value)
}

/// `PUT /settings/smtp`: 422 with field errors on `host`, `port`, `from_address`,
/// `from_name`, `link_base`.
pub async fn save_smtp_settings(input: &SmtpSettingsInput) -> Result<SmtpSettings, ApiError> {
    client::request(
        Method::PUT,
        "/settings/smtp",
        smtp_body(input)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `POST /settings/smtp/test`: sends a test mail; 409 [`SMTP_NOT_CONFIGURED`], 502
/// [`SMTP_FAILED`] with the mail server's error as the problem's `detail`.
pub async fn send_test_mail(mail: &TestMail) -> Result<TestMailSent, ApiError> {
    client::post("/settings/smtp/test", mail).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingjia_domain::reports::SmtpSecurity;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn report_addresses_carry_the_kind_key_table_and_team() {
        assert_eq!(
            report_path(ReportKind::Week, "2026-W47", None),
            "/reports/week/2026-W47"
        );
        assert_eq!(
            report_path(ReportKind::Month, "2026-11", Some(3)),
            "/reports/month/2026-11?team=3"
        );
        assert_eq!(
            csv_url(
                "/api/v1/",
                ReportKind::Week,
                "2026-W47",
                ReportTable::Agents,
                Some(2)
            ),
            "/api/v1/reports/week/2026-W47/csv/agents?team=2"
        );
        assert_eq!(stored_reports_path(None, None), "/reports");
        assert_eq!(
            stored_reports_path(Some(ReportKind::Month), Some(4)),
            "/reports?kind=month&team=4"
        );
    }

    #[test]
    fn a_kept_password_is_left_out_of_the_smtp_body() {
        let mut input = SmtpSettingsInput {
            host: "smtp.example.com".into(),
            port: 587,
            security: SmtpSecurity::StartTls,
            username: None,
            password: None,
            from_address: "pingjia@example.com".into(),
            from_name: "评价".into(),
            link_base: String::new(),
        };
        let Body::Json(kept) = smtp_body(&input).unwrap() else {
            panic!("a JSON body")
        };
        assert!(!kept.contains("password"), "{kept}");
        input.password = Some(String::new());
        let Body::Json(removed) = smtp_body(&input).unwrap() else {
            panic!("a JSON body")
        };
        assert!(removed.contains(r#""password":"""#), "{removed}");
    }
}
