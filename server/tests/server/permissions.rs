//! THE permission test: every route of the served OpenAPI document, called anonymously and as
//! each role, against the access the table in `authz.rs` gives it, plus the ownership cases
//! (a user's own records, another customer's, another team's).
//!
//! A new endpoint fails [`every_route_has_a_rule_and_a_case`] until it gets a rule in
//! `authz::RULES` and a row in [`endpoints`] here (a request valid enough to reach the
//! handler, and the access the endpoint must have). Ownership cases go in [`ownership_cases`].

use std::collections::BTreeSet;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get};
use pingjia_domain::wire::Role;
use pingjia_server::http::authz::{Access, RULES, authorize};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::common::{PASSWORD, People, TestApp, body_json, body_text, empty_request, json_request};

/// Who may call an endpoint, as this test expects it (the table must agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Public,
    SignedIn,
    Only(&'static [Role]),
    /// An API key, never a session: without a key everyone gets 401.
    ApiKey,
}

impl Expect {
    fn matches(self, access: Access) -> bool {
        match (self, access) {
            (Expect::Public, Access::Public) => true,
            (Expect::SignedIn, Access::Authenticated) => true,
            (Expect::ApiKey, Access::ApiKey) => true,
            (Expect::Only(expected), Access::Roles(roles)) => {
                expected.len() == roles.len() && expected.iter().all(|r| roles.contains(r))
            }
            _ => false,
        }
    }

    fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Expect::Public, _) => true,
            (Expect::ApiKey, _) => false,
            (_, None) => false,
            (Expect::SignedIn, Some(_)) => true,
            (Expect::Only(roles), Some(role)) => roles.contains(&role),
        }
    }
}

const ADMIN_ONLY: Expect = Expect::Only(&[Role::Admin]);
const CUSTOMER_ONLY: Expect = Expect::Only(&[Role::Customer]);
const QA_ONLY: Expect = Expect::Only(&[Role::QaInspector, Role::Admin]);
const OWNERS: Expect = Expect::Only(&[Role::Agent, Role::TeamLead]);
const AGENT_ONLY: Expect = Expect::Only(&[Role::Agent]);
const LEAD_ONLY: Expect = Expect::Only(&[Role::TeamLead]);
const LEAD_OR_ADMIN: Expect = Expect::Only(&[Role::TeamLead, Role::Admin]);
const PLAN_READERS: Expect = Expect::Only(&[Role::Agent, Role::TeamLead, Role::Admin]);

/// What to send: a body valid enough that an allowed caller reaches the handler.
enum Send {
    Nothing,
    Json(Value),
    /// JSON with an `Idempotency-Key` header.
    Idempotent(Value),
    Csv(&'static str),
}

/// The key the permission requests send as `Idempotency-Key`.
const KEY: &str = "permission-test-key";

/// What the rating endpoints are called on: service records that ended an hour ago, of the
/// customer each role's test acts as (`C000001`) and of another (`C000002`), each with one
/// rated and one not.
struct Rating {
    /// `C000001`'s, not rated.
    own_record: i64,
    /// `C000001`'s evaluation.
    own_number: String,
    /// `C000002`'s, not rated.
    others_record: i64,
    /// `C000002`'s, rated.
    others_rated_record: i64,
    /// `C000002`'s evaluation.
    others_number: String,
    /// `C000001`'s appeal of `own_number`, pending.
    own_appeal: i64,
    /// `C000002`'s appeal of `others_number`, pending.
    others_appeal: i64,
    /// A QA plan over these records, dealt to `Q0001` alone.
    qa_plan: i64,
    /// One of its sampled records.
    qa_sample: i64,
    /// `E1001`'s improvement plan answering `own_number`, open.
    plan: i64,
    /// The callback of `others_number` for `E1001`'s team.
    callback: i64,
    /// A weekly report subscription of `E1001`'s team.
    subscription: i64,
    /// A failed mail of that team's kept report.
    delivery: i64,
}

impl Rating {
    async fn insert(app: &TestApp, people: &People) -> Rating {
        let ended = app.now() - chrono::Duration::hours(1);
        let record =
            |customer: i64| app.service_record(customer, people.agent, "online_chat", ended);
        let own_record = record(people.member).await;
        let own_rated = record(people.member).await;
        let others_record = record(people.customer).await;
        let others_rated_record = record(people.customer).await;
        let own_number = rate(app, people.member, own_rated).await;
        let others_number = rate(app, people.customer, others_rated_record).await;
        let own_appeal = appeal(app, people.member, &own_number).await;
        let others_appeal = appeal(app, people.customer, &others_number).await;
        let (qa_plan, qa_sample) = qa_plan(app, people).await;
        let plan = sqlx::query_scalar(
            "INSERT INTO improvement_plans (evaluation_id, agent_id, created_at, due_at)
             SELECT id, agent_id, submitted_at, submitted_at FROM evaluations WHERE number = ?
             RETURNING id",
        )
        .bind(&own_number)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        let callback = sqlx::query_scalar(
            "INSERT INTO callback_tasks (evaluation_id, agent_id, team_id, created_at, due_at)
             SELECT e.id, e.agent_id, u.team_id, e.submitted_at, e.submitted_at
             FROM evaluations e JOIN users u ON u.id = e.agent_id WHERE e.number = ?
             RETURNING id",
        )
        .bind(&others_number)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        let subscription = sqlx::query_scalar(
            "INSERT INTO report_subscriptions (kind, team_id, recipients, created_by, created_at,
                 first_key)
             VALUES ('week', ?, '[\"lead@example.com\"]', ?, '2026-01-01T00:00:00Z', '2026-W01')
             RETURNING id",
        )
        .bind(people.team)
        .bind(people.admin)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        let report: i64 = sqlx::query_scalar(
            "INSERT INTO reports (kind, period_key, scope_team_id, generated_at, body)
             VALUES ('week', '2026-W01', ?, '2026-01-05T00:00:00Z',
                     '{\"period\":{\"from\":\"2025-12-29\",\"to\":\"2026-01-04\"}}')
             RETURNING id",
        )
        .bind(people.team)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        let delivery = sqlx::query_scalar(
            "INSERT INTO report_deliveries (report_id, subscription_id, address, status, attempts,
                 last_error, created_at)
             VALUES (?, ?, 'lead@example.com', 'failed', 6, 'refused', '2026-01-05T00:00:00Z')
             RETURNING id",
        )
        .bind(report)
        .bind(subscription)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        Rating {
            subscription,
            delivery,
            plan,
            callback,
            qa_plan,
            qa_sample,
            own_record,
            own_number,
            others_record,
            others_rated_record,
            others_number,
            own_appeal,
            others_appeal,
        }
    }
}

fn answers(record: i64) -> Value {
    json!({
        "service_record_id": record,
        "scores": {
            "attitude": 4, "professionalism": 4, "responsiveness": 4,
            "resolution": 4, "compliance": 4,
        },
        "overall": 8,
    })
}

/// Rates `record` as `customer` through the API: the evaluation's number.
async fn rate(app: &TestApp, customer: i64, record: i64) -> String {
    let created = app
        .rate_record(customer, record, answers(record), "fixture")
        .await;
    created["number"].as_str().unwrap().to_owned()
}

fn appeal_body() -> Value {
    json!({ "reason": "客服其实解决了问题，我打分时点错了" })
}

/// Appeals `number` as `customer` through the API: the appeal's id.
async fn appeal(app: &TestApp, customer: i64, number: &str) -> i64 {
    let cookie = app.session(customer).await;
    let mut request = json_request(
        Method::POST,
        &format!("/api/v1/evaluations/{number}/appeals"),
        Some(&cookie),
        &appeal_body(),
    );
    request.headers_mut().insert(
        "idempotency-key",
        format!("fixture-appeal-{number}").parse().unwrap(),
    );
    let response = app.request(request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    body_json(response).await["id"].as_i64().unwrap()
}

/// A QA plan of the last two days, dealt to `Q0001`: its id and its first sample's.
async fn qa_plan(app: &TestApp, people: &People) -> (i64, i64) {
    let cookie = app.session(people.qa).await;
    let today = pingjia_server::time::org_day(app.now());
    let mut request = json_request(
        Method::POST,
        "/api/v1/qa/plans",
        Some(&cookie),
        &json!({
            "name": "权限测试", "from": (today - chrono::Duration::days(1)).to_string(),
            "to": today.to_string(), "template_id": 1, "inspector_ids": [people.qa],
        }),
    );
    request
        .headers_mut()
        .insert("idempotency-key", "fixture-qa-plan".parse().unwrap());
    let response = app.request(request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let plan = body_json(response).await;
    (
        plan["plan"]["id"].as_i64().unwrap(),
        plan["samples"][0]["id"].as_i64().unwrap(),
    )
}

/// One routed endpoint and how to call it.
struct Endpoint {
    method: Method,
    /// The path as routed and documented.
    template: &'static str,
    /// A concrete URI of it.
    uri: String,
    send: Send,
    expect: Expect,
}

fn endpoint(
    method: Method,
    template: &'static str,
    uri: impl Into<String>,
    send: Send,
    expect: Expect,
) -> Endpoint {
    Endpoint {
        method,
        template,
        uri: uri.into(),
        send,
        expect,
    }
}

/// Every endpoint of the API. Requests that change data target users the callers are not.
fn endpoints(people: &People, rating: &Rating) -> Vec<Endpoint> {
    let target = people.other_agent;
    vec![
        endpoint(
            Method::GET,
            "/api/v1/health",
            "/api/v1/health",
            Send::Nothing,
            Expect::Public,
        ),
        endpoint(
            Method::GET,
            "/api/v1/openapi.json",
            "/api/v1/openapi.json",
            Send::Nothing,
            Expect::Public,
        ),
        endpoint(
            Method::POST,
            "/api/v1/auth/login",
            "/api/v1/auth/login",
            Send::Json(json!({ "kind": "staff", "login": "Q0001", "password": PASSWORD })),
            Expect::Public,
        ),
        endpoint(
            Method::POST,
            "/api/v1/auth/logout",
            "/api/v1/auth/logout",
            Send::Nothing,
            Expect::SignedIn,
        ),
        endpoint(
            Method::GET,
            "/api/v1/auth/me",
            "/api/v1/auth/me",
            Send::Nothing,
            Expect::SignedIn,
        ),
        endpoint(
            Method::POST,
            "/api/v1/auth/password",
            "/api/v1/auth/password",
            // A wrong current password: the handler answers 422 and nothing changes.
            Send::Json(
                json!({ "current_password": "Not-The-Password-1", "new_password": "Saffron-Kettle-Drum" }),
            ),
            Expect::SignedIn,
        ),
        endpoint(
            Method::GET,
            "/api/v1/catalog",
            "/api/v1/catalog",
            Send::Nothing,
            Expect::SignedIn,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/service-records",
            "/api/v1/me/service-records",
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/service-records/{id}",
            format!("/api/v1/me/service-records/{}", rating.own_record),
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/evaluations",
            "/api/v1/evaluations",
            Send::Idempotent(answers(rating.own_record)),
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/evaluations/{number}",
            format!("/api/v1/evaluations/{}", rating.own_number),
            Send::Nothing,
            Expect::Only(&[Role::Customer, Role::Admin]),
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/evaluations",
            "/api/v1/me/evaluations?page=1&per_page=5",
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/evaluations/{number}/appeals",
            // Already appealed: the handler answers 409 and nothing changes.
            format!("/api/v1/evaluations/{}/appeals", rating.own_number),
            Send::Idempotent(appeal_body()),
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/evaluations/{number}/appeals",
            format!("/api/v1/evaluations/{}/appeals", rating.own_number),
            Send::Nothing,
            Expect::Only(&[Role::Customer, Role::Admin]),
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/appeals",
            "/api/v1/me/appeals",
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/appeals/{id}/seen",
            format!("/api/v1/me/appeals/{}/seen", rating.own_appeal),
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/appeals",
            "/api/v1/appeals?status=pending&page=1&per_page=5",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/appeals/{id}/decision",
            format!("/api/v1/appeals/{}/decision", rating.others_appeal),
            Send::Json(json!({ "decision": "reject", "reason": "评分与服务记录一致" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/moderation/queue",
            format!(
                "/api/v1/moderation/queue?status=under_review&rule=extreme&agent_id={}\
                 &from=2026-11-01&to=2026-11-30&page=1&per_page=5",
                people.agent
            ),
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/moderation/evaluations/{id}",
            "/api/v1/moderation/evaluations/1",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/moderation/decisions",
            "/api/v1/moderation/decisions",
            // No such evaluation: the handler answers 422 and nothing changes.
            Send::Json(
                json!({ "evaluation_ids": [999_999], "decision": "delete", "reason": "刷单" }),
            ),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/moderation/terms",
            "/api/v1/moderation/terms",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/moderation/terms",
            "/api/v1/moderation/terms",
            Send::Json(json!({ "term": "permission-test-term" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/moderation/terms/{term}",
            "/api/v1/moderation/terms/crap",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/home",
            "/api/v1/qa/home",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/options",
            "/api/v1/qa/options",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/templates",
            "/api/v1/qa/templates",
            Send::Nothing,
            QA_ONLY,
        ),
        // Invalid bodies: the handler answers 422 and nothing is written.
        endpoint(
            Method::POST,
            "/api/v1/qa/templates",
            "/api/v1/qa/templates",
            Send::Idempotent(json!({ "name_zh": "", "dimensions": [] })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/templates/{id}",
            "/api/v1/qa/templates/1",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/qa/templates/{id}",
            "/api/v1/qa/templates/2",
            Send::Json(json!({ "name_zh": "", "dimensions": [] })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/plans",
            "/api/v1/qa/plans",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/qa/plans",
            "/api/v1/qa/plans",
            Send::Idempotent(json!({
                "name": "", "from": "2026-11-01", "to": "2026-11-02", "template_id": 1,
                "inspector_ids": [],
            })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/plans/{id}",
            format!("/api/v1/qa/plans/{}", rating.qa_plan),
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/plans/{id}/report",
            format!("/api/v1/qa/plans/{}/report", rating.qa_plan),
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/plans/{id}/report.csv",
            format!("/api/v1/qa/plans/{}/report.csv", rating.qa_plan),
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/samples/{id}",
            format!("/api/v1/qa/samples/{}", rating.qa_sample),
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/qa/samples/{id}/inspection",
            format!("/api/v1/qa/samples/{}/inspection", rating.qa_sample),
            Send::Json(json!({ "answers": [], "scores": [] })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/rectifications",
            "/api/v1/qa/rectifications?status=overdue",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/qa/rectifications/{id}/report",
            "/api/v1/qa/rectifications/1/report",
            Send::Json(json!({ "result": "rectified", "note": "" })),
            OWNERS,
        ),
        endpoint(
            Method::POST,
            "/api/v1/qa/rectifications/{id}/recheck",
            "/api/v1/qa/rectifications/1/recheck",
            Send::Json(json!({ "accepted": false, "note": "" })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/qa",
            "/api/v1/me/qa",
            Send::Nothing,
            OWNERS,
        ),
        endpoint(
            Method::GET,
            "/api/v1/audit-log",
            "/api/v1/audit-log?action=evaluation.*&actor=A0001&target_type=evaluation\
             &from=2026-11-01&to=2026-11-30&page=1&per_page=5",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/feedback/summary",
            "/api/v1/me/feedback/summary?granularity=week",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/feedback",
            "/api/v1/me/feedback?unread=true",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/feedback/unread",
            "/api/v1/me/feedback/unread",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/feedback/stream",
            "/api/v1/me/feedback/stream",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/feedback/{number}/read",
            format!("/api/v1/me/feedback/{}/read", rating.own_number),
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/feedback/read-all",
            "/api/v1/me/feedback/read-all",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/feedback/{number}/assessment",
            format!("/api/v1/me/feedback/{}/assessment", rating.others_number),
            Send::Json(json!({ "reasonable": false, "reason": "与服务无关" })),
            AGENT_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/improvement-plans",
            "/api/v1/improvement-plans?overdue=true",
            Send::Nothing,
            PLAN_READERS,
        ),
        endpoint(
            Method::GET,
            "/api/v1/improvement-plans/{id}",
            format!("/api/v1/improvement-plans/{}", rating.plan),
            Send::Nothing,
            PLAN_READERS,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/improvement-plans/{id}",
            format!("/api/v1/improvement-plans/{}", rating.plan),
            Send::Json(
                json!({ "measures": "每天复盘低分通话并整理答复", "target_date": "2099-01-01" }),
            ),
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/improvement-plans/{id}/review",
            format!("/api/v1/improvement-plans/{}/review", rating.plan),
            Send::Json(json!({ "decision": "acknowledge" })),
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/callbacks",
            "/api/v1/callbacks?open=true",
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::POST,
            "/api/v1/callbacks/{id}",
            format!("/api/v1/callbacks/{}", rating.callback),
            Send::Json(json!({ "outcome": "resolved", "notes": "已回访，客户满意" })),
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/team/summary",
            "/api/v1/team/summary",
            Send::Nothing,
            LEAD_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/reports",
            "/api/v1/reports?kind=week",
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/reports/{kind}/{key}",
            format!("/api/v1/reports/week/2026-W01?team={}", people.team),
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/reports/{kind}/{key}/csv/{table}",
            format!(
                "/api/v1/reports/month/2026-01/csv/agents?team={}",
                people.team
            ),
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/report-subscriptions",
            "/api/v1/report-subscriptions",
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::POST,
            "/api/v1/report-subscriptions",
            "/api/v1/report-subscriptions",
            Send::Idempotent(
                json!({ "kind": "month", "team_id": people.team, "recipients": ["a@example.com"] }),
            ),
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/report-subscriptions/{id}",
            format!("/api/v1/report-subscriptions/{}", rating.subscription),
            Send::Json(
                json!({ "kind": "week", "team_id": people.team, "recipients": ["b@example.com"] }),
            ),
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::POST,
            "/api/v1/report-deliveries/{id}/retry",
            format!("/api/v1/report-deliveries/{}/retry", rating.delivery),
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/settings/smtp",
            "/api/v1/settings/smtp",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/settings/smtp",
            "/api/v1/settings/smtp",
            Send::Json(json!({
                "host": "127.0.0.1", "port": 1, "security": "none",
                "from_address": "pingjia@example.com", "from_name": "评价",
            })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/settings/smtp/test",
            "/api/v1/settings/smtp/test",
            Send::Json(json!({ "to": "not an address" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/report-subscriptions/{id}",
            format!("/api/v1/report-subscriptions/{}", rating.subscription),
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/options",
            "/api/v1/analytics/options",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/kpis",
            "/api/v1/analytics/kpis?agent=E1001",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/trend",
            "/api/v1/analytics/trend?granularity=week",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/dimensions",
            "/api/v1/analytics/dimensions",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/segments",
            "/api/v1/analytics/segments",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/distribution",
            "/api/v1/analytics/distribution",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/agents",
            "/api/v1/analytics/agents",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/words",
            "/api/v1/analytics/words?sentiment=praise",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/evaluations",
            "/api/v1/analytics/evaluations?overall=8",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/evaluations.csv",
            "/api/v1/analytics/evaluations.csv",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/analytics/stop-words",
            "/api/v1/analytics/stop-words",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/analytics/stop-words",
            "/api/v1/analytics/stop-words",
            Send::Json(json!({ "word": "permission-test" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/analytics/stop-words/{word}",
            "/api/v1/analytics/stop-words/permission-test",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/stats/service-volume",
            "/api/v1/stats/service-volume?days=7",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/users",
            "/api/v1/users?q=138&role=customer&page=1&per_page=5",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/users",
            "/api/v1/users",
            Send::Json(json!({
                "role": "agent", "display_name": "新同事", "employee_no": "E3001",
                "team_id": people.team, "password": "Saffron-Kettle-Drum",
            })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/users/import",
            "/api/v1/users/import",
            Send::Csv(
                "role,display_name,employee_no,customer_no,member_no,phone,customer_type,team,password\n\
                 customer,王五,,C000900,,13900000900,new,,\n",
            ),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PATCH,
            "/api/v1/users/{id}",
            format!("/api/v1/users/{target}"),
            Send::Json(json!({ "display_name": "赵敏敏" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/users/{id}/password",
            format!("/api/v1/users/{target}/password"),
            Send::Json(json!({ "new_password": "Saffron-Kettle-Drum" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/teams",
            "/api/v1/teams",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/teams",
            "/api/v1/teams",
            Send::Json(json!({ "name": "华北三组" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PATCH,
            "/api/v1/teams/{id}",
            format!("/api/v1/teams/{}", people.other_team),
            Send::Json(json!({ "name": "华南二组（新）" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/dimensions",
            "/api/v1/dimensions",
            Send::Json(json!({
                "code": "empathy", "name_zh": "同理心", "name_en": "Empathy",
                "description_zh": "是否理解客户的处境", "description_en": "Did they understand you?",
            })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PATCH,
            "/api/v1/dimensions/{code}",
            "/api/v1/dimensions/attitude",
            Send::Json(json!({ "name_en": "Manner" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/dimensions/{code}",
            // Used by every preset type: the handler answers 409 and nothing changes.
            "/api/v1/dimensions/attitude",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/service-types",
            "/api/v1/service-types",
            Send::Json(json!({
                "code": "video_call", "name_zh": "视频客服", "name_en": "Video call",
                "dimensions": [{ "code": "attitude", "optional": false }],
            })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/service-types/order",
            "/api/v1/service-types/order",
            // Not every type: the handler answers 422 and nothing changes.
            Send::Json(json!({ "codes": ["delivery"] })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PATCH,
            "/api/v1/service-types/{code}",
            "/api/v1/service-types/in_store",
            Send::Json(json!({ "name_en": "In-store services" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/service-types/{code}",
            "/api/v1/service-types/delivery",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/service-records",
            "/api/v1/service-records?from=2026-11-01&to=2026-11-30&rated=false&page=1&per_page=5",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/service-records/import",
            "/api/v1/service-records/import?dry_run=true",
            Send::Csv(
                "external_id,customer,agent,service_type,channel,started_at,ended_at,urgency,category,requested_at\n\
                 HD9001,C000001,E1001,online_chat,online,2026-11-20 10:05,2026-11-20 10:20,normal,consultation,2026-11-20 10:00\n",
            ),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/ingest/service-records",
            "/api/v1/ingest/service-records",
            Send::Json(json!({
                "external_id": "HD9002", "customer": "C000001", "agent": "E1001",
                "service_type": "online_chat", "channel": "online",
                "started_at": "2026-11-20 10:05", "ended_at": "2026-11-20 10:20",
                "urgency": "normal", "category": "consultation",
                "requested_at": "2026-11-20 10:00",
            })),
            Expect::ApiKey,
        ),
        endpoint(
            Method::GET,
            "/api/v1/api-keys",
            "/api/v1/api-keys",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/api-keys",
            "/api/v1/api-keys",
            Send::Json(json!({ "name": "crm" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/api-keys/{id}/revoke",
            format!("/api/v1/api-keys/{}/revoke", people.api_key),
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/settings",
            "/api/v1/settings",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/settings",
            "/api/v1/settings",
            Send::Json(json!({ "rating_window_days": 10 })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/calendar",
            "/api/v1/calendar?year=2026",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/calendar/{date}",
            "/api/v1/calendar/2026-12-26",
            Send::Json(json!({ "kind": "workday", "name": "示例调休" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/calendar/{date}",
            "/api/v1/calendar/2026-10-10",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/calendar/bulk",
            "/api/v1/calendar/bulk",
            Send::Json(json!({ "year": 2027, "days": [] })),
            ADMIN_ONLY,
        ),
    ]
}

fn request(endpoint: &Endpoint, cookie: Option<&str>) -> Request<Body> {
    match &endpoint.send {
        Send::Nothing => empty_request(endpoint.method.clone(), &endpoint.uri, cookie),
        Send::Json(body) => json_request(endpoint.method.clone(), &endpoint.uri, cookie, body),
        Send::Idempotent(body) => {
            let mut request = json_request(endpoint.method.clone(), &endpoint.uri, cookie, body);
            request
                .headers_mut()
                .insert("idempotency-key", KEY.parse().unwrap());
            request
        }
        Send::Csv(text) => {
            let mut request = Request::builder()
                .method(endpoint.method.clone())
                .uri(&endpoint.uri)
                .header("content-type", "text/csv");
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            request.body(Body::from(*text)).unwrap()
        }
    }
}

/// The (method, path) pairs of the served OpenAPI document.
async fn documented(app: &TestApp) -> BTreeSet<(String, String)> {
    let document = body_json(app.get("/api/v1/openapi.json").await).await;
    let mut routes = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&method.as_str())
            {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_route_has_a_rule_and_a_case() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let documented = documented(&app).await;
    let ruled: BTreeSet<(String, String)> = RULES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    let rating = Rating::insert(&app, &people).await;
    let cases = endpoints(&people, &rating);
    let tested: BTreeSet<(String, String)> = cases
        .iter()
        .map(|e| (e.method.to_string(), e.template.to_owned()))
        .collect();
    assert_eq!(documented, ruled, "documented routes vs authz::RULES");
    assert_eq!(
        documented, tested,
        "documented routes vs this test's endpoints()"
    );
    for case in &cases {
        let rule = RULES
            .iter()
            .find(|r| r.method == case.method && r.path == case.template)
            .unwrap();
        assert!(
            case.expect.matches(rule.access),
            "{} {}: the table says {:?}, this test expects {:?}",
            case.method,
            case.template,
            rule.access,
            case.expect
        );
    }
}

#[tokio::test]
async fn every_endpoint_answers_every_caller_as_the_table_says() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let callers: Vec<Option<Role>> = std::iter::once(None)
        .chain(Role::ALL.into_iter().map(Some))
        .collect();
    let mut failures = Vec::new();
    let rating = Rating::insert(&app, &people).await;
    for endpoint in endpoints(&people, &rating) {
        for &caller in &callers {
            // A fresh session per call: logout ends it, a password change may end others.
            let cookie = match caller {
                Some(role) => Some(app.session(people.of(role)).await),
                None => None,
            };
            let response = app.request(request(&endpoint, cookie.as_deref())).await;
            let status = response.status();
            let who = caller.map_or("anonymous", Role::as_str);
            let expected = if endpoint.expect.allows(caller) {
                "reaches the handler"
            } else if caller.is_none() || endpoint.expect == Expect::ApiKey {
                "401"
            } else {
                "403"
            };
            let ok = match expected {
                "401" => status == StatusCode::UNAUTHORIZED,
                "403" => status == StatusCode::FORBIDDEN,
                // Reached the handler: not refused, and not a routing answer (a 404 or 405
                // here means the case's URI or method is wrong, or its rule is missing).
                _ => {
                    !matches!(
                        status,
                        StatusCode::UNAUTHORIZED
                            | StatusCode::FORBIDDEN
                            | StatusCode::NOT_FOUND
                            | StatusCode::METHOD_NOT_ALLOWED
                    ) && !status.is_server_error()
                }
            };
            if !ok {
                let body = body_text(response).await;
                failures.push(format!(
                    "{} {} as {who}: {status}, expected {expected}: {body}",
                    endpoint.method, endpoint.uri
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A request a given caller makes about someone's records, and what they must get.
struct OwnershipCase {
    what: &'static str,
    caller: Role,
    request: Request<Body>,
    status: StatusCode,
}

fn ownership_cases(people: &People, rating: &Rating) -> Vec<OwnershipCase> {
    let submit = |caller: Role, what: &'static str, record: i64| {
        let mut request = json_request(Method::POST, "/api/v1/evaluations", None, &answers(record));
        request.headers_mut().insert(
            "idempotency-key",
            format!("{KEY}-{}", caller.as_str()).parse().unwrap(),
        );
        OwnershipCase {
            what,
            caller,
            request,
            status: StatusCode::FORBIDDEN,
        }
    };
    let submissions = [
        submit(
            Role::Customer,
            "a customer cannot rate another customer's record",
            rating.others_record,
        ),
        submit(
            Role::Agent,
            "an agent cannot rate a record, not even one they served",
            rating.own_record,
        ),
        submit(
            Role::TeamLead,
            "a team lead cannot rate a record of their team",
            rating.own_record,
        ),
        submit(
            Role::QaInspector,
            "a QA inspector cannot rate a record",
            rating.own_record,
        ),
        submit(
            Role::Admin,
            "an admin cannot rate a record for a customer",
            rating.own_record,
        ),
    ];
    let mut cases = vec![
        OwnershipCase {
            what: "a customer cannot read another customer's rating form",
            caller: Role::Customer,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/me/service-records/{}", rating.others_record),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a customer cannot read the form of another customer's rated record",
            caller: Role::Customer,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/me/service-records/{}", rating.others_rated_record),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a customer cannot look up another customer's evaluation",
            caller: Role::Customer,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}", rating.others_number),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an agent cannot look up an evaluation of their own service",
            caller: Role::Agent,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}", rating.own_number),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an admin can look up any customer's evaluation",
            caller: Role::Admin,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}", rating.others_number),
                None,
            ),
            status: StatusCode::OK,
        },
    ];
    cases.extend(submissions);
    let file_appeal = |caller: Role, what: &'static str, number: &str| {
        let mut request = json_request(
            Method::POST,
            &format!("/api/v1/evaluations/{number}/appeals"),
            None,
            &appeal_body(),
        );
        request.headers_mut().insert(
            "idempotency-key",
            format!("{KEY}-appeal-{}", caller.as_str()).parse().unwrap(),
        );
        OwnershipCase {
            what,
            caller,
            request,
            status: StatusCode::FORBIDDEN,
        }
    };
    let decide = |caller: Role, what: &'static str, status: StatusCode| OwnershipCase {
        what,
        caller,
        request: json_request(
            Method::POST,
            &format!("/api/v1/appeals/{}/decision", rating.own_appeal),
            None,
            &json!({ "decision": "reject", "reason": "评分与服务记录一致" }),
        ),
        status,
    };
    cases.extend([
        file_appeal(
            Role::Customer,
            "a customer cannot appeal another customer's evaluation",
            &rating.others_number,
        ),
        file_appeal(
            Role::Admin,
            "an admin cannot appeal an evaluation for its customer",
            &rating.own_number,
        ),
        file_appeal(
            Role::Agent,
            "an agent cannot appeal an evaluation of their service",
            &rating.own_number,
        ),
        OwnershipCase {
            what: "a customer cannot list another customer's evaluation's appeals",
            caller: Role::Customer,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}/appeals", rating.others_number),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an agent cannot list the appeals of an evaluation of their service",
            caller: Role::Agent,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}/appeals", rating.own_number),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an admin can list any evaluation's appeals",
            caller: Role::Admin,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}/appeals", rating.others_number),
                None,
            ),
            status: StatusCode::OK,
        },
        OwnershipCase {
            what: "a customer cannot mark another customer's appeal seen",
            caller: Role::Customer,
            request: empty_request(
                Method::POST,
                &format!("/api/v1/me/appeals/{}/seen", rating.others_appeal),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        decide(
            Role::Customer,
            "a customer cannot decide their own appeal",
            StatusCode::FORBIDDEN,
        ),
        decide(
            Role::TeamLead,
            "a team lead cannot decide an appeal about their team",
            StatusCode::FORBIDDEN,
        ),
        decide(
            Role::QaInspector,
            "a QA inspector cannot decide an appeal",
            StatusCode::FORBIDDEN,
        ),
        decide(Role::Admin, "an admin decides appeals", StatusCode::OK),
    ]);
    cases.extend(vec![
        OwnershipCase {
            what: "a customer cannot list users, not even searching their own phone",
            caller: Role::Customer,
            request: empty_request(Method::GET, "/api/v1/users?q=13800000001", None),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an agent cannot change their own account",
            caller: Role::Agent,
            request: json_request(
                Method::PATCH,
                &format!("/api/v1/users/{}", people.agent),
                None,
                &json!({ "role": "admin" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a team lead cannot rename their own team",
            caller: Role::TeamLead,
            request: json_request(
                Method::PATCH,
                &format!("/api/v1/teams/{}", people.team),
                None,
                &json!({ "name": "我的组" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an agent cannot list service records, not even their own",
            caller: Role::Agent,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/service-records?agent_id={}", people.agent),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a team lead cannot list their team's records through the admin list",
            caller: Role::TeamLead,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/service-records?team_id={}", people.team),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an admin's session is not an API key: ingestion refuses it",
            caller: Role::Admin,
            request: json_request(
                Method::POST,
                "/api/v1/ingest/service-records",
                None,
                &json!({}),
            ),
            status: StatusCode::UNAUTHORIZED,
        },
        OwnershipCase {
            what: "a team lead cannot review their own team's flagged evaluations",
            caller: Role::TeamLead,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/moderation/queue?agent_id={}", people.agent),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an agent cannot delete an evaluation of their own service",
            caller: Role::Agent,
            request: json_request(
                Method::POST,
                "/api/v1/moderation/decisions",
                None,
                &json!({ "evaluation_ids": [1], "decision": "delete", "reason": "不公平" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a customer cannot keep or delete evaluations, not even their own",
            caller: Role::Customer,
            request: json_request(
                Method::POST,
                "/api/v1/moderation/decisions",
                None,
                &json!({ "evaluation_ids": [1], "decision": "delete", "reason": "写错了" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a QA inspector cannot read the review queue",
            caller: Role::QaInspector,
            request: empty_request(Method::GET, "/api/v1/moderation/queue", None),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a QA inspector cannot read the audit log",
            caller: Role::QaInspector,
            request: empty_request(Method::GET, "/api/v1/audit-log", None),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a team lead cannot change the settings",
            caller: Role::TeamLead,
            request: json_request(Method::PUT, "/api/v1/settings", None, &json!({})),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a team lead cannot set a password of an agent of their team",
            caller: Role::TeamLead,
            request: json_request(
                Method::POST,
                &format!("/api/v1/users/{}/password", people.agent),
                None,
                &json!({ "new_password": "Saffron-Kettle-Drum" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
    ]);
    cases
}

#[tokio::test]
async fn ownership_is_enforced() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let rating = Rating::insert(&app, &people).await;
    for case in ownership_cases(&people, &rating) {
        let mut request = case.request;
        let cookie = app.session(people.of(case.caller)).await;
        request
            .headers_mut()
            .insert("cookie", cookie.parse().unwrap());
        let response = app.request(request).await;
        assert_eq!(response.status(), case.status, "{}", case.what);
    }
    let evaluations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM evaluations")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(evaluations, 2, "only the fixtures' evaluations");
    let appeals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appeals")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(appeals, 2, "only the fixtures' appeals");
}

#[tokio::test]
async fn me_is_always_the_callers_own_record() {
    let app = TestApp::new().await;
    let people = app.people().await;
    for user in [
        people.admin,
        people.lead,
        people.qa,
        people.agent,
        people.other_agent,
        people.member,
        people.customer,
    ] {
        let cookie = app.session(user).await;
        let me = body_json(
            app.request(empty_request(Method::GET, "/api/v1/auth/me", Some(&cookie)))
                .await,
        )
        .await;
        assert_eq!(me["id"], user);
        assert!(me.get("phone").is_none() && me.get("password_hash").is_none());
    }
}

#[tokio::test]
async fn a_route_missing_from_the_table_is_refused_to_everyone() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let router = Router::new()
        .route("/api/v1/forgotten", get(|| async { "secret" }))
        .route("/api/v1/users", delete(|| async { "everyone deleted" }))
        .route_layer(from_fn_with_state(app.state.clone(), authorize))
        .with_state(app.state.clone());
    for cookie in [None, Some(app.session(people.admin).await)] {
        let request = empty_request(Method::GET, "/api/v1/forgotten", cookie.as_deref());
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(body_text(response).await.contains("no access rule"));

        // A method routed on a path the table knows, without a rule of its own.
        let request = empty_request(Method::DELETE, "/api/v1/users", cookie.as_deref());
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            crate::common::header(&response, "allow"),
            Some("GET,HEAD,POST")
        );
        assert!(!body_text(response).await.contains("deleted"));
    }
}

#[tokio::test]
async fn wrong_methods_are_405_and_unknown_paths_404() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let admin = app.session(people.admin).await;
    let response = app
        .request(empty_request(
            Method::GET,
            "/api/v1/no-such-route",
            Some(&admin),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .request(empty_request(Method::DELETE, "/api/v1/users", Some(&admin)))
        .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let response = app
        .request(empty_request(Method::DELETE, "/api/v1/users", None))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::METHOD_NOT_ALLOWED,
        "no handler runs, so no session is needed to learn the method is wrong"
    );
}
