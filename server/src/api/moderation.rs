//! `/moderation/...` (admins): the review queue of anomalous evaluations (评价审核), one
//! evaluation with its flags and decisions, bulk decisions (keep, delete, restore) and the
//! abusive-word lexicon. The rules run at submission (`crate::services::moderation::screen`).
//!
//! Decisions are all or nothing: one transaction for the whole selection, each evaluation's
//! decision in `moderation_decisions` and in the audit log. Deleting never erases: the row
//! stays, `deleted`, out of every statistic ([`crate::db::evaluations::COUNTED`]) and the agent's
//! view, and can be restored. Customers are never told.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use pingjia_domain::FieldError;
use pingjia_domain::anomalies::AnomalyRule;
use pingjia_domain::events::EventType;
use pingjia_domain::moderation::{
    AbusiveTerm, AgentStanding, DEFAULT_QUEUE_PER_PAGE, DecidedEvaluation, Decision,
    DecisionOutcome, DecisionRequest, MAX_QUEUE_PER_PAGE, NewAbusiveTerm, QueueStatus,
    ReviewDetail, ReviewPage,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::events;
use crate::db::lexicons::{ABUSIVE_TERMS, Word};
use crate::db::moderation;
use crate::error::AppError;
use crate::http::authz::{ADMIN, CurrentUser, Rule, delete, get, post};
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::{from_db, to_db};

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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueFilter {
    /// `under_review` (the default: awaiting a decision), `deleted`, or `kept` (flagged or
    /// decided once, active now).
    #[param(inline)]
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

    let queue = moderation::Queue {
        status: filter.status.unwrap_or_default(),
        rule: filter.rule,
        agent_id: filter.agent_id,
        from: filter.from,
        to: filter.to,
    };
    let (total, items) = moderation::queue_page(&mut conn, &queue, page, per_page).await?;
    let agent = match filter.agent_id {
        Some(agent_id) => {
            let (counted, average_total) = moderation::agent_standing(&mut conn, agent_id).await?;
            Some(AgentStanding {
                agent_id,
                counted: u64::try_from(counted).unwrap_or_default(),
                average_total,
            })
        }
        None => None,
    };
    Ok(Json(ReviewPage {
        items,
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
    let item = moderation::item(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The evaluation {id}")))?;
    let decisions = moderation::decisions(&mut conn, id).await?;
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
    let mut tx = begin_write(&state.pool).await?;
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
        let Some((number, from)) = moderation::number_and_status(&mut tx, *id).await? else {
            errors.push(FieldError::new(
                field,
                "unknown",
                format!("no evaluation has the id {id}"),
            ));
            continue;
        };
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
        moderation::record_decision(&mut tx, d, decision, &reason, caller.id, now).await?;
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
        let event = match decision {
            Decision::Keep => Some(EventType::EvaluationKept),
            Decision::Delete => Some(EventType::EvaluationDeleted),
            Decision::Restore => None,
        };
        if let Some(event) = event {
            events::record(
                &mut tx,
                event,
                ("evaluation", d.id),
                &format!("{}:{}:{}", event.as_str(), d.id, crate::time::to_db(now)),
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    state.events.wake();
    Ok(Json(DecisionOutcome {
        decision,
        reason,
        decided_at: from_db(&to_db(now))?,
        evaluations: decided,
    }))
}

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
    let mut conn = state.pool.acquire().await?;
    let terms = ABUSIVE_TERMS.words(&mut conn).await?;
    Ok(Json(
        terms
            .into_iter()
            .map(Word::into_abusive_term)
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
    let mut tx = begin_write(&state.pool).await?;
    if !ABUSIVE_TERMS.add(&mut tx, &term, caller.id, now).await? {
        return Err(AppError::field(
            "term",
            "duplicate",
            "this term is already in the lexicon",
        ));
    }
    let entry = Entry::new(now, Action::AbusiveTermAdded)
        .by(Actor::user(&caller, ip))
        .on("abusive_term", &term);
    audit::record(&mut *tx, &entry).await?;
    let added = ABUSIVE_TERMS
        .word(&mut tx, &term)
        .await?
        .into_abusive_term()?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(added)))
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
    let mut tx = begin_write(&state.pool).await?;
    let Some(removed) = ABUSIVE_TERMS.remove(&mut tx, &term).await? else {
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
