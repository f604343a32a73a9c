//! Building a report from the analytics queries, and keeping the reports of closed periods.

use crate::db::sql;
use std::collections::{BTreeMap, HashMap};

use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, Utc};
use pingjia_domain::analytics::{Period, ResponseCounts, Sentiment, mean, rate, term_key};
use pingjia_domain::reports::{
    EXAMPLE_MAX_CHARS, EXAMPLES_PER_PROBLEM, MAX_LISTED, MAX_PROBLEMS, Report, ReportAgent,
    ReportAppeal, ReportExample, ReportKind, ReportPlan, ReportProblem, ReportTrendPoint,
    TREND_PERIODS, is_closed, rank_agents, summarize,
};
use pingjia_domain::settings::Settings;

use crate::db::analytics::{
    Kept, Scope, agent_totals, complaint_tags, count, evaluation_sums, kpi_report,
    push_evaluation_scope, push_kept_scope, record_totals, response_counts,
    response_counts_by_agent, round, team_names, team_names_en, term_examples, top_terms,
};
use crate::error::AppError;
use crate::time::{from_db, org_day, to_db};

// ---------------------------------------------------------------------------------------------
// Building a report

/// The report of `period` for `team` (`None`: the company), from the data as it is now.
pub async fn build(
    conn: &mut Conn,
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
        let records = record_totals(conn, &s, p).await?;
        let invited = response_counts(conn, &s, p).await?;
        trend.push(ReportTrendPoint {
            key: kind.key(p),
            period: p,
            evaluations: sums.count,
            average_total: round(sums.average_total(), 2),
            attainment_rate: round(sums.attainment_rate(), 4),
            on_time_rate: round(records.on_time_rate(), 4),
            first_contact_rate: round(records.first_contact_rate(), 4),
            response_rate: invited.funnel().response_rate,
        });
    }

    let (complaints, complaint_tags) = complaint_tags(conn, &scope).await?;
    let problems = problems(conn, &scope, settings).await?;
    let agents = agents(conn, &scope, settings).await?;
    let (open_appeals, overdue_plan_count, overdue_plans) =
        appeals_and_plans(conn, &scope, now).await?;
    let teams = team_names(conn).await?;
    let teams_en = team_names_en(conn).await?;
    let summary = summarize(&kpis);
    let response = response_counts(conn, &scope, period).await?.funnel();
    let response_previous = response_counts(conn, &scope, previous).await?.funnel();
    Ok(Report {
        kind,
        key: kind.key(period),
        period,
        previous_period: previous,
        team_id: team,
        team_name: team.and_then(|t| teams.get(&t).cloned()),
        team_name_en: team.and_then(|t| teams_en.get(&t).cloned()),
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
        response,
        response_previous,
    })
}

/// The most frequent terms of the complaints' suggestions with examples: the lowest scores
/// first, then the newest.
pub(crate) async fn problems(
    conn: &mut Conn,
    scope: &Scope,
    settings: &Settings,
) -> Result<Vec<ReportProblem>, sqlx::Error> {
    let terms = top_terms(conn, scope, Sentiment::Complaints, settings, MAX_PROBLEMS).await?;
    let mut out = Vec::with_capacity(terms.len());
    for term in terms {
        let rows = term_examples(
            &mut *conn,
            scope,
            // The form shown; its evaluations are its key's.
            &term_key(&term.term),
            Sentiment::Complaints.overall_range(settings),
            EXAMPLES_PER_PROBLEM,
        )
        .await?;
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
pub(crate) fn excerpt(text: &str, max: usize) -> String {
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
pub(crate) async fn agents(
    conn: &mut Conn,
    scope: &Scope,
    settings: &Settings,
) -> Result<Vec<ReportAgent>, sqlx::Error> {
    let evaluations = agent_totals(
        &mut *conn,
        scope,
        scope.agent_id,
        settings.satisfaction_threshold,
    )
    .await?;
    let mut q = QueryBuilder::new("SELECT k.agent_id, SUM(k.records), SUM(k.first_contact)");
    push_kept_scope(
        &mut q,
        Kept::Records,
        scope,
        scope.period,
        scope.agent_id,
        true,
    );
    q.push(" GROUP BY k.agent_id");
    let records: Vec<(i64, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let invited: HashMap<i64, ResponseCounts> = response_counts_by_agent(&mut *conn, scope)
        .await?
        .into_iter()
        .collect();
    let people: Vec<(i64, Option<String>, String, Option<i64>)> = sql::query_as(
        "SELECT id, employee_no, display_name, team_id FROM users WHERE role = 'agent'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let teams = team_names(conn).await?;
    let teams_en = team_names_en(conn).await?;

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
            let response = invited.get(&agent).copied().unwrap_or_default();
            Some(ReportAgent {
                rank: 0,
                agent_no: no,
                name,
                team_name: team.and_then(|t| teams.get(&t).cloned()),
                team_name_en: team.and_then(|t| teams_en.get(&t).cloned()),
                evaluations: n,
                average_total: round(mean(total, n), 2),
                average_overall: round(mean(overall, n), 2),
                attainment_rate: round(rate(attained, n), 4),
                records,
                first_contact_rate: round(rate(first, records), 4),
                invited: response.invited,
                response_rate: response.funnel().response_rate,
            })
        })
        .collect();
    Ok(rank_agents(agents))
}

/// The appeals awaiting a decision on the period's evaluations (the KPI card's), oldest first;
/// and the improvement plans of the scope's agents past due now, most overdue first.
pub(crate) async fn appeals_and_plans(
    conn: &mut Conn,
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

    let team_condition = |q: &mut QueryBuilder<'_>| {
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

pub(crate) fn whole_days(d: chrono::Duration) -> u32 {
    u32::try_from(d.num_days().max(0)).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// Kept reports

pub(crate) fn scope_key(team: Option<i64>) -> i64 {
    team.unwrap_or(0)
}

/// The kept report of a period and scope, if one was built (and can be read).
pub async fn stored(
    conn: &mut Conn,
    kind: ReportKind,
    key: &str,
    team: Option<i64>,
) -> Result<Option<(i64, Report)>, AppError> {
    let row: Option<(i64, String)> = sql::query_as(
        "SELECT id, body FROM reports WHERE kind = ? AND period_key = ? AND scope_team_id = ?",
    )
    .bind(kind.as_str())
    .bind(key)
    .bind(scope_key(team))
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, mut report)) =
        row.and_then(|(id, body)| match serde_json::from_str::<Report>(&body) {
            Ok(report) => Some((id, report)),
            Err(error) => {
                // Kept by an older version in another shape: the figures of now stand in.
                tracing::warn!(report = id, %error, "a kept report cannot be read");
                None
            }
        })
    else {
        return Ok(None);
    };
    relabel(conn, &mut report).await?;
    Ok(Some((id, report)))
}

/// A kept report's names as they are now: its figures are the period's, but a team's or a
/// tag's English name given since is shown (names are labels, not figures). Teams are named
/// uniquely, so an agent's team is found by its Chinese name.
async fn relabel(conn: &mut Conn, report: &mut Report) -> Result<(), AppError> {
    let teams = team_names(conn).await?;
    let teams_en = team_names_en(conn).await?;
    if let Some(team) = report.team_id {
        report.team_name = teams.get(&team).cloned().or(report.team_name.take());
        report.team_name_en = teams_en.get(&team).cloned();
    }
    let en_by_name: HashMap<&str, &str> = teams
        .iter()
        .filter_map(|(id, name)| Some((name.as_str(), teams_en.get(id)?.as_str())))
        .collect();
    for agent in &mut report.agents {
        agent.team_name_en = agent
            .team_name
            .as_deref()
            .and_then(|name| en_by_name.get(name))
            .map(|en| (*en).to_owned());
    }
    let tags = crate::db::tags::names_en(conn).await?;
    for tag in &mut report.complaint_tags {
        tag.name_en = tags.get(&tag.tag).cloned();
    }
    Ok(())
}

/// The kept report of a closed period, built and kept now if there is none yet: its id.
pub(crate) async fn ensure_stored(
    conn: &mut Conn,
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
    sql::query(
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
    let id: i64 = sql::query_scalar(
        "SELECT id FROM reports WHERE kind = ? AND period_key = ? AND scope_team_id = ?",
    )
    .bind(kind.as_str())
    .bind(&key)
    .bind(scope_key(team))
    .fetch_one(&mut *conn)
    .await?;
    crate::db::events::record(
        &mut *conn,
        pingjia_domain::events::EventType::ReportReady,
        ("report", id),
        &format!("report.ready:{id}"),
        now,
    )
    .await?;
    tracing::info!(kind = kind.as_str(), key, team, "kept a report");
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn excerpts_cut_on_characters() {
        assert_eq!(excerpt("  短  ", 5), "短");
        assert_eq!(excerpt("一二三四五六", 4), "一二三…");
        assert_eq!(excerpt("一二三四", 4), "一二三四");
    }
}
