//! Appeals (申诉): filing within the window (checks, idempotency, one open appeal), the admin
//! queue, approving (a new version, the earlier kept, statistics on the current one) and
//! rejecting, what the customer sees (status, reason, the unseen badge), and the audit log.
//! Every test runs on a fixed clock moved by hand; none sleeps.

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::appeals::{AdminAppealPage, Appeal, AppealList, AppealStatus};
use pingjia_domain::evaluations::{CustomerStatus, Evaluation, MyEvaluationPage};
use pingjia_server::db::sql;
use pingjia_server::time::to_db;
use serde_json::{Value, json};

use crate::common::{People, TestApp, body_json, empty_request, header, json_request, problem};

fn start() -> DateTime<Utc> {
    "2026-11-22T02:00:00Z".parse().unwrap()
}

const REASON: &str = "客服其实很耐心，我当时误点了低分";

/// A fresh app on a fixed clock with [`People`], both customers and the admin signed in.
struct Appeals {
    app: TestApp,
    people: People,
    /// `C000001`'s session.
    member: String,
    /// `C000002`'s session.
    customer: String,
    admin: String,
}

impl Appeals {
    async fn new() -> Appeals {
        let app = TestApp::new().await.at(start());
        let people = app.people().await;
        let member = app.session(people.member).await;
        let customer = app.session(people.customer).await;
        let admin = app.session(people.admin).await;
        Appeals {
            app,
            people,
            member,
            customer,
            admin,
        }
    }

    /// Moves the clock on; everyone signs in again (sessions end after 2 idle hours).
    async fn advance(&mut self, by: Duration) {
        self.app.advance(by);
        self.member = self.app.session(self.people.member).await;
        self.customer = self.app.session(self.people.customer).await;
        self.admin = self.app.session(self.people.admin).await;
    }

    /// An online chat of `customer` that ended an hour ago, rated 2, 3, 2, 1, 3 (total 2.2),
    /// overall 4, through `POST /evaluations`: the evaluation.
    async fn rated(&self, customer: i64, cookie: &str) -> Evaluation {
        let record = self
            .app
            .service_record(
                customer,
                self.people.agent,
                "online_chat",
                self.app.now() - Duration::hours(1),
            )
            .await;
        let mut request = json_request(
            Method::POST,
            "/api/v1/evaluations",
            Some(cookie),
            &json!({
                "service_record_id": record,
                "scores": {
                    "attitude": 2, "professionalism": 3, "responsiveness": 2,
                    "resolution": 1, "compliance": 3,
                },
                "overall": 4,
                "suggestion": "等了很久",
            }),
        );
        request.headers_mut().insert(
            "idempotency-key",
            format!("rate-record-{record}").parse().unwrap(),
        );
        let response = self.app.request(request).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    async fn file(&self, cookie: &str, number: &str, key: &str, body: &Value) -> Response<Body> {
        let mut request = json_request(
            Method::POST,
            &format!("/api/v1/evaluations/{number}/appeals"),
            Some(cookie),
            body,
        );
        request
            .headers_mut()
            .insert("idempotency-key", key.parse().unwrap());
        self.app.request(request).await
    }

    /// Files an appeal that succeeds: the appeal.
    async fn filed(&self, cookie: &str, number: &str, body: &Value) -> Appeal {
        let key = format!("appeal-{number}-{}", self.app.now().timestamp());
        let response = self.file(cookie, number, &key, body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    async fn decide(&self, cookie: &str, id: i64, body: &Value) -> Response<Body> {
        self.app
            .request(json_request(
                Method::POST,
                &format!("/api/v1/appeals/{id}/decision"),
                Some(cookie),
                body,
            ))
            .await
    }

    async fn get(&self, cookie: &str, uri: &str) -> Response<Body> {
        self.app
            .request(empty_request(Method::GET, uri, Some(cookie)))
            .await
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, cookie: &str, uri: &str) -> T {
        let response = self.get(cookie, uri).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {uri}");
        serde_json::from_value(body_json(response).await).unwrap()
    }

    async fn evaluation(&self, cookie: &str, number: &str) -> Evaluation {
        self.get_json(cookie, &format!("/api/v1/evaluations/{number}"))
            .await
    }

    async fn my_appeals(&self, cookie: &str) -> AppealList {
        self.get_json(cookie, "/api/v1/me/appeals").await
    }

    async fn count(&self, sql: &str) -> i64 {
        sql::query_scalar(sql)
            .fetch_one(&self.app.state.pool)
            .await
            .unwrap()
    }
}

/// A request for 5s everywhere, overall 10, no suggestion.
fn wants_all_fives() -> Value {
    json!({
        "reason": REASON,
        "requested": {
            "scores": {
                "attitude": 5, "professionalism": 5, "responsiveness": 5,
                "resolution": 5, "compliance": 5,
            },
            "overall": 10,
        },
    })
}

#[tokio::test]
async fn an_approved_appeal_with_an_edited_change_makes_a_new_version() {
    let mut t = Appeals::new().await;
    let evaluation = t.rated(t.people.member, &t.member).await;
    assert_eq!(evaluation.version, 1);
    assert!(evaluation.can_appeal);
    assert_eq!(
        evaluation.appeal_until,
        Some(evaluation.submitted_at + Duration::hours(24))
    );
    let number = evaluation.number.clone();

    t.advance(Duration::hours(3)).await;
    let appeal = t.filed(&t.member, &number, &wants_all_fives()).await;
    assert_eq!(appeal.status, AppealStatus::Pending);
    assert_eq!(appeal.evaluation_number, number);
    assert_eq!(appeal.reason, REASON);
    assert_eq!(appeal.version, 1);
    assert_eq!(appeal.current.total_score, 2.2);
    assert_eq!(appeal.current.suggestion.as_deref(), Some("等了很久"));
    let requested = appeal.requested.clone().unwrap();
    assert_eq!(requested.total_score, 5.0);
    assert_eq!(requested.overall, 10);
    assert_eq!(requested.suggestion, None);
    assert_eq!(requested.scores[0].name_zh, "服务态度");
    assert!(!appeal.seen_by_customer);

    let seen = t.evaluation(&t.member, &number).await;
    assert_eq!(seen.status, CustomerStatus::AppealPending);
    assert!(!seen.can_appeal, "one open appeal at a time");

    // The queue shows it with the evaluation as it stands and the customer's history.
    let queue: AdminAppealPage = t.get_json(&t.admin, "/api/v1/appeals").await;
    assert_eq!((queue.total, queue.pending), (1, 1));
    let item = &queue.appeals[0];
    assert_eq!(item.appeal.id, appeal.id);
    assert_eq!(item.evaluation.number, number);
    assert_eq!(item.evaluation.total_score, 2.2);
    assert_eq!(item.customer.customer_no, "C000001");
    assert_eq!(item.customer_appeals.total, 0);

    // The admin applies an edit of the requested change.
    t.advance(Duration::hours(5)).await;
    let edited = json!({
        "decision": "approve",
        "reason": "  核实聊天记录，响应确有延迟，其余属实  ",
        "applied": {
            "scores": {
                "attitude": 5, "professionalism": 5, "responsiveness": 3,
                "resolution": 5, "compliance": 5,
            },
            "overall": 8,
            "suggestion": "等了很久",
        },
    });
    let response = t.decide(&t.admin, appeal.id, &edited).await;
    assert_eq!(response.status(), StatusCode::OK);
    let decided: Appeal = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(decided.status, AppealStatus::Approved);
    assert_eq!(
        decided.decision_reason.as_deref(),
        Some("核实聊天记录，响应确有延迟，其余属实")
    );
    assert_eq!(decided.decided_at, Some(t.app.now()));
    assert_eq!(decided.new_version, Some(2));
    let applied = decided.applied.unwrap();
    assert_eq!(applied.total_score, 4.6, "(5+5+3+5+5)/5, by the server");
    assert_eq!(applied.overall, 8);

    // The evaluation's current values changed, the first version is kept.
    let now = t.evaluation(&t.member, &number).await;
    assert_eq!(now.version, 2);
    assert_eq!(now.status, CustomerStatus::Revised);
    assert_eq!(now.total_score, 4.6);
    assert_eq!(now.overall, 8);
    assert_eq!(now.suggestion.as_deref(), Some("等了很久"));
    let score =
        |e: &Evaluation, code: &str| e.scores.iter().find(|s| s.code == code).unwrap().score;
    assert_eq!(score(&now, "responsiveness"), Some(3));
    assert_eq!(score(&now, "resolution"), Some(5));
    assert_eq!(score(&now, "added_value"), None);
    assert_eq!(now.history.len(), 1);
    let first = &now.history[0];
    assert_eq!(first.version, 1);
    assert_eq!(first.total_score, 2.2);
    assert_eq!(first.overall, 4);
    assert_eq!(
        first
            .scores
            .iter()
            .find(|s| s.code == "resolution")
            .unwrap()
            .score,
        Some(1)
    );
    assert_eq!(first.created_at, evaluation.submitted_at);
    assert_eq!(first.replaced_at, t.app.now());
    assert_eq!(first.reason, "核实聊天记录，响应确有延迟，其余属实");
    assert_eq!(first.appeal_id, Some(appeal.id));
    // The admin reads the same.
    assert_eq!(t.evaluation(&t.admin, &number).await.history, now.history);

    // Statistics read the current version.
    assert_eq!(
        t.count("SELECT SUM(score) FROM evaluation_scores").await,
        23
    );
    let (total, overall, version): (f64, i64, i64) =
        sql::query_as("SELECT total_score, overall, version FROM evaluations")
            .fetch_one(&t.app.state.pool)
            .await
            .unwrap();
    assert_eq!((total, overall, version), (4.6, 8, 2));
    let history: MyEvaluationPage = t.get_json(&t.member, "/api/v1/me/evaluations").await;
    assert_eq!(history.evaluations[0].total_score, 4.6);
    assert_eq!(history.evaluations[0].status, CustomerStatus::Revised);

    // Audited, and the earlier version cannot be altered.
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'appeal.filed' AND target_type = 'appeal'")
            .await,
        1
    );
    let details: String = sql::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'appeal.approved' AND actor_user_id = ?",
    )
    .bind(t.people.admin)
    .fetch_one(&t.app.state.pool)
    .await
    .unwrap();
    let details: Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["old"]["total_score"], 2.2);
    assert_eq!(details["new"]["total_score"], 4.6);
    assert_eq!(details["new"]["version"], 2);
    assert_eq!(details["edited"], true);
    assert!(
        sql::query("UPDATE evaluation_versions SET total_score = 5")
            .execute(&t.app.state.pool)
            .await
            .is_err()
    );

    // Deciding again is refused.
    let p = problem(t.decide(&t.admin, appeal.id, &edited).await, 409).await;
    assert_eq!(p.code.as_deref(), Some("appeal_already_decided"));
}

#[tokio::test]
async fn approving_applies_the_requested_change_and_versions_go_on() {
    let mut t = Appeals::new().await;
    let number = t.rated(t.people.member, &t.member).await.number;
    let first = t.filed(&t.member, &number, &wants_all_fives()).await;
    let response = t
        .decide(
            &t.admin,
            first.id,
            &json!({ "decision": "approve", "reason": "属实" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let now = t.evaluation(&t.member, &number).await;
    assert_eq!((now.version, now.total_score, now.overall), (2, 5.0, 10));
    assert_eq!(now.suggestion, None);
    crate::sums::assert_sums_agree(&t.app.state.pool).await;

    // Still inside the window: a second appeal, back to a lower score, approved too. Not
    // for the reason already decided (punctuation and case aside), for a new one.
    t.advance(Duration::hours(1)).await;
    let mut body = wants_all_fives();
    body["requested"]["scores"]["attitude"] = json!(4);
    body["requested"]["overall"] = json!(9);
    let decided = body["reason"].as_str().unwrap().to_owned();
    body["reason"] = json!(format!("  {}！", decided.trim_end_matches(['。', '.'])));
    let repeated = problem(t.file(&t.member, &number, "repeated-key", &body).await, 422).await;
    assert_eq!(
        (
            repeated.errors[0].field.as_str(),
            repeated.errors[0].code.as_str()
        ),
        ("reason", "repeated")
    );
    body["reason"] = json!("补充说明：态度一项我想改为 4 分，当时确有等待。");
    let second = t.filed(&t.member, &number, &body).await;
    assert_eq!(second.version, 2);
    assert_eq!(second.current.total_score, 5.0);
    t.decide(
        &t.admin,
        second.id,
        &json!({ "decision": "approve", "reason": "再次核实" }),
    )
    .await;
    let now = t.evaluation(&t.member, &number).await;
    assert_eq!((now.version, now.total_score), (3, 4.8));
    let versions: Vec<(u32, f64)> = now
        .history
        .iter()
        .map(|v| (v.version, v.total_score))
        .collect();
    assert_eq!(versions, [(1, 2.2), (2, 5.0)]);
    assert_eq!(now.history[1].created_at, now.history[0].replaced_at);
    assert_eq!(now.history[1].reason, "再次核实");
    // The kept sums moved with the scores (issue 22).
    crate::sums::assert_sums_agree(&t.app.state.pool).await;
}

#[tokio::test]
async fn a_rejection_is_seen_by_the_customer_with_its_reason() {
    let mut t = Appeals::new().await;
    let number = t.rated(t.people.member, &t.member).await.number;
    let appeal = t
        .filed(&t.member, &number, &json!({ "reason": REASON }))
        .await;
    assert_eq!(appeal.requested, None);

    // A reason is required, and a rejection changes nothing.
    let p = problem(
        t.decide(
            &t.admin,
            appeal.id,
            &json!({ "decision": "reject", "reason": "  " }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].field, "reason");
    assert_eq!(p.errors[0].code, "required");
    // Approving an appeal that requested nothing needs the change to apply.
    let p = problem(
        t.decide(
            &t.admin,
            appeal.id,
            &json!({ "decision": "approve", "reason": "属实" }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("applied", "required")
    );

    t.advance(Duration::hours(2)).await;
    let response = t
        .decide(
            &t.admin,
            appeal.id,
            &json!({ "decision": "reject", "reason": "聊天记录显示问题未解决，评分属实" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let mine = t.my_appeals(&t.member).await;
    assert_eq!(mine.unseen, 1);
    let seen = &mine.appeals[0];
    assert_eq!(seen.status, AppealStatus::Rejected);
    assert_eq!(
        seen.decision_reason.as_deref(),
        Some("聊天记录显示问题未解决，评分属实")
    );
    assert_eq!(seen.decided_at, Some(t.app.now()));
    assert_eq!(seen.applied, None);
    let evaluation = t.evaluation(&t.member, &number).await;
    assert_eq!(evaluation.status, CustomerStatus::Recorded);
    assert_eq!((evaluation.version, evaluation.total_score), (1, 2.2));
    assert!(evaluation.history.is_empty());
    assert!(evaluation.can_appeal, "decided: the window is still open");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'appeal.rejected'")
            .await,
        1
    );

    // Marking the decision seen takes it off the badge; again changes nothing.
    for _ in 0..2 {
        let response = t
            .app
            .request(empty_request(
                Method::POST,
                &format!("/api/v1/me/appeals/{}/seen", appeal.id),
                Some(&t.member),
            ))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let marked: Appeal = serde_json::from_value(body_json(response).await).unwrap();
        assert!(marked.seen_by_customer);
    }
    assert_eq!(t.my_appeals(&t.member).await.unseen, 0);
    let listed: AppealList = t
        .get_json(&t.member, &format!("/api/v1/evaluations/{number}/appeals"))
        .await;
    assert_eq!(listed.appeals.len(), 1);
    assert_eq!(listed.unseen, 0);
}

#[tokio::test]
async fn customers_appeal_only_their_own_evaluations() {
    let t = Appeals::new().await;
    let theirs = t.rated(t.people.customer, &t.customer).await.number;
    let p = problem(
        t.file(&t.member, &theirs, "not-mine-key", &wants_all_fives())
            .await,
        404,
    )
    .await;
    assert_eq!(
        p.detail.unwrap(),
        format!("The evaluation {theirs} does not exist")
    );
    problem(
        t.get(&t.member, &format!("/api/v1/evaluations/{theirs}/appeals"))
            .await,
        404,
    )
    .await;
    let appeal = t.filed(&t.customer, &theirs, &wants_all_fives()).await;
    problem(
        t.app
            .request(empty_request(
                Method::POST,
                &format!("/api/v1/me/appeals/{}/seen", appeal.id),
                Some(&t.member),
            ))
            .await,
        404,
    )
    .await;
    assert!(t.my_appeals(&t.member).await.appeals.is_empty());
    // Unknown and malformed numbers are not found.
    problem(
        t.file(
            &t.member,
            "PJ20261122-999999",
            "unknown-key",
            &wants_all_fives(),
        )
        .await,
        404,
    )
    .await;
    problem(
        t.file(&t.member, "nonsense", "nonsense-key", &wants_all_fives())
            .await,
        404,
    )
    .await;
    assert_eq!(t.count("SELECT COUNT(*) FROM appeals").await, 1);
}

#[tokio::test]
async fn one_open_appeal_per_evaluation() {
    let t = Appeals::new().await;
    let number = t.rated(t.people.member, &t.member).await.number;
    let first = t.filed(&t.member, &number, &wants_all_fives()).await;
    let p = problem(
        t.file(
            &t.member,
            &number,
            "second-appeal-key",
            &json!({ "reason": REASON }),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(p.code.as_deref(), Some("appeal_pending"));
    assert_eq!(p.reference, Some(first.id.to_string()));
    assert_eq!(t.count("SELECT COUNT(*) FROM appeals").await, 1);
}

#[tokio::test]
async fn the_reason_and_the_requested_change_are_checked_per_field() {
    let t = Appeals::new().await;
    let number = t.rated(t.people.member, &t.member).await.number;
    for (reason, code) in [
        ("", "required"),
        ("   ", "required"),
        ("服务态度其实很好的", "too_short"),
        ("123456789", "too_short"),
    ] {
        let p = problem(
            t.file(
                &t.member,
                &number,
                "short-key-1",
                &json!({ "reason": reason }),
            )
            .await,
            422,
        )
        .await;
        assert_eq!(p.errors.len(), 1, "{reason:?}");
        assert_eq!(
            (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
            ("reason", code),
            "{reason:?}"
        );
    }
    let p = problem(
        t.file(
            &t.member,
            &number,
            "short-key-2",
            &json!({ "reason": "长".repeat(1001) }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "too_long");
    let p = problem(
        t.file(
            &t.member,
            &number,
            "short-key-3",
            &json!({
                "reason": REASON,
                "requested": {
                    "scores": { "attitude": 6, "bogus": 5 },
                    "overall": 0,
                    "suggestion": "好".repeat(501),
                },
            }),
        )
        .await,
        422,
    )
    .await;
    let code = |field: &str| {
        p.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code.as_str())
    };
    assert_eq!(code("requested.scores.attitude"), Some("out_of_range"));
    assert_eq!(code("requested.scores.bogus"), Some("unknown_dimension"));
    assert_eq!(code("requested.scores.resolution"), Some("required"));
    assert_eq!(code("requested.scores.added_value"), None, "optional");
    assert_eq!(code("requested.overall"), Some("out_of_range"));
    assert_eq!(code("requested.suggestion"), Some("too_long"));
    // The same as it stands is no change.
    let p = problem(
        t.file(
            &t.member,
            &number,
            "short-key-4",
            &json!({
                "reason": REASON,
                "requested": {
                    "scores": {
                        "attitude": 2, "professionalism": 3, "responsiveness": 2,
                        "resolution": 1, "compliance": 3,
                    },
                    "overall": 4,
                    "suggestion": " 等了很久 ",
                },
            }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("requested", "unchanged")
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM appeals").await, 0);
    // Ten characters are enough.
    let appeal = t
        .filed(
            &t.member,
            &number,
            &json!({ "reason": "服务态度其实很好的！" }),
        )
        .await;
    assert_eq!(appeal.reason.chars().count(), 10);
}

#[tokio::test]
async fn the_window_closes_24_hours_after_submitting() {
    let mut t = Appeals::new().await;
    let early = t.rated(t.people.member, &t.member).await;
    let late = t.rated(t.people.member, &t.member).await;
    // The window's last instant is still inside.
    t.advance(Duration::hours(24)).await;
    assert!(t.evaluation(&t.member, &early.number).await.can_appeal);
    t.filed(&t.member, &early.number, &wants_all_fives()).await;
    t.advance(Duration::seconds(1)).await;
    let p = problem(
        t.file(&t.member, &late.number, "too-late-key", &wants_all_fives())
            .await,
        409,
    )
    .await;
    assert_eq!(p.code.as_deref(), Some("appeal_window_closed"));
    let until = to_db(late.submitted_at + Duration::hours(24));
    assert!(p.detail.unwrap().contains(&until), "says until when");
    let seen = t.evaluation(&t.member, &late.number).await;
    assert!(!seen.can_appeal);
    assert_eq!(
        seen.appeal_until,
        Some(late.submitted_at + Duration::hours(24))
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM appeals").await, 1);
    // A pending appeal is still decided after the window.
    let queue: AdminAppealPage = t.get_json(&t.admin, "/api/v1/appeals?status=pending").await;
    let response = t
        .decide(
            &t.admin,
            queue.appeals[0].appeal.id,
            &json!({ "decision": "reject", "reason": "评分属实" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_decision_is_for_admins_only() {
    let t = Appeals::new().await;
    let number = t.rated(t.people.member, &t.member).await.number;
    let appeal = t.filed(&t.member, &number, &wants_all_fives()).await;
    let approve = json!({ "decision": "approve", "reason": "我自己批准" });
    for user in [t.people.member, t.people.agent, t.people.lead, t.people.qa] {
        let cookie = t.app.session(user).await;
        problem(t.decide(&cookie, appeal.id, &approve).await, 403).await;
        problem(t.get(&cookie, "/api/v1/appeals").await, 403).await;
    }
    problem(t.decide(&t.admin, 999_999, &approve).await, 404).await;
    let appeal: Appeal = serde_json::from_value(
        body_json(t.get(&t.member, "/api/v1/me/appeals").await).await["appeals"][0].clone(),
    )
    .unwrap();
    assert_eq!(appeal.status, AppealStatus::Pending);
    assert_eq!(t.count("SELECT MAX(version) FROM evaluations").await, 1);
}

#[tokio::test]
async fn a_retried_filing_files_one_appeal() {
    let t = Appeals::new().await;
    let number = t.rated(t.people.member, &t.member).await.number;
    let first = t
        .file(&t.member, &number, "double-click-key", &wants_all_fives())
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = body_json(first).await;
    let again = t
        .file(&t.member, &number, "double-click-key", &wants_all_fives())
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(header(&again, "idempotent-replayed"), Some("true"));
    assert_eq!(body_json(again).await, first);
    assert_eq!(t.count("SELECT COUNT(*) FROM appeals").await, 1);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'appeal.filed'")
            .await,
        1
    );
    // The same key and body on another evaluation is a reused key, not a replay.
    let other = t.rated(t.people.member, &t.member).await.number;
    let p = problem(
        t.file(&t.member, &other, "double-click-key", &wants_all_fives())
            .await,
        422,
    )
    .await;
    assert_eq!(p.code.as_deref(), Some("idempotency_key_reused"));
    // No key: refused.
    let response = t
        .app
        .request(json_request(
            Method::POST,
            &format!("/api/v1/evaluations/{other}/appeals"),
            Some(&t.member),
            &wants_all_fives(),
        ))
        .await;
    let p = problem(response, 400).await;
    assert_eq!(p.code.as_deref(), Some("idempotency_key_required"));
}

#[tokio::test]
async fn the_queue_is_pending_first_then_oldest_first_with_the_customers_history() {
    let mut t = Appeals::new().await;
    let a = t.rated(t.people.member, &t.member).await.number;
    let b = t.rated(t.people.customer, &t.customer).await.number;
    let c = t.rated(t.people.member, &t.member).await.number;
    let first = t.filed(&t.member, &a, &wants_all_fives()).await;
    t.advance(Duration::minutes(10)).await;
    let second = t.filed(&t.customer, &b, &wants_all_fives()).await;
    t.advance(Duration::minutes(10)).await;
    let third = t.filed(&t.member, &c, &json!({ "reason": REASON })).await;
    t.decide(
        &t.admin,
        first.id,
        &json!({ "decision": "reject", "reason": "评分属实" }),
    )
    .await;

    let queue: AdminAppealPage = t.get_json(&t.admin, "/api/v1/appeals").await;
    let order: Vec<i64> = queue.appeals.iter().map(|i| i.appeal.id).collect();
    assert_eq!(order, [second.id, third.id, first.id]);
    assert_eq!((queue.total, queue.pending), (3, 2));
    let item = &queue.appeals[1];
    assert_eq!(item.customer.id, t.people.member);
    assert_eq!(item.customer_appeals.total, 1);
    assert_eq!(item.customer_appeals.rejected, 1);
    assert_eq!(item.customer_appeals.appeals[0].id, first.id);
    assert_eq!(
        item.customer_appeals.appeals[0].decision_reason.as_deref(),
        Some("评分属实")
    );

    let rejected: AdminAppealPage = t
        .get_json(&t.admin, "/api/v1/appeals?status=rejected")
        .await;
    assert_eq!(rejected.total, 1);
    assert_eq!(rejected.appeals[0].appeal.id, first.id);
    let paged: AdminAppealPage = t
        .get_json(&t.admin, "/api/v1/appeals?page=2&per_page=1")
        .await;
    assert_eq!(paged.appeals[0].appeal.id, third.id);
    assert_eq!(
        t.get(&t.admin, "/api/v1/appeals?status=open")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    problem(t.get(&t.admin, "/api/v1/appeals?per_page=0").await, 422).await;
}
