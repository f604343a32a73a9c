//! Cross-site request forgery: state-changing API requests (POST, PUT, PATCH, DELETE) that a
//! browser marks as coming from another site are refused with a 403 problem.
//!
//! * `Sec-Fetch-Site` (sent by every current browser), when present, must be `same-origin` or
//!   `none` (typed by the user).
//! * `Origin`, when present, must name this server by scheme, host and port: the origin the
//!   request was addressed to, or the public URL's. Either header saying "another origin" is
//!   enough to refuse.
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

/// Whether a state-changing request with these headers may proceed: neither header may say
/// the request comes from another origin. `Sec-Fetch-Site`, when sent, must be `same-origin` or
/// `none`; `Origin`, when sent, must be this server's origin, compared by scheme, host and port:
/// the public URL's, or the one the request was addressed to (`http://` and its `Host`, as this
/// server speaks plain HTTP; behind a TLS proxy the public URL names the `https` origin).
pub fn allowed(headers: &HeaderMap, uri: &Uri, public_origin: Option<&str>) -> bool {
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.as_bytes(), b"same-origin" | b"none")
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(origin) = origin.to_str().ok().and_then(origin_of) else {
        // `null` (a sandboxed or privacy-sensitive context) or not a URL at all.
        return false;
    };
    if public_origin.and_then(origin_of).as_deref() == Some(origin.as_str()) {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()));
    host.and_then(|host| origin_of(&format!("http://{host}")))
        .is_some_and(|own| own == origin)
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
    fn either_header_saying_cross_origin_is_enough_to_refuse() {
        assert!(!check(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://evil.example"),
            ("host", "localhost:8080"),
        ]));
        assert!(!check(&[
            ("sec-fetch-site", "none"),
            ("origin", "http://localhost:8081"),
            ("host", "localhost:8080"),
        ]));
        assert!(check(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://localhost:8080"),
            ("host", "localhost:8080"),
        ]));
    }

    #[test]
    fn the_scheme_and_port_count() {
        // This server speaks plain HTTP: an `https` page on the same host and port is another
        // origin.
        assert!(!check(&[
            ("origin", "https://localhost:8080"),
            ("host", "localhost:8080")
        ]));
        assert!(
            !check(&[
                ("origin", "http://pingjia.example.com"),
                ("host", "10.0.0.5:8080")
            ]),
            "the public URL is https"
        );
        assert!(!check(&[
            ("origin", "https://pingjia.example.com:8443"),
            ("host", "10.0.0.5:8080")
        ]));
        assert!(
            check(&[
                ("origin", "HTTPS://Pingjia.Example.com:443"),
                ("host", "10.0.0.5:8080")
            ]),
            "default ports and case do not matter"
        );
        assert!(check(&[
            ("origin", "http://localhost"),
            ("host", "localhost:80")
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
