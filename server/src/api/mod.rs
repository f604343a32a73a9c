//! The JSON API under `/api/v1`: one module per resource, each exporting its router, merged
//! here into the routes and the OpenAPI document.

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::from_fn_with_state;
use axum::routing::any;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{api_method_not_allowed, api_not_found};
use crate::http::authz::{AccessTable, Guarded};
use crate::http::state::AppState;
use crate::http::{PREFIX, authz, csrf};

pub mod analytics;
pub mod api_keys;
pub mod appeals;
pub mod audit_log;
pub mod auth;
pub mod calendar;
pub mod catalog;
pub mod deliveries;
mod download;
pub mod evaluations;
pub mod feedback;
pub mod health;
pub mod invitations;
pub mod moderation;
pub mod notifications;
pub mod openapi;
pub mod qa;
pub mod records;
pub mod reports;
pub mod sending;
pub mod settings;
pub mod sign_in_codes;
pub mod stats;
pub mod teams;
pub mod users;
pub mod webhook_endpoints;

#[derive(OpenApi)]
#[openapi(
    components(schemas(
        pingjia_domain::Problem,
        pingjia_domain::events::EvaluationEvent,
        pingjia_domain::events::CallbackEvent,
        pingjia_domain::events::AppealEvent,
        pingjia_domain::events::PlanEvent,
        pingjia_domain::events::RectificationEvent,
        pingjia_domain::events::CoachingEvent,
        pingjia_domain::events::DisputeEvent,
        pingjia_domain::events::ReportEvent,
        pingjia_domain::events::TestEvent,
    )),
    info(
        title = "Pingjia API",
        version = env!("CARGO_PKG_VERSION"),
        description = "Pingjia (评价), customer service quality evaluation: the JSON API of the \
                       reference backend. Times are RFC 3339 in UTC; errors are RFC 9457 problem \
                       details (`application/problem+json`).\n\n\
                       **Sessions.** `POST /auth/login` sets the cookie `pingjia_session`: an \
                       opaque random token (the server keeps only its SHA-256), HttpOnly, \
                       SameSite=Strict, Path=/, Secure when the server is reached over HTTPS. \
                       A session ends after 2 hours without a request, 12 hours after the login \
                       at the latest, or at logout, a password change or reset, or when the \
                       user is disabled. Each operation states who may call it: public, any \
                       signed-in user, or certain roles (`customer`, `agent`, `team_lead`, \
                       `qa_inspector`, `admin`). Without a valid session a protected operation \
                       answers 401, with another role 403.\n\n\
                       **API keys.** `POST /ingest/service-records` is for the company's \
                       helpdesk, not for people: it takes no session but an API key that an \
                       admin creates (`POST /api-keys`), sent as `Authorization: Bearer <key>`; \
                       without a valid, unrevoked key it answers 401.\n\n\
                       **Cross-site requests.** POST, PUT, PATCH and DELETE requests that a \
                       browser marks as cross-site are refused with 403: a `Sec-Fetch-Site` \
                       header other than `same-origin` or `none`, or, without it, an `Origin` \
                       other than the server's own. Clients that send neither header (scripts, \
                       integrations) are not browsers and are not affected.\n\n\
                       **Busy database.** A request that writes waits for the other writers for \
                       a few seconds; when the database is still busy it answers 503 with the \
                       code `database_busy` and `Retry-After` (seconds): nothing is wrong with \
                       the request, send it again after that delay, with the same \
                       `Idempotency-Key` where the operation takes one."
    ),
    tags(
        (name = "system", description = "Health and the API description"),
        (name = "auth", description = "Signing in and out, the signed-in user, one's password"),
        (name = "catalog", description = "Service types and evaluation dimensions"),
        (name = "evaluations", description = "The rating flow: a customer's service records, \
                                              the rating form, submitting an evaluation \
                                              (with an `Idempotency-Key`), reading it back"),
        (name = "appeals", description = "Customers' appeals of their evaluations (申诉, \
                                          with an `Idempotency-Key`) and their review by \
                                          admins; an approval makes a new version"),
        (name = "moderation", description = "Anomalous evaluations (评价审核, admins): the \
                                             review queue with the rules' reasons, keep / \
                                             delete / restore decisions (bulk, all or \
                                             nothing), the abusive-word lexicon. A flagged \
                                             evaluation is under review and still counted \
                                             until an admin deletes it; a deleted one is \
                                             hidden from every statistic and from the agent, \
                                             never erased, and can be restored. Its customer \
                                             is never told."),
        (name = "audit", description = "The audit log (admins): who did what, when and from \
                                        where"),
        (name = "qa", description = "Internal QA (质检, QA inspectors and admins): checklist \
                                     templates, inspection plans with a seeded stratified \
                                     sample, inspections, rectifications with re-checks, the \
                                     plan's report with composite scores; owners report their \
                                     rectifications"),
        (name = "stats", description = "Figures for the charts"),
        (name = "feedback", description = "Agents' evaluations, live alerts, improvement plans, callbacks and the team lead's home"),
        (name = "analytics", description = "The admins' dashboard: KPIs, charts, word cloud, drill-down and export"),
        (name = "reports", description = "Weekly and monthly reports (admins, and team leads \
                                          for their team): on screen, as CSV, kept once the \
                                          period closed and mailed to subscribers through \
                                          the admin's SMTP server"),
        (name = "deliveries", description = "Everything that leaves the system (admins): the \
                                             delivery log with retries, the SMS gateway and \
                                             the signed webhook channel with their tests"),
        (name = "webhooks", description = "Endpoints that receive events (admins): signed \
                                           webhooks (Standard Webhooks) and WeCom, DingTalk \
                                           and Feishu group robots, each with the events it \
                                           wants, filters by team and service type, its \
                                           delivery log, a test event. The events and their \
                                           payloads are under `webhooks`."),
        (name = "notifications", description = "The notification centre (every staff role, \
                                                each their own): what needs me, unread count, \
                                                mark read, live feed, on/off per kind"),
        (name = "users", description = "Users and teams (admins)"),
        (name = "records", description = "Service records: the admin list, CSV import, the \
                                          helpdesk's ingestion and its API keys"),
        (name = "settings", description = "The organisation's settings and working-day \
                                           calendar (admins)"),
        (name = "invitations", description = "Rating invitations and their links \
                                              (`/r/{token}`): the link's holder reads the \
                                              record's rating form, rates it and appeals \
                                              without signing in; admins issue, resend and \
                                              revoke a record's link. Sending them: the \
                                              settings and message templates, sending by \
                                              hand, and the customer's opt-out"),
    )
)]
struct ApiDoc;

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(
        PREFIX,
        OpenApiRouter::new()
            .merge(health::router())
            .merge(auth::router())
            .merge(catalog::router())
            .merge(evaluations::router())
            .merge(moderation::router())
            .merge(audit_log::router())
            .merge(appeals::router())
            .merge(qa::router())
            .merge(users::router())
            .merge(teams::router())
            .merge(stats::router())
            .merge(analytics::router())
            .merge(feedback::router())
            .merge(feedback::coaching::router())
            .merge(reports::router())
            .merge(deliveries::router())
            .merge(webhook_endpoints::router())
            .merge(notifications::router())
            .merge(records::router())
            .merge(api_keys::router())
            .merge(settings::router())
            .merge(calendar::router())
            .merge(openapi::router())
            .merge(invitations::router())
            .merge(sending::router())
            .merge(sign_in_codes::router()),
    )
}

/// The access table of the API: each module's rules, declared beside its router. A route
/// without a rule is refused to everyone (a test walks the OpenAPI document for such routes).
pub static ACCESS: AccessTable = AccessTable(&[
    health::RULES,
    auth::RULES,
    catalog::RULES,
    evaluations::RULES,
    moderation::RULES,
    audit_log::RULES,
    appeals::RULES,
    qa::RULES,
    users::RULES,
    teams::RULES,
    stats::RULES,
    analytics::RULES,
    feedback::RULES,
    feedback::coaching::RULES,
    reports::RULES,
    deliveries::RULES,
    webhook_endpoints::RULES,
    notifications::RULES,
    records::RULES,
    api_keys::RULES,
    settings::RULES,
    calendar::RULES,
    openapi::RULES,
    invitations::RULES,
    sending::RULES,
    sign_in_codes::RULES,
]);

/// The OpenAPI document of the API, with the access rules of [`ACCESS`] written in.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut openapi = api().split_for_parts().1;
    rejections_are_documented(&mut openapi);
    writes_may_find_the_database_busy(&mut openapi);
    problems_answer_problem_json(&mut openapi);
    authz::describe(&ACCESS, &mut openapi);
    webhook_endpoints::describe_events(&mut openapi);
    openapi
}

/// The operations of one path, for every method the API uses: what the passes over the
/// document below walk.
fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

/// The operations of one path that change data (POST, PUT, PATCH, DELETE).
fn write_operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

/// What the extractors (`server/src/http/extract.rs`, `idempotency.rs`) answer before any
/// handler runs, declared here once for every operation they apply to rather than in each
/// handler's annotation: a 400 for a parameter that does not fit its type, a body that is not
/// JSON or a missing or malformed `Idempotency-Key`; a 415 for a body sent without its media
/// type; a 422 for a JSON body of the wrong shape. An operation's own description of one of
/// these statuses is kept.
fn rejections_are_documented(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::schema::Schema;
    use utoipa::openapi::{RefOr, ResponseBuilder};
    for item in openapi.paths.paths.values_mut() {
        for operation in operations(item) {
            let parameters = operation.parameters.as_deref().unwrap_or_default();
            let with_parameters = parameters
                .iter()
                .any(|p| matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query));
            let with_key = parameters
                .iter()
                .any(|p| p.name == pingjia_domain::evaluations::IDEMPOTENCY_KEY_HEADER);
            let media_types: Vec<String> = operation
                .request_body
                .as_ref()
                .map(|body| body.content.keys().cloned().collect())
                .unwrap_or_default();
            let json_body = media_types.iter().any(|m| m == "application/json");
            let mut malformed = Vec::new();
            if with_parameters {
                malformed.push("a path or query parameter that does not fit its type");
            }
            if json_body {
                malformed.push("a body that is not JSON");
            }
            if with_key {
                malformed.push("a missing or malformed `Idempotency-Key` header");
            }
            for parameter in operation.parameters.iter_mut().flatten() {
                if parameter.name == pingjia_domain::evaluations::IDEMPOTENCY_KEY_HEADER {
                    parameter.schema = Some(idempotency_key_schema());
                }
                if parameter.name == "page"
                    && parameter.parameter_in == ParameterIn::Query
                    && let Some(RefOr::T(Schema::Object(schema))) = &mut parameter.schema
                {
                    schema.minimum = Some(1.into());
                    schema.maximum = Some(crate::http::paging::MAX_PAGE.into());
                }
            }
            let mut add = |status: &str, description: String| {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        RefOr::T(ResponseBuilder::new().description(description).build())
                    });
            };
            if !malformed.is_empty() {
                add(
                    "400",
                    format!("Malformed request: {}", malformed.join(", ")),
                );
            }
            if !media_types.is_empty() {
                add(
                    "415",
                    format!("The body was not sent as `{}`", media_types.join("` or `")),
                );
            }
            if json_body {
                add(
                    "422",
                    "The body does not have the expected shape, or a field is invalid".to_owned(),
                );
            }
        }
    }
}

/// The `Idempotency-Key` header's rule ([`pingjia_domain::evaluations::is_valid_idempotency_key`]).
fn idempotency_key_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use pingjia_domain::evaluations::{
        IDEMPOTENCY_KEY_MAX_LEN, IDEMPOTENCY_KEY_MIN_LEN, IDEMPOTENCY_KEY_PATTERN,
    };
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(IDEMPOTENCY_KEY_MIN_LEN))
        .max_length(Some(IDEMPOTENCY_KEY_MAX_LEN))
        .pattern(Some(IDEMPOTENCY_KEY_PATTERN))
        .into()
}

/// A request that writes waits for the other writers up to the database's busy timeout; still
/// busy then, it answers 503 `database_busy` with `Retry-After` ([`crate::error::AppError::Busy`]). Each
/// POST, PUT, PATCH and DELETE operation documents that answer, unless it does itself.
fn writes_may_find_the_database_busy(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{RefOr, ResponseBuilder};
    let retry_after = HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        )
        .description(Some("Seconds to wait before sending the request again"))
        .build();
    let busy = ResponseBuilder::new()
        .description(
            "The database is busy (`database_busy`): send the same request again (with the same \
             `Idempotency-Key` where the operation takes one) after `Retry-After` seconds",
        )
        .header("retry-after", retry_after)
        .build();
    for item in openapi.paths.paths.values_mut() {
        for operation in write_operations(item) {
            operation
                .responses
                .responses
                .entry("503".to_owned())
                .or_insert_with(|| RefOr::T(busy.clone()));
        }
    }
}

/// Every error answer is a problem (`server/src/error.rs`), so the handlers' annotations give
/// an error status only its description: here each 4xx and 5xx response declared without a
/// body gets the `application/problem+json` body with the `Problem` schema.
fn problems_answer_problem_json(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr};
    let problem = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build();
    for item in openapi.paths.paths.values_mut() {
        for operation in operations(item) {
            for (status, response) in operation.responses.responses.iter_mut() {
                let error = status.starts_with('4') || status.starts_with('5');
                if let (true, RefOr::T(response)) = (error, response)
                    && response.content.is_empty()
                {
                    response.content.insert(
                        pingjia_domain::problem::PROBLEM_JSON.to_owned(),
                        problem.clone(),
                    );
                }
            }
        }
    }
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

/// The API's routes. Every route is guarded by [`authz::authorize`] (before its handler runs)
/// and [`csrf::guard`]. Unknown `/api/...` paths answer a 404 problem (never the app's page),
/// a known path with another method a 405 problem; no API response is cached.
pub fn router(state: &AppState) -> Router<AppState> {
    let (routes, _) = api().split_for_parts();
    let guarded = Guarded {
        state: state.clone(),
        access: &ACCESS,
    };
    routes
        .route_layer(from_fn_with_state(guarded.clone(), authz::authorize))
        .route("/api", any(api_not_found))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(api_method_not_allowed)
        .layer(from_fn_with_state(guarded, csrf::guard))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use axum::http::Method;
    use pingjia_domain::wire::Role;

    use super::*;
    use crate::http::authz::{ADMIN, Access, Lookup};

    #[test]
    fn the_table_has_one_rule_per_route() {
        let mut seen = HashSet::new();
        for rule in ACCESS.rules() {
            assert!(
                seen.insert((rule.method.clone(), rule.path)),
                "{} {} twice",
                rule.method,
                rule.path
            );
            assert!(rule.path.starts_with("/api/v1/"), "{}", rule.path);
            if let Access::Roles(roles) = rule.access {
                assert!(!roles.is_empty(), "{} {}", rule.method, rule.path);
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(
            ACCESS.lookup(&Method::GET, "/api/v1/health"),
            Lookup::Rule(Access::Public)
        );
        assert_eq!(
            ACCESS.lookup(&Method::HEAD, "/api/v1/catalog"),
            Lookup::Rule(Access::Authenticated)
        );
        assert_eq!(
            ACCESS.lookup(&Method::DELETE, "/api/v1/catalog"),
            Lookup::OtherMethod
        );
        assert_eq!(
            ACCESS.lookup(&Method::GET, "/api/v1/secret"),
            Lookup::Unknown
        );
        assert_eq!(ACCESS.lookup(&Method::GET, ""), Lookup::Unknown);
        assert_eq!(
            ACCESS.lookup(&Method::PATCH, "/api/v1/users/{id}"),
            Lookup::Rule(ADMIN)
        );
        assert!(ADMIN.allows(Role::Admin) && !ADMIN.allows(Role::TeamLead));
        assert!(Access::Authenticated.allows(Role::Customer));
    }
}
