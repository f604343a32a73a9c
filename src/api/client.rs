//! The one request helper every endpoint function goes through.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::Serialize;
use serde::de::DeserializeOwned;
use web_sys::{AbortController, RequestCredentials};

use super::config::api_base;
use super::error::{ApiError, error_from_response};

/// What a request sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Nothing.
    Empty,
    /// A JSON document, already encoded.
    Json(String),
    /// A CSV file (UTF-8).
    Csv(String),
    /// A CSV file's bytes as chosen, in whatever encoding it has (the server converts GBK).
    CsvBytes(Vec<u8>),
}

impl Body {
    /// `value` encoded as JSON.
    pub fn json<B: Serialize + ?Sized>(value: &B) -> Result<Body, ApiError> {
        serde_json::to_string(value)
            .map(Body::Json)
            .map_err(|e| ApiError::Request(e.to_string()))
    }
}

/// What a 401 answer means for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unauthorized {
    /// The session ended: the app is told (see [`on_session_lost`]) and sends the user to sign
    /// in again. Every request made on behalf of a signed-in user.
    EndsSession,
    /// The 401 is the answer itself (a wrong password, nobody signed in yet): the app is not
    /// told.
    IsTheAnswer,
}

type Handler = Rc<dyn Fn()>;

thread_local! {
    static SESSION_LOST: RefCell<Option<Handler>> = const { RefCell::new(None) };
}

/// Registers what happens when a request made for a signed-in user answers 401; it replaces
/// any earlier handler.
pub fn on_session_lost(handler: impl Fn() + 'static) {
    SESSION_LOST.with(|cell| *cell.borrow_mut() = Some(Rc::new(handler)));
}

fn session_lost() {
    // Cloned out first: the handler may well make requests of its own.
    if let Some(handler) = SESSION_LOST.with(|cell| cell.borrow().clone()) {
        handler();
    }
}

/// Sends `method path` (relative to the API base) with `body` and decodes the JSON answer; an
/// empty answer (204) decodes as JSON `null`, i.e. `()`.
///
/// Called from a reactive owner (a resource or action of a component), the request is aborted
/// when that owner is cleaned up, e.g. when the user navigates away.
pub async fn request<T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Body,
    unauthorized: Unauthorized,
) -> Result<T, ApiError> {
    request_with_headers(method, path, body, unauthorized, &[]).await
}

/// [`request`] with extra request headers, e.g. `Idempotency-Key`.
pub async fn request_with_headers<T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Body,
    unauthorized: Unauthorized,
    headers: &[(&str, &str)],
) -> Result<T, ApiError> {
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    if let Some(controller) = controller {
        let controller = SendWrapper::new(controller);
        on_cleanup(move || controller.abort());
    }

    let url = format!("{}{path}", api_base().await);
    let builder = headers.iter().fold(
        RequestBuilder::new(&url)
            .method(method)
            .header("Accept", "application/json")
            .credentials(RequestCredentials::SameOrigin)
            .abort_signal(signal.as_ref()),
        |builder, (name, value)| builder.header(name, value),
    );
    let request = match body {
        Body::Empty => builder.build(),
        Body::Json(json) => builder
            .header("Content-Type", "application/json")
            .body(json),
        Body::Csv(csv) => builder
            .header("Content-Type", "text/csv; charset=utf-8")
            .body(csv),
        Body::CsvBytes(bytes) => builder
            .header("Content-Type", "text/csv")
            .body(js_sys::Uint8Array::from(bytes.as_slice())),
    }
    .map_err(|e| ApiError::Request(e.to_string()))?;

    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let headers = response.headers();
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;

    if response.ok() {
        return decode_body(&text);
    }
    let error = error_from_response(
        status,
        headers.get("content-type").as_deref(),
        headers.get("retry-after").as_deref(),
        &text,
    );
    if error == ApiError::Unauthorized && unauthorized == Unauthorized::EndsSession {
        session_lost();
    }
    Err(error)
}

/// `GET path` for the signed-in user.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    request(Method::GET, path, Body::Empty, Unauthorized::EndsSession).await
}

/// `POST path` with a JSON body for the signed-in user.
pub async fn post<T: DeserializeOwned, B: Serialize + ?Sized>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    request(
        Method::POST,
        path,
        Body::json(body)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `PATCH path` with a JSON body for the signed-in user.
pub async fn patch<T: DeserializeOwned, B: Serialize + ?Sized>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    request(
        Method::PATCH,
        path,
        Body::json(body)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// Decodes a success body; an empty one (204) reads as JSON `null`.
fn decode_body<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let text = if text.trim().is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn success_bodies_decode_or_report_why_not() {
        let health: pingjia_domain::wire::Health = decode_body(
            r#"{"status":"ok","version":"0.1.0","database":{"ok":true,"schema_version":3,"error":null}}"#,
        )
        .unwrap();
        assert_eq!(health.version, "0.1.0");
        assert_eq!(decode_body::<Option<u8>>("").unwrap(), None);
        decode_body::<()>("").unwrap();
        let bad = decode_body::<pingjia_domain::wire::Health>("<html>");
        assert!(matches!(bad, Err(ApiError::Decode(_))));
    }

    #[test]
    fn json_bodies_are_encoded_up_front() {
        assert_eq!(
            Body::json(&serde_json::json!({ "a": 1 })).unwrap(),
            Body::Json(r#"{"a":1}"#.to_owned())
        );
    }
}
