//! The API's one error type, answered as RFC 9457 problem details (`application/problem+json`).

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pingjia_domain::problem::PROBLEM_JSON;
use pingjia_domain::{FieldError, Problem};
use tower_http::catch_panic::CatchPanicLayer;

/// The most field errors a 422 problem lists; its `detail` counts them all. A request naming
/// thousands of unknown codes gets a short answer, not one that grows with the request.
pub const MAX_FIELD_ERRORS: usize = 20;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such resource or route.
    #[error("not found: {0}")]
    NotFound(String),
    /// The route exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request was well-formed but some fields are invalid.
    #[error("invalid fields: {0:?}")]
    Validation(Vec<FieldError>),
    /// Invalid fields with a summary of their own (an import file's bad rows, for instance).
    #[error("{detail}: {errors:?}")]
    Invalid {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// No valid session, or a failed login; the detail is safe to show.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Signed in, but not allowed to do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request contradicts the current state (e.g. an admin disabling themselves).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A problem with a stable code the app translates (`already_rated`,
    /// `idempotency_key_required`, ...), and what it refers to when it refers to something.
    #[error("{} {}: {}", .0.status, .0.code, .0.detail)]
    Coded(Box<Coded>),
    /// Too many failed logins; the client may try again after `retry_after` seconds.
    #[error("too many failed logins; retry after {retry_after} s")]
    TooManyAttempts { retry_after: u64 },
    /// axum could not extract the request (malformed JSON, bad query string, ...).
    #[error("rejected request: {detail}")]
    Rejected { status: StatusCode, detail: String },
    /// The database stayed busy (locked by other writers) for longer than its busy timeout, or
    /// no connection came free in time: 503 with `Retry-After` ([`BUSY_RETRY_AFTER`]), code
    /// `database_busy`; the request may be sent again as it was. Made from a `sqlx::Error` by
    /// its `From` conversion, the one place that tells busy from failed.
    #[error("database busy: {0}")]
    Busy(sqlx::Error),
    /// The database failed; logged, answered as a generic 500. Made with `AppError::from` (or
    /// `?`), which answers [`AppError::Busy`] when the database was only busy.
    #[error(transparent)]
    Database(sqlx::Error),
    /// Something else failed inside the server (a worker thread, password hashing); logged,
    /// answered as a generic 500.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Seconds a client should wait before sending a request again that found the database busy.
pub const BUSY_RETRY_AFTER: u64 = 1;

/// The problem code of [`AppError::Busy`].
pub const DATABASE_BUSY: &str = "database_busy";

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if is_busy(&error) {
            AppError::Busy(error)
        } else {
            AppError::Database(error)
        }
    }
}

/// SQLite's primary result codes of a busy database (`sqlite3.h`): `SQLITE_BUSY` ("database
/// is locked") and `SQLITE_LOCKED` ("database table is locked").
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;

/// Whether a database error means the database is busy rather than broken: another connection
/// held a lock for longer than the busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED` and their
/// extended codes, whose low byte they are), or no pooled connection came free in time.
pub(crate) fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(e) => e
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED)),
        _ => false,
    }
}

/// The payload of [`AppError::Coded`]: built with [`Coded::new`] and the builder methods, then
/// turned into an error with `.into()`.
///
/// ```text
/// return Err(Coded::conflict("already_rated", "...").reference(number).into());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coded {
    pub status: StatusCode,
    /// The problem's `code`, stable: the app translates it.
    pub code: &'static str,
    /// Safe to show.
    pub detail: String,
    /// The problem's `reference`, e.g. the number of the evaluation that already exists.
    pub reference: Option<String>,
    /// Seconds to send as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl Coded {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Coded {
        Coded {
            status,
            code,
            detail: detail.into(),
            reference: None,
            retry_after: None,
        }
    }

    /// A 400 Bad Request.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Coded {
        Coded::new(StatusCode::BAD_REQUEST, code, detail)
    }

    /// A 409 Conflict.
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Coded {
        Coded::new(StatusCode::CONFLICT, code, detail)
    }

    /// A 422 Unprocessable Content.
    pub fn unprocessable(code: &'static str, detail: impl Into<String>) -> Coded {
        Coded::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
    }

    pub fn reference(mut self, reference: impl Into<String>) -> Coded {
        self.reference = Some(reference.into());
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Coded {
        self.retry_after = Some(seconds);
        self
    }
}

impl From<Coded> for AppError {
    fn from(coded: Coded) -> Self {
        AppError::Coded(Box::new(coded))
    }
}

impl AppError {
    /// One invalid field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Validation(_) | AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Coded(coded) => coded.status,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Rejected { status, .. } => *status,
            AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document sent for this error; internals never appear in it.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let problem = Problem::new(
            status.as_u16(),
            status.canonical_reason().unwrap_or("Error"),
        );
        match self {
            AppError::NotFound(what) => problem.with_detail(format!("{what} does not exist")),
            AppError::MethodNotAllowed => {
                problem.with_detail("This resource does not support the request's method")
            }
            AppError::Validation(errors) => {
                let mut detail = match errors.len() {
                    1 => "1 field is invalid".to_owned(),
                    n => format!("{n} fields are invalid"),
                };
                if errors.len() > MAX_FIELD_ERRORS {
                    detail.push_str(&format!(" (the first {MAX_FIELD_ERRORS} are listed)"));
                }
                let listed = errors.iter().take(MAX_FIELD_ERRORS).cloned().collect();
                problem.with_detail(detail).with_errors(listed)
            }
            AppError::Invalid { detail, errors } => problem
                .with_detail(detail.clone())
                .with_errors(errors.clone()),
            AppError::Unauthorized(detail)
            | AppError::Forbidden(detail)
            | AppError::Conflict(detail) => problem.with_detail(detail.clone()),
            AppError::Coded(coded) => {
                let problem = problem
                    .with_detail(coded.detail.clone())
                    .with_code(coded.code);
                match &coded.reference {
                    Some(reference) => problem.with_reference(reference.clone()),
                    None => problem,
                }
            }
            AppError::TooManyAttempts { retry_after } => problem.with_detail(format!(
                "Too many failed sign-in attempts; try again in {}",
                wait_text(*retry_after)
            )),
            AppError::Rejected { detail, .. } => problem.with_detail(detail.clone()),
            AppError::Busy(_) => problem
                .with_detail("The server is busy; send the request again in a moment")
                .with_code(DATABASE_BUSY),
            AppError::Database(_) | AppError::Internal(_) => {
                problem.with_detail("The server could not complete the request; try again later")
            }
        }
    }
}

/// "15 minutes", "1 minute", "40 seconds".
fn wait_text(seconds: u64) -> String {
    match seconds {
        1 => "1 second".to_owned(),
        s if s < 60 => format!("{s} seconds"),
        s => match s.div_ceil(60) {
            1 => "1 minute".to_owned(),
            m => format!("{m} minutes"),
        },
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Database(e) => tracing::error!(error = %e, "database error"),
            AppError::Busy(e) => tracing::warn!(error = %e, "database busy"),
            AppError::Internal(e) => tracing::error!(error = %e, "internal error"),
            _ => {}
        }
        let mut response = problem_response(&self.problem());
        let retry_after = match &self {
            AppError::TooManyAttempts { retry_after } => Some(*retry_after),
            AppError::Coded(coded) => coded.retry_after,
            AppError::Busy(_) => Some(BUSY_RETRY_AFTER),
            _ => None,
        };
        if let Some(retry_after) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

/// A problem document as an HTTP response.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).expect("a problem always serialises");
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        AppError::Rejected {
            status: rejection.status(),
            detail: rejection.body_text(),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::Rejected {
            status: rejection.status(),
            detail: rejection.body_text(),
        }
    }
}

/// What a panic says, when it says it in words (`panic!("…")`, `expect("…")`).
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

/// The answer to a request whose handler panicked (tower-http's `CatchPanicLayer::custom`):
/// the panic is logged and the client gets the generic 500 problem, never a dropped
/// connection.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!(
        panic = panic_message(panic.as_ref()),
        "a request handler panicked"
    );
    problem_response(&AppError::Internal(String::new()).problem())
}

/// What answers a panicking handler: tower-http's `CatchPanicLayer` with [`panic_response`].
/// [`crate::app`] wraps every route in it.
pub fn catch_panic() -> CatchPanicLayer<fn(Box<dyn std::any::Any + Send + 'static>) -> Response> {
    CatchPanicLayer::custom(panic_response)
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::Rejected {
            status: rejection.status(),
            detail: rejection.body_text(),
        }
    }
}

/// The fallback of `/api/...`: a 404 problem instead of the app's `index.html`.
pub async fn api_not_found(uri: axum::http::Uri) -> AppError {
    AppError::NotFound(format!("The API route {}", uri.path()))
}

/// The fallback for a known API route called with a method it does not have.
pub async fn api_method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_database_is_a_503_with_retry_after_and_a_failed_one_a_500() {
        let busy = AppError::from(sqlx::Error::PoolTimedOut);
        assert!(matches!(busy, AppError::Busy(_)));
        let response = busy.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");

        let failed = AppError::from(sqlx::Error::RowNotFound);
        assert!(matches!(failed, AppError::Database(_)));
        let response = failed.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().get(header::RETRY_AFTER).is_none());
    }
}
