//! The committed OpenAPI document (`docs/openapi.json`) is the one the server serves.
//! `UPDATE_OPENAPI=1 cargo test -p pingjia-server --test server openapi` rewrites it.

use std::path::PathBuf;

use axum::http::StatusCode;

use crate::common::{TestApp, body_text, header};

#[tokio::test]
async fn the_committed_openapi_document_is_the_served_one() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let served = body_text(response).await;
    assert_eq!(served, pingjia_server::api::openapi_json());

    let document: serde_json::Value = serde_json::from_str(&served).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["info"]["title"], "Pingjia API");
    assert_eq!(document["info"]["version"], env!("CARGO_PKG_VERSION"));
    for path in [
        "/api/v1/health",
        "/api/v1/catalog",
        "/api/v1/stats/service-volume",
        "/api/v1/openapi.json",
    ] {
        assert!(document["paths"][path]["get"].is_object(), "{path}");
    }

    let committed_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    if std::env::var("UPDATE_OPENAPI").as_deref() == Ok("1") {
        std::fs::write(&committed_path, &served).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == served,
        "docs/openapi.json differs from the served document; regenerate it with \
         `UPDATE_OPENAPI=1 cargo test -p pingjia-server --test server openapi` \
         (or `cargo run -p pingjia-server -- openapi > docs/openapi.json`)"
    );
}
