//! Where the API lives: `api_base` from the `config.json` deployed beside the app's
//! `index.html`, so one build can talk to any backend that implements the contract.
//!
//! The file is read relative to the app's own public URL, not the site root: the full app
//! (public URL `/`) reads `/config.json`, the light customer app (built with `--public-url /c/`)
//! reads `/c/config.json`, and a build deployed under any other path reads the file beside its
//! own `index.html` (see [`config_url`] and `docs/serving.md`).
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

/// The base URL used when `config.json` is missing, unreadable or has no `api_base`.
pub const DEFAULT_API_BASE: &str = "/api/v1";

/// The configuration file's name, in the folder of the app's public URL.
const CONFIG_FILE: &str = "config.json";

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
/// [`PUBLIC_URL_SOURCES`]).
pub fn public_url_href(root: &Element) -> Option<String> {
    PUBLIC_URL_SOURCES.iter().find_map(|selector| {
        root.query_selector(selector)
            .ok()
            .flatten()
            .and_then(|element| element.get_attribute("href"))
    })
}

/// Where `config.json` is, given the `href` that tells the app's public URL (see
/// [`public_url_href`]): the file in that URL's folder (everything up to its last `/`, query
/// and fragment dropped), so `/c/` and `/c/pingjia-1a2b.js` both give `/c/config.json`. Without
/// one, the site root's `/config.json`.
pub fn config_url(public_url_href: Option<&str>) -> String {
    let Some(href) = public_url_href.map(str::trim).filter(|h| !h.is_empty()) else {
        return format!("/{CONFIG_FILE}");
    };
    let href = href.split(['?', '#']).next().unwrap_or_default();
    // The path starts after `scheme://authority` when the URL is absolute.
    let path_start = href
        .find("://")
        .map(|scheme| {
            let authority = scheme + 3;
            href[authority..]
                .find('/')
                .map_or(href.len(), |slash| authority + slash)
        })
        .unwrap_or(0);
    let folder = match href[path_start..].rfind('/') {
        Some(slash) => &href[..path_start + slash + 1],
        None if path_start > 0 => return format!("{href}/{CONFIG_FILE}"),
        None => "",
    };
    format!("{folder}{CONFIG_FILE}")
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

    #[test]
    fn config_json_is_beside_the_apps_own_index_html() {
        for (href, url) in [
            // The full app, public URL `/`.
            (Some("/"), "/config.json"),
            (Some("/pingjia-1a2b3c4d5e6f7a8b.js"), "/config.json"),
            // The light customer app, built with `--public-url /c/`.
            (Some("/c/"), "/c/config.json"),
            (Some("/c/pingjia-1a2b3c4d5e6f7a8b.js"), "/c/config.json"),
            (
                Some("/c/pingjia-1a2b3c4d5e6f7a8b_bg.wasm"),
                "/c/config.json",
            ),
            // The tiny rating page under `/link/`, and any sub-path deployment.
            (Some("/link/"), "/link/config.json"),
            (Some("/pj/app/x.js?v=2#top"), "/pj/app/config.json"),
            (
                Some("https://cdn.example.com/pj/x.js"),
                "https://cdn.example.com/pj/config.json",
            ),
            (
                Some("https://pj.example.com"),
                "https://pj.example.com/config.json",
            ),
            // A relative public URL: beside the page, as the app's own files are.
            (Some("./x.js"), "./config.json"),
            (Some("x.js"), "config.json"),
            // Nothing tells it: the site root.
            (None, "/config.json"),
            (Some(" "), "/config.json"),
        ] {
            assert_eq!(config_url(href), url, "{href:?}");
        }
    }
}
