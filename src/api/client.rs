//! The one request helper every endpoint function goes through.

use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::Serialize;
use serde::de::DeserializeOwned;
use web_sys::{AbortController, RequestCredentials};

use super::config::api_base;
use super::error::{ApiError, error_from_response};

/// Sends `method path` (relative to the API base) with an optional JSON body and decodes the
/// JSON answer.
///
/// Called from a reactive owner (a resource or action of a component), the request is aborted
/// when that owner is cleaned up, e.g. when the user navigates away.
pub async fn request<T, B>(method: Method, path: &str, body: Option<&B>) -> Result<T, ApiError>
where
    T: DeserializeOwned,
    B: Serialize + ?Sized,
{
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    if let Some(controller) = controller {
        let controller = SendWrapper::new(controller);
        on_cleanup(move || controller.abort());
    }

    let url = format!("{}{path}", api_base().await);
    let builder = RequestBuilder::new(&url)
        .method(method)
        .header("Accept", "application/json")
        .credentials(RequestCredentials::SameOrigin)
        .abort_signal(signal.as_ref());
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
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
        decode_body(&text)
    } else {
        Err(error_from_response(
            status,
            headers.get("content-type").as_deref(),
            headers.get("retry-after").as_deref(),
            &text,
        ))
    }
}

/// `GET path`, decoding the JSON answer.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    request::<T, ()>(Method::GET, path, None).await
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
        let bad = decode_body::<pingjia_domain::wire::Health>("<html>");
        assert!(matches!(bad, Err(ApiError::Decode(_))));
    }
}
