//! Where the API lives: `api_base` from the `config.json` deployed next to `index.html`, so one
//! build can talk to any backend that implements the contract.
//!
//! The file is fetched once, in the background from start-up on; every request awaits the same
//! memoised promise, and first paint never waits for it.

use std::cell::RefCell;

use gloo_net::http::Request;
use js_sys::Promise;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

/// The base URL used when `config.json` is missing, unreadable or has no `api_base`.
pub const DEFAULT_API_BASE: &str = "/api/v1";

/// Where the configuration file is served.
const CONFIG_URL: &str = "/config.json";

#[derive(Deserialize)]
struct AppConfig {
    api_base: Option<String>,
}

thread_local! {
    static API_BASE: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Starts reading `config.json` without waiting for it.
pub fn preload_config() {
    let _ = base_promise();
}

/// The API's base URL, without a trailing slash.
pub async fn api_base() -> String {
    JsFuture::from(base_promise())
        .await
        .ok()
        .and_then(|base| base.as_string())
        .unwrap_or_else(|| DEFAULT_API_BASE.to_owned())
}

fn base_promise() -> Promise {
    API_BASE.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                future_to_promise(async {
                    let body = fetch_config().await;
                    Ok(JsValue::from_str(&base_from_config(body.as_deref())))
                })
            })
            .clone()
    })
}

async fn fetch_config() -> Option<String> {
    let response = Request::get(CONFIG_URL)
        .header("Accept", "application/json")
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    response.text().await.ok()
}

/// The base URL a `config.json` body names, or the default when it names none.
pub fn base_from_config(body: Option<&str>) -> String {
    body.and_then(|body| serde_json::from_str::<AppConfig>(body).ok())
        .and_then(|config| config.api_base)
        .map(|base| base.trim().trim_end_matches('/').to_owned())
        .filter(|base| !base.is_empty())
        .unwrap_or_else(|| DEFAULT_API_BASE.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn reads_api_base_and_falls_back_to_the_default() {
        assert_eq!(
            base_from_config(Some(r#"{ "api_base": "/api/v1" }"#)),
            "/api/v1"
        );
        assert_eq!(
            base_from_config(Some(r#"{ "api_base": "https://pj.example.com/api/v1/" }"#)),
            "https://pj.example.com/api/v1"
        );
        assert_eq!(base_from_config(Some("{}")), DEFAULT_API_BASE);
        assert_eq!(
            base_from_config(Some(r#"{ "api_base": " " }"#)),
            DEFAULT_API_BASE
        );
        assert_eq!(base_from_config(Some("<!DOCTYPE html>")), DEFAULT_API_BASE);
        assert_eq!(base_from_config(None), DEFAULT_API_BASE);
    }
}
