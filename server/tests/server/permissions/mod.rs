//! THE permission test: every route of the served OpenAPI document, called anonymously and as
//! each role, against the access the table in `authz.rs` gives it, plus the ownership cases
//! (a user's own records, another customer's, another team's).
//!
//! A new endpoint fails [`every_route_has_a_rule_and_a_case`] until it gets a rule in
//! the `RULES` of its API module and a row in [`endpoints`](endpoints::endpoints) (a request valid enough to reach the
//! handler, and the access the endpoint must have). Ownership cases go in `ownership::ownership_cases`.

mod endpoints;
mod endpoints_admin;
mod endpoints_calibration;
mod endpoints_disputes;
mod ownership;

use endpoints::endpoints;
use pingjia_server::db::sql;

use std::collections::BTreeSet;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get};
use pingjia_domain::wire::Role;
use pingjia_server::api::ACCESS;
use pingjia_server::http::authz::{Access, Guarded, authorize};
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
const QA_OR_LEAD: Expect = Expect::Only(&[Role::QaInspector, Role::Admin, Role::TeamLead]);
const OWNERS: Expect = Expect::Only(&[Role::Agent, Role::TeamLead]);
const AGENT_ONLY: Expect = Expect::Only(&[Role::Agent]);
const LEAD_ONLY: Expect = Expect::Only(&[Role::TeamLead]);
const LEAD_OR_ADMIN: Expect = Expect::Only(&[Role::TeamLead, Role::Admin]);
const PLAN_READERS: Expect = Expect::Only(&[Role::Agent, Role::TeamLead, Role::Admin]);
const STAFF: Expect = Expect::Only(&[Role::Agent, Role::TeamLead, Role::QaInspector, Role::Admin]);

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
    /// `C000001`'s record with a rating link, not rated (the link's submission rates it).
    linked_record: i64,
    /// That link's token.
    link: String,
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
        let linked_record = record(people.member).await;
        let mut tx = pingjia_server::db::begin_write(&app.state.pool)
            .await
            .unwrap();
        let link = pingjia_server::services::invitations::issue(
            &mut tx,
            linked_record,
            app.now(),
            7,
            pingjia_server::services::invitations::Earlier::Keep,
        )
        .await
        .unwrap()
        .token
        .as_str()
        .to_owned();
        tx.commit().await.unwrap();
        let others_number = rate(app, people.customer, others_rated_record).await;
        let own_appeal = appeal(app, people.member, &own_number).await;
        let others_appeal = appeal(app, people.customer, &others_number).await;
        let (qa_plan, qa_sample) = qa_plan(app, people).await;
        let plan = sql::query_scalar(
            "INSERT INTO improvement_plans (evaluation_id, agent_id, created_at, due_at)
             SELECT id, agent_id, submitted_at, submitted_at FROM evaluations WHERE number = ?
             RETURNING id",
        )
        .bind(&own_number)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        let callback = sql::query_scalar(
            "INSERT INTO callback_tasks (evaluation_id, agent_id, team_id, created_at, due_at)
             SELECT e.id, e.agent_id, u.team_id, e.submitted_at, e.submitted_at
             FROM evaluations e JOIN users u ON u.id = e.agent_id WHERE e.number = ?
             RETURNING id",
        )
        .bind(&others_number)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        let subscription = sql::query_scalar(
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
        let report: i64 = sql::query_scalar(
            "INSERT INTO reports (kind, period_key, scope_team_id, generated_at, body)
             VALUES ('week', '2026-W01', ?, '2026-01-05T00:00:00Z',
                     '{\"period\":{\"from\":\"2025-12-29\",\"to\":\"2026-01-04\"}}')
             RETURNING id",
        )
        .bind(people.team)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        // A report mail is a delivery of the queue linked to its report and subscription.
        let delivery = sql::query_scalar(
            "INSERT INTO deliveries (message_id, dedupe_key, channel, purpose, subject_kind,
                 subject_id, recipient, content, summary, status, attempts, last_error,
                 created_at)
             VALUES ('msg_permissions', 'report:permissions', 'email', 'report', 'report', ?,
                     'lead@example.com', '{\"kind\":\"email\",\"subject\":\"s\",\"text\":\"t\",\"html\":\"h\"}',
                     's', 'failed', 6, 'refused', '2026-01-05T00:00:00Z')
             RETURNING id",
        )
        .bind(report)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        sql::query(
            "INSERT INTO report_mails (delivery_id, report_id, subscription_id) VALUES (?, ?, ?)",
        )
        .bind(delivery)
        .bind(report)
        .bind(subscription)
        .execute(&app.state.pool)
        .await
        .unwrap();
        Rating {
            linked_record,
            link,
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
    let ruled: BTreeSet<(String, String)> = ACCESS
        .rules()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    let rating = Rating::insert(&app, &people).await;
    let cases = endpoints(&people, &rating);
    let tested: BTreeSet<(String, String)> = cases
        .iter()
        .map(|e| (e.method.to_string(), e.template.to_owned()))
        .collect();
    assert_eq!(documented, ruled, "documented routes vs api::ACCESS");
    assert_eq!(
        documented, tested,
        "documented routes vs this test's endpoints()"
    );
    for case in &cases {
        let rule = ACCESS
            .rules()
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
