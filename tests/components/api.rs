//! The typed client against a server without the API (the test runner's own server): the base
//! URL falls back to the default and statuses become the matching `ApiError`.
use pingjia::api::{self, ApiError, DEFAULT_API_BASE, error_from_response};
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
