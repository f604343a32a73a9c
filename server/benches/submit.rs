//! Rating submissions under load (`POST /api/v1/evaluations`), beside a bare axum + sqlx
//! endpoint that inserts one row per request, measured by the same client in the same run.
//!
//! ```text
//! make bench-submit
//! # or: cargo bench -p pingjia-server --profile server --bench submit
//! ```
//!
//! It makes a scratch database (the server's schema, a team of agents, customers with a
//! password and service records awaiting their rating, ended an hour ago: set-based SQL, times
//! relative to now), starts the real server binary on it, signs each customer in, then has 16
//! and then 64 customers submit evaluations on records of their own at once, each over one
//! keep-alive connection and with the headers the app sends (`Idempotency-Key`, `Origin`,
//! `Sec-Fetch-Site`, the session cookie). The bare endpoint (this binary started with
//! `--bare-server`) has the server's pool settings (WAL, `synchronous = NORMAL`, foreign keys,
//! 5 s busy timeout, no ping before each use) and answers 201 after its insert.
//!
//! Each round runs `PINGJIA_BENCH_SECONDS` (default 5) after a second of warm-up; it prints
//! accepted (201) answers per second, the median and 99th percentile of the answers' times,
//! the requests that were not accepted, and the ratio to the bare endpoint's rate.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::header;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

const PASSWORD: &str = "Bench-password-2026";
/// The rounds: concurrent customers each.
const ROUNDS: [usize; 2] = [16, 64];
/// Records awaiting a rating per round: enough for 6,000 submissions a second over 6 s (the
/// bare endpoint goes round them again).
const RECORDS_PER_ROUND: usize = 36_000;
const AGENTS: usize = 200;
const WARM_UP: Duration = Duration::from_secs(1);

const PHRASES: [&str; 12] = [
    "客服态度很好，问题很快就解决了",
    "物流太慢了，等了一个星期才到",
    "回复速度太慢，排队等了很久",
    "解释得很清楚，非常专业",
    "退款处理拖了很久，希望加快速度",
    "维修师傅很耐心，服务很周到",
    "Great service, very patient agent",
    "The refund took far too long",
    "门店环境干净，排队时间短",
    "问题没有解决，还要再打电话",
    "技术支持很专业，远程就修好了",
    "建议增加线上客服人手",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--bare-server") {
        let path = PathBuf::from(&args[at + 1]);
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(bare_server(&path));
        return;
    }
    let seconds: u64 = std::env::var("PINGJIA_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run(Duration::from_secs(seconds)));
}

/// The bare endpoint: `POST /rows` inserts one row and answers 201.
async fn bare_server(path: &Path) {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .acquire_timeout(Duration::from_secs(5))
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, record INTEGER NOT NULL,
             body TEXT NOT NULL, created_at TEXT NOT NULL)",
    )
    .execute(&pool)
    .await
    .unwrap();
    async fn insert(State(pool): State<SqlitePool>, body: String) -> StatusCode {
        let record = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v["service_record_id"].as_i64())
            .unwrap_or_default();
        match sqlx::query("INSERT INTO rows (record, body, created_at) VALUES (?, ?, ?)")
            .bind(record)
            .bind(&body)
            .bind(chrono::Utc::now().to_rfc3339())
            .execute(&pool)
            .await
        {
            Ok(_) => StatusCode::CREATED,
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    let app = Router::new().route("/rows", post(insert)).with_state(pool);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("listening on {}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}

/// A started server process, killed on drop.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` and waits for the line naming its address (`marker` then `host:port`).
fn start(mut command: Command, marker: &str) -> Server {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("starting the server");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("the server stopped before listening")
            .unwrap();
        if let Some(rest) = line.split(marker).nth(1) {
            break rest.trim().trim_end_matches('/').to_owned();
        }
    };
    // Keep reading its output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, address }
}

/// A service type's form: its dimensions' codes and whether each is optional.
type Form = Arc<Vec<(String, bool)>>;

/// One customer's work: its session cookie and the records it rates, in order, with their
/// forms.
struct Customer {
    cookie: String,
    records: Vec<(i64, Form)>,
}

async fn run(duration: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("pingjia.db");
    let began = Instant::now();
    let (logins, records) = prepare(&db_path).await;
    println!(
        "prepared {} customers and {} records awaiting a rating in {:.1?}",
        logins.len(),
        records.iter().map(Vec::len).sum::<usize>(),
        began.elapsed()
    );

    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_pingjia-server"));
    command
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(&db_path)
        .arg("--dist")
        .arg(&dist)
        .env(
            "RUST_LOG",
            // e.g. `sqlx::query=debug` to see each statement's time.
            std::env::var("PINGJIA_BENCH_SERVER_LOG").unwrap_or_else(|_| "warn".to_owned()),
        );
    let server = start(command, "Pingjia is running at http://");
    let mut bare = Command::new(std::env::current_exe().unwrap());
    bare.arg("--bare-server").arg(dir.path().join("bare.db"));
    let bare = start(bare, "listening on ");

    let mut customers = Vec::new();
    for (phone, customer_records) in logins.iter().zip(&records) {
        customers.push(Customer {
            cookie: sign_in(&server.address, phone).await,
            records: customer_records.clone(),
        });
    }
    println!("signed {} customers in", customers.len());
    println!();
    println!("| endpoint | clients | accepted/s | p50 | p99 | not accepted | vs bare |");
    println!("|---|---|---|---|---|---|---|");
    let mut customers = customers.into_iter();
    for clients in ROUNDS {
        let round: Vec<Customer> = customers.by_ref().take(clients).collect();
        let baseline = round_of(&bare.address, Target::Bare, &round, duration).await;
        baseline.print("bare axum + sqlx insert", clients, None);
        let measured = round_of(&server.address, Target::Server, &round, duration).await;
        measured.print(
            "POST /api/v1/evaluations",
            clients,
            Some(baseline.accepted_per_second()),
        );
    }
    drop(server);
    drop(bare);
}

/// Creates the scratch database: the schema and catalogue, a team of [`AGENTS`] agents, the
/// customers of every round and their records, ended an hour ago. Answers each customer's
/// phone and its records with their form's dimensions (code, optional).
async fn prepare(path: &Path) -> (Vec<String>, Vec<Vec<(i64, Form)>>) {
    // The generation writes SQLite's own SQL (`WITH RECURSIVE` series) on its pool.
    let pool = pingjia_server::db::open_with(path, pingjia_server::db::BUSY_TIMEOUT)
        .await
        .unwrap();
    let pool = pool.as_sqlite().expect("an SQLite file").clone();
    let hash = pingjia_server::services::password::hash_now(PASSWORD).unwrap();
    let customers: usize = ROUNDS.iter().sum();
    let now = chrono::Utc::now().timestamp();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("INSERT INTO teams (id, name) VALUES (1, 'Bench')")
        .execute(&mut *tx)
        .await
        .unwrap();
    // Agents 2..=AGENTS+1, customers after them.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
         INSERT INTO users (id, role, display_name, employee_no, team_id, created_at)
         SELECT 2 + i, 'agent', 'Agent ' || i, 'E' || (5000 + i), 1,
                strftime('%Y-%m-%dT%H:%M:%SZ', ?2 - 86400 * 365, 'unixepoch')
         FROM n",
    )
    .bind(AGENTS as i64)
    .bind(now)
    .execute(&mut *tx)
    .await
    .unwrap();
    let first_customer = 2 + AGENTS as i64;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
         INSERT INTO users (id, role, display_name, customer_no, phone, customer_type,
                            password_hash, created_at)
         SELECT ?2 + i, 'customer', 'Customer ' || i, 'C9' || printf('%05d', i),
                '1390000' || printf('%04d', i), 'returning', ?3,
                strftime('%Y-%m-%dT%H:%M:%SZ', ?4 - 86400 * 30, 'unixepoch')
         FROM n",
    )
    .bind(customers as i64)
    .bind(first_customer)
    .bind(&hash)
    .bind(now)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "CREATE TEMP TABLE bench_types AS
         SELECT ROW_NUMBER() OVER (ORDER BY position) - 1 AS k, code FROM service_types
         WHERE archived = 0",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    // Each round's records, spread over its customers; customer c's j-th record is served by
    // agent (c * 7 + j) % AGENTS, so no customer rates one agent twice within an hour.
    let mut offset = 0i64;
    let mut base = 0usize;
    for clients in ROUNDS {
        let per = (RECORDS_PER_ROUND / clients) as i64;
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1),
             t(i, c, j, at) AS (SELECT i, i / ?2, i % ?2, ?3 - 3600 - (i % ?2) FROM n)
             INSERT INTO service_records (external_id, customer_id, agent_id, service_type,
                 channel, started_at, ended_at, urgency, category, tags, requested_at,
                 first_response_at, resolved_at, resolved_first_contact, created_at)
             SELECT 'BENCH-' || (?4 + i), ?5 + ?6 + c, 2 + (c * 7 + j) % ?7,
                 (SELECT code FROM bench_types WHERE k = i % (SELECT COUNT(*) FROM bench_types)),
                 CASE WHEN i % 5 < 3 THEN 'online' ELSE 'offline' END,
                 strftime('%Y-%m-%dT%H:%M:%SZ', at - 900, 'unixepoch'),
                 strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch'),
                 'normal',
                 CASE i % 4 WHEN 0 THEN 'consultation' WHEN 1 THEN 'complaint'
                            WHEN 2 THEN 'suggestion' ELSE 'praise' END,
                 '[]',
                 strftime('%Y-%m-%dT%H:%M:%SZ', at - 1200, 'unixepoch'),
                 strftime('%Y-%m-%dT%H:%M:%SZ', at - 1100, 'unixepoch'),
                 strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch'),
                 i % 3 <> 0,
                 strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch')
             FROM t",
        )
        .bind(per * clients as i64)
        .bind(per)
        .bind(now)
        .bind(offset)
        .bind(first_customer)
        .bind(base as i64)
        .bind(AGENTS as i64)
        .execute(&mut *tx)
        .await
        .unwrap();
        offset += per * clients as i64;
        base += clients;
    }
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();

    let forms: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT service_type, dimension, optional FROM service_type_dimensions
         ORDER BY service_type, position, dimension",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut by_type: std::collections::HashMap<String, Vec<(String, bool)>> = Default::default();
    for (service_type, dimension, optional) in forms {
        by_type
            .entry(service_type)
            .or_default()
            .push((dimension, optional));
    }
    let by_type: std::collections::HashMap<String, Arc<Vec<(String, bool)>>> =
        by_type.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT customer_id, id, service_type FROM service_records ORDER BY customer_id, id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut records = vec![Vec::new(); customers];
    for (customer, id, service_type) in rows {
        records[(customer - first_customer) as usize].push((id, by_type[&service_type].clone()));
    }
    let phones = (0..customers).map(|i| format!("1390000{i:04}")).collect();
    pool.close().await;
    (phones, records)
}

/// A keep-alive HTTP/1.1 connection to `address`.
async fn connect(address: &str) -> http1::SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(connection);
    sender
}

/// A POST as the app sends it: JSON, same-origin, with the session cookie when there is one.
fn request(
    address: &str,
    path: &str,
    cookie: Option<&str>,
    key: Option<&str>,
    body: String,
) -> hyper::Request<Full<Bytes>> {
    let mut builder = hyper::Request::post(path)
        .header(header::HOST, address)
        .header(header::ORIGIN, format!("http://{address}"))
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    if let Some(key) = key {
        builder = builder.header("idempotency-key", key);
    }
    builder.body(Full::new(Bytes::from(body))).unwrap()
}

async fn sign_in(address: &str, phone: &str) -> String {
    let mut sender = connect(address).await;
    let body = json!({ "kind": "customer", "login": phone, "password": PASSWORD }).to_string();
    let response = sender
        .send_request(request(address, "/api/v1/auth/login", None, None, body))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "signing {phone} in");
    response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_owned()
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Server,
    Bare,
}

/// The body of the `j`-th submission of a record: scores that vary (some low enough for a
/// callback, some all 5), a suggestion on about half, a plausible time on the form.
fn evaluation_body(id: i64, dimensions: &[(String, bool)]) -> String {
    let r = id as usize;
    let mut scores = serde_json::Map::new();
    for (k, (code, optional)) in dimensions.iter().enumerate() {
        if *optional && r.is_multiple_of(3) {
            continue;
        }
        let score = if r.is_multiple_of(7) {
            5
        } else {
            1 + (r * 13 + k * 7) % 5
        };
        scores.insert(code.clone(), json!(score));
    }
    let mean =
        scores.values().filter_map(Value::as_u64).sum::<u64>() as f64 / scores.len().max(1) as f64;
    let overall = ((mean * 2.0).round() as u64).clamp(1, 10);
    let suggestion = (r % 20 < 9).then(|| {
        format!(
            "{}；{}（订单 {id}）",
            PHRASES[r % PHRASES.len()],
            PHRASES[(r / 7) % PHRASES.len()]
        )
    });
    json!({
        "service_record_id": id,
        "scores": scores,
        "overall": overall,
        "suggestion": suggestion,
        "form_seconds": 20 + r % 200,
    })
    .to_string()
}

struct Outcome {
    duration: Duration,
    accepted: usize,
    not_accepted: usize,
    statuses: std::collections::BTreeMap<String, usize>,
    times: Vec<Duration>,
    ran_out: usize,
}

impl Outcome {
    fn accepted_per_second(&self) -> f64 {
        self.accepted as f64 / self.duration.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        if self.times.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p * self.times.len() as f64).ceil() as usize).clamp(1, self.times.len());
        self.times[rank - 1]
    }

    fn print(&self, endpoint: &str, clients: usize, bare: Option<f64>) {
        let ratio = bare.map_or("1".to_owned(), |b| {
            format!("{:.2}", self.accepted_per_second() / b)
        });
        let errors = if self.statuses.is_empty() {
            "0".to_owned()
        } else {
            let list: Vec<String> = self
                .statuses
                .iter()
                .map(|(status, n)| format!("{n}× {status}"))
                .collect();
            format!("{} ({})", self.not_accepted, list.join(", "))
        };
        println!(
            "| {endpoint} | {clients} | {:.0} | {:.1?} | {:.1?} | {errors} | {ratio} |",
            self.accepted_per_second(),
            self.percentile(0.5),
            self.percentile(0.99),
        );
        if self.ran_out > 0 {
            println!(
                "(warning: {} clients ran out of records; raise RECORDS_PER_ROUND)",
                self.ran_out
            );
        }
    }
}

/// One round: every customer of `round` submits its records one after another over its own
/// connection for [`WARM_UP`] + `duration`; answers started after the warm-up and received
/// before the end count.
async fn round_of(
    address: &str,
    target: Target,
    round: &[Customer],
    duration: Duration,
) -> Outcome {
    let start = Instant::now();
    let from = start + WARM_UP;
    let until = from + duration;
    let mut tasks = Vec::new();
    for customer in round {
        let address = address.to_owned();
        let cookie = customer.cookie.clone();
        let records = customer.records.clone();
        tasks.push(tokio::spawn(async move {
            let mut sender = connect(&address).await;
            let mut seen: Vec<(Instant, Duration, Result<StatusCode, String>)> = Vec::new();
            let count = records.len();
            let mut records = records.into_iter().cycle().take(match target {
                Target::Server => count,
                Target::Bare => usize::MAX,
            });
            let mut ran_out = false;
            while Instant::now() < until {
                let Some((id, dimensions)) = records.next() else {
                    ran_out = true;
                    break;
                };
                let body = evaluation_body(id, &dimensions);
                let key = format!("bench-{id}-{}", rand_suffix(id));
                let request = match target {
                    Target::Server => request(
                        &address,
                        "/api/v1/evaluations",
                        Some(&cookie),
                        Some(&key),
                        body,
                    ),
                    Target::Bare => request(&address, "/rows", Some(&cookie), Some(&key), body),
                };
                let sent = Instant::now();
                let result = match sender.send_request(request).await {
                    Ok(response) => {
                        let status = response.status();
                        match response.into_body().collect().await {
                            Ok(_) => Ok(status),
                            Err(e) => Err(e.to_string()),
                        }
                    }
                    Err(e) => Err(e.to_string()),
                };
                let failed = result.is_err();
                seen.push((sent, sent.elapsed(), result));
                if failed {
                    sender = connect(&address).await;
                }
            }
            (seen, ran_out)
        }));
    }
    let mut outcome = Outcome {
        duration,
        accepted: 0,
        not_accepted: 0,
        statuses: Default::default(),
        times: Vec::new(),
        ran_out: 0,
    };
    for task in tasks {
        let (seen, ran_out) = task.await.unwrap();
        outcome.ran_out += usize::from(ran_out);
        for (sent, took, result) in seen {
            if sent < from || sent + took > until {
                continue;
            }
            outcome.times.push(took);
            match result {
                Ok(StatusCode::CREATED) => outcome.accepted += 1,
                Ok(status) => {
                    outcome.not_accepted += 1;
                    *outcome
                        .statuses
                        .entry(status.as_u16().to_string())
                        .or_default() += 1;
                }
                Err(e) => {
                    outcome.not_accepted += 1;
                    *outcome.statuses.entry(e).or_default() += 1;
                }
            }
        }
    }
    outcome.times.sort();
    outcome
}

/// A per-run suffix so two runs never share keys (the database is new each run anyway).
fn rand_suffix(id: i64) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    format!(
        "{:08x}",
        (id as u64).wrapping_mul(0x9e37_79b9) ^ u64::from(nanos)
    )
}
