//! Where the API lives: `api_base` from the `config.json` deployed beside the app's
//! `index.html`, so one build can talk to any backend that implements the contract.
//!
//! The file is read relative to the app's own public URL, not the site root: the full app
//! (public URL `/`) reads `/config.json`, the light customer app (built with `--public-url /c/`)
//! reads `/c/config.json`, and a build deployed under any other path reads the file beside its
//! own `index.html` (the rule: [`config_url`], in the domain; see `docs/serving.md`).
//!
//! The file is fetched once, in the background from start-up on; every request awaits the same
//! memoised promise, and first paint never waits for it.

use std::cell::RefCell;

use gloo_net::http::Request;
use js_sys::Promise;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::Element;

pub use pingjia_domain::routes::config_url;

/// The base URL used when `config.json` is missing, unreadable or has no `api_base`.
pub const DEFAULT_API_BASE: &str = "/api/v1";

/// Where the page says the app's files are: the wasm-bindgen loader Trunk links for
/// preloading (`<link rel="modulepreload" href="{public URL}pingjia-….js">`), else the wasm
/// itself (`<link rel="preload" href="{public URL}pingjia-…_bg.wasm">`). (A `<base>` element
/// would be ignored: the pages' policy says `base-uri 'none'`.)
const PUBLIC_URL_SOURCES: [&str; 2] = [
    "link[rel=modulepreload][href$='.js']",
    "link[rel=preload][href$='.wasm']",
];

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

/// The `href` of the first element under `root` that tells the app's public URL (see
/// [`PUBLIC_URL_SOURCES`]): the `module_url` of [`config_url`].
pub fn public_url_href(root: &Element) -> Option<String> {
    PUBLIC_URL_SOURCES.iter().find_map(|selector| {
        root.query_selector(selector)
            .ok()
            .flatten()
            .and_then(|element| element.get_attribute("href"))
    })
}

async fn fetch_config() -> Option<String> {
    let root = web_sys::window()?.document()?.document_element();
    let url = config_url(root.as_ref().and_then(public_url_href).as_deref());
    let response = Request::get(&url)
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
