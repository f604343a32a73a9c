//! Service records: the admin list (`GET /service-records`), the admin's CSV import
//! (`POST /service-records/import`) and the helpdesk's ingestion
//! (`POST /ingest/service-records`, API key). Both ways in read a record with
//! [`RawRecord::parse`] and then check it against the database here: the agent exists and is
//! an agent, the service type exists and is not archived, and the customer is identified by
//! the record's numbers ([`pingjia_domain::customers`]): created when unknown, completed when
//! known, in the same transaction as the record.
//!
//! Both are idempotent on the helpdesk's `external_id`: a record already there with identical
//! content is left alone (counted `unchanged`, or answered 200 with `already_existed`); with
//! different content it is refused (an import row error, a 409), never updated: a record may
//! already have been rated as it was.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use pingjia_domain::auth::normalize_login;
use pingjia_domain::customers::Target;
use pingjia_domain::invitations::InvitationState;
use pingjia_domain::records::{
    CustomerOutcome, DEFAULT_RECORDS_PER_PAGE, IngestAnswer, IngestRecord, MAX_RECORDS_PER_PAGE,
    RawRecord, RecordPage,
};
use pingjia_domain::users::normalize_email;
use pingjia_domain::wire::Channel;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::is_unique_violation;
use crate::db::records::{
    RecordQuery, References, existing, insert, load_record, record_page, save_customers,
};
use crate::error::AppError;
use crate::http::apikey::ApiClient;
use crate::http::authz::{ADMIN, Access, Rule, get, post};
use crate::http::extract::{ClientIp, Json, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

mod import;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_records))
        .routes(routes!(import::import_records))
        .routes(routes!(ingest_record))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/service-records", ADMIN),
    post("/api/v1/service-records/import", ADMIN),
    post("/api/v1/ingest/service-records", Access::ApiKey),
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordFilter {
    /// First day of the period (the service's start, China time), inclusive.
    from: Option<NaiveDate>,
    /// Last day of the period, inclusive.
    to: Option<NaiveDate>,
    agent_id: Option<i64>,
    /// The agent's current team.
    team_id: Option<i64>,
    /// A service type's code.
    service_type: Option<String>,
    channel: Option<Channel>,
    /// Whether the customer has evaluated the service.
    rated: Option<bool>,
    /// Where the record stands with its rating invitation.
    invitation: Option<InvitationState>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

/// Service records, a page at a time.
///
/// Newest first (by start). Filters combine: the period `from`..=`to` (days of the service's
/// start, China time), the agent, the agent's team, the service type, the channel,
/// whether the service was rated, and where it stands with its rating invitation
/// (`invitation`). Customers' phone numbers are masked.
#[utoipa::path(
    get,
    path = "/service-records",
    tag = "records",
    operation_id = "list_service_records",
    params(RecordFilter),
    responses(
        (status = 200, description = "One page of records", body = RecordPage),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The period or the paging is invalid"),
    )
)]
async fn list_records(
    State(state): State<AppState>,
    Query(filter): Query<RecordFilter>,
) -> Result<Json<RecordPage>, AppError> {
    let page = filter.page.unwrap_or(1);
    let per_page = filter.per_page.unwrap_or(DEFAULT_RECORDS_PER_PAGE);
    check_paging(page, per_page, MAX_RECORDS_PER_PAGE, filter.from, filter.to)?;
    let query = RecordQuery {
        from: filter.from,
        to: filter.to,
        agent_id: filter.agent_id,
        team_id: filter.team_id,
        service_type: filter.service_type.as_deref(),
        channel: filter.channel,
        rated: filter.rated,
        invitation: filter.invitation,
    };
    let mut conn = state.pool.acquire().await?;
    let (total, records) = record_page(&mut conn, &query, page, per_page).await?;
    Ok(Json(RecordPage {
        records,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
    }))
}

/// Receive one service record from the helpdesk.
///
/// Authenticated by an API key (`Authorization: Bearer <key>`), not a session. The fields are
/// those of the import file, with the same rules (422 with one entry per invalid field).
///
/// The customer comes with the record: named by `customer_no`, `member_no` or
/// `customer_phone` (at least one; or `customer`, a known customer's number), a customer
/// nobody has yet is created in the same transaction (no password, so no password sign-in;
/// `customer_type` then required), a known one is linked and completed; `customer` in the
/// answer says what happened. Numbers of two different customers are a 422 (`conflict`)
/// naming the field, never a merge.
/// Idempotent on `external_id`: a record created now answers 201; a replay of one already
/// there with identical content answers 200 with `already_existed: true` and the stored
/// record; the same external id with other content answers 409 (records are not changed).
/// When the database is busy the answer is 503 with `Retry-After`: send the same record again
/// after that many seconds (the replay answers 200 if the first attempt got through).
#[utoipa::path(
    post,
    path = "/ingest/service-records",
    tag = "records",
    operation_id = "ingest_service_record",
    request_body = IngestRecord,
    responses(
        (status = 201, description = "Created", body = IngestAnswer),
        (status = 200, description = "Already there, identical: nothing written", body = IngestAnswer),
        (status = 409, description = "A record with this external id exists with other content"),
        (status = 422, description = "Some fields are invalid, or the record's numbers name two different customers (`conflict`)"),
        (status = 503, description = "The database is busy (`database_busy`): send the same record again after `Retry-After` seconds",
         headers(("retry-after" = u64, description = "Seconds to wait before sending the record again"))),
    )
)]
async fn ingest_record(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    client: ApiClient,
    Json(incoming): Json<IngestRecord>,
) -> Result<(StatusCode, Json<IngestAnswer>), AppError> {
    let now = state.clock.now();
    let raw = RawRecord::from(incoming);
    let mut tx = begin_write(&state.pool).await?;
    let keys: Vec<String> = [
        &raw.customer,
        &raw.customer_no,
        &raw.member_no,
        &raw.customer_phone,
        &raw.agent,
    ]
    .into_iter()
    .map(|key| normalize_login(key))
    .chain([normalize_email(&raw.customer_email)])
    .filter(|key| !key.is_empty())
    .collect();
    let mut references = References::load(&mut tx, Some(&keys)).await?;
    let resolved = references.check(raw, true).map_err(AppError::Validation)?;
    let external_id = resolved.parsed.external_id.clone();
    let there = existing(&mut tx, &[&external_id]).await?;
    if let Some(stored) = there.get(&external_id) {
        let customer_id = match resolved.target {
            Target::Known(index) => references.customers.get(index).id,
            Target::New => None,
        };
        if customer_id.is_none_or(|id| *stored != resolved.stored(id)) {
            return Err(AppError::Conflict(format!(
                "A service record with the external id {external_id} already exists with other \
                 content; records are not changed by ingestion"
            )));
        }
        let record = load_record(&mut tx, &external_id).await?;
        return Ok((
            StatusCode::OK,
            Json(IngestAnswer {
                already_existed: true,
                record,
                customer: CustomerOutcome::default(),
            }),
        ));
    }
    let applied = references
        .customers
        .apply(&resolved.parsed.customer, resolved.target);
    save_customers(&mut tx, &mut references.customers, now).await?;
    let customer_id = references
        .customers
        .get(applied.index)
        .id
        .ok_or_else(|| AppError::Internal("the record's customer was not saved".to_owned()))?;
    insert(&mut tx, &[&resolved.stored(customer_id)], now)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::Conflict(format!(
                    "The service record {external_id} was created meanwhile; send it again"
                ))
            } else {
                AppError::from(e)
            }
        })?;
    if applied.created || !applied.updated.is_empty() {
        // Who the customer is, never their contacts: the field names only.
        let entry = Entry::new(now, Action::CustomerFromRecord)
            .by(Actor { user_id: None, ip })
            .on("user", customer_id)
            .details(json!({
                "external_id": external_id,
                "api_key_id": client.key_id,
                "created": applied.created,
                "updated": applied.updated,
            }));
        audit::record(&mut *tx, &entry).await?;
    }
    let record = load_record(&mut tx, &external_id).await?;
    tx.commit().await?;
    state.invitations.wake();
    Ok((
        StatusCode::CREATED,
        Json(IngestAnswer {
            already_existed: false,
            record,
            customer: CustomerOutcome {
                created: applied.created,
                updated: applied.updated.iter().map(|f| (*f).to_owned()).collect(),
                kept: applied.kept,
            },
        }),
    ))
}
