//! `/qa/samples/{id}`: the inspection sheet of a sampled record, read and saved.

use axum::extract::State;
use pingjia_domain::qa::{
    Inspection, InspectionSheet, NewInspection, RectificationStatus, SampleRow,
};
use pingjia_domain::wire::Role;
use serde_json::json;

use crate::db::begin_write;
use crate::db::calendar::work_calendar;
use crate::db::qa::dispute_of_sample;
use crate::db::records::{load_conversation, load_record_by_id};
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::{org_day, org_zone};

use crate::db::qa::{
    customer_view, load_inspection, owners, plan_template, sample, write_inspection,
};

/// Whether the caller may (re-)submit the inspection of `sample`: its inspector or an admin,
/// while no rectification of it has been reported.
/// Whether `caller` may save the inspection of `sample`: its inspector or an admin, while no
/// rectification has been reported and no dispute filed (a re-save would undo a decided
/// change: the dispute keeps its versions, the inspection its decided answers).
fn may_edit(
    caller: &CurrentUser,
    sample: &SampleRow,
    inspection: Option<&Inspection>,
    disputed: bool,
) -> bool {
    let assigned = caller.role == Role::Admin || caller.is(sample.inspector.id);
    let untouched = inspection.is_none_or(|i| {
        i.rectifications
            .iter()
            .all(|r| r.status == RectificationStatus::Open && r.reported_at.is_none())
    });
    assigned && untouched && !disputed
}

/// Everything the inspection of one sampled record needs: the record, the customer's current
/// evaluation (unless deleted), its conversation (transcript and recording, for QA inspectors
/// and admins only), the plan's checklist, the inspection so far, who may own a
/// rectification and the deadline offered (working days from today, as for improvement plans).
#[utoipa::path(
    get,
    path = "/qa/samples/{id}",
    tag = "qa",
    operation_id = "qa_inspection_sheet",
    params(("id" = i64, Path, description = "The sampled record's id (in its plan)")),
    responses(
        (status = 200, description = "The sheet", body = InspectionSheet),
        (status = 404, description = "No such sample"),
    )
)]
pub(super) async fn inspection_sheet(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<InspectionSheet>, AppError> {
    let now = state.clock.now();
    let today = org_day(now);
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let sample = sample(&mut conn, id).await?;
    let template = plan_template(&mut conn, sample.plan_id).await?;
    let inspection = load_inspection(&mut conn, id, today).await?;
    let calendar = work_calendar(&mut conn).await?;
    let default_deadline = calendar
        .add_working_days(
            now.with_timezone(&org_zone()),
            settings.improvement_plan_working_days,
        )
        .date_naive();
    Ok(Json(InspectionSheet {
        editable: may_edit(
            &caller,
            &sample,
            inspection.as_ref(),
            dispute_of_sample(&mut conn, id).await?.is_some(),
        ),
        record: load_record_by_id(&mut conn, sample.record_id).await?,
        conversation: load_conversation(&mut conn, sample.record_id).await?,
        evaluation: customer_view(&mut conn, sample.record_id).await?,
        owners: owners(&mut conn, sample.agent.id).await?,
        sample,
        template,
        inspection,
        default_deadline,
        today,
    }))
}

/// Submit (or, until a rectification of it is reported, replace) the inspection of a sampled
/// record. PUT: sending the same inspection twice leaves one.
///
/// The assigned inspector or an admin only (403); 409 `inspection_locked` once a rectification
/// of it has been reported. 422 with field errors: `answers.{item_id}.result` (`required`,
/// `unknown`, `duplicate`), `answers.{item_id}.problem` (`required` for an item partly or not
/// compliant), `scores.{dimension_id}` (`required`, `out_of_range`), `rectifications.{item_id}.
/// owner_id` (`required` for every item found wanting, `unknown`: not the agent or their team
/// lead, `not_wanting`), `answers.{item_id}.quote` (`not_in_transcript`: a quote must be one
/// of the record's transcript lines), `rectifications.{item_id}.deadline` (`in_past`), `highlights`.
#[utoipa::path(
    put,
    path = "/qa/samples/{id}/inspection",
    tag = "qa",
    operation_id = "save_qa_inspection",
    params(("id" = i64, Path, description = "The sampled record's id")),
    request_body = NewInspection,
    responses(
        (status = 200, description = "Saved", body = Inspection),
        (status = 403, description = "Not the assigned inspector"),
        (status = 404, description = "No such sample"),
        (status = 409, description = "`inspection_locked`"),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn save_inspection(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<NewInspection>,
) -> Result<Json<Inspection>, AppError> {
    let now = state.clock.now();
    let today = org_day(now);
    let mut tx = begin_write(&state.pool).await?;
    let sample = sample(&mut tx, id).await?;
    let existing = load_inspection(&mut tx, id, today).await?;
    if !(caller.role == Role::Admin || caller.is(sample.inspector.id)) {
        return Err(AppError::Forbidden(
            "This record is assigned to another inspector".to_owned(),
        ));
    }
    let disputed = dispute_of_sample(&mut tx, id).await?.is_some();
    if !may_edit(&caller, &sample, existing.as_ref(), disputed) {
        return Err(Coded::conflict(
            "inspection_locked",
            if disputed {
                "The agent disputed this inspection; it changes only by the dispute's decision"
            } else {
                "A rectification of this inspection has been reported; the inspection stays as it is"
            },
        )
        .into());
    }
    let template = plan_template(&mut tx, sample.plan_id).await?;
    let owner_ids: Vec<i64> = owners(&mut tx, sample.agent.id)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    let conversation = load_conversation(&mut tx, sample.record_id).await?;
    body.check(&template, &owner_ids, today, &conversation.lines)
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
    state.events.wake();
    Ok(Json(saved))
}
