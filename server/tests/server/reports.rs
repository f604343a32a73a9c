//! Weekly and monthly reports (issue 11): a week is Monday to Sunday in the organisation's
//! zone (a Sunday 23:59 evaluation is that week's), a report agrees with the dashboard, a
//! subscription keeps the report once the period closes and mails it through a real SMTP
//! server (mailin-embedded, in this process), a failed mail is retried with backoff, and the
//! SMTP password never leaves the server. Every test runs on a fixed clock.

use pingjia_server::db::sql;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use mailin_embedded::{Handler, Server, SslConfig};
use pingjia_domain::analytics::{AgentReport, KpiReport};
use pingjia_domain::reports::{DeliveryStatus, Report, SmtpSettings, StoredReport, Subscription};
use pingjia_server::services::reports::run_due;
use serde_json::{Value, json};

use crate::common::{Flow, Rating, body_text, problem};

/// Sunday 2026-11-22, 23:59:00 in Shanghai (UTC+8).
fn sunday_2359() -> DateTime<Utc> {
    "2026-11-22T15:59:00Z".parse().unwrap()
}

/// This flow's records end 10 minutes before they are rated.
struct Reports;

impl Rating for Reports {
    const ENDED_MINUTES_AGO: i64 = 10;
    const SCORES: [u8; 5] = [4, 4, 3, 4, 5];
    const KEY: &'static str = "report";
}

/// The shared fixture with this flow's steps.
type T = Flow<Reports>;

impl T {
    /// `POST /report-subscriptions` answered 201: the subscription.
    async fn subscribe(&self, user: i64, body: Value) -> Subscription {
        self.app
            .expect_as(
                user,
                Method::POST,
                "/api/v1/report-subscriptions",
                Some(&body),
                StatusCode::CREATED,
            )
            .await
    }

    async fn report(&self, user: i64, uri: &str) -> Report {
        self.ok(user, Method::GET, uri, None).await
    }

    async fn stored(&self) -> Vec<StoredReport> {
        self.ok(self.people.admin, Method::GET, "/api/v1/reports", None)
            .await
    }
}

const PASSWORD: &str = "Smtp-Pa55word-Never-Shown";

/// A port nobody listens on (yet).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What an SMTP sink received: each message's recipients and the raw message.
pub(crate) type Inbox = Arc<Mutex<Vec<(Vec<String>, Vec<u8>)>>>;

/// The messages an SMTP sink received: recipients and the raw message.
#[derive(Clone, Default)]
struct Sink {
    current: Vec<u8>,
    to: Vec<String>,
    received: Inbox,
}

impl Handler for Sink {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.current.clear();
        self.to = to.to_vec();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let message = std::mem::take(&mut self.current);
        self.received
            .lock()
            .unwrap()
            .push((self.to.clone(), message));
        mailin_embedded::response::OK
    }
}

/// Starts a real SMTP server (mailin-embedded, plain SMTP without AUTH: it offers AUTH only
/// after STARTTLS) on `port`, for the life of the test binary.
pub(crate) fn start_sink(port: u16) -> Inbox {
    let sink = Sink::default();
    let received = Arc::clone(&sink.received);
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let mut server = Server::new(sink);
    server
        .with_name("sink.test")
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_num_threads(1)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        server.serve().ok();
    });
    received
}

/// The decoded text and HTML of a message, and its subject.
pub(crate) fn read_mail(raw: &[u8]) -> (String, String, String) {
    let mail = mailparse::parse_mail(raw).unwrap();
    let subject = mail
        .headers
        .iter()
        .find(|h| h.get_key() == "Subject")
        .unwrap()
        .get_value();
    let mut text = String::new();
    let mut html = String::new();
    for part in &mail.subparts {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text = part.get_body().unwrap(),
            "text/html" => html = part.get_body().unwrap(),
            _ => {}
        }
    }
    (subject, text, html)
}

#[tokio::test]
async fn a_sunday_2359_evaluation_belongs_to_that_week_and_the_week_closes_at_midnight() {
    let mut t = T::at(sunday_2359()).await;
    let p = t.people;
    t.rate(p.member, p.agent, 9, None).await;
    // A subscription made on Sunday starts with the week closed last: W46.
    let subscription: Subscription = t
        .subscribe(
            p.admin,
            json!({ "kind": "week", "team_id": null, "recipients": ["ops@example.com"] }),
        )
        .await;
    assert_eq!(subscription.first_key, "2026-W46");
    // Monday 00:00:00 in Shanghai: the next week's.
    t.app.advance(Duration::seconds(60));
    t.rate(p.customer, p.other_agent, 4, None).await;

    let w47 = t.report(p.admin, "/api/v1/reports/week/2026-W47").await;
    assert_eq!(
        (w47.period.from.to_string(), w47.period.to.to_string()),
        ("2026-11-16".into(), "2026-11-22".into())
    );
    assert_eq!(w47.kpis.evaluations.value, Some(1.0));
    assert!(w47.closed && !w47.stored);
    let w48 = t.report(p.admin, "/api/v1/reports/week/2026-W48").await;
    assert_eq!(w48.kpis.evaluations.value, Some(1.0));
    assert!(!w48.closed);
    // The month holds both.
    let november = t.report(p.admin, "/api/v1/reports/month/2026-11").await;
    assert_eq!(november.kpis.evaluations.value, Some(2.0));

    // Not a second before midnight is W47 kept; at midnight it is, with its evaluation.
    t.app.advance(Duration::seconds(-1));
    run_due(&t.app.state).await.unwrap();
    let kept: Vec<String> = t.stored().await.into_iter().map(|r| r.key).collect();
    assert_eq!(kept, ["2026-W46"]);
    t.app.advance(Duration::seconds(1));
    run_due(&t.app.state).await.unwrap();
    let kept = t.stored().await;
    let keys: Vec<&str> = kept.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["2026-W47", "2026-W46"]);
    assert_eq!(kept[0].evaluations, 1);
    // Mails wait, and say why, until a mail server is set up.
    let mail = &kept[0].deliveries[0];
    assert_eq!(mail.status, DeliveryStatus::Pending);
    assert_eq!(mail.attempts, 0);
    assert!(mail.last_error.as_deref().unwrap().contains("not set up"));
    // The kept report is what the page shows from now on.
    let w47 = t.report(p.admin, "/api/v1/reports/week/2026-W47").await;
    assert!(w47.stored);
    // Bad and future periods.
    for uri in [
        "/api/v1/reports/week/2026-47",
        "/api/v1/reports/year/2026",
        "/api/v1/reports/week/2026-W50",
    ] {
        let response = t.call(p.admin, Method::GET, uri, None).await;
        problem(response, 422).await;
    }
}

#[tokio::test]
async fn a_report_agrees_with_the_dashboard_and_leads_see_only_their_team() {
    // Wednesday 2026-11-18, 10:00 in Shanghai.
    let mut t = T::at("2026-11-18T02:00:00Z".parse().unwrap()).await;
    let p = t.people;
    t.rate(p.member, p.agent, 3, Some("等待时间太长，客服态度敷衍"))
        .await;
    t.app.advance(Duration::hours(1));
    t.rate(p.customer, p.agent, 9, Some("很满意")).await;
    t.app.advance(Duration::hours(1));
    t.rate(p.customer, p.other_agent, 2, Some("等待时间太长"))
        .await;
    // Thursday of the week after.
    t.app.advance(Duration::days(8));

    let report = t.report(p.admin, "/api/v1/reports/week/2026-W47").await;
    let kpis: KpiReport = t
        .ok(
            p.admin,
            Method::GET,
            "/api/v1/analytics/kpis?from=2026-11-16&to=2026-11-22",
            None,
        )
        .await;
    // The same figures as the dashboard's cards for the same week (and the same previous week).
    assert_eq!(report.kpis.evaluations, kpis.evaluations);
    assert_eq!(report.kpis.average_total, kpis.average_total);
    assert_eq!(report.kpis.attainment_rate, kpis.attainment_rate);
    assert_eq!(report.kpis.on_time_rate, kpis.on_time_rate);
    assert_eq!(report.kpis.first_contact_rate, kpis.first_contact_rate);
    let agents: AgentReport = t
        .ok(
            p.admin,
            Method::GET,
            "/api/v1/analytics/agents?from=2026-11-16&to=2026-11-22",
            None,
        )
        .await;
    for a in &agents.agents {
        let line = report
            .agents
            .iter()
            .find(|r| r.agent_no == a.agent_no)
            .unwrap();
        assert_eq!(
            (line.evaluations, line.average_total, line.attainment_rate),
            (a.count, a.average_total, a.attainment_rate)
        );
    }
    // E1001 has one of two at or above 8, E2001 none: satisfaction ranks E1001 first.
    let order: Vec<(&str, u32)> = report
        .agents
        .iter()
        .map(|a| (a.agent_no.as_str(), a.rank))
        .collect();
    assert_eq!(order, [("E1001", 1), ("E2001", 2)]);
    assert_eq!(report.trend.len(), 6);
    assert_eq!(report.trend[5].key, "2026-W47");
    assert_eq!(report.trend[5].evaluations, 3);
    assert_eq!(report.trend[0].key, "2026-W42");
    // The complaint word with its examples, lowest score first; praise is not a problem.
    let waiting = report
        .problems
        .iter()
        .find(|x| x.term == "等待时间")
        .expect("等待时间");
    assert_eq!(waiting.count, 2);
    assert_eq!(waiting.examples[0].overall, 2);
    assert!(report.problems.iter().all(|x| x.term != "满意"));

    // The lead of E1001's team: their team's, not the other team's, not the company's.
    let team = format!("/api/v1/reports/week/2026-W47?team={}", p.team);
    let own = t.report(p.lead, &team).await;
    assert_eq!(own.kpis.evaluations.value, Some(2.0));
    assert_eq!(own.team_name.as_deref(), Some("华东一组"));
    let implicit = t.report(p.lead, "/api/v1/reports/week/2026-W47").await;
    assert_eq!(implicit.team_id, Some(p.team));
    let other = format!("/api/v1/reports/week/2026-W47?team={}", p.other_team);
    problem(t.call(p.lead, Method::GET, &other, None).await, 403).await;
    problem(
        t.call(
            p.lead,
            Method::GET,
            &other.replace("?team", "/csv/agents?team"),
            None,
        )
        .await,
        403,
    )
    .await;
    let company = json!({ "kind": "week", "team_id": null, "recipients": ["lead@example.com"] });
    problem(
        t.call(
            p.lead,
            Method::POST,
            "/api/v1/report-subscriptions",
            Some(company),
        )
        .await,
        403,
    )
    .await;
    let theirs =
        json!({ "kind": "week", "team_id": p.other_team, "recipients": ["lead@example.com"] });
    problem(
        t.call(
            p.lead,
            Method::POST,
            "/api/v1/report-subscriptions",
            Some(theirs),
        )
        .await,
        403,
    )
    .await;
    for role_user in [p.agent, p.member, p.qa] {
        problem(t.call(role_user, Method::GET, &team, None).await, 403).await;
    }

    // The CSV of a table: a BOM, a header, a row per agent.
    let response = t
        .call(
            p.admin,
            Method::GET,
            "/api/v1/reports/week/2026-W47/csv/agents",
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = body_text(response).await;
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.lines().nth(1).unwrap().starts_with("1,E1001,"));
    problem(
        t.call(
            p.admin,
            Method::GET,
            "/api/v1/reports/week/2026-W47/csv/nope",
            None,
        )
        .await,
        422,
    )
    .await;
}

#[tokio::test]
async fn a_failed_mail_is_retried_with_backoff_and_arrives_with_the_figures() {
    // Monday 2026-11-23, 09:00 in Shanghai; the evaluation is of the week before.
    let mut t = T::at("2026-11-20T02:00:00Z".parse().unwrap()).await;
    let p = t.people;
    t.rate(p.member, p.agent, 9, None).await;
    t.rate(p.customer, p.agent, 7, None).await;
    t.app.advance(Duration::hours(72) - Duration::hours(1));
    let port = free_port();
    t.smtp_on(port).await;
    let _: Subscription = t
        .subscribe(p.admin, json!({ "kind": "week", "team_id": null, "recipients": ["ops@example.com", "cto@example.com"] })).await;
    // Nobody listens on the port: both mails fail and wait a minute.
    run_due(&t.app.state).await.unwrap();
    let kept = t.stored().await;
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].key, "2026-W47");
    for mail in &kept[0].deliveries {
        assert_eq!(mail.status, DeliveryStatus::Retrying);
        assert_eq!(mail.attempts, 1);
        assert!(
            mail.last_error
                .as_deref()
                .unwrap()
                .contains(&port.to_string()),
            "{mail:?}"
        );
        assert_eq!(
            mail.next_attempt_at,
            Some(t.app.now() + Duration::minutes(1))
        );
    }
    let received = start_sink(port);
    // Not before the minute is up.
    t.app.advance(Duration::seconds(30));
    run_due(&t.app.state).await.unwrap();
    assert!(received.lock().unwrap().is_empty());
    assert!(
        t.stored().await[0]
            .deliveries
            .iter()
            .all(|d| d.status == DeliveryStatus::Retrying)
    );
    t.app.advance(Duration::seconds(31));
    run_due(&t.app.state).await.unwrap();
    let kept = t.stored().await;
    for mail in &kept[0].deliveries {
        assert_eq!(mail.status, DeliveryStatus::Sent, "{mail:?}");
        assert_eq!(mail.attempts, 2);
        assert_eq!(mail.last_error, None);
    }
    // Running again sends nothing twice.
    run_due(&t.app.state).await.unwrap();
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    let mut to: Vec<String> = received.iter().flat_map(|(to, _)| to.clone()).collect();
    to.sort();
    assert_eq!(to, ["cto@example.com", "ops@example.com"]);
    let (subject, text, html) = read_mail(&received[0].1);
    // Each mail carries its delivery's stable id as its Message-ID (the same on every attempt).
    let raw = String::from_utf8_lossy(&received[0].1).to_lowercase();
    assert!(raw.contains("message-id: <msg_"), "{raw}");
    assert!(subject.contains("2026-W47"), "{subject}");
    // Two evaluations, overall 9 and 7: attainment 50.0 %, mean total 4.00 (4,4,3,4,5).
    assert!(
        text.contains("评价数 Evaluations: 2 (上期 previous 0)"),
        "{text}"
    );
    assert!(
        text.contains("满意度达成率 Satisfaction attainment: 50.0%"),
        "{text}"
    );
    assert!(
        text.contains("平均综合得分 Average total score: 4.00"),
        "{text}"
    );
    assert!(
        html.contains("https://pingjia.example.com/reports/week/2026-W47"),
        "{html}"
    );

    // A mail that failed can be tried again by hand; a sent one cannot.
    let id = kept[0].deliveries[0].id;
    let response = t
        .call(
            p.admin,
            Method::POST,
            &format!("/api/v1/report-deliveries/{id}/retry"),
            None,
        )
        .await;
    problem(response, 409).await;
}

#[tokio::test]
async fn the_smtp_password_is_never_in_a_response() {
    let t = T::at(sunday_2359()).await;
    let p = t.people;
    let port = free_port();
    let response = t
        .put(
            p.admin,
            "/api/v1/settings/smtp",
            json!({
                "host": "127.0.0.1", "port": port, "security": "none",
                "username": "pingjia", "password": PASSWORD,
                "from_address": "pingjia@example.com", "from_name": "评价",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved = body_text(response).await;
    assert!(!saved.contains(PASSWORD));
    let settings: SmtpSettings = serde_json::from_str(&saved).unwrap();
    assert!(settings.password_set);
    // Kept when the form leaves it out; the test mail uses it (and fails: nobody listens).
    let _: SmtpSettings = t
        .ok(
            p.admin,
            Method::PUT,
            "/api/v1/settings/smtp",
            Some(json!({
                "host": "127.0.0.1", "port": port, "security": "none", "username": "pingjia",
                "from_address": "pingjia@example.com", "from_name": "评价 Pingjia",
            })),
        )
        .await;
    let stored: Option<String> = sql::query_scalar("SELECT password FROM smtp_settings")
        .fetch_one(&t.app.state.pool)
        .await
        .unwrap();
    assert_eq!(stored.as_deref(), Some(PASSWORD));
    let failed = t
        .post(
            p.admin,
            "/api/v1/settings/smtp/test",
            json!({ "to": "ops@example.com" }),
        )
        .await;
    assert_eq!(failed.status(), StatusCode::BAD_GATEWAY);
    let failed = body_text(failed).await;
    assert!(
        failed.contains("smtp_failed") && !failed.contains(PASSWORD),
        "{failed}"
    );
    // A double click (the same key and body) subscribes once.
    let monthly = json!({ "kind": "month", "team_id": p.team, "recipients": ["ops@example.com"] });
    let first: Subscription = t.subscribe(p.admin, monthly.clone()).await;
    let again: Subscription = t.subscribe(p.admin, monthly).await;
    assert_eq!(first.id, again.id);
    let listed: Vec<Subscription> = t
        .ok(p.admin, Method::GET, "/api/v1/report-subscriptions", None)
        .await;
    assert_eq!(listed.len(), 1);
    run_due(&t.app.state).await.unwrap();
    // Every response an admin can read about mail, and the audit log.
    for uri in [
        "/api/v1/settings/smtp",
        "/api/v1/reports",
        "/api/v1/report-subscriptions",
        "/api/v1/audit-log?per_page=100",
        "/api/v1/reports/month/2026-10",
    ] {
        let response = t.call(p.admin, Method::GET, uri, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let text = body_text(response).await;
        assert!(!text.contains(PASSWORD), "{uri}");
    }
    // An empty password removes it.
    let cleared: SmtpSettings = t
        .ok(
            p.admin,
            Method::PUT,
            "/api/v1/settings/smtp",
            Some(json!({
                "host": "127.0.0.1", "port": port, "security": "none", "username": "pingjia",
                "password": "", "from_address": "pingjia@example.com", "from_name": "评价",
            })),
        )
        .await;
    assert!(!cleared.password_set);
    // Bad settings name their fields; only admins reach them.
    let response = t
        .put(
            p.admin,
            "/api/v1/settings/smtp",
            json!({
                "host": "", "port": 0, "security": "tls", "from_address": "nobody", "from_name": "",
            }),
        )
        .await;
    let bad = problem(response, 422).await;
    let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["host", "port", "from_address"]);
    problem(
        t.call(p.lead, Method::GET, "/api/v1/settings/smtp", None)
            .await,
        403,
    )
    .await;
    let bad_to = t
        .post(p.admin, "/api/v1/settings/smtp/test", json!({ "to": "x" }))
        .await;
    assert_eq!(problem(bad_to, 422).await.errors[0].field, "to");
}

#[tokio::test]
async fn a_mail_that_cannot_be_built_fails_alone_with_its_reason() {
    // Monday 2026-11-23, 09:00 in Shanghai; the evaluation is of the week before.
    let mut t = T::at("2026-11-20T02:00:00Z".parse().unwrap()).await;
    let p = t.people;
    t.rate(p.member, p.agent, 9, None).await;
    t.app.advance(Duration::hours(72) - Duration::hours(1));
    let port = free_port();
    let received = start_sink(port);
    t.smtp_on(port).await;
    let pool = &t.app.state.pool;
    // Values written before they were checked: a sender's name with a line break (lettre
    // panicked building the From header, which ended the worker) and a team name with ESC
    // (it goes into the subject).
    sql::query("UPDATE smtp_settings SET from_name = ?")
        .bind("评价\r\nBcc: everyone@example.com")
        .execute(pool)
        .await
        .unwrap();
    sql::query("UPDATE teams SET name = ? WHERE id = ?")
        .bind("华东\u{1b}一组")
        .bind(p.team)
        .execute(pool)
        .await
        .unwrap();
    let _: Subscription = t
        .subscribe(
            p.admin,
            json!({ "kind": "week", "team_id": null, "recipients": ["ops@example.com"] }),
        )
        .await;
    let _: Subscription = t
        .subscribe(
            p.admin,
            json!({ "kind": "week", "team_id": p.team, "recipients": ["lead@example.com"] }),
        )
        .await;
    // A subscription whose stored recipients cannot be read is skipped, not the others.
    let broken: Subscription = t
        .subscribe(
            p.admin,
            json!({ "kind": "week", "team_id": p.other_team, "recipients": ["south@example.com"] }),
        )
        .await;
    sql::query("UPDATE report_subscriptions SET recipients = '[1]' WHERE id = ?")
        .bind(broken.id)
        .execute(pool)
        .await
        .unwrap();
    run_due(&t.app.state).await.unwrap();
    let deliveries = |kept: Vec<StoredReport>| {
        let mut all: Vec<_> = kept.into_iter().flat_map(|r| r.deliveries).collect();
        all.sort_by(|a, b| a.address.cmp(&b.address));
        all
    };
    let failed = deliveries(t.stored().await);
    assert_eq!(failed.len(), 2);
    for mail in &failed {
        assert_eq!(mail.status, DeliveryStatus::Failed, "{mail:?}");
        assert_eq!(mail.attempts, 1);
        assert_eq!(mail.next_attempt_at, None, "not retried by itself");
        assert!(
            mail.last_error
                .as_deref()
                .unwrap()
                .contains("the sender's name"),
            "{mail:?}"
        );
    }
    // The test mail says so too, instead of dropping the connection.
    let tried = t
        .post(
            p.admin,
            "/api/v1/settings/smtp/test",
            json!({ "to": "ops@example.com" }),
        )
        .await;
    let refused = problem(tried, 502).await;
    assert_eq!(refused.code.as_deref(), Some("smtp_failed"));
    assert!(received.lock().unwrap().is_empty());

    // The admin fixes the sender and tries both again: the company's mail is sent, the team's
    // fails alone (its subject holds the ESC) and the run goes on.
    t.smtp_on(port).await;
    for mail in &failed {
        let response = t
            .call(
                p.admin,
                Method::POST,
                &format!("/api/v1/report-deliveries/{}/retry", mail.id),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    run_due(&t.app.state).await.unwrap();
    let after = deliveries(t.stored().await);
    assert_eq!(after[0].address, "lead@example.com");
    assert_eq!(after[0].status, DeliveryStatus::Failed);
    assert!(
        after[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("the subject"),
        "{:?}",
        after[0]
    );
    assert_eq!(after[1].address, "ops@example.com");
    assert_eq!(after[1].status, DeliveryStatus::Sent, "{:?}", after[1]);
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0, ["ops@example.com"]);
}
