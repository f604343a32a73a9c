//! Serving the built app: the single-page fallback, nonces, the CSP, cache rules.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::common::{INDEX_HTML, TestApp, body_text, header};

/// The nonce a page was rendered with, checked against its CSP; the placeholder must be gone.
async fn page_nonce(app: &TestApp, uri: &str) -> String {
    let response = app.get(uri).await;
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    assert_eq!(
        header(&response, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(header(&response, "cache-control"), Some("no-cache"));
    assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
    let csp = header(&response, "content-security-policy")
        .unwrap()
        .to_owned();
    let html = body_text(response).await;
    assert!(!html.contains("{{__TRUNK NONCE__}}"));
    let nonce = html
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), 2);
    assert_eq!(html, INDEX_HTML.replace("{{__TRUNK NONCE__}}", &nonce));
    assert!(nonce.len() >= 22, "at least 128 bits: {nonce}");
    assert!(csp.contains(&format!(
        "script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval';"
    )));
    assert!(csp.starts_with("default-src 'self';"));
    assert!(csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"));
    nonce
}

#[tokio::test]
async fn app_routes_get_index_html_with_a_fresh_nonce_each_time() {
    let app = TestApp::new().await;
    let first = page_nonce(&app, "/").await;
    let second = page_nonce(&app, "/").await;
    assert_ne!(first, second);
    let deep = page_nonce(&app, "/admin/evaluations/PJ20261122-000123?tab=appeals").await;
    let direct = page_nonce(&app, "/index.html").await;
    assert!(deep != first && deep != second && direct != deep);
    page_nonce(&app, "/vendor/").await;
}

#[tokio::test]
async fn hashed_assets_are_immutable_everything_else_revalidated() {
    let app = TestApp::new().await;
    for uri in ["/pingjia-1a2b3c4d5e6f7a8b.js", "/main-0123456789abcdef.css"] {
        let response = app.get(uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header(&response, "cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{uri}"
        );
        assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
    }
    for uri in ["/config.json", "/vendor/echarts.min.js"] {
        let response = app.get(uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header(&response, "cache-control"),
            Some("no-cache"),
            "{uri}"
        );
        assert!(header(&response, "last-modified").is_some());
    }
    let config = body_text(app.get("/config.json").await).await;
    assert_eq!(config, r#"{"api_base":"/api/v1"}"#);
}

#[tokio::test]
async fn revalidating_an_unchanged_file_is_a_304_keeping_its_cache_rule() {
    let app = TestApp::new().await;
    for (uri, rule) in [
        ("/config.json", "no-cache"),
        (
            "/main-0123456789abcdef.css",
            "public, max-age=31536000, immutable",
        ),
    ] {
        let response = app.get(uri).await;
        let modified = header(&response, "last-modified").unwrap().to_owned();
        let request = Request::get(uri)
            .header("if-modified-since", modified)
            .body(Body::empty())
            .unwrap();
        let response = app.request(request).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{uri}");
        assert_eq!(header(&response, "cache-control"), Some(rule), "{uri}");
    }
}

#[tokio::test]
async fn assets_are_compressed() {
    let app = TestApp::new().await;
    let request = Request::get("/pingjia-1a2b3c4d5e6f7a8b.js")
        .header("accept-encoding", "gzip, br")
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(matches!(
        header(&response, "content-encoding"),
        Some("br" | "gzip")
    ));
    assert_eq!(
        header(&response, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test]
async fn without_a_built_app_pages_explain_how_to_build_it() {
    let app = TestApp::with(false, false).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        header(&response, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(header(&response, "content-security-policy").is_some());
    let html = body_text(response).await;
    assert!(html.contains("not built") && html.contains("trunk build"));
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// A dist directory with the full app, the light customer app in `c/`, the sign-in build in
/// `s/`, the rating link's page in `link/` and a precompressed asset, as
/// `scripts/build-app.sh` leaves it.
fn split_dist(dir: &std::path::Path) -> std::path::PathBuf {
    let dist = dir.join("dist");
    std::fs::create_dir_all(dist.join("c")).unwrap();
    std::fs::create_dir_all(dist.join("s")).unwrap();
    std::fs::write(dist.join("s/index.html"), "<html>sign-in</html>").unwrap();
    std::fs::create_dir_all(dist.join("link")).unwrap();
    std::fs::write(dist.join("index.html"), "<html>full</html>").unwrap();
    std::fs::write(dist.join("c/index.html"), "<html>light</html>").unwrap();
    std::fs::write(
        dist.join("link/index.html"),
        "<html><script nonce=\"{{__TRUNK NONCE__}}\">link</script></html>",
    )
    .unwrap();
    std::fs::write(
        dist.join("c/pingjia-0123456789abcdef_bg.wasm"),
        b"\0asm plain",
    )
    .unwrap();
    std::fs::write(
        dist.join("c/pingjia-0123456789abcdef_bg.wasm.br"),
        b"brotli bytes",
    )
    .unwrap();
    std::fs::write(
        dist.join("c/pingjia-0123456789abcdef_bg.wasm.gz"),
        b"gzip bytes",
    )
    .unwrap();
    dist
}

#[tokio::test]
async fn without_the_sign_in_build_the_light_app_is_the_way_in() {
    let dir = tempfile::tempdir().unwrap();
    let dist = split_dist(dir.path());
    std::fs::remove_dir_all(dist.join("s")).unwrap();
    let mut app = TestApp::new().await;
    app.state.web = std::sync::Arc::new(pingjia_server::http::web::Web::load(dist, false));
    for uri in ["/", "/login"] {
        let response = app.get(uri).await;
        assert_eq!(body_text(response).await, "<html>light</html>", "{uri}");
    }
}

#[tokio::test]
async fn the_way_in_the_customer_pages_and_the_staff_pages_each_get_their_build() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = TestApp::new().await;
    app.state.web = std::sync::Arc::new(pingjia_server::http::web::Web::load(
        split_dist(dir.path()),
        false,
    ));
    for uri in ["/", "/login", "/login/", "/login?next=%2Fcustomer"] {
        let response = app.get(uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert!(header(&response, "content-security-policy").is_some());
        assert_eq!(body_text(response).await, "<html>sign-in</html>", "{uri}");
    }
    for uri in [
        "/customer",
        "/customer/rate/12",
        "/customer/evaluations/PJ20261122-000001",
        "/r/AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB/opt-out",
    ] {
        let response = app.get(uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert!(header(&response, "content-security-policy").is_some());
        assert_eq!(body_text(response).await, "<html>light</html>", "{uri}");
    }
    for uri in [
        "/admin",
        "/agent",
        "/account/password",
        "/index.html",
        "/customers",
    ] {
        let response = app.get(uri).await;
        assert_eq!(body_text(response).await, "<html>full</html>", "{uri}");
    }
}

#[tokio::test]
async fn the_rating_link_page_gets_its_own_build_with_a_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = TestApp::new().await;
    app.state.web = std::sync::Arc::new(pingjia_server::http::web::Web::load(
        split_dist(dir.path()),
        false,
    ));
    for uri in [
        "/r/AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB",
        "/r/AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB/",
    ] {
        let response = app.get(uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let policy = header(&response, "content-security-policy")
            .unwrap()
            .to_owned();
        let html = body_text(response).await;
        assert!(html.contains(">link</script>"), "{uri}: {html}");
        assert!(!html.contains("TRUNK NONCE"), "{uri}");
        let nonce = html
            .split("nonce=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(policy.contains(&format!("'nonce-{nonce}'")), "{uri}");
    }
}

#[tokio::test]
async fn the_rating_link_page_asks_the_browser_to_preload_what_it_reads_first() {
    const TOKEN: &str = "AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB";
    let dir = tempfile::tempdir().unwrap();
    let dist = split_dist(dir.path());
    let load = |config: Option<&str>| {
        match config {
            Some(config) => std::fs::write(dist.join("link/config.json"), config).unwrap(),
            None => {
                let _ = std::fs::remove_file(dist.join("link/config.json"));
            }
        }
        std::sync::Arc::new(pingjia_server::http::web::Web::load(dist.clone(), false))
    };
    let mut app = TestApp::new().await;
    let config = "</link/config.json>; rel=preload; as=fetch; crossorigin";
    let form = format!("</api/v1/rating-links/{TOKEN}>; rel=preload; as=fetch; crossorigin");
    for (file, expected) in [
        (
            Some(r#"{ "api_base": "/api/v1" }"#),
            format!("{config}, {form}"),
        ),
        (
            Some(r#"{ "api_base": "/api/v1/" }"#),
            format!("{config}, {form}"),
        ),
        (Some("{}"), format!("{config}, {form}")),
        // Another API: the page reads its form there, so only config.json is worth asking for.
        (
            Some(r#"{ "api_base": "https://api.example.com/v1" }"#),
            config.to_owned(),
        ),
        (None, form.clone()),
    ] {
        app.state.web = load(file);
        for uri in [format!("/r/{TOKEN}"), format!("/r/{TOKEN}/")] {
            let response = app.get(&uri).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            assert_eq!(
                header(&response, "link"),
                Some(expected.as_str()),
                "{file:?} {uri}"
            );
        }
    }
    // No other page preloads anything.
    for uri in [
        format!("/r/{TOKEN}/opt-out"),
        "/login".to_owned(),
        "/admin".to_owned(),
    ] {
        let response = app.get(&uri).await;
        assert_eq!(header(&response, "link"), None, "{uri}");
    }
    // Nor does the "not built" page.
    std::fs::remove_dir_all(dist.join("link")).unwrap();
    app.state.web = load(None);
    let response = app.get(&format!("/r/{TOKEN}")).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(header(&response, "link"), None);
}

#[tokio::test]
async fn a_missing_file_of_a_builds_folder_is_a_404_not_an_app_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = TestApp::new().await;
    app.state.web = std::sync::Arc::new(pingjia_server::http::web::Web::load(
        split_dist(dir.path()),
        false,
    ));
    for path in [
        "/link/config.json",
        "/c/config.json",
        "/s/config.json",
        "/c/gone-0123456789abcdef.js",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!body_text(response).await.contains("<html>"), "{path}");
    }
    // Only inside those folders: pages whose paths merely begin so are the full app's.
    for path in ["/linkx", "/cx/1", "/sx"] {
        let response = app.get(path).await;
        assert_eq!(body_text(response).await, "<html>full</html>", "{path}");
    }
}

#[tokio::test]
async fn without_the_link_page_built_its_links_explain_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let dist = split_dist(dir.path());
    std::fs::remove_dir_all(dist.join("link")).unwrap();
    let mut app = TestApp::new().await;
    app.state.web = std::sync::Arc::new(pingjia_server::http::web::Web::load(dist, false));
    let response = app
        .get("/r/AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB")
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(body_text(response).await.contains("not built"));
    // Its opt-out page is the light app's all the same.
    let response = app
        .get("/r/AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB/opt-out")
        .await;
    assert_eq!(body_text(response).await, "<html>light</html>");
}

#[tokio::test]
async fn precompressed_copies_are_sent_to_browsers_that_accept_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = TestApp::new().await;
    app.state.web = std::sync::Arc::new(pingjia_server::http::web::Web::load(
        split_dist(dir.path()),
        false,
    ));
    let uri = "/c/pingjia-0123456789abcdef_bg.wasm";
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "\0asm plain"),
    ] {
        let request = Request::get(uri)
            .header("accept-encoding", accept)
            .body(Body::empty())
            .unwrap();
        let response = app.request(request).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(header(&response, "content-encoding"), encoding, "{accept}");
        assert_eq!(header(&response, "content-type"), Some("application/wasm"));
        assert_eq!(
            header(&response, "cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(body_text(response).await, body, "{accept}");
    }
}
