//! `ApiError`, what a call to the API can end in other than success, and the pure mapping from
//! an HTTP answer (status, headers, body text) to it.

use pingjia_domain::Problem;
use pingjia_domain::problem::PROBLEM_JSON;
use thiserror::Error;

/// Why a call to the API did not return what was asked for.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ApiError {
    /// The request never got an answer: offline, DNS, CORS, aborted.
    #[error("network failure: {0}")]
    Network(String),
    /// The request could not be built (its body could not be encoded).
    #[error("the request could not be built: {0}")]
    Request(String),
    /// 401: no valid session.
    #[error("not signed in (401)")]
    Unauthorized,
    /// 403: signed in, but not allowed.
    #[error("not allowed (403)")]
    Forbidden,
    /// 404: no such resource.
    #[error("not found (404)")]
    NotFound,
    /// 409: the request conflicts with the current state (e.g. a duplicate).
    #[error("conflict (409): {}", .0.title)]
    Conflict(Problem),
    /// 409 with `Retry-After`: the same request (same idempotency key) is still being
    /// processed; asking again after the delay gets its result.
    #[error("still in progress (409): {}", .problem.title)]
    InProgress {
        problem: Problem,
        retry_after_secs: Option<u32>,
    },
    /// 422: the request was understood but some fields are invalid; see `field_message`.
    #[error("invalid request (422): {}", .0.title)]
    Validation(Problem),
    /// 429: too many requests; `Retry-After` says how long to wait, when sent in seconds.
    #[error("rate limited (429)")]
    RateLimited { retry_after_secs: Option<u32> },
    /// 5xx: the server failed, or (503 with `Retry-After`, code `database_busy`) was too busy
    /// to answer; sending the request again after `retry_after_secs` may succeed.
    #[error("server error ({status})")]
    Server {
        status: u16,
        problem: Option<Problem>,
        retry_after_secs: Option<u32>,
    },
    /// Any other status the client does not expect.
    #[error("unexpected status {status}")]
    Unexpected {
        status: u16,
        problem: Option<Problem>,
    },
    /// A success answer whose body is not what the endpoint promises.
    #[error("undecodable response: {0}")]
    Decode(String),
}

impl ApiError {
    /// The server's message for one field of a rejected (422) request.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            ApiError::Validation(problem) => problem.field(field).map(|e| e.message.as_str()),
            _ => None,
        }
    }

    /// The problem details the server sent with the error, if any.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Conflict(problem)
            | ApiError::Validation(problem)
            | ApiError::InProgress { problem, .. } => Some(problem),
            ApiError::Server { problem, .. } | ApiError::Unexpected { problem, .. } => {
                problem.as_ref()
            }
            _ => None,
        }
    }

    /// The problem's stable code, e.g. `already_rated` or `idempotency_key_reused`.
    pub fn code(&self) -> Option<&str> {
        self.problem()?.code.as_deref()
    }

    /// What the problem refers to, e.g. the number of the evaluation that already exists.
    pub fn reference(&self) -> Option<&str> {
        self.problem()?.reference.as_deref()
    }

    /// How long the server asked to wait before trying again (`Retry-After`, in seconds).
    pub fn retry_after_secs(&self) -> Option<u32> {
        match *self {
            ApiError::RateLimited { retry_after_secs }
            | ApiError::InProgress {
                retry_after_secs, ..
            }
            | ApiError::Server {
                retry_after_secs, ..
            } => retry_after_secs,
            _ => None,
        }
    }
}

/// The problem code of a 409 whose first request with the same idempotency key is still
/// being processed.
pub const IN_FLIGHT: &str = "idempotency_in_flight";

/// Maps a non-success answer to an `ApiError`.
///
/// `content_type` and `retry_after` are the raw header values; `body` is the body text.
/// Problem details are read from `application/problem+json` (or plain JSON) bodies; any other
/// body is tolerated and ignored.
pub fn error_from_response(
    status: u16,
    content_type: Option<&str>,
    retry_after: Option<&str>,
    body: &str,
) -> ApiError {
    let problem = parse_problem(content_type, body);
    let or_standard = |problem: Option<Problem>, title: &str| {
        problem.unwrap_or_else(|| Problem::new(status, title))
    };
    match status {
        // A credential refused with its reason (a one-time sign-in code: `code_wrong`,
        // `code_expired`, ...): the caller reads the problem. A bare 401 is a missing session.
        401 if problem.as_ref().is_some_and(|p| p.code.is_some()) => {
            ApiError::Unexpected { status, problem }
        }
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden,
        404 => ApiError::NotFound,
        // The one conflict that passes: the first request with this key is still running.
        409 if retry_after.is_some()
            || problem
                .as_ref()
                .is_some_and(|p| p.code.as_deref() == Some(IN_FLIGHT)) =>
        {
            ApiError::InProgress {
                problem: or_standard(problem, "Conflict"),
                retry_after_secs: retry_after.and_then(parse_retry_after),
            }
        }
        409 => ApiError::Conflict(or_standard(problem, "Conflict")),
        422 => ApiError::Validation(or_standard(problem, "Unprocessable Content")),
        429 => ApiError::RateLimited {
            retry_after_secs: retry_after.and_then(parse_retry_after),
        },
        500..=599 => ApiError::Server {
            status,
            problem,
            retry_after_secs: retry_after.and_then(parse_retry_after),
        },
        _ => ApiError::Unexpected { status, problem },
    }
}

/// Reads problem details from a body sent as JSON, or `None` when it is anything else.
fn parse_problem(content_type: Option<&str>, body: &str) -> Option<Problem> {
    let essence = content_type?.split(';').next()?.trim().to_ascii_lowercase();
    if essence == PROBLEM_JSON || essence == "application/json" {
        serde_json::from_str(body).ok()
    } else {
        None
    }
}

/// `Retry-After` in delay-seconds; the HTTP-date form is not used by our API and yields `None`.
fn parse_retry_after(value: &str) -> Option<u32> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn validation_problem_keeps_per_field_messages() {
        let body = r#"{"type":"about:blank","title":"Unprocessable Content","status":422,
            "detail":"1 field is invalid",
            "errors":[{"field":"suggestion","code":"too_long","message":"at most 500 characters"}]}"#;
        let err = error_from_response(422, Some("application/problem+json"), None, body);
        assert!(matches!(err, ApiError::Validation(_)));
        assert_eq!(
            err.field_message("suggestion"),
            Some("at most 500 characters")
        );
        assert_eq!(err.field_message("overall"), None);
        assert_eq!(
            err.problem().unwrap().detail.as_deref(),
            Some("1 field is invalid")
        );
    }

    #[test]
    fn a_401_with_a_code_keeps_its_problem() {
        let body = r#"{"title":"Unauthorized","status":401,"code":"code_wrong","reference":"3"}"#;
        let err = error_from_response(401, Some("application/problem+json"), None, body);
        assert_eq!(
            (err.code(), err.reference()),
            (Some("code_wrong"), Some("3"))
        );
        let bare = r#"{"title":"Unauthorized","status":401,"detail":"sign in"}"#;
        assert_eq!(
            error_from_response(401, Some("application/problem+json"), None, bare),
            ApiError::Unauthorized
        );
    }

    #[test]
    fn statuses_map_to_their_variants() {
        let problem = r#"{"title":"Conflict","status":409,"detail":"already rated"}"#;
        let ct = Some("application/problem+json; charset=utf-8");
        assert_eq!(
            error_from_response(401, ct, None, ""),
            ApiError::Unauthorized
        );
        assert_eq!(error_from_response(403, ct, None, ""), ApiError::Forbidden);
        assert_eq!(
            error_from_response(404, None, None, "Not Found"),
            ApiError::NotFound
        );
        match error_from_response(409, ct, None, problem) {
            ApiError::Conflict(p) => assert_eq!(p.detail.as_deref(), Some("already rated")),
            other => panic!("expected Conflict, got {other:?}"),
        }
        assert!(matches!(
            error_from_response(503, None, None, "<html>busy</html>"),
            ApiError::Server {
                status: 503,
                problem: None,
                retry_after_secs: None,
            }
        ));
        assert!(matches!(
            error_from_response(418, None, None, ""),
            ApiError::Unexpected {
                status: 418,
                problem: None
            }
        ));
    }

    #[test]
    fn codes_references_and_in_flight_conflicts_are_exposed() {
        let ct = Some("application/problem+json");
        let rated = r#"{"title":"Conflict","status":409,"code":"already_rated","reference":"PJ20261122-000123"}"#;
        let err = error_from_response(409, ct, None, rated);
        assert!(matches!(err, ApiError::Conflict(_)));
        assert_eq!(err.code(), Some("already_rated"));
        assert_eq!(err.reference(), Some("PJ20261122-000123"));
        assert_eq!(err.retry_after_secs(), None);

        let busy = r#"{"title":"Conflict","status":409,"code":"idempotency_in_flight"}"#;
        let err = error_from_response(409, ct, Some("2"), busy);
        assert_eq!(err.code(), Some(IN_FLIGHT));
        assert_eq!(err.retry_after_secs(), Some(2));
        assert!(matches!(err, ApiError::InProgress { .. }));
        // The code alone says so too, with or without the header.
        assert!(matches!(
            error_from_response(409, ct, None, busy),
            ApiError::InProgress {
                retry_after_secs: None,
                ..
            }
        ));
        assert_eq!(
            error_from_response(429, None, Some("7"), "").retry_after_secs(),
            Some(7)
        );
        assert_eq!(error_from_response(404, None, None, "").code(), None);

        // A busy database: 503 with its code and how long to wait.
        let busy = r#"{"title":"Service Unavailable","status":503,"code":"database_busy"}"#;
        let err = error_from_response(503, ct, Some("1"), busy);
        assert!(matches!(err, ApiError::Server { status: 503, .. }));
        assert_eq!(err.code(), Some("database_busy"));
        assert_eq!(err.retry_after_secs(), Some(1));
    }

    #[test]
    fn retry_after_seconds_are_read_and_dates_ignored() {
        assert_eq!(
            error_from_response(429, None, Some(" 30 "), ""),
            ApiError::RateLimited {
                retry_after_secs: Some(30)
            }
        );
        assert_eq!(
            error_from_response(429, None, Some("Wed, 21 Oct 2015 07:28:00 GMT"), ""),
            ApiError::RateLimited {
                retry_after_secs: None
            }
        );
        assert_eq!(
            error_from_response(429, None, None, ""),
            ApiError::RateLimited {
                retry_after_secs: None
            }
        );
    }

    #[test]
    fn non_problem_bodies_are_tolerated() {
        match error_from_response(422, Some("text/html"), None, "<h1>Bad</h1>") {
            ApiError::Validation(p) => {
                assert_eq!(p.status, 422);
                assert!(p.errors.is_empty());
            }
            other => panic!("expected Validation, got {other:?}"),
        }
        let server = error_from_response(500, Some("application/problem+json"), None, "oops{");
        assert_eq!(
            server,
            ApiError::Server {
                status: 500,
                problem: None,
                retry_after_secs: None,
            }
        );
        let with_problem = error_from_response(
            500,
            Some("application/problem+json"),
            None,
            r#"{"title":"Internal Server Error","status":500}"#,
        );
        assert_eq!(
            with_problem.problem().unwrap().title,
            "Internal Server Error"
        );
    }
}
