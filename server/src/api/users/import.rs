//! `POST /users/import`: users from a CSV file, all or nothing.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;

use axum::extract::State;
use pingjia_domain::FieldError;
use pingjia_domain::users::{
    IMPORT_COLUMNS, ImportReport, NewUser, REQUIRED_IMPORT_COLUMNS, import_field,
};
use pingjia_domain::wire::{CustomerType, Role};
use serde_json::json;

use crate::csvfile::{LineIndex, MAX_IMPORT_ERRORS};
use crate::db::begin_write;
use crate::db::{Conn, teams};
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, CsvBody, Json};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::password;

use crate::db::users::{check_against_database, insert_user};

/// The password rules on a new user's password, unless its shape was already refused.
pub(super) fn check_password(user: &NewUser, errors: &mut Vec<FieldError>) {
    let Some(password) = &user.password else {
        return;
    };
    if errors.iter().any(|e| e.field == "password") {
        return;
    }
    if let Err(error) = password::check_new(
        "password",
        password,
        &user.identifiers(),
        &user.display_name,
    ) {
        errors.push(error);
    }
}

/// The cells of one data row, by column name.
struct Row<'a> {
    line: u64,
    cells: HashMap<&'static str, &'a str>,
}

impl Row<'_> {
    fn get(&self, column: &str) -> Option<&str> {
        self.cells.get(column).copied().filter(|c| !c.is_empty())
    }

    fn error(&self, column: &str, code: &str, message: impl Into<String>) -> FieldError {
        FieldError::new(import_field(self.line, column), code, message)
    }
}

/// The import column a [`NewUser`] field is read from.
fn column_of(field: &str) -> &str {
    match field {
        "team_id" => "team",
        other => other,
    }
}

/// Reads one row into a normalised new user; `None` (with errors) when its role or customer
/// type cannot be read, as the other rules depend on them.
fn read_row(
    row: &Row<'_>,
    teams: &HashMap<String, i64>,
    errors: &mut Vec<FieldError>,
) -> Option<NewUser> {
    let role = match row.get("role") {
        None => {
            errors.push(row.error("role", "required", "enter a role"));
            None
        }
        Some(text) => Role::parse(&text.to_ascii_lowercase()).or_else(|| {
            errors.push(row.error(
                "role",
                "invalid",
                "use customer, agent, team_lead, qa_inspector or admin",
            ));
            None
        }),
    };
    let customer_type = match row.get("customer_type") {
        None => Some(None),
        Some(text) => match CustomerType::parse(&text.to_ascii_lowercase()) {
            Some(kind) => Some(Some(kind)),
            None => {
                errors.push(row.error("customer_type", "invalid", "use new, returning or member"));
                None
            }
        },
    };
    let team_id = match row.get("team") {
        None => None,
        Some(name) => match teams.get(name) {
            Some(id) => Some(*id),
            None => {
                errors.push(row.error("team", "unknown", format!("no team is named {name}")));
                None
            }
        },
    };
    let cell = |column: &str| row.get(column).map(str::to_owned);
    Some(
        NewUser {
            role: role?,
            display_name: cell("display_name").unwrap_or_default(),
            employee_no: cell("employee_no"),
            customer_no: cell("customer_no"),
            member_no: cell("member_no"),
            phone: cell("phone"),
            email: cell("email"),
            customer_type: customer_type?,
            team_id,
            password: cell("password"),
        }
        .normalized(),
    )
}

/// Checks a whole import file: every user it holds, normalised, or a 422 listing every problem.
async fn check_file(conn: &mut Conn, text: &str) -> Result<Vec<NewUser>, AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|h| h.to_ascii_lowercase()).collect(),
        Err(e) => {
            return Err(AppError::Invalid {
                detail: format!("The file's header cannot be read: {e}"),
                errors: Vec::new(),
            });
        }
    };
    let mut header_errors = Vec::new();
    for column in REQUIRED_IMPORT_COLUMNS {
        if !header.iter().any(|h| h == column) {
            header_errors.push(FieldError::new(
                "header",
                "missing_column",
                format!("the header has no column {column}"),
            ));
        }
    }
    for (index, column) in header.iter().enumerate() {
        if header[..index].contains(column) {
            header_errors.push(FieldError::new(
                "header",
                "duplicate_column",
                format!("the column {column} appears twice"),
            ));
        } else if !IMPORT_COLUMNS.contains(&column.as_str()) {
            header_errors.push(FieldError::new(
                "header",
                "unknown_column",
                format!(
                    "unknown column {column:?}; the columns are {}",
                    IMPORT_COLUMNS.join(",")
                ),
            ));
        }
    }
    if !header_errors.is_empty() {
        return Err(AppError::Invalid {
            detail: format!("The header must be: {}", IMPORT_COLUMNS.join(",")),
            errors: header_errors,
        });
    }
    let columns: Vec<Option<&'static str>> = header
        .iter()
        .map(|h| IMPORT_COLUMNS.iter().copied().find(|c| c == h))
        .collect();
    let teams = teams::ids_by_name(conn).await?;

    let lines = LineIndex::new(text);
    let line_of = |position: Option<&csv::Position>| lines.line_of(position);
    let mut users = Vec::new();
    let mut errors = Vec::new();
    let mut bad_rows = 0;
    let mut rows = 0;
    // Identifier values seen so far, with the line they were first seen on.
    let mut seen: HashMap<(&'static str, String), u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = line_of(e.position());
                errors.push(FieldError::new(
                    format!("row {line}"),
                    "malformed",
                    format!("this row cannot be read: {e}"),
                ));
                bad_rows += 1;
                rows += 1;
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows += 1;
        let row = Row {
            line: line_of(record.position()),
            cells: columns
                .iter()
                .zip(record.iter())
                .filter_map(|(column, cell)| column.map(|c| (c, cell)))
                .collect(),
        };
        let before = errors.len();
        if let Some(user) = read_row(&row, &teams, &mut errors) {
            let mut row_errors = user.validate();
            row_errors.extend(check_against_database(conn, &user).await?);
            check_password(&user, &mut row_errors);
            errors.extend(row_errors.into_iter().map(|e| {
                FieldError::new(
                    import_field(row.line, column_of(&e.field)),
                    e.code,
                    e.message,
                )
            }));
            let identifiers = [
                ("employee_no", &user.employee_no),
                ("customer_no", &user.customer_no),
                ("member_no", &user.member_no),
                ("phone", &user.phone),
                ("email", &user.email),
            ];
            for (column, value) in identifiers {
                let Some(value) = value else { continue };
                match seen.entry((column, value.clone())) {
                    Slot::Occupied(first) => errors.push(row.error(
                        column,
                        "duplicate",
                        format!("row {} has the same number", first.get()),
                    )),
                    Slot::Vacant(slot) => {
                        slot.insert(row.line);
                    }
                }
            }
            users.push(user);
        }
        if errors.len() > before {
            bad_rows += 1;
        }
    }
    if rows == 0 {
        return Err(AppError::Invalid {
            detail: "The file has no users under its header".to_owned(),
            errors: Vec::new(),
        });
    }
    if bad_rows > 0 {
        let rows = match bad_rows {
            1 => "1 row is".to_owned(),
            n => format!("{n} rows are"),
        };
        let more = if errors.len() > MAX_IMPORT_ERRORS {
            format!(" (the first {MAX_IMPORT_ERRORS} problems are listed)")
        } else {
            String::new()
        };
        errors.truncate(MAX_IMPORT_ERRORS);
        return Err(AppError::Invalid {
            detail: format!("{rows} invalid; nothing was imported{more}"),
            errors,
        });
    }
    Ok(users)
}

/// Import users from a CSV file.
///
/// `Content-Type: text/csv`, UTF-8 with or without a byte order mark, the header
/// `role,display_name,employee_no,customer_no,member_no,phone,email,customer_type,team,password`
/// (any order; `email` may be left out), one user per row with the fields of `NewUser`;
/// `team` is a team's name, `email` an e-mail address (any role), and an empty password leaves
/// the account without one (the usual case for customers). Every row is checked (required fields per
/// role, formats, numbers repeated in the file or already used, team names, password rules)
/// before anything is written: a file with any bad row imports nothing and is answered 422
/// with one entry in `errors` per bad cell, named `row <line>: <column>` (the header is line
/// 1). A valid file is imported in one transaction.
#[utoipa::path(
    post,
    path = "/users/import",
    tag = "users",
    operation_id = "import_users",
    request_body(content = String, content_type = "text/csv", description = "The users, one per row under the header"),
    responses(
        (status = 200, description = "Every row imported", body = ImportReport),
        (status = 415, description = "The body is not `text/csv`"),
        (status = 422, description = "Some rows are invalid; nothing was imported"),
    )
)]
pub(super) async fn import_users(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    CsvBody(text): CsvBody,
) -> Result<Json<ImportReport>, AppError> {
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let users = check_file(&mut conn, &text).await?;
    drop(conn);
    let mut hashes = Vec::with_capacity(users.len());
    for user in &users {
        hashes.push(match &user.password {
            Some(password) => Some(password::hash(password.clone()).await?),
            None => None,
        });
    }
    let mut tx = begin_write(&state.pool).await?;
    let mut ids = Vec::with_capacity(users.len());
    for (user, hash) in users.iter().zip(hashes) {
        ids.push(insert_user(&mut tx, user, hash, now).await?);
    }
    let entry = Entry::new(now, Action::UsersImported)
        .by(Actor {
            user_id: Some(caller.id),
            ip,
        })
        .details(json!({ "count": ids.len(), "user_ids": ids }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(Json(ImportReport {
        imported: ids.len() as u64,
    }))
}
