//! Signing in and out: cookies, sessions and their expiry, throttling, the audit log, CSRF,
//! changing one's password.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::auth::{LoginKind, Me};
use pingjia_domain::wire::Role;
use pingjia_server::db::sql;
use serde_json::json;

use crate::common::{
    PASSWORD, TestApp, body_json, body_text, empty_request, from_ip, header, json_request,
    login_request, problem, session_cookie,
};

fn now() -> DateTime<Utc> {
    "2026-11-22T02:00:00Z".parse().unwrap()
}

async fn me(app: &TestApp, cookie: &str) -> StatusCode {
    app.request(empty_request(Method::GET, "/api/v1/auth/me", Some(cookie)))
        .await
        .status()
}

#[tokio::test]
async fn each_kind_of_login_sets_a_strict_http_only_cookie_and_me_answers() {
    // Sessions keep whole seconds, like every stored time.
    let app = TestApp::new().await.at(now() + Duration::milliseconds(678));
    let people = app.people().await;
    let cases = [
        (
            LoginKind::Customer,
            "13800000001",
            people.member,
            Role::Customer,
        ),
        (
            LoginKind::Customer,
            "138-0000-0002",
            people.customer,
            Role::Customer,
        ),
        (
            LoginKind::Customer,
            "m000001",
            people.member,
            Role::Customer,
        ),
        (LoginKind::Staff, "A0001", people.admin, Role::Admin),
        (LoginKind::Staff, " e1001 ", people.agent, Role::Agent),
        (LoginKind::Staff, "L0001", people.lead, Role::TeamLead),
        (LoginKind::Staff, "Q0001", people.qa, Role::QaInspector),
    ];
    for (kind, login, id, role) in cases {
        let response = app.login(kind, login, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "{login}");
        let set_cookie = header(&response, "set-cookie").unwrap().to_owned();
        for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(set_cookie.contains(part), "{set_cookie}");
        }
        assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");
        let cookie = session_cookie(&response).unwrap();
        let me: Me = serde_json::from_value(body_json(response).await).unwrap();
        assert_eq!((me.id, me.role), (id, role), "{login}");
        assert_eq!(me.session_expires_at, now() + Duration::hours(12));

        let response = app
            .request(empty_request(Method::GET, "/api/v1/auth/me", Some(&cookie)))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let again: Me = serde_json::from_value(body_json(response).await).unwrap();
        assert_eq!(again, me);
    }
    let agent: Me = serde_json::from_value(
        body_json(app.login(LoginKind::Staff, "E1001", PASSWORD).await).await,
    )
    .unwrap();
    assert_eq!(agent.employee_no.as_deref(), Some("E1001"));
    assert_eq!(agent.team_name.as_deref(), Some("华东一组"));
    assert_eq!(agent.display_name, "张伟");
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure() {
    let app = TestApp::with(true, true).await;
    app.people().await;
    let response = app.login(LoginKind::Staff, "A0001", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        header(&response, "set-cookie")
            .unwrap()
            .contains("; Secure")
    );
}

#[tokio::test]
async fn every_failed_login_is_the_same_401() {
    let app = TestApp::new().await.at(now());
    let people = app.people().await;
    sql::query("UPDATE users SET disabled = TRUE WHERE id = ?")
        .bind(people.other_agent)
        .execute(&app.state.pool)
        .await
        .unwrap();
    sql::query("UPDATE users SET password_hash = NULL WHERE id = ?")
        .bind(people.customer)
        .execute(&app.state.pool)
        .await
        .unwrap();
    let attempts = [
        (LoginKind::Staff, "A0001", "Wrong-Password-123"),
        (LoginKind::Staff, "Z9999", "Wrong-Password-123"),
        (LoginKind::Customer, "A0001", PASSWORD),
        (LoginKind::Staff, "13800000001", PASSWORD),
        (LoginKind::Staff, "E2001", PASSWORD),
        (LoginKind::Customer, "13800000002", PASSWORD),
        (LoginKind::Customer, "13800000002", ""),
    ];
    let mut bodies = Vec::new();
    for (kind, login, password) in attempts {
        let response = app.login(kind, login, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{login}");
        assert_eq!(header(&response, "set-cookie"), None);
        assert_eq!(
            header(&response, "content-type"),
            Some("application/problem+json")
        );
        bodies.push(body_text(response).await);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:#?}");
    assert!(bodies[0].contains("The login or password is wrong"));
}

#[tokio::test]
async fn disabled_users_cannot_sign_in_and_their_sessions_stop() {
    let app = TestApp::new().await.at(now());
    let people = app.people().await;
    let cookie = app.sign_in(LoginKind::Staff, "E1001").await;
    sql::query("UPDATE users SET disabled = TRUE WHERE id = ?")
        .bind(people.agent)
        .execute(&app.state.pool)
        .await
        .unwrap();
    let response = app.login(LoginKind::Staff, "E1001", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &cookie).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_and_clears_the_cookie() {
    let app = TestApp::new().await.at(now());
    app.people().await;
    let cookie = app.sign_in(LoginKind::Staff, "A0001").await;
    let other = app.sign_in(LoginKind::Staff, "A0001").await;
    let response = app
        .request(empty_request(
            Method::POST,
            "/api/v1/auth/logout",
            Some(&cookie),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = header(&response, "set-cookie").unwrap();
    assert!(cleared.starts_with("pingjia_session=;") && cleared.contains("Max-Age=0"));

    let problem = problem(
        app.request(empty_request(Method::GET, "/api/v1/auth/me", Some(&cookie)))
            .await,
        401,
    )
    .await;
    assert!(problem.detail.unwrap().contains("sign in again"));
    let again = app
        .request(empty_request(
            Method::POST,
            "/api/v1/auth/logout",
            Some(&cookie),
        ))
        .await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        me(&app, &other).await,
        StatusCode::OK,
        "other sessions stay"
    );
}

#[tokio::test]
async fn a_new_login_replaces_the_session_the_browser_had() {
    let app = TestApp::new().await.at(now());
    app.people().await;
    let old = app.sign_in(LoginKind::Staff, "A0001").await;
    let mut request = login_request(LoginKind::Staff, "E1001", PASSWORD);
    request.headers_mut().insert("cookie", old.parse().unwrap());
    let response = app.request(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(session_cookie(&response).unwrap(), old);
    assert_eq!(me(&app, &old).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_end_after_two_idle_hours_and_slide_with_use() {
    let mut app = TestApp::new().await.at(now());
    app.people().await;
    let cookie = app.sign_in(LoginKind::Staff, "A0001").await;
    let last_seen = |app: &TestApp| {
        let pool = app.state.pool.clone();
        async move {
            sql::query_scalar::<String>("SELECT last_seen_at FROM sessions")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    app.advance(Duration::seconds(30));
    assert_eq!(me(&app, &cookie).await, StatusCode::OK);
    assert_eq!(
        last_seen(&app).await,
        "2026-11-22T02:00:00Z",
        "written at most once a minute"
    );
    app.advance(Duration::minutes(119));
    assert_eq!(me(&app, &cookie).await, StatusCode::OK);
    assert_eq!(last_seen(&app).await, "2026-11-22T03:59:30Z");
    app.advance(Duration::minutes(119));
    assert_eq!(
        me(&app, &cookie).await,
        StatusCode::OK,
        "used within 2 hours"
    );
    app.advance(Duration::hours(2));
    assert_eq!(me(&app, &cookie).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_end_twelve_hours_after_the_login_however_active() {
    let mut app = TestApp::new().await.at(now());
    app.people().await;
    let cookie = app.sign_in(LoginKind::Customer, "13800000001").await;
    for _ in 0..11 {
        app.advance(Duration::hours(1));
        assert_eq!(me(&app, &cookie).await, StatusCode::OK);
    }
    app.advance(Duration::minutes(59) + Duration::seconds(59));
    assert_eq!(me(&app, &cookie).await, StatusCode::OK);
    app.advance(Duration::seconds(1));
    assert_eq!(me(&app, &cookie).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_sixth_attempt_from_one_address_in_fifteen_minutes_is_refused_even_with_the_right_password()
 {
    let mut app = TestApp::new().await.at(now());
    app.people().await;
    for minute in 0..5 {
        let response = app
            .login(LoginKind::Staff, "A0001", "Wrong-Password-123")
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {minute}"
        );
        app.advance(Duration::minutes(1));
    }
    // The first failure was 5 minutes ago: it leaves the window in 10 minutes.
    let response = app.login(LoginKind::Staff, "a0001", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&response, "retry-after"), Some("600"));
    assert_eq!(header(&response, "set-cookie"), None);
    let known = body_text(response).await;
    assert!(known.contains("try again in 10 minutes"), "{known}");

    // The same for a login nobody has.
    app.advance(Duration::minutes(-5));
    for _ in 0..5 {
        app.login(LoginKind::Staff, "Z9999", "Wrong-Password-123")
            .await;
        app.advance(Duration::minutes(1));
    }
    let response = app.login(LoginKind::Staff, "Z9999", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&response, "retry-after"), Some("600"));
    assert_eq!(body_text(response).await, known);

    // Once the oldest failure is 15 minutes old, one more attempt is heard.
    app.advance(Duration::minutes(10) - Duration::seconds(1));
    let response = app.login(LoginKind::Staff, "A0001", PASSWORD).await;
    assert_eq!(header(&response, "retry-after"), Some("1"));
    app.advance(Duration::seconds(1));
    let response = app.login(LoginKind::Staff, "A0001", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_successful_login_starts_the_count_again() {
    let app = TestApp::new().await.at(now());
    app.people().await;
    for _ in 0..4 {
        app.login(LoginKind::Staff, "E1001", "Wrong-Password-123")
            .await;
    }
    app.sign_in(LoginKind::Staff, "E1001").await;
    for _ in 0..4 {
        let response = app
            .login(LoginKind::Staff, "E1001", "Wrong-Password-123")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.login(LoginKind::Staff, "E1001", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn failures_from_one_address_do_not_keep_the_owner_out() {
    let mut app = TestApp::new().await.at(now());
    app.people().await;
    let attacker = "203.0.113.9";
    let owner = "198.51.100.4";
    for _ in 0..5 {
        let request = login_request(LoginKind::Staff, "A0001", "Wrong-Password-123");
        let response = app.request(from_ip(request, attacker)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let request = login_request(LoginKind::Staff, "A0001", PASSWORD);
    let response = app.request(from_ip(request, attacker)).await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the guessing address is refused"
    );
    let request = login_request(LoginKind::Staff, "A0001", PASSWORD);
    let response = app.request(from_ip(request, owner)).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the owner's address is heard"
    );

    // From many addresses, five failures each: every address is refused in turn, the owner
    // still gets in (slowed down), and a success starts the count again.
    app.advance(Duration::minutes(1));
    for n in 0..20 {
        let address = format!("203.0.113.{}", 100 + n / 5);
        let request = login_request(LoginKind::Staff, "A0001", "Wrong-Password-123");
        let response = app.request(from_ip(request, &address)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let request = login_request(LoginKind::Staff, "A0001", PASSWORD);
    let response = app.request(from_ip(request, owner)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let delayed: String = sql::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    let delayed: serde_json::Value = serde_json::from_str(&delayed).unwrap();
    assert_eq!(
        delayed["delayed_seconds"], 30,
        "twenty failures: held back the longest"
    );
}

#[tokio::test]
async fn one_address_is_refused_after_twenty_failures() {
    let mut app = TestApp::new().await.at(now());
    app.people().await;
    let attacker = "203.0.113.9";
    for login in ["A0001", "L0001", "Q0001", "E1001", "E2001"] {
        for _ in 0..4 {
            let request = login_request(LoginKind::Staff, login, "Wrong-Password-123");
            let response = app.request(from_ip(request, attacker)).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
        app.advance(Duration::minutes(1));
    }
    let request = login_request(LoginKind::Customer, "13800000001", PASSWORD);
    let response = app.request(from_ip(request, attacker)).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&response, "retry-after"), Some("600"));

    let request = login_request(LoginKind::Customer, "13800000001", PASSWORD);
    let response = app.request(from_ip(request, "198.51.100.4")).await;
    assert_eq!(response.status(), StatusCode::OK, "another address");
}

#[tokio::test]
async fn logins_are_audited_and_the_audit_log_cannot_be_changed() {
    let app = TestApp::new().await.at(now());
    let people = app.people().await;
    app.sign_in(LoginKind::Staff, "E1001").await;
    for _ in 0..6 {
        let request = login_request(LoginKind::Staff, "E1001", "Wrong-Password-123");
        app.request(from_ip(request, "203.0.113.9")).await;
    }
    app.login(LoginKind::Staff, "E1001", PASSWORD).await;

    let pool = &app.state.pool;
    #[derive(sqlx::FromRow)]
    struct Row {
        action: String,
        actor_user_id: Option<i64>,
        actor_ip: Option<String>,
        target_id: Option<String>,
        details: String,
    }
    let rows: Vec<Row> = sql::query_as(
        "SELECT action, actor_user_id, actor_ip, target_id, details FROM audit_log ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "auth.login",
            "auth.login_failed",
            "auth.login_failed",
            "auth.login_failed",
            "auth.login_failed",
            "auth.login_failed",
            "auth.login_throttled",
            "auth.login",
        ]
    );
    assert_eq!(rows[0].actor_user_id, Some(people.agent));
    assert_eq!(rows[0].actor_ip.as_deref(), Some("0.0.0.0"));
    assert_eq!(
        rows[1].actor_user_id, None,
        "nobody is signed in when a login fails"
    );
    assert_eq!(rows[1].actor_ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(rows[1].target_id, Some(people.agent.to_string()));
    let details: serde_json::Value = serde_json::from_str(&rows[1].details).unwrap();
    assert_eq!(
        details,
        json!({ "login": "staff:E1001", "reason": "wrong_password" })
    );
    let throttled: serde_json::Value = serde_json::from_str(&rows[6].details).unwrap();
    assert_eq!(
        throttled,
        json!({ "login": "staff:E1001", "retry_after": 900 })
    );
    let slowed: serde_json::Value = serde_json::from_str(&rows[7].details).unwrap();
    assert_eq!(
        slowed,
        json!({ "login": "staff:E1001", "delayed_seconds": 1 }),
        "from another address the login is slowed down, not refused"
    );
    for row in &rows {
        assert!(!row.details.contains(PASSWORD) && !row.details.contains("Wrong-Password"));
    }

    for sql in [
        "UPDATE audit_log SET action = 'nothing'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ] {
        let error = sql::query(sql).execute(pool).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    let left: i64 = sql::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(left, 8);
}

#[tokio::test]
async fn sessions_are_stored_only_as_hashes() {
    let app = TestApp::new().await.at(now());
    app.people().await;
    let cookie = app.sign_in(LoginKind::Staff, "A0001").await;
    let token = cookie.split_once('=').unwrap().1;
    let (hash, ip): (String, String) = sql::query_as("SELECT token_hash, ip FROM sessions")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(hash.len(), 64);
    assert!(!hash.contains(token));
    assert_eq!(ip, "0.0.0.0");
}

#[tokio::test]
async fn cross_site_requests_that_change_data_are_refused() {
    let app = TestApp::new().await.at(now());
    app.people().await;
    let cookie = app.sign_in(LoginKind::Staff, "A0001").await;
    let login = || login_request(LoginKind::Staff, "A0001", PASSWORD);
    let with = |mut request: axum::http::Request<axum::body::Body>, headers: &[(&str, &str)]| {
        for (name, value) in headers {
            request.headers_mut().insert(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        request
    };

    for headers in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")],
        &[
            ("origin", "https://evil.example"),
            ("host", "localhost:8080"),
        ],
        &[("origin", "null"), ("host", "localhost:8080")],
    ] {
        let problem = problem(app.request(with(login(), headers)).await, 403).await;
        assert!(
            problem.detail.unwrap().contains("Cross-site"),
            "{headers:?}"
        );
        let logout = empty_request(Method::POST, "/api/v1/auth/logout", Some(&cookie));
        let response = app.request(with(logout, headers)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
    }
    assert_eq!(
        me(&app, &cookie).await,
        StatusCode::OK,
        "the logouts were refused"
    );

    for headers in [
        &[("sec-fetch-site", "same-origin")][..],
        &[("sec-fetch-site", "none")],
        &[
            ("origin", "http://localhost:8080"),
            ("host", "localhost:8080"),
        ],
        &[],
    ] {
        let response = app.request(with(login(), headers)).await;
        assert_eq!(response.status(), StatusCode::OK, "{headers:?}");
    }
    let read = empty_request(Method::GET, "/api/v1/auth/me", Some(&cookie));
    let response = app
        .request(with(read, &[("sec-fetch-site", "cross-site")]))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "reads are not refused");
}

#[tokio::test]
async fn the_public_url_is_same_origin_whatever_host_the_proxy_sends() {
    let mut app = TestApp::new().await.at(now());
    app.state = app
        .state
        .clone()
        .with_public_url(Some("https://pingjia.example.com/"));
    app.people().await;
    let mut request = login_request(LoginKind::Staff, "A0001", PASSWORD);
    let headers = request.headers_mut();
    headers.insert("origin", "https://pingjia.example.com".parse().unwrap());
    headers.insert("host", "127.0.0.1:8080".parse().unwrap());
    assert_eq!(app.request(request).await.status(), StatusCode::OK);
}

fn change_password(
    cookie: &str,
    current: &str,
    new: &str,
) -> axum::http::Request<axum::body::Body> {
    json_request(
        Method::POST,
        "/api/v1/auth/password",
        Some(cookie),
        &json!({ "current_password": current, "new_password": new }),
    )
}

#[tokio::test]
async fn the_password_policy_is_explained_field_by_field() {
    let app = TestApp::new().await.at(now());
    app.people().await;
    let cookie = app.sign_in(LoginKind::Staff, "E1001").await;
    let wrong = problem(
        app.request(change_password(
            &cookie,
            "Not-My-Password-1",
            "Saffron-Kettle-Drum",
        ))
        .await,
        422,
    )
    .await;
    assert_eq!(wrong.field("current_password").unwrap().code, "wrong");
    for (new, code) in [
        ("short", "too_short"),
        ("password123", "too_common"),
        ("1234567890", "too_common"),
        ("my-E1001-password", "contains_login"),
        (PASSWORD, "unchanged"),
    ] {
        let refused = problem(
            app.request(change_password(&cookie, PASSWORD, new)).await,
            422,
        )
        .await;
        let error = refused.field("new_password").expect("a new_password error");
        assert_eq!(error.code, code, "{new}");
        assert!(!error.message.is_empty());
    }
    let response = app
        .request(change_password(&cookie, PASSWORD, "Pingjia-Demo-2026"))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::NO_CONTENT,
        "the demo password passes"
    );
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = TestApp::new().await.at(now());
    let people = app.people().await;
    let this = app.sign_in(LoginKind::Customer, "13800000001").await;
    let phone = app.sign_in(LoginKind::Customer, "M000001").await;
    let response = app
        .request(change_password(&this, PASSWORD, "Saffron-Kettle-Drum"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &this).await, StatusCode::OK);
    assert_eq!(me(&app, &phone).await, StatusCode::UNAUTHORIZED);
    let old = app
        .login(LoginKind::Customer, "13800000001", PASSWORD)
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = app
        .login(LoginKind::Customer, "13800000001", "Saffron-Kettle-Drum")
        .await;
    assert_eq!(new.status(), StatusCode::OK);

    let (actor, details): (i64, String) = sql::query_as(
        "SELECT actor_user_id, details FROM audit_log WHERE action = 'auth.password_changed'",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(actor, people.member);
    assert_eq!(details, r#"{"sessions_ended":1}"#);
}
