//! A QA plan's report (质检报告): reads the plan, its inspections and the customers' scores of
//! its agents through `db::qa`, and aggregates them with the domain's rules (dimension
//! results, frequent problems, composite scores).

use std::collections::{BTreeMap, HashMap};

use crate::db::sql::Conn;
use chrono::{DateTime, NaiveDate, Utc};
use pingjia_domain::feedback::plan_compare_days;
use pingjia_domain::qa::{
    AnchorWindow, CoachingAnchor, Comparison, CompositeRow, Highlight, Person, PlanReport,
    RectificationCounts, anchor_items, composite_score, dimension_results, frequent_problems, mean,
    round_to,
};
use pingjia_domain::settings::Settings;

use crate::db::feedback::CoachingRow;
use crate::db::qa as db;
use crate::error::AppError;
use crate::time::{org_day, org_day_start};

/// An agent's inspections in a plan: who, their team, the QA scores.
struct AgentInspections {
    agent: Person,
    team: Option<(i64, String)>,
    scores: Vec<f64>,
}

/// Most highlights a report lists (the latest).
const MAX_HIGHLIGHTS: usize = 12;

/// The mean customer score of `agents` from their sums (rounded to two decimals), and the
/// number of evaluations it is of.
fn customer_mean(sums: &HashMap<i64, (f64, u64)>, agents: &[i64]) -> (Option<f64>, u64) {
    let (total, n) = agents
        .iter()
        .filter_map(|agent| sums.get(agent))
        .fold((0.0, 0), |(total, n), (sum, count)| {
            (total + sum, n + count)
        });
    let mean = (n > 0).then(|| round_to(total / n as f64, 2));
    (mean, n)
}

/// Builds the report of plan `id`, compared against plan `compare` when given.
pub async fn build_report(
    conn: &mut Conn,
    settings: &Settings,
    today: NaiveDate,
    id: i64,
    compare: Option<i64>,
) -> Result<PlanReport, AppError> {
    let (cw, qw) = (
        settings.composite_customer_weight,
        settings.composite_qa_weight,
    );
    let row = db::plan_row(&mut *conn, id).await?;
    let plan = row.summary()?;
    let template = db::load_template(&mut *conn, plan.template_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("template {} of a plan", plan.template_id)))?;
    let inspections = db::inspected(&mut *conn, id).await?;
    let means = db::dimension_means(&mut *conn, id).await?;

    let answers = db::item_answers(&mut *conn, id).await?;

    let before_means: HashMap<String, f64> = match compare {
        Some(other) => {
            let other_row = db::plan_row(&mut *conn, other).await?;
            let other_template = db::load_template(&mut *conn, other_row.template_id)
                .await?
                .ok_or_else(|| AppError::Internal("template of a compared plan".to_owned()))?;
            let other_means = db::dimension_means(&mut *conn, other).await?;
            other_template
                .dimensions
                .iter()
                .filter_map(|d| other_means.get(&d.id).map(|m| (d.name_zh.clone(), *m)))
                .collect()
        }
        None => HashMap::new(),
    };

    let dimensions = dimension_results(&template, &answers, &means, &before_means);
    let problems = frequent_problems(&template, &answers);

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
    let all_agents: Vec<i64> = agent_scores.keys().copied().collect();
    let sums = db::customer_sums(&mut *conn, &all_agents, plan.from, plan.to).await?;
    let names_en = crate::db::analytics::team_names_en(&mut *conn).await?;
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
        let (customer, evaluations) = customer_mean(&sums, &[*agent_id]);
        let qa = mean(scores);
        agents.push(CompositeRow {
            who: who.clone(),
            team_name: team.as_ref().map(|(_, n)| n.clone()),
            team_name_en: team.as_ref().and_then(|(id, _)| names_en.get(id).cloned()),
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
        let (customer, evaluations) = customer_mean(&sums, members);
        let qa = mean(scores);
        team_rows.push(CompositeRow {
            who: Person {
                id: *team_id,
                no: String::new(),
                name: name.clone(),
            },
            team_name: Some(name.clone()),
            team_name_en: names_en.get(team_id).cloned(),
            inspections: scores.len() as u64,
            qa_score: qa,
            customer_score: customer,
            evaluations,
            composite: composite_score(customer, qa, cw, qw),
        });
    }

    let (customer_score, _) = customer_mean(&sums, &all_agents);
    let plan_qa = mean(&inspections.iter().map(|i| i.qa_score).collect::<Vec<_>>());

    let rects = db::rectifications_where(&mut *conn, "s.plan_id = ?", &[id], today).await?;
    let counts = RectificationCounts::tally(rects.iter().map(|r| (r.status, r.overdue)));

    let summaries = db::plan_summaries(&mut *conn).await?;
    let comparison = match compare {
        Some(other) => {
            let other_plan = summaries
                .iter()
                .find(|p| p.id == other)
                .cloned()
                .ok_or_else(|| AppError::NotFound(format!("The inspection plan {other}")))?;
            let other_inspections = db::inspected(&mut *conn, other).await?;
            // Each agent once (an agent inspected twice counts their evaluations once).
            let other_agents: Vec<i64> = other_inspections
                .iter()
                .map(|i| i.agent.id)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let other_sums =
                db::customer_sums(&mut *conn, &other_agents, other_plan.from, other_plan.to)
                    .await?;
            let (other_customer, _) = customer_mean(&other_sums, &other_agents);
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
        dispute_inspectors: db::inspector_disputes(&mut *conn, id).await?,
        dispute_items: db::item_disputes(&mut *conn, id).await?,
        coaching: None,
        plan,
    })
}

/// Builds the report of plan `id` anchored on the coaching session `session`: about its agent,
/// the inspections of their services that ended in the 30 whole days before the session's day
/// against those of the 30 after (the improvement plan's windows, `plan_compare_days`; the
/// after window's figures once it has passed, as the session's own comparison), in the plans
/// on this plan's checklist, per dimension and per item. The plan's other tables stay empty:
/// they are about other agents.
pub(crate) async fn build_coaching_report(
    conn: &mut Conn,
    settings: &Settings,
    now: DateTime<Utc>,
    id: i64,
    session: &CoachingRow,
) -> Result<PlanReport, AppError> {
    let row = db::plan_row(&mut *conn, id).await?;
    let plan = row.summary()?;
    let template = db::load_template(&mut *conn, plan.template_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("template {} of a plan", plan.template_id)))?;
    let held_at = session.created_at()?;
    let [before_days, after_days] = plan_compare_days(org_day(held_at));
    let before =
        db::agent_window(&mut *conn, plan.template_id, session.agent_id, before_days).await?;
    let after_complete = now >= org_day_start(after_days.1);
    let after = if after_complete {
        db::agent_window(&mut *conn, plan.template_id, session.agent_id, after_days).await?
    } else {
        db::AgentWindow::default()
    };
    let before_means: HashMap<String, f64> = (template.dimensions.iter())
        .filter_map(|d| before.means.get(&d.id).map(|m| (d.name_zh.clone(), *m)))
        .collect();
    let window =
        |(first, end): (NaiveDate, NaiveDate), w: &db::AgentWindow, complete| AnchorWindow {
            first,
            last: end.pred_opt().unwrap_or(end),
            complete,
            inspected: w.qa_scores.len() as u64,
            qa_score: mean(&w.qa_scores),
        };
    let anchor = CoachingAnchor {
        session_id: session.id,
        agent: Person {
            id: session.agent_id,
            no: session.agent_no.clone().unwrap_or_default(),
            name: session.agent_name.clone(),
        },
        coach_name: session.coach_name.clone(),
        held_at,
        before: window(before_days, &before, true),
        after: window(after_days, &after, after_complete),
        items: anchor_items(&template, &before.answers, &after.answers),
    };
    Ok(PlanReport {
        scope: row.scope()?,
        strata: row.strata()?,
        inspected: after.qa_scores.len() as u64,
        dimensions: dimension_results(&template, &after.answers, &after.means, &before_means),
        qa_score: mean(&after.qa_scores),
        customer_score: None,
        composite: None,
        customer_weight: settings.composite_customer_weight,
        qa_weight: settings.composite_qa_weight,
        agents: Vec::new(),
        teams: Vec::new(),
        problems: Vec::new(),
        highlights: Vec::new(),
        rectifications: RectificationCounts::default(),
        compare: None,
        comparable: Vec::new(),
        dispute_inspectors: Vec::new(),
        dispute_items: Vec::new(),
        coaching: Some(anchor),
        plan,
    })
}
