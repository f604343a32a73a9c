//! Cross-site request forgery: state-changing API requests (POST, PUT, PATCH, DELETE) that a
//! browser marks as coming from another site are refused with a 403 problem.
//!
//! * `Sec-Fetch-Site` (sent by every current browser) must be `same-origin` or `none` (typed
//!   by the user).
//! * Without it, an `Origin` must name this server: the request's own host, or the public URL.
//! * With neither header the client is not a browser (scripts, the helpdesk's ingestion), and
//!   the request passes: a cross-site form or `fetch` always carries one of them.
//! * Routes authenticated by an API key ([`Access::ApiKey`]) are not checked at all: a
//!   browser holds no key to send, so a cross-site page cannot act with one.
//!
//! The session cookie is SameSite=Strict as well; this guard also covers older browsers and
//! same-site but cross-origin pages.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::http::authz::{Access, Guarded, Lookup};

/// The middleware; `state.public_origin` is the public URL's origin, if one is configured.
pub async fn guard(
    State(Guarded { state, access }): State<Guarded>,
    request: Request,
    next: Next,
) -> Response {
    let state_changing = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let by_api_key = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|path| {
            access.lookup(request.method(), path.as_str()) == Lookup::Rule(Access::ApiKey)
        });
    if state_changing
        && !by_api_key
        && !allowed(
            request.headers(),
            request.uri(),
            state.public_origin.as_deref(),
        )
    {
        return AppError::Forbidden(
            "Cross-site requests that change data are refused; use the Pingjia app".to_owned(),
        )
        .into_response();
    }
    next.run(request).await
}

/// Whether a state-changing request with these headers may proceed.
pub fn allowed(headers: &HeaderMap, uri: &Uri, public_origin: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if public_origin.is_some_and(|public| origin.eq_ignore_ascii_case(public)) {
        return true;
    }
    let Some((_, origin_host)) = origin.split_once("://") else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()));
    host.is_some_and(|host| origin_host.eq_ignore_ascii_case(host))
}

/// The origin (`scheme://host[:port]`, lower case, default ports dropped) of a public URL such
/// as `https://pingjia.example.com/`; `None` when it is not an http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn check(pairs: &[(&'static str, &'static str)]) -> bool {
        allowed(
            &headers(pairs),
            &Uri::from_static("/api/v1/auth/logout"),
            Some("https://pingjia.example.com"),
        )
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(check(&[("sec-fetch-site", "same-origin")]));
        assert!(check(&[("sec-fetch-site", "none")]));
        assert!(!check(&[("sec-fetch-site", "same-site")]));
        assert!(!check(&[("sec-fetch-site", "cross-site")]));
        assert!(!check(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://localhost:8080"),
            ("host", "localhost:8080"),
        ]));
    }

    #[test]
    fn otherwise_the_origin_must_be_this_server() {
        assert!(check(&[
            ("origin", "http://localhost:8080"),
            ("host", "localhost:8080")
        ]));
        assert!(check(&[
            ("origin", "https://pingjia.example.com"),
            ("host", "10.0.0.5:8080")
        ]));
        assert!(!check(&[
            ("origin", "https://evil.example"),
            ("host", "localhost:8080")
        ]));
        assert!(!check(&[
            ("origin", "http://localhost:8081"),
            ("host", "localhost:8080")
        ]));
        assert!(!check(&[("origin", "null"), ("host", "localhost:8080")]));
        assert!(!check(&[("origin", "http://localhost:8080")]));
        assert!(check(&[]), "no browser headers: not a browser");
    }

    #[test]
    fn public_origins() {
        assert_eq!(
            origin_of("HTTPS://Pingjia.Example.com:443/app/").as_deref(),
            Some("https://pingjia.example.com")
        );
        assert_eq!(
            origin_of("http://10.0.0.5:8080").as_deref(),
            Some("http://10.0.0.5:8080")
        );
        assert_eq!(origin_of("pingjia.example.com"), None);
        assert_eq!(origin_of("ftp://x"), None);
        assert_eq!(origin_of("https:///"), None);
    }
}
