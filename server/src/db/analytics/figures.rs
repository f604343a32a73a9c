//! Figures the dashboard, the agents' pages and the reports share: evaluation and record
//! sums, the KPI cards of a scope against an earlier period, complaint tags and the top terms.

use crate::db::sql::{self, Conn, QueryBuilder};
use chrono::{DateTime, Utc};
use pingjia_domain::analytics::{
    EvaluationTotals, Kpi, KpiReport, Period, RecordTotals, Sentiment, TagCount, TermCount,
    term_key,
};
use pingjia_domain::settings::Settings;
use std::collections::{HashMap, HashSet};

use super::lookups::{count, round};
use super::response::response_counts;
use super::scope::{
    Kept, Scope, overall_columns, push_evaluation_scope, push_kept_own, push_kept_people,
    push_kept_scope, push_sentiment,
};

// ---------------------------------------------------------------------------------------------
// KPIs

#[derive(sqlx::FromRow)]
pub(crate) struct EvaluationSums {
    pub(crate) evaluations: i64,
    pub(crate) total_sum: f64,
    pub(crate) attained: i64,
    pub(crate) flagged: i64,
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
    conn: &mut Conn,
    scope: &Scope,
    period: Period,
    settings: &Settings,
) -> Result<EvaluationSums, sqlx::Error> {
    let mut q = QueryBuilder::new(format!(
        "SELECT COALESCE(SUM(k.evaluations), 0) AS evaluations, \
         {} AS total_sum, \
         COALESCE(SUM({}), 0) AS attained, CAST(0 AS BIGINT) AS flagged",
        sql::tenths_sum("k.total_tenths"),
        overall_columns("o", settings.satisfaction_threshold, 10)
    ));
    push_kept_scope(
        &mut q,
        Kept::Evaluations,
        scope,
        period,
        scope.agent_id,
        false,
    );
    let mut sums: EvaluationSums = q.build_query_as().fetch_one(&mut *conn).await?;
    // Flags are few: read from their side, not probed for every evaluation of the period.
    let mut q = QueryBuilder::new(
        "SELECT COUNT(DISTINCT f.evaluation_id) FROM evaluation_flags f \
         CROSS JOIN evaluations e WHERE e.id = f.evaluation_id AND",
    );
    push_evaluation_scope(&mut q, scope, period);
    sums.flagged = q.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok(sums)
}

#[derive(sqlx::FromRow)]
pub(crate) struct RecordSums {
    pub(crate) records: i64,
    pub(crate) on_time: i64,
    pub(crate) first_contact: i64,
    pub(crate) resolved: i64,
    pub(crate) handling_minutes: f64,
}

/// The service records' figures under the scope over `period` (by the day they started), from
/// the kept sums (on time by the SLA settings, kept with them).
pub(crate) async fn record_totals(
    conn: &mut Conn,
    scope: &Scope,
    period: Period,
) -> Result<RecordTotals, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT COALESCE(SUM(k.records), 0) AS records, COALESCE(SUM(k.on_time), 0) AS on_time, \
         COALESCE(SUM(k.first_contact), 0) AS first_contact, \
         COALESCE(SUM(k.resolved), 0) AS resolved, \
         CAST(COALESCE(SUM(k.handling_seconds), 0) AS DOUBLE PRECISION) / 60 AS handling_minutes",
    );
    push_kept_scope(&mut q, Kept::Records, scope, period, scope.agent_id, false);
    let sums: RecordSums = q.build_query_as().fetch_one(conn).await?;
    Ok(RecordTotals {
        records: count(sums.records),
        on_time: count(sums.on_time),
        first_contact: count(sums.first_contact),
        resolved: count(sums.resolved),
        handling_minutes_sum: sums.handling_minutes,
    })
}

pub(crate) async fn open_appeals(
    conn: &mut Conn,
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

/// The KPI cards of a scope against `previous` (the dashboard's: the period of the same length
/// before; a report's: the week or month before).
pub(crate) async fn kpi_report(
    conn: &mut Conn,
    scope: &Scope,
    previous: Period,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<KpiReport, sqlx::Error> {
    let period = scope.period;
    let now_sums = evaluation_sums(conn, scope, period, settings).await?;
    let before = evaluation_sums(conn, scope, previous, settings).await?;
    let records_now = record_totals(conn, scope, period).await?;
    let records_before = record_totals(conn, scope, previous).await?;
    let appeals = open_appeals(conn, scope, period).await?;
    let invited_now = response_counts(conn, scope, period).await?;
    let invited_before = response_counts(conn, scope, previous).await?;
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
        response_rate: kpi(
            invited_now.funnel().response_rate,
            invited_before.funnel().response_rate,
        ),
        generated_at: now,
    })
}

/// The kept table of the word or tag counts that serves the scope: the organisation's
/// (`whole`) or the agents' (`by_agent`, for an agent or a team); none when the scope filters
/// by a service type, channel or customer type (those are not their keys).
pub(crate) fn kept_counts(
    scope: &Scope,
    whole: &'static str,
    by_agent: &'static str,
) -> Option<&'static str> {
    let keyed =
        scope.service_type.is_none() && scope.channel.is_none() && scope.customer_type.is_none();
    let people = scope.agent_id.is_some() || scope.team.is_some();
    keyed.then_some(if people { by_agent } else { whole })
}

/// `SELECT {columns} FROM {table} k WHERE` with the scope's agent or team, and its period.
pub(crate) fn kept_counts_query<'a>(columns: &str, table: &str, scope: &Scope) -> QueryBuilder<'a> {
    let mut q = QueryBuilder::new(format!("SELECT {columns} FROM {table} k WHERE"));
    push_kept_people(&mut q, scope.agent_id, scope.team);
    q.push(" k.day BETWEEN ")
        .push_bind(scope.period.from.to_string())
        .push(" AND ")
        .push_bind(scope.period.to.to_string());
    q
}

/// The complaint evaluations of the scope (category 投诉) and their records' tags, largest
/// first (a complaint with two tags counts in both, one without a tag under "").
pub(crate) async fn complaint_tags(
    conn: &mut Conn,
    scope: &Scope,
) -> Result<(u64, Vec<TagCount>), sqlx::Error> {
    let mut q = QueryBuilder::new("SELECT COALESCE(SUM(k.complaints), 0)");
    push_kept_own(&mut q, Kept::Evaluations, scope);
    let complaints: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    // The organisation's, an agent's or a team's from the kept tag counts; a group's from the
    // complaints themselves.
    let mut q = if let Some(table) = kept_counts(scope, "tag_sums", "agent_tag_sums") {
        kept_counts_query("k.tag AS tag, SUM(k.evaluations) AS n", table, scope)
    } else {
        let mut q = QueryBuilder::new(
            "SELECT COALESCE(j.value, '') AS tag, COUNT(*) AS n FROM evaluations e \
             JOIN service_records r ON r.id = e.service_record_id \
             LEFT JOIN json_each(r.tags) j ON TRUE \
             WHERE e.category = 'complaint' AND",
        );
        push_evaluation_scope(&mut q, scope, scope.period);
        q
    };
    q.push(" GROUP BY tag ORDER BY n DESC, tag");
    let tags: Vec<(String, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let names = crate::db::tags::names_en(conn).await?;
    Ok((
        count(complaints),
        tags.into_iter()
            .map(|(tag, n)| TagCount {
                name_en: names.get(&tag).cloned(),
                tag,
                count: count(n),
            })
            .collect(),
    ))
}

/// The `limit` most frequent terms of the scope's suggestions of a sentiment, counted once
/// per evaluation, stop words left out (an admin's stop word leaves out the other forms of an
/// English word too), each shown as the form its suggestions use most. From the kept word
/// counts (`term_sums`) when the scope is the organisation's over a period; of an agent, a
/// team or a group, from the evaluations' terms.
pub(crate) async fn top_terms(
    conn: &mut Conn,
    scope: &Scope,
    sentiment: Sentiment,
    settings: &Settings,
    limit: usize,
) -> Result<Vec<TermCount>, sqlx::Error> {
    let mut q = if let Some(table) = kept_counts(scope, "term_sums", "agent_term_sums") {
        let (low, high) = sentiment.overall_range(settings);
        let mut q = kept_counts_query("k.term, SUM(k.evaluations) AS n", table, scope);
        q.push(" AND k.overall BETWEEN ")
            .push_bind(i64::from(low))
            .push(" AND ")
            .push_bind(i64::from(high))
            .push(" GROUP BY k.term");
        q
    } else {
        let mut q = QueryBuilder::new(
            "SELECT t.term, COUNT(*) AS n \
             FROM evaluations e CROSS JOIN evaluation_terms t WHERE t.evaluation_id = e.id AND",
        );
        push_evaluation_scope(&mut q, scope, scope.period);
        push_sentiment(&mut q, sentiment, settings);
        q.push(" GROUP BY t.term");
        q
    };
    let stop_words: Vec<String> = sql::query_scalar("SELECT word FROM stop_words")
        .fetch_all(&mut *conn)
        .await?;
    let stop_keys: HashSet<String> = stop_words.iter().map(|w| term_key(w)).collect();
    // As many more as there are stop words: those found are dropped after.
    q.push(" ORDER BY n DESC, 1 LIMIT ")
        .push_bind(i64::try_from(limit + stop_keys.len()).unwrap_or(i64::MAX));
    let mut rows: Vec<(String, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    rows.retain(|(term, _)| !stop_keys.contains(term));
    rows.truncate(limit);
    let forms = term_forms(conn, rows.iter().map(|(term, _)| term.as_str())).await?;
    Ok(rows
        .into_iter()
        .map(|(term, n)| TermCount {
            term: forms.get(&term).cloned().unwrap_or(term),
            count: count(n),
        })
        .collect())
}

/// The form shown for each of `terms` (keys): the one its suggestions use most (the first
/// alphabetically of equals); a term without counted forms (Chinese) is not in the answer.
async fn term_forms<'a>(
    conn: &mut Conn,
    terms: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let mut q = QueryBuilder::new("SELECT term, form FROM term_forms WHERE term IN (");
    let mut list = q.separated(", ");
    let mut any = false;
    for term in terms {
        list.push_bind(term.to_owned());
        any = true;
    }
    if !any {
        return Ok(HashMap::new());
    }
    q.push(") ORDER BY term, uses DESC, form");
    let rows: Vec<(String, String)> = q.build_query_as().fetch_all(conn).await?;
    let mut forms = HashMap::new();
    for (term, form) in rows {
        forms.entry(term).or_insert(form);
    }
    Ok(forms)
}
