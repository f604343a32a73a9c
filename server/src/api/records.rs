//! Service records: the admin list (`GET /service-records`), the admin's CSV import
//! (`POST /service-records/import`) and the helpdesk's ingestion
//! (`POST /ingest/service-records`, API key). Both ways in read a record with
//! [`RawRecord::parse`] and then check it against the database here: the customer and the
//! agent exist and have those roles, the service type exists and is not archived.
//!
//! Both are idempotent on the helpdesk's `external_id`: a record already there with identical
//! content is left alone (counted `unchanged`, or answered 200 with `already_existed`); with
//! different content it is refused (an import row error, a 409), never updated: a record may
//! already have been rated as it was.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Days, NaiveDate, Utc};
use pingjia_domain::auth::normalize_login;
use pingjia_domain::records::{
    DEFAULT_RECORDS_PER_PAGE, IngestAnswer, IngestRecord, MAX_RECORDS_PER_PAGE, PREVIEW_ROWS,
    ParsedRecord, RECORD_COLUMNS, REQUIRED_RECORD_COLUMNS, RawRecord, RecordImportReport,
    RecordPage, RecordPreview, RowOutcome, split_tags,
};
use pingjia_domain::users::import_field;
use pingjia_domain::wire::{Channel, Role};
use pingjia_domain::{FieldError, Problem};
use serde::Deserialize;
use serde_json::json;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::csvfile::LineIndex;
use crate::csvfile::MAX_IMPORT_ERRORS;
use crate::db::records::{RECORD_SELECT, RecordRow, load_record};
use crate::db::{is_unique_violation, parse_stored};
use crate::error::AppError;
use crate::http::apikey::ApiClient;
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, CsvBytes, Json, Query, decode_csv};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::{org_day_start, org_zone, to_db};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_records))
        .routes(routes!(import_records))
        .routes(routes!(ingest_record))
}

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
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

fn push_filters(query: &mut QueryBuilder<'_, Sqlite>, filter: &RecordFilter) {
    query.push(" WHERE 1 = 1");
    if let Some(from) = filter.from {
        query
            .push(" AND r.started_at >= ")
            .push_bind(to_db(org_day_start(from)));
    }
    if let Some(to) = filter.to.and_then(|to| to.checked_add_days(Days::new(1))) {
        query
            .push(" AND r.started_at < ")
            .push_bind(to_db(org_day_start(to)));
    }
    if let Some(agent_id) = filter.agent_id {
        query.push(" AND r.agent_id = ").push_bind(agent_id);
    }
    if let Some(team_id) = filter.team_id {
        query.push(" AND a.team_id = ").push_bind(team_id);
    }
    if let Some(code) = &filter.service_type {
        query.push(" AND r.service_type = ").push_bind(code.clone());
    }
    if let Some(channel) = filter.channel {
        query.push(" AND r.channel = ").push_bind(channel.as_str());
    }
    match filter.rated {
        Some(true) => {
            query.push(" AND e.id IS NOT NULL");
        }
        Some(false) => {
            query.push(" AND e.id IS NULL");
        }
        None => {}
    }
}

/// Service records, a page at a time.
///
/// Newest first (by start). Filters combine: the period `from`..=`to` (days of the service's
/// start, China time), the agent, the agent's team, the service type, the channel, and
/// whether the service was rated. Customers' phone numbers are masked.
#[utoipa::path(
    get,
    path = "/service-records",
    tag = "records",
    operation_id = "list_service_records",
    params(RecordFilter),
    responses(
        (status = 200, description = "One page of records", body = RecordPage),
        (status = 400, description = "The query string is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period or the paging is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list_records(
    State(state): State<AppState>,
    Query(filter): Query<RecordFilter>,
) -> Result<Json<RecordPage>, AppError> {
    let page = filter.page.unwrap_or(1);
    let per_page = filter.per_page.unwrap_or(DEFAULT_RECORDS_PER_PAGE);
    let mut errors = Vec::new();
    if page < 1 {
        errors.push(FieldError::new("page", "out_of_range", "pages start at 1"));
    }
    if !(1..=MAX_RECORDS_PER_PAGE).contains(&per_page) {
        errors.push(FieldError::new(
            "per_page",
            "out_of_range",
            format!("per_page must be between 1 and {MAX_RECORDS_PER_PAGE}"),
        ));
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to < from
    {
        errors.push(FieldError::new(
            "to",
            "order",
            "the period cannot end before it starts",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    let mut count = QueryBuilder::new(
        "SELECT COUNT(*) FROM service_records r JOIN users a ON a.id = r.agent_id \
         LEFT JOIN evaluations e ON e.service_record_id = r.id",
    );
    push_filters(&mut count, &filter);
    let total: i64 = count.build_query_scalar().fetch_one(&state.pool).await?;

    let mut select = QueryBuilder::new(RECORD_SELECT);
    push_filters(&mut select, &filter);
    select
        .push(" ORDER BY r.started_at DESC, r.id DESC LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(per_page));
    let rows: Vec<RecordRow> = select.build_query_as().fetch_all(&state.pool).await?;
    let records = rows
        .into_iter()
        .map(RecordRow::into_record)
        .collect::<Result<_, _>>()?;
    Ok(Json(RecordPage {
        records,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
    }))
}

/// A user as incoming records refer to them.
struct Person {
    id: i64,
    role: Role,
    /// The customer number of customers, the employee number of staff.
    number: String,
}

/// What incoming records are checked against: people by any of their numbers, service types
/// by code and names. Read once per import.
struct References {
    /// Customers by customer number, phone and member number; staff by employee number.
    people: HashMap<String, Person>,
    /// Service types by code, Chinese name and lower-cased English name: (code, archived).
    types: HashMap<String, (String, bool)>,
}

impl References {
    /// Reads the people and service types; with `only`, just the people having one of these
    /// (normalised) numbers, for a single record.
    async fn load(
        conn: &mut SqliteConnection,
        only: Option<&[String]>,
    ) -> Result<References, sqlx::Error> {
        type UserRow = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT id, role, employee_no, customer_no, member_no, phone FROM users",
        );
        if let Some(keys) = only {
            query.push(" WHERE 0 = 1");
            for column in ["employee_no", "customer_no", "member_no", "phone"] {
                query.push(format!(" OR {column} IN ("));
                let mut values = query.separated(", ");
                for key in keys {
                    values.push_bind(key.clone());
                }
                query.push(")");
            }
        }
        let users: Vec<UserRow> = query.build_query_as().fetch_all(&mut *conn).await?;
        let mut people = HashMap::new();
        for (id, role, employee_no, customer_no, member_no, phone) in users {
            let role = parse_stored(&role, Role::parse)?;
            let Some(number) = customer_no.clone().or_else(|| employee_no.clone()) else {
                continue;
            };
            for key in [employee_no, customer_no, member_no, phone]
                .into_iter()
                .flatten()
            {
                people.insert(
                    key,
                    Person {
                        id,
                        role,
                        number: number.clone(),
                    },
                );
            }
        }
        let type_rows: Vec<(String, String, String, bool)> =
            sqlx::query_as("SELECT code, name_zh, name_en, archived FROM service_types")
                .fetch_all(&mut *conn)
                .await?;
        let mut types = HashMap::new();
        for (code, name_zh, name_en, archived) in type_rows {
            types.insert(name_en.to_lowercase(), (code.clone(), archived));
            types.insert(name_zh, (code.clone(), archived));
            types.insert(code.clone(), (code, archived));
        }
        Ok(References { people, types })
    }

    /// A raw record read, checked and resolved, or every problem with it: its own fields'
    /// first, then its references (field names are [`RawRecord`]'s).
    fn check(&self, raw: RawRecord) -> Result<Resolved, Vec<FieldError>> {
        let mut problems = Vec::new();
        let customer = self.customer(&raw.customer, &mut problems);
        let agent = self.agent(&raw.agent, &mut problems);
        let service_type = self.service_type(&raw.service_type, &mut problems);
        let parsed = match raw.parse(org_zone()) {
            Ok(parsed) => parsed,
            Err(mut errors) => {
                errors.extend(problems);
                return Err(errors);
            }
        };
        match (customer, agent, service_type) {
            (Some(customer), Some(agent), Some(service_type)) => Ok(Resolved {
                values: Stored::new(&parsed, customer.id, agent.id, service_type),
                customer_no: customer.number.clone(),
                agent_no: agent.number.clone(),
                parsed,
            }),
            _ => Err(problems),
        }
    }

    /// The customer a record names by customer number, phone or member number (a blank
    /// reference is [`RawRecord::parse`]'s to report).
    fn customer(&self, text: &str, errors: &mut Vec<FieldError>) -> Option<&Person> {
        let reference = normalize_login(text);
        if reference.is_empty() {
            return None;
        }
        match self.people.get(&reference) {
            Some(p) if p.role == Role::Customer => Some(p),
            Some(p) => {
                errors.push(FieldError::new(
                    "customer",
                    "not_customer",
                    format!(
                        "{reference} is a staff member ({}), not a customer",
                        p.role.as_str()
                    ),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "customer",
                    "unknown",
                    format!(
                        "no customer has the customer number, phone or member number {reference}"
                    ),
                ));
                None
            }
        }
    }

    /// The agent a record names by employee number.
    fn agent(&self, text: &str, errors: &mut Vec<FieldError>) -> Option<&Person> {
        let reference = normalize_login(text);
        if reference.is_empty() {
            return None;
        }
        match self.people.get(&reference) {
            Some(p) if p.role == Role::Agent => Some(p),
            Some(p) => {
                errors.push(FieldError::new(
                    "agent",
                    "not_agent",
                    format!("{reference} is not an agent (role {})", p.role.as_str()),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "agent",
                    "unknown",
                    format!("no staff member has the employee number {reference}"),
                ));
                None
            }
        }
    }

    /// The code of the service type a record names by code or name; not archived.
    fn service_type(&self, text: &str, errors: &mut Vec<FieldError>) -> Option<String> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match self
            .types
            .get(text)
            .or_else(|| self.types.get(&text.to_lowercase()))
        {
            Some((code, false)) => Some(code.clone()),
            Some((code, true)) => {
                errors.push(FieldError::new(
                    "service_type",
                    "archived",
                    format!("the service type {code} is archived and takes no new records"),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "service_type",
                    "unknown",
                    format!("no service type has the code or name {text:?}"),
                ));
                None
            }
        }
    }
}

/// A record's stored columns (but its id and creation time), as compared with what is
/// already there.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Stored {
    external_id: String,
    customer_id: i64,
    agent_id: i64,
    service_type: String,
    channel: String,
    started_at: String,
    ended_at: String,
    order_no: Option<String>,
    urgency: String,
    category: String,
    tags: String,
    requested_at: String,
    first_response_at: Option<String>,
    resolved_at: Option<String>,
    resolved_first_contact: bool,
}

const STORED_COLUMNS: &str = "external_id, customer_id, agent_id, service_type, channel, \
     started_at, ended_at, order_no, urgency, category, tags, requested_at, first_response_at, \
     resolved_at, resolved_first_contact";

impl Stored {
    fn new(r: &ParsedRecord, customer_id: i64, agent_id: i64, service_type: String) -> Stored {
        Stored {
            external_id: r.external_id.clone(),
            customer_id,
            agent_id,
            service_type,
            channel: r.channel.as_str().to_owned(),
            started_at: to_db(r.started_at),
            ended_at: to_db(r.ended_at),
            order_no: r.order_no.clone(),
            urgency: r.urgency.as_str().to_owned(),
            category: r.category.as_str().to_owned(),
            tags: serde_json::to_string(&r.tags).expect("tags serialise"),
            requested_at: to_db(r.requested_at),
            first_response_at: r.first_response_at.map(to_db),
            resolved_at: r.resolved_at.map(to_db),
            resolved_first_contact: r.resolved_first_contact,
        }
    }
}

/// An incoming record checked against the database.
struct Resolved {
    parsed: ParsedRecord,
    values: Stored,
    customer_no: String,
    agent_no: String,
}

impl Resolved {
    fn preview(&self, line: u64, outcome: RowOutcome) -> RecordPreview {
        let r = &self.parsed;
        RecordPreview {
            line,
            outcome,
            external_id: r.external_id.clone(),
            customer_no: self.customer_no.clone(),
            agent_no: self.agent_no.clone(),
            service_type: self.values.service_type.clone(),
            channel: r.channel,
            started_at: r.started_at,
            ended_at: r.ended_at,
            order_no: r.order_no.clone(),
            urgency: r.urgency,
            category: r.category,
            tags: r.tags.clone(),
            requested_at: r.requested_at,
            first_response_at: r.first_response_at,
            resolved_at: r.resolved_at,
            resolved_first_contact: r.resolved_first_contact,
        }
    }
}

/// The stored records with these external ids.
async fn existing(
    conn: &mut SqliteConnection,
    external_ids: &[&str],
) -> Result<HashMap<String, Stored>, sqlx::Error> {
    let mut found = HashMap::new();
    for chunk in external_ids.chunks(500) {
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {STORED_COLUMNS} FROM service_records WHERE external_id IN ("
        ));
        let mut ids = query.separated(", ");
        for id in chunk {
            ids.push_bind(*id);
        }
        query.push(")");
        let rows: Vec<Stored> = query.build_query_as().fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().map(|r| (r.external_id.clone(), r)));
    }
    Ok(found)
}

/// Writes new records in multi-row inserts; answers how many.
async fn insert(
    conn: &mut SqliteConnection,
    records: &[&Stored],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let created_at = to_db(now);
    let mut written = 0;
    for chunk in records.chunks(400) {
        let mut insert = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO service_records ({STORED_COLUMNS}, created_at) "
        ));
        insert.push_values(chunk, |mut row, r| {
            row.push_bind(&r.external_id)
                .push_bind(r.customer_id)
                .push_bind(r.agent_id)
                .push_bind(&r.service_type)
                .push_bind(&r.channel)
                .push_bind(&r.started_at)
                .push_bind(&r.ended_at)
                .push_bind(&r.order_no)
                .push_bind(&r.urgency)
                .push_bind(&r.category)
                .push_bind(&r.tags)
                .push_bind(&r.requested_at)
                .push_bind(&r.first_response_at)
                .push_bind(&r.resolved_at)
                .push_bind(r.resolved_first_contact)
                .push_bind(&created_at);
        });
        written += insert.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check and preview the file without writing anything.
    #[param(default = false)]
    dry_run: Option<bool>,
}

/// Where each column of the header is, or the problems with the header.
fn read_header(header: &csv::StringRecord) -> Result<Vec<Option<&'static str>>, AppError> {
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut errors = Vec::new();
    for column in REQUIRED_RECORD_COLUMNS {
        if !header.iter().any(|h| h == column) {
            errors.push(FieldError::new(
                "header",
                "missing_column",
                format!("the header has no column {column}"),
            ));
        }
    }
    for (index, column) in header.iter().enumerate() {
        if header[..index].contains(column) {
            errors.push(FieldError::new(
                "header",
                "duplicate_column",
                format!("the column {column} appears twice"),
            ));
        } else if !RECORD_COLUMNS.contains(&column.as_str()) {
            errors.push(FieldError::new(
                "header",
                "unknown_column",
                format!(
                    "unknown column {column:?}; the columns are {}",
                    RECORD_COLUMNS.join(",")
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid {
            detail: format!("The header must be: {}", RECORD_COLUMNS.join(",")),
            errors,
        });
    }
    Ok(header
        .iter()
        .map(|h| RECORD_COLUMNS.iter().copied().find(|c| c == h))
        .collect())
}

/// One data row's cells as a raw record.
fn raw_record(columns: &[Option<&'static str>], record: &csv::StringRecord) -> RawRecord {
    let mut raw = RawRecord::default();
    for (column, cell) in columns.iter().zip(record.iter()) {
        let Some(column) = column else { continue };
        let cell = cell.to_owned();
        match *column {
            "external_id" => raw.external_id = cell,
            "customer" => raw.customer = cell,
            "agent" => raw.agent = cell,
            "service_type" => raw.service_type = cell,
            "channel" => raw.channel = cell,
            "started_at" => raw.started_at = cell,
            "ended_at" => raw.ended_at = cell,
            "order_no" => raw.order_no = cell,
            "urgency" => raw.urgency = cell,
            "category" => raw.category = cell,
            "tags" => raw.tags = split_tags(&cell),
            "requested_at" => raw.requested_at = cell,
            "first_response_at" => raw.first_response_at = cell,
            "resolved_at" => raw.resolved_at = cell,
            _ => raw.resolved_first_contact = cell,
        }
    }
    raw
}

/// A whole import file checked: the report (nothing written yet) and the new records.
struct CheckedFile {
    report: RecordImportReport,
    new: Vec<Stored>,
}

async fn check_file(conn: &mut SqliteConnection, text: &str) -> Result<CheckedFile, AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns = match reader.headers() {
        Ok(header) => read_header(header)?,
        Err(e) => {
            return Err(AppError::Invalid {
                detail: format!("The file's header cannot be read: {e}"),
                errors: Vec::new(),
            });
        }
    };
    let lines = LineIndex::new(text);
    let references = References::load(conn, None).await?;
    let mut rows = 0u64;
    let mut errors = Vec::new();
    let mut valid: Vec<(u64, Resolved)> = Vec::new();
    // Each external id with the line it was first seen on.
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                rows += 1;
                errors.push(FieldError::new(
                    format!("row {}", lines.line_of(e.position())),
                    "malformed",
                    format!("this row cannot be read: {e}"),
                ));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows += 1;
        let line = lines.line_of(record.position());
        let cell_error =
            |e: FieldError| FieldError::new(import_field(line, &e.field), e.code, e.message);
        let resolved = references.check(raw_record(&columns, &record));
        match resolved {
            Err(row_errors) => errors.extend(row_errors.into_iter().map(cell_error)),
            Ok(resolved) => match seen.get(&resolved.parsed.external_id) {
                Some(first) => errors.push(cell_error(FieldError::new(
                    "external_id",
                    "duplicate",
                    format!("row {first} has the same external id"),
                ))),
                None => {
                    seen.insert(resolved.parsed.external_id.clone(), line);
                    valid.push((line, resolved));
                }
            },
        }
    }
    if rows == 0 {
        return Err(AppError::Invalid {
            detail: "The file has no records under its header".to_owned(),
            errors: Vec::new(),
        });
    }
    let ids: Vec<&str> = valid
        .iter()
        .map(|(_, r)| r.parsed.external_id.as_str())
        .collect();
    let there = existing(conn, &ids).await?;
    let mut report = RecordImportReport {
        dry_run: true,
        converted_from: None,
        rows,
        new: 0,
        unchanged: 0,
        imported: 0,
        preview: Vec::new(),
        errors: Vec::new(),
    };
    let mut new = Vec::new();
    for (line, resolved) in valid {
        let outcome = match there.get(&resolved.parsed.external_id) {
            None => RowOutcome::New,
            Some(stored) if *stored == resolved.values => RowOutcome::Unchanged,
            Some(_) => {
                errors.push(FieldError::new(
                    import_field(line, "external_id"),
                    "changed",
                    format!(
                        "a record with the external id {} already exists with other content; \
                         imports do not change records",
                        resolved.parsed.external_id
                    ),
                ));
                continue;
            }
        };
        if report.preview.len() < PREVIEW_ROWS {
            report.preview.push(resolved.preview(line, outcome));
        }
        match outcome {
            RowOutcome::New => {
                report.new += 1;
                new.push(resolved.values);
            }
            RowOutcome::Unchanged => report.unchanged += 1,
        }
    }
    errors.sort_by_key(|e| row_of(&e.field));
    report.errors = errors;
    Ok(CheckedFile { report, new })
}

/// The line an import error names, for listing errors in file order.
fn row_of(field: &str) -> u64 {
    field
        .strip_prefix("row ")
        .and_then(|rest| rest.split(':').next())
        .and_then(|line| line.parse().ok())
        .unwrap_or(0)
}

/// Import service records from a CSV file.
///
/// `Content-Type: text/csv`: UTF-8 with or without a byte order mark, or GBK/GB18030 as Excel
/// saves Chinese CSV files (converted; the report's `converted_from` says so). The header
/// names the columns, in any order: `external_id, customer` (customer number, phone or member
/// number), `agent` (employee number of an agent), `service_type` (code, Chinese or English
/// name; not archived), `channel` (online/offline, 线上/线下), `started_at`, `ended_at`,
/// `order_no`, `urgency` (high/normal/low, 高/中/低), `category`
/// (consultation/complaint/suggestion/praise, 咨询/投诉/建议/表扬), `tags` (separated by `|` or
/// `；`), `requested_at`, `first_response_at`, `resolved_at`, `resolved_first_contact`
/// (true/false, 是/否, 1/0). Times are RFC 3339, or `YYYY-MM-DD HH:MM[:SS]` in China time
/// (UTC+8); requested ≤ started ≤ ended, requested ≤ first response, ended ≤ resolved.
///
/// With `dry_run=true` nothing is written and the answer previews the first 10 valid rows,
/// counts new and unchanged rows and lists every problem (`errors`, one per bad cell, named
/// `row <line>: <column>`, the header being line 1). Otherwise the import is all-or-nothing:
/// any bad row answers 422 with the same errors and writes nothing; a valid file writes its
/// new rows in one transaction. A row whose `external_id` is already there with identical
/// content is counted `unchanged` and left alone; with different content it is an error
/// (records are never changed by an import). A header that is wrong is a 422 in both modes.
#[utoipa::path(
    post,
    path = "/service-records/import",
    tag = "records",
    operation_id = "import_service_records",
    params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "The records, one per row under the header"),
    responses(
        (status = 200, description = "The dry run's report, or the import done", body = RecordImportReport),
        (status = 413, description = "The file is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `text/csv`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file cannot be read, or some rows are invalid; nothing was imported", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn import_records(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Query(params): Query<ImportParams>,
    CsvBytes(bytes): CsvBytes,
) -> Result<Json<RecordImportReport>, AppError> {
    let dry_run = params.dry_run.unwrap_or(false);
    let (text, converted_from) = decode_csv(&bytes)?;
    drop(bytes);
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let CheckedFile { mut report, new } = check_file(&mut tx, &text).await?;
    report.converted_from = converted_from.map(str::to_owned);
    report.dry_run = dry_run;
    if dry_run {
        return Ok(Json(report));
    }
    if !report.errors.is_empty() {
        let bad_rows: HashSet<u64> = report.errors.iter().map(|e| row_of(&e.field)).collect();
        let rows = match bad_rows.len() {
            1 => "1 row is".to_owned(),
            n => format!("{n} rows are"),
        };
        let mut errors = report.errors;
        let more = if errors.len() > MAX_IMPORT_ERRORS {
            errors.truncate(MAX_IMPORT_ERRORS);
            format!(" (the first {MAX_IMPORT_ERRORS} problems are listed)")
        } else {
            String::new()
        };
        return Err(AppError::Invalid {
            detail: format!("{rows} invalid; nothing was imported{more}"),
            errors,
        });
    }
    let records: Vec<&Stored> = new.iter().collect();
    report.imported = insert(&mut tx, &records, now).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Conflict(
                "Another import added some of these records meanwhile; try again".to_owned(),
            )
        } else {
            AppError::Database(e)
        }
    })?;
    let entry = Entry::new(now, Action::RecordsImported)
        .by(Actor::user(&caller, ip))
        .details(json!({
            "rows": report.rows,
            "imported": report.imported,
            "unchanged": report.unchanged,
            "converted_from": report.converted_from,
        }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(Json(report))
}

/// Receive one service record from the helpdesk.
///
/// Authenticated by an API key (`Authorization: Bearer <key>`), not a session. The fields are
/// those of the import file, with the same rules (422 with one entry per invalid field).
/// Idempotent on `external_id`: a record created now answers 201; a replay of one already
/// there with identical content answers 200 with `already_existed: true` and the stored
/// record; the same external id with other content answers 409 (records are not changed).
#[utoipa::path(
    post,
    path = "/ingest/service-records",
    tag = "records",
    operation_id = "ingest_service_record",
    request_body = IngestRecord,
    responses(
        (status = 201, description = "Created", body = IngestAnswer),
        (status = 200, description = "Already there, identical: nothing written", body = IngestAnswer),
        (status = 409, description = "A record with this external id exists with other content", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Some fields are invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn ingest_record(
    State(state): State<AppState>,
    _client: ApiClient,
    Json(incoming): Json<IngestRecord>,
) -> Result<(StatusCode, Json<IngestAnswer>), AppError> {
    let now = state.clock.now();
    let raw = RawRecord::from(incoming);
    let mut tx = state.pool.begin().await?;
    let people = [normalize_login(&raw.customer), normalize_login(&raw.agent)];
    let references = References::load(&mut tx, Some(&people)).await?;
    let resolved = references.check(raw).map_err(AppError::Validation)?;
    let external_id = resolved.parsed.external_id.clone();
    let there = existing(&mut tx, &[&external_id]).await?;
    if let Some(stored) = there.get(&external_id) {
        if *stored != resolved.values {
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
            }),
        ));
    }
    insert(&mut tx, &[&resolved.values], now)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::Conflict(format!(
                    "The service record {external_id} was created meanwhile; send it again"
                ))
            } else {
                AppError::Database(e)
            }
        })?;
    let record = load_record(&mut tx, &external_id).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(IngestAnswer {
            already_existed: false,
            record,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_sorted_by_their_row() {
        assert_eq!(row_of("row 12: agent"), 12);
        assert_eq!(row_of("row 7"), 7);
        assert_eq!(row_of("header"), 0);
    }
}
