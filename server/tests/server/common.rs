//! What the integration tests share: a fresh app on its own temporary database and dist dir.

use pingjia_server::db::sql;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::{Arc, LazyLock};
use std::time::Duration as StdDuration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, Response, StatusCode, header as name};
use chrono::{DateTime, Duration, Utc};
use http_body_util::BodyExt;
use pingjia_domain::Problem;
use pingjia_domain::auth::LoginKind;
use pingjia_domain::wire::Role;
use pingjia_server::http::session;
use pingjia_server::http::state::AppState;
use pingjia_server::http::web::Web;
use pingjia_server::services::{cluster, password};
use pingjia_server::time::{Clock, to_db};
use pingjia_server::{app, db};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

/// The built app's page, as Trunk writes it with `create_nonce = true`.
pub const INDEX_HTML: &str = r#"<!DOCTYPE html><html><head><script type="module" nonce="{{__TRUNK NONCE__}}">import init from '/pingjia-1a2b3c4d5e6f7a8b.js';init('/pingjia-1a2b3c4d5e6f7a8b_bg.wasm');</script><link rel="modulepreload" href="/pingjia-1a2b3c4d5e6f7a8b.js" nonce="{{__TRUNK NONCE__}}"></head><body></body></html>"#;

/// Where a [`TestApp`]'s database is, in its directory.
const DATABASE: &str = "data/test.db";

/// An application on a database and a dist directory of its own, removed on drop.
pub struct TestApp {
    pub state: AppState,
    /// On PostgreSQL, the instance's ear for the others (`services::cluster`), stopped with it.
    _listening: Option<crate::postgres::Listening>,
    /// Removed with the app (and its other instances).
    dir: Arc<TempDir>,
    /// The app's PostgreSQL database, dropped with the app and its other instances.
    _database: Option<Arc<crate::postgres::Scratch>>,
}

impl TestApp {
    /// A fresh database and a dist directory holding a small built app.
    pub async fn new() -> TestApp {
        TestApp::with(true, false).await
    }

    /// `built`: whether the dist directory has the app; `https`: whether HSTS is sent.
    pub async fn with(built: bool, https: bool) -> TestApp {
        TestApp::open(built, https, db::BUSY_TIMEOUT, false).await
    }

    /// A fresh app whose database connections wait `busy_timeout` for a lock.
    pub async fn with_busy_timeout(busy_timeout: std::time::Duration) -> TestApp {
        TestApp::open(true, false, busy_timeout, false).await
    }

    /// `demo`: with the demo organisation (`crate::demo::seeded`); a copy of a template either way.
    pub(crate) async fn open(built: bool, https: bool, wait: StdDuration, demo: bool) -> TestApp {
        // `PINGJIA_TEST_LOG=error` (a filter) shows the server's logs beside a failing test's.
        if let Ok(filter) = std::env::var("PINGJIA_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        if built {
            write_dist(&dist);
        }
        let mut database = None;
        let pool = match crate::postgres::server() {
            Some(server) => {
                let (pool, scratch) = crate::postgres::database(&server, demo).await;
                database = Some(scratch);
                pool
            }
            None => {
                let path = crate::sqlite::copy_template(demo, dir.path().join(DATABASE)).await;
                db::open_with(&path, wait).await.unwrap()
            }
        };
        let state = AppState::new(pool, Web::load(dist, https));
        TestApp {
            _listening: cluster::listen(state.clone()).map(crate::postgres::Listening),
            state,
            dir: Arc::new(dir),
            _database: database.map(Arc::new),
        }
    }

    /// A second instance of the app on its database (PostgreSQL: several instances behind a
    /// load balancer), with its own state (caches, live feeds, workers' wake-up calls) and the
    /// same clock.
    pub async fn second_instance(&self) -> TestApp {
        let mut state = AppState::new(
            self.reopen_database().await,
            Web::load(self.dist_path(), self.state.https()),
        );
        state.clock = self.state.clock;
        TestApp {
            _listening: cluster::listen(state.clone()).map(crate::postgres::Listening),
            state,
            dir: Arc::clone(&self.dir),
            _database: self._database.clone(),
        }
    }

    /// Whether the app runs on PostgreSQL (the suite's run with `PINGJIA_TEST_POSTGRES`).
    pub fn on_postgres(&self) -> bool {
        self.state.pool.dialect() == sql::Dialect::Postgres
    }

    /// The app's database file (SQLite's).
    pub fn database_path(&self) -> std::path::PathBuf {
        self.dir.path().join(DATABASE)
    }

    /// What `--database` takes for the app's database: its file, or its PostgreSQL URL.
    pub fn database_location(&self) -> String {
        match &self._database {
            Some(scratch) => scratch.url(),
            None => self.database_path().display().to_string(),
        }
    }

    /// The app's dist directory.
    pub fn dist_path(&self) -> std::path::PathBuf {
        self.dir.path().join("dist")
    }

    /// A new pool on the app's database, as a restarted server opens it.
    pub async fn reopen_database(&self) -> db::Pool {
        match &self._database {
            Some(scratch) => db::open_postgres(&scratch.url()).await.unwrap(),
            None => db::open_with(&self.database_path(), db::BUSY_TIMEOUT)
                .await
                .unwrap(),
        }
    }

    pub fn at(mut self, now: DateTime<Utc>) -> TestApp {
        self.state.clock = Clock::Fixed(now);
        self
    }

    /// The app's "now".
    pub fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    /// Moves the fixed clock on (the app must be [`at`](Self::at) a time).
    pub fn advance(&mut self, by: Duration) {
        let Clock::Fixed(now) = self.state.clock else {
            panic!("advance needs a fixed clock");
        };
        self.state.clock = Clock::Fixed(now + by);
    }

    /// Rates `record` as `customer` through `POST /evaluations` with `answers` (their
    /// `service_record_id` filled in) and the idempotency key `{key}-{record}`; asserts the 201:
    /// the evaluation as answered.
    pub async fn rate_record(
        &self,
        customer: i64,
        record: i64,
        answers: Value,
        key: &str,
    ) -> Value {
        let mut body = answers;
        body["service_record_id"] = json!(record);
        let cookie = self.session(customer).await;
        let mut request = json_request(Method::POST, "/api/v1/evaluations", Some(&cookie), &body);
        request.headers_mut().insert(
            "idempotency-key",
            format!("{key}-{record}").parse().unwrap(),
        );
        let response = self.request(request).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        body_json(response).await
    }

    /// Rates a fresh online chat of `customer` served by `agent` that ended `ago` before now
    /// (see [`TestApp::rate_record`]): the record and the evaluation as answered.
    pub async fn rate_fresh(
        &self,
        customer: i64,
        agent: i64,
        ago: Duration,
        answers: Value,
        key: &str,
    ) -> (i64, Value) {
        let record = self
            .service_record(customer, agent, "online_chat", self.now() - ago)
            .await;
        (
            record,
            self.rate_record(customer, record, answers, key).await,
        )
    }

    /// A service record of `customer` served by `agent`, an online `service_type` service that
    /// ended at `ended_at` after 20 minutes, inserted directly: its id.
    pub async fn service_record(
        &self,
        customer: i64,
        agent: i64,
        service_type: &str,
        ended_at: DateTime<Utc>,
    ) -> i64 {
        let started_at = ended_at - Duration::minutes(20);
        let requested_at = started_at - Duration::minutes(5);
        let id: i64 = sql::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM service_records")
            .fetch_one(&self.state.pool)
            .await
            .unwrap();
        sql::query(
            "INSERT INTO service_records (id, external_id, customer_id, agent_id, service_type,
                 channel, started_at, ended_at, order_no, urgency, category, requested_at,
                 first_response_at, resolved_at, resolved_first_contact, created_at)
             VALUES (?, ?, ?, ?, ?, 'online', ?, ?, ?, 'normal', 'consultation', ?, ?, ?, TRUE, ?)",
        )
        .bind(id)
        .bind(format!("TEST{id}"))
        .bind(customer)
        .bind(agent)
        .bind(service_type)
        .bind(to_db(started_at))
        .bind(to_db(ended_at))
        .bind(format!("SO{id:06}"))
        .bind(to_db(requested_at))
        .bind(to_db(started_at))
        .bind(to_db(ended_at))
        .bind(to_db(requested_at))
        .execute(&self.state.pool)
        .await
        .unwrap();
        id
    }

    /// `method uri` as `user` (a fresh session), with the JSON `body` if any. The request
    /// carries an `Idempotency-Key` made of the user, path and body, as the app sends one with
    /// a creating request: the same request again is a retry.
    pub async fn call_as(
        &self,
        user: i64,
        method: Method,
        uri: &str,
        body: Option<&Value>,
    ) -> Response<Body> {
        use sha2::Digest;
        let cookie = self.session(user).await;
        let mut request = match body {
            Some(body) => json_request(method, uri, Some(&cookie), body),
            None => empty_request(method, uri, Some(&cookie)),
        };
        let key = format!(
            "{user} {uri} {}",
            body.map(Value::to_string).unwrap_or_default()
        );
        let key = format!("{:x}", sha2::Sha256::digest(key.as_bytes()));
        request
            .headers_mut()
            .insert("idempotency-key", key.parse().unwrap());
        self.request(request).await
    }

    /// [`call_as`](Self::call_as), answered with `status`: the body read as `T`.
    pub async fn expect_as<T: serde::de::DeserializeOwned>(
        &self,
        user: i64,
        method: Method,
        uri: &str,
        body: Option<&Value>,
        status: StatusCode,
    ) -> T {
        let response = self.call_as(user, method, uri, body).await;
        let got = response.status();
        let text = body_text(response).await;
        assert_eq!(got, status, "{uri}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// The small organisation of [`People`], every user with the password [`PASSWORD`].
    pub async fn people(&self) -> People {
        People::insert(self).await
    }

    /// A session for `user_id`, made directly in the database: the `Cookie` header to send.
    pub async fn session(&self, user_id: i64) -> String {
        let ip = "127.0.0.1".parse().unwrap();
        let new = session::create(&self.state.pool, user_id, self.now(), ip, None)
            .await
            .unwrap();
        format!("{}={}", session::COOKIE, new.token.as_str())
    }

    /// A fresh user of `role` (no password) with a session: the `Cookie` header to send.
    pub async fn signed_in_as(&self, role: Role) -> String {
        let id: i64 = sql::query_scalar("SELECT COALESCE(MAX(id), 0) + 1000 FROM users")
            .fetch_one(&self.state.pool)
            .await
            .unwrap();
        let number = format!("X{id}");
        let (employee_no, customer_no, customer_type) = match role {
            Role::Customer => (None, Some(number), Some("new")),
            _ => (Some(number), None, None),
        };
        sql::query(
            "INSERT INTO users (id, role, display_name, employee_no, customer_no, customer_type, created_at)
             VALUES (?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z')",
        )
        .bind(id)
        .bind(role.as_str())
        .bind(format!("{} {id}", role.as_str()))
        .bind(employee_no)
        .bind(customer_no)
        .bind(customer_type)
        .execute(&self.state.pool)
        .await
        .unwrap();
        self.session(id).await
    }

    /// `POST /auth/login` from the default address.
    pub async fn login(&self, kind: LoginKind, login: &str, password: &str) -> Response<Body> {
        self.request(login_request(kind, login, password)).await
    }

    /// Signs in through the API and answers the `Cookie` header of the new session.
    pub async fn sign_in(&self, kind: LoginKind, login: &str) -> String {
        let response = self.login(kind, login, PASSWORD).await;
        assert_eq!(response.status(), 200, "signing in as {login}");
        session_cookie(&response).expect("a login sets the session cookie")
    }

    pub async fn request(&self, request: Request<Body>) -> Response<Body> {
        app(self.state.clone()).oneshot(request).await.unwrap()
    }

    pub async fn get(&self, uri: &str) -> Response<Body> {
        self.request(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }
}

fn write_dist(dist: &Path) {
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(
        dist.join("pingjia-1a2b3c4d5e6f7a8b.js"),
        "export default function init() {}\n".repeat(20),
    )
    .unwrap();
    std::fs::write(
        dist.join("main-0123456789abcdef.css"),
        "body { margin: 0 }\n",
    )
    .unwrap();
    std::fs::write(dist.join("config.json"), r#"{"api_base":"/api/v1"}"#).unwrap();
    std::fs::create_dir_all(dist.join("vendor")).unwrap();
    std::fs::write(dist.join("vendor/echarts.min.js"), "/* echarts */\n").unwrap();
}

pub fn header<'a>(response: &'a Response<Body>, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

/// The password of every user of [`People`].
pub const PASSWORD: &str = "Violet-Tractor-Lantern-7";

/// [`PASSWORD`] hashed once for the whole test binary.
static PASSWORD_HASH: LazyLock<String> = LazyLock::new(|| password::hash_now(PASSWORD).unwrap());

/// A small organisation: two teams, one user of each staff role, and two customers.
#[derive(Debug, Clone, Copy)]
pub struct People {
    pub team: i64,
    pub other_team: i64,
    /// `A0001`.
    pub admin: i64,
    /// `L0001`, leads `team`.
    pub lead: i64,
    /// `Q0001`.
    pub qa: i64,
    /// `E1001`, in `team`.
    pub agent: i64,
    /// `E2001`, in `other_team`.
    pub other_agent: i64,
    /// `C000001`, phone `13800000001`, member `M000001`.
    pub member: i64,
    /// `C000002`, phone `13800000002`.
    pub customer: i64,
    /// The API key [`API_KEY`], named `helpdesk`.
    pub api_key: i64,
}

/// An app on a fixed clock with its [`People`], for the tests that act as several of them
/// (each test file wraps it with the steps of its own flow).
pub struct Staffed {
    pub app: TestApp,
    pub people: People,
}

impl Staffed {
    /// Points the mail server at the SMTP sink on `port` on this machine (plain SMTP without
    /// a login, a relay on the local network), links starting with `https://pingjia.example.com`.
    pub async fn smtp_on(&self, port: u16) {
        let _: pingjia_domain::reports::SmtpSettings = self
            .ok(
                self.people.admin,
                Method::PUT,
                "/api/v1/settings/smtp",
                Some(serde_json::json!({
                    "host": "127.0.0.1", "port": port, "security": "none",
                    "from_address": "pingjia@example.com", "from_name": "评价",
                    "link_base": "https://pingjia.example.com",
                })),
            )
            .await;
    }

    pub async fn at(now: DateTime<Utc>) -> Staffed {
        let app = TestApp::new().await.at(now);
        let people = app.people().await;
        Staffed { app, people }
    }

    pub async fn call(
        &self,
        user: i64,
        method: Method,
        uri: &str,
        body: Option<Value>,
    ) -> Response<Body> {
        self.app.call_as(user, method, uri, body.as_ref()).await
    }

    /// `POST uri` with `body` as `user`.
    pub async fn post(&self, user: i64, uri: &str, body: Value) -> Response<Body> {
        self.call(user, Method::POST, uri, Some(body)).await
    }

    /// `PUT uri` with `body` as `user`.
    pub async fn put(&self, user: i64, uri: &str, body: Value) -> Response<Body> {
        self.call(user, Method::PUT, uri, Some(body)).await
    }

    /// A request answered 200: its body.
    pub async fn ok<R: DeserializeOwned>(
        &self,
        user: i64,
        method: Method,
        uri: &str,
        body: Option<Value>,
    ) -> R {
        self.app
            .expect_as(user, method, uri, body.as_ref(), StatusCode::OK)
            .await
    }
}

/// How a test file's [`Flow`] rates a record.
pub trait Rating {
    /// How long before the rating the record ended, in minutes.
    const ENDED_MINUTES_AGO: i64;
    /// Attitude, professionalism, responsiveness, resolution and compliance, 1-5.
    const SCORES: [u8; 5];
    /// The idempotency keys' prefix: `{KEY}-{record}`.
    const KEY: &'static str;
}

/// The shared [`Staffed`] fixture in a test file's flow: it rates records as `R` says, and the
/// file adds the steps of its flow (`impl Flow<ItsRating> { … }`).
pub struct Flow<R>(Staffed, PhantomData<R>);

impl<R> Deref for Flow<R> {
    type Target = Staffed;

    fn deref(&self) -> &Staffed {
        &self.0
    }
}

impl<R> DerefMut for Flow<R> {
    fn deref_mut(&mut self) -> &mut Staffed {
        &mut self.0
    }
}

impl<R: Rating> Flow<R> {
    pub async fn at(now: DateTime<Utc>) -> Flow<R> {
        Flow(Staffed::at(now).await, PhantomData)
    }

    /// Rates, now, a fresh online chat of `customer` served by `agent` (see [`Rating`]): the
    /// evaluation's number.
    pub async fn rate(
        &self,
        customer: i64,
        agent: i64,
        overall: u8,
        suggestion: Option<&str>,
    ) -> String {
        let [
            attitude,
            professionalism,
            responsiveness,
            resolution,
            compliance,
        ] = R::SCORES;
        let answers = json!({
            "scores": {
                "attitude": attitude, "professionalism": professionalism,
                "responsiveness": responsiveness, "resolution": resolution,
                "compliance": compliance,
            },
            "overall": overall,
            "suggestion": suggestion,
            "form_seconds": 90,
        });
        let ago = Duration::minutes(R::ENDED_MINUTES_AGO);
        let (_, created) = self
            .app
            .rate_fresh(customer, agent, ago, answers, R::KEY)
            .await;
        created["number"].as_str().unwrap().to_owned()
    }
}

/// The secret of the API key of [`People`]: what the helpdesk sends as `Bearer`.
pub const API_KEY: &str = "pj_TestKeyOfTheHelpdesk0123456789abcdefghijk";

impl People {
    async fn insert(app: &TestApp) -> People {
        let pool = &app.state.pool;
        let hash: &str = &PASSWORD_HASH;
        let team_id = |name: &'static str| async move {
            sql::query_scalar::<i64>("INSERT INTO teams (name) VALUES (?) RETURNING id")
                .bind(name)
                .fetch_one(pool)
                .await
                .unwrap()
        };
        let team = team_id("华东一组").await;
        let other_team = team_id("华南二组").await;
        let staff = |role: &'static str,
                     no: &'static str,
                     name: &'static str,
                     team: Option<i64>| async move {
            sql::query_scalar::<i64>(
                "INSERT INTO users (role, display_name, employee_no, team_id, password_hash, created_at)
                 VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00Z') RETURNING id",
            )
            .bind(role)
            .bind(name)
            .bind(no)
            .bind(team)
            .bind(hash)
            .fetch_one(pool)
            .await
            .unwrap()
        };
        let admin = staff("admin", "A0001", "梁志远", None).await;
        let lead = staff("team_lead", "L0001", "林晓峰", Some(team)).await;
        let qa = staff("qa_inspector", "Q0001", "罗文静", None).await;
        let agent = staff("agent", "E1001", "张伟", Some(team)).await;
        let other_agent = staff("agent", "E2001", "赵敏", Some(other_team)).await;
        sql::query("UPDATE teams SET lead_user_id = ? WHERE id = ?")
            .bind(lead)
            .bind(team)
            .execute(pool)
            .await
            .unwrap();
        let customer = |no: &'static str,
                        phone: &'static str,
                        member: Option<&'static str>,
                        name: &'static str| async move {
            sql::query_scalar::<i64>(
                "INSERT INTO users (role, display_name, customer_no, member_no, phone, customer_type,
                                    password_hash, created_at)
                 VALUES ('customer', ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z') RETURNING id",
            )
            .bind(name)
            .bind(no)
            .bind(member)
            .bind(phone)
            .bind(if member.is_some() { "member" } else { "returning" })
            .bind(hash)
            .fetch_one(pool)
            .await
            .unwrap()
        };
        let member = customer("C000001", "13800000001", Some("M000001"), "李明").await;
        let customer = customer("C000002", "13800000002", None, "陈晓燕").await;
        let api_key = sql::query_scalar::<i64>(
            "INSERT INTO api_keys (name, prefix, key_hash, created_at, created_by)
             VALUES ('helpdesk', ?, ?, '2026-01-01T00:00:00Z', ?) RETURNING id",
        )
        .bind(&API_KEY[..10])
        .bind(session::token_hash(API_KEY))
        .bind(admin)
        .fetch_one(pool)
        .await
        .unwrap();
        People {
            team,
            other_team,
            admin,
            lead,
            qa,
            agent,
            other_agent,
            member,
            customer,
            api_key,
        }
    }

    /// The user of each role the permission tests act as.
    pub fn of(&self, role: Role) -> i64 {
        match role {
            Role::Customer => self.member,
            Role::Agent => self.agent,
            Role::TeamLead => self.lead,
            Role::QaInspector => self.qa,
            Role::Admin => self.admin,
        }
    }
}

/// A `POST /auth/login` request.
pub fn login_request(kind: LoginKind, login: &str, password: &str) -> Request<Body> {
    json_request(
        Method::POST,
        "/api/v1/auth/login",
        None,
        &json!({ "kind": kind, "login": login, "password": password }),
    )
}

/// A request with a JSON body, and the session cookie when given.
pub fn json_request(
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    body: &Value,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(name::CONTENT_TYPE, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(name::COOKIE, cookie);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// A request without a body, with the session cookie when given.
pub fn empty_request(method: Method, uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(cookie) = cookie {
        request = request.header(name::COOKIE, cookie);
    }
    request.body(Body::empty()).unwrap()
}

/// The same request as if it came from `ip` (what serving with connection info provides).
pub fn from_ip(mut request: Request<Body>, ip: &str) -> Request<Body> {
    let address: SocketAddr = format!("{ip}:50000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(address));
    request
}

/// The `Cookie` header that sends back the session a response set, if it set one.
pub fn session_cookie(response: &Response<Body>) -> Option<String> {
    let set = header(response, "set-cookie")?;
    let pair = set.split(';').next()?;
    pair.starts_with(&format!("{}=", session::COOKIE))
        .then(|| pair.to_owned())
}

/// A problem answer of `status`: checks the media type and answers the document.
pub async fn problem(response: Response<Body>, status: u16) -> Problem {
    assert_eq!(response.status(), status);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    let problem: Problem = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(problem.status, status);
    problem
}

/// The fields a problem's errors name, in order.
pub fn fields(problem: &Problem) -> Vec<&str> {
    problem.errors.iter().map(|e| e.field.as_str()).collect()
}

/// A problem's field errors as (field, code) pairs, in order.
pub fn codes(problem: &Problem) -> Vec<(&str, &str)> {
    problem
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect()
}

pub async fn body_text(response: Response<Body>) -> String {
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}

pub async fn body_json(response: Response<Body>) -> serde_json::Value {
    serde_json::from_str(&body_text(response).await).unwrap()
}

/// An admin signed in on a fresh app with [`People`], and the requests the admin tests send.
pub struct AdminClient {
    pub app: TestApp,
    pub people: People,
    pub cookie: String,
}

impl AdminClient {
    pub async fn new() -> AdminClient {
        AdminClient::on(TestApp::new().await).await
    }

    pub async fn on(app: TestApp) -> AdminClient {
        let people = app.people().await;
        let cookie = app.session(people.admin).await;
        AdminClient {
            app,
            people,
            cookie,
        }
    }

    pub async fn get(&self, uri: &str) -> Response<Body> {
        self.app
            .request(empty_request(Method::GET, uri, Some(&self.cookie)))
            .await
    }

    pub async fn send(&self, method: Method, uri: &str, body: Value) -> Response<Body> {
        self.app
            .request(json_request(method, uri, Some(&self.cookie), &body))
            .await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Response<Body> {
        self.send(Method::POST, uri, body).await
    }

    pub async fn put(&self, uri: &str, body: Value) -> Response<Body> {
        self.send(Method::PUT, uri, body).await
    }

    pub async fn patch(&self, uri: &str, body: Value) -> Response<Body> {
        self.send(Method::PATCH, uri, body).await
    }

    pub async fn delete(&self, uri: &str) -> Response<Body> {
        self.app
            .request(empty_request(Method::DELETE, uri, Some(&self.cookie)))
            .await
    }

    /// A `text/csv` POST of raw bytes.
    pub async fn csv(&self, uri: &str, bytes: impl Into<Body>) -> Response<Body> {
        let request = Request::post(uri)
            .header(name::CONTENT_TYPE, "text/csv")
            .header(name::COOKIE, &self.cookie)
            .body(bytes.into())
            .unwrap();
        self.app.request(request).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sql::query_scalar(sql)
            .fetch_one(&self.app.state.pool)
            .await
            .unwrap()
    }
}
