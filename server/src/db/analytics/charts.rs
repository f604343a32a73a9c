//! The dashboard charts' sums, as SQL counts them: per day and agent, per dimension (and
//! agent), per customer type and channel, per overall score, per agent.

use std::collections::HashMap;

use pingjia_domain::analytics::{Period, Sentiment};
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Channel, CustomerType};
use sqlx::{QueryBuilder, Row as _, SqliteConnection};

use super::lookups::count;
use super::scope::{
    Scope, push_evaluation_scope, push_evaluation_scope_for, push_scope_on, push_score_sums,
    push_sentiment,
};

/// Evaluations and the sum of their total scores per day submitted and agent.
pub(crate) async fn day_agent_sums(
    conn: &mut SqliteConnection,
    scope: &Scope,
) -> Result<Vec<(String, i64, i64, f64)>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT e.submitted_day, e.agent_id, COUNT(*), SUM(e.total_score) \
         FROM evaluations e WHERE",
    );
    push_evaluation_scope(&mut q, scope, scope.period);
    q.push(" GROUP BY e.submitted_day, e.agent_id");
    q.build_query_as().fetch_all(conn).await
}

/// Every agent's team.
pub(crate) async fn agent_teams(
    conn: &mut SqliteConnection,
) -> Result<HashMap<i64, Option<i64>>, sqlx::Error> {
    Ok(
        sqlx::query_as("SELECT id, team_id FROM users WHERE role = 'agent'")
            .fetch_all(conn)
            .await?
            .into_iter()
            .collect(),
    )
}

/// Per dimension: answers and the sum of the scores (of `agent_id` when given).
pub(crate) async fn dimension_sums(
    conn: &mut SqliteConnection,
    scope: &Scope,
    agent_id: Option<i64>,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::new("");
    push_score_sums(&mut q, scope, agent_id, false);
    q.build_query_as().fetch_all(conn).await
}

/// Per agent and dimension: answers and the sum of the scores.
pub(crate) async fn agent_dimension_sums(
    conn: &mut SqliteConnection,
    scope: &Scope,
) -> Result<Vec<(i64, String, i64, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::new("");
    push_score_sums(&mut q, scope, None, true);
    q.build_query_as().fetch_all(conn).await
}

/// Customer type, channel, dimension, answers, sum of the scores.
pub(crate) type SegmentRow = (Option<String>, Option<String>, String, i64, i64);

/// Per customer type and per channel and dimension: answers and the sum of the scores (the
/// segments with answers only).
pub(crate) async fn segment_sums(
    conn: &mut SqliteConnection,
    scope: &Scope,
) -> Result<Vec<SegmentRow>, sqlx::Error> {
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
    push_scope_on(&mut q, "s", scope, scope.period, scope.agent_id);
    q.push(" AND s.score IS NOT NULL GROUP BY s.dimension");
    let raw = q.build().fetch_all(conn).await?;
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
    Ok(rows)
}

/// Evaluations per customer type and channel.
pub(crate) async fn segment_counts(
    conn: &mut SqliteConnection,
    scope: &Scope,
) -> Result<Vec<(Option<String>, Option<String>, i64)>, sqlx::Error> {
    let mut q =
        QueryBuilder::new("SELECT e.customer_type, e.channel, COUNT(*) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, scope, scope.period);
    q.push(" GROUP BY e.customer_type, e.channel");
    q.build_query_as().fetch_all(conn).await
}

/// How many evaluations in `scope` gave each overall score, 1 to 10.
pub(crate) async fn overall_distribution(
    conn: &mut SqliteConnection,
    scope: &Scope,
    period: Period,
) -> Result<Vec<u64>, sqlx::Error> {
    let mut q = QueryBuilder::new("SELECT e.overall, COUNT(*) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, scope, period);
    q.push(" GROUP BY e.overall");
    let rows: Vec<(i64, i64)> = q.build_query_as().fetch_all(conn).await?;
    let mut distribution = vec![0u64; 10];
    for (score, n) in rows {
        if let Some(slot) = usize::try_from(score - 1)
            .ok()
            .and_then(|i| distribution.get_mut(i))
        {
            *slot = count(n);
        }
    }
    Ok(distribution)
}

/// Per agent (of `agent_id` only when given, whatever the scope's agent): evaluations, the
/// sums of their total and overall scores, and how many reached `threshold`.
pub(crate) async fn agent_totals(
    conn: &mut SqliteConnection,
    scope: &Scope,
    agent_id: Option<i64>,
    threshold: u8,
) -> Result<Vec<(i64, i64, f64, i64, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT e.agent_id, COUNT(*), SUM(e.total_score), SUM(e.overall), \
         SUM(CASE WHEN e.overall >= ",
    );
    q.push_bind(i64::from(threshold))
        .push(" THEN 1 ELSE 0 END) FROM evaluations e WHERE");
    push_evaluation_scope_for(&mut q, scope, scope.period, agent_id);
    q.push(" GROUP BY e.agent_id");
    q.build_query_as().fetch_all(conn).await
}

/// Every member of staff by id: employee number, name, team.
pub(crate) async fn staff(
    conn: &mut SqliteConnection,
) -> Result<HashMap<i64, (String, String, Option<i64>)>, sqlx::Error> {
    let people: Vec<(i64, Option<String>, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, employee_no, display_name, team_id FROM users WHERE employee_no IS NOT NULL",
    )
    .fetch_all(conn)
    .await?;
    Ok(people
        .into_iter()
        .map(|(id, no, name, team)| (id, (no.unwrap_or_default(), name, team)))
        .collect())
}

/// How many evaluations of `sentiment` in `scope` have a suggestion.
pub(crate) async fn suggestions_read(
    conn: &mut SqliteConnection,
    scope: &Scope,
    sentiment: Sentiment,
    settings: &Settings,
) -> Result<i64, sqlx::Error> {
    let mut q = QueryBuilder::new("SELECT COUNT(*) FROM evaluations e WHERE");
    push_evaluation_scope(&mut q, scope, scope.period);
    push_sentiment(&mut q, sentiment, settings);
    q.push(" AND e.suggestion IS NOT NULL");
    q.build_query_scalar().fetch_one(conn).await
}
