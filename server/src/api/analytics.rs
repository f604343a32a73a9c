//! `/analytics/...` (admins): the dashboard's reports. Every report takes the same filter bar
//! ([`AnalyticsFilter`]: period, team, agent, service type, channel, customer type) and is
//! aggregated here in SQL over the covering indexes of migration 0008; the formulas are the
//! domain's (`pingjia_domain::analytics`). Deleted evaluations are never counted or listed.
//!
//! Evaluations belong to a period by when they were submitted, service records (the
//! response and resolution KPIs) by when they started; days are the organisation's
//! (Asia/Shanghai). Team means the agent's team now.

use std::collections::{BTreeMap, HashMap};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Days, NaiveDate, Utc};
use futures_util::TryStreamExt;
use pingjia_domain::Problem;
use pingjia_domain::analytics::{
    AgentReport, AgentStat, AnalyticsEvaluation, AnalyticsEvaluationPage, AnalyticsFilter,
    AnalyticsOptions, AnalyticsScore, DEFAULT_PER_PAGE, DimensionName, DimensionReport,
    DimensionStat, DistributionReport, DrillFilter, EvaluationTotals, Granularity, Kpi, KpiReport,
    MAX_PER_PAGE, MAX_TERMS, NewStopWord, OptionItem, Period, RecordTotals, SegmentReport,
    SegmentSeries, Sentiment, StopWord, TagCount, TeamAverages, TermCount, TrendReport,
    TrendSeries, WordReport, mean, rank_dimensions, rate,
};
use pingjia_domain::anomalies::AnomalyRule;
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Channel, CustomerType};
use serde::Deserialize;
use sqlx::{QueryBuilder, Row as _, Sqlite, SqliteConnection};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::csvfile::safe_cell;
use crate::db::is_unique_violation;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Query};
use crate::http::state::AppState;
use crate::services::analytics::is_builtin_stop_word;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::{from_db, org_day, org_day_start, org_zone, to_db};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(options))
        .routes(routes!(kpis))
        .routes(routes!(trend))
        .routes(routes!(dimensions))
        .routes(routes!(segments))
        .routes(routes!(distribution))
        .routes(routes!(agents))
        .routes(routes!(words))
        .routes(routes!(evaluations))
        .routes(routes!(evaluations_csv))
        .routes(routes!(list_stop_words, add_stop_word))
        .routes(routes!(remove_stop_word))
}

// ---------------------------------------------------------------------------------------------
// The filter

/// The filter bar, checked: the period resolved, the agent's number turned into their id.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub(crate) period: Period,
    pub(crate) agent_id: Option<i64>,
    pub(crate) team: Option<i64>,
    pub(crate) service_type: Option<String>,
    pub(crate) channel: Option<Channel>,
    pub(crate) customer_type: Option<CustomerType>,
}

impl Scope {
    /// One agent's evaluations, or a team's, over a period.
    pub(crate) fn of(period: Period, agent_id: Option<i64>, team: Option<i64>) -> Scope {
        Scope {
            period,
            agent_id,
            team,
            service_type: None,
            channel: None,
            customer_type: None,
        }
    }
}

fn blank_to_none(value: Option<&String>) -> Option<&str> {
    value.map(|s| s.trim()).filter(|s| !s.is_empty())
}

async fn resolve(
    state: &AppState,
    conn: &mut SqliteConnection,
    filter: &AnalyticsFilter,
) -> Result<Scope, AppError> {
    let today = org_day(state.clock.now());
    let period = filter.period(today).map_err(AppError::Validation)?;
    let agent_id = match blank_to_none(filter.agent.as_ref()) {
        Some(no) => Some(
            sqlx::query_scalar::<_, i64>(
                "SELECT id FROM users WHERE employee_no = ? AND role = 'agent'",
            )
            .bind(no)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| AppError::field("agent", "unknown", format!("no agent {no}")))?,
        ),
        None => None,
    };
    if let Some(team) = filter.team {
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM teams WHERE id = ?")
            .bind(team)
            .fetch_optional(&mut *conn)
            .await?;
        if known.is_none() {
            return Err(AppError::field(
                "team",
                "unknown",
                format!("no team {team}"),
            ));
        }
    }
    let service_type = blank_to_none(filter.service_type.as_ref()).map(str::to_owned);
    if let Some(code) = &service_type {
        let known: Option<String> =
            sqlx::query_scalar("SELECT code FROM service_types WHERE code = ?")
                .bind(code)
                .fetch_optional(&mut *conn)
                .await?;
        if known.is_none() {
            return Err(AppError::field(
                "service_type",
                "unknown",
                format!("no service type {code}"),
            ));
        }
    }
    Ok(Scope {
        period,
        agent_id,
        team: filter.team,
        service_type,
        channel: filter.channel,
        customer_type: filter.customer_type,
    })
}

/// `[start, end)` of a period, as stored times (records; evaluations use `submitted_day`).
fn bounds(period: Period) -> (String, String) {
    (
        to_db(org_day_start(period.from)),
        to_db(org_day_start(period.to + Days::new(1))),
    )
}

/// Appends the conditions on evaluations `e` of the scope over `period` (counted ones only).
pub(crate) fn push_evaluation_scope(
    q: &mut QueryBuilder<'_, Sqlite>,
    scope: &Scope,
    period: Period,
) {
    push_scope_on(q, "e", scope, period, scope.agent_id);
}

fn push_evaluation_scope_for(
    q: &mut QueryBuilder<'_, Sqlite>,
    scope: &Scope,
    period: Period,
    agent_id: Option<i64>,
) {
    push_scope_on(q, "e", scope, period, agent_id);
}

/// The scope's conditions on `alias`: evaluations `e`, or their scores `s`, which carry copies
/// of the same columns (migration 0008).
fn push_scope_on(
    q: &mut QueryBuilder<'_, Sqlite>,
    alias: &str,
    scope: &Scope,
    period: Period,
    agent_id: Option<i64>,
) {
    q.push(format_args!(" {alias}.submitted_day BETWEEN "))
        .push_bind(period.from.to_string())
        .push(" AND ")
        .push_bind(period.to.to_string())
        .push(format_args!(" AND {alias}.status <> 'deleted'"));
    if let Some(agent) = agent_id {
        q.push(format_args!(" AND {alias}.agent_id = "))
            .push_bind(agent);
    }
    if let Some(team) = scope.team {
        q.push(format_args!(
            " AND {alias}.agent_id IN (SELECT u.id FROM users u WHERE u.team_id = "
        ))
        .push_bind(team)
        .push(")");
    }
    if let Some(code) = &scope.service_type {
        q.push(format_args!(" AND {alias}.service_type = "))
            .push_bind(code.clone());
    }
    if let Some(channel) = scope.channel {
        q.push(format_args!(" AND {alias}.channel = "))
            .push_bind(channel.as_str());
    }
    if let Some(kind) = scope.customer_type {
        q.push(format_args!(" AND {alias}.customer_type = "))
            .push_bind(kind.as_str());
    }
}

/// Per-dimension sums of the scores under the scope (over its period), one index range per
/// dimension: `(dimension, answered, sum)` in dimension order. With `by_agent`, per agent and
/// dimension, one range per agent and dimension: `(agent, dimension, answered, sum)`.
pub(crate) fn push_score_sums(
    q: &mut QueryBuilder<'_, Sqlite>,
    scope: &Scope,
    agent_id: Option<i64>,
    by_agent: bool,
) {
    if by_agent {
        q.push(
            "SELECT s.agent_id, s.dimension, COUNT(s.score), SUM(s.score) \
             FROM evaluation_scores s \
             WHERE s.agent_id IN (SELECT id FROM users WHERE role = 'agent') \
             AND s.dimension IN (SELECT code FROM dimensions) AND",
        );
    } else {
        q.push(
            "SELECT s.dimension, COUNT(s.score), SUM(s.score) FROM evaluation_scores s \
             WHERE s.dimension IN (SELECT code FROM dimensions) AND",
        );
    }
    push_scope_on(q, "s", scope, scope.period, agent_id);
    q.push(" AND s.score IS NOT NULL");
    q.push(if by_agent {
        " GROUP BY s.agent_id, s.dimension"
    } else {
        " GROUP BY s.dimension"
    });
}

/// Appends the conditions on service records `r` of the scope over `period`.
pub(crate) fn push_record_scope(q: &mut QueryBuilder<'_, Sqlite>, scope: &Scope, period: Period) {
    let (start, end) = bounds(period);
    q.push(" r.started_at >= ")
        .push_bind(start)
        .push(" AND r.started_at < ")
        .push_bind(end);
    if let Some(agent) = scope.agent_id {
        q.push(" AND r.agent_id = ").push_bind(agent);
    }
    if let Some(team) = scope.team {
        q.push(" AND r.agent_id IN (SELECT u.id FROM users u WHERE u.team_id = ")
            .push_bind(team)
            .push(")");
    }
    if let Some(code) = &scope.service_type {
        q.push(" AND r.service_type = ").push_bind(code.clone());
    }
    if let Some(channel) = scope.channel {
        q.push(" AND r.channel = ").push_bind(channel.as_str());
    }
    if let Some(kind) = scope.customer_type {
        q.push(" AND r.customer_id IN (SELECT c.id FROM users c WHERE c.customer_type = ")
            .push_bind(kind.as_str())
            .push(")");
    }
}

/// Appends what a drill-down adds to the scope.
fn push_drill(
    q: &mut QueryBuilder<'_, Sqlite>,
    drill: &Drill,
    period: Period,
    settings: &Settings,
) {
    if let Some(dimension) = &drill.dimension {
        q.push(
            " AND EXISTS (SELECT 1 FROM evaluation_scores s WHERE s.evaluation_id = e.id \
             AND s.score IS NOT NULL AND s.dimension = ",
        )
        .push_bind(dimension.clone());
        if let Some(score) = drill.score {
            q.push(" AND s.score = ").push_bind(i64::from(score));
        }
        q.push(")");
    }
    if let Some(overall) = drill.overall {
        q.push(" AND e.overall = ").push_bind(i64::from(overall));
    }
    if let Some(tag) = &drill.complaint_tag {
        q.push(
            " AND e.category = 'complaint' \
             AND EXISTS (SELECT 1 FROM service_records r WHERE r.id = e.service_record_id AND ",
        );
        if tag.is_empty() {
            q.push("json_array_length(r.tags) = 0)");
        } else {
            q.push("EXISTS (SELECT 1 FROM json_each(r.tags) j WHERE j.value = ")
                .push_bind(tag.clone())
                .push("))");
        }
    }
    if let Some(word) = &drill.word {
        // The word's evaluations of the period are one index range.
        q.push(" AND e.id IN (SELECT t.evaluation_id FROM evaluation_terms t WHERE t.term = ")
            .push_bind(word.clone())
            .push(" AND t.submitted_day BETWEEN ")
            .push_bind(period.from.to_string())
            .push(" AND ")
            .push_bind(period.to.to_string())
            .push(")");
    }
    if let Some(sentiment) = drill.sentiment {
        push_sentiment(q, sentiment, settings);
    }
}

pub(crate) fn push_sentiment(
    q: &mut QueryBuilder<'_, Sqlite>,
    sentiment: Sentiment,
    settings: &Settings,
) {
    let (low, high) = sentiment.overall_range(settings);
    q.push(" AND e.overall BETWEEN ")
        .push_bind(i64::from(low))
        .push(" AND ")
        .push_bind(i64::from(high));
}

/// A drill-down, checked.
#[derive(Debug, Clone, Default)]
struct Drill {
    dimension: Option<String>,
    score: Option<u8>,
    overall: Option<u8>,
    complaint_tag: Option<String>,
    word: Option<String>,
    sentiment: Option<Sentiment>,
}

fn check_drill(drill: &DrillFilter) -> Result<Drill, AppError> {
    let mut errors = Vec::new();
    if let Some(score) = drill.score
        && !(1..=5).contains(&score)
    {
        errors.push(pingjia_domain::FieldError::new(
            "score",
            "out_of_range",
            "a dimension score is 1 to 5",
        ));
    }
    if let Some(overall) = drill.overall
        && !(1..=10).contains(&overall)
    {
        errors.push(pingjia_domain::FieldError::new(
            "overall",
            "out_of_range",
            "overall satisfaction is 1 to 10",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Drill {
        dimension: blank_to_none(drill.dimension.as_ref()).map(str::to_owned),
        score: drill.score,
        overall: drill.overall,
        complaint_tag: drill.complaint_tag.as_ref().map(|t| t.trim().to_owned()),
        word: blank_to_none(drill.word.as_ref()).map(|w| w.to_lowercase()),
        sentiment: drill.sentiment,
    })
}

// ---------------------------------------------------------------------------------------------
// Shared look-ups

pub(crate) async fn dimension_names(
    conn: &mut SqliteConnection,
) -> Result<Vec<(DimensionName, i64)>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT code, name_zh, name_en, position FROM dimensions ORDER BY position")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name_zh, name_en, position)| {
            (
                DimensionName {
                    code,
                    name_zh,
                    name_en,
                },
                position,
            )
        })
        .collect())
}

/// The dimensions of `codes`, in the library's order.
pub(crate) fn named(
    all: &[(DimensionName, i64)],
    codes: impl Fn(&str) -> bool,
) -> Vec<DimensionName> {
    all.iter()
        .filter(|(d, _)| codes(&d.code))
        .map(|(d, _)| d.clone())
        .collect()
}

pub(crate) async fn team_names(
    conn: &mut SqliteConnection,
) -> Result<HashMap<i64, String>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM teams")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

pub(crate) fn round(value: Option<f64>, places: i32) -> Option<f64> {
    let factor = 10f64.powi(places);
    value.map(|v| (v * factor).round() / factor)
}

pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Options

/// What the filter bar offers.
///
/// Teams, agents (with their team) and service types, and today's default period (the last
/// 30 days), with the thresholds the reports use.
#[utoipa::path(
    get,
    path = "/analytics/options",
    tag = "analytics",
    operation_id = "analytics_options",
    responses((status = 200, description = "The choices", body = AnalyticsOptions))
)]
async fn options(State(state): State<AppState>) -> Result<Json<AnalyticsOptions>, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let teams: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM teams ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    let agents: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT employee_no, display_name, team_id FROM users
         WHERE role = 'agent' AND employee_no IS NOT NULL ORDER BY employee_no",
    )
    .fetch_all(&mut *conn)
    .await?;
    let types: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name_zh, name_en FROM service_types ORDER BY position")
            .fetch_all(&mut *conn)
            .await?;
    Ok(Json(AnalyticsOptions {
        teams: teams
            .into_iter()
            .map(|(id, name)| OptionItem {
                value: id.to_string(),
                name_zh: name.clone(),
                name_en: name,
                team_id: Some(id),
            })
            .collect(),
        agents: agents
            .into_iter()
            .map(|(no, name, team_id)| OptionItem {
                name_zh: format!("{name}（{no}）"),
                name_en: format!("{name} ({no})"),
                value: no,
                team_id,
            })
            .collect(),
        service_types: types
            .into_iter()
            .map(|(code, name_zh, name_en)| OptionItem {
                value: code,
                name_zh,
                name_en,
                team_id: None,
            })
            .collect(),
        default_period: AnalyticsFilter::default()
            .period(org_day(state.clock.now()))
            .map_err(AppError::Validation)?,
        satisfaction_threshold: settings.satisfaction_threshold,
        callback_threshold: settings.callback_threshold,
    }))
}

// ---------------------------------------------------------------------------------------------
// KPIs

#[derive(sqlx::FromRow)]
pub(crate) struct EvaluationSums {
    evaluations: i64,
    total_sum: f64,
    attained: i64,
    flagged: i64,
}

impl EvaluationSums {
    pub(crate) fn totals(&self) -> EvaluationTotals {
        EvaluationTotals {
            count: count(self.evaluations),
            total_score_sum: self.total_sum,
            attained: count(self.attained),
        }
    }
}

pub(crate) async fn evaluation_sums(
    conn: &mut SqliteConnection,
    scope: &Scope,
    period: Period,
    settings: &Settings,
) -> Result<EvaluationSums, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT COUNT(*) AS evaluations, COALESCE(SUM(e.total_score), 0.0) AS total_sum, \
         COALESCE(SUM(CASE WHEN e.overall >= ",
    );
    q.push_bind(i64::from(settings.satisfaction_threshold))
        .push(" THEN 1 ELSE 0 END), 0) AS attained, 0 AS flagged FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, scope, period);
    let mut sums: EvaluationSums = q.build_query_as().fetch_one(&mut *conn).await?;
    // Flags are few: read from their side, not probed for every evaluation of the period.
    let mut q = QueryBuilder::new(
        "SELECT COUNT(DISTINCT f.evaluation_id) FROM evaluation_flags f \
         CROSS JOIN evaluations e ON e.id = f.evaluation_id WHERE",
    );
    push_evaluation_scope(&mut q, scope, period);
    sums.flagged = q.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok(sums)
}

#[derive(sqlx::FromRow)]
struct RecordSums {
    records: i64,
    on_time: i64,
    first_contact: i64,
    resolved: i64,
    handling_minutes: f64,
}

pub(crate) async fn record_totals(
    conn: &mut SqliteConnection,
    scope: &Scope,
    period: Period,
    settings: &Settings,
) -> Result<RecordTotals, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT COUNT(*) AS records, \
         COALESCE(SUM(CASE WHEN r.response_seconds \
                 <= 60 * CASE r.urgency WHEN 'high' THEN ",
    );
    q.push_bind(i64::from(settings.sla_high_minutes))
        .push(" WHEN 'normal' THEN ")
        .push_bind(i64::from(settings.sla_normal_minutes))
        .push(" ELSE ")
        .push_bind(i64::from(settings.sla_low_minutes))
        .push(
            " END THEN 1 ELSE 0 END), 0) AS on_time, \
             COALESCE(SUM(r.resolved_first_contact), 0) AS first_contact, \
             COUNT(r.handling_seconds) AS resolved, \
             COALESCE(SUM(r.handling_seconds) / 60.0, 0.0) AS handling_minutes \
             FROM service_records r WHERE",
        );
    push_record_scope(&mut q, scope, period);
    let sums: RecordSums = q.build_query_as().fetch_one(conn).await?;
    Ok(RecordTotals {
        records: count(sums.records),
        on_time: count(sums.on_time),
        first_contact: count(sums.first_contact),
        resolved: count(sums.resolved),
        handling_minutes_sum: sums.handling_minutes,
    })
}

async fn open_appeals(
    conn: &mut SqliteConnection,
    scope: &Scope,
    period: Period,
) -> Result<u64, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT COUNT(*) FROM appeals a JOIN evaluations e ON e.id = a.evaluation_id \
         WHERE a.status = 'pending' AND",
    );
    push_evaluation_scope(&mut q, scope, period);
    let n: i64 = q.build_query_scalar().fetch_one(conn).await?;
    Ok(count(n))
}

/// The KPI cards.
///
/// Each with its value in the period before, of the same length: evaluations, average total
/// score (1-5), satisfaction attainment rate (overall ≥ the threshold, 8), response on-time
/// rate (first response within the SLA of the urgency), first-contact resolution rate,
/// average handling time (minutes from request to resolution), appeals awaiting a decision
/// now and flagged evaluations. Rates are fractions.
#[utoipa::path(
    get,
    path = "/analytics/kpis",
    tag = "analytics",
    operation_id = "analytics_kpis",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The KPIs", body = KpiReport),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period is backwards or too long, or an agent, team or service type is unknown", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn kpis(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<KpiReport>, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    let previous = scope.period.previous();
    let report = kpi_report(&mut conn, &scope, previous, &settings, state.clock.now()).await?;
    Ok(Json(report))
}

/// The KPI cards of a scope against `previous` (the dashboard's: the period of the same length
/// before; a report's: the week or month before).
pub(crate) async fn kpi_report(
    conn: &mut SqliteConnection,
    scope: &Scope,
    previous: Period,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<KpiReport, sqlx::Error> {
    let period = scope.period;
    let now_sums = evaluation_sums(conn, scope, period, settings).await?;
    let before = evaluation_sums(conn, scope, previous, settings).await?;
    let records_now = record_totals(conn, scope, period, settings).await?;
    let records_before = record_totals(conn, scope, previous, settings).await?;
    let appeals = open_appeals(conn, scope, period).await?;
    let (e_now, e_before) = (now_sums.totals(), before.totals());
    let kpi = |value: Option<f64>, previous: Option<f64>| Kpi { value, previous };
    Ok(KpiReport {
        period,
        previous_period: previous,
        evaluations: kpi(Some(e_now.count as f64), Some(e_before.count as f64)),
        average_total: kpi(
            round(e_now.average_total(), 2),
            round(e_before.average_total(), 2),
        ),
        attainment_rate: kpi(
            round(e_now.attainment_rate(), 4),
            round(e_before.attainment_rate(), 4),
        ),
        on_time_rate: kpi(
            round(records_now.on_time_rate(), 4),
            round(records_before.on_time_rate(), 4),
        ),
        first_contact_rate: kpi(
            round(records_now.first_contact_rate(), 4),
            round(records_before.first_contact_rate(), 4),
        ),
        average_handling_minutes: kpi(
            round(records_now.average_handling_minutes(), 1),
            round(records_before.average_handling_minutes(), 1),
        ),
        open_appeals: kpi(Some(appeals as f64), None),
        flagged: kpi(Some(now_sums.flagged as f64), Some(before.flagged as f64)),
        generated_at: now,
    })
}

// ---------------------------------------------------------------------------------------------
// Trend

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// `day` (default), `week` (Monday to Sunday) or `month`.
    granularity: Option<Granularity>,
}

/// The score trend.
///
/// Mean total score per day, week or month of the period, overall and per team; buckets at
/// the ends are cut to the period.
#[utoipa::path(
    get,
    path = "/analytics/trend",
    tag = "analytics",
    operation_id = "analytics_trend",
    params(AnalyticsFilter, TrendParams),
    responses(
        (status = 200, description = "The trend", body = TrendReport),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The filter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn trend(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(params): Query<TrendParams>,
) -> Result<Json<TrendReport>, AppError> {
    let granularity = params.granularity.unwrap_or_default();
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    let buckets = scope.period.buckets(granularity);
    let mut q = QueryBuilder::new(
        "SELECT e.submitted_day, e.agent_id, COUNT(*), SUM(e.total_score) \
         FROM evaluations e WHERE",
    );
    push_evaluation_scope(&mut q, &scope, scope.period);
    q.push(" GROUP BY e.submitted_day, e.agent_id");
    let rows: Vec<(String, i64, i64, f64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let names = team_names(&mut conn).await?;
    let agent_teams: HashMap<i64, Option<i64>> =
        sqlx::query_as("SELECT id, team_id FROM users WHERE role = 'agent'")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();

    let n = buckets.len();
    let mut overall = (vec![0u64; n], vec![0f64; n]);
    let mut teams: BTreeMap<i64, (Vec<u64>, Vec<f64>)> = BTreeMap::new();
    for (day, agent, evaluations, sum) in rows {
        let team = agent_teams.get(&agent).copied().flatten();
        let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|e| AppError::Internal(format!("trend day {day}: {e}")))?;
        let Some(index) = buckets.iter().position(|b| b.from <= day && day <= b.to) else {
            continue;
        };
        overall.0[index] += count(evaluations);
        overall.1[index] += sum;
        if let Some(team) = team {
            let slot = teams
                .entry(team)
                .or_insert_with(|| (vec![0; n], vec![0.0; n]));
            slot.0[index] += count(evaluations);
            slot.1[index] += sum;
        }
    }
    let series =
        |team_id: Option<i64>, name: String, (counts, sums): (Vec<u64>, Vec<f64>)| TrendSeries {
            team_id,
            name,
            averages: counts
                .iter()
                .zip(&sums)
                .map(|(&c, &s)| round(mean(s, c), 2))
                .collect(),
            counts,
        };
    let mut team_series: Vec<TrendSeries> = teams
        .into_iter()
        .map(|(id, data)| series(Some(id), names.get(&id).cloned().unwrap_or_default(), data))
        .collect();
    team_series.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Json(TrendReport {
        period: scope.period,
        granularity,
        buckets,
        overall: series(None, String::new(), overall),
        teams: team_series,
    }))
}

// ---------------------------------------------------------------------------------------------
// Dimensions and segments

/// The dimension ranking.
///
/// Mean score of each dimension answered in the period, strongest first; `weak` under 3.
#[utoipa::path(
    get,
    path = "/analytics/dimensions",
    tag = "analytics",
    operation_id = "analytics_dimensions",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The ranking", body = DimensionReport),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The filter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn dimensions(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<DimensionReport>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    let mut q = QueryBuilder::new("");
    push_score_sums(&mut q, &scope, scope.agent_id, false);
    let rows: Vec<(String, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let names = dimension_names(&mut conn).await?;
    let stats = rows
        .into_iter()
        .filter_map(|(code, answered, sum)| {
            let (dimension, _) = names.iter().find(|(d, _)| d.code == code)?;
            Some(DimensionStat {
                dimension: dimension.clone(),
                average: round(mean(sum as f64, count(answered)), 2)?,
                count: count(answered),
                weak: false,
            })
        })
        .collect();
    Ok(Json(DimensionReport {
        period: scope.period,
        dimensions: rank_dimensions(stats),
    }))
}

/// Customer type, channel, dimension, answers, sum of the scores.
type SegmentRow = (Option<String>, Option<String>, String, i64, i64);

/// Customer types and channels per dimension.
///
/// Mean score of each dimension for new, returning and member customers, and for online and
/// offline service; the customer's type as it was when they rated.
#[utoipa::path(
    get,
    path = "/analytics/segments",
    tag = "analytics",
    operation_id = "analytics_segments",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The segments", body = SegmentReport),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The filter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn segments(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<SegmentReport>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    // One pass in index order per dimension, the groups as conditional sums.
    let segments: Vec<(&str, &str)> = CustomerType::ALL
        .iter()
        .map(|k| ("customer_type", k.as_str()))
        .chain(Channel::ALL.iter().map(|c| ("channel", c.as_str())))
        .collect();
    let mut q = QueryBuilder::new("SELECT s.dimension");
    for (column, value) in &segments {
        q.push(format_args!(
            ", COALESCE(SUM(CASE WHEN s.{column} = '{value}' THEN 1 END), 0), \
             COALESCE(SUM(CASE WHEN s.{column} = '{value}' THEN s.score END), 0)"
        ));
    }
    q.push(" FROM evaluation_scores s WHERE s.dimension IN (SELECT code FROM dimensions) AND");
    push_scope_on(&mut q, "s", &scope, scope.period, scope.agent_id);
    q.push(" AND s.score IS NOT NULL GROUP BY s.dimension");
    let raw = q.build().fetch_all(&mut *conn).await?;
    let mut rows: Vec<SegmentRow> = Vec::new();
    for row in &raw {
        let dimension: String = row.try_get(0)?;
        for (i, (column, value)) in segments.iter().enumerate() {
            let answered: i64 = row.try_get(1 + 2 * i)?;
            let sum: i64 = row.try_get(2 + 2 * i)?;
            if answered > 0 {
                let (kind, channel) = if *column == "customer_type" {
                    (Some((*value).to_owned()), None)
                } else {
                    (None, Some((*value).to_owned()))
                };
                rows.push((kind, channel, dimension.clone(), answered, sum));
            }
        }
    }
    let mut q =
        QueryBuilder::new("SELECT e.customer_type, e.channel, COUNT(*) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, &scope, scope.period);
    q.push(" GROUP BY e.customer_type, e.channel");
    let counts: Vec<(Option<String>, Option<String>, i64)> =
        q.build_query_as().fetch_all(&mut *conn).await?;
    let names = dimension_names(&mut conn).await?;
    let dims = named(&names, |code| rows.iter().any(|r| r.2 == code));

    // (segment, dimension) → (answered, sum)
    let mut sums: HashMap<(&str, &str), (u64, f64)> = HashMap::new();
    for (kind, channel, dimension, answered, sum) in &rows {
        for segment in [kind.as_deref(), channel.as_deref()].into_iter().flatten() {
            let slot = sums.entry((segment, dimension.as_str())).or_default();
            slot.0 += count(*answered);
            slot.1 += *sum as f64;
        }
    }
    let mut evaluations: HashMap<&str, u64> = HashMap::new();
    for (kind, channel, n) in &counts {
        for segment in [kind.as_deref(), channel.as_deref()].into_iter().flatten() {
            *evaluations.entry(segment).or_default() += count(*n);
        }
    }
    let series = |segment: &str| SegmentSeries {
        segment: segment.to_owned(),
        averages: dims
            .iter()
            .map(|d| {
                let (answered, sum) = sums
                    .get(&(segment, d.code.as_str()))
                    .copied()
                    .unwrap_or_default();
                round(mean(sum, answered), 2)
            })
            .collect(),
        count: evaluations.get(segment).copied().unwrap_or(0),
    };
    Ok(Json(SegmentReport {
        period: scope.period,
        customer_types: CustomerType::ALL
            .iter()
            .map(|k| series(k.as_str()))
            .collect(),
        channels: Channel::ALL.iter().map(|c| series(c.as_str())).collect(),
        dimensions: dims,
    }))
}

// ---------------------------------------------------------------------------------------------
// Distribution

/// The score distribution and the complaints by tag.
///
/// How many evaluations gave each overall score (1-10), and the evaluations of complaint
/// records (category 投诉) by the record's tags: a complaint with two tags counts in both, one
/// without a tag under "".
#[utoipa::path(
    get,
    path = "/analytics/distribution",
    tag = "analytics",
    operation_id = "analytics_distribution",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The distribution", body = DistributionReport),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The filter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn distribution(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<DistributionReport>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    let mut q = QueryBuilder::new("SELECT e.overall, COUNT(*) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, &scope, scope.period);
    q.push(" GROUP BY e.overall");
    let rows: Vec<(i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut overall = vec![0u64; 10];
    for (score, n) in rows {
        if let Some(slot) = usize::try_from(score - 1)
            .ok()
            .and_then(|i| overall.get_mut(i))
        {
            *slot = count(n);
        }
    }
    let (complaints, complaint_tags) = complaint_tags(&mut conn, &scope).await?;
    Ok(Json(DistributionReport {
        period: scope.period,
        overall,
        complaints,
        complaint_tags,
    }))
}

/// The complaint evaluations of the scope (category 投诉) and their records' tags, largest
/// first (a complaint with two tags counts in both, one without a tag under "").
pub(crate) async fn complaint_tags(
    conn: &mut SqliteConnection,
    scope: &Scope,
) -> Result<(u64, Vec<TagCount>), sqlx::Error> {
    let mut q =
        QueryBuilder::new("SELECT COUNT(*) FROM evaluations e WHERE e.category = 'complaint' AND");
    push_evaluation_scope(&mut q, scope, scope.period);
    let complaints: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut q = QueryBuilder::new(
        "SELECT COALESCE(j.value, '') AS tag, COUNT(*) AS n FROM evaluations e \
         JOIN service_records r ON r.id = e.service_record_id \
         LEFT JOIN json_each(r.tags) j \
         WHERE e.category = 'complaint' AND",
    );
    push_evaluation_scope(&mut q, scope, scope.period);
    q.push(" GROUP BY tag ORDER BY n DESC, tag");
    let tags: Vec<(String, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok((
        count(complaints),
        tags.into_iter()
            .map(|(tag, n)| TagCount {
                tag,
                count: count(n),
            })
            .collect(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Agents

/// The agent leaderboard and radars.
///
/// Every agent with evaluations under the filter (only the chosen one with an agent filter),
/// best mean total score first, with their per-dimension means; and each of their teams'
/// per-dimension means over all the team's agents (the agent filter does not narrow those).
#[utoipa::path(
    get,
    path = "/analytics/agents",
    tag = "analytics",
    operation_id = "analytics_agents",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The agents", body = AgentReport),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The filter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn agents(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<AgentReport>, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    let mut q = QueryBuilder::new(
        "SELECT e.agent_id, COUNT(*), SUM(e.total_score), SUM(e.overall), \
         SUM(CASE WHEN e.overall >= ",
    );
    q.push_bind(i64::from(settings.satisfaction_threshold))
        .push(" THEN 1 ELSE 0 END) FROM evaluations e WHERE");
    push_evaluation_scope_for(&mut q, &scope, scope.period, None);
    q.push(" GROUP BY e.agent_id");
    let totals: Vec<(i64, i64, f64, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut q = QueryBuilder::new("");
    push_score_sums(&mut q, &scope, None, true);
    let dims_rows: Vec<(i64, String, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let people: Vec<(i64, Option<String>, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, employee_no, display_name, team_id FROM users WHERE employee_no IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    let people: HashMap<i64, (String, String, Option<i64>)> = people
        .into_iter()
        .map(|(id, no, name, team)| (id, (no.unwrap_or_default(), name, team)))
        .collect();
    let teams = team_names(&mut conn).await?;
    let names = dimension_names(&mut conn).await?;
    let dims = named(&names, |code| dims_rows.iter().any(|r| r.1 == code));
    let index: HashMap<&str, usize> = dims
        .iter()
        .enumerate()
        .map(|(i, d)| (d.code.as_str(), i))
        .collect();

    // agent → per dimension (answered, sum); team → the same over its agents.
    let mut agent_dims: HashMap<i64, Vec<(u64, f64)>> = HashMap::new();
    let mut team_dims: BTreeMap<i64, Vec<(u64, f64)>> = BTreeMap::new();
    for (agent, code, answered, sum) in &dims_rows {
        let Some(&i) = index.get(code.as_str()) else {
            continue;
        };
        let slot = agent_dims
            .entry(*agent)
            .or_insert_with(|| vec![(0, 0.0); dims.len()]);
        slot[i].0 += count(*answered);
        slot[i].1 += *sum as f64;
        if let Some(team) = people.get(agent).and_then(|p| p.2) {
            let slot = team_dims
                .entry(team)
                .or_insert_with(|| vec![(0, 0.0); dims.len()]);
            slot[i].0 += count(*answered);
            slot[i].1 += *sum as f64;
        }
    }
    let means = |sums: Option<&Vec<(u64, f64)>>| -> Vec<Option<f64>> {
        (0..dims.len())
            .map(|i| {
                sums.and_then(|s| s.get(i))
                    .and_then(|&(answered, sum)| round(mean(sum, answered), 2))
            })
            .collect()
    };
    let mut agents: Vec<AgentStat> = totals
        .iter()
        .filter(|(agent, ..)| scope.agent_id.is_none_or(|only| only == *agent))
        .map(|&(agent, n, total_sum, overall_sum, attained)| {
            let (no, name, team) = people.get(&agent).cloned().unwrap_or_default();
            AgentStat {
                agent_no: no,
                name,
                team_id: team,
                team_name: team.and_then(|t| teams.get(&t).cloned()),
                count: count(n),
                average_total: round(mean(total_sum, count(n)), 2),
                average_overall: round(mean(overall_sum as f64, count(n)), 2),
                attainment_rate: round(rate(count(attained), count(n)), 4),
                dimensions: means(agent_dims.get(&agent)),
            }
        })
        .collect();
    agents.sort_by(|a, b| {
        b.average_total
            .unwrap_or(0.0)
            .total_cmp(&a.average_total.unwrap_or(0.0))
            .then(b.count.cmp(&a.count))
            .then_with(|| a.agent_no.cmp(&b.agent_no))
    });
    let shown_teams: Vec<i64> = {
        let mut ids: Vec<i64> = agents.iter().filter_map(|a| a.team_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    Ok(Json(AgentReport {
        period: scope.period,
        teams: shown_teams
            .into_iter()
            .map(|id| TeamAverages {
                team_id: Some(id),
                name: teams.get(&id).cloned().unwrap_or_default(),
                dimensions: means(team_dims.get(&id)),
            })
            .collect(),
        agents,
        dimensions: dims,
    }))
}

// ---------------------------------------------------------------------------------------------
// Words

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WordParams {
    /// `complaints` (default: overall at or below the callback threshold, 6) or `praise`
    /// (at or above the satisfaction threshold, 8).
    sentiment: Option<Sentiment>,
}

/// The word cloud.
///
/// The most frequent terms of the suggestions under the filter, counted once per evaluation:
/// Chinese segmented with jieba-rs, English words lower-cased, single characters, numbers,
/// the built-in stop words and the admins' stop words left out.
#[utoipa::path(
    get,
    path = "/analytics/words",
    tag = "analytics",
    operation_id = "analytics_words",
    params(AnalyticsFilter, WordParams),
    responses(
        (status = 200, description = "The terms", body = WordReport),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The filter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn words(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(params): Query<WordParams>,
) -> Result<Json<WordReport>, AppError> {
    let sentiment = params.sentiment.unwrap_or_default();
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    let terms = top_terms(&mut conn, &scope, sentiment, &settings, MAX_TERMS).await?;
    let mut q = QueryBuilder::new("SELECT COUNT(*) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, &scope, scope.period);
    push_sentiment(&mut q, sentiment, &settings);
    q.push(" AND e.suggestion IS NOT NULL");
    let read: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok(Json(WordReport {
        period: scope.period,
        sentiment,
        evaluations: count(read),
        terms,
    }))
}

/// The `limit` most frequent terms of the scope's suggestions of a sentiment, counted once
/// per evaluation, stop words left out.
pub(crate) async fn top_terms(
    conn: &mut SqliteConnection,
    scope: &Scope,
    sentiment: Sentiment,
    settings: &Settings,
    limit: usize,
) -> Result<Vec<TermCount>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT t.term, COUNT(*) AS n \
         FROM evaluations e CROSS JOIN evaluation_terms t ON t.evaluation_id = e.id WHERE",
    );
    push_evaluation_scope(&mut q, scope, scope.period);
    push_sentiment(&mut q, sentiment, settings);
    q.push(" AND t.term NOT IN (SELECT w.word FROM stop_words w)")
        .push(" GROUP BY t.term ORDER BY n DESC, t.term LIMIT ")
        .push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let rows: Vec<(String, i64)> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(term, n)| TermCount {
            term,
            count: count(n),
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The evaluations behind a chart

const ROW_SELECT: &str = "SELECT e.id, e.number, e.submitted_at, a.employee_no AS agent_no, \
     a.display_name AS agent_name, tm.name AS team_name, e.service_type, \
     st.name_zh AS type_name_zh, st.name_en AS type_name_en, e.channel, e.customer_type, \
     e.total_score, e.overall, e.suggestion, e.status, \
     (SELECT group_concat(s.position || ':' || s.dimension || ':' || COALESCE(s.score, ''), ',') \
      FROM evaluation_scores s WHERE s.evaluation_id = e.id) AS scores, \
     (SELECT group_concat(f.rule, ',') FROM evaluation_flags f WHERE f.evaluation_id = e.id) \
      AS flags \
     FROM evaluations e \
     JOIN users a ON a.id = e.agent_id \
     LEFT JOIN teams tm ON tm.id = a.team_id \
     JOIN service_types st ON st.code = e.service_type \
     WHERE";

/// The scores of an evaluation as `ROW_SELECT` concatenates them (`position:code:score,…`):
/// `(dimension code, score)` in the evaluation's order.
pub(crate) fn parse_scores(concat: Option<&str>) -> Vec<(String, Option<u8>)> {
    let mut scores: Vec<(i64, String, Option<u8>)> = concat
        .unwrap_or_default()
        .split(',')
        .filter_map(|part| {
            let mut fields = part.splitn(3, ':');
            let position = fields.next()?.parse().ok()?;
            let code = fields.next()?.to_owned();
            let score = fields.next()?.parse().ok();
            Some((position, code, score))
        })
        .collect();
    scores.sort_by_key(|s| s.0);
    scores
        .into_iter()
        .map(|(_, code, score)| (code, score))
        .collect()
}

/// [`parse_scores`] with the dimensions' names.
pub(crate) fn named_scores(
    concat: Option<&str>,
    names: &[(DimensionName, i64)],
) -> Vec<AnalyticsScore> {
    parse_scores(concat)
        .into_iter()
        .map(|(code, score)| {
            let name = names.iter().find(|(d, _)| d.code == code).map(|(d, _)| d);
            AnalyticsScore {
                name_zh: name.map_or_else(|| code.clone(), |d| d.name_zh.clone()),
                name_en: name.map_or_else(|| code.clone(), |d| d.name_en.clone()),
                dimension: code,
                score,
            }
        })
        .collect()
}

/// The SQL of [`parse_scores`]' input for the evaluation `e`.
pub(crate) const SCORES_CONCAT: &str = "(SELECT group_concat(s.position || ':' || s.dimension \
     || ':' || COALESCE(s.score, ''), ',') FROM evaluation_scores s WHERE s.evaluation_id = e.id)";

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: i64,
    number: String,
    submitted_at: String,
    agent_no: Option<String>,
    agent_name: String,
    team_name: Option<String>,
    service_type: String,
    type_name_zh: String,
    type_name_en: String,
    channel: Option<String>,
    customer_type: Option<String>,
    total_score: f64,
    overall: i64,
    suggestion: Option<String>,
    status: String,
    scores: Option<String>,
    flags: Option<String>,
}

impl Row {
    /// `(dimension code, score)` in the evaluation's order.
    pub(crate) fn scores(&self) -> Vec<(String, Option<u8>)> {
        parse_scores(self.scores.as_deref())
    }

    fn flags(&self) -> Vec<AnomalyRule> {
        let mut flags: Vec<AnomalyRule> = self
            .flags
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(AnomalyRule::parse)
            .collect();
        flags.sort();
        flags.dedup();
        flags
    }

    fn into_evaluation(
        self,
        names: &[(DimensionName, i64)],
    ) -> Result<AnalyticsEvaluation, sqlx::Error> {
        let scores = named_scores(self.scores.as_deref(), names);
        let flags = self.flags();
        let channel = self
            .channel
            .as_deref()
            .and_then(Channel::parse)
            .ok_or_else(|| sqlx::Error::Decode(format!("channel of {}", self.number).into()))?;
        Ok(AnalyticsEvaluation {
            id: self.id,
            submitted_at: from_db(&self.submitted_at)?,
            agent_no: self.agent_no.unwrap_or_default(),
            agent_name: self.agent_name,
            team_name: self.team_name,
            service_type: self.service_type,
            service_type_name_zh: self.type_name_zh,
            service_type_name_en: self.type_name_en,
            channel,
            customer_type: self.customer_type.as_deref().and_then(CustomerType::parse),
            total_score: self.total_score,
            overall: u8::try_from(self.overall).unwrap_or(0),
            scores,
            suggestion: self.suggestion,
            flags,
            status: self.status,
            number: self.number,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 25)]
    per_page: Option<u32>,
}

/// The evaluations behind a chart element.
///
/// The evaluations under the filter narrowed by what was clicked (a dimension and score, an
/// overall score, a complaint tag, a word), newest first, a page at a time.
#[utoipa::path(
    get,
    path = "/analytics/evaluations",
    tag = "analytics",
    operation_id = "analytics_evaluations",
    params(AnalyticsFilter, DrillFilter, PageParams),
    responses(
        (status = 200, description = "A page of evaluations", body = AnalyticsEvaluationPage),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The filter, drill-down or paging is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn evaluations(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(drill): Query<DrillFilter>,
    Query(paging): Query<PageParams>,
) -> Result<Json<AnalyticsEvaluationPage>, AppError> {
    let page = paging.page.unwrap_or(1);
    let per_page = paging.per_page.unwrap_or(DEFAULT_PER_PAGE);
    crate::api::moderation::check_paging(page, per_page, MAX_PER_PAGE, None, None)?;
    let drill = check_drill(&drill)?;
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    let mut q = QueryBuilder::new("SELECT COUNT(*) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, &scope, scope.period);
    push_drill(&mut q, &drill, scope.period, &settings);
    let total: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut q = QueryBuilder::new(ROW_SELECT);
    push_evaluation_scope(&mut q, &scope, scope.period);
    push_drill(&mut q, &drill, scope.period, &settings);
    q.push(" ORDER BY e.submitted_at DESC, e.id DESC LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(per_page));
    let rows: Vec<Row> = q.build_query_as().fetch_all(&mut *conn).await?;
    let names = dimension_names(&mut conn).await?;
    let evaluations = rows
        .into_iter()
        .map(|row| row.into_evaluation(&names))
        .collect::<Result<_, _>>()?;
    Ok(Json(AnalyticsEvaluationPage {
        evaluations,
        total: count(total),
        page,
        per_page,
    }))
}

fn channel_label(channel: Option<&str>) -> &'static str {
    match channel {
        Some("online") => "线上",
        Some("offline") => "线下",
        _ => "",
    }
}

fn customer_type_label(kind: Option<&str>) -> &'static str {
    match kind {
        Some("new") => "新客",
        Some("returning") => "老客",
        Some("member") => "会员",
        _ => "",
    }
}

/// Rows sent per chunk of the CSV.
const CSV_CHUNK_ROWS: usize = 500;

/// The evaluations as CSV.
///
/// Every evaluation under the filter and drill-down, newest first, one row each: number,
/// time (organisation zone), agent, team, service type, channel, customer type, a column per
/// dimension, total, overall, suggestion, flags and status. UTF-8 with a BOM (Excel reads the
/// Chinese), streamed as it is read; cells starting with `=`, `+`, `-`, `@` or a tab are
/// neutralised against formula injection.
#[utoipa::path(
    get,
    path = "/analytics/evaluations.csv",
    tag = "analytics",
    operation_id = "analytics_evaluations_csv",
    params(AnalyticsFilter, DrillFilter),
    responses(
        (status = 200, description = "The evaluations", content_type = "text/csv"),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The filter or drill-down is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn evaluations_csv(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(drill): Query<DrillFilter>,
) -> Result<Response, AppError> {
    let drill = check_drill(&drill)?;
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(&state, &mut conn, &filter).await?;
    let names = dimension_names(&mut conn).await?;
    let filename = format!(
        "pingjia-evaluations-{}-{}.csv",
        scope.period.from, scope.period.to
    );
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        let sent = write_csv(&mut conn, &scope, &drill, &settings, &names, &sender).await;
        if let Err(error) = sent {
            tracing::error!(%error, "streaming the evaluations CSV failed");
            // Ends the body with an error, so the download is seen to fail, not cut short.
            let _ = sender
                .send(Err(std::io::Error::other(error.to_string())))
                .await;
        }
    });
    // Fused: the compression layer may poll once more after the end.
    let stream = futures_util::StreamExt::fuse(futures_util::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|chunk| (chunk, receiver)) },
    ));
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

async fn write_csv(
    conn: &mut SqliteConnection,
    scope: &Scope,
    drill: &Drill,
    settings: &Settings,
    names: &[(DimensionName, i64)],
    sender: &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header: Vec<String> = [
        "评价编号 Number",
        "提交时间 Submitted",
        "工号 Agent no",
        "服务人员 Agent",
        "团队 Team",
        "服务类型 Service type",
        "渠道 Channel",
        "客户类型 Customer type",
    ]
    .map(String::from)
    .to_vec();
    header.extend(
        names
            .iter()
            .map(|(d, _)| format!("{} {}", d.name_zh, d.name_en)),
    );
    header.extend(
        [
            "总分 Total",
            "总体满意度 Overall",
            "建议 Suggestion",
            "异常标记 Flags",
            "状态 Status",
        ]
        .map(String::from),
    );
    writer.write_record(&header)?;
    let mut q = QueryBuilder::new(ROW_SELECT);
    push_evaluation_scope(&mut q, scope, scope.period);
    push_drill(&mut q, drill, scope.period, settings);
    q.push(" ORDER BY e.submitted_at DESC, e.id DESC");
    let mut rows = q.build_query_as::<Row>().fetch(conn);
    let mut pending = 0;
    while let Some(row) = rows.try_next().await? {
        let scores: HashMap<String, Option<u8>> = row.scores().into_iter().collect();
        let submitted = from_db(&row.submitted_at)?
            .with_timezone(&org_zone())
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        let mut record = vec![
            safe_cell(&row.number),
            submitted,
            safe_cell(row.agent_no.as_deref().unwrap_or_default()),
            safe_cell(&row.agent_name),
            safe_cell(row.team_name.as_deref().unwrap_or_default()),
            safe_cell(&row.type_name_zh),
            channel_label(row.channel.as_deref()).to_owned(),
            customer_type_label(row.customer_type.as_deref()).to_owned(),
        ];
        record.extend(names.iter().map(|(d, _)| {
            scores
                .get(&d.code)
                .copied()
                .flatten()
                .map(|s| s.to_string())
                .unwrap_or_default()
        }));
        record.extend([
            format!("{:.1}", row.total_score),
            row.overall.to_string(),
            safe_cell(row.suggestion.as_deref().unwrap_or_default()),
            row.flags()
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            row.status.clone(),
        ]);
        writer.write_record(&record)?;
        pending += 1;
        if pending == CSV_CHUNK_ROWS {
            pending = 0;
            let full = std::mem::replace(&mut writer, csv::Writer::from_writer(Vec::new()));
            let chunk = full.into_inner().map_err(|e| anyhow::anyhow!("CSV: {e}"))?;
            if sender.send(Ok(Bytes::from(chunk))).await.is_err() {
                return Ok(()); // the client went away
            }
        }
    }
    let rest = writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("CSV: {e}"))?;
    let _ = sender.send(Ok(Bytes::from(rest))).await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Stop words

#[derive(sqlx::FromRow)]
struct StopWordRow {
    word: String,
    added_by: String,
    added_at: String,
}

impl StopWordRow {
    fn into_word(self) -> Result<StopWord, sqlx::Error> {
        Ok(StopWord {
            added_at: from_db(&self.added_at)?,
            word: self.word,
            added_by: self.added_by,
        })
    }
}

const STOP_WORD_SELECT: &str = "SELECT w.word, u.display_name AS added_by, w.added_at \
     FROM stop_words w JOIN users u ON u.id = w.added_by";

/// The stop words admins added.
///
/// Besides the built-in lists (`server/data/stopwords-*.txt`), alphabetical.
#[utoipa::path(
    get,
    path = "/analytics/stop-words",
    tag = "analytics",
    operation_id = "list_stop_words",
    responses((status = 200, description = "The words", body = [StopWord]))
)]
async fn list_stop_words(State(state): State<AppState>) -> Result<Json<Vec<StopWord>>, AppError> {
    let rows: Vec<StopWordRow> = sqlx::query_as(&format!("{STOP_WORD_SELECT} ORDER BY w.word"))
        .fetch_all(&state.pool)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(StopWordRow::into_word)
            .collect::<Result<_, _>>()?,
    ))
}

/// Leave a word out of the word cloud.
///
/// Trimmed and lower-cased; takes effect at once. Audited (`stop_word.added`).
#[utoipa::path(
    post,
    path = "/analytics/stop-words",
    tag = "analytics",
    operation_id = "add_stop_word",
    request_body = NewStopWord,
    responses(
        (status = 201, description = "Added", body = StopWord),
        (status = 400, description = "The body is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The word is already a stop word (`stop_word_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Blank, too long, several words or built in", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn add_stop_word(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<NewStopWord>,
) -> Result<(StatusCode, Json<StopWord>), AppError> {
    let word = body.check().map_err(AppError::Validation)?;
    if is_builtin_stop_word(&word) {
        return Err(AppError::field(
            "word",
            "builtin",
            format!("{word:?} is already in the built-in list"),
        ));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    sqlx::query("INSERT INTO stop_words (word, added_by, added_at) VALUES (?, ?, ?)")
        .bind(&word)
        .bind(caller.id)
        .bind(to_db(now))
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                Coded::conflict(
                    "stop_word_exists",
                    format!("{word:?} is already a stop word"),
                )
                .into()
            } else {
                AppError::Database(e)
            }
        })?;
    let entry = Entry::new(now, Action::StopWordAdded)
        .by(Actor::user(&caller, ip))
        .on("stop_word", &word);
    audit::record(&mut *tx, &entry).await?;
    let row: StopWordRow = sqlx::query_as(&format!("{STOP_WORD_SELECT} WHERE w.word = ?"))
        .bind(&word)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into_word()?)))
}

/// Let a word back into the word cloud.
///
/// The word as listed (percent-encoded in the path). Audited (`stop_word.removed`).
#[utoipa::path(
    delete,
    path = "/analytics/stop-words/{word}",
    tag = "analytics",
    operation_id = "remove_stop_word",
    params(("word" = String, Path, description = "The word, e.g. `%E9%9D%9E%E5%B8%B8` (非常)")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such stop word", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn remove_stop_word(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(word): Path<String>,
) -> Result<StatusCode, AppError> {
    let word = word.trim().to_lowercase();
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let removed: Option<String> =
        sqlx::query_scalar("DELETE FROM stop_words WHERE word = ? RETURNING word")
            .bind(&word)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(removed) = removed else {
        return Err(AppError::NotFound(format!("The stop word {word:?}")));
    };
    let entry = Entry::new(now, Action::StopWordRemoved)
        .by(Actor::user(&caller, ip))
        .on("stop_word", &removed);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
