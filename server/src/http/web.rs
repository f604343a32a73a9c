//! Serving the built app: static files from `--dist`, the single-page fallback with a fresh
//! CSP nonce per response, cache rules, and the security headers every response carries.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use pingjia_domain::routes::{
    CUSTOMER_APP_DIR, LINK_APP_DIR, SIGN_IN_APP_DIR, link_page_token, served_by_customer_app,
    served_by_link_page, served_by_sign_in_build,
};

use crate::http::state::AppState;

/// What Trunk (`create_nonce = true`) writes where the nonce of a response belongs.
pub const NONCE_PLACEHOLDER: &str = "{{__TRUNK NONCE__}}";

/// Files whose name carries Trunk's content hash never change under that name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else is revalidated (ServeDir's `Last-Modified` turns that into a 304).
pub const NO_CACHE: &str = "no-cache";

/// The built app: where its files are and its `index.html`, read once at start.
#[derive(Debug)]
pub struct Web {
    dist: PathBuf,
    index: Option<String>,
    /// The light customer app's `index.html` (`dist/c`), when it is built.
    customer_index: Option<String>,
    /// The sign-in build's `index.html` (`dist/s`), when it is built: the way in on a first
    /// visit, a third of the light app's weight.
    sign_in_index: Option<String>,
    /// The rating link page's `index.html` (`dist/link`), when it is built.
    link_index: Option<String>,
    /// What the rating link's page reads first, sent as `Link: …; rel=preload` with the page
    /// so that the phone asks for them while it loads the page's code.
    link_preload: LinkPreload,
    hsts: bool,
}

/// The requests the rating link's page makes before it can show its form: its
/// `config.json` (when the build has one) and the link's form from this server's API (when
/// that `config.json` names no other API).
#[derive(Debug, Default, PartialEq)]
struct LinkPreload {
    config: bool,
    form: bool,
}

impl LinkPreload {
    /// Reads the link page's `config.json` in `link_dir`.
    fn read(link_dir: &Path) -> LinkPreload {
        let Ok(text) = std::fs::read_to_string(link_dir.join("config.json")) else {
            return LinkPreload {
                config: false,
                form: true,
            };
        };
        let api_base = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|config| config.get("api_base")?.as_str().map(str::to_owned));
        let form = match api_base.as_deref().map(|b| b.trim_end_matches('/')) {
            None | Some("") => true,
            Some(base) => base == crate::http::PREFIX,
        };
        LinkPreload { config: true, form }
    }

    /// The `Link` header for the page of the link `token` (as written in its path).
    fn header(&self, token: &str) -> Option<HeaderValue> {
        let mut links = Vec::new();
        if self.config {
            links.push(format!(
                "</{LINK_APP_DIR}/config.json>; rel=preload; as=fetch; crossorigin"
            ));
        }
        if self.form {
            links.push(format!(
                "<{LINK_API_PREFIX}{token}>; rel=preload; as=fetch; crossorigin"
            ));
        }
        HeaderValue::from_str(&links.join(", ")).ok()
    }
}

impl Web {
    /// Reads `index.html` from `dist`. Without one, pages answer a short "not built" page.
    /// `hsts` sends `Strict-Transport-Security`; set it only when served over HTTPS.
    pub fn load(dist: impl Into<PathBuf>, hsts: bool) -> Web {
        let dist = dist.into();
        let index = match std::fs::read_to_string(dist.join("index.html")) {
            Ok(html) => Some(html),
            Err(e) => {
                tracing::warn!(dist = %dist.display(), error = %e, "the app is not built: no index.html");
                None
            }
        };
        let customer_dir = dist.join(CUSTOMER_APP_DIR);
        let customer_index = std::fs::read_to_string(customer_dir.join("index.html")).ok();
        if customer_index.is_none() && index.is_some() {
            tracing::info!(
                dir = %customer_dir.display(),
                "no light customer app: every page gets the full app"
            );
        }
        let sign_in_index =
            std::fs::read_to_string(dist.join(SIGN_IN_APP_DIR).join("index.html")).ok();
        let link_dir = dist.join(LINK_APP_DIR);
        let link_index = std::fs::read_to_string(link_dir.join("index.html")).ok();
        if link_index.is_none() && index.is_some() {
            tracing::warn!(
                dir = %link_dir.display(),
                "the rating link's page is not built: its links answer the \"not built\" page"
            );
        }
        let link_preload = LinkPreload::read(&link_dir);
        Web {
            dist,
            index,
            customer_index,
            sign_in_index,
            link_index,
            link_preload,
            hsts,
        }
    }

    /// The `index.html` for the page at `path`: the rating link page's for `/r/{token}` (none
    /// when it is not built: neither app has that page), the sign-in build's for the way in
    /// and the light customer app's for its own pages when they are built, the full app's
    /// otherwise.
    fn index_for(&self, path: &str) -> Option<&str> {
        if served_by_link_page(path) {
            return self.link_index.as_deref();
        }
        match (&self.sign_in_index, &self.customer_index) {
            (Some(sign_in), _) if served_by_sign_in_build(path) => Some(sign_in),
            (_, Some(light)) if served_by_customer_app(path) => Some(light),
            _ => self.index.as_deref(),
        }
    }

    pub fn dist(&self) -> &Path {
        &self.dist
    }

    /// Whether responses carry HSTS.
    pub fn hsts(&self) -> bool {
        self.hsts
    }
}

/// The routes of the app's pages and files; everything that is not a file is the app.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/index.html", get(full_index))
        .fallback(files_or_index)
}

/// The Content-Security-Policy of a page whose inline scripts carry `nonce`.
///
/// `media-src` lets the QA inspection page play a service's recording with `<audio>` from
/// wherever the helpdesk keeps it: its own host, which Pingjia cannot know in advance (a
/// cloud call centre's `https://` storage, or an `http://` server on the company's network).
/// Only absolute http(s) links are accepted from the helpdesk (`records::conversation`), and
/// media cannot run script; everything else stays `'self'`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; \
         media-src 'self' https: http:; \
         connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// A fresh nonce: 128 random bits from the thread's CSPRNG, base64.
fn nonce() -> String {
    STANDARD.encode(rand::random::<[u8; 16]>())
}

/// Whether a path's file name carries Trunk's content hash: `name-<hash>.ext`, with the
/// wasm-bindgen suffixes `_bg` and `_loader` (`pingjia-1a2b3c4d5e6f7a8b_bg.wasm`,
/// `main-0123456789abcdef.css`). Trunk writes the 64-bit hash as `{:x}`, so leading zeros are
/// dropped: 12 to 16 lowercase hex digits are accepted (shorter runs are too likely to be words).
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.match_indices('-').any(|(at, _)| {
        let rest = &name[at + 1..];
        let digits = rest
            .bytes()
            .take_while(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            .count();
        let tail = &rest[digits..];
        let tail = tail
            .strip_prefix("_bg")
            .or_else(|| tail.strip_prefix("_loader"))
            .unwrap_or(tail);
        at > 0
            && (12..=16).contains(&digits)
            && tail
                .strip_prefix('.')
                .is_some_and(|extension| !extension.is_empty())
    })
}

/// The full app's `index.html`, whatever the light app serves.
async fn full_index(State(state): State<AppState>) -> Response {
    index(&state, "/index.html")
}

/// The app's `index.html` for the page at `path` with a fresh nonce, or the "not built" page.
fn index(state: &AppState, path: &str) -> Response {
    let nonce = nonce();
    let (status, html) = match state.web.index_for(path) {
        Some(html) => (StatusCode::OK, html.replace(NONCE_PLACEHOLDER, &nonce)),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            not_built_page(state.web.dist()),
        ),
    };
    let mut response = (status, Body::from(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
    if status == StatusCode::OK
        && let Some(token) = link_page_token(path)
        && let Some(links) = state.web.link_preload.header(token)
    {
        headers.insert(header::LINK, links);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&content_security_policy(&nonce))
            .expect("base64 is a valid header value"),
    );
    response
}

fn not_built_page(dist: &Path) -> String {
    let dist = dist
        .display()
        .to_string()
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pingjia: app not built</title></head>\
         <body><h1>The Pingjia app is not built</h1>\
         <p>No <code>index.html</code> was found in <code>{dist}</code>. Build it with \
         <code>trunk build --release</code> in the repository root and restart the server \
         (<code>make run</code> does both), or point <code>--dist</code> at a built app.</p>\
         <p>The API answers under <a href=\"/api/v1/health\">/api/v1/</a>.</p></body></html>\n"
    )
}

/// Whether `path` lies in the folder of the light app's, the sign-in build's or the link
/// page's build (`/c/...`, `/s/...`, `/link/...`): they hold files only, never a page, so a missing one is a 404 rather than an
/// app's `index.html` (a build's optional `config.json` then costs a phone a short 404).
fn in_build_folder(path: &str) -> bool {
    let Some(path) = path.strip_prefix('/') else {
        return false;
    };
    [CUSTOMER_APP_DIR, SIGN_IN_APP_DIR, LINK_APP_DIR]
        .iter()
        .any(|dir| {
            path.strip_prefix(dir)
                .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// A file of the built app, or the app itself for every other path (client-side routes).
async fn files_or_index(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let hashed = is_content_hashed(&path);
    // `scripts/build-app.sh` writes a brotli and a gzip copy beside each file.
    let files = ServeDir::new(state.web.dist())
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip();
    let Ok(mut response) = files.oneshot(request).await;
    if response.status() == StatusCode::NOT_FOUND && !in_build_folder(&path) {
        return index(&state, &path);
    }
    // A 304 refreshes the stored headers, so it carries the file's own rule.
    let status = response.status();
    let cache = if hashed && (status.is_success() || status == StatusCode::NOT_MODIFIED) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response.map(Body::new)
}

/// The headers every response carries, the API's included.
pub fn security_headers() -> [(HeaderName, HeaderValue); 4] {
    [
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

/// The API's paths that carry a rating link's token as their next segment.
const LINK_API_PREFIX: &str = "/api/v1/rating-links/";

/// What the request log shows of `uri`: a rating link's token (`/r/{token}`,
/// `/api/v1/rating-links/{token}/…`) replaced by `…`, so that no log line holds a working
/// link; other addresses as they are.
pub fn redacted_uri(uri: &axum::http::Uri) -> std::borrow::Cow<'_, str> {
    let path = uri.path();
    for prefix in [
        pingjia_domain::invitations::LINK_PAGE_PREFIX,
        LINK_API_PREFIX,
    ] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let after_token = rest.find('/').map_or("", |at| &rest[at..]);
            return format!("{prefix}…{after_token}").into();
        }
    }
    match uri.path_and_query() {
        Some(whole) => whole.as_str().into(),
        None => path.into(),
    }
}

/// The span of a request in the log (tower-http's default, at DEBUG, with the address
/// [`redacted_uri`]).
pub fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        uri = %redacted_uri(request.uri()),
        version = ?request.version(),
    )
}

/// `Strict-Transport-Security`, sent only when the public URL is HTTPS.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_link_tokens_are_redacted_from_logged_addresses() {
        let token = "AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB";
        let cases = [
            (format!("/r/{token}"), "/r/…"),
            (format!("/r/{token}?x=1"), "/r/…"),
            (
                format!("/api/v1/rating-links/{token}"),
                "/api/v1/rating-links/…",
            ),
            (
                format!("/api/v1/rating-links/{token}/appeals"),
                "/api/v1/rating-links/…/appeals",
            ),
            (
                "/api/v1/me/service-records?x=1".to_owned(),
                "/api/v1/me/service-records?x=1",
            ),
            ("/rx".to_owned(), "/rx"),
        ];
        for (uri, logged) in cases {
            let uri: axum::http::Uri = uri.parse().unwrap();
            assert_eq!(redacted_uri(&uri), logged);
        }
    }

    #[test]
    fn recognises_trunk_content_hashes() {
        assert!(is_content_hashed("/pingjia-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_content_hashed("/pingjia-1a2b3c4d5e6f7a8b.js"));
        assert!(is_content_hashed("/main-0123456789abcdef.css"));
        assert!(is_content_hashed(
            "/assets/echarts-wordcloud-0123456789abcdef.min.js"
        ));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/config.json"));
        assert!(!is_content_hashed("/vendor/echarts-wordcloud.min.js"));
        assert!(!is_content_hashed("/main-0123456789ABCDEF.css"));
        assert!(is_content_hashed("/pingjia-a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_content_hashed("/pingjia-1a2b3c4d5e6f7a8b_loader.js"));
        assert!(!is_content_hashed("/app-deadbeef.js"));
        assert!(!is_content_hashed("/main-0123456789abcdef0.css"));
        assert!(!is_content_hashed("/main-0123456789abcdef_x.css"));
        assert!(!is_content_hashed("/-0123456789abcdef.css"));
        assert!(!is_content_hashed("/main-0123456789abcdef"));
        assert!(!is_content_hashed("/main-0123456789abcdef."));
        assert!(!is_content_hashed("/evaluations/PJ20261122-000123"));
    }

    #[test]
    fn nonces_are_128_bit_base64_and_fresh() {
        let a = nonce();
        assert_eq!(STANDARD.decode(&a).unwrap().len(), 16);
        assert_ne!(a, nonce());
    }

    #[test]
    fn the_policy_names_the_nonce_and_no_other_origin_but_for_recordings() {
        let csp = content_security_policy("abc+/=");
        assert!(csp.contains("script-src 'self' 'nonce-abc+/=' 'wasm-unsafe-eval';"));
        // A recording plays from the helpdesk's host; nothing else leaves the origin.
        let media = "media-src 'self' https: http:; ";
        assert!(csp.contains(media));
        assert!(!csp.replace(media, "").contains("http"));
        assert!(csp.ends_with("form-action 'self'"));
    }
}
