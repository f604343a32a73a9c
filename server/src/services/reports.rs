//! Weekly and monthly reports (issue 11): building a report from the same queries as the
//! analytics dashboard, keeping the reports of closed periods, their CSV tables, and mailing
//! them to subscribers through the admin's SMTP server with retries.
//!
//! The mail worker ([`spawn_worker`]) wakes every minute, and at once when a subscription is
//! made, a mail is retried or the mail server changes, and runs [`run_due`]: every active
//! subscription gets the kept report of each period closed since it began (built when first
//! needed), one mail per address; due mails are sent, failures retried with backoff
//! ([`retry_delay`]) and the error kept for the list.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use pingjia_domain::analytics::{Period, Sentiment, mean, rate};
use pingjia_domain::reports::{
    Direction, EXAMPLE_MAX_CHARS, EXAMPLES_PER_PROBLEM, MAX_LISTED, MAX_PROBLEMS, Report,
    ReportAgent, ReportAppeal, ReportChange, ReportExample, ReportKind, ReportMetric, ReportPlan,
    ReportProblem, ReportTable, ReportTrendPoint, SmtpSecurity, TREND_PERIODS, is_closed,
    rank_agents, retry_delay, summarize,
};
use pingjia_domain::settings::Settings;
use sqlx::{QueryBuilder, SqliteConnection};
use tokio::sync::Notify;

use crate::csvfile::safe_cell;
use crate::db::analytics::{
    Scope, complaint_tags, count, evaluation_sums, kpi_report, push_evaluation_scope,
    push_record_scope, push_sentiment, record_totals, round, team_names, top_terms,
};
use crate::error::AppError;
use crate::http::state::AppState;
use crate::time::{from_db, org_day, to_db};

/// How often the worker looks for closed periods and due mails without being woken.
const TICK: StdDuration = StdDuration::from_secs(60);
/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: StdDuration = StdDuration::from_secs(20);
/// At most this many periods are caught up per subscription (a server that was off).
const MAX_CATCH_UP: usize = 12;
/// Mails sent per run; the rest wait for the next.
const MAILS_PER_RUN: i64 = 100;

/// The mail worker's handle in [`AppState`].
#[derive(Debug)]
pub struct Mailer {
    wake: Notify,
    /// Where links in mails point when the admin set no address: the public URL, or the
    /// address the server listens on.
    default_link_base: RwLock<String>,
}

impl Default for Mailer {
    fn default() -> Self {
        Mailer {
            wake: Notify::new(),
            default_link_base: RwLock::new("http://127.0.0.1:8080".to_owned()),
        }
    }
}

impl Mailer {
    /// Asks the worker to run now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn set_default_link_base(&self, base: &str) {
        if let Ok(mut slot) = self.default_link_base.write() {
            *slot = base.trim_end_matches('/').to_owned();
        }
    }

    pub fn default_link_base(&self) -> String {
        self.default_link_base
            .read()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
}

/// Runs [`run_due`] every [`TICK`] and whenever woken, for the life of the server.
pub fn spawn_worker(state: AppState) {
    tokio::spawn(async move {
        let mailer = Arc::clone(&state.mailer);
        loop {
            if let Err(e) = run_due(&state).await {
                tracing::error!(error = %e, "report worker");
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = mailer.wake.notified() => {}
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Building a report

/// The report of `period` for `team` (`None`: the company), from the data as it is now.
pub async fn build(
    conn: &mut SqliteConnection,
    settings: &Settings,
    kind: ReportKind,
    period: Period,
    team: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Report, AppError> {
    let scope = Scope::of(period, None, team);
    let previous = kind.previous(period);
    let kpis = kpi_report(conn, &scope, previous, settings, now).await?;

    let mut trend = Vec::with_capacity(TREND_PERIODS);
    for p in kind.recent(period, TREND_PERIODS) {
        let s = Scope::of(p, None, team);
        let sums = evaluation_sums(conn, &s, p, settings).await?.totals();
        let records = record_totals(conn, &s, p, settings).await?;
        trend.push(ReportTrendPoint {
            key: kind.key(p),
            period: p,
            evaluations: sums.count,
            average_total: round(sums.average_total(), 2),
            attainment_rate: round(sums.attainment_rate(), 4),
            on_time_rate: round(records.on_time_rate(), 4),
            first_contact_rate: round(records.first_contact_rate(), 4),
        });
    }

    let (complaints, complaint_tags) = complaint_tags(conn, &scope).await?;
    let problems = problems(conn, &scope, settings).await?;
    let agents = agents(conn, &scope, settings).await?;
    let (open_appeals, overdue_plan_count, overdue_plans) =
        appeals_and_plans(conn, &scope, now).await?;
    let teams = team_names(conn).await?;
    let summary = summarize(&kpis);
    Ok(Report {
        kind,
        key: kind.key(period),
        period,
        previous_period: previous,
        team_id: team,
        team_name: team.and_then(|t| teams.get(&t).cloned()),
        closed: is_closed(period, org_day(now)),
        stored: false,
        generated_at: now,
        open_appeal_count: kpis.open_appeals.value.map_or(0, |v| v as u64),
        kpis,
        trend,
        complaints,
        complaint_tags,
        problems,
        agents,
        open_appeals,
        overdue_plan_count,
        overdue_plans,
        summary,
    })
}

/// The most frequent terms of the complaints' suggestions with examples: the lowest scores
/// first, then the newest.
async fn problems(
    conn: &mut SqliteConnection,
    scope: &Scope,
    settings: &Settings,
) -> Result<Vec<ReportProblem>, sqlx::Error> {
    let terms = top_terms(conn, scope, Sentiment::Complaints, settings, MAX_PROBLEMS).await?;
    let mut out = Vec::with_capacity(terms.len());
    for term in terms {
        // From the term's index range of the period, not from every evaluation of it.
        let mut q = QueryBuilder::new(
            "SELECT e.number, e.overall, e.suggestion FROM evaluation_terms t \
             CROSS JOIN evaluations e ON e.id = t.evaluation_id WHERE t.term = ",
        );
        q.push_bind(term.term.clone())
            .push(" AND t.submitted_day BETWEEN ")
            .push_bind(scope.period.from.to_string())
            .push(" AND ")
            .push_bind(scope.period.to.to_string())
            .push(" AND");
        push_evaluation_scope(&mut q, scope, scope.period);
        push_sentiment(&mut q, Sentiment::Complaints, settings);
        q.push(" AND e.suggestion IS NOT NULL")
            .push(" ORDER BY e.overall, e.submitted_at DESC, e.id DESC LIMIT ")
            .push_bind(EXAMPLES_PER_PROBLEM as i64);
        let rows: Vec<(String, i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
        out.push(ReportProblem {
            term: term.term,
            count: term.count,
            examples: rows
                .into_iter()
                .map(|(number, overall, suggestion)| ReportExample {
                    number,
                    overall: u8::try_from(overall).unwrap_or(0),
                    suggestion: excerpt(&suggestion, EXAMPLE_MAX_CHARS),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// `text` cut to `max` characters, with "…" when cut.
fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Every agent with evaluations or service records in the scope, ranked.
async fn agents(
    conn: &mut SqliteConnection,
    scope: &Scope,
    settings: &Settings,
) -> Result<Vec<ReportAgent>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT e.agent_id, COUNT(*), SUM(e.total_score), SUM(e.overall), \
         SUM(CASE WHEN e.overall >= ",
    );
    q.push_bind(i64::from(settings.satisfaction_threshold))
        .push(" THEN 1 ELSE 0 END) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, scope, scope.period);
    q.push(" GROUP BY e.agent_id");
    let evaluations: Vec<(i64, i64, f64, i64, i64)> =
        q.build_query_as().fetch_all(&mut *conn).await?;
    let mut q = QueryBuilder::new(
        "SELECT r.agent_id, COUNT(*), COALESCE(SUM(r.resolved_first_contact), 0) \
         FROM service_records r WHERE",
    );
    push_record_scope(&mut q, scope, scope.period);
    q.push(" GROUP BY r.agent_id");
    let records: Vec<(i64, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let people: Vec<(i64, Option<String>, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, employee_no, display_name, team_id FROM users WHERE role = 'agent'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let teams = team_names(conn).await?;

    // agent → (evaluations, total sum, overall sum, attained, records, first contact)
    let mut by_agent: BTreeMap<i64, (u64, f64, f64, u64, u64, u64)> = BTreeMap::new();
    for (agent, n, total, overall, attained) in evaluations {
        let slot = by_agent.entry(agent).or_default();
        slot.0 = count(n);
        slot.1 = total;
        slot.2 = overall as f64;
        slot.3 = count(attained);
    }
    for (agent, n, first) in records {
        let slot = by_agent.entry(agent).or_default();
        slot.4 = count(n);
        slot.5 = count(first);
    }
    let people: HashMap<i64, (String, String, Option<i64>)> = people
        .into_iter()
        .map(|(id, no, name, team)| (id, (no.unwrap_or_default(), name, team)))
        .collect();
    let agents = by_agent
        .into_iter()
        .filter_map(|(agent, (n, total, overall, attained, records, first))| {
            let (no, name, team) = people.get(&agent)?.clone();
            Some(ReportAgent {
                rank: 0,
                agent_no: no,
                name,
                team_name: team.and_then(|t| teams.get(&t).cloned()),
                evaluations: n,
                average_total: round(mean(total, n), 2),
                average_overall: round(mean(overall, n), 2),
                attainment_rate: round(rate(attained, n), 4),
                records,
                first_contact_rate: round(rate(first, records), 4),
            })
        })
        .collect();
    Ok(rank_agents(agents))
}

/// The appeals awaiting a decision on the period's evaluations (the KPI card's), oldest first;
/// and the improvement plans of the scope's agents past due now, most overdue first.
async fn appeals_and_plans(
    conn: &mut SqliteConnection,
    scope: &Scope,
    now: DateTime<Utc>,
) -> Result<(Vec<ReportAppeal>, u64, Vec<ReportPlan>), AppError> {
    let mut q = QueryBuilder::new(
        "SELECT e.number, u.employee_no, u.display_name, ap.filed_at FROM appeals ap \
         JOIN evaluations e ON e.id = ap.evaluation_id JOIN users u ON u.id = e.agent_id \
         WHERE ap.status = 'pending' AND",
    );
    push_evaluation_scope(&mut q, scope, scope.period);
    q.push(" ORDER BY ap.filed_at, ap.id LIMIT ")
        .push_bind(MAX_LISTED as i64);
    let rows: Vec<(String, Option<String>, String, String)> =
        q.build_query_as().fetch_all(&mut *conn).await?;
    let mut appeals = Vec::with_capacity(rows.len());
    for (number, no, name, filed_at) in rows {
        let filed_at = from_db(&filed_at)?;
        appeals.push(ReportAppeal {
            evaluation_number: number,
            agent_no: no.unwrap_or_default(),
            agent_name: name,
            filed_at,
            days_open: whole_days(now - filed_at),
        });
    }

    let team_condition = |q: &mut QueryBuilder<'_, sqlx::Sqlite>| {
        if let Some(team) = scope.team {
            q.push(" AND u.team_id = ").push_bind(team);
        }
    };
    let mut q = QueryBuilder::new(
        "SELECT COUNT(*) FROM improvement_plans p JOIN users u ON u.id = p.agent_id \
         WHERE p.status IN ('open', 'sent_back') AND p.due_at < ",
    );
    q.push_bind(to_db(now));
    team_condition(&mut q);
    let overdue: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut q = QueryBuilder::new(
        "SELECT p.id, e.number, u.employee_no, u.display_name, p.due_at \
         FROM improvement_plans p JOIN users u ON u.id = p.agent_id \
         JOIN evaluations e ON e.id = p.evaluation_id \
         WHERE p.status IN ('open', 'sent_back') AND p.due_at < ",
    );
    q.push_bind(to_db(now));
    team_condition(&mut q);
    q.push(" ORDER BY p.due_at, p.id LIMIT ")
        .push_bind(MAX_LISTED as i64);
    let rows: Vec<(i64, String, Option<String>, String, String)> =
        q.build_query_as().fetch_all(&mut *conn).await?;
    let mut plans = Vec::with_capacity(rows.len());
    for (id, number, no, name, due_at) in rows {
        let due_at = from_db(&due_at)?;
        plans.push(ReportPlan {
            id,
            evaluation_number: number,
            agent_no: no.unwrap_or_default(),
            agent_name: name,
            due_at,
            days_overdue: whole_days(now - due_at),
        });
    }
    Ok((appeals, count(overdue), plans))
}

fn whole_days(d: chrono::Duration) -> u32 {
    u32::try_from(d.num_days().max(0)).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// Kept reports

fn scope_key(team: Option<i64>) -> i64 {
    team.unwrap_or(0)
}

/// The kept report of a period and scope, if one was built (and can be read).
pub async fn stored(
    conn: &mut SqliteConnection,
    kind: ReportKind,
    key: &str,
    team: Option<i64>,
) -> Result<Option<(i64, Report)>, AppError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, body FROM reports WHERE kind = ? AND period_key = ? AND scope_team_id = ?",
    )
    .bind(kind.as_str())
    .bind(key)
    .bind(scope_key(team))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(
        row.and_then(|(id, body)| match serde_json::from_str::<Report>(&body) {
            Ok(report) => Some((id, report)),
            Err(error) => {
                // Kept by an older version in another shape: the figures of now stand in.
                tracing::warn!(report = id, %error, "a kept report cannot be read");
                None
            }
        }),
    )
}

/// The kept report of a closed period, built and kept now if there is none yet: its id.
async fn ensure_stored(
    conn: &mut SqliteConnection,
    settings: &Settings,
    kind: ReportKind,
    period: Period,
    team: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let key = kind.key(period);
    if let Some((id, _)) = stored(conn, kind, &key, team).await? {
        return Ok(id);
    }
    let mut report = build(conn, settings, kind, period, team, now).await?;
    report.stored = true;
    let body = serde_json::to_string(&report)
        .map_err(|e| AppError::Internal(format!("report body: {e}")))?;
    sqlx::query(
        "INSERT INTO reports (kind, period_key, scope_team_id, generated_at, body)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, period_key, scope_team_id) DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(&key)
    .bind(scope_key(team))
    .bind(to_db(now))
    .bind(body)
    .execute(&mut *conn)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM reports WHERE kind = ? AND period_key = ? AND scope_team_id = ?",
    )
    .bind(kind.as_str())
    .bind(&key)
    .bind(scope_key(team))
    .fetch_one(&mut *conn)
    .await?;
    tracing::info!(kind = kind.as_str(), key, team, "kept a report");
    Ok(id)
}

// ---------------------------------------------------------------------------------------------
// The worker

/// Keeps the reports subscriptions are due and sends the mails that are due.
pub async fn run_due(state: &AppState) -> Result<(), AppError> {
    schedule(state).await?;
    deliver(state).await
}

async fn schedule(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    let today = org_day(now);
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let subscriptions: Vec<(i64, String, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT id, kind, team_id, recipients, first_key FROM report_subscriptions
         WHERE active = 1 AND removed_at IS NULL ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (id, kind, team, recipients, first_key) in subscriptions {
        let Some(kind) = ReportKind::parse(&kind) else {
            continue;
        };
        let Some(first) = kind.parse_key(&first_key) else {
            continue;
        };
        let recipients: Vec<String> = serde_json::from_str(&recipients)
            .map_err(|e| AppError::Internal(format!("subscription {id} recipients: {e}")))?;
        let last = kind.last_closed(today);
        let mut periods = Vec::new();
        let mut p = last;
        while p.from >= first.from && periods.len() < MAX_CATCH_UP {
            periods.push(p);
            p = kind.previous(p);
        }
        for period in periods.into_iter().rev() {
            let report = ensure_stored(&mut conn, &settings, kind, period, team, now).await?;
            for address in &recipients {
                sqlx::query(
                    "INSERT INTO report_deliveries
                         (report_id, subscription_id, address, next_attempt_at, created_at)
                     VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (report_id, subscription_id, address) DO NOTHING",
                )
                .bind(report)
                .bind(id)
                .bind(address)
                .bind(to_db(now))
                .bind(to_db(now))
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok(())
}

/// The mail server as the worker uses it (with the password).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SmtpRow {
    pub host: String,
    pub port: i64,
    pub security: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from_address: String,
    pub from_name: String,
    pub link_base: String,
}

pub async fn smtp_row(conn: &mut SqliteConnection) -> Result<Option<SmtpRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT host, port, security, username, password, from_address, from_name, link_base
         FROM smtp_settings WHERE id = 1",
    )
    .fetch_optional(conn)
    .await
}

/// What the worker tells about a mail server that is not set up.
const NOT_SET_UP: &str = "邮件服务器未设置 / the mail server is not set up";

async fn deliver(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let due: Vec<(i64, String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT d.id, d.address, d.attempts, d.report_id, s.removed_at
         FROM report_deliveries d JOIN report_subscriptions s ON s.id = d.subscription_id
         WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= ?
         ORDER BY d.next_attempt_at, d.id LIMIT ?",
    )
    .bind(to_db(now))
    .bind(MAILS_PER_RUN)
    .fetch_all(&mut *conn)
    .await?;
    if due.is_empty() {
        return Ok(());
    }
    let smtp = smtp_row(&mut conn).await?;
    let mut bodies: HashMap<i64, Report> = HashMap::new();
    for (id, address, attempts, report_id, removed_at) in due {
        if removed_at.is_some() {
            sqlx::query(
                "UPDATE report_deliveries SET status = 'failed', next_attempt_at = NULL,
                     last_error = 'the subscription was removed' WHERE id = ?",
            )
            .bind(id)
            .execute(&mut *conn)
            .await?;
            continue;
        }
        let Some(smtp) = &smtp else {
            // Not an attempt: the mails wait for the admin to set the server up.
            sqlx::query("UPDATE report_deliveries SET last_error = ? WHERE id = ?")
                .bind(NOT_SET_UP)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = bodies.entry(report_id) {
            let body: String = sqlx::query_scalar("SELECT body FROM reports WHERE id = ?")
                .bind(report_id)
                .fetch_one(&mut *conn)
                .await?;
            match serde_json::from_str::<Report>(&body) {
                Ok(report) => {
                    slot.insert(report);
                }
                Err(error) => {
                    sqlx::query(
                        "UPDATE report_deliveries SET status = 'failed', next_attempt_at = NULL,
                             last_error = ? WHERE id = ?",
                    )
                    .bind(format!("the kept report cannot be read: {error}"))
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                    continue;
                }
            }
        }
        let report = &bodies[&report_id];
        let link_base = if smtp.link_base.is_empty() {
            state.mailer.default_link_base()
        } else {
            smtp.link_base.clone()
        };
        let mail = compose(report, &link_base);
        // No connection is held while the mail server talks.
        drop(conn);
        let result = send(smtp, &address, &mail).await;
        conn = state.pool.acquire().await?;
        let attempts = u32::try_from(attempts + 1).unwrap_or(u32::MAX);
        match result {
            Ok(_) => {
                sqlx::query(
                    "UPDATE report_deliveries SET status = 'sent', attempts = ?, sent_at = ?,
                         next_attempt_at = NULL, last_error = NULL WHERE id = ?",
                )
                .bind(attempts)
                .bind(to_db(state.clock.now()))
                .bind(id)
                .execute(&mut *conn)
                .await?;
                tracing::info!(delivery = id, %address, "report mailed");
            }
            Err(error) => {
                let next = retry_delay(attempts).map(|d| to_db(now + d));
                sqlx::query(
                    "UPDATE report_deliveries SET status = ?, attempts = ?, next_attempt_at = ?,
                         last_error = ? WHERE id = ?",
                )
                .bind(if next.is_some() { "retrying" } else { "failed" })
                .bind(attempts)
                .bind(next)
                .bind(&error)
                .bind(id)
                .execute(&mut *conn)
                .await?;
                tracing::warn!(delivery = id, %address, %error, "report mail failed");
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Mail

/// A mail ready to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Sends `mail` to `to` through the mail server: the server's last reply line, or the error
/// in words.
pub async fn send(smtp: &SmtpRow, to: &str, mail: &Mail) -> Result<String, String> {
    let from = smtp
        .from_address
        .parse()
        .map_err(|e| format!("the sender address: {e}"))?;
    let to: lettre::Address = to.parse().map_err(|e| format!("the address {to:?}: {e}"))?;
    let name = (!smtp.from_name.is_empty()).then(|| smtp.from_name.clone());
    let message = Message::builder()
        .from(Mailbox::new(name, from))
        .to(Mailbox::new(None, to))
        .subject(&mail.subject)
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| format!("the message: {e}"))?;
    let port = u16::try_from(smtp.port).map_err(|_| format!("port {}", smtp.port))?;
    let builder = match smtp.security.as_str() {
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
            .map_err(|e| format!("TLS to {}: {e}", smtp.host))?,
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
            .map_err(|e| format!("STARTTLS to {}: {e}", smtp.host))?,
    };
    let mut builder = builder.port(port).timeout(Some(SMTP_TIMEOUT));
    if let Some(user) = smtp.username.as_ref().filter(|u| !u.is_empty()) {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            smtp.password.clone().unwrap_or_default(),
        ));
    }
    let transport = builder.build();
    let response = transport
        .send(message)
        .await
        .map_err(|e| describe_smtp_error(&smtp.host, port, &e))?;
    Ok(format!(
        "{} {}",
        response.code(),
        response.message().collect::<Vec<_>>().join(" ")
    ))
}

fn describe_smtp_error(host: &str, port: u16, e: &lettre::transport::smtp::Error) -> String {
    use std::error::Error as _;
    let mut text = format!("{host}:{port}: {e}");
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// The security setting as stored.
pub fn security_str(security: SmtpSecurity) -> &'static str {
    match security {
        SmtpSecurity::None => "none",
        SmtpSecurity::StartTls => "start_tls",
        SmtpSecurity::Tls => "tls",
    }
}

pub fn security_parse(s: &str) -> SmtpSecurity {
    match s {
        "none" => SmtpSecurity::None,
        "tls" => SmtpSecurity::Tls,
        _ => SmtpSecurity::StartTls,
    }
}

/// The page of a report in the app.
pub fn report_link(base: &str, report: &Report) -> String {
    let mut link = format!(
        "{}/reports/{}/{}",
        base.trim_end_matches('/'),
        report.kind.as_str(),
        report.key
    );
    if let Some(team) = report.team_id {
        link.push_str(&format!("?team={team}"));
    }
    link
}

/// The metric's name, in Chinese and English.
fn metric_name(metric: ReportMetric) -> (&'static str, &'static str) {
    match metric {
        ReportMetric::Evaluations => ("评价数", "Evaluations"),
        ReportMetric::AverageTotal => ("平均综合得分", "Average total score"),
        ReportMetric::AttainmentRate => ("满意度达成率", "Satisfaction attainment"),
        ReportMetric::OnTimeRate => ("响应及时率", "Response on time"),
        ReportMetric::FirstContactRate => ("首次解决率", "First-contact resolution"),
        ReportMetric::AverageHandlingMinutes => ("平均处理时长", "Average handling time"),
        ReportMetric::Flagged => ("异常评价", "Flagged evaluations"),
    }
}

/// A figure as people read it: rates as percents, scores with two decimals, minutes with one.
pub fn figure(metric: ReportMetric, value: Option<f64>) -> String {
    let Some(v) = value else {
        return "—".to_owned();
    };
    match metric {
        ReportMetric::AttainmentRate
        | ReportMetric::OnTimeRate
        | ReportMetric::FirstContactRate => format!("{:.1}%", v * 100.0),
        ReportMetric::AverageTotal => format!("{v:.2}"),
        ReportMetric::AverageHandlingMinutes => format!("{v:.1} min"),
        ReportMetric::Evaluations | ReportMetric::Flagged => format!("{v:.0}"),
    }
}

/// The title of a report: `客户服务周报 2026-W47（11-16 至 11-22）· 华东一组`.
pub fn title(report: &Report) -> String {
    let kind = match report.kind {
        ReportKind::Week => "客户服务周报",
        ReportKind::Month => "客户服务月报",
    };
    format!(
        "{kind} {} ({} – {}) · {}",
        report.key,
        report.period.from,
        report.period.to,
        report.team_name.as_deref().unwrap_or("全公司")
    )
}

/// The mail of a report: the key figures against the previous period, what improved and what
/// got worse, and a link to the whole report.
pub fn compose(report: &Report, link_base: &str) -> Mail {
    let link = report_link(link_base, report);
    let title = title(report);
    let esc = |s: &str| html_escape::encode_text(s).into_owned();
    let mut text = format!(
        "{title}\n客户服务响应及满意度分析报告 / Customer service response and satisfaction report\n\n"
    );
    let mut rows = String::new();
    for metric in ReportMetric::ALL {
        let kpi = metric.of(&report.kpis);
        let (zh, en) = metric_name(metric);
        let now = figure(metric, kpi.value);
        let before = figure(metric, kpi.previous);
        text.push_str(&format!("{zh} {en}: {now} (上期 previous {before})\n"));
        rows.push_str(&format!(
            "<tr><th scope=\"row\" style=\"text-align:left;padding:4px 12px 4px 0\">{zh}<br>\
             <small style=\"color:#555\">{en}</small></th>\
             <td style=\"padding:4px 12px;font-size:18px\"><b>{}</b></td>\
             <td style=\"padding:4px 0;color:#555\">上期 {}</td></tr>",
            esc(&now),
            esc(&before)
        ));
    }
    let line = |c: &ReportChange| {
        let (zh, en) = metric_name(c.metric);
        format!(
            "{zh} {en}: {} → {}",
            figure(c.metric, Some(c.previous)),
            figure(c.metric, Some(c.value))
        )
    };
    let mut changes = String::new();
    for (direction, heading) in [
        (Direction::Improved, "改善 Improved"),
        (Direction::Worsened, "变差 Got worse"),
    ] {
        let lines: Vec<String> = report
            .summary
            .iter()
            .filter(|c| c.direction == direction)
            .map(line)
            .collect();
        if lines.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{heading}\n"));
        changes.push_str(&format!("<h3>{heading}</h3><ul>"));
        for l in lines {
            text.push_str(&format!("- {l}\n"));
            changes.push_str(&format!("<li>{}</li>", esc(&l)));
        }
        changes.push_str("</ul>");
    }
    text.push_str(&format!(
        "\n待处理申诉 Open appeals: {}\n逾期改进计划 Overdue improvement plans: {}\n\n\
         查看完整报告 Read the whole report: {link}\n",
        report.open_appeal_count, report.overdue_plan_count
    ));
    let html = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:sans-serif;color:#1a1a1a;max-width:640px\">\
         <h1 style=\"font-size:20px\">{t}</h1>\
         <p>客户服务响应及满意度分析报告 · Customer service response and satisfaction report</p>\
         <table style=\"border-collapse:collapse\">{rows}</table>{changes}\
         <p>待处理申诉 Open appeals: <b>{appeals}</b> · 逾期改进计划 Overdue improvement plans: \
         <b>{plans}</b></p>\
         <p><a href=\"{href}\" style=\"display:inline-block;padding:8px 16px;background:#1d4ed8;\
         color:#fff;text-decoration:none;border-radius:4px\">查看完整报告 Read the whole report</a></p>\
         </body></html>",
        t = esc(&title),
        appeals = report.open_appeal_count,
        plans = report.overdue_plan_count,
        href = html_escape::encode_double_quoted_attribute(&link),
    );
    Mail {
        subject: format!("【评价 Pingjia】{title}"),
        text,
        html,
    }
}

/// The test mail of the SMTP settings page.
pub fn test_mail(link_base: &str) -> Mail {
    Mail {
        subject: "【评价 Pingjia】测试邮件 Test mail".to_owned(),
        text: format!(
            "邮件服务器设置正确：报告邮件会这样送达。\nThe mail server works: report mails \
             will arrive like this one.\n\n{link_base}\n"
        ),
        html: format!(
            "<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><p>邮件服务器设置正确：\
             报告邮件会这样送达。</p><p>The mail server works: report mails will arrive like \
             this one.</p><p><a href=\"{0}\">{1}</a></p></body></html>",
            html_escape::encode_double_quoted_attribute(link_base),
            html_escape::encode_text(link_base)
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}", v * 100.0)).unwrap_or_default()
}

fn num(v: Option<f64>, places: usize) -> String {
    v.map(|v| format!("{v:.places$}")).unwrap_or_default()
}

/// One table of a report as CSV (UTF-8 with a BOM, so spreadsheets read the Chinese).
pub fn table_csv(report: &Report, table: ReportTable) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let cells = |row: Vec<String>| row.into_iter().map(|c| safe_cell(&c)).collect::<Vec<_>>();
    match table {
        ReportTable::Summary => {
            w.write_record([
                "指标 Metric",
                "本期 This period",
                "上期 Previous",
                "变化 Direction",
            ])?;
            for c in &report.summary {
                let (zh, en) = metric_name(c.metric);
                w.write_record(cells(vec![
                    format!("{zh} {en}"),
                    figure(c.metric, Some(c.value)),
                    figure(c.metric, Some(c.previous)),
                    match c.direction {
                        Direction::Improved => "改善 improved",
                        Direction::Worsened => "变差 worse",
                        Direction::Changed => "变化 changed",
                        Direction::Unchanged => "持平 unchanged",
                    }
                    .to_owned(),
                ]))?;
            }
        }
        ReportTable::Trend => {
            w.write_record([
                "周期 Period",
                "开始 From",
                "结束 To",
                "评价数 Evaluations",
                "平均综合得分 Average total",
                "满意度达成率% Attainment %",
                "响应及时率% On time %",
                "首次解决率% First contact %",
            ])?;
            for p in &report.trend {
                w.write_record(cells(vec![
                    p.key.clone(),
                    p.period.from.to_string(),
                    p.period.to.to_string(),
                    p.evaluations.to_string(),
                    num(p.average_total, 2),
                    pct(p.attainment_rate),
                    pct(p.on_time_rate),
                    pct(p.first_contact_rate),
                ]))?;
            }
        }
        ReportTable::Complaints => {
            w.write_record(["标签 Tag", "投诉数 Complaints", "占比% Share %"])?;
            let total: u64 = report.complaint_tags.iter().map(|t| t.count).sum();
            for t in &report.complaint_tags {
                w.write_record(cells(vec![
                    if t.tag.is_empty() {
                        "未分类 Untagged".to_owned()
                    } else {
                        t.tag.clone()
                    },
                    t.count.to_string(),
                    pct(rate(t.count, total)),
                ]))?;
            }
        }
        ReportTable::Problems => {
            w.write_record([
                "问题词 Term",
                "投诉评价数 Complaints",
                "评价编号 Number",
                "总体满意度 Overall",
                "建议 Suggestion",
            ])?;
            for p in &report.problems {
                if p.examples.is_empty() {
                    w.write_record(cells(vec![
                        p.term.clone(),
                        p.count.to_string(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]))?;
                }
                for e in &p.examples {
                    w.write_record(cells(vec![
                        p.term.clone(),
                        p.count.to_string(),
                        e.number.clone(),
                        e.overall.to_string(),
                        e.suggestion.clone(),
                    ]))?;
                }
            }
        }
        ReportTable::Agents => {
            w.write_record([
                "排名 Rank",
                "工号 Agent no",
                "服务人员 Agent",
                "团队 Team",
                "评价数 Evaluations",
                "平均综合得分 Average total",
                "平均满意度 Average overall",
                "满意度达成率% Attainment %",
                "服务记录 Records",
                "首次解决率% First contact %",
            ])?;
            for a in &report.agents {
                w.write_record(cells(vec![
                    a.rank.to_string(),
                    a.agent_no.clone(),
                    a.name.clone(),
                    a.team_name.clone().unwrap_or_default(),
                    a.evaluations.to_string(),
                    num(a.average_total, 2),
                    num(a.average_overall, 2),
                    pct(a.attainment_rate),
                    a.records.to_string(),
                    pct(a.first_contact_rate),
                ]))?;
            }
        }
        ReportTable::Appeals => {
            w.write_record([
                "评价编号 Number",
                "工号 Agent no",
                "服务人员 Agent",
                "提交时间 Filed",
                "已等待天数 Days open",
            ])?;
            for a in &report.open_appeals {
                w.write_record(cells(vec![
                    a.evaluation_number.clone(),
                    a.agent_no.clone(),
                    a.agent_name.clone(),
                    to_db(a.filed_at),
                    a.days_open.to_string(),
                ]))?;
            }
        }
        ReportTable::Plans => {
            w.write_record([
                "计划 Plan",
                "评价编号 Number",
                "工号 Agent no",
                "服务人员 Agent",
                "截止 Due",
                "逾期天数 Days overdue",
            ])?;
            for p in &report.overdue_plans {
                w.write_record(cells(vec![
                    p.id.to_string(),
                    p.evaluation_number.clone(),
                    p.agent_no.clone(),
                    p.agent_name.clone(),
                    to_db(p.due_at),
                    p.days_overdue.to_string(),
                ]))?;
            }
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_on_characters() {
        assert_eq!(excerpt("  短  ", 5), "短");
        assert_eq!(excerpt("一二三四五六", 4), "一二三…");
        assert_eq!(excerpt("一二三四", 4), "一二三四");
    }
}
