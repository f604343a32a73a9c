//! Disputes of a QA score (质检申诉): the agent (or their team lead) files one under
//! `/me/qa/samples/{id}/dispute`; QA inspectors and admins list them (`/qa/disputes`) and
//! decide them, never the original inspector; an inspection's versions
//! (`/qa/samples/{id}/versions`). The rules are `pingjia_domain::qa::disputes`'.

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::qa::{
    DisputableItem, Dispute, DisputeDecision, DisputeForm, DisputeOutcome, DisputePage,
    DisputeStatus, Inspection, InspectionVersion, NewDispute, ReviewRefusal, SampleRow,
    dispute_last_day, dispute_window_open, may_review, qa_score,
};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::db::begin_write;
use crate::db::calendar::work_calendar;
use crate::db::qa::{
    DisputeFilter, FiledItem, NewVersion, close_rectifications, dispute, dispute_counts,
    dispute_of_sample, dispute_page, insert_dispute, load_inspection, open_rectification,
    overwrite_inspection, plan_template, push_version, record_decision, sample, versions,
};
use crate::db::sql;
use crate::db::sql::Conn;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

use super::QaPaging;
use crate::time::{org_day, org_zone};

/// The inspected sample `id` if the caller is its agent or their team's lead; 404 otherwise
/// (another agent's inspection is as absent as one that does not exist).
async fn own_inspection(
    conn: &mut Conn,
    caller: &CurrentUser,
    id: i64,
    today: chrono::NaiveDate,
) -> Result<(SampleRow, Inspection), AppError> {
    let missing = || AppError::NotFound(format!("The inspection of sampled record {id}"));
    let sample = sample(&mut *conn, id).await.map_err(|_| missing())?;
    let mine = caller.is(sample.agent.id)
        || (caller.role == Role::TeamLead && {
            let team: Option<i64> = sql::query_scalar("SELECT team_id FROM users WHERE id = ?")
                .bind(sample.agent.id)
                .fetch_one(&mut *conn)
                .await?;
            team.is_some() && team == caller.team_id
        });
    if !mine {
        return Err(missing());
    }
    let inspection = load_inspection(&mut *conn, id, today)
        .await?
        .ok_or_else(missing)?;
    Ok((sample, inspection))
}

/// What the agent may dispute of the inspection of a sampled record of theirs, until when,
/// and the dispute if one was filed.
#[utoipa::path(
    get,
    path = "/me/qa/samples/{id}/dispute",
    tag = "qa",
    operation_id = "my_qa_dispute",
    params(("id" = i64, Path, description = "The sampled record's id")),
    responses(
        (status = 200, description = "The dispute form", body = DisputeForm),
        (status = 404, description = "No inspection of the caller's (or their team's) service"),
    )
)]
pub(super) async fn my_dispute_form(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<DisputeForm>, AppError> {
    let now = state.clock.now();
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let (sample, inspection) = own_inspection(&mut conn, &caller, id, org_day(now)).await?;
    let template = plan_template(&mut conn, sample.plan_id).await?;
    let calendar = work_calendar(&mut conn).await?;
    let last_day = dispute_last_day(
        &calendar,
        org_day(inspection.submitted_at),
        settings.qa_dispute_working_days,
    );
    let dispute = dispute_of_sample(&mut conn, id).await?;
    let items = template
        .items()
        .filter_map(|(d, item)| {
            let answer = inspection.answers.iter().find(|a| a.item_id == item.id)?;
            Some(DisputableItem {
                item_id: item.id,
                item_name_zh: item.name_zh.clone(),
                item_name_en: item.name_en.clone(),
                dimension_name_zh: d.name_zh.clone(),
                dimension_name_en: d.name_en.clone(),
                result: answer.result,
            })
        })
        .collect();
    Ok(Json(DisputeForm {
        sample_id: id,
        external_id: sample.external_id,
        items,
        last_day,
        may_file: dispute.is_none() && dispute_window_open(last_day, org_day(now)),
        dispute,
    }))
}

/// File a dispute of the inspection of a sampled record: its agent, or their team lead on
/// their behalf, with a reason per disputed item, within `qa_dispute_working_days` working
/// days of the inspection's saving (the last of them whole).
///
/// 404 when it is not the caller's (or their team's); 409 `dispute_window_closed` past the
/// window, `dispute_exists` when one was filed already (open or decided); 422 with field
/// errors `items`, `items.{item_id}.item_id` (`unknown`, `duplicate`), `items.{item_id}.reason`.
#[utoipa::path(
    post,
    path = "/me/qa/samples/{id}/dispute",
    tag = "qa",
    operation_id = "file_qa_dispute",
    params(("id" = i64, Path, description = "The sampled record's id")),
    request_body = NewDispute,
    responses(
        (status = 201, description = "Filed, awaiting a reviewer", body = Dispute),
        (status = 404, description = "No inspection of the caller's (or their team's) service"),
        (status = 409, description = "`dispute_window_closed` or `dispute_exists`"),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn file_dispute(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<NewDispute>,
) -> Result<(StatusCode, Json<Dispute>), AppError> {
    let now = state.clock.now();
    let settings = state.settings.get(&state.pool).await?;
    let mut tx = begin_write(&state.pool).await?;
    let (sample, inspection) = own_inspection(&mut tx, &caller, id, org_day(now)).await?;
    let answered: Vec<i64> = inspection.answers.iter().map(|a| a.item_id).collect();
    body.check(&answered).map_err(AppError::Validation)?;
    let calendar = work_calendar(&mut tx).await?;
    let last_day = dispute_last_day(
        &calendar,
        org_day(inspection.submitted_at),
        settings.qa_dispute_working_days,
    );
    if !dispute_window_open(last_day, org_day(now)) {
        return Err(Coded::conflict(
            "dispute_window_closed",
            format!("The inspection could be disputed until {last_day}"),
        )
        .into());
    }
    let template = plan_template(&mut tx, sample.plan_id).await?;
    let items: Vec<FiledItem> = body
        .items
        .iter()
        .filter_map(|d| {
            let answer = inspection.answers.iter().find(|a| a.item_id == d.item_id)?;
            let (dimension, _) = template.items().find(|(_, i)| i.id == d.item_id)?;
            let score = inspection
                .scores
                .iter()
                .find(|s| s.dimension_id == dimension.id)?;
            Some(FiledItem {
                item_id: d.item_id,
                reason: &d.reason,
                result: answer.result,
                score: score.score,
            })
        })
        .collect();
    let Some(dispute_id) = insert_dispute(
        &mut tx,
        id,
        inspection.inspector.id,
        caller.id,
        inspection.qa_score,
        &items,
        now,
    )
    .await?
    else {
        return Err(Coded::conflict(
            "dispute_exists",
            "This inspection has been disputed already; it is disputed once",
        )
        .into());
    };
    let entry = Entry::new(now, Action::QaDisputeFiled)
        .by(Actor::user(&caller, ip))
        .on("qa_dispute", dispute_id)
        .details(json!({
            "sample": id,
            "record": sample.external_id,
            "items": body.items.iter().map(|i| i.item_id).collect::<Vec<_>>(),
        }));
    audit::record(&mut *tx, &entry).await?;
    let filed = dispute(&mut tx, dispute_id)
        .await?
        .ok_or_else(|| AppError::Internal("the dispute just filed".to_owned()))?;
    crate::services::events::commit_with_event(
        &state,
        tx,
        pingjia_domain::events::EventType::DisputeFiled,
        ("dispute", dispute_id),
        now,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(filed)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct DisputeQuery {
    /// `open` or `decided`; both without it.
    #[param(inline)]
    status: Option<DisputeStatus>,
    /// Only of this plan's inspections.
    plan_id: Option<i64>,
    /// Only of this inspector's inspections.
    inspector_id: Option<i64>,
}

/// Disputes, a page at a time: open ones first, the one waiting longest first; decided ones
/// after, the latest first; with the count of open and decided ones under the other filters.
#[utoipa::path(
    get,
    path = "/qa/disputes",
    tag = "qa",
    operation_id = "list_qa_disputes",
    params(DisputeQuery, QaPaging),
    responses(
        (status = 200, description = "One page of the disputes", body = DisputePage),
        (status = 400, description = "The query string is malformed (e.g. an unknown status)"),
        (status = 422, description = "The paging is invalid"),
    )
)]
pub(super) async fn list_disputes(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<DisputeQuery>,
    Query(paging): Query<QaPaging>,
) -> Result<Json<DisputePage>, AppError> {
    let (page, per_page) = paging.checked()?;
    let filter = DisputeFilter {
        status: query.status,
        plan_id: query.plan_id,
        inspector_id: query.inspector_id,
    };
    let mut conn = state.pool.acquire().await?;
    let (open, decided) = dispute_counts(&mut conn, &filter).await?;
    let mut disputes = dispute_page(&mut conn, &filter, page, per_page).await?;
    for d in &mut disputes {
        d.may_decide = decidable(&caller, d);
    }
    Ok(Json(DisputePage {
        disputes,
        total: match filter.status {
            Some(DisputeStatus::Open) => open,
            Some(DisputeStatus::Decided) => decided,
            None => open + decided,
        },
        page,
        per_page,
        open,
        decided,
    }))
}

fn decidable(caller: &CurrentUser, d: &Dispute) -> bool {
    d.status == DisputeStatus::Open && may_review(caller.role, caller.id, d.inspector.id).is_ok()
}

/// One dispute, with whether the caller may decide it.
#[utoipa::path(
    get,
    path = "/qa/disputes/{id}",
    tag = "qa",
    operation_id = "get_qa_dispute",
    params(("id" = i64, Path, description = "The dispute's id")),
    responses(
        (status = 200, description = "The dispute", body = Dispute),
        (status = 404, description = "No such dispute"),
    )
)]
pub(super) async fn get_dispute(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Dispute>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let mut d = dispute(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The dispute {id}")))?;
    d.may_decide = decidable(&caller, &d);
    Ok(Json(d))
}

/// Decide a dispute: uphold or change each disputed item, with a reason; a changed item takes
/// its new result and, when sent, its dimension's new rubric score. The inspection's answers,
/// scores and QA score become the decided ones (the report's QA and composite scores follow);
/// the versions before and after are kept; a rectification of an item no longer found
/// wanting is closed with the decision's reason, and an item found wanting that was not
/// (compliant or N/A) gets one, owned by the agent until the deadline an inspection offers.
///
/// 409 `own_inspection` for the inspector of the disputed inspection, `dispute_decided` once
/// decided; 422 with field errors `items.{item_id}.outcome` (`required`, `unknown`,
/// `duplicate`), `items.{item_id}.result` (`required`, `unchanged`), `items.{item_id}.score`
/// (`out_of_range`, `conflict`, `not_changed`), `items.{item_id}.reason`.
#[utoipa::path(
    post,
    path = "/qa/disputes/{id}/decision",
    tag = "qa",
    operation_id = "decide_qa_dispute",
    params(("id" = i64, Path, description = "The dispute's id")),
    request_body = DisputeDecision,
    responses(
        (status = 200, description = "Decided", body = Dispute),
        (status = 404, description = "No such dispute"),
        (status = 409, description = "`own_inspection` or `dispute_decided`"),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn decide_dispute(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<DisputeDecision>,
) -> Result<Json<Dispute>, AppError> {
    let now = state.clock.now();
    let settings = state.settings.get(&state.pool).await?;
    let mut tx = begin_write(&state.pool).await?;
    let d = dispute(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The dispute {id}")))?;
    match may_review(caller.role, caller.id, d.inspector.id) {
        Ok(()) => {}
        Err(ReviewRefusal::OwnInspection) => {
            return Err(Coded::conflict(
                "own_inspection",
                "You inspected this record: another inspector or an admin decides its dispute",
            )
            .into());
        }
        Err(ReviewRefusal::NotReviewer) => {
            return Err(AppError::Forbidden(
                "Only QA inspectors and admins decide disputes".to_owned(),
            ));
        }
    }
    if d.status == DisputeStatus::Decided {
        return Err(Coded::conflict("dispute_decided", "This dispute has been decided").into());
    }
    let disputed: Vec<_> = (d.items.iter())
        .map(|i| (i.item_id, i.result_before, i.dimension_id))
        .collect();
    body.check(&disputed).map_err(AppError::Validation)?;
    let inspection = load_inspection(&mut tx, d.sample_id, org_day(now))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The inspection of dispute {id}")))?;
    let dimension_of = |item: i64| {
        (d.items.iter())
            .find(|i| i.item_id == item)
            .map(|i| i.dimension_id)
    };
    let (answers, scores) = body.apply(&inspection.answers, &inspection.scores, dimension_of);
    let rubric: Vec<u8> = scores.iter().map(|s| s.score).collect();
    let after = qa_score(&rubric)
        .ok_or_else(|| AppError::Internal("an inspection without scores".to_owned()))?;
    let changed = (body.items.iter()).any(|i| i.outcome == DisputeOutcome::Changed);
    if changed {
        if versions(&mut tx, d.sample_id).await?.is_empty() {
            let original = NewVersion {
                saved_at: inspection.submitted_at,
                saved_by: inspection.inspector.id,
                dispute_id: None,
                qa_score: inspection.qa_score,
                answers: &inspection.answers,
                scores: &inspection.scores,
            };
            push_version(&mut tx, d.sample_id, &original).await?;
        }
        overwrite_inspection(&mut tx, inspection.id, &answers, &scores, after).await?;
        let decided = NewVersion {
            saved_at: now,
            saved_by: caller.id,
            dispute_id: Some(id),
            qa_score: after,
            answers: &answers,
            scores: &scores,
        };
        push_version(&mut tx, d.sample_id, &decided).await?;
        for decision in body.items.iter().filter(|i| i.closes_rectification()) {
            let note = decision.reason.trim();
            close_rectifications(
                &mut tx,
                inspection.id,
                &[decision.item_id],
                note,
                caller.id,
                now,
            )
            .await?;
        }
        // An item found wanting now gets its rectification, owned by the agent until the
        // deadline an inspection offers (working days from today, as for improvement plans).
        let deadline = (work_calendar(&mut tx).await?)
            .add_working_days(
                now.with_timezone(&org_zone()),
                settings.improvement_plan_working_days,
            )
            .date_naive();
        for decision in body.items.iter().filter(|i| {
            (d.items.iter())
                .any(|f| f.item_id == i.item_id && i.opens_rectification(f.result_before))
        }) {
            open_rectification(
                &mut tx,
                inspection.id,
                decision.item_id,
                d.agent.id,
                deadline,
                now,
            )
            .await?;
        }
    }
    if !record_decision(&mut tx, id, &body, after, caller.id, now).await? {
        return Err(Coded::conflict("dispute_decided", "This dispute has been decided").into());
    }
    let entry = Entry::new(now, Action::QaDisputeDecided)
        .by(Actor::user(&caller, ip))
        .on("qa_dispute", id)
        .details(json!({
            "sample": d.sample_id,
            "qa_score_before": inspection.qa_score,
            "qa_score_after": after,
            "changed": body.items.iter()
                .filter(|i| i.outcome == DisputeOutcome::Changed)
                .map(|i| i.item_id).collect::<Vec<_>>(),
        }));
    audit::record(&mut *tx, &entry).await?;
    let decided = dispute(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal("the dispute just decided".to_owned()))?;
    crate::services::events::commit_with_event(
        &state,
        tx,
        pingjia_domain::events::EventType::DisputeDecided,
        ("dispute", id),
        now,
    )
    .await?;
    Ok(Json(decided))
}

/// The versions of a sampled record's inspection: the original and each decided dispute's
/// (empty while no dispute changed it).
#[utoipa::path(
    get,
    path = "/qa/samples/{id}/versions",
    tag = "qa",
    operation_id = "qa_inspection_versions",
    params(("id" = i64, Path, description = "The sampled record's id")),
    responses(
        (status = 200, description = "The versions, the original first", body = Vec<InspectionVersion>),
        (status = 404, description = "No such sample"),
    )
)]
pub(super) async fn inspection_versions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<InspectionVersion>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    sample(&mut conn, id).await?;
    Ok(Json(versions(&mut conn, id).await?))
}
