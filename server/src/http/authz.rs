//! Who may call what.
//!
//! Each API module declares the access of its routes beside its `router()` (`pub const RULES`);
//! `api::ACCESS` gathers them into the one [`AccessTable`] of the API: every routed method and
//! path, as routed, with its [`Access`]. [`authorize`] enforces it on every API route before the
//! handler runs,
//! using the path template axum matched (`MatchedPath`): without a valid session a protected
//! route answers 401, with a role the rule does not list 403, a method the table does not
//! have for the path 405, and a path missing from the table is refused whoever calls it (deny
//! by default; a test walks the OpenAPI document and fails on any route without a rule). The signed-in user reaches handlers as the
//! [`CurrentUser`] extractor. What depends on rows (a user's own records, their team's) is
//! checked in handlers with the helpers at the end of this module.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pingjia_domain::wire::Role;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

use crate::error::AppError;
use crate::http::apikey::{self, ApiClient};
pub use crate::http::identity::CurrentUser;
use crate::http::identity::SIGN_IN;
use crate::http::session;
use crate::http::state::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    Authenticated,
    /// Signed-in users with one of these roles.
    Roles(&'static [Role]),
    /// Machines holding a valid API key (`Authorization: Bearer <key>`), not sessions: the
    /// helpdesk's ingestion. No session, whatever its role, passes; without a valid key the
    /// answer is 401. Exempt from the cross-site check (no browser sends the header).
    ApiKey,
}

impl Access {
    /// Whether a signed-in user of `role` passes.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::Authenticated => true,
            Access::Roles(roles) => roles.contains(&role),
            Access::ApiKey => false,
        }
    }
}

/// One route and who may call it.
#[derive(Debug)]
pub struct Rule {
    pub method: Method,
    /// The path template as routed, e.g. `/api/v1/users/{id}`.
    pub path: &'static str,
    pub access: Access,
}

const fn rule(method: Method, path: &'static str, access: Access) -> Rule {
    Rule {
        method,
        path,
        access,
    }
}

/// The rule of `GET path`.
pub const fn get(path: &'static str, access: Access) -> Rule {
    rule(Method::GET, path, access)
}

/// The rule of `POST path`.
pub const fn post(path: &'static str, access: Access) -> Rule {
    rule(Method::POST, path, access)
}

/// The rule of `PUT path`.
pub const fn put(path: &'static str, access: Access) -> Rule {
    rule(Method::PUT, path, access)
}

/// The rule of `PATCH path`.
pub const fn patch(path: &'static str, access: Access) -> Rule {
    rule(Method::PATCH, path, access)
}

/// The rule of `DELETE path`.
pub const fn delete(path: &'static str, access: Access) -> Rule {
    rule(Method::DELETE, path, access)
}

pub const ADMIN: Access = Access::Roles(&[Role::Admin]);
pub const CUSTOMER: Access = Access::Roles(&[Role::Customer]);
/// A customer's own rows, and admins.
pub const CUSTOMER_OR_ADMIN: Access = Access::Roles(&[Role::Customer, Role::Admin]);
/// Team leads only.
pub const TEAM_LEAD: Access = Access::Roles(&[Role::TeamLead]);
pub const QA: Access = Access::Roles(&[Role::QaInspector, Role::Admin]);
/// Who may own a rectification: the agent who served, or their team lead.
pub const OWNER: Access = Access::Roles(&[Role::Agent, Role::TeamLead]);
pub const AGENT: Access = Access::Roles(&[Role::Agent]);
/// Improvement plans: the agent's own, the lead's team's, all for admins (rows checked).
pub const PLAN_READERS: Access = Access::Roles(&[Role::Agent, Role::TeamLead, Role::Admin]);
/// Reviews of plans and callbacks: the team's lead or an admin (rows checked).
pub const LEADS: Access = Access::Roles(&[Role::TeamLead, Role::Admin]);
/// Who reads and subscribes to reports: admins, and team leads for their own team.
pub const REPORT_READERS: Access = LEADS;
/// Every staff role: the notification centre (each their own).
pub const STAFF: Access =
    Access::Roles(&[Role::Agent, Role::TeamLead, Role::QaInspector, Role::Admin]);

/// What the table says about a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The rule of this method and path (`HEAD` is `GET`'s).
    Rule(Access),
    /// The path has rules, not for this method: answered 405, whether or not a handler is
    /// routed for it (a routed method without a rule never runs).
    OtherMethod,
    /// No rule for the path at all: refused.
    Unknown,
}

/// The access table of the API: the rules of every API module (`api::ACCESS`).
pub struct AccessTable(pub &'static [&'static [Rule]]);

impl AccessTable {
    /// Every rule of the table.
    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> {
        self.0.iter().flat_map(|rules| rules.iter())
    }

    /// Looks up a routed method and path template.
    pub fn lookup(&self, method: &Method, path: &str) -> Lookup {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        let mut path_known = false;
        for rule in self.rules().filter(|r| r.path == path) {
            if rule.method == method {
                return Lookup::Rule(rule.access);
            }
            path_known = true;
        }
        if path_known {
            Lookup::OtherMethod
        } else {
            Lookup::Unknown
        }
    }
}

/// The state of the API's guards ([`authorize`], [`crate::http::csrf::guard`]): the app's state
/// and the access table they enforce.
#[derive(Clone)]
pub struct Guarded {
    pub state: AppState,
    pub access: &'static AccessTable,
}

const SEND_KEY: &str = "Send the API key as `Authorization: Bearer <key>`";
const BAD_KEY: &str = "This API key is unknown or has been revoked";
const SESSION_ENDED: &str = "Your session has ended; sign in again";

/// The middleware enforcing the [`AccessTable`] on the API's routes (a `route_layer`, so the matched
/// path is known). Resolves the session of protected routes and hands it on as
/// [`CurrentUser`]; on [`Access::ApiKey`] routes the key, handed on as [`ApiClient`].
pub async fn authorize(
    State(Guarded { state, access }): State<Guarded>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let table = access;
    let access = match table.lookup(request.method(), &path) {
        Lookup::Rule(access) => access,
        Lookup::OtherMethod => return method_not_allowed(table, &path),
        Lookup::Unknown => {
            tracing::error!(%path, method = %request.method(), "an API route has no access rule");
            return AppError::Forbidden("This API route has no access rule".to_owned())
                .into_response();
        }
    };
    if access == Access::Public {
        return next.run(request).await;
    }
    if access == Access::ApiKey {
        let Some(key) = apikey::bearer(request.headers()) else {
            return AppError::Unauthorized(SEND_KEY.to_owned()).into_response();
        };
        let client = match apikey::resolve(&state.pool, key, state.clock.now()).await {
            Ok(Some(client)) => client,
            Ok(None) => return AppError::Unauthorized(BAD_KEY.to_owned()).into_response(),
            Err(e) => return AppError::from(e).into_response(),
        };
        request.extensions_mut().insert::<ApiClient>(client);
        return next.run(request).await;
    }
    let Some(token) = session::token_from(request.headers()) else {
        return AppError::Unauthorized(SIGN_IN.to_owned()).into_response();
    };
    let user = match session::resolve(&state.pool, &token, state.clock.now()).await {
        Ok(Some(user)) => user,
        Ok(None) => return AppError::Unauthorized(SESSION_ENDED.to_owned()).into_response(),
        Err(e) => return AppError::from(e).into_response(),
    };
    if !access.allows(user.role) {
        return AppError::Forbidden(format!(
            "This is not available to the {} role",
            user.role.as_str()
        ))
        .into_response();
    }
    request.extensions_mut().insert(user);
    next.run(request).await
}

/// A 405 problem listing the methods the table has for `path` (and `HEAD` with `GET`).
fn method_not_allowed(table: &AccessTable, path: &str) -> Response {
    let mut methods = Vec::new();
    for rule in table.rules().filter(|r| r.path == path) {
        methods.push(rule.method.as_str());
        if rule.method == Method::GET {
            methods.push(Method::HEAD.as_str());
        }
    }
    let mut response = AppError::MethodNotAllowed.into_response();
    if let Ok(allow) = HeaderValue::from_str(&methods.join(",")) {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// The name of the session cookie's security scheme in the OpenAPI document.
pub const SECURITY_SCHEME: &str = "session";
/// The name of the API key's security scheme in the OpenAPI document.
pub const API_KEY_SCHEME: &str = "api_key";

/// Writes the access table into the OpenAPI document: the `session` cookie scheme, and on each
/// operation its security requirement, who may call it, and its 401 and 403 answers.
pub fn describe(table: &AccessTable, openapi: &mut OpenApi) {
    let components = openapi.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SECURITY_SCHEME,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            session::COOKIE,
            "The session cookie set by `POST /auth/login` (HttpOnly, SameSite=Strict).",
        ))),
    );
    components.add_security_scheme(
        API_KEY_SCHEME,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "An API key created by an admin (`POST /api-keys`), sent as \
                     `Authorization: Bearer <key>`.",
                ))
                .build(),
        ),
    );
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations = [
            (Method::GET, &mut item.get),
            (Method::POST, &mut item.post),
            (Method::PUT, &mut item.put),
            (Method::PATCH, &mut item.patch),
            (Method::DELETE, &mut item.delete),
        ];
        for (method, operation) in operations {
            let (Some(operation), Lookup::Rule(access)) = (operation, table.lookup(&method, path))
            else {
                continue;
            };
            describe_operation(operation, &method, access);
        }
    }
}

fn describe_operation(operation: &mut Operation, method: &Method, access: Access) {
    let who = match access {
        Access::Public => "Public.".to_owned(),
        Access::Authenticated => "Any signed-in user.".to_owned(),
        Access::Roles(roles) => {
            let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            format!("Signed-in users with the role {}.", roles.join(", "))
        }
        Access::ApiKey => "Clients with a valid API key (`Authorization: Bearer <key>`); \
                           sessions are not accepted. Not subject to the cross-site check."
            .to_owned(),
    };
    let description = operation.description.get_or_insert_with(String::new);
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&format!("**Access:** {who}"));
    if access == Access::ApiKey {
        operation.security = Some(vec![SecurityRequirement::new(
            API_KEY_SCHEME,
            Vec::<String>::new(),
        )]);
        add_problem(operation, "401", "No API key, or an unknown or revoked one");
        return;
    }
    if access != Access::Public {
        operation.security = Some(vec![SecurityRequirement::new(
            SECURITY_SCHEME,
            Vec::<String>::new(),
        )]);
        add_problem(operation, "401", "No valid session: sign in");
    }
    let state_changing = matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let forbidden = match (matches!(access, Access::Roles(_)), state_changing) {
        (true, true) => Some("The caller's role may not do this, or the request is cross-site"),
        (true, false) => Some("The caller's role may not do this"),
        (false, true) => Some("The request is cross-site"),
        (false, false) => None,
    };
    if let Some(forbidden) = forbidden {
        add_problem(operation, "403", forbidden);
    }
}

fn add_problem(operation: &mut Operation, status: &str, description: &str) {
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            pingjia_domain::problem::PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert(response.into());
}

/// Team-scoped rows (a team's agents, evaluations, callbacks): admins reach every team, team
/// leads and agents only their own, everyone else none. `team_id` is the row's team.
pub fn require_team_member(user: &CurrentUser, team_id: Option<i64>) -> Result<(), AppError> {
    let allowed = match user.role {
        Role::Admin => true,
        Role::TeamLead | Role::Agent => team_id.is_some() && user.team_id == team_id,
        Role::Customer | Role::QaInspector => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "This belongs to another team".to_owned(),
        ))
    }
}

/// A user's own rows (a customer's evaluations, an agent's feedback): the owner and admins.
/// Anyone else gets `missing`, the very answer for a row that does not exist, so that nobody
/// can tell another person's row from a number nobody has (and count another day's
/// evaluations, say).
pub fn require_owner(
    user: &CurrentUser,
    owner_id: i64,
    missing: impl FnOnce() -> AppError,
) -> Result<(), AppError> {
    if user.is(owner_id) || user.role == Role::Admin {
        Ok(())
    } else {
        Err(missing())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, id: i64, team_id: Option<i64>) -> CurrentUser {
        CurrentUser {
            id,
            role,
            team_id,
            session_id: 1,
            session_expires_at: "2026-11-22T12:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn team_rows_are_for_their_team_and_admins() {
        let team = Some(1);
        assert!(require_team_member(&user(Role::Admin, 1, None), team).is_ok());
        assert!(require_team_member(&user(Role::TeamLead, 2, Some(1)), team).is_ok());
        assert!(require_team_member(&user(Role::Agent, 3, Some(1)), team).is_ok());
        assert!(require_team_member(&user(Role::Agent, 4, Some(2)), team).is_err());
        assert!(require_team_member(&user(Role::Agent, 5, None), None).is_err());
        assert!(require_team_member(&user(Role::QaInspector, 6, None), team).is_err());
        assert!(require_team_member(&user(Role::Customer, 7, None), team).is_err());
    }

    #[test]
    fn own_rows_are_for_their_owner_and_admins() {
        let missing = || AppError::NotFound("The evaluation".to_owned());
        assert!(require_owner(&user(Role::Customer, 7, None), 7, missing).is_ok());
        assert!(matches!(
            require_owner(&user(Role::Customer, 8, None), 7, missing),
            Err(AppError::NotFound(_))
        ));
        assert!(require_owner(&user(Role::Agent, 3, Some(1)), 7, missing).is_err());
        assert!(require_owner(&user(Role::Admin, 1, None), 7, missing).is_ok());
    }
}
