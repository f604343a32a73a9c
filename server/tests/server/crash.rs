//! A crash under load: the real server binary, customers submitting evaluations at once, a
//! `kill -9` once some of them were answered, a restart on the same database file, and every
//! unanswered request sent again with its `Idempotency-Key`. Then every evaluation answered
//! 2xx exists exactly once, every retried key gave exactly one, no service record has two and
//! the database passes `PRAGMA integrity_check`.
//!
//! When the kill happens is decided by a count of answers, never by a clock: whatever was in
//! flight then, the checks are the same.

use pingjia_server::db::sql;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Duration;
use serde_json::{Value, json};
use sqlx::Connection;
use sqlx::sqlite::SqliteConnectOptions;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::sync::Notify;

use crate::common::TestApp;

/// Concurrent customers, and the records each rates.
const CUSTOMERS: usize = 8;
const RECORDS_EACH: usize = 6;
/// The server is killed once this many submissions were answered.
const KILL_AFTER: usize = 12;

/// One submission: who sends it, its key and its exact body.
#[derive(Debug, Clone)]
struct Submission {
    cookie: String,
    key: String,
    record: i64,
    body: String,
}

/// An HTTP answer read to its end.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
    body: String,
}

/// The server binary serving `database` on a port of its own.
pub(crate) struct Server {
    pub(crate) child: Child,
    /// `127.0.0.1:PORT`.
    pub(crate) address: String,
}

impl Server {
    pub(crate) async fn start(database: &str, dist: &std::path::Path) -> Server {
        Server::start_with(database, dist, &[]).await
    }

    /// [`Server::start`] with more environment variables (`PINGJIA_*` options).
    pub(crate) async fn start_with(
        database: &str,
        dist: &std::path::Path,
        env: &[(&str, &str)],
    ) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pingjia-server"))
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--database")
            .arg(database)
            .arg("--dist")
            .arg(dist)
            .envs(env.iter().copied())
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the server binary starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        // "Pingjia is running at http://127.0.0.1:PORT/", once it listens.
        let address = loop {
            let line = lines
                .next_line()
                .await
                .unwrap()
                .expect("the server stopped before it listened");
            if let Some(url) = line.strip_prefix("Pingjia is running at http://") {
                break url.trim_end_matches('/').to_owned();
            }
        };
        // Keep reading its output so that it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server { child, address }
    }

    /// `kill -9`, and waits until it is gone.
    pub(crate) async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}

/// Sends `submission` to the server at `address`: the whole answer, or `None` when there was
/// none (refused, reset, cut short).
async fn submit(address: &str, submission: &Submission) -> Option<Answer> {
    let mut stream = TcpStream::connect(address).await.ok()?;
    let request = format!(
        "POST /api/v1/evaluations HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Cookie: {}\r\nIdempotency-Key: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        submission.cookie,
        submission.key,
        submission.body.len(),
        submission.body
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.ok()?;
    parse(&raw)
}

/// A complete HTTP/1.1 answer (`Content-Length` or chunked), or `None`.
fn parse(raw: &[u8]) -> Option<Answer> {
    let text = std::str::from_utf8(raw).ok()?;
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: BTreeMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let body = if headers.get("transfer-encoding").map(String::as_str) == Some("chunked") {
        let mut body = String::new();
        let mut rest = rest;
        loop {
            let (size, after) = rest.split_once("\r\n")?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            if size == 0 {
                break body;
            }
            body.push_str(after.get(..size)?);
            rest = after.get(size + 2..)?;
        }
    } else {
        let length: usize = headers.get("content-length")?.parse().ok()?;
        rest.get(..length)?.to_owned()
    };
    Some(Answer {
        status,
        headers,
        body,
    })
}

/// What a submission's answer says: created (the evaluation's number), not answered, or a
/// 503 to send again. Anything else fails the test.
fn number_of(submission: &Submission, answer: &Answer) -> Option<String> {
    match answer.status {
        201 => {
            let evaluation: Value = serde_json::from_str(&answer.body).unwrap();
            Some(evaluation["number"].as_str().unwrap().to_owned())
        }
        503 => {
            assert!(
                answer.headers.contains_key("retry-after"),
                "{}: 503 without Retry-After",
                submission.key
            );
            None
        }
        status => panic!("{}: {status} {}", submission.key, answer.body),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_under_load_loses_and_doubles_nothing() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let mut clients = Vec::new();
    for c in 0..CUSTOMERS {
        let customer: i64 = sql::query_scalar(
            "INSERT INTO users (role, display_name, customer_no, customer_type, created_at)
             VALUES ('customer', ?, ?, 'new', '2026-01-01T00:00:00Z') RETURNING id",
        )
        .bind(format!("顾客 {c}"))
        .bind(format!("K{c:06}"))
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        let cookie = app.session(customer).await;
        let mut submissions = Vec::new();
        for r in 0..RECORDS_EACH {
            let ended = app.now() - Duration::minutes(30 + r as i64);
            let record = app
                .service_record(customer, people.agent, "online_chat", ended)
                .await;
            let body = json!({
                "service_record_id": record,
                "scores": {
                    "attitude": 5, "professionalism": 4, "responsiveness": 4,
                    "resolution": 5, "compliance": 5,
                },
                "overall": 9,
                "suggestion": null,
                "form_seconds": 90,
            });
            submissions.push(Submission {
                cookie: cookie.clone(),
                key: format!("crash-{c}-{r}-{record}"),
                record,
                body: body.to_string(),
            });
        }
        clients.push(submissions);
    }
    app.state.pool.close().await;
    let database = app.database_location();
    let dist = app.dist_path();

    // The load, and the kill once KILL_AFTER submissions were answered.
    let server = Server::start(&database, &dist).await;
    let answered = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    // Woken at the KILL_AFTER-th answer, or when every client is done (the server failed).
    let enough = Arc::new(Notify::new());
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
        .map(|submissions| {
            let (address, answered, done, enough) = (
                server.address.clone(),
                answered.clone(),
                done.clone(),
                enough.clone(),
            );
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for submission in submissions {
                    let answer = submit(&address, &submission).await;
                    if answer.is_some() && answered.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER
                    {
                        enough.notify_one();
                    }
                    outcomes.push((submission, answer));
                }
                if done.fetch_add(1, Ordering::SeqCst) + 1 == CUSTOMERS {
                    enough.notify_one();
                }
                outcomes
            })
        })
        .collect();
    enough.notified().await;
    server.kill().await;

    // Every third answer (each client's first among them) is lost on its way back: the client
    // saw nothing, and its retry must replay it. The requests cut by the kill were recorded or
    // not, depending on when it came: either way they are sent again.
    let mut created: BTreeMap<String, String> = BTreeMap::new();
    let mut lost: BTreeMap<String, String> = BTreeMap::new();
    let mut again = Vec::new();
    for task in tasks {
        for (n, (submission, answer)) in task.await.unwrap().into_iter().enumerate() {
            match answer.as_ref().and_then(|a| number_of(&submission, a)) {
                Some(number) if n % 3 == 0 => {
                    lost.insert(submission.key.clone(), number);
                    again.push(submission);
                }
                Some(number) => {
                    created.insert(submission.key.clone(), number);
                }
                None => again.push(submission),
            }
        }
    }
    let before_the_kill = created.len() + lost.len();
    assert!(before_the_kill >= KILL_AFTER);
    assert!(!lost.is_empty());

    // The restart, and every unanswered submission again with its key, until answered.
    let server = Server::start(&database, &dist).await;
    let (mut retried, mut replayed) = (BTreeSet::new(), 0);
    while let Some(submission) = again.pop() {
        let answer = submit(&server.address, &submission)
            .await
            .expect("the restarted server answers");
        match number_of(&submission, &answer) {
            Some(number) => {
                retried.insert(submission.key.clone());
                if answer.headers.contains_key("idempotent-replayed") {
                    // Recorded before the kill, its answer lost: the same answer again.
                    replayed += 1;
                }
                if let Some(first) = lost.get(&submission.key) {
                    assert_eq!(&number, first, "{}", submission.key);
                    assert!(answer.headers.contains_key("idempotent-replayed"));
                }
                assert!(created.insert(submission.key.clone(), number).is_none());
            }
            None => again.insert(0, submission),
        }
    }
    server.kill().await;

    // Every submission gave exactly one evaluation, the one it was answered.
    if !app.on_postgres() {
        let mut file =
            sqlx::SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&database))
                .await
                .unwrap();
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut file)
            .await
            .unwrap();
        assert_eq!(integrity, "ok");
    }
    let db = app.reopen_database().await;
    let all: Vec<&Submission> = clients.iter().flatten().collect();
    assert_eq!(created.len(), all.len());
    for submission in &all {
        let rows: Vec<(String,)> =
            sql::query_as("SELECT number FROM evaluations WHERE service_record_id = ?")
                .bind(submission.record)
                .fetch_all(&db)
                .await
                .unwrap();
        assert_eq!(
            rows,
            [(created[&submission.key].clone(),)],
            "{}",
            submission.key
        );
    }
    let evaluations: i64 = sql::query_scalar("SELECT COUNT(*) FROM evaluations")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(evaluations, all.len() as i64);
    let doubled: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM (SELECT service_record_id FROM evaluations
                               GROUP BY service_record_id HAVING COUNT(*) > 1) d",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(doubled, 0);
    let keys: i64 = sql::query_scalar("SELECT COUNT(DISTINCT key) FROM idempotency_keys")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(keys, all.len() as i64);
    eprintln!(
        "{} submissions: {before_the_kill} answered before the kill, {} sent again after \
         the restart ({replayed} of them had been recorded: their first answer replayed, {} of \
         those by design)",
        all.len(),
        retried.len(),
        lost.len()
    );
}
