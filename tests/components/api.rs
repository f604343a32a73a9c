//! The typed client against a server without the API (the test runner's own server): the base
//! URL falls back to the default and statuses become the matching `ApiError`.
use pingjia::api::{self, ApiError, DEFAULT_API_BASE, error_from_response, public_url_href};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn a_missing_endpoint_is_not_found_under_the_default_base() {
    assert_eq!(api::api_base().await, DEFAULT_API_BASE);
    assert_eq!(api::health().await, Err(ApiError::NotFound));
    assert_eq!(api::service_volume(90).await, Err(ApiError::NotFound));
}

#[wasm_bindgen_test]
fn a_422_problem_becomes_validation_with_field_messages() {
    let body = r#"{"type":"about:blank","title":"Unprocessable Content","status":422,
        "errors":[{"field":"overall","code":"out_of_range","message":"must be 1 to 10"},
                  {"field":"suggestion","code":"too_long","message":"at most 500 characters"}]}"#;
    let error = error_from_response(422, Some("application/problem+json"), None, body);
    assert!(matches!(error, ApiError::Validation(_)));
    assert_eq!(error.field_message("overall"), Some("must be 1 to 10"));
    assert_eq!(
        error.field_message("suggestion"),
        Some("at most 500 characters")
    );
    assert_eq!(error.field_message("scores.attitude"), None);
}

#[wasm_bindgen_test]
fn the_page_tells_the_public_url_by_its_loader() {
    // `config.json` is read beside it (`api::config_url`).
    let document = web_sys::window().unwrap().document().unwrap();
    let page = |html: &str| {
        let root = document.create_element("div").unwrap();
        root.set_inner_html(html);
        public_url_href(&root)
    };
    // As Trunk writes the light app's page (`--public-url /c/`).
    let trunk = r#"<link rel="stylesheet" href="/c/base-0123.css">
        <link rel="modulepreload" href="/c/pingjia-1a2b.js" crossorigin>
        <link rel="preload" href="/c/pingjia-1a2b_bg.wasm" as="fetch" type="application/wasm">"#;
    assert_eq!(page(trunk).as_deref(), Some("/c/pingjia-1a2b.js"));
    assert_eq!(api::config_url(page(trunk).as_deref()), "/c/config.json");
    // Without the loader's link, the wasm's.
    assert_eq!(
        page(r#"<link rel="preload" href="/link/x_bg.wasm" as="fetch">"#).as_deref(),
        Some("/link/x_bg.wasm")
    );
    assert_eq!(page(r#"<link rel="stylesheet" href="/c/a.css">"#), None);
}
