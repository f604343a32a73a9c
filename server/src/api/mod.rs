//! The JSON API under `/api/v1`: one module per resource, each exporting its router, merged
//! here into the routes and the OpenAPI document.

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::any;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{api_method_not_allowed, api_not_found};
use crate::state::AppState;

pub mod catalog;
pub mod health;
pub mod openapi;
pub mod stats;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pingjia API",
        version = env!("CARGO_PKG_VERSION"),
        description = "Pingjia (评价), customer service quality evaluation: the JSON API of the \
                       reference backend. Times are RFC 3339 in UTC; errors are RFC 9457 problem \
                       details (`application/problem+json`)."
    ),
    tags(
        (name = "system", description = "Health and the API description"),
        (name = "catalog", description = "Service types and evaluation dimensions"),
        (name = "stats", description = "Figures for the charts"),
    )
)]
struct ApiDoc;

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(
        PREFIX,
        OpenApiRouter::new()
            .merge(health::router())
            .merge(catalog::router())
            .merge(stats::router())
            .merge(openapi::router()),
    )
}

/// The OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

/// The OpenAPI document as served and committed (`docs/openapi.json`): pretty-printed, with a
/// trailing newline.
pub fn openapi_json() -> &'static str {
    static JSON: LazyLock<String> = LazyLock::new(|| {
        let mut json = openapi()
            .to_pretty_json()
            .expect("the OpenAPI document serialises");
        json.push('\n');
        json
    });
    &JSON
}

/// The API's routes. Unknown `/api/...` paths answer a 404 problem (never the app's page), a
/// known path with another method a 405 problem; no API response is cached.
pub fn router() -> Router<AppState> {
    let (routes, _) = api().split_for_parts();
    routes
        .route("/api", any(api_not_found))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}
