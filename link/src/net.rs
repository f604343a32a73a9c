//! Requests: `config.json` beside the page's own files, and the rating link's endpoints
//! through `fetch`. Answers decode with the domain's wire types; errors are problem+json.

use std::cell::RefCell;

use pingjia_domain::Problem;
use wasm_bindgen::{JsCast, JsValue};

use crate::wire;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

/// The API's base when `config.json` does not name one.
const DEFAULT_API_BASE: &str = "/api/v1";

/// The `Idempotency-Key` header (the domain's `IDEMPOTENCY_KEY_HEADER`).
use pingjia_domain::evaluations::IDEMPOTENCY_KEY_HEADER;

/// A request that did not get the answer it wanted.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer: offline, or the server could not be reached.
    Network,
    /// An answer with this status, its problem document when it had one, and its
    /// `Retry-After` in seconds.
    Status {
        status: u16,
        problem: Option<Problem>,
        retry_after: Option<u32>,
    },
    /// An answer the page could not read.
    Decode,
}

impl Failure {
    pub fn status(&self) -> u16 {
        match self {
            Failure::Status { status, .. } => *status,
            _ => 0,
        }
    }

    /// The problem's code, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Failure::Status {
                problem: Some(p), ..
            } => p.code.as_deref(),
            _ => None,
        }
    }

    /// The problem document, if any.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Failure::Status { problem, .. } => problem.as_ref(),
            _ => None,
        }
    }

    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Failure::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the same request may succeed later (no answer, 429, 5xx, a 409 saying the
    /// same key is still being processed).
    pub fn passing(&self) -> bool {
        match self {
            Failure::Network => true,
            Failure::Status { status, .. } => {
                *status == 429
                    || *status >= 500
                    || (*status == 409 && self.code() == Some("idempotency_in_flight"))
            }
            Failure::Decode => false,
        }
    }
}

thread_local! {
    static API_BASE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The folder the page's own files are served from (Trunk's public URL, `/link/`): the
/// folder of its loader script, which Trunk names in a `modulepreload` link.
fn own_base() -> String {
    let href = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("link[rel=modulepreload]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlLinkElement>().ok())
        .map(|l| l.href())
        .unwrap_or_default();
    match href.rfind('/') {
        Some(end) if !href.is_empty() => href[..=end].to_owned(),
        _ => "/link/".to_owned(),
    }
}

/// The API's base: `api_base` of the `config.json` beside the page's files, else `/api/v1`.
async fn api_base() -> String {
    if let Some(base) = API_BASE.with_borrow(Clone::clone) {
        return base;
    }
    let url = format!("{}config.json", own_base());
    let base = match send("GET", &url, None, None).await {
        Ok((200, json, _)) => wire::maybe_text(&json, "api_base")
            .map(|b| b.trim_end_matches('/').to_owned())
            .filter(|b| !b.is_empty()),
        _ => None,
    }
    .unwrap_or_else(|| DEFAULT_API_BASE.to_owned());
    API_BASE.with_borrow_mut(|b| *b = Some(base.clone()));
    base
}

/// Sends one request; the status, the body read as JSON (`undefined` when it is not) and
/// `Retry-After` in seconds.
async fn send(
    method: &str,
    url: &str,
    body: Option<&str>,
    key: Option<&str>,
) -> Result<(u16, JsValue, Option<u32>), Failure> {
    let window = web_sys::window().ok_or(Failure::Network)?;
    let init = RequestInit::new();
    init.set_method(method);
    // A GET carries no header of its own: the browser then takes the answer the server asked
    // it to preload with the page (`Link: …; rel=preload; as=fetch`) instead of asking again.
    let headers = web_sys::Headers::new().map_err(|_| Failure::Network)?;
    if let Some(body) = body {
        let _ = headers.set("Accept", "application/json, application/problem+json");
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(key) = key {
        let _ = headers.set(IDEMPOTENCY_KEY_HEADER, key);
    }
    init.set_headers(&headers);
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| Failure::Network)?
        .unchecked_into();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok());
    let json = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::UNDEFINED),
        Err(_) => JsValue::UNDEFINED,
    };
    Ok((status, json, retry_after))
}

/// `method {api}/rating-links/{token}{rest}` with `body` as JSON and `key` as its
/// `Idempotency-Key`; a 2xx answer's JSON.
pub async fn call(
    method: &str,
    token: &str,
    rest: &str,
    body: Option<&JsValue>,
    key: Option<&str>,
) -> Result<JsValue, Failure> {
    let token = String::from(js_sys::encode_uri_component(token));
    let url = format!("{}/rating-links/{token}{rest}", api_base().await);
    let body = body.and_then(wire::stringify);
    let (status, json, retry_after) = send(method, &url, body.as_deref(), key).await?;
    if (200..300).contains(&status) {
        Ok(json)
    } else {
        Err(Failure::Status {
            status,
            problem: wire::problem(&json),
            retry_after,
        })
    }
}

/// A new idempotency key: `crypto.randomUUID()` where the page may use it, else 32 hex
/// digits from `Math.random` and the clock.
pub fn new_key() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(crypto) = crypto {
        let has_uuid = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID"))
            .is_ok_and(|f| f.is_function());
        if has_uuid {
            return crypto.random_uuid();
        }
    }
    let mut key = String::new();
    for _ in 0..4 {
        let n = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        key.push_str(&hex(u64::from(n)));
    }
    key.push_str(&hex(js_sys::Date::now() as u64));
    key
}

fn hex(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b"0123456789abcdef"[(n % 16) as usize]);
        n /= 16;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}
