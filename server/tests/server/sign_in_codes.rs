//! One-time sign-in codes (issue 19): the code travels through the delivery queue to a real
//! receiver on this machine (the HTTP SMS gateway sink of `deliveries`, the SMTP sink of
//! `reports`) and signs the customer in; five wrong codes kill it; it expires after five
//! minutes (the fixed clock moves, nothing sleeps); one a minute per address; the same answer
//! for an address that is nobody's; the per-network-address throttle; staff get nothing; the
//! code is in no answer, not in the delivery log nor the audit log.

use axum::body::Body;
use axum::http::{Method, Request, Response};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::auth::Me;
use pingjia_domain::delivery::{DeliveryPage, Purpose};
use pingjia_domain::sign_in_codes::{LOG_SUMMARY, SignInMethods};
use pingjia_domain::wire::Role;
use pingjia_server::db::sql;
use pingjia_server::services::delivery;
use serde_json::{Value, json};

use crate::common::{
    Staffed, body_json, body_text, from_ip, header, json_request, problem, session_cookie,
};
use crate::deliveries::Sink;
use crate::reports::{Inbox, free_port, read_mail, start_sink};

/// Thursday 2026-11-26, 10:00 in Shanghai.
fn thursday() -> DateTime<Utc> {
    "2026-11-26T02:00:00Z".parse().unwrap()
}

/// The first run of exactly six digits in `text`.
fn code_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 6 {
            return chars[start..i].iter().collect();
        }
        i = i.max(start + 1);
    }
    panic!("no code in {text:?}")
}

impl Staffed {
    /// `POST /auth/codes` for `address` from `ip`.
    async fn ask(&self, address: &str, ip: &str) -> Response<Body> {
        let request = json_request(
            Method::POST,
            "/api/v1/auth/codes",
            None,
            &json!({ "address": address }),
        );
        self.app.request(from_ip(request, ip)).await
    }

    /// `POST /auth/codes/verify` with `code` for `address` from `ip`.
    async fn verify(&self, address: &str, code: &str, ip: &str) -> Response<Body> {
        let request = json_request(
            Method::POST,
            "/api/v1/auth/codes/verify",
            None,
            &json!({ "address": address, "code": code }),
        );
        self.app.request(from_ip(request, ip)).await
    }

    /// Asks for a code, asserts the 202 and runs the queue: the answer's body.
    async fn ask_and_send(&self, address: &str) -> Value {
        let response = self.ask(address, "10.0.0.1").await;
        assert_eq!(response.status(), 202, "asking a code for {address}");
        let body = body_json(response).await;
        delivery::run_due(&self.app.state).await.unwrap();
        body
    }

    async fn methods(&self) -> SignInMethods {
        let response = self.app.get("/api/v1/auth/methods").await;
        assert_eq!(response.status(), 200);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    async fn set_email(&self, user: i64, email: &str) {
        sql::query("UPDATE users SET email = ? WHERE id = ?")
            .bind(email)
            .bind(user)
            .execute(&self.app.state.pool)
            .await
            .unwrap();
    }
}

/// The texts of the SMS the sink received, in order.
fn texts(sink: &Sink) -> Vec<(String, String)> {
    sink.received()
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            (
                body["phone"].as_str().unwrap().to_owned(),
                body["content"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A problem's code.
async fn problem_code(response: Response<Body>, status: u16) -> (String, Option<String>) {
    let p = problem(response, status).await;
    (p.code.unwrap_or_default(), p.reference)
}

#[tokio::test]
async fn a_code_by_sms_arrives_at_the_gateway_and_signs_the_customer_in_once() {
    let t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    assert_eq!(
        t.methods().await,
        SignInMethods {
            password: true,
            code_sms: false,
            code_email: false
        }
    );
    t.gateway_on(&sink).await;
    assert_eq!(
        t.methods().await,
        SignInMethods {
            password: true,
            code_sms: true,
            code_email: false
        }
    );

    let answer = t.ask_and_send("138-0000-0002").await;
    assert_eq!(
        answer,
        json!({ "channel": "sms", "valid_seconds": 300, "resend_after_seconds": 60 })
    );
    let sent = texts(&sink);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "13800000002");
    assert!(sent[0].1.contains("验证码") && sent[0].1.contains("Sign-in code"));
    let code = code_in(&sent[0].1);

    let response = t.verify("13800000002", &code, "10.0.0.1").await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response).expect("a session cookie");
    let me: Me = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!((me.id, me.role), (t.people.customer, Role::Customer));
    // The session is a real one.
    let request = Request::get("/api/v1/auth/me")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let response = t.app.request(request).await;
    assert_eq!(response.status(), 200);
    // Once only.
    let again = t.verify("13800000002", &code, "10.0.0.1").await;
    assert_eq!(problem_code(again, 401).await.0, "code_used");

    // The code is in no answer: not the delivery log (which names the message without it),
    // not the audit log, which has the login by code with the masked number.
    let log: DeliveryPage = t
        .ok(t.people.admin, Method::GET, "/api/v1/deliveries", None)
        .await;
    let entry = &log.items[0];
    assert_eq!(entry.purpose, Purpose::OneTimeCode);
    assert_eq!(entry.summary, LOG_SUMMARY);
    for uri in [
        "/api/v1/deliveries",
        "/api/v1/deliveries?purpose=one_time_code",
        "/api/v1/audit-log?per_page=100",
    ] {
        let response = t.call(t.people.admin, Method::GET, uri, None).await;
        assert_eq!(response.status(), 200);
        let text = body_text(response).await;
        assert!(!text.contains(&code), "{uri}: {text}");
        if uri.starts_with("/api/v1/audit") {
            assert!(text.contains("auth.login") && text.contains("138****0002"));
            assert!(text.contains(r#""method":"code""#), "{text}");
        }
    }
    // Nor stored as it is.
    let stored: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM sign_in_codes WHERE code_hash = ? OR code_hash LIKE ?",
    )
    .bind(&code)
    .bind(format!("%{code}%"))
    .fetch_one(&t.app.state.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0);
    // The queued message held the code until it was sent; then it is forgotten.
    let kept: i64 = sql::query_scalar("SELECT COUNT(*) FROM deliveries WHERE content LIKE ?")
        .bind(format!("%{code}%"))
        .fetch_one(&t.app.state.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0);
    let resent = t
        .call(
            t.people.admin,
            Method::POST,
            &format!("/api/v1/deliveries/{}/retry", entry.id),
            None,
        )
        .await;
    assert_eq!(problem_code(resent, 409).await.0, "delivery_sent");
    assert_eq!(texts(&sink).len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn a_code_by_email_arrives_at_the_mail_server_and_signs_in() {
    let t = Staffed::at(thursday()).await;
    let port = free_port();
    let inbox: Inbox = start_sink(port);
    t.smtp_on(port).await;
    t.set_email(t.people.member, "li.ming@example.com").await;
    assert_eq!(
        t.methods().await,
        SignInMethods {
            password: true,
            code_sms: false,
            code_email: true
        }
    );
    // SMS is not set up: a phone number is refused, whoever's it is.
    let refused = t.ask("13800000001", "10.0.0.1").await;
    assert_eq!(
        problem_code(refused, 422).await.0,
        "code_channel_unavailable"
    );
    let refused = t.ask("13999999999", "10.0.0.1").await;
    assert_eq!(
        problem_code(refused, 422).await.0,
        "code_channel_unavailable"
    );

    let answer = t.ask_and_send(" Li.Ming@Example.com ").await;
    assert_eq!(answer["channel"], "email");
    let received = inbox.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0, ["li.ming@example.com"]);
    let (subject, text, html) = read_mail(&received[0].1);
    let code = code_in(&text);
    assert!(html.contains(&code));
    assert!(!subject.contains(&code), "{subject}");

    let response = t.verify("li.ming@example.com", &code, "10.0.0.1").await;
    assert_eq!(response.status(), 200);
    let me: Me = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(me.id, t.people.member);
}

#[tokio::test]
async fn five_wrong_codes_kill_the_code() {
    let t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.ask_and_send("13800000001").await;
    let code = code_in(&texts(&sink)[0].1);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for left in (1..=4).rev() {
        let response = t.verify("13800000001", wrong, "10.0.0.1").await;
        assert_eq!(
            problem_code(response, 401).await,
            ("code_wrong".to_owned(), Some(left.to_string()))
        );
    }
    let fifth = t.verify("13800000001", wrong, "10.0.0.1").await;
    assert_eq!(problem_code(fifth, 401).await.0, "code_too_many_tries");
    // Dead: the right code no longer signs in.
    let right = t.verify("13800000001", &code, "10.0.0.1").await;
    assert_eq!(problem_code(right, 401).await.0, "code_too_many_tries");
    // A malformed code is a field error, not a try.
    let malformed = t.verify("13800000001", "12ab", "10.0.0.1").await;
    assert_eq!(problem(malformed, 422).await.errors[0].code, "invalid_code");
    // A new code works.
    let mut t = t;
    t.app.advance(Duration::seconds(60));
    t.ask_and_send("13800000001").await;
    let code = code_in(&texts(&sink)[1].1);
    let response = t.verify("13800000001", &code, "10.0.0.1").await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_code_expires_after_five_minutes() {
    let mut t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.ask_and_send("13800000002").await;
    let code = code_in(&texts(&sink)[0].1);
    t.app.advance(Duration::seconds(299));
    let response = t.verify("13800000002", &code, "10.0.0.1").await;
    assert_eq!(response.status(), 200, "still good at 4:59");

    t.ask_and_send("13800000002").await;
    let code = code_in(&texts(&sink)[1].1);
    t.app.advance(Duration::seconds(300));
    let late = t.verify("13800000002", &code, "10.0.0.1").await;
    assert_eq!(problem_code(late, 401).await.0, "code_expired");

    // A customer disabled after asking is not signed in by the code.
    t.ask_and_send("13800000002").await;
    let code = code_in(&texts(&sink)[2].1);
    sql::query("UPDATE users SET disabled = TRUE WHERE id = ?")
        .bind(t.people.customer)
        .execute(&t.app.state.pool)
        .await
        .unwrap();
    let disabled = t.verify("13800000002", &code, "10.0.0.1").await;
    assert_eq!(problem_code(disabled, 401).await.0, "code_expired");
}

#[tokio::test]
async fn one_code_a_minute_and_ten_a_day_per_address_and_a_new_one_replaces_the_old() {
    let mut t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    let first = t.ask_and_send("13800000002").await;
    // Within the minute: the same answer, nothing sent, from another network address too.
    t.app.advance(Duration::seconds(59));
    let second = t.ask("13800000002", "10.0.0.9").await;
    assert_eq!(second.status(), 202);
    assert_eq!(body_json(second).await, first);
    delivery::run_due(&t.app.state).await.unwrap();
    assert_eq!(texts(&sink).len(), 1);
    // After it, a new code, and the old one no longer works.
    t.app.advance(Duration::seconds(1));
    t.ask_and_send("13800000002").await;
    let sent = texts(&sink);
    assert_eq!(sent.len(), 2);
    let (old, new) = (code_in(&sent[0].1), code_in(&sent[1].1));
    if old != new {
        let response = t.verify("13800000002", &old, "10.0.0.1").await;
        assert_eq!(problem_code(response, 401).await.0, "code_wrong");
    }
    let response = t.verify("13800000002", &new, "10.0.0.1").await;
    assert_eq!(response.status(), 200);

    // Ten codes a day per address: the eleventh within 24 hours sends nothing (the same
    // answer), from any network address.
    for n in 3..=11 {
        t.app.advance(Duration::seconds(60));
        let response = t.ask("13800000002", &format!("10.3.0.{n}")).await;
        assert_eq!(response.status(), 202);
        assert_eq!(body_json(response).await, first);
        delivery::run_due(&t.app.state).await.unwrap();
    }
    assert_eq!(texts(&sink).len(), 10);
    t.app.advance(Duration::hours(24));
    t.ask_and_send("13800000002").await;
    assert_eq!(texts(&sink).len(), 11, "a new day");
}

#[tokio::test]
async fn an_address_that_is_no_customers_gets_the_same_answers_and_nothing() {
    let t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    let port = free_port();
    let inbox = start_sink(port);
    t.smtp_on(port).await;
    // A disabled customer is nobody.
    sql::query("UPDATE users SET disabled = TRUE WHERE id = ?")
        .bind(t.people.member)
        .execute(&t.app.state.pool)
        .await
        .unwrap();

    let known = t.ask("13800000002", "10.0.0.1").await;
    let (known_status, known_body) = (known.status(), body_json(known).await);
    for nobody in ["13912345678", "13800000001"] {
        let answer = t.ask(nobody, "10.0.0.1").await;
        assert_eq!(answer.status(), known_status);
        assert_eq!(body_json(answer).await, known_body, "{nobody}");
    }
    // Staff have no phone or e-mail: an employee number is not an address at all, and a
    // staff mailbox is nobody's.
    let staff = t.ask("E1001", "10.0.0.1").await;
    assert_eq!(problem(staff, 422).await.errors[0].code, "invalid_address");
    let mailbox = t.ask("ops@example.com", "10.0.0.1").await;
    assert_eq!(mailbox.status(), 202);
    delivery::run_due(&t.app.state).await.unwrap();
    let sent = texts(&sink);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "13800000002");
    assert!(inbox.lock().unwrap().is_empty());

    // Typing codes for nobody answers as for a customer: wrong, then too many tries.
    for address in ["13912345678", "13800000002"] {
        for left in (1..=4).rev() {
            let response = t.verify(address, "999999", &format!("10.1.0.{left}")).await;
            let (code, reference) = problem_code(response, 401).await;
            // The customer's real code might be 999999: then it signs in, which is fine.
            if code == "code_wrong" {
                assert_eq!(reference, Some(left.to_string()), "{address}");
            }
        }
    }
    let nobody = t.verify("13912345678", "999998", "10.2.0.1").await;
    assert_eq!(problem_code(nobody, 401).await.0, "code_too_many_tries");
    // Never asked for: expired, for anyone.
    let never = t.verify("13700000000", "123456", "10.2.0.1").await;
    assert_eq!(problem_code(never, 401).await.0, "code_expired");
}

#[tokio::test]
async fn a_network_address_is_throttled_whatever_the_addresses() {
    let t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    for i in 0..20 {
        let response = t.ask(&format!("139000000{i:02}"), "10.0.0.1").await;
        assert_eq!(response.status(), 202, "request {i}");
    }
    let refused = t.ask("13800000002", "10.0.0.1").await;
    let retry_after: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert!(retry_after > 0 && retry_after <= 15 * 60);
    assert_eq!(problem_code(refused, 429).await.0, "code_rate_limited");
    // Another network address is heard, and the customer gets the code.
    let other = t.ask("13800000002", "10.0.0.2").await;
    assert_eq!(other.status(), 202);
    delivery::run_due(&t.app.state).await.unwrap();
    assert_eq!(texts(&sink).len(), 1);

    // Ten wrong codes from one network address, whatever the addresses, and it is refused.
    for i in 0..10 {
        let response = t
            .verify(&format!("137000000{i:02}"), "123456", "10.0.0.3")
            .await;
        assert_eq!(response.status(), 401, "try {i}");
    }
    let code = code_in(&texts(&sink)[0].1);
    let refused = t.verify("13800000002", &code, "10.0.0.3").await;
    assert_eq!(problem_code(refused, 429).await.0, "code_rate_limited");
    let response = t.verify("13800000002", &code, "10.0.0.4").await;
    assert_eq!(response.status(), 200);
}
