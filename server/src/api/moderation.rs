//! `/moderation/...` (admins): the review queue of anomalous evaluations (评价审核), one
//! evaluation with its flags and decisions, bulk decisions (keep, delete, restore) and the
//! abusive-word lexicon. The rules run at submission (`crate::services::moderation::screen`).
//!
//! Decisions are all or nothing: one transaction for the whole selection, each evaluation's
//! decision in `moderation_decisions` and in the audit log. Deleting never erases: the row
//! stays, `deleted`, out of every statistic ([`crate::db::evaluations::COUNTED`]) and the agent's
//! view, and can be restored. Customers are never told.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use pingjia_domain::FieldError;
use pingjia_domain::anomalies::{AnomalyRule, Finding};
use pingjia_domain::auth::mask_phone;
use pingjia_domain::evaluations::DimensionScore;
use pingjia_domain::moderation::{
    AbusiveTerm, AgentStanding, DEFAULT_QUEUE_PER_PAGE, DecidedEvaluation, Decision,
    DecisionOutcome, DecisionRecord, DecisionRequest, FlagReason, MAX_QUEUE_PER_PAGE,
    ModerationStatus, NewAbusiveTerm, QueueStatus, ReviewDetail, ReviewItem, ReviewPage,
};
use serde::Deserialize;
use serde_json::json;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::evaluations::COUNTED;
use crate::db::{decode, is_unique_violation, parse_stored};
use crate::error::AppError;
use crate::http::authz::{ADMIN, CurrentUser, Rule, delete, get, post};
use crate::http::extract::{ClientIp, Json, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::{from_db, org_day_start, to_db};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(review_detail))
        .routes(routes!(decide))
        .routes(routes!(list_terms, add_term))
        .routes(routes!(remove_term))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/moderation/queue", ADMIN),
    get("/api/v1/moderation/evaluations/{id}", ADMIN),
    post("/api/v1/moderation/decisions", ADMIN),
    get("/api/v1/moderation/terms", ADMIN),
    post("/api/v1/moderation/terms", ADMIN),
    delete("/api/v1/moderation/terms/{term}", ADMIN),
];

const ITEM_SELECT: &str = "SELECT e.id, e.number, e.status, e.submitted_at, \
     e.service_record_id, e.agent_id, a.employee_no AS agent_no, a.display_name AS agent_name, \
     e.customer_id, c.customer_no, c.phone, e.service_type, st.name_zh AS type_name_zh, \
     st.name_en AS type_name_en, e.total_score, e.overall, e.suggestion, e.form_seconds, \
     (SELECT MAX(d.id) FROM moderation_decisions d WHERE d.evaluation_id = e.id) \
         AS last_decision_id \
     FROM evaluations e \
     JOIN users a ON a.id = e.agent_id \
     JOIN users c ON c.id = e.customer_id \
     JOIN service_types st ON st.code = e.service_type";

/// Evaluations the queue holds: flagged, or decided on at least once.
const IN_QUEUE: &str = "(EXISTS (SELECT 1 FROM evaluation_flags f WHERE f.evaluation_id = e.id) \
     OR EXISTS (SELECT 1 FROM moderation_decisions d WHERE d.evaluation_id = e.id))";

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    number: String,
    status: String,
    submitted_at: String,
    service_record_id: i64,
    agent_id: i64,
    agent_no: Option<String>,
    agent_name: String,
    customer_id: i64,
    customer_no: Option<String>,
    phone: Option<String>,
    service_type: String,
    type_name_zh: String,
    type_name_en: String,
    total_score: f64,
    overall: i64,
    suggestion: Option<String>,
    form_seconds: Option<i64>,
    last_decision_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct FlagRow {
    evaluation_id: i64,
    detail: String,
    created_at: String,
}

#[derive(sqlx::FromRow)]
struct ScoreRow {
    evaluation_id: i64,
    dimension: String,
    name_zh: String,
    name_en: String,
    optional: bool,
    score: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: i64,
    evaluation_id: i64,
    decision: String,
    reason: String,
    decided_by: i64,
    decided_by_name: String,
    decided_at: String,
}

impl DecisionRow {
    fn into_record(self) -> Result<DecisionRecord, sqlx::Error> {
        Ok(DecisionRecord {
            id: self.id,
            decision: parse_stored(&self.decision, Decision::parse)?,
            reason: self.reason,
            decided_by_id: self.decided_by,
            decided_by_name: self.decided_by_name,
            decided_at: from_db(&self.decided_at)?,
        })
    }
}

const DECISION_SELECT: &str = "SELECT d.id, d.evaluation_id, d.decision, d.reason, \
     d.decided_by, u.display_name AS decided_by_name, d.decided_at \
     FROM moderation_decisions d JOIN users u ON u.id = d.decided_by";

/// `IN (?, ?, ...)` of `ids`.
fn push_ids(query: &mut QueryBuilder<'_, Sqlite>, ids: &[i64]) {
    query.push(" IN (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
}

/// The items of `rows`, with their scores, flags and latest decision, in `rows`' order.
async fn items(
    conn: &mut SqliteConnection,
    rows: Vec<ItemRow>,
) -> Result<Vec<ReviewItem>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();

    let mut query = QueryBuilder::new(
        "SELECT evaluation_id, dimension, name_zh, name_en, optional, score \
         FROM evaluation_scores WHERE evaluation_id",
    );
    push_ids(&mut query, &ids);
    query.push(" ORDER BY evaluation_id, position, dimension");
    let mut scores: HashMap<i64, Vec<DimensionScore>> = HashMap::new();
    for s in query
        .build_query_as::<ScoreRow>()
        .fetch_all(&mut *conn)
        .await?
    {
        scores
            .entry(s.evaluation_id)
            .or_default()
            .push(DimensionScore {
                score: s
                    .score
                    .map(|v| u8::try_from(v).map_err(|_| decode(format!("score {v}"))))
                    .transpose()?,
                code: s.dimension,
                name_zh: s.name_zh,
                name_en: s.name_en,
                optional: s.optional,
            });
    }

    let mut query = QueryBuilder::new(
        "SELECT evaluation_id, detail, created_at FROM evaluation_flags WHERE evaluation_id",
    );
    push_ids(&mut query, &ids);
    query.push(" ORDER BY id");
    let mut reasons: HashMap<i64, Vec<FlagReason>> = HashMap::new();
    for f in query
        .build_query_as::<FlagRow>()
        .fetch_all(&mut *conn)
        .await?
    {
        let finding: Finding = serde_json::from_str(&f.detail)
            .map_err(|e| decode(format!("flag of evaluation {}: {e}", f.evaluation_id)))?;
        reasons
            .entry(f.evaluation_id)
            .or_default()
            .push(FlagReason::new(finding, from_db(&f.created_at)?));
    }

    let last_ids: Vec<i64> = rows.iter().filter_map(|r| r.last_decision_id).collect();
    let mut last: HashMap<i64, DecisionRecord> = HashMap::new();
    if !last_ids.is_empty() {
        let mut query = QueryBuilder::new(format!("{DECISION_SELECT} WHERE d.id"));
        push_ids(&mut query, &last_ids);
        for d in query
            .build_query_as::<DecisionRow>()
            .fetch_all(&mut *conn)
            .await?
        {
            last.insert(d.evaluation_id, d.into_record()?);
        }
    }

    rows.into_iter()
        .map(|r| {
            Ok(ReviewItem {
                status: parse_stored(&r.status, ModerationStatus::parse)?,
                submitted_at: from_db(&r.submitted_at)?,
                agent_no: r
                    .agent_no
                    .ok_or_else(|| decode(format!("evaluation {}: employee_no", r.id)))?,
                customer_no: r
                    .customer_no
                    .ok_or_else(|| decode(format!("evaluation {}: customer_no", r.id)))?,
                customer_phone: r.phone.as_deref().map(mask_phone),
                overall: u8::try_from(r.overall)
                    .map_err(|_| decode(format!("overall score {}", r.overall)))?,
                form_seconds: r.form_seconds.and_then(|s| u32::try_from(s).ok()),
                scores: scores.remove(&r.id).unwrap_or_default(),
                reasons: reasons.remove(&r.id).unwrap_or_default(),
                last_decision: last.remove(&r.id),
                id: r.id,
                number: r.number,
                service_record_id: r.service_record_id,
                agent_id: r.agent_id,
                agent_name: r.agent_name,
                customer_id: r.customer_id,
                service_type: r.service_type,
                service_type_name_zh: r.type_name_zh,
                service_type_name_en: r.type_name_en,
                total_score: r.total_score,
                suggestion: r.suggestion,
            })
        })
        .collect()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueFilter {
    /// `under_review` (the default: awaiting a decision), `deleted`, or `kept` (flagged or
    /// decided once, active now).
    status: Option<QueueStatus>,
    /// Only evaluations flagged by this rule.
    rule: Option<AnomalyRule>,
    /// Only evaluations of this agent.
    agent_id: Option<i64>,
    /// First day of the period (the day submitted, China time), inclusive.
    from: Option<NaiveDate>,
    /// Last day of the period, inclusive.
    to: Option<NaiveDate>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

fn push_queue_filters(query: &mut QueryBuilder<'_, Sqlite>, filter: &QueueFilter) {
    query.push(" WHERE ").push(IN_QUEUE);
    let status = match filter.status.unwrap_or_default() {
        QueueStatus::UnderReview => "under_review",
        QueueStatus::Deleted => "deleted",
        QueueStatus::Kept => "active",
    };
    query.push(" AND e.status = ").push_bind(status);
    if let Some(rule) = filter.rule {
        query
            .push(
                " AND EXISTS (SELECT 1 FROM evaluation_flags f \
                 WHERE f.evaluation_id = e.id AND f.rule = ",
            )
            .push_bind(rule.as_str())
            .push(")");
    }
    if let Some(agent_id) = filter.agent_id {
        query.push(" AND e.agent_id = ").push_bind(agent_id);
    }
    if let Some(from) = filter.from {
        query
            .push(" AND e.submitted_at >= ")
            .push_bind(to_db(org_day_start(from)));
    }
    if let Some(to) = filter.to.and_then(|to| to.checked_add_days(Days::new(1))) {
        query
            .push(" AND e.submitted_at < ")
            .push_bind(to_db(org_day_start(to)));
    }
}

/// The review queue, a page at a time.
///
/// Evaluations the anomaly rules flagged at submission (or that an admin decided on), with
/// every reason in words (`reasons[].detail` in English, `detail_zh` in Chinese, `facts` the
/// numbers), the agent, the customer (phone masked), the service type, the scores, the
/// suggestion, the current status and the latest decision (who, when, why).
///
/// `status=under_review` (the default) lists those awaiting a decision, oldest submission
/// first; `deleted` and `kept` (flagged or decided, active now) the latest decision first.
/// Filters combine: one rule, the agent, the period `from`..=`to` (days submitted, China
/// time). A flagged evaluation stays counted in statistics while under review, until an
/// admin deletes it.
#[utoipa::path(
    get,
    path = "/moderation/queue",
    tag = "moderation",
    operation_id = "review_queue",
    params(QueueFilter),
    responses(
        (status = 200, description = "One page of the queue", body = ReviewPage),
        (status = 400, description = "The query string is malformed (an unknown status or rule)"),
        (status = 422, description = "The period or the paging is invalid"),
    )
)]
async fn queue(
    State(state): State<AppState>,
    Query(filter): Query<QueueFilter>,
) -> Result<Json<ReviewPage>, AppError> {
    let page = filter.page.unwrap_or(1);
    let per_page = filter.per_page.unwrap_or(DEFAULT_QUEUE_PER_PAGE);
    check_paging(page, per_page, MAX_QUEUE_PER_PAGE, filter.from, filter.to)?;
    let mut conn = state.pool.acquire().await?;

    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM evaluations e");
    push_queue_filters(&mut count, &filter);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::new(ITEM_SELECT);
    push_queue_filters(&mut select, &filter);
    select.push(match filter.status.unwrap_or_default() {
        QueueStatus::UnderReview => " ORDER BY e.submitted_at, e.id",
        QueueStatus::Deleted | QueueStatus::Kept => {
            " ORDER BY last_decision_id DESC NULLS LAST, e.submitted_at DESC, e.id DESC"
        }
    });
    select
        .push(" LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(per_page));
    let rows: Vec<ItemRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let agent = match filter.agent_id {
        Some(agent_id) => {
            let (counted, average_total): (i64, Option<f64>) = sqlx::query_as(&format!(
                "SELECT COUNT(*), AVG(e.total_score) FROM evaluations e
                 WHERE e.agent_id = ? AND {COUNTED}"
            ))
            .bind(agent_id)
            .fetch_one(&mut *conn)
            .await?;
            Some(AgentStanding {
                agent_id,
                counted: u64::try_from(counted).unwrap_or_default(),
                average_total,
            })
        }
        None => None,
    };
    Ok(Json(ReviewPage {
        items: items(&mut conn, rows).await?,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
        agent,
    }))
}

/// One evaluation as moderation sees it.
///
/// Any evaluation, flagged or not: its status, scores, suggestion, the rules that flagged it
/// (kept as history whatever was decided) and every decision, oldest first.
#[utoipa::path(
    get,
    path = "/moderation/evaluations/{id}",
    tag = "moderation",
    operation_id = "review_detail",
    params(("id" = i64, Path, description = "The evaluation's id")),
    responses(
        (status = 200, description = "The evaluation with its flags and decisions", body = ReviewDetail),
        (status = 404, description = "No such evaluation"),
    )
)]
async fn review_detail(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<ReviewDetail>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let row: Option<ItemRow> = sqlx::query_as(&format!("{ITEM_SELECT} WHERE e.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let row = row.ok_or_else(|| AppError::NotFound(format!("The evaluation {id}")))?;
    let item = items(&mut conn, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(format!("evaluation {id} not read back")))?;
    let decisions: Vec<DecisionRow> = sqlx::query_as(&format!(
        "{DECISION_SELECT} WHERE d.evaluation_id = ? ORDER BY d.id"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let decisions = decisions
        .into_iter()
        .map(DecisionRow::into_record)
        .collect::<Result<_, _>>()?;
    Ok(Json(ReviewDetail { item, decisions }))
}

/// Keep, delete or restore evaluations, with one reason for all.
///
/// All or nothing, in one transaction: every id must exist and the decision must apply to
/// its current status (keep: `under_review` → `active`; delete: `under_review` or `active` →
/// `deleted`; restore: `deleted` → `active`), else 422 with one `errors` entry per offending
/// id (`evaluation_ids[i]`, code `unknown` or `not_applicable`) and nothing changes. Each
/// evaluation's decision is stored with the admin and the time, and written to the audit log
/// (`evaluation.kept`, `evaluation.deleted`, `evaluation.restored`). Flags stay as history.
/// Deleting hides an evaluation from every statistic and from the agent, never erases it; its
/// customer still sees it as before. Repeated ids count once.
#[utoipa::path(
    post,
    path = "/moderation/decisions",
    tag = "moderation",
    operation_id = "decide_evaluations",
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "Decided", body = DecisionOutcome),
        (status = 400, description = "The body is malformed"),
        (status = 422, description = "No ids, too many, no reason or a reason over 500 characters, an unknown id, or a decision that does not apply to an evaluation's status"),
    )
)]
async fn decide(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<DecisionRequest>,
) -> Result<Json<DecisionOutcome>, AppError> {
    let (ids, reason) = body.check().map_err(AppError::Validation)?;
    let decision = body.decision;
    let mut tx = state.pool.begin_with("BEGIN IMMEDIATE").await?;
    let now = state.clock.now();
    let mut errors = Vec::new();
    let mut decided = Vec::with_capacity(ids.len());
    for id in &ids {
        let position = body
            .evaluation_ids
            .iter()
            .position(|i| i == id)
            .unwrap_or_default();
        let field = format!("evaluation_ids[{position}]");
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT number, status FROM evaluations WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((number, status)) = row else {
            errors.push(FieldError::new(
                field,
                "unknown",
                format!("no evaluation has the id {id}"),
            ));
            continue;
        };
        let from = parse_stored(&status, ModerationStatus::parse)?;
        match decision.apply(from) {
            Some(to) => decided.push(DecidedEvaluation {
                id: *id,
                number,
                previous_status: from,
                status: to,
            }),
            None => errors.push(FieldError::new(
                field,
                "not_applicable",
                format!(
                    "{number} is {}: it cannot be {}",
                    from.as_str().replace('_', " "),
                    match decision {
                        Decision::Keep => "kept",
                        Decision::Delete => "deleted",
                        Decision::Restore => "restored",
                    }
                ),
            )),
        }
    }
    if !errors.is_empty() {
        let detail = match errors.len() {
            1 => "1 selected evaluation cannot take this decision; nothing was changed".to_owned(),
            n => format!("{n} selected evaluations cannot take this decision; nothing was changed"),
        };
        return Err(AppError::Invalid { detail, errors });
    }
    let action = match decision {
        Decision::Keep => Action::EvaluationKept,
        Decision::Delete => Action::EvaluationDeleted,
        Decision::Restore => Action::EvaluationRestored,
    };
    for d in &decided {
        sqlx::query("UPDATE evaluations SET status = ? WHERE id = ?")
            .bind(d.status.as_str())
            .bind(d.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO moderation_decisions (evaluation_id, decision, reason, decided_by, decided_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(d.id)
        .bind(decision.as_str())
        .bind(&reason)
        .bind(caller.id)
        .bind(to_db(now))
        .execute(&mut *tx)
        .await?;
        let entry = Entry::new(now, action)
            .by(Actor::user(&caller, ip))
            .on("evaluation", &d.number)
            .details(json!({
                "evaluation_id": d.id,
                "decision": decision.as_str(),
                "reason": reason,
                "old_status": d.previous_status.as_str(),
                "new_status": d.status.as_str(),
                "batch": ids.len(),
            }));
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(Json(DecisionOutcome {
        decision,
        reason,
        decided_at: from_db(&to_db(now))?,
        evaluations: decided,
    }))
}

#[derive(sqlx::FromRow)]
struct TermRow {
    term: String,
    added_by: Option<i64>,
    added_by_name: Option<String>,
    added_at: String,
}

impl TermRow {
    fn into_term(self) -> Result<AbusiveTerm, sqlx::Error> {
        Ok(AbusiveTerm {
            term: self.term,
            added_by_id: self.added_by,
            added_by_name: self.added_by_name,
            added_at: from_db(&self.added_at)?,
        })
    }
}

const TERM_SELECT: &str = "SELECT t.term, t.added_by, u.display_name AS added_by_name, \
     t.added_at FROM abusive_terms t LEFT JOIN users u ON u.id = t.added_by";

/// The abusive-word lexicon.
///
/// Every term, alphabetically. A suggestion containing one (case-insensitively; a term of
/// ASCII letters and digits only must start a word) is flagged `abusive` at submission.
#[utoipa::path(
    get,
    path = "/moderation/terms",
    tag = "moderation",
    operation_id = "list_abusive_terms",
    responses(
        (status = 200, description = "The lexicon", body = Vec<AbusiveTerm>),
    )
)]
async fn list_terms(State(state): State<AppState>) -> Result<Json<Vec<AbusiveTerm>>, AppError> {
    let rows: Vec<TermRow> = sqlx::query_as(&format!("{TERM_SELECT} ORDER BY t.term"))
        .fetch_all(&state.pool)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(TermRow::into_term)
            .collect::<Result<_, _>>()?,
    ))
}

/// Add a term to the lexicon.
///
/// Trimmed and lower-cased, 1 to 50 characters (422 `term` `required` or `too_long`); a term
/// already there answers 422 `term` `duplicate`. Applies to evaluations submitted from now
/// on. Audited (`abusive_term.added`).
#[utoipa::path(
    post,
    path = "/moderation/terms",
    tag = "moderation",
    operation_id = "add_abusive_term",
    request_body = NewAbusiveTerm,
    responses(
        (status = 201, description = "Added", body = AbusiveTerm),
        (status = 400, description = "The body is malformed"),
        (status = 422, description = "The term is blank, too long or already there"),
    )
)]
async fn add_term(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<NewAbusiveTerm>,
) -> Result<(StatusCode, Json<AbusiveTerm>), AppError> {
    let term = body.check().map_err(|e| AppError::Validation(vec![e]))?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    sqlx::query("INSERT INTO abusive_terms (term, added_by, added_at) VALUES (?, ?, ?)")
        .bind(&term)
        .bind(caller.id)
        .bind(to_db(now))
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::field("term", "duplicate", "this term is already in the lexicon")
            } else {
                AppError::Database(e)
            }
        })?;
    let entry = Entry::new(now, Action::AbusiveTermAdded)
        .by(Actor::user(&caller, ip))
        .on("abusive_term", &term);
    audit::record(&mut *tx, &entry).await?;
    let row: TermRow = sqlx::query_as(&format!("{TERM_SELECT} WHERE t.term = ?"))
        .bind(&term)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into_term()?)))
}

/// Remove a term from the lexicon.
///
/// The term as listed (percent-encoded in the path; matched case-insensitively). Evaluations
/// it flagged keep their flags. Audited (`abusive_term.removed`).
#[utoipa::path(
    delete,
    path = "/moderation/terms/{term}",
    tag = "moderation",
    operation_id = "remove_abusive_term",
    params(("term" = String, Path, description = "The term, e.g. `%E5%9E%83%E5%9C%BE` (垃圾)")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "The lexicon has no such term"),
    )
)]
async fn remove_term(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(term): Path<String>,
) -> Result<StatusCode, AppError> {
    let term: String = term.trim().chars().flat_map(char::to_lowercase).collect();
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let removed: Option<String> =
        sqlx::query_scalar("DELETE FROM abusive_terms WHERE term = ? RETURNING term")
            .bind(&term)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(removed) = removed else {
        return Err(AppError::NotFound(format!(
            "The term {term:?} in the lexicon"
        )));
    };
    let entry = Entry::new(now, Action::AbusiveTermRemoved)
        .by(Actor::user(&caller, ip))
        .on("abusive_term", &removed);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
