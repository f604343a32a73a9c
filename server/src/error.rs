//! The API's one error type, answered as RFC 9457 problem details (`application/problem+json`).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pingjia_domain::problem::PROBLEM_JSON;
use pingjia_domain::{FieldError, Problem};

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
    /// axum could not extract the request (malformed JSON, bad query string, ...).
    #[error("rejected request: {detail}")]
    Rejected { status: StatusCode, detail: String },
    /// The database failed; logged, answered as a generic 500.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl AppError {
    /// One invalid field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Rejected { status, .. } => *status,
            AppError::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
                let detail = match errors.len() {
                    1 => "1 field is invalid".to_owned(),
                    n => format!("{n} fields are invalid"),
                };
                problem.with_detail(detail).with_errors(errors.clone())
            }
            AppError::Rejected { detail, .. } => problem.with_detail(detail.clone()),
            AppError::Database(_) => {
                problem.with_detail("The server could not complete the request; try again later")
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Database(e) = &self {
            tracing::error!(error = %e, "database error");
        }
        problem_response(&self.problem())
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

/// The fallback of `/api/...`: a 404 problem instead of the app's `index.html`.
pub async fn api_not_found(uri: axum::http::Uri) -> AppError {
    AppError::NotFound(format!("The API route {}", uri.path()))
}

/// The fallback for a known API route called with a method it does not have.
pub async fn api_method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
