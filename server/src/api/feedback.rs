//! The agent's side (issue 7): `/me/feedback/...` (the agent's figures beside their team's,
//! their evaluations with read state, the live stream of new ones, verdicts on suggestions),
//! `/improvement-plans/...` (改进计划), `/callbacks/...` (回访 of low scores, for team leads)
//! and `/team/summary` (the team lead's home).
//!
//! Who sees what: an agent only their own evaluations and plans; a team lead their team's
//! plans and callbacks (the agent's team now); admins everything. The route table lets the
//! roles in, the handlers check the rows ([`may_see_plan`], [`may_handle_callback`]).

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration as StdDuration;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures_util::Stream;
use pingjia_domain::Problem;
use pingjia_domain::analytics::{AnalyticsFilter, DimensionName, Period, mean, rate};
use pingjia_domain::feedback::{
    AgentSummary, Assessment, CallbackOutcome, CallbackQuery, CallbackRecord, CallbackTask,
    DEFAULT_PER_PAGE, FeedbackAlert, FeedbackItem, FeedbackPage, FeedbackQuery, Figures,
    ImprovementPlan, MAX_PER_PAGE, NewAssessment, PLAN_COMPARE_DAYS, PlanDecision, PlanQuery,
    PlanReview, PlanStatus, PlanSubmission, PlanWindow, SummaryQuery, TeamAgent, TeamSummary,
    plan_overdue,
};
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Channel, CustomerType, Role};
use serde_json::json;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::analytics::{
    SCORES_CONCAT, Scope, count, dimension_names, named, named_scores, push_evaluation_scope,
    push_score_sums, round,
};
use crate::db::calendar::work_calendar;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Query};
use crate::http::state::AppState;
use crate::services::alerts::NewEvaluation;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::{from_db, org_day, org_zone, to_db};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(summary))
        .routes(routes!(list))
        .routes(routes!(unread))
        .routes(routes!(stream))
        .routes(routes!(mark_read))
        .routes(routes!(mark_all_read))
        .routes(routes!(assess))
        .routes(routes!(list_plans))
        .routes(routes!(get_plan, submit_plan))
        .routes(routes!(review_plan))
        .routes(routes!(list_callbacks))
        .routes(routes!(record_callback))
        .routes(routes!(team_summary))
}

// ---------------------------------------------------------------------------------------------
// Figures

/// Sums of one group of evaluations, as SQL counts them.
#[derive(Debug, Clone, Default)]
struct Sums {
    count: u64,
    total: f64,
    overall: f64,
    attained: u64,
    /// Per dimension code: (answered, sum).
    dimensions: HashMap<String, (u64, f64)>,
}

impl Sums {
    fn figures(&self, dims: &[DimensionName]) -> Figures {
        Figures {
            count: self.count,
            average_total: round(mean(self.total, self.count), 2),
            average_overall: round(mean(self.overall, self.count), 2),
            attainment_rate: round(rate(self.attained, self.count), 4),
            dimensions: dims
                .iter()
                .map(|d| {
                    let (answered, sum) = self.dimensions.get(&d.code).copied().unwrap_or_default();
                    round(mean(sum, answered), 2)
                })
                .collect(),
        }
    }

    fn add(&mut self, other: &Sums) {
        self.count += other.count;
        self.total += other.total;
        self.overall += other.overall;
        self.attained += other.attained;
        for (code, (answered, sum)) in &other.dimensions {
            let slot = self.dimensions.entry(code.clone()).or_default();
            slot.0 += answered;
            slot.1 += sum;
        }
    }
}

/// The sums of each agent under `scope`.
async fn sums_by_agent(
    conn: &mut SqliteConnection,
    scope: &Scope,
    settings: &Settings,
) -> Result<HashMap<i64, Sums>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT e.agent_id, COUNT(*), SUM(e.total_score), SUM(e.overall), \
         SUM(CASE WHEN e.overall >= ",
    );
    q.push_bind(i64::from(settings.satisfaction_threshold))
        .push(" THEN 1 ELSE 0 END) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, scope, scope.period);
    q.push(" GROUP BY e.agent_id");
    let rows: Vec<(i64, i64, f64, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut sums: HashMap<i64, Sums> = rows
        .into_iter()
        .map(|(agent, n, total, overall, attained)| {
            (
                agent,
                Sums {
                    count: count(n),
                    total,
                    overall: overall as f64,
                    attained: count(attained),
                    dimensions: HashMap::new(),
                },
            )
        })
        .collect();
    let mut q = QueryBuilder::new("");
    push_score_sums(&mut q, scope, scope.agent_id, true);
    let rows: Vec<(i64, String, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    for (agent, code, answered, sum) in rows {
        sums.entry(agent)
            .or_default()
            .dimensions
            .insert(code, (count(answered), sum as f64));
    }
    Ok(sums)
}

/// Mean total score and count per bucket, for the evaluations under `scope`.
async fn trend(
    conn: &mut SqliteConnection,
    scope: &Scope,
    buckets: &[Period],
) -> Result<(Vec<Option<f64>>, Vec<u64>), AppError> {
    let mut q = QueryBuilder::new(
        "SELECT e.submitted_day, COUNT(*), SUM(e.total_score) FROM evaluations e WHERE",
    );
    push_evaluation_scope(&mut q, scope, scope.period);
    q.push(" GROUP BY e.submitted_day");
    let rows: Vec<(String, i64, f64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut counts = vec![0u64; buckets.len()];
    let mut sums = vec![0f64; buckets.len()];
    for (day, n, sum) in rows {
        let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|e| AppError::Internal(format!("trend day {day}: {e}")))?;
        if let Some(i) = buckets.iter().position(|b| b.from <= day && day <= b.to) {
            counts[i] += count(n);
            sums[i] += sum;
        }
    }
    let averages = counts
        .iter()
        .zip(&sums)
        .map(|(&c, &s)| round(mean(s, c), 2))
        .collect();
    Ok((averages, counts))
}

fn period_of(
    state: &AppState,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Period, AppError> {
    AnalyticsFilter {
        from,
        to,
        ..Default::default()
    }
    .period(org_day(state.clock.now()))
    .map_err(AppError::Validation)
}

/// The dimensions answered under any of `sums`, in the library's order.
async fn dims_of(
    conn: &mut SqliteConnection,
    sums: &[&Sums],
) -> Result<Vec<DimensionName>, sqlx::Error> {
    let names = dimension_names(conn).await?;
    Ok(named(&names, |code| {
        sums.iter().any(|s| s.dimensions.contains_key(code))
    }))
}

async fn unread_count(conn: &mut SqliteConnection, agent_id: i64) -> Result<u64, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM evaluations
         WHERE agent_id = ? AND agent_read_at IS NULL AND status <> 'deleted'",
    )
    .bind(agent_id)
    .fetch_one(conn)
    .await?;
    Ok(count(n))
}

/// Plans of `agent_id` still owing measures, and how many of those are overdue.
async fn plan_counts(
    conn: &mut SqliteConnection,
    agent_id: i64,
    now: DateTime<Utc>,
) -> Result<(u64, u64), sqlx::Error> {
    let (open, overdue): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(due_at < ?), 0) FROM improvement_plans
         WHERE agent_id = ? AND status IN ('open', 'sent_back')",
    )
    .bind(to_db(now))
    .bind(agent_id)
    .fetch_one(conn)
    .await?;
    Ok((count(open), count(overdue)))
}

/// The agent's figures.
///
/// For the period (default the last 30 days): count, mean total score, mean overall
/// satisfaction, attainment rate and each dimension's mean, beside the team's; the trend by
/// day, week or month, theirs and the team's; the overall-score distribution; unread
/// evaluations and plans owed.
#[utoipa::path(
    get,
    path = "/me/feedback/summary",
    tag = "feedback",
    operation_id = "my_feedback_summary",
    params(SummaryQuery),
    responses(
        (status = 200, description = "The figures", body = AgentSummary),
        (status = 422, description = "The period is backwards or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn summary(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<AgentSummary>, AppError> {
    let period = period_of(&state, query.from, query.to)?;
    let granularity = query.granularity.unwrap_or_default();
    let settings = state.settings.get(&state.pool).await?;
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let (agent_no, name, team_id, team_name): (
        Option<String>,
        String,
        Option<i64>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT u.employee_no, u.display_name, u.team_id, t.name
             FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id = ?",
    )
    .bind(caller.id)
    .fetch_one(&mut *conn)
    .await?;
    let mine_scope = Scope::of(period, Some(caller.id), None);
    let mine = sums_by_agent(&mut conn, &mine_scope, &settings)
        .await?
        .remove(&caller.id)
        .unwrap_or_default();
    let team_scope = team_id.map(|team| Scope::of(period, None, Some(team)));
    let team = match &team_scope {
        Some(scope) => {
            let mut all = Sums::default();
            for sums in sums_by_agent(&mut conn, scope, &settings).await?.values() {
                all.add(sums);
            }
            Some(all)
        }
        None => None,
    };
    let dims = dims_of(&mut conn, &[&mine]).await?;
    let buckets = period.buckets(granularity);
    let (trend_mine, trend_counts) = trend(&mut conn, &mine_scope, &buckets).await?;
    let team_trend = match &team_scope {
        Some(scope) => trend(&mut conn, scope, &buckets).await?.0,
        None => vec![None; buckets.len()],
    };
    let mut q = QueryBuilder::new("SELECT e.overall, COUNT(*) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, &mine_scope, period);
    q.push(" GROUP BY e.overall");
    let rows: Vec<(i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut distribution = vec![0u64; 10];
    for (score, n) in rows {
        if let Some(slot) = usize::try_from(score - 1)
            .ok()
            .and_then(|i| distribution.get_mut(i))
        {
            *slot = count(n);
        }
    }
    let unread = unread_count(&mut conn, caller.id).await?;
    let (open_plans, overdue_plans) = plan_counts(&mut conn, caller.id, now).await?;
    Ok(Json(AgentSummary {
        period,
        granularity,
        agent_no: agent_no.unwrap_or_default(),
        name,
        team_name,
        mine: mine.figures(&dims),
        team: team.map(|t| t.figures(&dims)),
        dimensions: dims,
        buckets,
        trend: trend_mine,
        trend_counts,
        team_trend,
        distribution,
        unread,
        open_plans,
        overdue_plans,
    }))
}

// ---------------------------------------------------------------------------------------------
// The agent's evaluations

/// A customer number with its middle hidden: `C000123` → `C0***23`.
pub fn mask_customer_no(no: &str) -> String {
    let chars: Vec<char> = no.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 4))
}

const ITEM_SELECT: &str = "SELECT e.id, e.number, e.submitted_at, c.customer_no, e.customer_type, \
     e.service_type, st.name_zh AS type_name_zh, st.name_en AS type_name_en, e.channel, \
     r.started_at, r.ended_at, r.order_no, e.total_score, e.overall, e.suggestion, \
     e.agent_read_at, a.reasonable, a.reason, a.assessed_at, p.id AS plan_id, e.agent_id, \
     e.status, ";

const ITEM_FROM: &str = " AS scores FROM evaluations e \
     JOIN users c ON c.id = e.customer_id \
     JOIN service_types st ON st.code = e.service_type \
     JOIN service_records r ON r.id = e.service_record_id \
     LEFT JOIN suggestion_assessments a ON a.evaluation_id = e.id \
     LEFT JOIN improvement_plans p ON p.evaluation_id = e.id \
     WHERE";

#[derive(sqlx::FromRow)]
struct ItemRow {
    number: String,
    submitted_at: String,
    customer_no: Option<String>,
    customer_type: Option<String>,
    service_type: String,
    type_name_zh: String,
    type_name_en: String,
    channel: Option<String>,
    started_at: String,
    ended_at: String,
    order_no: Option<String>,
    total_score: f64,
    overall: i64,
    suggestion: Option<String>,
    agent_read_at: Option<String>,
    reasonable: Option<bool>,
    reason: Option<String>,
    assessed_at: Option<String>,
    plan_id: Option<i64>,
    agent_id: i64,
    status: String,
    scores: Option<String>,
}

impl ItemRow {
    fn into_item(self, names: &[(DimensionName, i64)]) -> Result<FeedbackItem, sqlx::Error> {
        let assessment = match (self.reasonable, &self.assessed_at) {
            (Some(reasonable), Some(at)) => Some(Assessment {
                reasonable,
                reason: self.reason.clone(),
                assessed_at: from_db(at)?,
            }),
            _ => None,
        };
        Ok(FeedbackItem {
            scores: named_scores(self.scores.as_deref(), names),
            submitted_at: from_db(&self.submitted_at)?,
            customer: mask_customer_no(self.customer_no.as_deref().unwrap_or_default()),
            customer_type: self.customer_type.as_deref().and_then(CustomerType::parse),
            service_type: self.service_type,
            service_type_name_zh: self.type_name_zh,
            service_type_name_en: self.type_name_en,
            channel: self
                .channel
                .as_deref()
                .and_then(Channel::parse)
                .unwrap_or(Channel::Online),
            service_started_at: from_db(&self.started_at)?,
            service_ended_at: from_db(&self.ended_at)?,
            order_no: self.order_no,
            total_score: self.total_score,
            overall: u8::try_from(self.overall).unwrap_or(0),
            suggestion: self.suggestion,
            read: self.agent_read_at.is_some(),
            assessment,
            plan_id: self.plan_id,
            number: self.number,
        })
    }
}

async fn load_item(
    conn: &mut SqliteConnection,
    number: &str,
) -> Result<Option<ItemRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ITEM_SELECT}{SCORES_CONCAT}{ITEM_FROM} e.number = ?"
    ))
    .bind(number)
    .fetch_optional(conn)
    .await
}

/// The agent's own evaluation `number`: 404 when there is none (or it was deleted), 403 when
/// it is another agent's.
async fn own_item(
    conn: &mut SqliteConnection,
    caller: &CurrentUser,
    number: &str,
) -> Result<ItemRow, AppError> {
    let row = load_item(conn, number)
        .await?
        .filter(|r| r.status != "deleted")
        .ok_or_else(|| AppError::NotFound(format!("The evaluation {number}")))?;
    if row.agent_id != caller.id {
        return Err(AppError::Forbidden(
            "This evaluation is another agent's".to_owned(),
        ));
    }
    Ok(row)
}

/// The agent's evaluations.
///
/// Newest first, a page at a time, filtered by period (organisation days), service type,
/// score band, "has a suggestion" and "unread". The customer's number is masked.
/// Evaluations an admin deleted are not shown.
#[utoipa::path(
    get,
    path = "/me/feedback",
    tag = "feedback",
    operation_id = "my_feedback",
    params(FeedbackQuery),
    responses(
        (status = 200, description = "A page", body = FeedbackPage),
        (status = 422, description = "The filter or paging is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<FeedbackQuery>,
) -> Result<Json<FeedbackPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    crate::http::paging::check_paging(page, per_page, MAX_PER_PAGE, query.from, query.to)?;
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let push_where = |q: &mut QueryBuilder<'_, Sqlite>| {
        q.push(" e.agent_id = ")
            .push_bind(caller.id)
            .push(" AND e.status <> 'deleted'");
        if let Some(from) = query.from {
            q.push(" AND e.submitted_day >= ")
                .push_bind(from.to_string());
        }
        if let Some(to) = query.to {
            q.push(" AND e.submitted_day <= ").push_bind(to.to_string());
        }
        if let Some(code) = query.service_type.as_deref().filter(|c| !c.is_empty()) {
            q.push(" AND e.service_type = ").push_bind(code.to_owned());
        }
        if let Some(band) = query.band {
            let (low, high) = band.overall_range(&settings);
            q.push(" AND e.overall BETWEEN ")
                .push_bind(i64::from(low))
                .push(" AND ")
                .push_bind(i64::from(high));
        }
        if query.with_suggestion == Some(true) {
            q.push(" AND e.suggestion IS NOT NULL");
        }
        if query.unread == Some(true) {
            q.push(" AND e.agent_read_at IS NULL");
        }
    };
    let mut q = QueryBuilder::new("SELECT COUNT(*) FROM evaluations e WHERE");
    push_where(&mut q);
    let total: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut q = QueryBuilder::new(format!("{ITEM_SELECT}{SCORES_CONCAT}{ITEM_FROM}"));
    push_where(&mut q);
    q.push(" ORDER BY e.submitted_at DESC, e.id DESC LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(per_page));
    let rows: Vec<ItemRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let names = dimension_names(&mut conn).await?;
    let items = rows
        .into_iter()
        .map(|r| r.into_item(&names))
        .collect::<Result<_, _>>()?;
    Ok(Json(FeedbackPage {
        items,
        total: count(total),
        page,
        per_page,
        unread: unread_count(&mut conn, caller.id).await?,
    }))
}

fn alert(unread: u64) -> FeedbackAlert {
    FeedbackAlert {
        number: None,
        overall: None,
        total_score: None,
        unread,
    }
}

/// How many of the agent's evaluations are unread (the polling fallback of the stream).
#[utoipa::path(
    get,
    path = "/me/feedback/unread",
    tag = "feedback",
    operation_id = "my_feedback_unread",
    responses((status = 200, description = "The unread count", body = FeedbackAlert))
)]
async fn unread(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<FeedbackAlert>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(alert(unread_count(&mut conn, caller.id).await?)))
}

/// Mark one evaluation read.
///
/// Answers the unread count after it. Reading an evaluation again changes nothing.
#[utoipa::path(
    post,
    path = "/me/feedback/{number}/read",
    tag = "feedback",
    operation_id = "mark_feedback_read",
    params(("number" = String, Path, description = "The evaluation's number")),
    responses(
        (status = 200, description = "Read", body = FeedbackAlert),
        (status = 403, description = "Another agent's evaluation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such evaluation", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn mark_read(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(number): Path<String>,
) -> Result<Json<FeedbackAlert>, AppError> {
    let mut conn = state.pool.acquire().await?;
    own_item(&mut conn, &caller, &number).await?;
    sqlx::query(
        "UPDATE evaluations SET agent_read_at = ? WHERE number = ? AND agent_read_at IS NULL",
    )
    .bind(to_db(state.clock.now()))
    .bind(&number)
    .execute(&mut *conn)
    .await?;
    Ok(Json(alert(unread_count(&mut conn, caller.id).await?)))
}

/// Mark all the agent's evaluations read.
#[utoipa::path(
    post,
    path = "/me/feedback/read-all",
    tag = "feedback",
    operation_id = "mark_all_feedback_read",
    responses((status = 200, description = "All read", body = FeedbackAlert))
)]
async fn mark_all_read(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<FeedbackAlert>, AppError> {
    sqlx::query(
        "UPDATE evaluations SET agent_read_at = ? WHERE agent_id = ? AND agent_read_at IS NULL",
    )
    .bind(to_db(state.clock.now()))
    .bind(caller.id)
    .execute(&state.pool)
    .await?;
    Ok(Json(alert(0)))
}

/// New evaluations, live.
///
/// Server-Sent Events: an `evaluation` event (a `FeedbackAlert` with the new evaluation's
/// number and scores and the unread count) for each evaluation of the agent submitted while
/// the stream is open; a comment every 15 s keeps it alive. Browsers reconnect by themselves;
/// the unread count is in `GET /me/feedback/unread` whatever was missed.
#[utoipa::path(
    get,
    path = "/me/feedback/stream",
    tag = "feedback",
    operation_id = "my_feedback_stream",
    responses((status = 200, description = "The event stream", content_type = "text/event-stream"))
)]
async fn stream(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.alerts.subscribe();
    let agent = caller.id;
    let events =
        futures_util::stream::unfold((receiver, state), move |(mut receiver, state)| async move {
            loop {
                match receiver.recv().await {
                    Ok(NewEvaluation {
                        agent_id,
                        number,
                        overall,
                        total_score,
                    }) if agent_id == agent => {
                        let unread = match state.pool.acquire().await {
                            Ok(mut conn) => unread_count(&mut conn, agent).await.unwrap_or(0),
                            Err(_) => 0,
                        };
                        let data = FeedbackAlert {
                            number: Some(number),
                            overall: Some(overall),
                            total_score: Some(total_score),
                            unread,
                        };
                        let event = Event::default()
                            .event("evaluation")
                            .json_data(&data)
                            .unwrap_or_else(|_| Event::default().event("evaluation"));
                        return Some((Ok(event), (receiver, state)));
                    }
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        // Missed some: tell the count, the app re-reads its list.
                        let unread = match state.pool.acquire().await {
                            Ok(mut conn) => unread_count(&mut conn, agent).await.unwrap_or(0),
                            Err(_) => 0,
                        };
                        let event = Event::default()
                            .event("evaluation")
                            .json_data(alert(unread))
                            .unwrap_or_else(|_| Event::default().event("evaluation"));
                        return Some((Ok(event), (receiver, state)));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    // Fused: polled again after its end, an unfold panics.
    Sse::new(futures_util::StreamExt::fuse(events))
        .keep_alive(KeepAlive::new().interval(StdDuration::from_secs(15)))
}

// ---------------------------------------------------------------------------------------------
// Verdicts and plans

/// Judge an evaluation's suggestion.
///
/// Reasonable opens an improvement plan due a number of working days later (setting, 3; the
/// working-day calendar: weekends and holidays skipped, make-up working days counted); not
/// reasonable needs a short reason. Once per evaluation. Audited.
#[utoipa::path(
    post,
    path = "/me/feedback/{number}/assessment",
    tag = "feedback",
    operation_id = "assess_suggestion",
    params(("number" = String, Path, description = "The evaluation's number")),
    request_body = NewAssessment,
    responses(
        (status = 200, description = "Judged; the evaluation with its plan", body = FeedbackItem),
        (status = 403, description = "Another agent's evaluation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such evaluation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already judged (`already_assessed`) or without a suggestion (`no_suggestion`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason for an unreasonable one", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn assess(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(number): Path<String>,
    Json(body): Json<NewAssessment>,
) -> Result<Json<FeedbackItem>, AppError> {
    let reason = body.check().map_err(AppError::Validation)?;
    let settings = state.settings.get(&state.pool).await?;
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let row = own_item(&mut tx, &caller, &number).await?;
    if row.suggestion.is_none() {
        return Err(Coded::conflict("no_suggestion", "This evaluation has no suggestion").into());
    }
    if row.assessed_at.is_some() {
        return Err(Coded::conflict(
            "already_assessed",
            "This suggestion has been judged already",
        )
        .into());
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM evaluations WHERE number = ?")
        .bind(&number)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO suggestion_assessments (evaluation_id, agent_id, reasonable, reason, assessed_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(caller.id)
    .bind(body.reasonable)
    .bind(&reason)
    .bind(to_db(now))
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE evaluations SET agent_read_at = ? WHERE id = ? AND agent_read_at IS NULL")
        .bind(to_db(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let mut plan_id = None;
    if body.reasonable {
        let calendar = work_calendar(&mut tx).await?;
        let due = calendar
            .add_working_days(
                now.with_timezone(&org_zone()),
                settings.improvement_plan_working_days,
            )
            .with_timezone(&Utc);
        plan_id = Some(
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO improvement_plans (evaluation_id, agent_id, created_at, due_at)
                 VALUES (?, ?, ?, ?) RETURNING id",
            )
            .bind(id)
            .bind(caller.id)
            .bind(to_db(now))
            .bind(to_db(due))
            .fetch_one(&mut *tx)
            .await?,
        );
    }
    let entry = Entry::new(now, Action::SuggestionAssessed)
        .by(Actor::user(&caller, ip))
        .on("evaluation", &number)
        .details(json!({ "reasonable": body.reasonable, "reason": reason, "plan_id": plan_id }));
    audit::record(&mut *tx, &entry).await?;
    let row = own_item(&mut tx, &caller, &number).await?;
    let names = dimension_names(&mut tx).await?;
    let item = row.into_item(&names)?;
    tx.commit().await?;
    Ok(Json(item))
}

const PLAN_SELECT: &str = "SELECT p.id, e.number, a.employee_no AS agent_no, \
     a.display_name AS agent_name, a.team_id, t.name AS team_name, e.suggestion, e.overall, \
     p.status, p.created_at, p.due_at, p.measures, p.target_date, p.submitted_at, \
     r.display_name AS reviewer_name, p.review_comment, p.reviewed_at, p.agent_id \
     FROM improvement_plans p \
     JOIN evaluations e ON e.id = p.evaluation_id \
     JOIN users a ON a.id = p.agent_id \
     LEFT JOIN teams t ON t.id = a.team_id \
     LEFT JOIN users r ON r.id = p.reviewed_by";

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    number: String,
    agent_no: Option<String>,
    agent_name: String,
    team_id: Option<i64>,
    team_name: Option<String>,
    suggestion: Option<String>,
    overall: i64,
    status: String,
    created_at: String,
    due_at: String,
    measures: Option<String>,
    target_date: Option<String>,
    submitted_at: Option<String>,
    reviewer_name: Option<String>,
    review_comment: Option<String>,
    reviewed_at: Option<String>,
    agent_id: i64,
}

async fn window(
    conn: &mut SqliteConnection,
    agent_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<PlanWindow, sqlx::Error> {
    let (n, total, overall): (i64, Option<f64>, Option<f64>) = sqlx::query_as(
        "SELECT COUNT(*), AVG(total_score), AVG(overall) FROM evaluations
         WHERE agent_id = ? AND submitted_at >= ? AND submitted_at < ? AND status <> 'deleted'",
    )
    .bind(agent_id)
    .bind(to_db(from))
    .bind(to_db(to))
    .fetch_one(conn)
    .await?;
    Ok(PlanWindow {
        from,
        to,
        count: count(n),
        average_total: round(total, 2),
        average_overall: round(overall, 2),
    })
}

impl PlanRow {
    async fn into_plan(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<ImprovementPlan, AppError> {
        let status = PlanStatus::parse(&self.status)
            .ok_or_else(|| AppError::Internal(format!("plan status {}", self.status)))?;
        let created_at = from_db(&self.created_at)?;
        let due_at = from_db(&self.due_at)?;
        let days = Duration::days(PLAN_COMPARE_DAYS);
        let before = window(conn, self.agent_id, created_at - days, created_at).await?;
        let after = if now >= created_at + days {
            Some(window(conn, self.agent_id, created_at, created_at + days).await?)
        } else {
            None
        };
        let change = after
            .as_ref()
            .and_then(|a| Some(a.average_total? - before.average_total?))
            .map(|c| (c * 100.0).round() / 100.0);
        let optional_time = |t: &Option<String>| t.as_deref().map(from_db).transpose();
        Ok(ImprovementPlan {
            id: self.id,
            evaluation_number: self.number,
            agent_no: self.agent_no.unwrap_or_default(),
            agent_name: self.agent_name,
            team_name: self.team_name,
            suggestion: self.suggestion.unwrap_or_default(),
            overall: u8::try_from(self.overall).unwrap_or(0),
            status,
            created_at,
            due_at,
            overdue: plan_overdue(status, due_at, now),
            measures: self.measures,
            target_date: self
                .target_date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            submitted_at: optional_time(&self.submitted_at)?,
            reviewer_name: self.reviewer_name,
            review_comment: self.review_comment,
            reviewed_at: optional_time(&self.reviewed_at)?,
            before,
            after,
            change,
        })
    }
}

/// Whether `caller` may see a plan of `agent_id` in `team_id`: the agent, the team's lead, an
/// admin.
fn may_see_plan(caller: &CurrentUser, agent_id: i64, team_id: Option<i64>) -> bool {
    match caller.role {
        Role::Admin => true,
        Role::Agent => caller.is(agent_id),
        Role::TeamLead => team_id.is_some() && caller.team_id == team_id,
        Role::Customer | Role::QaInspector => false,
    }
}

async fn plan_row(conn: &mut SqliteConnection, id: i64) -> Result<PlanRow, AppError> {
    sqlx::query_as(&format!("{PLAN_SELECT} WHERE p.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The improvement plan {id}")))
}

async fn visible_plan(
    conn: &mut SqliteConnection,
    caller: &CurrentUser,
    id: i64,
) -> Result<PlanRow, AppError> {
    let row = plan_row(conn, id).await?;
    if !may_see_plan(caller, row.agent_id, row.team_id) {
        return Err(AppError::Forbidden(
            "This improvement plan is someone else's".to_owned(),
        ));
    }
    Ok(row)
}

/// Improvement plans.
///
/// An agent's own, a team lead's team's, all for admins; those owing measures first by due
/// time, then the rest newest first.
#[utoipa::path(
    get,
    path = "/improvement-plans",
    tag = "feedback",
    operation_id = "list_improvement_plans",
    params(PlanQuery),
    responses((status = 200, description = "The plans", body = [ImprovementPlan]))
)]
async fn list_plans(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<PlanQuery>,
) -> Result<Json<Vec<ImprovementPlan>>, AppError> {
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let mut q = QueryBuilder::new(format!("{PLAN_SELECT} WHERE 1 = 1"));
    match caller.role {
        Role::Agent => {
            q.push(" AND p.agent_id = ").push_bind(caller.id);
        }
        Role::TeamLead => {
            q.push(" AND a.team_id = ")
                .push_bind(caller.team_id.unwrap_or(-1));
        }
        _ => {}
    }
    if let Some(status) = query.status {
        q.push(" AND p.status = ").push_bind(status.as_str());
    }
    if query.overdue == Some(true) {
        q.push(" AND p.status IN ('open', 'sent_back') AND p.due_at < ")
            .push_bind(to_db(now));
    }
    q.push(
        " ORDER BY CASE WHEN p.status IN ('open', 'sent_back') THEN 0 \
         WHEN p.status = 'submitted' THEN 1 ELSE 2 END, \
         CASE WHEN p.status = 'acknowledged' THEN NULL ELSE p.due_at END, p.created_at DESC \
         LIMIT 500",
    );
    let rows: Vec<PlanRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut plans = Vec::with_capacity(rows.len());
    for row in rows {
        plans.push(row.into_plan(&mut conn, now).await?);
    }
    Ok(Json(plans))
}

/// One improvement plan, with the agent's scores before and after it.
#[utoipa::path(
    get,
    path = "/improvement-plans/{id}",
    tag = "feedback",
    operation_id = "get_improvement_plan",
    params(("id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan", body = ImprovementPlan),
        (status = 403, description = "Another agent's or team's plan", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_plan(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ImprovementPlan>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let row = visible_plan(&mut conn, &caller, id).await?;
    Ok(Json(row.into_plan(&mut conn, state.clock.now()).await?))
}

/// Submit the plan's measures.
///
/// By the agent, while the plan is open or sent back; the same submission again is harmless
/// (it stays submitted). Audited.
#[utoipa::path(
    put,
    path = "/improvement-plans/{id}",
    tag = "feedback",
    operation_id = "submit_improvement_plan",
    params(("id" = i64, Path, description = "The plan's id")),
    request_body = PlanSubmission,
    responses(
        (status = 200, description = "Submitted", body = ImprovementPlan),
        (status = 403, description = "Another agent's plan", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted or acknowledged already (`plan_not_awaiting`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Measures missing or a target date in the past", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn submit_plan(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<PlanSubmission>,
) -> Result<Json<ImprovementPlan>, AppError> {
    let now = state.clock.now();
    let measures = body.check(org_day(now)).map_err(AppError::Validation)?;
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let row = plan_row(&mut tx, id).await?;
    if !caller.is(row.agent_id) {
        return Err(AppError::Forbidden(
            "Only the agent writes their plan".to_owned(),
        ));
    }
    let status = PlanStatus::parse(&row.status);
    let same = row.measures.as_deref() == Some(measures.as_str())
        && row.target_date.as_deref() == Some(body.target_date.to_string().as_str());
    if status == Some(PlanStatus::Submitted) && same {
        let plan = row.into_plan(&mut tx, now).await?;
        tx.commit().await?;
        return Ok(Json(plan));
    }
    if !status.is_some_and(PlanStatus::awaits_agent) {
        return Err(
            Coded::conflict("plan_not_awaiting", "This plan has been submitted already").into(),
        );
    }
    sqlx::query(
        "UPDATE improvement_plans SET status = 'submitted', measures = ?, target_date = ?,
             submitted_at = ? WHERE id = ?",
    )
    .bind(&measures)
    .bind(body.target_date.to_string())
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::ImprovementPlanSubmitted)
        .by(Actor::user(&caller, ip))
        .on("improvement_plan", id.to_string())
        .details(json!({ "target_date": body.target_date }));
    audit::record(&mut *tx, &entry).await?;
    let plan = plan_row(&mut tx, id).await?.into_plan(&mut tx, now).await?;
    tx.commit().await?;
    Ok(Json(plan))
}

/// Acknowledge a submitted plan or send it back with a comment.
///
/// By the agent's team lead or an admin. Audited.
#[utoipa::path(
    post,
    path = "/improvement-plans/{id}/review",
    tag = "feedback",
    operation_id = "review_improvement_plan",
    params(("id" = i64, Path, description = "The plan's id")),
    request_body = PlanReview,
    responses(
        (status = 200, description = "Reviewed", body = ImprovementPlan),
        (status = 403, description = "Another team's plan", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting review (`plan_not_submitted`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No comment to send it back with", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn review_plan(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<PlanReview>,
) -> Result<Json<ImprovementPlan>, AppError> {
    let comment = body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let row = visible_plan(&mut tx, &caller, id).await?;
    if PlanStatus::parse(&row.status) != Some(PlanStatus::Submitted) {
        return Err(
            Coded::conflict("plan_not_submitted", "This plan is not awaiting review").into(),
        );
    }
    let status = match body.decision {
        PlanDecision::Acknowledge => PlanStatus::Acknowledged,
        PlanDecision::SendBack => PlanStatus::SentBack,
    };
    sqlx::query(
        "UPDATE improvement_plans SET status = ?, reviewed_by = ?, review_comment = ?,
             reviewed_at = ? WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(caller.id)
    .bind(&comment)
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::ImprovementPlanReviewed)
        .by(Actor::user(&caller, ip))
        .on("improvement_plan", id.to_string())
        .details(json!({ "decision": status.as_str(), "comment": comment }));
    audit::record(&mut *tx, &entry).await?;
    let plan = plan_row(&mut tx, id).await?.into_plan(&mut tx, now).await?;
    tx.commit().await?;
    Ok(Json(plan))
}

// ---------------------------------------------------------------------------------------------
// Callbacks

const CALLBACK_SELECT: &str = "SELECT k.id, e.number, e.overall, e.total_score, e.suggestion, \
     a.employee_no AS agent_no, a.display_name AS agent_name, t.name AS team_name, k.team_id, \
     c.display_name AS customer_name, c.phone AS customer_phone, st.name_zh AS type_name_zh, \
     st.name_en AS type_name_en, k.created_at, k.due_at, k.outcome, k.notes, k.done_at, \
     d.display_name AS done_by \
     FROM callback_tasks k \
     JOIN evaluations e ON e.id = k.evaluation_id \
     JOIN users a ON a.id = k.agent_id \
     JOIN users c ON c.id = e.customer_id \
     JOIN service_types st ON st.code = e.service_type \
     LEFT JOIN teams t ON t.id = k.team_id \
     LEFT JOIN users d ON d.id = k.done_by";

#[derive(sqlx::FromRow)]
struct CallbackRow {
    id: i64,
    number: String,
    overall: i64,
    total_score: f64,
    suggestion: Option<String>,
    agent_no: Option<String>,
    agent_name: String,
    team_name: Option<String>,
    team_id: Option<i64>,
    customer_name: String,
    customer_phone: Option<String>,
    type_name_zh: String,
    type_name_en: String,
    created_at: String,
    due_at: String,
    outcome: Option<String>,
    notes: Option<String>,
    done_at: Option<String>,
    done_by: Option<String>,
}

impl CallbackRow {
    fn into_task(self, now: DateTime<Utc>) -> Result<CallbackTask, sqlx::Error> {
        let due_at = from_db(&self.due_at)?;
        Ok(CallbackTask {
            id: self.id,
            evaluation_number: self.number,
            overall: u8::try_from(self.overall).unwrap_or(0),
            total_score: self.total_score,
            suggestion: self.suggestion,
            agent_no: self.agent_no.unwrap_or_default(),
            agent_name: self.agent_name,
            team_name: self.team_name,
            customer_name: self.customer_name,
            customer_phone: self.customer_phone,
            service_type_name_zh: self.type_name_zh,
            service_type_name_en: self.type_name_en,
            created_at: from_db(&self.created_at)?,
            due_at,
            overdue: self.done_at.is_none() && now > due_at,
            outcome: self.outcome.as_deref().and_then(CallbackOutcome::parse),
            notes: self.notes,
            done_at: self.done_at.as_deref().map(from_db).transpose()?,
            done_by: self.done_by,
        })
    }
}

async fn callbacks_of(
    conn: &mut SqliteConnection,
    caller: &CurrentUser,
    open: bool,
    now: DateTime<Utc>,
) -> Result<Vec<CallbackTask>, AppError> {
    let mut q = QueryBuilder::new(format!("{CALLBACK_SELECT} WHERE"));
    q.push(if open {
        " k.done_at IS NULL"
    } else {
        " k.done_at IS NOT NULL"
    });
    if caller.role != Role::Admin {
        q.push(" AND k.team_id = ")
            .push_bind(caller.team_id.unwrap_or(-1));
    }
    q.push(if open {
        " ORDER BY k.due_at, k.id"
    } else {
        " ORDER BY k.done_at DESC, k.id DESC LIMIT 200"
    });
    let rows: Vec<CallbackRow> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_task(now))
        .collect::<Result<_, _>>()?)
}

/// Callback tasks of low scores.
///
/// A team lead's team's, all for admins; open ones (default) oldest due first, or done ones
/// newest first.
#[utoipa::path(
    get,
    path = "/callbacks",
    tag = "feedback",
    operation_id = "list_callbacks",
    params(CallbackQuery),
    responses((status = 200, description = "The tasks", body = [CallbackTask]))
)]
async fn list_callbacks(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<CallbackQuery>,
) -> Result<Json<Vec<CallbackTask>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let open = query.open.unwrap_or(true);
    Ok(Json(
        callbacks_of(&mut conn, &caller, open, state.clock.now()).await?,
    ))
}

/// Record the call.
///
/// Its outcome (resolved, appeased, escalated) and notes, by the team's lead or an admin;
/// once. Audited.
#[utoipa::path(
    post,
    path = "/callbacks/{id}",
    tag = "feedback",
    operation_id = "record_callback",
    params(("id" = i64, Path, description = "The task's id")),
    request_body = CallbackRecord,
    responses(
        (status = 200, description = "Recorded", body = CallbackTask),
        (status = 403, description = "Another team's task", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Recorded already (`callback_done`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No notes", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn record_callback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<CallbackRecord>,
) -> Result<Json<CallbackTask>, AppError> {
    let notes = body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let row: CallbackRow = sqlx::query_as(&format!("{CALLBACK_SELECT} WHERE k.id = ?"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The callback task {id}")))?;
    if caller.role != Role::Admin && (row.team_id.is_none() || row.team_id != caller.team_id) {
        return Err(AppError::Forbidden(
            "This callback belongs to another team".to_owned(),
        ));
    }
    if row.done_at.is_some() {
        return Err(Coded::conflict("callback_done", "This call has been recorded already").into());
    }
    sqlx::query(
        "UPDATE callback_tasks SET outcome = ?, notes = ?, done_at = ?, done_by = ? WHERE id = ?",
    )
    .bind(body.outcome.as_str())
    .bind(&notes)
    .bind(to_db(now))
    .bind(caller.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::CallbackRecorded)
        .by(Actor::user(&caller, ip))
        .on("callback", id.to_string())
        .details(json!({ "outcome": body.outcome.as_str(), "evaluation": row.number }));
    audit::record(&mut *tx, &entry).await?;
    let row: CallbackRow = sqlx::query_as(&format!("{CALLBACK_SELECT} WHERE k.id = ?"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(row.into_task(now)?))
}

// ---------------------------------------------------------------------------------------------
// The team lead's home

/// The lead's team side by side.
///
/// Each agent's figures for the period (default the last 30 days) with the team's, the plans
/// not yet acknowledged and the open callbacks.
#[utoipa::path(
    get,
    path = "/team/summary",
    tag = "feedback",
    operation_id = "team_summary",
    params(SummaryQuery),
    responses(
        (status = 200, description = "The team", body = TeamSummary),
        (status = 409, description = "The lead has no team (`no_team`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period is backwards or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn team_summary(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<TeamSummary>, AppError> {
    let period = period_of(&state, query.from, query.to)?;
    let Some(team_id) = caller.team_id else {
        return Err(Coded::conflict("no_team", "You lead no team yet").into());
    };
    let settings = state.settings.get(&state.pool).await?;
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let team_name: String = sqlx::query_scalar("SELECT name FROM teams WHERE id = ?")
        .bind(team_id)
        .fetch_one(&mut *conn)
        .await?;
    let by_agent = sums_by_agent(
        &mut conn,
        &Scope::of(period, None, Some(team_id)),
        &settings,
    )
    .await?;
    let mut all = Sums::default();
    for sums in by_agent.values() {
        all.add(sums);
    }
    let dims = dims_of(&mut conn, &[&all]).await?;
    let members: Vec<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT id, employee_no, display_name FROM users
         WHERE team_id = ? AND role = 'agent' ORDER BY employee_no",
    )
    .bind(team_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut agents = Vec::with_capacity(members.len());
    for (id, no, name) in members {
        let (open_plans, overdue_plans) = plan_counts(&mut conn, id, now).await?;
        agents.push(TeamAgent {
            agent_no: no.unwrap_or_default(),
            name,
            figures: by_agent
                .get(&id)
                .cloned()
                .unwrap_or_default()
                .figures(&dims),
            open_plans,
            overdue_plans,
        });
    }
    let rows: Vec<PlanRow> = sqlx::query_as(&format!(
        "{PLAN_SELECT} WHERE a.team_id = ? AND p.status <> 'acknowledged' ORDER BY p.due_at"
    ))
    .bind(team_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut plans = Vec::with_capacity(rows.len());
    for row in rows {
        plans.push(row.into_plan(&mut conn, now).await?);
    }
    Ok(Json(TeamSummary {
        period,
        team_id,
        team_name,
        team: all.figures(&dims),
        dimensions: dims,
        agents,
        plans,
        callbacks: callbacks_of(&mut conn, &caller, true, now).await?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_numbers_are_masked_in_the_middle() {
        assert_eq!(mask_customer_no("C000123"), "C0***23");
        assert_eq!(mask_customer_no("C12"), "***");
    }
}
