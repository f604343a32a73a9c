//! Inspection plans and their samples as stored, and a new plan written with its drawn
//! sample dealt to the inspectors.

use crate::db::sql;
use std::collections::BTreeMap;

use crate::db::sql::{Conn, QueryBuilder};
use chrono::Duration;
use pingjia_domain::Lang;
use pingjia_domain::problem::FieldError;
use pingjia_domain::qa::{
    NewPlan, Person, PlanScope, PlanSummary, SampleRow, SampleStatus, Stratum, StratumKey,
    StratumPart, assign_evenly, draw_sample,
};
use pingjia_domain::wire::{Channel, CustomerType};

use crate::db::parse_stored;
use crate::db::{decode, from_json, stored_date, to_json};
use crate::error::AppError;
use crate::time::{from_db, org_day_start, to_db};

use super::{count, inspectors, load_template};

// ---------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------

/// What a plan's stratum shows for a value no list knows.
fn unknown() -> (String, String) {
    ("未知".into(), "Unknown".into())
}

pub(crate) fn customer_type_label(value: &str) -> (String, String) {
    CustomerType::parse(value).map_or_else(unknown, |kind| {
        (kind.label(Lang::Zh).into(), kind.label(Lang::En).into())
    })
}

pub(crate) fn channel_label(value: &str) -> (String, String) {
    Channel::parse(value).map_or_else(unknown, |channel| {
        (
            channel.label(Lang::Zh).into(),
            channel.label(Lang::En).into(),
        )
    })
}

#[derive(sqlx::FromRow)]
pub(crate) struct PlanRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) goal: String,
    pub(crate) period_from: String,
    pub(crate) period_to: String,
    pub(crate) template_id: i64,
    pub(crate) template_name_zh: String,
    pub(crate) template_name_en: String,
    pub(crate) seed: i64,
    pub(crate) created_by: i64,
    pub(crate) creator_no: Option<String>,
    pub(crate) creator_name: String,
    pub(crate) created_at: String,
    pub(crate) sample_count: i64,
    pub(crate) inspected_count: i64,
    pub(crate) open_rectifications: i64,
    pub(crate) service_types_json: String,
    pub(crate) channels_json: String,
    pub(crate) customer_types_json: String,
    pub(crate) strata_keys_json: String,
    pub(crate) strata_json: String,
}

pub(crate) const PLAN_SELECT: &str = "SELECT p.id, p.name, p.goal, p.period_from, p.period_to, \
     p.template_id, t.name_zh AS template_name_zh, t.name_en AS template_name_en, p.seed, \
     p.created_by, u.employee_no AS creator_no, u.display_name AS creator_name, p.created_at, \
     (SELECT COUNT(*) FROM qa_samples s WHERE s.plan_id = p.id) AS sample_count, \
     (SELECT COUNT(*) FROM qa_inspections i JOIN qa_samples s ON s.id = i.sample_id \
      WHERE s.plan_id = p.id) AS inspected_count, \
     (SELECT COUNT(*) FROM qa_rectifications r JOIN qa_inspections i ON i.id = r.inspection_id \
      JOIN qa_samples s ON s.id = i.sample_id WHERE s.plan_id = p.id AND r.status <> 'closed') \
      AS open_rectifications, \
     p.service_types_json, p.channels_json, p.customer_types_json, p.strata_keys_json, \
     p.strata_json \
     FROM qa_plans p JOIN qa_templates t ON t.id = p.template_id JOIN users u ON u.id = p.created_by";

impl PlanRow {
    pub(crate) fn summary(&self) -> Result<PlanSummary, sqlx::Error> {
        Ok(PlanSummary {
            id: self.id,
            name: self.name.clone(),
            goal: self.goal.clone(),
            from: stored_date(&self.period_from)?,
            to: stored_date(&self.period_to)?,
            template_id: self.template_id,
            template_name_zh: self.template_name_zh.clone(),
            template_name_en: self.template_name_en.clone(),
            seed: u32::try_from(self.seed).map_err(|_| decode(format!("seed {}", self.seed)))?,
            created_by: Person {
                id: self.created_by,
                no: self.creator_no.clone().unwrap_or_default(),
                name: self.creator_name.clone(),
            },
            created_at: from_db(&self.created_at)?,
            sample_count: count(self.sample_count),
            inspected_count: count(self.inspected_count),
            open_rectifications: count(self.open_rectifications),
        })
    }

    pub(crate) fn scope(&self) -> Result<PlanScope, sqlx::Error> {
        Ok(PlanScope {
            service_types: from_json("plan service types", &self.service_types_json)?,
            channels: from_json("plan channels", &self.channels_json)?,
            customer_types: from_json("plan customer types", &self.customer_types_json)?,
            strata: from_json("plan strata keys", &self.strata_keys_json)?,
        })
    }

    pub(crate) fn strata(&self) -> Result<Vec<Stratum>, sqlx::Error> {
        from_json("plan strata", &self.strata_json)
    }
}

pub(crate) async fn plan_row(conn: &mut Conn, id: i64) -> Result<PlanRow, AppError> {
    sql::query_as(&format!("{PLAN_SELECT} WHERE p.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The inspection plan {id}")))
}

/// Every plan, newest first.
pub(crate) async fn plan_summaries(conn: &mut Conn) -> Result<Vec<PlanSummary>, AppError> {
    let rows: Vec<PlanRow> = sql::query_as(&format!("{PLAN_SELECT} ORDER BY p.id DESC"))
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .map(PlanRow::summary)
        .collect::<Result<_, _>>()?)
}

pub(crate) const SAMPLE_SELECT: &str = "SELECT s.id, s.plan_id, p.name AS plan_name, s.service_record_id, \
     r.external_id, r.agent_id, a.employee_no AS agent_no, a.display_name AS agent_name, \
     st.name_zh AS type_name_zh, st.name_en AS type_name_en, r.channel, c.customer_type, \
     r.ended_at, s.stratum, s.inspector_id, q.employee_no AS inspector_no, \
     q.display_name AS inspector_name, i.qa_score, i.submitted_at, \
     (SELECT COUNT(*) FROM qa_answers x WHERE x.inspection_id = i.id \
      AND x.result IN ('partly', 'non_compliant')) AS wanting, i.id IS NOT NULL AS inspected \
     FROM qa_samples s \
     JOIN qa_plans p ON p.id = s.plan_id \
     JOIN service_records r ON r.id = s.service_record_id \
     JOIN users a ON a.id = r.agent_id \
     JOIN users c ON c.id = r.customer_id \
     JOIN users q ON q.id = s.inspector_id \
     JOIN service_types st ON st.code = r.service_type \
     LEFT JOIN qa_inspections i ON i.sample_id = s.id";

#[derive(sqlx::FromRow)]
pub(crate) struct SampleDbRow {
    pub(crate) id: i64,
    pub(crate) plan_id: i64,
    pub(crate) plan_name: String,
    pub(crate) service_record_id: i64,
    pub(crate) external_id: String,
    pub(crate) agent_id: i64,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) type_name_zh: String,
    pub(crate) type_name_en: String,
    pub(crate) channel: String,
    pub(crate) customer_type: Option<String>,
    pub(crate) ended_at: String,
    pub(crate) stratum: i64,
    pub(crate) inspector_id: i64,
    pub(crate) inspector_no: Option<String>,
    pub(crate) inspector_name: String,
    pub(crate) qa_score: Option<f64>,
    pub(crate) wanting: i64,
    pub(crate) inspected: bool,
}

impl SampleDbRow {
    pub(crate) fn into_row(self) -> Result<SampleRow, sqlx::Error> {
        Ok(SampleRow {
            id: self.id,
            plan_id: self.plan_id,
            plan_name: self.plan_name,
            record_id: self.service_record_id,
            external_id: self.external_id,
            agent: Person {
                id: self.agent_id,
                no: self.agent_no.unwrap_or_default(),
                name: self.agent_name,
            },
            service_type_name_zh: self.type_name_zh,
            service_type_name_en: self.type_name_en,
            channel: parse_stored(&self.channel, Channel::parse)?,
            customer_type: self
                .customer_type
                .as_deref()
                .map(|t| parse_stored(t, CustomerType::parse))
                .transpose()?,
            ended_at: from_db(&self.ended_at)?,
            stratum: usize::try_from(self.stratum).unwrap_or(0),
            inspector: Person {
                id: self.inspector_id,
                no: self.inspector_no.unwrap_or_default(),
                name: self.inspector_name,
            },
            status: if self.inspected {
                SampleStatus::Inspected
            } else {
                SampleStatus::Pending
            },
            qa_score: self.qa_score,
            wanting: u32::try_from(self.wanting).unwrap_or(0),
        })
    }
}

pub(crate) async fn samples_where(
    conn: &mut Conn,
    condition: &str,
    bind: i64,
) -> Result<Vec<SampleRow>, AppError> {
    let rows: Vec<SampleDbRow> = sql::query_as(&format!(
        "{SAMPLE_SELECT} WHERE {condition} ORDER BY s.plan_id DESC, s.id"
    ))
    .bind(bind)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(SampleDbRow::into_row)
        .collect::<Result<_, _>>()?)
}

/// The first `limit` sampled records not inspected yet (of `inspector` when given, every
/// inspector's otherwise), newest plan first, and how many there are in all.
pub(crate) async fn samples_to_inspect(
    conn: &mut Conn,
    inspector: Option<i64>,
    limit: u32,
) -> Result<(Vec<SampleRow>, u64), AppError> {
    let mut q = QueryBuilder::new(SAMPLE_SELECT);
    q.push(" WHERE i.id IS NULL");
    if let Some(inspector) = inspector {
        q.push(" AND s.inspector_id = ").push_bind(inspector);
    }
    q.push(" ORDER BY s.plan_id DESC, s.id LIMIT ")
        .push_bind(i64::from(limit));
    let rows: Vec<SampleDbRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut q = QueryBuilder::new(
        "SELECT COUNT(*) FROM qa_samples s LEFT JOIN qa_inspections i ON i.sample_id = s.id \
         WHERE i.id IS NULL",
    );
    if let Some(inspector) = inspector {
        q.push(" AND s.inspector_id = ").push_bind(inspector);
    }
    let (total,): (i64,) = q.build_query_as().fetch_one(&mut *conn).await?;
    let samples = rows
        .into_iter()
        .map(SampleDbRow::into_row)
        .collect::<Result<_, _>>()?;
    Ok((samples, count(total)))
}

pub(crate) async fn sample(conn: &mut Conn, id: i64) -> Result<SampleRow, AppError> {
    samples_where(conn, "s.id = ?", id)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("The sampled record {id}")))
}

/// A plan as drawn: its id, its strata and how many records were sampled.
pub(crate) struct DrawnPlan {
    pub id: i64,
    pub seed: u32,
    pub strata: Vec<Stratum>,
    pub sampled: usize,
}

/// Checks what [`NewPlan::check`] cannot (the template, inspectors and service types exist),
/// draws the sample of `plan` and writes the plan, its inspectors and its samples.
pub(crate) async fn insert_plan(
    tx: &mut Conn,
    plan: &NewPlan,
    created_by: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<DrawnPlan, AppError> {
    let mut errors = Vec::new();
    match load_template(&mut *tx, plan.template_id).await? {
        None => errors.push(FieldError::new(
            "template_id",
            "unknown",
            "no checklist template has this id",
        )),
        Some(template) if !template.usable() => errors.push(FieldError::new(
            "template_id",
            "no_items",
            "the checklist template has no check item to inspect",
        )),
        Some(_) => {}
    }
    let allowed: Vec<i64> = inspectors(&mut *tx).await?.iter().map(|p| p.id).collect();
    if plan.inspector_ids.iter().any(|id| !allowed.contains(id)) {
        errors.push(FieldError::new(
            "inspector_ids",
            "unknown",
            "every inspector must be an active QA inspector or admin",
        ));
    }
    let type_names: Vec<(String, String, String)> =
        sql::query_as("SELECT code, name_zh, name_en FROM service_types")
            .fetch_all(&mut *tx)
            .await?;
    if plan
        .service_types
        .iter()
        .any(|code| !type_names.iter().any(|(c, _, _)| c == code))
    {
        errors.push(FieldError::new(
            "service_types",
            "unknown",
            "no service type has this code",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // The population in scope.
    let rows: Vec<(i64, String, Option<String>, String)> = sql::query_as(
        "SELECT r.id, r.service_type, c.customer_type, r.channel FROM service_records r
         JOIN users c ON c.id = r.customer_id
         WHERE r.ended_at >= ? AND r.ended_at < ?",
    )
    .bind(to_db(org_day_start(plan.from)))
    .bind(to_db(org_day_start(plan.to + Duration::days(1))))
    .fetch_all(&mut *tx)
    .await?;
    let mut groups: BTreeMap<Vec<String>, Vec<i64>> = BTreeMap::new();
    for (id, service_type, customer_type, channel) in rows {
        let customer_type = customer_type.unwrap_or_else(|| "unknown".to_owned());
        let in_scope = (plan.service_types.is_empty()
            || plan.service_types.contains(&service_type))
            && (plan.channels.is_empty() || plan.channels.iter().any(|c| c.as_str() == channel))
            && (plan.customer_types.is_empty()
                || plan
                    .customer_types
                    .iter()
                    .any(|t| t.as_str() == customer_type));
        if !in_scope {
            continue;
        }
        let key = plan
            .strata
            .iter()
            .map(|k| match k {
                StratumKey::ServiceType => service_type.clone(),
                StratumKey::CustomerType => customer_type.clone(),
                StratumKey::Channel => channel.clone(),
            })
            .collect();
        groups.entry(key).or_default().push(id);
    }
    if groups.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new(
            "scope",
            "empty",
            "no service record ended in this period within this scope",
        )]));
    }
    let seed = plan.seed.unwrap_or_else(rand::random);
    let mut strata = Vec::new();
    let mut drawn: Vec<(usize, i64)> = Vec::new();
    for (index, (values, ids)) in groups.iter().enumerate() {
        let sample = draw_sample(ids, seed);
        let parts = plan
            .strata
            .iter()
            .zip(values)
            .map(|(key, value)| {
                let (label_zh, label_en) = match key {
                    StratumKey::ServiceType => type_names
                        .iter()
                        .find(|(c, _, _)| c == value)
                        .map(|(_, zh, en)| (zh.clone(), en.clone()))
                        .unwrap_or_else(|| (value.clone(), value.clone())),
                    StratumKey::CustomerType => customer_type_label(value),
                    StratumKey::Channel => channel_label(value),
                };
                StratumPart {
                    key: *key,
                    value: value.clone(),
                    label_zh,
                    label_en,
                }
            })
            .collect();
        strata.push(Stratum {
            parts,
            population: ids.len() as u64,
            sample: sample.len() as u64,
        });
        drawn.extend(sample.into_iter().map(|id| (index, id)));
    }
    let mut dealers = plan.inspector_ids.clone();
    dealers.sort_unstable();
    dealers.dedup();
    let dealt = assign_evenly(drawn.len(), &dealers).unwrap_or_default();
    let plan_id: i64 = sql::query_scalar(
        "INSERT INTO qa_plans (name, goal, period_from, period_to, template_id,
                               service_types_json, channels_json, customer_types_json,
                               strata_keys_json, strata_json, seed, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(plan.name.trim())
    .bind(plan.goal.trim())
    .bind(plan.from.to_string())
    .bind(plan.to.to_string())
    .bind(plan.template_id)
    .bind(to_json("service types", &plan.service_types)?)
    .bind(to_json("channels", &plan.channels)?)
    .bind(to_json("customer types", &plan.customer_types)?)
    .bind(to_json("strata keys", &plan.strata)?)
    .bind(to_json("strata", &strata)?)
    .bind(i64::from(seed))
    .bind(created_by)
    .bind(to_db(now))
    .fetch_one(&mut *tx)
    .await?;
    for inspector in &dealers {
        sql::query("INSERT INTO qa_plan_inspectors (plan_id, user_id) VALUES (?, ?)")
            .bind(plan_id)
            .bind(inspector)
            .execute(&mut *tx)
            .await?;
    }
    for ((stratum, record), inspector) in drawn.iter().zip(&dealt) {
        sql::query(
            "INSERT INTO qa_samples (plan_id, service_record_id, stratum, inspector_id)
             VALUES (?, ?, ?, ?)",
        )
        .bind(plan_id)
        .bind(record)
        .bind(*stratum as i64)
        .bind(inspector)
        .execute(&mut *tx)
        .await?;
    }
    Ok(DrawnPlan {
        id: plan_id,
        seed,
        strata,
        sampled: drawn.len(),
    })
}
