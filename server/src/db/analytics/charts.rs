//! The dashboard charts' sums, read from the kept sums (`db::sums`): per day and agent, per
//! dimension (and agent), per customer type and channel, per overall score, per agent.

use crate::db::sql;
use std::collections::HashMap;

use crate::db::sql::{Conn, QueryBuilder};
use pingjia_domain::analytics::{Period, Sentiment};
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Channel, CustomerType};

use super::lookups::count;
use super::scope::{Kept, Scope, overall_columns, push_kept_own, push_kept_scope};

/// Evaluations and the sum of their total scores per day submitted and agent.
pub(crate) async fn day_agent_sums(
    conn: &mut Conn,
    scope: &Scope,
) -> Result<Vec<(String, i64, i64, f64)>, sqlx::Error> {
    let mut q = QueryBuilder::new(format!(
        "SELECT k.day, k.agent_id, SUM(k.evaluations), {}",
        sql::tenths_sum("k.total_tenths")
    ));
    push_kept_scope(
        &mut q,
        Kept::Evaluations,
        scope,
        scope.period,
        scope.agent_id,
        true,
    );
    q.push(" GROUP BY k.day, k.agent_id");
    q.build_query_as().fetch_all(conn).await
}

/// Every agent's team.
pub(crate) async fn agent_teams(conn: &mut Conn) -> Result<HashMap<i64, Option<i64>>, sqlx::Error> {
    Ok(
        sql::query_as("SELECT id, team_id FROM users WHERE role = 'agent'")
            .fetch_all(conn)
            .await?
            .into_iter()
            .collect(),
    )
}

/// Per dimension: answers and the sum of the scores (of `agent_id` when given).
pub(crate) async fn dimension_sums(
    conn: &mut Conn,
    scope: &Scope,
    agent_id: Option<i64>,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::new("SELECT k.dimension, SUM(k.answered), SUM(k.score_sum)");
    push_kept_scope(&mut q, Kept::Scores, scope, scope.period, agent_id, false);
    q.push(" AND k.dimension IN (SELECT code FROM dimensions) GROUP BY k.dimension");
    q.build_query_as().fetch_all(conn).await
}

/// Per agent (of `agent_id` only when given) and dimension: answers and the sum of the scores.
pub(crate) async fn agent_dimension_sums(
    conn: &mut Conn,
    scope: &Scope,
    agent_id: Option<i64>,
) -> Result<Vec<(i64, String, i64, i64)>, sqlx::Error> {
    let mut q =
        QueryBuilder::new("SELECT k.agent_id, k.dimension, SUM(k.answered), SUM(k.score_sum)");
    push_kept_scope(&mut q, Kept::Scores, scope, scope.period, agent_id, true);
    q.push(
        " AND k.agent_id IN (SELECT id FROM users WHERE role = 'agent') \
         AND k.dimension IN (SELECT code FROM dimensions) GROUP BY k.agent_id, k.dimension",
    );
    q.build_query_as().fetch_all(conn).await
}

/// Answers and the sum of their scores per segment: `(true, customer type)` or `(false,
/// channel)`.
type SegmentSums = HashMap<(bool, String), (i64, i64)>;

/// Customer type, channel, dimension, answers, sum of the scores.
pub(crate) type SegmentRow = (Option<String>, Option<String>, String, i64, i64);

/// Per customer type and per channel and dimension: answers and the sum of the scores (the
/// segments with answers only).
pub(crate) async fn segment_sums(
    conn: &mut Conn,
    scope: &Scope,
) -> Result<Vec<SegmentRow>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT k.dimension, k.customer_type, k.channel, SUM(k.answered), SUM(k.score_sum)",
    );
    push_kept_own(&mut q, Kept::SegmentScores, scope);
    q.push(
        " AND k.dimension IN (SELECT code FROM dimensions) \
         GROUP BY k.dimension, k.customer_type, k.channel",
    );
    let raw: Vec<(String, String, String, i64, i64)> = q.build_query_as().fetch_all(conn).await?;
    // Per dimension (in code order), each customer type's then each channel's answers.
    let mut sums: std::collections::BTreeMap<String, SegmentSums> = Default::default();
    for (dimension, kind, channel, answered, sum) in raw {
        let groups = sums.entry(dimension).or_default();
        for key in [(true, kind), (false, channel)] {
            let slot = groups.entry(key).or_default();
            slot.0 += answered;
            slot.1 += sum;
        }
    }
    let segments: Vec<(bool, &str)> = CustomerType::ALL
        .iter()
        .map(|k| (true, k.as_str()))
        .chain(Channel::ALL.iter().map(|c| (false, c.as_str())))
        .collect();
    let mut rows: Vec<SegmentRow> = Vec::new();
    for (dimension, groups) in &sums {
        for (is_kind, value) in &segments {
            let Some(&(answered, sum)) = groups.get(&(*is_kind, (*value).to_owned())) else {
                continue;
            };
            if answered > 0 {
                let value = Some((*value).to_owned());
                let (kind, channel) = if *is_kind {
                    (value, None)
                } else {
                    (None, value)
                };
                rows.push((kind, channel, dimension.clone(), answered, sum));
            }
        }
    }
    Ok(rows)
}

/// Evaluations per customer type and channel.
pub(crate) async fn segment_counts(
    conn: &mut Conn,
    scope: &Scope,
) -> Result<Vec<(Option<String>, Option<String>, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT NULLIF(k.customer_type, ''), NULLIF(k.channel, ''), SUM(k.evaluations)",
    );
    push_kept_own(&mut q, Kept::SegmentEvaluations, scope);
    q.push(" GROUP BY k.customer_type, k.channel");
    q.build_query_as().fetch_all(conn).await
}

/// How many evaluations in `scope` gave each overall score, 1 to 10.
pub(crate) async fn overall_distribution(
    conn: &mut Conn,
    scope: &Scope,
    period: Period,
) -> Result<Vec<u64>, sqlx::Error> {
    let columns: Vec<String> = (1..=10).map(|k| format!("SUM(k.o{k})")).collect();
    let mut q = QueryBuilder::new(format!("SELECT {}", columns.join(", ")));
    push_kept_scope(
        &mut q,
        Kept::Evaluations,
        scope,
        period,
        scope.agent_id,
        false,
    );
    type Counts = (
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let (o1, o2, o3, o4, o5, o6, o7, o8, o9, o10) =
        q.build_query_as::<Counts>().fetch_one(conn).await?;
    Ok([o1, o2, o3, o4, o5, o6, o7, o8, o9, o10]
        .into_iter()
        .map(|n| count(n.unwrap_or(0)))
        .collect())
}

/// Per agent (of `agent_id` only when given, whatever the scope's agent): evaluations, the
/// sums of their total and overall scores, and how many reached `threshold`.
pub(crate) async fn agent_totals(
    conn: &mut Conn,
    scope: &Scope,
    agent_id: Option<i64>,
    threshold: u8,
) -> Result<Vec<(i64, i64, f64, i64, i64)>, sqlx::Error> {
    let mut q = QueryBuilder::new(format!(
        "SELECT k.agent_id, SUM(k.evaluations), {}, SUM(k.overall_sum), SUM({})",
        sql::tenths_sum("k.total_tenths"),
        overall_columns("o", threshold, 10)
    ));
    push_kept_scope(
        &mut q,
        Kept::Evaluations,
        scope,
        scope.period,
        agent_id,
        true,
    );
    q.push(" GROUP BY k.agent_id");
    q.build_query_as().fetch_all(conn).await
}

/// Every member of staff by id: employee number, name, team.
pub(crate) async fn staff(
    conn: &mut Conn,
) -> Result<HashMap<i64, (String, String, Option<i64>)>, sqlx::Error> {
    let people: Vec<(i64, Option<String>, String, Option<i64>)> = sql::query_as(
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
    conn: &mut Conn,
    scope: &Scope,
    sentiment: Sentiment,
    settings: &Settings,
) -> Result<i64, sqlx::Error> {
    let (low, high) = sentiment.overall_range(settings);
    let mut q = QueryBuilder::new(format!(
        "SELECT COALESCE(SUM({}), 0)",
        overall_columns("s", low, high)
    ));
    push_kept_own(&mut q, Kept::Evaluations, scope);
    q.build_query_scalar().fetch_one(conn).await
}
