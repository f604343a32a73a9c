//! `POST /service-records/import`: the admin's CSV import of service records.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use pingjia_domain::FieldError;
use pingjia_domain::customers::Target;
use pingjia_domain::records::{
    CUSTOMER_NUMBER_COLUMNS, PREVIEW_ROWS, RECORD_COLUMN_ALIASES, RECORD_COLUMNS,
    REQUIRED_RECORD_COLUMNS, RawRecord, RecordImportReport, RowOutcome, split_tags,
};
use pingjia_domain::users::import_field;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::csvfile::LineIndex;
use crate::csvfile::MAX_IMPORT_ERRORS;
use crate::db::begin_write;
use crate::db::is_unique_violation;
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, CsvBytes, Json, Query, decode_csv};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

use crate::db::Conn;
use crate::db::records::{References, Resolved, Stored, existing, insert, save_customers};

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
        .map(|h| {
            RECORD_COLUMN_ALIASES
                .iter()
                .find(|(alias, _)| *alias == h)
                .map_or(h, |(_, column)| (*column).to_owned())
        })
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
    if !CUSTOMER_NUMBER_COLUMNS
        .iter()
        .any(|column| header.iter().any(|h| h == column))
    {
        errors.push(FieldError::new(
            "header",
            "missing_column",
            format!(
                "the header has no column naming the customer: one of {}",
                CUSTOMER_NUMBER_COLUMNS.join(", ")
            ),
        ));
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
            "customer_no" => raw.customer_no = cell,
            "member_no" => raw.member_no = cell,
            "customer_phone" => raw.customer_phone = cell,
            "customer_type" => raw.customer_type = cell,
            "customer_email" => raw.customer_email = cell,
            "customer_name" => raw.customer_name = cell,
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
            "do_not_invite" => raw.do_not_invite = cell,
            "transcript_url" => raw.transcript_url = cell,
            "recording_url" => raw.recording_url = cell,
            "transcript" => raw.transcript = cell,
            _ => raw.resolved_first_contact = cell,
        }
    }
    raw
}

/// A whole import file checked: the report (nothing written yet), the customers as the new
/// rows leave them (created and completed in the book, not yet stored) and the new records
/// with their customer's index in the book.
struct CheckedFile {
    report: RecordImportReport,
    references: References,
    new: Vec<(Resolved, usize)>,
}

async fn check_file(conn: &mut Conn, text: &str) -> Result<CheckedFile, AppError> {
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
    let mut references = References::load(conn, None).await?;
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
        let resolved = references.check(raw_record(&columns, &record), false);
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
        new_customers: 0,
        kept: Vec::new(),
        preview: Vec::new(),
        errors: Vec::new(),
    };
    let mut new = Vec::new();
    for (line, resolved) in valid {
        let cell_error =
            |e: FieldError| FieldError::new(import_field(line, &e.field), e.code, e.message);
        // Identified again: an earlier row may have created or completed the customer.
        let book = &mut references.customers;
        let target = match book.identify(&resolved.parsed.customer) {
            Ok(target) => target,
            Err(row_errors) => {
                errors.extend(row_errors.into_iter().map(cell_error));
                continue;
            }
        };
        let known = match target {
            Target::Known(index) => Some(index),
            Target::New => None,
        };
        let (outcome, index, created) = match there.get(&resolved.parsed.external_id) {
            None => {
                let applied = book.apply(&resolved.parsed.customer, target);
                report.kept.extend(applied.kept.into_iter().map(cell_error));
                if applied.created {
                    report.new_customers += 1;
                }
                (RowOutcome::New, applied.index, applied.created)
            }
            Some(stored) => match known {
                Some(index)
                    if book
                        .get(index)
                        .id
                        .is_some_and(|id| *stored == resolved.stored(id)) =>
                {
                    (RowOutcome::Unchanged, index, false)
                }
                _ => {
                    errors.push(cell_error(FieldError::new(
                        "external_id",
                        "changed",
                        format!(
                            "a record with the external id {} already exists with other \
                             content; imports do not change records",
                            resolved.parsed.external_id
                        ),
                    )));
                    continue;
                }
            },
        };
        if report.preview.len() < PREVIEW_ROWS {
            let customer_no = book.get(index).customer_no.clone().unwrap_or_default();
            report
                .preview
                .push(resolved.preview(line, outcome, customer_no, created));
        }
        match outcome {
            RowOutcome::New => {
                report.new += 1;
                new.push((resolved, index));
            }
            RowOutcome::Unchanged => report.unchanged += 1,
        }
    }
    errors.sort_by_key(|e| row_of(&e.field));
    report.errors = errors;
    Ok(CheckedFile {
        report,
        references,
        new,
    })
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
/// names the columns, in any order: `external_id`; the customer, by at least one of
/// `customer_no`, `member_no`, `customer_phone` (or `customer`: any of these numbers of a
/// known customer), with `customer_type` (new/returning/member, 新客/老客/会员; required when
/// the row creates the customer), `customer_email` and `customer_name` (optional);
/// `agent` (employee number of an agent), `service_type` (code, Chinese or English
/// name; not archived), `channel` (online/offline, 线上/线下), `started_at`, `ended_at`,
/// `order_no`, `urgency` (high/normal/low, 高/中/低), `category`
/// (consultation/complaint/suggestion/praise, 咨询/投诉/建议/表扬), `tags` (separated by `|` or
/// `；`), `requested_at`, `first_response_at`, `resolved_at`, `resolved_first_contact`
/// (true/false, 是/否, 1/0), `do_not_invite` (or headed `不邀请`; true/false, 是/否, 1/0,
/// empty = false: no rating invitation is sent for the record), and the conversation:
/// `transcript_url` and `recording_url` (absolute http(s) links at the helpdesk) and
/// `transcript` (its text in a quoted cell, one speaker turn per line, at most 20,000
/// characters). Times are RFC 3339, or `YYYY-MM-DD HH:MM[:SS]` in China time
/// (UTC+8); requested ≤ started ≤ ended, requested ≤ first response, ended ≤ resolved.
///
/// With `dry_run=true` nothing is written and the answer previews the first 10 valid rows,
/// counts new and unchanged rows and lists every problem (`errors`, one per bad cell, named
/// `row <line>: <column>`, the header being line 1). Otherwise the import is all-or-nothing:
/// any bad row answers 422 with the same errors and writes nothing; a valid file writes its
/// new rows in one transaction. A row whose `external_id` is already there with identical
/// content is counted `unchanged` and left alone; with different content it is an error
/// (records are never changed by an import). A header that is wrong is a 422 in both modes.
///
/// Customers come with their records, as with the ingestion endpoint: a row naming nobody
/// creates the customer (no password; a generated `PJ…` number when the row has no
/// `customer_no`), later rows of the file find them; the numbers of two different customers
/// in one row are an error (`conflict`); contacts a customer lacks are filled in, differing
/// ones are kept and listed in `kept` (not errors). `new_customers` counts the customers
/// the new rows create; all of it in the import's one transaction.
#[utoipa::path(
    post,
    path = "/service-records/import",
    tag = "records",
    operation_id = "import_service_records",
    params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "The records, one per row under the header"),
    responses(
        (status = 200, description = "The dry run's report, or the import done", body = RecordImportReport),
        (status = 413, description = "The file is too large"),
        (status = 415, description = "The body is not `text/csv`"),
        (status = 422, description = "The file cannot be read, or some rows are invalid; nothing was imported"),
    )
)]
pub(super) async fn import_records(
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
    let mut tx = begin_write(&state.pool).await?;
    let CheckedFile {
        mut report,
        mut references,
        new,
    } = check_file(&mut tx, &text).await?;
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
    let saved = save_customers(&mut tx, &mut references.customers, now).await?;
    let mut records: Vec<Stored> = Vec::with_capacity(new.len());
    for (resolved, index) in &new {
        let customer_id = references.customers.get(*index).id.ok_or_else(|| {
            AppError::Internal("a new record's customer was not saved".to_owned())
        })?;
        records.push(resolved.stored(customer_id));
    }
    let records: Vec<&Stored> = records.iter().collect();
    report.imported = insert(&mut tx, &records, now).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Conflict(
                "Another import added some of these records meanwhile; try again".to_owned(),
            )
        } else {
            AppError::from(e)
        }
    })?;
    let entry = Entry::new(now, Action::RecordsImported)
        .by(Actor::user(&caller, ip))
        .details(json!({
            "rows": report.rows,
            "imported": report.imported,
            "unchanged": report.unchanged,
            "customers_created": saved.created,
            "customers_updated": saved.updated,
            "converted_from": report.converted_from,
        }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    state.invitations.wake();
    Ok(Json(report))
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
