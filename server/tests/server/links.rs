//! Rating links (`/r/{token}`, issue 19): the link rates its record without a session, a retry
//! answers the first answer, it reaches nothing else, expired / revoked / unknown links answer
//! their codes, opening changes nothing but "opened", appeals within the window, the limit per
//! address, the token stored hashed and absent from the audit log and the request log, and the
//! link's page served as the light app with `Referrer-Policy: no-referrer`. Every test runs on
//! a fixed clock; none depends on timing.

use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::evaluations::{Evaluation, RatingForm, RatingState};
use pingjia_domain::invitations::{Invitation, IssuedInvitation};
use pingjia_server::db::sql;
use pingjia_server::http::idempotency::sha256_hex;
use pingjia_server::services::invitations::{self, Earlier};
use serde_json::{Value, json};

use crate::common::{
    People, TestApp, body_json, body_text, empty_request, from_ip, header, json_request, problem,
};
use crate::evaluations::answers;

fn start() -> DateTime<Utc> {
    "2026-11-21T17:30:00Z".parse().unwrap()
}

const REASON: &str = "客服其实很耐心，我当时误点了低分";

struct Links {
    app: TestApp,
    people: People,
    admin: String,
}

impl Links {
    async fn new() -> Links {
        let app = TestApp::new().await.at(start());
        let people = app.people().await;
        let admin = app.session(people.admin).await;
        Links { app, people, admin }
    }

    /// A record of `C000002` served by `E1001` that ended 30 minutes ago.
    async fn record(&self) -> i64 {
        self.app
            .service_record(
                self.people.customer,
                self.people.agent,
                "online_chat",
                self.app.now() - Duration::minutes(30),
            )
            .await
    }

    /// The admin issues (or resends) the record's link: the token.
    async fn invite(&self, record: i64) -> String {
        let response = self
            .app
            .request(empty_request(
                Method::POST,
                &format!("/api/v1/service-records/{record}/invitation"),
                Some(&self.admin),
            ))
            .await;
        let text = body_text(response).await;
        let issued: IssuedInvitation = serde_json::from_str(&text).expect(&text);
        issued.link.strip_prefix("/r/").unwrap().to_owned()
    }

    async fn invitation(&self, record: i64) -> Invitation {
        let response = self
            .app
            .request(empty_request(
                Method::GET,
                &format!("/api/v1/service-records/{record}/invitation"),
                Some(&self.admin),
            ))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    /// `GET /api/v1/rating-links/{token}{rest}` without a session.
    async fn get(&self, token: &str, rest: &str) -> Response<Body> {
        self.app
            .request(empty_request(
                Method::GET,
                &format!("/api/v1/rating-links/{token}{rest}"),
                None,
            ))
            .await
    }

    /// `POST /api/v1/rating-links/{token}{rest}` without a session, with an idempotency key.
    async fn post(&self, token: &str, rest: &str, key: &str, body: &Value) -> Response<Body> {
        let mut request = json_request(
            Method::POST,
            &format!("/api/v1/rating-links/{token}{rest}"),
            None,
            body,
        );
        request
            .headers_mut()
            .insert("idempotency-key", key.parse().unwrap());
        self.app.request(request).await
    }

    async fn rate(&self, token: &str, record: i64, key: &str) -> Response<Body> {
        self.post(token, "/evaluation", key, &answers(record)).await
    }

    async fn count(&self, sql: &str) -> i64 {
        sql::query_scalar(sql)
            .fetch_one(&self.app.state.pool)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_link_rates_its_record_without_a_session_and_a_retry_gets_the_first_answer() {
    let t = Links::new().await;
    let record = t.record().await;
    let token = t.invite(record).await;

    let response = t.get(&token, "").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        header(&response, "set-cookie").is_none(),
        "no session is made"
    );
    let form: RatingForm = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(form.record.id, record);
    assert_eq!(form.state, RatingState::Awaiting);
    assert!(form.dimensions.iter().any(|d| d.code == "attitude"));

    let first = t.rate(&token, record, "link-key-0001").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(header(&first, "set-cookie").is_none());
    let first: Evaluation = serde_json::from_value(body_json(first).await).unwrap();
    assert_eq!(first.record.id, record);

    let again = t.rate(&token, record, "link-key-0001").await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(header(&again, "idempotent-replayed"), Some("true"));
    let again: Evaluation = serde_json::from_value(body_json(again).await).unwrap();
    assert_eq!(again, first);
    assert_eq!(t.count("SELECT COUNT(*) FROM evaluations").await, 1);

    // Another key: the record is rated, as for a signed-in submission.
    let other = problem(t.rate(&token, record, "link-key-0002").await, 409).await;
    assert_eq!(other.code.as_deref(), Some("already_rated"));
    assert_eq!(other.reference.as_deref(), Some(first.number.as_str()));

    let invitation = t.invitation(record).await;
    assert_eq!(invitation.rated_at, Some(t.app.now()));
    assert_eq!(invitation.opened_at, Some(t.app.now()));
    let details: String =
        sql::query_scalar("SELECT details FROM audit_log WHERE action = 'evaluation.submitted'")
            .fetch_one(&t.app.state.pool)
            .await
            .unwrap();
    let details: Value = serde_json::from_str(&details).unwrap();
    assert_eq!(details["by_link"], json!(true));

    // The same link now shows the evaluation.
    let form: RatingForm =
        serde_json::from_value(body_json(t.get(&token, "").await).await).unwrap();
    assert_eq!(form.state, RatingState::Rated);
    assert_eq!(form.evaluation.map(|e| e.number), Some(first.number));
}

#[tokio::test]
async fn signing_in_to_rate_an_invited_record_marks_its_invitation_rated() {
    let t = Links::new().await;
    let record = t.record().await;
    t.invite(record).await;
    t.app
        .rate_record(t.people.customer, record, answers(record), "signed-in")
        .await;
    assert_eq!(t.invitation(record).await.rated_at, Some(t.app.now()));
}

#[tokio::test]
async fn a_link_reaches_its_record_only_and_no_other_endpoint() {
    let t = Links::new().await;
    let record = t.record().await;
    let other = t.record().await;
    let token = t.invite(record).await;

    // Another record of the same customer, through this link: as one that does not exist.
    let response = t.rate(&token, other, "link-key-0003").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(t.count("SELECT COUNT(*) FROM evaluations").await, 0);
    // Not rated yet: no appeals to read.
    assert_eq!(
        t.get(&token, "/appeals").await.status(),
        StatusCode::NOT_FOUND
    );

    let rated = t.rate(&token, record, "link-key-0004").await;
    let number = body_json(rated).await["number"]
        .as_str()
        .unwrap()
        .to_owned();

    // The token as a session cookie, a bearer key or a path parameter opens nothing else.
    let customer_routes = [
        "/api/v1/me/service-records".to_owned(),
        format!("/api/v1/me/service-records/{other}"),
        format!("/api/v1/evaluations/{number}"),
        "/api/v1/me/evaluations".to_owned(),
        "/api/v1/me/appeals".to_owned(),
        "/api/v1/auth/me".to_owned(),
    ];
    for uri in &customer_routes {
        for request in [
            Request::get(uri)
                .header("cookie", format!("pingjia_session={token}"))
                .body(Body::empty())
                .unwrap(),
            Request::get(uri)
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        ] {
            let response = t.app.request(request).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{uri}");
        }
    }
    let response = t
        .app
        .get(&format!("/api/v1/me/service-records/{token}"))
        .await;
    assert!(
        response.status().is_client_error() && response.status() != StatusCode::OK,
        "{}",
        response.status()
    );
    let response = t
        .app
        .get(&format!("/api/v1/evaluations/{number}?token={token}"))
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // The helpdesk's ingestion does not take it as a key either.
    let mut ingest = json_request(
        Method::POST,
        "/api/v1/ingest/service-records",
        None,
        &json!({}),
    );
    ingest
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    assert_eq!(
        t.app.request(ingest).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn unknown_revoked_replaced_and_expired_links_answer_their_codes() {
    let mut t = Links::new().await;
    let code = |p: pingjia_domain::Problem| p.code.unwrap_or_default();

    let unknown = "A".repeat(43);
    assert_eq!(
        code(problem(t.get(&unknown, "").await, 404).await),
        "link_unknown"
    );
    assert_eq!(
        code(problem(t.get("short", "").await, 404).await),
        "link_unknown"
    );

    let record = t.record().await;
    let first = t.invite(record).await;
    let second = t.invite(record).await;
    assert_eq!(t.invitation(record).await.links_issued, 2);
    // A resend replaces the earlier link.
    assert_eq!(
        code(problem(t.get(&first, "").await, 410).await),
        "link_revoked"
    );
    assert_eq!(t.get(&second, "").await.status(), StatusCode::OK);

    let revoked = t
        .app
        .request(empty_request(
            Method::DELETE,
            &format!("/api/v1/service-records/{record}/invitation"),
            Some(&t.admin),
        ))
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(
        code(problem(t.get(&second, "").await, 410).await),
        "link_revoked"
    );
    let response = t.rate(&second, record, "link-key-0005").await;
    assert_eq!(code(problem(response, 410).await), "link_revoked");
    assert_eq!(t.count("SELECT COUNT(*) FROM evaluations").await, 0);

    // Issued again, then the rating window (7 days from the end) closes.
    let third = t.invite(record).await;
    t.app.advance(Duration::days(7) - Duration::minutes(30));
    assert_eq!(
        t.get(&third, "").await.status(),
        StatusCode::OK,
        "its last instant"
    );
    t.app.advance(Duration::seconds(1));
    assert_eq!(
        code(problem(t.get(&third, "").await, 410).await),
        "link_expired"
    );
    let response = t.rate(&third, record, "link-key-0006").await;
    assert_eq!(code(problem(response, 410).await), "link_expired");
    // And the admin (signed in again) cannot invite to a closed window.
    t.admin = t.app.session(t.people.admin).await;
    let response = t
        .app
        .request(empty_request(
            Method::POST,
            &format!("/api/v1/service-records/{record}/invitation"),
            Some(&t.admin),
        ))
        .await;
    assert_eq!(code(problem(response, 409).await), "rating_window_closed");
}

#[tokio::test]
async fn a_reminders_link_leaves_the_first_one_working() {
    let t = Links::new().await;
    let record = t.record().await;
    let mut tx = pingjia_server::db::begin_write(&t.app.state.pool)
        .await
        .unwrap();
    let first = invitations::issue(&mut tx, record, t.app.now(), 7, Earlier::Keep)
        .await
        .unwrap();
    let reminder = invitations::issue(&mut tx, record, t.app.now(), 7, Earlier::Keep)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(first.created && !reminder.created);
    assert_eq!(first.invitation_id, reminder.invitation_id);
    for token in [&first.token, &reminder.token] {
        assert_eq!(t.get(token.as_str(), "").await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn opening_a_link_marks_it_opened_and_changes_nothing_else() {
    let mut t = Links::new().await;
    let record = t.record().await;
    let token = t.invite(record).await;
    let snapshot = async |t: &Links| {
        let tables = [
            "evaluations",
            "audit_log",
            "idempotency_keys",
            "sessions",
            "invitation_links",
        ];
        let mut counts = Vec::new();
        for table in tables {
            counts.push(t.count(&format!("SELECT COUNT(*) FROM {table}")).await);
        }
        let row: (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = sql::query_as("SELECT sent_at, rated_at, revoked_at, channel FROM invitations")
            .fetch_one(&t.app.state.pool)
            .await
            .unwrap();
        (counts, row)
    };
    let before = snapshot(&t).await;
    assert_eq!(t.invitation(record).await.opened_at, None);
    let opened = t.app.now();
    assert_eq!(t.get(&token, "").await.status(), StatusCode::OK);
    t.app.advance(Duration::minutes(5));
    assert_eq!(t.get(&token, "").await.status(), StatusCode::OK);
    assert_eq!(
        t.invitation(record).await.opened_at,
        Some(opened),
        "the first opening"
    );
    assert_eq!(snapshot(&t).await, before);
}

#[tokio::test]
async fn the_link_appeals_its_evaluation_within_the_appeal_window_only() {
    let mut t = Links::new().await;
    let record = t.record().await;
    let late = t.record().await;
    let token = t.invite(record).await;
    let late_token = t.invite(late).await;
    assert_eq!(
        t.rate(&token, record, "link-key-0007").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        t.rate(&late_token, late, "link-key-0008").await.status(),
        StatusCode::CREATED
    );

    let appeal = json!({ "reason": REASON });
    let filed = t.post(&token, "/appeals", "appeal-key-0001", &appeal).await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let again = t.post(&token, "/appeals", "appeal-key-0001", &appeal).await;
    assert_eq!(header(&again, "idempotent-replayed"), Some("true"));
    let list = body_json(t.get(&token, "/appeals").await).await;
    assert_eq!(list["appeals"].as_array().unwrap().len(), 1, "{list}");
    let form: RatingForm =
        serde_json::from_value(body_json(t.get(&token, "").await).await).unwrap();
    assert!(!form.evaluation.unwrap().can_appeal, "one appeal at a time");

    // 24 hours after the submission the appeal window closes; the rating window is still open.
    t.app.advance(Duration::hours(24) + Duration::seconds(1));
    let refused = t
        .post(&late_token, "/appeals", "appeal-key-0002", &appeal)
        .await;
    assert_eq!(
        problem(refused, 409).await.code.as_deref(),
        Some("appeal_window_closed")
    );
    // Once both windows have closed the link has expired.
    t.app.advance(Duration::days(7));
    let expired = t.get(&late_token, "").await;
    assert_eq!(
        problem(expired, 410).await.code.as_deref(),
        Some("link_expired")
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM appeals").await, 1);
}

#[tokio::test]
async fn link_lookups_are_limited_per_address() {
    let mut t = Links::new().await;
    let record = t.record().await;
    let token = t.invite(record).await;
    let get_from = |token: String, ip: &'static str| {
        from_ip(
            empty_request(Method::GET, &format!("/api/v1/rating-links/{token}"), None),
            ip,
        )
    };
    for i in 0..10 {
        let guess = format!("{:A>43}", i);
        let response = t.app.request(get_from(guess, "198.51.100.7")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    let refused = t.app.request(get_from(token.clone(), "198.51.100.7")).await;
    assert_eq!(header(&refused, "retry-after"), Some("900"));
    assert_eq!(
        problem(refused, 429).await.code.as_deref(),
        Some("link_rate_limited")
    );
    let other = t.app.request(get_from(token.clone(), "198.51.100.8")).await;
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "another address is not refused"
    );
    t.app.advance(Duration::minutes(15));
    let later = t.app.request(get_from(token, "198.51.100.7")).await;
    assert_eq!(later.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_token_is_stored_hashed_and_never_written_to_the_audit_log() {
    let t = Links::new().await;
    let record = t.record().await;
    let token = t.invite(record).await;
    assert_eq!(token.len(), 43);
    t.rate(&token, record, "link-key-0009").await;
    t.post(
        &token,
        "/appeals",
        "appeal-key-0003",
        &json!({ "reason": REASON }),
    )
    .await;
    let hashes: Vec<String> = sql::query_scalar("SELECT token_hash FROM invitation_links")
        .fetch_all(&t.app.state.pool)
        .await
        .unwrap();
    assert_eq!(hashes, [sha256_hex(token.as_bytes())]);
    // No column of these tables holds the token.
    for (table, columns) in [
        (
            "invitations",
            "COALESCE(channel, '') || expires_at || created_at",
        ),
        ("invitation_links", "token_hash || issued_at"),
        (
            "audit_log",
            "action || COALESCE(target_type, '') || COALESCE(target_id, '') || details",
        ),
        ("idempotency_keys", "*"),
    ] {
        let sql = if columns == "*" {
            format!("SELECT COUNT(*) FROM {table} WHERE instr(response, ?) > 0")
        } else {
            format!("SELECT COUNT(*) FROM {table} WHERE instr({columns}, ?) > 0")
        };
        let found: i64 = sql::query_scalar(&sql)
            .bind(&token)
            .fetch_one(&t.app.state.pool)
            .await
            .unwrap();
        assert_eq!(found, 0, "{table}");
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('invitation.issued', 'evaluation.submitted', 'appeal.filed')")
            .await,
        3
    );
}

#[tokio::test]
async fn the_link_page_is_its_own_build_and_sends_no_referrer() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("c")).unwrap();
    std::fs::create_dir_all(dist.join("link")).unwrap();
    std::fs::write(dist.join("index.html"), "<html>full</html>").unwrap();
    std::fs::write(dist.join("c/index.html"), "<html>light</html>").unwrap();
    std::fs::write(dist.join("link/index.html"), "<html>link</html>").unwrap();
    let mut t = Links::new().await;
    t.app.state.web = std::sync::Arc::new(pingjia_server::http::web::Web::load(dist, false));
    let record = t.record().await;
    let token = t.invite(record).await;
    let page = t.app.get(&format!("/r/{token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(header(&page, "referrer-policy"), Some("no-referrer"));
    assert_eq!(body_text(page).await, "<html>link</html>");
    // Its opt-out page is the light app's.
    let opt_out = t.app.get(&format!("/r/{token}/opt-out")).await;
    assert_eq!(body_text(opt_out).await, "<html>light</html>");
    let api = t.get(&token, "").await;
    assert_eq!(header(&api, "referrer-policy"), Some("no-referrer"));
    // Visiting the page is not opening the invitation: only the app's read of the form is.
    assert_eq!(t.invitation(record).await.opened_at, Some(t.app.now()));
}

/// The log lines written while `run` runs, at every level.
mod captured {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    pub struct Lines(pub Arc<Mutex<Vec<u8>>>);

    impl Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Lines {
        type Writer = Lines;

        fn make_writer(&'a self) -> Lines {
            self.clone()
        }
    }
}

#[tokio::test]
async fn the_request_log_never_holds_a_token() {
    let t = Links::new().await;
    let record = t.record().await;
    let token = t.invite(record).await;
    let lines = captured::Lines::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(lines.clone())
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    // tracing caches whether each log call site is wanted, for every thread: a call site first
    // reached by another test's thread is cached as unwanted (that thread has no subscriber).
    // The same requests once, then the cache rebuilt for this thread's subscriber.
    let warm_up = t.record().await;
    let warm_up_token = t.invite(warm_up).await;
    t.get(&warm_up_token, "").await;
    t.rate(&warm_up_token, warm_up, "link-key-0011").await;
    t.app.get(&format!("/r/{warm_up_token}")).await;
    t.get(&"C".repeat(43), "").await;
    tracing::callsite::rebuild_interest_cache();
    lines.0.lock().unwrap().clear();
    t.get(&token, "").await;
    t.rate(&token, record, "link-key-0010").await;
    t.app.get(&format!("/r/{token}")).await;
    t.get(&"B".repeat(43), "").await;
    drop(guard);
    let log = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("/api/v1/rating-links/…/evaluation"), "{log}");
    assert!(log.contains("/r/…"), "{log}");
    assert!(!log.contains(&token), "{log}");
    assert!(!log.contains(&"B".repeat(43)), "{log}");
}
