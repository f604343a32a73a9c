//! Internal QA (质检): checklist templates (`/qa/templates`), inspection plans that draw a
//! seeded stratified sample of service records and deal it to inspectors (`/qa/plans`), the
//! inspection of one sampled record (`/qa/samples/{id}`), the rectification of every item found
//! wanting (`/qa/rectifications`), the plan's report (`/qa/plans/{id}/report`, also as CSV) and
//! an agent's or team lead's own results (`/me/qa`).
//!
//! QA inspectors and admins reach everything under `/qa`; the owner of a rectification (an agent
//! or a team lead) reports its result. The rules (sample sizes, dealing, scores, checks) are in
//! `pingjia_domain::qa`; this module stores and aggregates. Every change is audited.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use pingjia_domain::Problem;
use pingjia_domain::problem::FieldError;
use pingjia_domain::qa::{
    ChecklistTemplate, Comparison, CompositeRow, CustomerScore, CustomerView, DimensionResult,
    DimensionScore, FrequentProblem, Highlight, Inspection, InspectionSheet, ItemAnswer,
    ItemResult, MyDimension, MyInspection, MyQa, NewInspection, NewPlan, NewTemplate, Person,
    PlanDetail, PlanOptions, PlanReport, PlanScope, PlanSummary, QaHome, Recheck, Rectification,
    RectificationCounts, RectificationReport, RectificationResult, RectificationStatus,
    RubricLevel, SampleRow, SampleStatus, ServiceTypeOption, Stratum, StratumKey, StratumPart,
    TemplateDimension, TemplateItem, assign_evenly, composite_score, draw_sample, flagged, mean,
    qa_score, rectification_overdue, round_to, score_rate,
};
use pingjia_domain::wire::{Channel, CustomerType, Role};
use serde::Deserialize;
use serde_json::json;
use sqlx::SqliteConnection;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::calendar::work_calendar;
use crate::db::parse_stored;
use crate::db::records::load_record_by_id;
use crate::db::{decode, from_json, small, stored_date, to_json};
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Query};
use crate::http::idempotency::{Begin, HashedJson, Idempotency, IdempotencyKey, stored_response};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::moderation::counted;
use crate::time::{from_db, org_day, org_day_start, org_zone, to_db};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(qa_home))
        .routes(routes!(plan_options))
        .routes(routes!(list_templates, create_template))
        .routes(routes!(get_template, update_template))
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan))
        .routes(routes!(plan_report))
        .routes(routes!(plan_report_csv))
        .routes(routes!(inspection_sheet))
        .routes(routes!(save_inspection))
        .routes(routes!(list_rectifications))
        .routes(routes!(report_rectification))
        .routes(routes!(recheck_rectification))
        .routes(routes!(my_qa))
}

const TEMPLATE_ROUTE: &str = "POST /api/v1/qa/templates";
const PLAN_ROUTE: &str = "POST /api/v1/qa/plans";

/// Most highlights a report lists (the latest).
const MAX_HIGHLIGHTS: usize = 12;

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Today in the organisation's zone, by the injectable clock.
fn today(state: &AppState) -> NaiveDate {
    org_day(state.clock.now())
}

// ---------------------------------------------------------------------------------------------
// People, templates
// ---------------------------------------------------------------------------------------------

async fn person(conn: &mut SqliteConnection, id: i64) -> Result<Person, sqlx::Error> {
    let (no, name): (Option<String>, String) =
        sqlx::query_as("SELECT employee_no, display_name FROM users WHERE id = ?")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(Person {
        id,
        no: no.unwrap_or_default(),
        name,
    })
}

async fn inspectors(conn: &mut SqliteConnection) -> Result<Vec<Person>, sqlx::Error> {
    let rows: Vec<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT id, employee_no, display_name FROM users
         WHERE role IN ('qa_inspector', 'admin') AND disabled = 0
         ORDER BY role = 'admin', employee_no",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, no, name)| Person {
            id,
            no: no.unwrap_or_default(),
            name,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct TemplateRow {
    id: i64,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    updated_at: String,
    in_use: bool,
}

async fn template_rows(
    conn: &mut SqliteConnection,
    id: Option<i64>,
) -> Result<Vec<ChecklistTemplate>, sqlx::Error> {
    let rows: Vec<TemplateRow> = sqlx::query_as(
        "SELECT t.id, t.name_zh, t.name_en, t.description_zh, t.description_en, t.updated_at,
                EXISTS (SELECT 1 FROM qa_plans p WHERE p.template_id = t.id) AS in_use
         FROM qa_templates t WHERE ?1 IS NULL OR t.id = ?1 ORDER BY t.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let dims: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT id, template_id, name_zh, name_en, levels FROM qa_dimensions
         WHERE ?1 IS NULL OR template_id = ?1 ORDER BY template_id, position, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT i.id, i.dimension_id, i.name_zh, i.name_en, i.standard_zh, i.standard_en
         FROM qa_items i JOIN qa_dimensions d ON d.id = i.dimension_id
         WHERE ?1 IS NULL OR d.template_id = ?1 ORDER BY i.dimension_id, i.position, i.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut items_of: HashMap<i64, Vec<TemplateItem>> = HashMap::new();
    for (id, dimension_id, name_zh, name_en, standard_zh, standard_en) in items {
        items_of
            .entry(dimension_id)
            .or_default()
            .push(TemplateItem {
                id,
                name_zh,
                name_en,
                standard_zh,
                standard_en,
            });
    }
    let mut dims_of: HashMap<i64, Vec<TemplateDimension>> = HashMap::new();
    for (id, template_id, name_zh, name_en, levels) in dims {
        let levels: Vec<RubricLevel> = from_json("rubric levels", &levels)?;
        dims_of
            .entry(template_id)
            .or_default()
            .push(TemplateDimension {
                id,
                name_zh,
                name_en,
                levels,
                items: items_of.remove(&id).unwrap_or_default(),
            });
    }
    rows.into_iter()
        .map(|r| {
            Ok(ChecklistTemplate {
                dimensions: dims_of.remove(&r.id).unwrap_or_default(),
                id: r.id,
                name_zh: r.name_zh,
                name_en: r.name_en,
                description_zh: r.description_zh,
                description_en: r.description_en,
                in_use: r.in_use,
                updated_at: from_db(&r.updated_at)?,
            })
        })
        .collect()
}

pub(crate) async fn load_template(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<ChecklistTemplate>, sqlx::Error> {
    Ok(template_rows(conn, Some(id)).await?.pop())
}

/// Writes the dimensions and items of template `id` (replacing any it had).
async fn write_template_body(
    conn: &mut SqliteConnection,
    id: i64,
    template: &NewTemplate,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM qa_dimensions WHERE template_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (i, d) in template.dimensions.iter().enumerate() {
        let dimension_id: i64 = sqlx::query_scalar(
            "INSERT INTO qa_dimensions (template_id, position, name_zh, name_en, levels)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&d.name_zh)
        .bind(&d.name_en)
        .bind(to_json("rubric levels", &d.levels)?)
        .fetch_one(&mut *conn)
        .await?;
        for (j, item) in d.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO qa_items (dimension_id, position, name_zh, name_en, standard_zh,
                                       standard_en)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(dimension_id)
            .bind(j as i64 + 1)
            .bind(&item.name_zh)
            .bind(&item.name_en)
            .bind(&item.standard_zh)
            .bind(&item.standard_en)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// The checklist templates, the seeded ones first.
#[utoipa::path(
    get,
    path = "/qa/templates",
    tag = "qa",
    operation_id = "list_qa_templates",
    responses((status = 200, description = "Every template with its dimensions and items", body = Vec<ChecklistTemplate>))
)]
async fn list_templates(
    State(state): State<AppState>,
) -> Result<Json<Vec<ChecklistTemplate>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(template_rows(&mut conn, None).await?))
}

/// One checklist template.
#[utoipa::path(
    get,
    path = "/qa/templates/{id}",
    tag = "qa",
    operation_id = "get_qa_template",
    params(("id" = i64, Path, description = "The template's id")),
    responses(
        (status = 200, description = "The template", body = ChecklistTemplate),
        (status = 404, description = "No such template", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_template(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<ChecklistTemplate>, AppError> {
    let mut conn = state.pool.acquire().await?;
    load_template(&mut conn, id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("The checklist template {id}")))
}

/// Create a checklist template (with an `Idempotency-Key`).
///
/// 422 with one entry per invalid field (`name_zh`, `dimensions`,
/// `dimensions.{i}.items.{j}.standard_zh`, `dimensions.{i}.levels.{k}.score`…). English names
/// left empty take the Chinese.
#[utoipa::path(
    post,
    path = "/qa/templates",
    tag = "qa",
    operation_id = "create_qa_template",
    params(("Idempotency-Key" = String, Header, description = "8 to 128 visible ASCII characters")),
    request_body = NewTemplate,
    responses(
        (status = 201, description = "Created", body = ChecklistTemplate),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create_template(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    key: IdempotencyKey,
    body: HashedJson<NewTemplate>,
) -> Result<Response, AppError> {
    let idempotency =
        match Idempotency::begin(&state, caller.id, &key, TEMPLATE_ROUTE, &body.hash).await? {
            Begin::Replay(response) => return Ok(response),
            Begin::Proceed(idempotency) => idempotency,
        };
    body.value.check().map_err(AppError::Validation)?;
    let template = body.value.normalized();
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO qa_templates (name_zh, name_en, description_zh, description_en, updated_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&template.name_zh)
    .bind(&template.name_en)
    .bind(&template.description_zh)
    .bind(&template.description_en)
    .bind(to_db(now))
    .fetch_one(&mut *tx)
    .await?;
    write_template_body(&mut tx, id, &template).await?;
    let saved = load_template(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal("the template just created".to_owned()))?;
    let body = to_json("template", &saved)?;
    idempotency
        .store(&mut tx, StatusCode::CREATED, None, &body, now)
        .await?;
    let entry = Entry::new(now, Action::QaTemplateSaved)
        .by(Actor::user(&caller, ip))
        .on("qa_template", id)
        .details(json!({ "name": saved.name_zh, "created": true }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(stored_response(StatusCode::CREATED, None, body))
}

/// Replace a checklist template that no plan uses yet.
///
/// A template a plan uses answers 409 `template_in_use`: its past inspections refer to its
/// items; create a copy instead.
#[utoipa::path(
    put,
    path = "/qa/templates/{id}",
    tag = "qa",
    operation_id = "update_qa_template",
    params(("id" = i64, Path, description = "The template's id")),
    request_body = NewTemplate,
    responses(
        (status = 200, description = "Saved", body = ChecklistTemplate),
        (status = 404, description = "No such template", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`template_in_use`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update_template(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<NewTemplate>,
) -> Result<Json<ChecklistTemplate>, AppError> {
    body.check().map_err(AppError::Validation)?;
    let template = body.normalized();
    let now = state.clock.now();
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let existing = load_template(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The checklist template {id}")))?;
    if existing.in_use {
        return Err(Coded::conflict(
            "template_in_use",
            "A plan uses this template and its inspections refer to its items; copy it into a \
             new template to change it",
        )
        .into());
    }
    sqlx::query(
        "UPDATE qa_templates SET name_zh = ?, name_en = ?, description_zh = ?,
                                 description_en = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(&template.name_zh)
    .bind(&template.name_en)
    .bind(&template.description_zh)
    .bind(&template.description_en)
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    write_template_body(&mut tx, id, &template).await?;
    let saved = load_template(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal("the template just saved".to_owned()))?;
    let entry = Entry::new(now, Action::QaTemplateSaved)
        .by(Actor::user(&caller, ip))
        .on("qa_template", id)
        .details(json!({ "name": saved.name_zh, "created": false }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

// ---------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------

fn customer_type_label(value: &str) -> (String, String) {
    let (zh, en) = match CustomerType::parse(value) {
        Some(CustomerType::New) => ("新客", "New"),
        Some(CustomerType::Returning) => ("老客", "Returning"),
        Some(CustomerType::Member) => ("会员", "Member"),
        None => ("未知", "Unknown"),
    };
    (zh.to_owned(), en.to_owned())
}

fn channel_label(value: &str) -> (String, String) {
    let (zh, en) = match Channel::parse(value) {
        Some(Channel::Online) => ("线上", "Online"),
        Some(Channel::Offline) => ("线下", "Offline"),
        None => ("未知", "Unknown"),
    };
    (zh.to_owned(), en.to_owned())
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    name: String,
    goal: String,
    period_from: String,
    period_to: String,
    template_id: i64,
    template_name_zh: String,
    template_name_en: String,
    seed: i64,
    created_by: i64,
    creator_no: Option<String>,
    creator_name: String,
    created_at: String,
    sample_count: i64,
    inspected_count: i64,
    open_rectifications: i64,
    service_types_json: String,
    channels_json: String,
    customer_types_json: String,
    strata_keys_json: String,
    strata_json: String,
}

const PLAN_SELECT: &str = "SELECT p.id, p.name, p.goal, p.period_from, p.period_to, \
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
    fn summary(&self) -> Result<PlanSummary, sqlx::Error> {
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

    fn scope(&self) -> Result<PlanScope, sqlx::Error> {
        Ok(PlanScope {
            service_types: from_json("plan service types", &self.service_types_json)?,
            channels: from_json("plan channels", &self.channels_json)?,
            customer_types: from_json("plan customer types", &self.customer_types_json)?,
            strata: from_json("plan strata keys", &self.strata_keys_json)?,
        })
    }

    fn strata(&self) -> Result<Vec<Stratum>, sqlx::Error> {
        from_json("plan strata", &self.strata_json)
    }
}

async fn plan_row(conn: &mut SqliteConnection, id: i64) -> Result<PlanRow, AppError> {
    sqlx::query_as(&format!("{PLAN_SELECT} WHERE p.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The inspection plan {id}")))
}

async fn plan_summaries(conn: &mut SqliteConnection) -> Result<Vec<PlanSummary>, AppError> {
    let rows: Vec<PlanRow> = sqlx::query_as(&format!("{PLAN_SELECT} ORDER BY p.id DESC"))
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .map(PlanRow::summary)
        .collect::<Result<_, _>>()?)
}

const SAMPLE_SELECT: &str = "SELECT s.id, s.plan_id, p.name AS plan_name, s.service_record_id, \
     r.external_id, r.agent_id, a.employee_no AS agent_no, a.display_name AS agent_name, \
     st.name_zh AS type_name_zh, st.name_en AS type_name_en, r.channel, c.customer_type, \
     r.ended_at, s.stratum, s.inspector_id, q.employee_no AS inspector_no, \
     q.display_name AS inspector_name, i.qa_score, \
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
struct SampleDbRow {
    id: i64,
    plan_id: i64,
    plan_name: String,
    service_record_id: i64,
    external_id: String,
    agent_id: i64,
    agent_no: Option<String>,
    agent_name: String,
    type_name_zh: String,
    type_name_en: String,
    channel: String,
    customer_type: Option<String>,
    ended_at: String,
    stratum: i64,
    inspector_id: i64,
    inspector_no: Option<String>,
    inspector_name: String,
    qa_score: Option<f64>,
    wanting: i64,
    inspected: bool,
}

impl SampleDbRow {
    fn into_row(self) -> Result<SampleRow, sqlx::Error> {
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

async fn samples_where(
    conn: &mut SqliteConnection,
    condition: &str,
    bind: i64,
) -> Result<Vec<SampleRow>, AppError> {
    let rows: Vec<SampleDbRow> = sqlx::query_as(&format!(
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

async fn sample(conn: &mut SqliteConnection, id: i64) -> Result<SampleRow, AppError> {
    samples_where(conn, "s.id = ?", id)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("The sampled record {id}")))
}

async fn plan_detail(conn: &mut SqliteConnection, id: i64) -> Result<PlanDetail, AppError> {
    let row = plan_row(&mut *conn, id).await?;
    let people: Vec<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT u.id, u.employee_no, u.display_name FROM qa_plan_inspectors pi
         JOIN users u ON u.id = pi.user_id WHERE pi.plan_id = ? ORDER BY u.employee_no",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(PlanDetail {
        plan: row.summary()?,
        scope: row.scope()?,
        strata: row.strata()?,
        inspectors: people
            .into_iter()
            .map(|(id, no, name)| Person {
                id,
                no: no.unwrap_or_default(),
                name,
            })
            .collect(),
        samples: samples_where(conn, "s.plan_id = ?", id).await?,
    })
}

/// What the plan form offers: templates, inspectors, service types, today.
#[utoipa::path(
    get,
    path = "/qa/options",
    tag = "qa",
    operation_id = "qa_plan_options",
    responses((status = 200, description = "The choices of the plan form", body = PlanOptions))
)]
async fn plan_options(State(state): State<AppState>) -> Result<Json<PlanOptions>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let types: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT code, name_zh, name_en FROM service_types WHERE archived = 0 ORDER BY position",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Json(PlanOptions {
        templates: template_rows(&mut conn, None).await?,
        inspectors: inspectors(&mut conn).await?,
        service_types: types
            .into_iter()
            .map(|(code, name_zh, name_en)| ServiceTypeOption {
                code,
                name_zh,
                name_en,
            })
            .collect(),
        today: today(&state),
    }))
}

/// Every inspection plan, newest first.
#[utoipa::path(
    get,
    path = "/qa/plans",
    tag = "qa",
    operation_id = "list_qa_plans",
    responses((status = 200, description = "The plans with their progress", body = Vec<PlanSummary>))
)]
async fn list_plans(State(state): State<AppState>) -> Result<Json<Vec<PlanSummary>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(plan_summaries(&mut conn).await?))
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
    tx: &mut SqliteConnection,
    plan: &NewPlan,
    created_by: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<DrawnPlan, AppError> {
    let mut errors = Vec::new();
    if load_template(&mut *tx, plan.template_id).await?.is_none() {
        errors.push(FieldError::new(
            "template_id",
            "unknown",
            "no checklist template has this id",
        ));
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
        sqlx::query_as("SELECT code, name_zh, name_en FROM service_types")
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
    let rows: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
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
    let plan_id: i64 = sqlx::query_scalar(
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
        sqlx::query("INSERT INTO qa_plan_inspectors (plan_id, user_id) VALUES (?, ?)")
            .bind(plan_id)
            .bind(inspector)
            .execute(&mut *tx)
            .await?;
    }
    for ((stratum, record), inspector) in drawn.iter().zip(&dealt) {
        sqlx::query(
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

/// Create an inspection plan and draw its sample (with an `Idempotency-Key`).
///
/// The population is every service record that ended in the period (organisation days, both
/// included) and matches the scope (empty lists match everything). It is split into strata by
/// the chosen keys; from each stratum of N records n = min(N, max(⌈10 % N⌉, 30)) are drawn by
/// the seed (drawn at random when not sent, and kept: the same seed and records give the same
/// sample), then dealt to the inspectors in turn. 422 with field errors: `name`, `to`, `from`,
/// `inspector_ids` (`required` or `unknown`: not a QA inspector or admin), `template_id`
/// (`unknown`), `service_types` (`unknown`), `scope` (`empty`: no record in scope).
#[utoipa::path(
    post,
    path = "/qa/plans",
    tag = "qa",
    operation_id = "create_qa_plan",
    params(("Idempotency-Key" = String, Header, description = "8 to 128 visible ASCII characters")),
    request_body = NewPlan,
    responses(
        (status = 201, description = "Created, with its sample", body = PlanDetail),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create_plan(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    key: IdempotencyKey,
    body: HashedJson<NewPlan>,
) -> Result<Response, AppError> {
    let idempotency =
        match Idempotency::begin(&state, caller.id, &key, PLAN_ROUTE, &body.hash).await? {
            Begin::Replay(response) => return Ok(response),
            Begin::Proceed(idempotency) => idempotency,
        };
    let plan = body.value;
    let now = state.clock.now();
    plan.check(org_day(now)).map_err(AppError::Validation)?;
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let DrawnPlan {
        id: plan_id,
        seed,
        strata,
        sampled,
    } = insert_plan(&mut tx, &plan, caller.id, now).await?;
    let detail = plan_detail(&mut tx, plan_id).await?;
    let body = to_json("plan", &detail)?;
    idempotency
        .store(&mut tx, StatusCode::CREATED, None, &body, now)
        .await?;
    let entry = Entry::new(now, Action::QaPlanCreated)
        .by(Actor::user(&caller, ip))
        .on("qa_plan", plan_id)
        .details(json!({
            "name": detail.plan.name,
            "seed": seed,
            "population": strata.iter().map(|s| s.population).sum::<u64>(),
            "sample": sampled,
        }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(stored_response(StatusCode::CREATED, None, body))
}

/// An inspection plan: scope, strata with their N and n, inspectors and the sample.
#[utoipa::path(
    get,
    path = "/qa/plans/{id}",
    tag = "qa",
    operation_id = "get_qa_plan",
    params(("id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan", body = PlanDetail),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_plan(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<PlanDetail>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(plan_detail(&mut conn, id).await?))
}

// ---------------------------------------------------------------------------------------------
// Rectifications
// ---------------------------------------------------------------------------------------------

const RECT_SELECT: &str = "SELECT x.id, s.plan_id, p.name AS plan_name, s.id AS sample_id, \
     r.id AS record_id, r.external_id, r.agent_id, a.employee_no AS agent_no, \
     a.display_name AS agent_name, x.item_id, it.name_zh AS item_name_zh, \
     it.name_en AS item_name_en, d.name_zh AS dimension_name_zh, d.name_en AS dimension_name_en, \
     an.result AS found, COALESCE(an.problem, '') AS problem, x.owner_id, \
     o.employee_no AS owner_no, o.display_name AS owner_name, x.deadline, x.status, x.result, \
     x.owner_note, x.reported_at, x.check_note, x.checked_by, ck.employee_no AS checker_no, \
     ck.display_name AS checker_name, x.checked_at, i.inspector_id, \
     q.employee_no AS inspector_no, q.display_name AS inspector_name \
     FROM qa_rectifications x \
     JOIN qa_inspections i ON i.id = x.inspection_id \
     JOIN qa_samples s ON s.id = i.sample_id \
     JOIN qa_plans p ON p.id = s.plan_id \
     JOIN service_records r ON r.id = s.service_record_id \
     JOIN users a ON a.id = r.agent_id \
     JOIN qa_items it ON it.id = x.item_id \
     JOIN qa_dimensions d ON d.id = it.dimension_id \
     JOIN qa_answers an ON an.inspection_id = i.id AND an.item_id = x.item_id \
     JOIN users o ON o.id = x.owner_id \
     JOIN users q ON q.id = i.inspector_id \
     LEFT JOIN users ck ON ck.id = x.checked_by";

#[derive(sqlx::FromRow)]
struct RectRow {
    id: i64,
    plan_id: i64,
    plan_name: String,
    sample_id: i64,
    record_id: i64,
    external_id: String,
    agent_id: i64,
    agent_no: Option<String>,
    agent_name: String,
    item_id: i64,
    item_name_zh: String,
    item_name_en: String,
    dimension_name_zh: String,
    dimension_name_en: String,
    found: String,
    problem: String,
    owner_id: i64,
    owner_no: Option<String>,
    owner_name: String,
    deadline: String,
    status: String,
    result: Option<String>,
    owner_note: Option<String>,
    reported_at: Option<String>,
    check_note: Option<String>,
    checked_by: Option<i64>,
    checker_no: Option<String>,
    checker_name: Option<String>,
    checked_at: Option<String>,
    inspector_id: i64,
    inspector_no: Option<String>,
    inspector_name: String,
}

impl RectRow {
    fn into_rectification(self, today: NaiveDate) -> Result<Rectification, sqlx::Error> {
        let status = parse_stored(&self.status, RectificationStatus::parse)?;
        let deadline = stored_date(&self.deadline)?;
        Ok(Rectification {
            id: self.id,
            plan_id: self.plan_id,
            plan_name: self.plan_name,
            sample_id: self.sample_id,
            record_id: self.record_id,
            external_id: self.external_id,
            agent: Person {
                id: self.agent_id,
                no: self.agent_no.unwrap_or_default(),
                name: self.agent_name,
            },
            item_id: self.item_id,
            item_name_zh: self.item_name_zh,
            item_name_en: self.item_name_en,
            dimension_name_zh: self.dimension_name_zh,
            dimension_name_en: self.dimension_name_en,
            result_found: parse_stored(&self.found, ItemResult::parse)?,
            problem: self.problem,
            owner: Person {
                id: self.owner_id,
                no: self.owner_no.unwrap_or_default(),
                name: self.owner_name,
            },
            deadline,
            status,
            overdue: rectification_overdue(status, deadline, today),
            result: self
                .result
                .as_deref()
                .map(|r| parse_stored(r, RectificationResult::parse))
                .transpose()?,
            owner_note: self.owner_note,
            reported_at: self.reported_at.as_deref().map(from_db).transpose()?,
            check_note: self.check_note,
            checked_by: self.checked_by.map(|id| Person {
                id,
                no: self.checker_no.unwrap_or_default(),
                name: self.checker_name.unwrap_or_default(),
            }),
            checked_at: self.checked_at.as_deref().map(from_db).transpose()?,
            inspector: Person {
                id: self.inspector_id,
                no: self.inspector_no.unwrap_or_default(),
                name: self.inspector_name,
            },
        })
    }
}

async fn rectifications_where(
    conn: &mut SqliteConnection,
    condition: &str,
    binds: &[i64],
    today: NaiveDate,
) -> Result<Vec<Rectification>, AppError> {
    let sql = format!("{RECT_SELECT} WHERE {condition} ORDER BY x.deadline, x.id");
    let mut query = sqlx::query_as::<_, RectRow>(&sql);
    for bind in binds {
        query = query.bind(bind);
    }
    let rows = query.fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_rectification(today))
        .collect::<Result<_, _>>()?)
}

async fn rectification(
    conn: &mut SqliteConnection,
    id: i64,
    today: NaiveDate,
) -> Result<Rectification, AppError> {
    rectifications_where(conn, "x.id = ?", &[id], today)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("The rectification {id}")))
}

/// Which rectifications `GET /qa/rectifications` lists.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
enum RectificationFilter {
    Open,
    Reported,
    Closed,
    /// Still open and past the deadline.
    Overdue,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RectificationQuery {
    /// `open`, `reported`, `closed` or `overdue`; every rectification without it.
    status: Option<RectificationFilter>,
}

/// Rectifications, soonest deadline first.
#[utoipa::path(
    get,
    path = "/qa/rectifications",
    tag = "qa",
    operation_id = "list_qa_rectifications",
    params(RectificationQuery),
    responses((status = 200, description = "The rectifications", body = Vec<Rectification>))
)]
async fn list_rectifications(
    State(state): State<AppState>,
    Query(query): Query<RectificationQuery>,
) -> Result<Json<Vec<Rectification>>, AppError> {
    let today = today(&state);
    let mut conn = state.pool.acquire().await?;
    let all = rectifications_where(&mut conn, "1 = 1", &[], today).await?;
    let wanted = |r: &Rectification| match query.status {
        None => true,
        Some(RectificationFilter::Open) => r.status == RectificationStatus::Open,
        Some(RectificationFilter::Reported) => r.status == RectificationStatus::Reported,
        Some(RectificationFilter::Closed) => r.status == RectificationStatus::Closed,
        Some(RectificationFilter::Overdue) => r.overdue,
    };
    Ok(Json(all.into_iter().filter(wanted).collect()))
}

/// The owner reports the result of a rectification.
///
/// `note` (what was done) is required (422); then only its owner (403 otherwise), only while
/// it is open (409 `rectification_not_open`).
#[utoipa::path(
    post,
    path = "/qa/rectifications/{id}/report",
    tag = "qa",
    operation_id = "report_qa_rectification",
    params(("id" = i64, Path, description = "The rectification's id")),
    request_body = RectificationReport,
    responses(
        (status = 200, description = "Reported; awaiting the inspector's re-check", body = Rectification),
        (status = 403, description = "Not its owner", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such rectification", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`rectification_not_open`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn report_rectification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<RectificationReport>,
) -> Result<Json<Rectification>, AppError> {
    body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let today = org_day(now);
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let current = rectification(&mut tx, id, today).await?;
    if !caller.is(current.owner.id) {
        return Err(AppError::Forbidden(
            "Only the owner of a rectification reports its result".to_owned(),
        ));
    }
    if current.status != RectificationStatus::Open {
        return Err(Coded::conflict(
            "rectification_not_open",
            "This rectification has been reported already and awaits or passed its re-check",
        )
        .into());
    }
    sqlx::query(
        "UPDATE qa_rectifications SET status = 'reported', result = ?, owner_note = ?,
                                      reported_at = ?
         WHERE id = ?",
    )
    .bind(body.result.as_str())
    .bind(body.note.trim())
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::RectificationReported)
        .by(Actor::user(&caller, ip))
        .on("qa_rectification", id)
        .details(json!({ "result": body.result.as_str(), "note": body.note.trim() }));
    audit::record(&mut *tx, &entry).await?;
    let saved = rectification(&mut tx, id, today).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

/// The inspector re-checks a reported rectification: accepted closes it; sent back (with a
/// note, 422 without) opens it again for its owner. 409 `rectification_not_reported` unless it
/// has been reported.
#[utoipa::path(
    post,
    path = "/qa/rectifications/{id}/recheck",
    tag = "qa",
    operation_id = "recheck_qa_rectification",
    params(("id" = i64, Path, description = "The rectification's id")),
    request_body = Recheck,
    responses(
        (status = 200, description = "Closed, or open again", body = Rectification),
        (status = 404, description = "No such rectification", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`rectification_not_reported`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn recheck_rectification(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Recheck>,
) -> Result<Json<Rectification>, AppError> {
    body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let today = org_day(now);
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let current = rectification(&mut tx, id, today).await?;
    if current.status != RectificationStatus::Reported {
        return Err(Coded::conflict(
            "rectification_not_reported",
            "Only a rectification whose owner has reported a result is re-checked",
        )
        .into());
    }
    let note = Some(body.note.trim()).filter(|n| !n.is_empty());
    sqlx::query(
        "UPDATE qa_rectifications SET status = ?, check_note = ?, checked_by = ?, checked_at = ?
         WHERE id = ?",
    )
    .bind(if body.accepted { "closed" } else { "open" })
    .bind(note)
    .bind(caller.id)
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = Entry::new(now, Action::RectificationRechecked)
        .by(Actor::user(&caller, ip))
        .on("qa_rectification", id)
        .details(json!({ "accepted": body.accepted, "note": note }));
    audit::record(&mut *tx, &entry).await?;
    let saved = rectification(&mut tx, id, today).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

// ---------------------------------------------------------------------------------------------
// Inspections
// ---------------------------------------------------------------------------------------------

async fn load_inspection(
    conn: &mut SqliteConnection,
    sample_id: i64,
    today: NaiveDate,
) -> Result<Option<Inspection>, AppError> {
    let row: Option<(i64, i64, Option<String>, f64, String)> = sqlx::query_as(
        "SELECT id, inspector_id, highlights, qa_score, submitted_at FROM qa_inspections
         WHERE sample_id = ?",
    )
    .bind(sample_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, inspector_id, highlights, qa_score, submitted_at)) = row else {
        return Ok(None);
    };
    let answers: Vec<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT item_id, result, problem FROM qa_answers WHERE inspection_id = ?")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let scores: Vec<(i64, i64)> =
        sqlx::query_as("SELECT dimension_id, score FROM qa_scores WHERE inspection_id = ?")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Some(Inspection {
        id,
        sample_id,
        inspector: person(&mut *conn, inspector_id).await?,
        submitted_at: from_db(&submitted_at)?,
        answers: answers
            .into_iter()
            .map(|(item_id, result, problem)| {
                Ok(ItemAnswer {
                    item_id,
                    result: parse_stored(&result, ItemResult::parse)?,
                    problem,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        scores: scores
            .into_iter()
            .map(|(dimension_id, score)| {
                Ok(DimensionScore {
                    dimension_id,
                    score: small("QA score", score)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        highlights,
        qa_score,
        rectifications: rectifications_where(conn, "i.id = ?", &[id], today).await?,
    }))
}

/// The agent of a record and their team lead: who may own a rectification of it.
async fn owners(conn: &mut SqliteConnection, agent_id: i64) -> Result<Vec<Person>, AppError> {
    let mut people = vec![person(&mut *conn, agent_id).await?];
    let lead: Option<i64> = sqlx::query_scalar(
        "SELECT t.lead_user_id FROM users u JOIN teams t ON t.id = u.team_id
         WHERE u.id = ? AND t.lead_user_id IS NOT NULL",
    )
    .bind(agent_id)
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    if let Some(lead) = lead.filter(|l| *l != agent_id) {
        people.push(person(&mut *conn, lead).await?);
    }
    Ok(people)
}

async fn customer_view(
    conn: &mut SqliteConnection,
    record_id: i64,
) -> Result<Option<CustomerView>, AppError> {
    let row: Option<(i64, String, f64, i64, Option<String>, String)> = sqlx::query_as(&format!(
        "SELECT id, number, total_score, overall, suggestion, submitted_at FROM evaluations
         WHERE service_record_id = ? AND {}",
        counted("")
    ))
    .bind(record_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, number, total_score, overall, suggestion, submitted_at)) = row else {
        return Ok(None);
    };
    let scores: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT name_zh, name_en, score FROM evaluation_scores WHERE evaluation_id = ?
         ORDER BY position, dimension",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(CustomerView {
        number,
        total_score,
        overall: small("overall score", overall)?,
        suggestion,
        scores: scores
            .into_iter()
            .map(|(name_zh, name_en, score)| {
                Ok(CustomerScore {
                    name_zh,
                    name_en,
                    score: score.map(|s| small("score", s)).transpose()?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        submitted_at: from_db(&submitted_at)?,
    }))
}

/// Whether the caller may (re-)submit the inspection of `sample`: its inspector or an admin,
/// while no rectification of it has been reported.
fn may_edit(caller: &CurrentUser, sample: &SampleRow, inspection: Option<&Inspection>) -> bool {
    let assigned = caller.role == Role::Admin || caller.is(sample.inspector.id);
    let untouched = inspection.is_none_or(|i| {
        i.rectifications
            .iter()
            .all(|r| r.status == RectificationStatus::Open && r.reported_at.is_none())
    });
    assigned && untouched
}

/// Everything the inspection of one sampled record needs: the record, the customer's current
/// evaluation (unless deleted), the plan's checklist, the inspection so far, who may own a
/// rectification and the deadline offered (working days from today, as for improvement plans).
#[utoipa::path(
    get,
    path = "/qa/samples/{id}",
    tag = "qa",
    operation_id = "qa_inspection_sheet",
    params(("id" = i64, Path, description = "The sampled record's id (in its plan)")),
    responses(
        (status = 200, description = "The sheet", body = InspectionSheet),
        (status = 404, description = "No such sample", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn inspection_sheet(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<InspectionSheet>, AppError> {
    let now = state.clock.now();
    let today = org_day(now);
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let sample = sample(&mut conn, id).await?;
    let template_id: i64 = sqlx::query_scalar("SELECT template_id FROM qa_plans WHERE id = ?")
        .bind(sample.plan_id)
        .fetch_one(&mut *conn)
        .await?;
    let template = load_template(&mut conn, template_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("template {template_id} of a plan")))?;
    let inspection = load_inspection(&mut conn, id, today).await?;
    let calendar = work_calendar(&mut conn).await?;
    let default_deadline = calendar
        .add_working_days(
            now.with_timezone(&org_zone()),
            settings.improvement_plan_working_days,
        )
        .date_naive();
    Ok(Json(InspectionSheet {
        editable: may_edit(&caller, &sample, inspection.as_ref()),
        record: load_record_by_id(&mut conn, sample.record_id).await?,
        evaluation: customer_view(&mut conn, sample.record_id).await?,
        owners: owners(&mut conn, sample.agent.id).await?,
        sample,
        template,
        inspection,
        default_deadline,
        today,
    }))
}

/// Writes the inspection `body` (checked) of sample `sample_id` by `inspector_id`, replacing
/// the inspection `existing`: its QA score.
pub(crate) async fn write_inspection(
    tx: &mut SqliteConnection,
    sample_id: i64,
    inspector_id: i64,
    existing: Option<i64>,
    body: &NewInspection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<f64, AppError> {
    let scores: Vec<u8> = body.scores.iter().map(|s| s.score).collect();
    let score = qa_score(&scores)
        .ok_or_else(|| AppError::Internal("an inspection without scores".to_owned()))?;
    let highlights = body
        .highlights
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    if let Some(existing) = existing {
        sqlx::query("DELETE FROM qa_inspections WHERE id = ?")
            .bind(existing)
            .execute(&mut *tx)
            .await?;
    }
    let inspection_id: i64 = sqlx::query_scalar(
        "INSERT INTO qa_inspections (sample_id, inspector_id, highlights, qa_score, submitted_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(sample_id)
    .bind(inspector_id)
    .bind(highlights)
    .bind(score)
    .bind(to_db(now))
    .fetch_one(&mut *tx)
    .await?;
    for answer in &body.answers {
        let problem = answer
            .problem
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        sqlx::query(
            "INSERT INTO qa_answers (inspection_id, item_id, result, problem) VALUES (?, ?, ?, ?)",
        )
        .bind(inspection_id)
        .bind(answer.item_id)
        .bind(answer.result.as_str())
        .bind(problem)
        .execute(&mut *tx)
        .await?;
    }
    for s in &body.scores {
        sqlx::query("INSERT INTO qa_scores (inspection_id, dimension_id, score) VALUES (?, ?, ?)")
            .bind(inspection_id)
            .bind(s.dimension_id)
            .bind(i64::from(s.score))
            .execute(&mut *tx)
            .await?;
    }
    for r in &body.rectifications {
        sqlx::query(
            "INSERT INTO qa_rectifications (inspection_id, item_id, owner_id, deadline)
             VALUES (?, ?, ?, ?)",
        )
        .bind(inspection_id)
        .bind(r.item_id)
        .bind(r.owner_id)
        .bind(r.deadline.to_string())
        .execute(&mut *tx)
        .await?;
    }
    Ok(score)
}

/// Submit (or, until a rectification of it is reported, replace) the inspection of a sampled
/// record. PUT: sending the same inspection twice leaves one.
///
/// The assigned inspector or an admin only (403); 409 `inspection_locked` once a rectification
/// of it has been reported. 422 with field errors: `answers.{item_id}.result` (`required`,
/// `unknown`, `duplicate`), `answers.{item_id}.problem` (`required` for an item partly or not
/// compliant), `scores.{dimension_id}` (`required`, `out_of_range`), `rectifications.{item_id}.
/// owner_id` (`required` for every item found wanting, `unknown`: not the agent or their team
/// lead, `not_wanting`), `rectifications.{item_id}.deadline` (`in_past`), `highlights`.
#[utoipa::path(
    put,
    path = "/qa/samples/{id}/inspection",
    tag = "qa",
    operation_id = "save_qa_inspection",
    params(("id" = i64, Path, description = "The sampled record's id")),
    request_body = NewInspection,
    responses(
        (status = 200, description = "Saved", body = Inspection),
        (status = 403, description = "Not the assigned inspector", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sample", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`inspection_locked`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn save_inspection(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<NewInspection>,
) -> Result<Json<Inspection>, AppError> {
    let now = state.clock.now();
    let today = org_day(now);
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let sample = sample(&mut tx, id).await?;
    let existing = load_inspection(&mut tx, id, today).await?;
    if !(caller.role == Role::Admin || caller.is(sample.inspector.id)) {
        return Err(AppError::Forbidden(
            "This record is assigned to another inspector".to_owned(),
        ));
    }
    if !may_edit(&caller, &sample, existing.as_ref()) {
        return Err(Coded::conflict(
            "inspection_locked",
            "A rectification of this inspection has been reported; the inspection stays as it is",
        )
        .into());
    }
    let template_id: i64 = sqlx::query_scalar("SELECT template_id FROM qa_plans WHERE id = ?")
        .bind(sample.plan_id)
        .fetch_one(&mut *tx)
        .await?;
    let template = load_template(&mut tx, template_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("template {template_id} of a plan")))?;
    let owner_ids: Vec<i64> = owners(&mut tx, sample.agent.id)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    body.check(&template, &owner_ids, today)
        .map_err(AppError::Validation)?;
    let score = write_inspection(
        &mut tx,
        id,
        caller.id,
        existing.as_ref().map(|e| e.id),
        &body,
        now,
    )
    .await?;
    let entry = Entry::new(now, Action::InspectionSubmitted)
        .by(Actor::user(&caller, ip))
        .on("qa_sample", id)
        .details(json!({
            "plan": sample.plan_id,
            "record": sample.external_id,
            "qa_score": score,
            "wanting": body.rectifications.len(),
            "replaced": existing.is_some(),
        }));
    audit::record(&mut *tx, &entry).await?;
    let saved = load_inspection(&mut tx, id, today)
        .await?
        .ok_or_else(|| AppError::Internal("the inspection just saved".to_owned()))?;
    tx.commit().await?;
    Ok(Json(saved))
}

// ---------------------------------------------------------------------------------------------
// Homes
// ---------------------------------------------------------------------------------------------

/// The QA start page: plans, the caller's records to inspect (every pending one for an admin),
/// rectifications awaiting a re-check and overdue ones.
#[utoipa::path(
    get,
    path = "/qa/home",
    tag = "qa",
    operation_id = "qa_home",
    responses((status = 200, description = "The QA home", body = QaHome))
)]
async fn qa_home(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<QaHome>, AppError> {
    let today = today(&state);
    let mut conn = state.pool.acquire().await?;
    let to_inspect = if caller.role == Role::Admin {
        samples_where(&mut conn, "i.id IS NULL AND s.id > ?", 0).await?
    } else {
        samples_where(&mut conn, "i.id IS NULL AND s.inspector_id = ?", caller.id).await?
    };
    let open = rectifications_where(&mut conn, "x.status <> 'closed'", &[], today).await?;
    Ok(Json(QaHome {
        plans: plan_summaries(&mut conn).await?,
        to_inspect,
        to_recheck: open
            .iter()
            .filter(|r| r.status == RectificationStatus::Reported)
            .cloned()
            .collect(),
        overdue: open.into_iter().filter(|r| r.overdue).collect(),
    }))
}

/// An agent's or team lead's own QA: inspections of the services they gave and the
/// rectifications they own or that concern their services.
#[utoipa::path(
    get,
    path = "/me/qa",
    tag = "qa",
    operation_id = "my_qa",
    responses((status = 200, description = "The caller's inspection results and rectifications", body = MyQa))
)]
async fn my_qa(State(state): State<AppState>, caller: CurrentUser) -> Result<Json<MyQa>, AppError> {
    let today = today(&state);
    let mut conn = state.pool.acquire().await?;
    let samples =
        samples_where(&mut conn, "i.id IS NOT NULL AND r.agent_id = ?", caller.id).await?;
    let mut inspections = Vec::new();
    for sample in samples {
        let Some(inspection) = load_inspection(&mut conn, sample.id, today).await? else {
            continue;
        };
        let template_id: i64 = sqlx::query_scalar("SELECT template_id FROM qa_plans WHERE id = ?")
            .bind(sample.plan_id)
            .fetch_one(&mut *conn)
            .await?;
        let template = load_template(&mut conn, template_id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("template {template_id} of a plan")))?;
        let dimensions = template
            .dimensions
            .iter()
            .map(|d| {
                let results: Vec<(ItemResult, &TemplateItem)> = d
                    .items
                    .iter()
                    .filter_map(|item| {
                        inspection
                            .answers
                            .iter()
                            .find(|a| a.item_id == item.id)
                            .map(|a| (a.result, item))
                    })
                    .collect();
                MyDimension {
                    name_zh: d.name_zh.clone(),
                    name_en: d.name_en.clone(),
                    score: inspection
                        .scores
                        .iter()
                        .find(|s| s.dimension_id == d.id)
                        .map_or(0, |s| s.score),
                    score_rate: score_rate(&results.iter().map(|(r, _)| *r).collect::<Vec<_>>()),
                    wanting: results
                        .iter()
                        .filter(|(r, _)| r.wanting())
                        .map(|(_, item)| item.name_zh.clone())
                        .collect(),
                }
            })
            .collect();
        inspections.push(MyInspection {
            submitted_at: inspection.submitted_at,
            highlights: inspection.highlights.clone(),
            sample,
            dimensions,
        });
    }
    let rectifications = rectifications_where(
        &mut conn,
        "x.owner_id = ? OR r.agent_id = ?",
        &[caller.id, caller.id],
        today,
    )
    .await?;
    Ok(Json(MyQa {
        inspections,
        rectifications,
    }))
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct InspectedRow {
    id: i64,
    employee_no: Option<String>,
    display_name: String,
    team_id: Option<i64>,
    team_name: Option<String>,
    external_id: String,
    qa_score: f64,
    highlights: Option<String>,
}

/// An agent's inspections in a plan: who, their team, the QA scores.
struct AgentInspections {
    agent: Person,
    team: Option<(i64, String)>,
    scores: Vec<f64>,
}

/// One inspection of a plan as the report reads it.
struct Inspected {
    agent: Person,
    team: Option<(i64, String)>,
    external_id: String,
    qa_score: f64,
    highlights: Option<String>,
}

async fn inspected(conn: &mut SqliteConnection, plan_id: i64) -> Result<Vec<Inspected>, AppError> {
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
async fn dimension_means(
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
async fn customer_scores(
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

/// Builds the report of plan `id`, compared against plan `compare` when given.
async fn build_report(
    state: &AppState,
    conn: &mut SqliteConnection,
    id: i64,
    compare: Option<i64>,
) -> Result<PlanReport, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let (cw, qw) = (
        settings.composite_customer_weight,
        settings.composite_qa_weight,
    );
    let today = today(state);
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    /// Another plan to compare against (before/after).
    compare: Option<i64>,
}

/// The inspection report of a plan: overview, dimension scores and score rates (under 3
/// flagged), QA, customer and composite scores (weights from the settings) overall, per agent
/// and per team, frequent problems with examples, highlights, rectification status, and a
/// comparison with another plan. The customer score is the mean total score of the counted
/// evaluations of the inspected agents' services that ended in the plan's period.
#[utoipa::path(
    get,
    path = "/qa/plans/{id}/report",
    tag = "qa",
    operation_id = "qa_plan_report",
    params(("id" = i64, Path, description = "The plan's id"), ReportQuery),
    responses(
        (status = 200, description = "The report", body = PlanReport),
        (status = 404, description = "No such plan (or compared plan)", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn plan_report(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<ReportQuery>,
) -> Result<Json<PlanReport>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        build_report(&state, &mut conn, id, query.compare).await?,
    ))
}

/// A CSV cell that a spreadsheet will not read as a formula.
fn cell(text: &str) -> String {
    crate::csvfile::safe_cell(text)
}

fn number(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}")).unwrap_or_default()
}

/// The report's tables as CSV (UTF-8 with a BOM, so Excel reads the Chinese): the dimensions,
/// then the agents and teams with their composite, then the frequent problems. Cells starting
/// with `=`, `+`, `-`, `@` or a tab are neutralised.
#[utoipa::path(
    get,
    path = "/qa/plans/{id}/report.csv",
    tag = "qa",
    operation_id = "qa_plan_report_csv",
    params(("id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The report's tables", content_type = "text/csv"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn plan_report_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mut conn = state.pool.acquire().await?;
    let report = build_report(&state, &mut conn, id, None).await?;
    // Sections of different widths, one after another.
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut write = |fields: Vec<String>| {
        writer
            .write_record(&fields)
            .map_err(|e| AppError::Internal(format!("writing CSV: {e}")))
    };
    write(vec!["检测计划 Plan".into(), cell(&report.plan.name)])?;
    write(vec![
        "期间 Period".into(),
        format!("{} – {}", report.plan.from, report.plan.to),
    ])?;
    write(vec![
        "质检得分 QA score".into(),
        number(report.qa_score),
        "客户评分 Customer score".into(),
        number(report.customer_score),
        "综合得分 Composite".into(),
        number(report.composite),
    ])?;
    write(vec![])?;
    write(
        [
            "维度 Dimension",
            "平均分 Mean score",
            "得分率 Score rate",
            "适用项 Applicable",
            "符合项 Compliant",
            "低于3分 Under 3",
        ]
        .map(String::from)
        .to_vec(),
    )?;
    for d in &report.dimensions {
        write(vec![
            cell(&d.name_zh),
            number(d.score),
            d.score_rate
                .map(|r| format!("{:.1}%", r * 100.0))
                .unwrap_or_default(),
            d.applicable.to_string(),
            d.compliant.to_string(),
            if d.flagged { "是 yes" } else { "" }.into(),
        ])?;
    }
    write(vec![])?;
    write(
        [
            "服务人员/团队 Agent/team",
            "工号 No",
            "团队 Team",
            "质检次数 Inspections",
            "质检得分 QA score",
            "客户评分 Customer score",
            "评价数 Evaluations",
            "综合得分 Composite",
        ]
        .map(String::from)
        .to_vec(),
    )?;
    for row in report.agents.iter().chain(&report.teams) {
        write(vec![
            cell(&row.who.name),
            cell(&row.who.no),
            cell(row.team_name.as_deref().unwrap_or("")),
            row.inspections.to_string(),
            number(row.qa_score),
            number(row.customer_score),
            row.evaluations.to_string(),
            number(row.composite),
        ])?;
    }
    write(vec![])?;
    write(
        [
            "高频问题 Frequent problem",
            "维度 Dimension",
            "次数 Count",
            "占比 Share",
            "示例 Examples",
        ]
        .map(String::from)
        .to_vec(),
    )?;
    for p in &report.problems {
        write(vec![
            cell(&p.item_name_zh),
            cell(&p.dimension_name_zh),
            p.count.to_string(),
            format!("{:.1}%", p.share * 100.0),
            cell(&p.examples.join(" / ")),
        ])?;
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(
        writer
            .into_inner()
            .map_err(|e| AppError::Internal(format!("finishing CSV: {e}")))?,
    );
    let filename = format!("qa-plan-{id}-report.csv");
    let mut response = bytes.into_response();
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
