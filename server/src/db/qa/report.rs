//! A plan's report: what was inspected, dimension means, the customers' scores and the
//! composite, aggregated from the stored inspections.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use pingjia_domain::qa::{
    Comparison, CompositeRow, DimensionResult, FrequentProblem, Highlight, ItemResult, Person,
    PlanReport, RectificationCounts, RectificationStatus, composite_score, flagged, mean, round_to,
    score_rate,
};
use sqlx::SqliteConnection;

use crate::db::evaluations::counted;
use crate::db::parse_stored;
use crate::error::AppError;
use crate::time::{org_day_start, to_db};

use pingjia_domain::settings::Settings;

use super::{count, load_template, plan_row, plan_summaries, rectifications_where};

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
pub(crate) struct InspectedRow {
    pub(crate) id: i64,
    pub(crate) employee_no: Option<String>,
    pub(crate) display_name: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) external_id: String,
    pub(crate) qa_score: f64,
    pub(crate) highlights: Option<String>,
}

/// An agent's inspections in a plan: who, their team, the QA scores.
pub(crate) struct AgentInspections {
    pub(crate) agent: Person,
    pub(crate) team: Option<(i64, String)>,
    pub(crate) scores: Vec<f64>,
}

/// One inspection of a plan as the report reads it.
pub(crate) struct Inspected {
    pub(crate) agent: Person,
    pub(crate) team: Option<(i64, String)>,
    pub(crate) external_id: String,
    pub(crate) qa_score: f64,
    pub(crate) highlights: Option<String>,
}

pub(crate) async fn inspected(
    conn: &mut SqliteConnection,
    plan_id: i64,
) -> Result<Vec<Inspected>, AppError> {
    let rows: Vec<InspectedRow> = sqlx::query_as(
        "SELECT a.id, a.employee_no, a.display_name, t.id AS team_id, t.name AS team_name,
                r.external_id, i.qa_score, i.highlights
         FROM qa_inspections i JOIN qa_samples s ON s.id = i.sample_id
         JOIN service_records r ON r.id = s.service_record_id
         JOIN users a ON a.id = r.agent_id LEFT JOIN teams t ON t.id = a.team_id
         WHERE s.plan_id = ? ORDER BY i.id",
    )
    .bind(plan_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Inspected {
            agent: Person {
                id: r.id,
                no: r.employee_no.unwrap_or_default(),
                name: r.display_name,
            },
            team: r.team_id.zip(r.team_name),
            external_id: r.external_id,
            qa_score: r.qa_score,
            highlights: r.highlights,
        })
        .collect())
}

/// Mean rubric score per dimension of a plan, by dimension id.
pub(crate) async fn dimension_means(
    conn: &mut SqliteConnection,
    plan_id: i64,
) -> Result<HashMap<i64, f64>, AppError> {
    let rows: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT q.dimension_id, AVG(q.score) FROM qa_scores q
         JOIN qa_inspections i ON i.id = q.inspection_id JOIN qa_samples s ON s.id = i.sample_id
         WHERE s.plan_id = ? GROUP BY q.dimension_id",
    )
    .bind(plan_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(d, m)| (d, round_to(m, 2))).collect())
}

/// Mean total score and count of the counted evaluations of these agents' services that ended
/// in the period.
pub(crate) async fn customer_scores(
    conn: &mut SqliteConnection,
    agents: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Option<f64>, u64), AppError> {
    if agents.is_empty() {
        return Ok((None, 0));
    }
    let placeholders = vec!["?"; agents.len()].join(", ");
    let sql = format!(
        "SELECT AVG(e.total_score), COUNT(*) FROM evaluations e
         JOIN service_records r ON r.id = e.service_record_id
         WHERE e.agent_id IN ({placeholders}) AND r.ended_at >= ? AND r.ended_at < ?
         AND {}",
        counted("e")
    );
    let mut query = sqlx::query_as::<_, (Option<f64>, i64)>(&sql);
    for agent in agents {
        query = query.bind(agent);
    }
    let (avg, n) = query
        .bind(to_db(org_day_start(from)))
        .bind(to_db(org_day_start(to + Duration::days(1))))
        .fetch_one(conn)
        .await?;
    Ok((avg.map(|a| round_to(a, 2)), count(n)))
}

/// Most highlights a report lists (the latest).
const MAX_HIGHLIGHTS: usize = 12;

/// Builds the report of plan `id`, compared against plan `compare` when given.
pub(crate) async fn build_report(
    conn: &mut SqliteConnection,
    settings: &Settings,
    today: NaiveDate,
    id: i64,
    compare: Option<i64>,
) -> Result<PlanReport, AppError> {
    let (cw, qw) = (
        settings.composite_customer_weight,
        settings.composite_qa_weight,
    );
    let row = plan_row(&mut *conn, id).await?;
    let plan = row.summary()?;
    let template = load_template(&mut *conn, plan.template_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("template {} of a plan", plan.template_id)))?;
    let inspections = inspected(&mut *conn, id).await?;
    let means = dimension_means(&mut *conn, id).await?;

    // Items: how often found wanting, and examples.
    let answers: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT a.item_id, a.result, a.problem FROM qa_answers a
         JOIN qa_inspections i ON i.id = a.inspection_id JOIN qa_samples s ON s.id = i.sample_id
         WHERE s.plan_id = ? ORDER BY i.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_item: HashMap<i64, Vec<(ItemResult, Option<String>)>> = HashMap::new();
    for (item, result, problem) in answers {
        by_item
            .entry(item)
            .or_default()
            .push((parse_stored(&result, ItemResult::parse)?, problem));
    }

    let before_means: HashMap<String, f64> = match compare {
        Some(other) => {
            let other_row = plan_row(&mut *conn, other).await?;
            let other_template = load_template(&mut *conn, other_row.template_id)
                .await?
                .ok_or_else(|| AppError::Internal("template of a compared plan".to_owned()))?;
            let other_means = dimension_means(&mut *conn, other).await?;
            other_template
                .dimensions
                .iter()
                .filter_map(|d| other_means.get(&d.id).map(|m| (d.name_zh.clone(), *m)))
                .collect()
        }
        None => HashMap::new(),
    };

    let dimensions: Vec<DimensionResult> = template
        .dimensions
        .iter()
        .map(|d| {
            let results: Vec<ItemResult> = d
                .items
                .iter()
                .flat_map(|item| by_item.get(&item.id).into_iter().flatten().map(|(r, _)| *r))
                .collect();
            let score = means.get(&d.id).copied();
            DimensionResult {
                dimension_id: d.id,
                name_zh: d.name_zh.clone(),
                name_en: d.name_en.clone(),
                score,
                score_rate: score_rate(&results),
                applicable: results.iter().filter(|r| r.applicable()).count() as u64,
                compliant: results
                    .iter()
                    .filter(|r| **r == ItemResult::Compliant)
                    .count() as u64,
                flagged: flagged(score),
                before: before_means.get(&d.name_zh).copied(),
            }
        })
        .collect();

    let mut problems: Vec<FrequentProblem> = template
        .items()
        .filter_map(|(d, item)| {
            let found = by_item.get(&item.id)?;
            let applicable = found.iter().filter(|(r, _)| r.applicable()).count();
            let wanting: Vec<&(ItemResult, Option<String>)> =
                found.iter().filter(|(r, _)| r.wanting()).collect();
            (!wanting.is_empty()).then(|| FrequentProblem {
                item_id: item.id,
                item_name_zh: item.name_zh.clone(),
                item_name_en: item.name_en.clone(),
                dimension_name_zh: d.name_zh.clone(),
                dimension_name_en: d.name_en.clone(),
                count: wanting.len() as u64,
                share: round_to(wanting.len() as f64 / applicable.max(1) as f64, 4),
                examples: wanting
                    .iter()
                    .filter_map(|(_, p)| p.clone())
                    .take(3)
                    .collect(),
            })
        })
        .collect();
    problems.sort_by(|a, b| b.count.cmp(&a.count).then(a.item_id.cmp(&b.item_id)));
    problems.truncate(10);

    // Agents and teams.
    let mut agent_scores: BTreeMap<i64, AgentInspections> = BTreeMap::new();
    for i in &inspections {
        agent_scores
            .entry(i.agent.id)
            .or_insert_with(|| AgentInspections {
                agent: i.agent.clone(),
                team: i.team.clone(),
                scores: Vec::new(),
            })
            .scores
            .push(i.qa_score);
    }
    let mut agents = Vec::new();
    let mut teams: BTreeMap<i64, (String, Vec<i64>, Vec<f64>)> = BTreeMap::new();
    for (
        agent_id,
        AgentInspections {
            agent: who,
            team,
            scores,
        },
    ) in &agent_scores
    {
        let (customer, evaluations) =
            customer_scores(&mut *conn, &[*agent_id], plan.from, plan.to).await?;
        let qa = mean(scores);
        agents.push(CompositeRow {
            who: who.clone(),
            team_name: team.as_ref().map(|(_, n)| n.clone()),
            inspections: scores.len() as u64,
            qa_score: qa,
            customer_score: customer,
            evaluations,
            composite: composite_score(customer, qa, cw, qw),
        });
        if let Some((team_id, name)) = team {
            let entry = teams
                .entry(*team_id)
                .or_insert_with(|| (name.clone(), Vec::new(), Vec::new()));
            entry.1.push(*agent_id);
            entry.2.extend(scores);
        }
    }
    agents.sort_by(|a, b| {
        b.composite
            .partial_cmp(&a.composite)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.who.no.cmp(&b.who.no))
    });
    let mut team_rows = Vec::new();
    for (team_id, (name, members, scores)) in &teams {
        let (customer, evaluations) =
            customer_scores(&mut *conn, members, plan.from, plan.to).await?;
        let qa = mean(scores);
        team_rows.push(CompositeRow {
            who: Person {
                id: *team_id,
                no: String::new(),
                name: name.clone(),
            },
            team_name: Some(name.clone()),
            inspections: scores.len() as u64,
            qa_score: qa,
            customer_score: customer,
            evaluations,
            composite: composite_score(customer, qa, cw, qw),
        });
    }

    let all_agents: Vec<i64> = agent_scores.keys().copied().collect();
    let (customer_score, _) = customer_scores(&mut *conn, &all_agents, plan.from, plan.to).await?;
    let plan_qa = mean(&inspections.iter().map(|i| i.qa_score).collect::<Vec<_>>());

    let rects = rectifications_where(&mut *conn, "s.plan_id = ?", &[id], today).await?;
    let mut counts = RectificationCounts::default();
    for r in &rects {
        match r.status {
            RectificationStatus::Open => counts.open += 1,
            RectificationStatus::Reported => counts.reported += 1,
            RectificationStatus::Closed => counts.closed += 1,
        }
        if r.overdue {
            counts.overdue += 1;
        }
    }

    let summaries = plan_summaries(&mut *conn).await?;
    let comparison = match compare {
        Some(other) => {
            let other_plan = summaries
                .iter()
                .find(|p| p.id == other)
                .cloned()
                .ok_or_else(|| AppError::NotFound(format!("The inspection plan {other}")))?;
            let other_inspections = inspected(&mut *conn, other).await?;
            let other_agents: Vec<i64> = other_inspections.iter().map(|i| i.agent.id).collect();
            let (other_customer, _) =
                customer_scores(&mut *conn, &other_agents, other_plan.from, other_plan.to).await?;
            let other_qa = mean(
                &other_inspections
                    .iter()
                    .map(|i| i.qa_score)
                    .collect::<Vec<_>>(),
            );
            Some(Comparison {
                plan: other_plan,
                qa_score: other_qa,
                composite: composite_score(other_customer, other_qa, cw, qw),
            })
        }
        None => None,
    };

    Ok(PlanReport {
        scope: row.scope()?,
        strata: row.strata()?,
        inspected: inspections.len() as u64,
        dimensions,
        qa_score: plan_qa,
        customer_score,
        composite: composite_score(customer_score, plan_qa, cw, qw),
        customer_weight: cw,
        qa_weight: qw,
        agents,
        teams: team_rows,
        problems,
        // The latest few: a report to read, not a dump.
        highlights: inspections
            .iter()
            .rev()
            .filter_map(|i| {
                i.highlights.as_ref().map(|text| Highlight {
                    agent: i.agent.clone(),
                    external_id: i.external_id.clone(),
                    text: text.clone(),
                })
            })
            .take(MAX_HIGHLIGHTS)
            .collect(),
        rectifications: counts,
        compare: comparison,
        comparable: summaries.into_iter().filter(|p| p.id != id).collect(),
        plan,
    })
}
