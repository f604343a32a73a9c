//! `/qa/calibrations`: calibration sessions between QA inspectors (issue 25). A lead (the QA
//! inspector or admin who starts one) picks a few records, a template and two or more
//! inspectors; each inspector scores every record blind: until the session closes (everyone
//! has scored, or the lead closes it) a session answers only the caller's own answers. Then it
//! shows each inspector's answer per item and dimension, the agreement and Krippendorff's alpha
//! (`pingjia_domain::qa::calibration_results`), and the lead records the agreed answers and a
//! note per item that becomes the item's guidance. Calibration answers are stored apart and
//! never count toward an agent's figures.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate};
use pingjia_domain::FieldError;
use pingjia_domain::qa::{
    AgreedAnswers, CalibrationAnswers, CalibrationDetail, CalibrationPage, CalibrationStatus,
    DEFAULT_CALIBRATIONS_PER_PAGE, DeviationReport, ItemGuidance, MAX_CALIBRATIONS_PER_PAGE,
    NewCalibration, calibration_results, deviation,
};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::db::begin_write;
use crate::db::qa::{
    agreed_comparisons, calibration_inspectors, calibration_page, calibration_records,
    calibration_summary, close_calibration, insert_calibration, inspectors, load_agreed,
    load_answers, load_template, record_ids_by_number, template_guidance, write_agreed,
    write_answers,
};
use crate::db::sql::Conn;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::org_day;

/// The session `id` as `caller` may see it: their own answers while it is open, everyone's
/// (with the agreement) once it is closed.
async fn detail(
    conn: &mut Conn,
    id: i64,
    caller: &CurrentUser,
) -> Result<CalibrationDetail, AppError> {
    let summary = calibration_summary(conn, id, caller.id).await?;
    let template = load_template(conn, summary.template_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("the template of calibration {id}")))?;
    let records = calibration_records(conn, id).await?;
    let inspectors = calibration_inspectors(conn, id).await?;
    let chosen = inspectors.iter().any(|i| caller.is(i.person.id));
    let mine = if chosen {
        (load_answers(conn, id, &[caller.id]).await?.pop()).map(|a| a.answers)
    } else {
        None
    };
    let closed = summary.status == CalibrationStatus::Closed;
    let (results, agreed) = if closed {
        let ids: Vec<i64> = inspectors.iter().map(|i| i.person.id).collect();
        let answers = load_answers(conn, id, &ids).await?;
        let record_ids: Vec<i64> = records.iter().map(|r| r.id).collect();
        (
            Some(calibration_results(&template, &record_ids, &answers)),
            load_agreed(conn, id).await?,
        )
    } else {
        (None, None)
    };
    Ok(CalibrationDetail {
        may_lead: caller.role == Role::Admin || caller.is(summary.lead.id),
        summary,
        template,
        records,
        inspectors,
        chosen,
        mine,
        results,
        agreed,
    })
}

/// The session `id` as its lead sees it: 403 `refused` for a caller who neither started it nor
/// is an admin.
async fn led(
    conn: &mut Conn,
    id: i64,
    caller: &CurrentUser,
    refused: &str,
) -> Result<CalibrationDetail, AppError> {
    let current = detail(conn, id, caller).await?;
    if !current.may_lead {
        return Err(AppError::Forbidden(refused.to_owned()));
    }
    Ok(current)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct CalibrationQuery {
    /// `open` or `closed`; every session without it.
    #[param(inline)]
    status: Option<CalibrationStatus>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

/// Calibration sessions, newest first, a page at a time, with whether it is the caller's turn
/// to score each.
#[utoipa::path(
    get,
    path = "/qa/calibrations",
    tag = "qa",
    operation_id = "list_qa_calibrations",
    params(CalibrationQuery),
    responses(
        (status = 200, description = "A page of sessions", body = CalibrationPage),
        (status = 422, description = "The paging is invalid"),
    )
)]
pub(super) async fn list_calibrations(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<CalibrationQuery>,
) -> Result<Json<CalibrationPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_CALIBRATIONS_PER_PAGE);
    check_paging(page, per_page, MAX_CALIBRATIONS_PER_PAGE, None, None)?;
    let mut conn = state.pool.acquire().await?;
    let (sessions, total) =
        calibration_page(&mut conn, query.status, caller.id, page, per_page).await?;
    Ok(Json(CalibrationPage {
        sessions,
        total,
        page,
        per_page,
    }))
}

/// Start a calibration session: the caller leads it. 422 with field errors: `name`,
/// `records` (`required`, `too_many`: 1 to 5), `records.{i}` (`required`, `duplicate`,
/// `unknown`: no record of that number), `inspector_ids` (`too_few`: at least two,
/// `too_many`, `duplicate`, `unknown`: not a QA inspector or admin), `template_id`
/// (`unknown`; `no_items`: the template has no check item).
#[utoipa::path(
    post,
    path = "/qa/calibrations",
    tag = "qa",
    operation_id = "create_qa_calibration",
    request_body = NewCalibration,
    responses(
        (status = 201, description = "Started", body = CalibrationDetail),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn create_calibration(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<NewCalibration>,
) -> Result<(StatusCode, Json<CalibrationDetail>), AppError> {
    let now = state.clock.now();
    let mut errors = body.check().err().unwrap_or_default();
    let mut tx = begin_write(&state.pool).await?;
    match load_template(&mut tx, body.template_id).await? {
        None => errors.push(FieldError::new(
            "template_id",
            "unknown",
            "choose a checklist template",
        )),
        Some(t) if !t.usable() => errors.push(FieldError::new(
            "template_id",
            "no_items",
            "the template has no check item",
        )),
        Some(_) => {}
    }
    let found = record_ids_by_number(&mut tx, &body.records).await?;
    for (i, (number, id)) in body.records.iter().zip(&found).enumerate() {
        if id.is_none() && !number.trim().is_empty() {
            errors.push(FieldError::new(
                format!("records.{i}"),
                "unknown",
                "no service record has this number",
            ));
        }
    }
    let qa: Vec<i64> = inspectors(&mut tx).await?.iter().map(|p| p.id).collect();
    if body.inspector_ids.iter().any(|id| !qa.contains(id))
        && !errors.iter().any(|e| e.field == "inspector_ids")
    {
        errors.push(FieldError::new(
            "inspector_ids",
            "unknown",
            "choose QA inspectors or admins",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let record_ids: Vec<i64> = found.into_iter().flatten().collect();
    let id = insert_calibration(&mut tx, &body, &record_ids, caller.id, now).await?;
    let entry = Entry::new(now, Action::CalibrationStarted)
        .by(Actor::user(&caller, ip))
        .on("qa_calibration", id)
        .details(json!({ "count": record_ids.len(), "template": body.template_id }));
    audit::record(&mut *tx, &entry).await?;
    let detail = detail(&mut tx, id, &caller).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// A session: its records (with their conversations), template and inspectors; the caller's
/// own answers; everyone's answers, the agreement and the agreed answers only once it is
/// closed. 404 when there is none.
#[utoipa::path(
    get,
    path = "/qa/calibrations/{id}",
    tag = "qa",
    operation_id = "get_qa_calibration",
    params(("id" = i64, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session", body = CalibrationDetail),
        (status = 404, description = "No such session"),
    )
)]
pub(super) async fn get_calibration(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CalibrationDetail>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(detail(&mut conn, id, &caller).await?))
}

/// Submit (or, while the session is open, replace) the caller's answers: every item and every
/// dimension of every record. The session closes once every inspector has scored. 403 for
/// anyone not among its inspectors; 409 `calibration_closed`; 422 with field errors
/// `answers.{record_id}.{item_id}` and `scores.{record_id}.{dimension_id}` (`required`,
/// `duplicate`, `unknown`, `out_of_range`).
#[utoipa::path(
    put,
    path = "/qa/calibrations/{id}/answers",
    tag = "qa",
    operation_id = "save_qa_calibration_answers",
    params(("id" = i64, Path, description = "The session's id")),
    request_body = CalibrationAnswers,
    responses(
        (status = 200, description = "Saved", body = CalibrationDetail),
        (status = 403, description = "Not one of the session's inspectors"),
        (status = 404, description = "No such session"),
        (status = 409, description = "`calibration_closed`"),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn save_answers(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<CalibrationAnswers>,
) -> Result<Json<CalibrationDetail>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let current = detail(&mut tx, id, &caller).await?;
    if !current.chosen {
        return Err(AppError::Forbidden(
            "Only the session's inspectors score it".to_owned(),
        ));
    }
    if current.summary.status == CalibrationStatus::Closed {
        return Err(Coded::conflict("calibration_closed", "The session is closed").into());
    }
    let record_ids: Vec<i64> = current.records.iter().map(|r| r.id).collect();
    body.check(&current.template, &record_ids, true)
        .map_err(AppError::Validation)?;
    write_answers(&mut tx, id, caller.id, &body, now).await?;
    let entry = Entry::new(now, Action::CalibrationScored)
        .by(Actor::user(&caller, ip))
        .on("qa_calibration", id);
    audit::record(&mut *tx, &entry).await?;
    let inspectors = calibration_inspectors(&mut tx, id).await?;
    if inspectors.iter().all(|i| i.submitted_at.is_some()) {
        close_calibration(&mut tx, id, now).await?;
    }
    let saved = detail(&mut tx, id, &caller).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

/// Close the session before everyone has scored: the results show what was scored. The lead
/// (who started it) or an admin only (403); closing a closed one changes nothing.
#[utoipa::path(
    post,
    path = "/qa/calibrations/{id}/close",
    tag = "qa",
    operation_id = "close_qa_calibration",
    params(("id" = i64, Path, description = "The session's id")),
    responses(
        (status = 200, description = "Closed", body = CalibrationDetail),
        (status = 403, description = "Not the session's lead"),
        (status = 404, description = "No such session"),
    )
)]
pub(super) async fn close(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CalibrationDetail>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let current = led(&mut tx, id, &caller, "Only the session's lead closes it").await?;
    if current.summary.status == CalibrationStatus::Open {
        close_calibration(&mut tx, id, now).await?;
        let entry = Entry::new(now, Action::CalibrationClosed)
            .by(Actor::user(&caller, ip))
            .on("qa_calibration", id);
        audit::record(&mut *tx, &entry).await?;
    }
    let closed = detail(&mut tx, id, &caller).await?;
    tx.commit().await?;
    Ok(Json(closed))
}

/// Record the agreed answers (some or all) and a note per item; each non-empty note becomes
/// the item's guidance, shown under its standard on the inspection sheet. The lead or an admin
/// only (403), once the session is closed (409 `calibration_open`); 422 with field errors
/// `answers.{record_id}.{item_id}`, `scores.{record_id}.{dimension_id}`, `notes.{item_id}`.
#[utoipa::path(
    put,
    path = "/qa/calibrations/{id}/agreed",
    tag = "qa",
    operation_id = "save_qa_calibration_agreed",
    params(("id" = i64, Path, description = "The session's id")),
    request_body = AgreedAnswers,
    responses(
        (status = 200, description = "Recorded", body = CalibrationDetail),
        (status = 403, description = "Not the session's lead"),
        (status = 404, description = "No such session"),
        (status = 409, description = "`calibration_open`"),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn save_agreed(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<AgreedAnswers>,
) -> Result<Json<CalibrationDetail>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let current = led(
        &mut tx,
        id,
        &caller,
        "Only the session's lead records the agreed answers",
    )
    .await?;
    if current.summary.status == CalibrationStatus::Open {
        return Err(Coded::conflict(
            "calibration_open",
            "The inspectors are still scoring: close the session first",
        )
        .into());
    }
    let record_ids: Vec<i64> = current.records.iter().map(|r| r.id).collect();
    body.check(&current.template, &record_ids)
        .map_err(AppError::Validation)?;
    write_agreed(&mut tx, id, &body, now).await?;
    let entry = Entry::new(now, Action::CalibrationAgreed)
        .by(Actor::user(&caller, ip))
        .on("qa_calibration", id);
    audit::record(&mut *tx, &entry).await?;
    let saved = detail(&mut tx, id, &caller).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct DeviationQuery {
    /// Sessions started from this day (default: the first day of the month five months ago).
    from: Option<NaiveDate>,
    /// Sessions started up to this day, inclusive (default: today).
    to: Option<NaiveDate>,
}

/// Each inspector's deviation from the agreed answers over the period and month by month: the
/// share of their item answers that differ from the agreed ones, and the mean of their rubric
/// score minus the agreed one (below 0: harder, above 0: softer). 422 `to` (`order`) for a
/// period that ends before it starts.
#[utoipa::path(
    get,
    path = "/qa/calibrations/deviation",
    tag = "qa",
    operation_id = "qa_calibration_deviation",
    params(DeviationQuery),
    responses(
        (status = 200, description = "The deviation per inspector", body = DeviationReport),
        (status = 422, description = "The period is invalid"),
    )
)]
pub(super) async fn deviation_report(
    State(state): State<AppState>,
    Query(query): Query<DeviationQuery>,
) -> Result<Json<DeviationReport>, AppError> {
    let today = org_day(state.clock.now());
    let to = query.to.unwrap_or(today);
    let from = query.from.unwrap_or_else(|| {
        let first = to.with_day(1).unwrap_or(to);
        (0..5).fold(first, |m, _| {
            (m - Duration::days(1)).with_day(1).unwrap_or(m)
        })
    });
    check_paging(1, 1, 1, Some(from), Some(to))?;
    let mut conn = state.pool.acquire().await?;
    let (comparisons, people) = agreed_comparisons(&mut conn, from, to).await?;
    let (overall, months) = deviation(&comparisons, &people);
    Ok(Json(DeviationReport {
        from,
        to,
        overall,
        months,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct GuidanceQuery {
    /// The checklist template.
    template_id: i64,
}

/// The guidance of a template's items (the notes calibrations agreed on), for the inspection
/// sheet.
#[utoipa::path(
    get,
    path = "/qa/calibrations/guidance",
    tag = "qa",
    operation_id = "qa_item_guidance",
    params(GuidanceQuery),
    responses((status = 200, description = "The items' guidance", body = Vec<ItemGuidance>))
)]
pub(super) async fn guidance(
    State(state): State<AppState>,
    Query(query): Query<GuidanceQuery>,
) -> Result<Json<Vec<ItemGuidance>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(template_guidance(&mut conn, query.template_id).await?))
}
