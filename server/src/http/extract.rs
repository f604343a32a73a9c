//! axum's `Json`, `Query` and `Path` with their rejections answered as problem details, and the
//! request's client address and CSV bodies.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON body in or out. A malformed body is a 400 problem, a body of the wrong shape a 422,
/// a missing `Content-Type: application/json` a 415. Every request body of the API is an
/// object: an array is a 422 too (serde would otherwise read a struct from `[...]`, its
/// fields in order).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let (parts, body) = request.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| AppError::Rejected {
                status: e.status(),
                detail: e.body_text(),
            })?;
        json_object(parts, bytes, state).await.map(Json)
    }
}

/// Parses a JSON request body as axum's `Json` does (its 415, 400 and 422 problems), and
/// refuses a top-level array with a 422.
pub(crate) async fn json_object<S: Send + Sync, T: DeserializeOwned>(
    parts: Parts,
    bytes: Bytes,
    state: &S,
) -> Result<T, AppError> {
    let top_level_array = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let request = Request::from_parts(parts, Body::from(bytes));
    let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
    if top_level_array {
        return Err(AppError::Invalid {
            detail: "The body must be a JSON object".to_owned(),
            errors: Vec::new(),
        });
    }
    Ok(value)
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A query string; one that does not fit `T` is a 400 problem.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// Path parameters; ones that do not fit `T` (a number too large, not a number) are a 400
/// problem.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// The address of the client: the peer of the TCP connection (the server is served with
/// connection info). Without one, as in tests through `oneshot` that do not set a
/// `ConnectInfo<SocketAddr>` extension, `0.0.0.0`. Behind a reverse proxy this is the proxy:
/// forwarded headers are not trusted, as any client could forge them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub fn of(parts: &Parts) -> ClientIp {
        ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip()),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::of(parts))
    }
}

/// The media type of CSV bodies.
pub const TEXT_CSV: &str = "text/csv";

/// Largest CSV body accepted (a 10,000-row record import is about 2 MB).
pub const MAX_CSV_BYTES: usize = 32 * 1024 * 1024;

/// A `text/csv` body as sent, up to [`MAX_CSV_BYTES`]. Another media type is a 415 problem, a
/// larger body a 413.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvBytes(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for CsvBytes {
    type Rejection = AppError;

    async fn from_request(request: Request, _: &S) -> Result<Self, AppError> {
        let is_csv = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|media| media.trim().eq_ignore_ascii_case(TEXT_CSV));
        if !is_csv {
            return Err(AppError::Rejected {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                detail: "Expected request with `Content-Type: text/csv`".to_owned(),
            });
        }
        axum::body::to_bytes(request.into_body(), MAX_CSV_BYTES)
            .await
            .map(CsvBytes)
            .map_err(|_| AppError::Rejected {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                detail: format!(
                    "The file is larger than {} MB or could not be read",
                    MAX_CSV_BYTES / 1024 / 1024
                ),
            })
    }
}

/// A `text/csv` body as text: UTF-8, a leading byte order mark removed. Another media type is
/// a 415 problem, a body that is not UTF-8 a 422.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvBody(pub String);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let CsvBytes(bytes) = CsvBytes::from_request(request, state).await?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        String::from_utf8(bytes.to_vec())
            .map(CsvBody)
            .map_err(|_| AppError::Invalid {
                detail: "The file is not UTF-8 text: save it as \"CSV UTF-8\"".to_owned(),
                errors: Vec::new(),
            })
    }
}

/// A CSV file's text: UTF-8 (a leading byte order mark removed), or else GBK/GB18030 (what
/// Excel saves Chinese CSV files as), converted; the second value names the encoding
/// converted from. A file that is neither is a 422 problem.
pub fn decode_csv(bytes: &[u8]) -> Result<(String, Option<&'static str>), AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), None));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| (text.into_owned(), Some("GBK")))
        .ok_or_else(|| AppError::Invalid {
            detail: "The file is neither UTF-8 nor GBK text; save it from Excel as \"CSV UTF-8\""
                .to_owned(),
            errors: Vec::new(),
        })
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use axum::routing::post;
    use http_body_util::BodyExt;
    use pingjia_domain::Problem;
    use serde::Deserialize;
    use tower::ServiceExt;

    use super::*;

    #[derive(Deserialize, Serialize)]
    struct Note {
        text: String,
    }

    async fn echo(Query(q): Query<Note>, Json(note): Json<Note>) -> Json<Note> {
        Json(Note {
            text: format!("{}{}", q.text, note.text),
        })
    }

    async fn call(
        uri: &str,
        content_type: &str,
        body: &'static str,
    ) -> (StatusCode, String, Vec<u8>) {
        let app = Router::new().route("/echo", post(echo));
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (status, content_type, bytes)
    }

    async fn problem(uri: &str, content_type: &str, body: &'static str) -> Problem {
        let (status, media, bytes) = call(uri, content_type, body).await;
        assert_eq!(media, "application/problem+json");
        let problem: Problem = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(problem.status, status.as_u16());
        assert!(problem.detail.is_some());
        problem
    }

    #[tokio::test]
    async fn well_formed_requests_pass_through() {
        let (status, media, bytes) =
            call("/echo?text=a", "application/json", r#"{"text":"b"}"#).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(media, "application/json");
        assert_eq!(bytes, br#"{"text":"ab"}"#);
    }

    #[test]
    fn csv_files_are_utf8_or_converted_from_gbk() {
        assert_eq!(
            decode_csv(b"\xEF\xBB\xBFa,b").unwrap(),
            ("a,b".to_owned(), None)
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("客户,线上");
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(
            decode_csv(&gbk).unwrap(),
            ("客户,线上".to_owned(), Some("GBK"))
        );
        assert!(decode_csv(b"\xFF\xFF\x80").is_err());
    }

    #[tokio::test]
    async fn rejections_are_problem_documents() {
        let syntax = problem("/echo?text=a", "application/json", r#"{"text":"#).await;
        assert_eq!(syntax.status, 400);
        let shape = problem("/echo?text=a", "application/json", r#"{"text":1}"#).await;
        assert_eq!(shape.status, 422);
        let media = problem("/echo?text=a", "text/plain", r#"{"text":"b"}"#).await;
        assert_eq!(media.status, 415);
        let query = problem("/echo", "application/json", r#"{"text":"b"}"#).await;
        assert_eq!(query.status, 400);
    }
}
