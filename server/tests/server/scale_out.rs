//! Two server processes on one PostgreSQL database behave as one system (issue 23): the real
//! binary twice, on the suite's PostgreSQL (`PINGJIA_TEST_POSTGRES`; on SQLite alone, one
//! instance per file, the test returns). A customer rates through instance A and the agent's
//! stream open on B shows it; a setting changed on B applies on A; report mails due while both
//! run are each sent once; and an instance killed with SIGKILL in the middle of a webhook's
//! send leaves it to the other, which sends it once its lease ran out.
//!
//! Nothing here waits for a fixed time: each step waits for what it expects (a frame, a
//! setting, a mail, a request), bounded by [`PATIENCE`] so that only what never comes fails.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use crate::common::TestApp;
use crate::crash::Server;
use crate::deliveries::{Sink, header};
use crate::reports::{Inbox, free_port, start_sink};

/// Far above what each step takes (a lease of [`LEASE_SECONDS`] at most).
const PATIENCE: StdDuration = StdDuration::from_secs(90);
/// The instances' leases: short, so that the takeover comes soon, and still far longer than
/// the test takes to kill the instance that holds a send.
const LEASE_SECONDS: &str = "10";

/// A TCP front for a receiver. Passing, it joins each connection to the receiver; holding, it
/// accepts connections and leaves them unanswered (a receiver that hangs: the sender is in
/// the middle of its send), telling the test each one's peer address.
struct Gate {
    port: u16,
    passing: Arc<AtomicBool>,
    held: mpsc::UnboundedReceiver<SocketAddr>,
}

impl Gate {
    async fn start(target: SocketAddr) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let passing = Arc::new(AtomicBool::new(true));
        let (tell, held) = mpsc::unbounded_channel();
        let pass = Arc::clone(&passing);
        tokio::spawn(async move {
            let mut kept = Vec::new();
            while let Ok((mut inbound, peer)) = listener.accept().await {
                if pass.load(Ordering::SeqCst) {
                    tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(target).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                } else {
                    let _ = tell.send(peer);
                    kept.push(inbound);
                }
            }
        });
        Gate {
            port,
            passing,
            held,
        }
    }

    fn hold(&self, holding: bool) {
        self.passing.store(!holding, Ordering::SeqCst);
    }
}

/// Which of `pids` has the TCP connection whose local port is `port` (Linux's `/proc`).
fn owner_of(port: u16, pids: &[u32]) -> Option<u32> {
    let inode = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .flat_map(|text| text.lines().skip(1).map(str::to_owned).collect::<Vec<_>>())
        .find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let local = fields.get(1)?.rsplit(':').next()?;
            // A closed connection waiting out TIME_WAIT on the same port has no owner (inode 0).
            let inode = fields.get(9).filter(|inode| **inode != "0")?;
            (u16::from_str_radix(local, 16).ok()? == port).then(|| inode.to_string())
        })?;
    let socket = format!("socket:[{inode}]");
    pids.iter().copied().find(|pid| {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| {
                std::fs::read_link(fd.path()).is_ok_and(|link| link.to_string_lossy() == socket)
            })
    })
}

/// Waits, up to [`PATIENCE`], until `ready` gives a value; polled every 50 ms.
async fn until<T>(what: &str, mut ready: impl AsyncFnMut() -> Option<T>) -> T {
    tokio::time::timeout(PATIENCE, async {
        loop {
            if let Some(value) = ready().await {
                return value;
            }
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what} did not happen"))
}

/// A JSON request to the instance at `address` as the session `cookie`: status and body.
async fn call(
    http: &reqwest::Client,
    address: &str,
    cookie: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
    key: Option<&str>,
) -> (u16, Value) {
    let mut request = http
        .request(method, format!("http://{address}{path}"))
        .header("cookie", cookie)
        .header("origin", format!("http://{address}"));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn rating(record: i64) -> Value {
    json!({
        "service_record_id": record,
        "scores": {
            "attitude": 5, "professionalism": 4, "responsiveness": 4, "resolution": 5,
            "compliance": 5,
        },
        "overall": 9,
        "suggestion": null,
        "form_seconds": 75,
    })
}

fn inbox_to(inbox: &Inbox) -> Vec<String> {
    inbox
        .lock()
        .unwrap()
        .iter()
        .flat_map(|(to, _)| to.clone())
        .collect()
}

#[tokio::test]
async fn two_server_processes_on_one_postgresql_database_behave_as_one_system() {
    if crate::postgres::server().is_none() {
        return;
    }
    let app = TestApp::new().await;
    let p = app.people().await;
    let database = app.database_location();
    let dist = app.dist_path();
    let env = [("PINGJIA_LEASE_SECONDS", LEASE_SECONDS)];
    let a = Server::start_with(&database, &dist, &env).await;
    let b = Server::start_with(&database, &dist, &env).await;
    let http = reqwest::Client::new();
    let (admin, agent, member) = (
        app.session(p.admin).await,
        app.session(p.agent).await,
        app.session(p.member).await,
    );
    use reqwest::Method;

    // A customer rates through A; the agent's live stream is open on B.
    let mut stream = http
        .get(format!("http://{}/api/v1/me/feedback/stream", b.address))
        .header("cookie", &agent)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status().as_u16(), 200);
    let record = app
        .service_record(
            p.member,
            p.agent,
            "online_chat",
            Utc::now() - Duration::minutes(30),
        )
        .await;
    let (status, created) = call(
        &http,
        &a.address,
        &member,
        Method::POST,
        "/api/v1/evaluations",
        Some(&rating(record)),
        Some("scale-out-rating-1"),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let number = created["number"].as_str().unwrap().to_owned();
    let mut seen = String::new();
    tokio::time::timeout(PATIENCE, async {
        while !(seen.contains("event: evaluation") && seen.contains(&number)) {
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("the evaluation rated on A reaches the agent's stream on B");

    // A setting changed on B applies on A, without a restart.
    let (_, mut settings) = call(
        &http,
        &a.address,
        &admin,
        Method::GET,
        "/api/v1/settings",
        None,
        None,
    )
    .await;
    assert_eq!(settings["satisfaction_threshold"], 8);
    settings["satisfaction_threshold"] = json!(7);
    let (status, _) = call(
        &http,
        &b.address,
        &admin,
        Method::PUT,
        "/api/v1/settings",
        Some(&settings),
        None,
    )
    .await;
    assert_eq!(status, 200);
    until("the setting changed on B applying on A", async || {
        let (_, now) = call(
            &http,
            &a.address,
            &admin,
            Method::GET,
            "/api/v1/settings",
            None,
            None,
        )
        .await;
        (now["satisfaction_threshold"] == 7).then_some(())
    })
    .await;

    // Report mails due while both run: each sent once, whichever instance sends it.
    let smtp = free_port();
    let inbox = start_sink(smtp);
    let server = json!({
        "host": "127.0.0.1", "port": smtp, "security": "none",
        "from_address": "pingjia@example.com", "from_name": "评价",
        "link_base": "https://pingjia.example.com",
    });
    let (status, _) = call(
        &http,
        &a.address,
        &admin,
        Method::PUT,
        "/api/v1/settings/smtp",
        Some(&server),
        None,
    )
    .await;
    assert_eq!(status, 200);
    for (instance, to, key) in [
        (&a, "ops@example.com", "scale-out-sub-1"),
        (&b, "cto@example.com", "scale-out-sub-2"),
    ] {
        let subscription = json!({ "kind": "week", "team_id": null, "recipients": [to] });
        let (status, body) = call(
            &http,
            &instance.address,
            &admin,
            Method::POST,
            "/api/v1/report-subscriptions",
            Some(&subscription),
            Some(key),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        until("the report mail arriving", async || {
            inbox_to(&inbox).iter().any(|r| r == to).then_some(())
        })
        .await;
    }
    let mut mailed = inbox_to(&inbox);
    mailed.sort();
    assert_eq!(
        mailed,
        ["cto@example.com", "ops@example.com"],
        "each mail once"
    );

    // A webhook's send, held by its receiver, and the instance sending it killed. Every event
    // so far was fanned out before the endpoint exists: its only message is the next one's.
    until("the events fanned out", async || {
        let waiting: i64 = pingjia_server::db::sql::query_scalar(
            "SELECT COUNT(*) FROM events WHERE fanned_out_at IS NULL",
        )
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        (waiting == 0).then_some(())
    })
    .await;
    let sink = Sink::start().await;
    let mut gate = Gate::start(sink.base.trim_start_matches("http://").parse().unwrap()).await;
    gate.hold(true);
    let endpoint = json!({
        "name": "Helpdesk", "kind": "webhook",
        "url": format!("http://127.0.0.1:{}/hook", gate.port),
        "events": ["evaluation.created"],
    });
    let (status, body) = call(
        &http,
        &a.address,
        &admin,
        Method::POST,
        "/api/v1/webhook-endpoints",
        Some(&endpoint),
        None,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let record = app
        .service_record(
            p.member,
            p.agent,
            "online_chat",
            Utc::now() - Duration::minutes(20),
        )
        .await;
    let (status, _) = call(
        &http,
        &a.address,
        &member,
        Method::POST,
        "/api/v1/evaluations",
        Some(&rating(record)),
        Some("scale-out-rating-2"),
    )
    .await;
    assert_eq!(status, 201);
    let peer = tokio::time::timeout(PATIENCE, gate.held.recv())
        .await
        .expect("an instance sending the webhook")
        .unwrap();
    let pids = [a.child.id().unwrap(), b.child.id().unwrap()];
    let sender = owner_of(peer.port(), &pids).expect("the sending instance's connection");
    let (killed, survivor) = if sender == pids[0] { (a, b) } else { (b, a) };
    killed.kill().await;
    gate.hold(false);
    let received = until("the other instance sending the webhook", async || {
        let received = sink.received();
        (!received.is_empty()).then_some(received)
    })
    .await;
    assert_eq!(received.len(), 1, "sent once");
    assert!(
        received[0].body.contains("\"evaluation.created\""),
        "{}",
        received[0].body
    );
    let id = header(&received[0], "webhook-id").to_owned();
    let (status, _): (u16, Value) = call(
        &http,
        &survivor.address,
        &admin,
        Method::GET,
        "/api/v1/settings",
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "the survivor serves on");
    let (state, attempts): (String, i64) = pingjia_server::db::sql::query_as(
        "SELECT status, attempts FROM deliveries WHERE channel = 'webhook'",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(state, "sent", "{id}");
    assert!(attempts >= 1);
    survivor.kill().await;
}
