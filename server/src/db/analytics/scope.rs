//! The analytics filter as SQL: the filter bar checked into a [`Scope`], and the conditions
//! it (and a drill-down) appends to the queries over evaluations, their scores and service
//! records.

use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use chrono::{Days, NaiveDate};
use pingjia_domain::analytics::{AnalyticsFilter, DrillFilter, Period, Sentiment, term_key};
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Channel, CustomerType};

use crate::error::AppError;
use crate::time::{org_day_start, to_db};

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

pub(crate) fn blank_to_none(value: Option<&String>) -> Option<&str> {
    value.map(|s| s.trim()).filter(|s| !s.is_empty())
}

pub(crate) async fn resolve(
    today: NaiveDate,
    conn: &mut Conn,
    filter: &AnalyticsFilter,
) -> Result<Scope, AppError> {
    let period = filter.period(today).map_err(AppError::Validation)?;
    let agent_id = match blank_to_none(filter.agent.as_ref()) {
        Some(no) => Some(
            sql::query_scalar::<i64>(
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
        let known: Option<i64> = sql::query_scalar("SELECT id FROM teams WHERE id = ?")
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
            sql::query_scalar("SELECT code FROM service_types WHERE code = ?")
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
pub(crate) fn bounds(period: Period) -> (String, String) {
    (
        to_db(org_day_start(period.from)),
        to_db(org_day_start(period.to + Days::new(1))),
    )
}

/// Appends the conditions on evaluations `e` of the scope over `period` (counted ones only),
/// for what reads evaluations themselves (a list, examples): the period both as days and as
/// submission times, so that a list newest first walks `evaluations_submitted` (or, of an
/// agent, `evaluations_agent_submitted`) backwards and stops at its page.
pub(crate) fn push_evaluation_scope(q: &mut QueryBuilder<'_>, scope: &Scope, period: Period) {
    let (start, end) = bounds(period);
    q.push(" e.submitted_day BETWEEN ")
        .push_bind(period.from.to_string())
        .push(" AND ")
        .push_bind(period.to.to_string())
        .push(" AND e.submitted_at >= ")
        .push_bind(start)
        .push(" AND e.submitted_at < ")
        .push_bind(end)
        .push(" AND");
    push_evaluation_filters(q, scope);
}

/// The conditions of [`push_evaluation_scope`] but the period: in the statistics, and the
/// scope's agent or team and segments. For a query whose period is another table's copy of
/// the evaluation's day (a word's range in `evaluation_terms`): the same condition again on
/// the evaluation only misleads PostgreSQL's estimates (it took a word's list from 1 ms to
/// 60 ms at a million evaluations, sorting every evaluation of the period).
pub(crate) fn push_evaluation_filters(q: &mut QueryBuilder<'_>, scope: &Scope) {
    q.push(" e.status <> 'deleted'");
    if let Some(agent) = scope.agent_id {
        q.push(" AND e.agent_id = ").push_bind(agent);
    }
    if let Some(team) = scope.team {
        q.push(" AND e.agent_id IN (SELECT u.id FROM users u WHERE u.team_id = ")
            .push_bind(team)
            .push(")");
    }
    if let Some(code) = &scope.service_type {
        q.push(" AND e.service_type = ").push_bind(code.clone());
    }
    if let Some(channel) = scope.channel {
        q.push(" AND e.channel = ").push_bind(channel.as_str());
    }
    if let Some(kind) = scope.customer_type {
        q.push(" AND e.customer_type = ").push_bind(kind.as_str());
    }
}

/// Which kept sums (`db::sums`, migration 0022) a query reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kept {
    /// Evaluations per day and group: counts, total and overall score sums, per overall score.
    Evaluations,
    /// Dimension scores per day, dimension and group.
    Scores,
    /// Service records per day started and group: on time, first contact, handling time.
    Records,
    /// [`Kept::Evaluations`] with their segments (service type, channel, customer type) for
    /// grouping by them: always the sums of 0022, never those per agent and day of 0030.
    SegmentEvaluations,
    /// [`Kept::Scores`] with their segments, as [`Kept::SegmentEvaluations`].
    SegmentScores,
}

/// Appends ` FROM <kept sums> k WHERE <the scope over period>`: the agents' sums when the query
/// is of one agent (`agent_id`), of the scope's team or per agent (`by_agent`), the
/// organisation's otherwise. Every filter of the bar is a key of both, so the rows read grow with
/// the days and groups asked for, not with the evaluations. The agents' evaluations and scores
/// not narrowed by a segment nor grouped by one are read per agent and day (migration 0030): at
/// five million evaluations the agents' rows per segment fill up.
pub(crate) fn push_kept_scope(
    q: &mut QueryBuilder<'_>,
    kept: Kept,
    scope: &Scope,
    period: Period,
    agent_id: Option<i64>,
    by_agent: bool,
) {
    let agents = by_agent || agent_id.is_some() || scope.team.is_some();
    let segmented =
        scope.service_type.is_some() || scope.channel.is_some() || scope.customer_type.is_some();
    let table = match (kept, agents) {
        (Kept::Evaluations | Kept::SegmentEvaluations, false) => "evaluation_sums",
        (Kept::Evaluations, true) if !segmented => "agent_day_sums",
        (Kept::Evaluations | Kept::SegmentEvaluations, true) => "agent_evaluation_sums",
        (Kept::Scores | Kept::SegmentScores, false) => "score_sums",
        (Kept::Scores, true) if !segmented => "agent_day_score_sums",
        (Kept::Scores | Kept::SegmentScores, true) => "agent_score_sums",
        (Kept::Records, false) => "record_sums",
        (Kept::Records, true) => "agent_record_sums",
    };
    q.push(format_args!(" FROM {table} k WHERE"));
    if !push_kept_people(q, agent_id, scope.team) && agents {
        q.push(" k.agent_id IN (SELECT u.id FROM users u WHERE u.role <> 'customer') AND");
    }
    q.push(" k.day BETWEEN ")
        .push_bind(period.from.to_string())
        .push(" AND ")
        .push_bind(period.to.to_string());
    if let Some(code) = &scope.service_type {
        q.push(" AND k.service_type = ").push_bind(code.clone());
    }
    if let Some(channel) = scope.channel {
        q.push(" AND k.channel = ").push_bind(channel.as_str());
    }
    if let Some(kind) = scope.customer_type {
        q.push(" AND k.customer_type = ").push_bind(kind.as_str());
    }
}

/// The condition `k.agent_id = … AND` of an agent's, or `k.agent_id IN (the team) AND` of a
/// team's, over a kept table keyed by agent first (a range per agent); whether there was one.
pub(crate) fn push_kept_people(
    q: &mut QueryBuilder<'_>,
    agent_id: Option<i64>,
    team: Option<i64>,
) -> bool {
    if let Some(agent) = agent_id {
        q.push(" k.agent_id = ").push_bind(agent).push(" AND");
    } else if let Some(team) = team {
        q.push(" k.agent_id IN (SELECT u.id FROM users u WHERE u.team_id = ")
            .push_bind(team)
            .push(") AND");
    } else {
        return false;
    }
    true
}

/// [`push_kept_scope`] of the scope over its own period and agent, the organisation's sums
/// unless it names an agent or a team.
pub(crate) fn push_kept_own(q: &mut QueryBuilder<'_>, kept: Kept, scope: &Scope) {
    push_kept_scope(q, kept, scope, scope.period, scope.agent_id, false);
}

/// The sum of the kept per-overall-score columns `prefix1`…`prefix10` (`o`: evaluations, `s`:
/// those with a suggestion) from `low` to `high`: e.g. the evaluations that reached a threshold.
pub(crate) fn overall_columns(prefix: &str, low: u8, high: u8) -> String {
    let columns: Vec<String> = (low.max(1)..=high.min(10))
        .map(|k| format!("k.{prefix}{k}"))
        .collect();
    if columns.is_empty() {
        "0".to_owned()
    } else {
        columns.join(" + ")
    }
}

/// Appends the scope's conditions on service records `r` other than the period: agent, team,
/// service type, channel and customer type (the response rate's invitations belong to a
/// period by when they were sent, not by their record's start).
pub(crate) fn push_record_filters(q: &mut QueryBuilder<'_>, scope: &Scope) {
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
pub(crate) fn push_drill(
    q: &mut QueryBuilder<'_>,
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

pub(crate) fn push_sentiment(q: &mut QueryBuilder<'_>, sentiment: Sentiment, settings: &Settings) {
    let (low, high) = sentiment.overall_range(settings);
    q.push(" AND e.overall BETWEEN ")
        .push_bind(i64::from(low))
        .push(" AND ")
        .push_bind(i64::from(high));
}

/// A drill-down, checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Drill {
    pub(crate) dimension: Option<String>,
    pub(crate) score: Option<u8>,
    pub(crate) overall: Option<u8>,
    pub(crate) complaint_tag: Option<String>,
    pub(crate) word: Option<String>,
    pub(crate) sentiment: Option<Sentiment>,
}

pub(crate) fn check_drill(drill: &DrillFilter) -> Result<Drill, AppError> {
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
        word: blank_to_none(drill.word.as_ref()).map(|w| term_key(&w.to_lowercase())),
        sentiment: drill.sentiment,
    })
}
