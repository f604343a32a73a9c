//! An agent's figures as stored: score sums per agent, the trend, unread alerts, plan counts.

use crate::db::sql;
use std::collections::HashMap;

use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, NaiveDate, Utc};
use pingjia_domain::analytics::{AnalyticsFilter, DimensionName, Period, mean, rate};
use pingjia_domain::feedback::Figures;
use pingjia_domain::settings::Settings;

use crate::db::analytics::{
    Kept, Scope, agent_dimension_sums, agent_totals, count, dimension_names, named, push_kept_own,
    round,
};
use crate::error::AppError;
use crate::time::to_db;

// ---------------------------------------------------------------------------------------------
// Figures

/// Sums of one group of evaluations, as SQL counts them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sums {
    pub(crate) count: u64,
    pub(crate) total: f64,
    pub(crate) overall: f64,
    pub(crate) attained: u64,
    /// Per dimension code: (answered, sum).
    pub(crate) dimensions: HashMap<String, (u64, f64)>,
}

impl Sums {
    pub(crate) fn figures(&self, dims: &[DimensionName]) -> Figures {
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

    pub(crate) fn add(&mut self, other: &Sums) {
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
pub(crate) async fn sums_by_agent(
    conn: &mut Conn,
    scope: &Scope,
    settings: &Settings,
) -> Result<HashMap<i64, Sums>, sqlx::Error> {
    let rows = agent_totals(
        &mut *conn,
        scope,
        scope.agent_id,
        settings.satisfaction_threshold,
    )
    .await?;
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
    let rows = agent_dimension_sums(&mut *conn, scope, scope.agent_id).await?;
    for (agent, code, answered, sum) in rows {
        sums.entry(agent)
            .or_default()
            .dimensions
            .insert(code, (count(answered), sum as f64));
    }
    Ok(sums)
}

/// Mean total score and count per bucket, for the evaluations under `scope`.
pub(crate) async fn trend(
    conn: &mut Conn,
    scope: &Scope,
    buckets: &[Period],
) -> Result<(Vec<Option<f64>>, Vec<u64>), AppError> {
    let mut q = QueryBuilder::new(format!(
        "SELECT k.day, SUM(k.evaluations), {}",
        sql::tenths_sum("k.total_tenths")
    ));
    push_kept_own(&mut q, Kept::Evaluations, scope);
    q.push(" GROUP BY k.day");
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

pub(crate) fn period_of(
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Period, AppError> {
    AnalyticsFilter {
        from,
        to,
        ..Default::default()
    }
    .period(today)
    .map_err(AppError::Validation)
}

/// The dimensions answered under any of `sums`, in the library's order.
pub(crate) async fn dims_of(
    conn: &mut Conn,
    sums: &[&Sums],
) -> Result<Vec<DimensionName>, sqlx::Error> {
    let names = dimension_names(conn).await?;
    Ok(named(&names, |code| {
        sums.iter().any(|s| s.dimensions.contains_key(code))
    }))
}

pub(crate) async fn unread_count(conn: &mut Conn, agent_id: i64) -> Result<u64, sqlx::Error> {
    // Kept by migration 0028's triggers: not a count over the agent's evaluations.
    let n: i64 = sql::query_scalar(
        "SELECT COALESCE((SELECT evaluations FROM agent_unread WHERE agent_id = ?), 0)",
    )
    .bind(agent_id)
    .fetch_one(conn)
    .await?;
    Ok(count(n))
}

/// Plans of `agent_id` still owing measures, and how many of those are overdue.
pub(crate) async fn plan_counts(
    conn: &mut Conn,
    agent_id: i64,
    now: DateTime<Utc>,
) -> Result<(u64, u64), sqlx::Error> {
    let (open, overdue): (i64, i64) = sql::query_as(&format!(
        "SELECT COUNT(*), COALESCE({}, 0) FROM improvement_plans
         WHERE agent_id = ? AND status IN ('open', 'sent_back')",
        sql::count_if("due_at < ?")
    ))
    .bind(to_db(now))
    .bind(agent_id)
    .fetch_one(conn)
    .await?;
    Ok((count(open), count(overdue)))
}
