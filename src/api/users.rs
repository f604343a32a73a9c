//! `/users` and `/teams`: the admin's user and team management.

use gloo_net::http::Method;
use pingjia_domain::users::{
    ImportReport, NewTeam, NewUser, SetPasswordRequest, Team, TeamPatch, User, UserPage, UserPatch,
};
use pingjia_domain::wire::Role;

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;

/// The filters and page of `GET /users`; `None` filters match every user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    /// Part of a name or of an employee, customer or member number, or a whole phone number.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub team_id: Option<i64>,
    pub disabled: Option<bool>,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

impl UserQuery {
    /// The filters that are set, as query pairs (unencoded).
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            pairs.push(("q", q.to_owned()));
        }
        if let Some(role) = self.role {
            pairs.push(("role", role.as_str().to_owned()));
        }
        if let Some(team_id) = self.team_id {
            pairs.push(("team_id", team_id.to_string()));
        }
        if let Some(disabled) = self.disabled {
            pairs.push(("disabled", disabled.to_string()));
        }
        pairs
    }

    /// The query string of `GET /users`, without the `?`.
    pub fn to_query_string(&self) -> String {
        let mut pairs = self.filter_pairs();
        pairs.push(("page", self.page.to_string()));
        pairs.push(("per_page", self.per_page.to_string()));
        query_string(&pairs)
    }
}

/// `key=value&...`, values percent-encoded (`encodeURIComponent`).
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query value (`encodeURIComponent`).
fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// `GET /users`: one page of the users matching the filters.
pub async fn list_users(query: &UserQuery) -> Result<UserPage, ApiError> {
    client::get(&format!("/users?{}", query.to_query_string())).await
}

/// `POST /users`: creates an account; field errors (422) name `NewUser`'s fields.
pub async fn create_user(user: &NewUser) -> Result<User, ApiError> {
    client::post("/users", user).await
}

/// `PATCH /users/{id}`: changes a user's name, role, team or whether they are disabled.
pub async fn update_user(id: i64, patch: &UserPatch) -> Result<User, ApiError> {
    client::patch(&format!("/users/{id}"), patch).await
}

/// `POST /users/{id}/password`: sets a user's password; their sessions end.
pub async fn set_password(id: i64, request: &SetPasswordRequest) -> Result<(), ApiError> {
    client::post(&format!("/users/{id}/password"), request).await
}

/// `POST /users/import`: creates every user of a CSV file, or none (422 with one field error
/// per bad cell, named `row <line>: <column>`).
pub async fn import_users(csv: String) -> Result<ImportReport, ApiError> {
    client::request(
        Method::POST,
        "/users/import",
        Body::Csv(csv),
        Unauthorized::EndsSession,
    )
    .await
}

/// `GET /teams`: every team, by name.
pub async fn list_teams() -> Result<Vec<Team>, ApiError> {
    client::get("/teams").await
}

/// `POST /teams`: creates a team.
pub async fn create_team(team: &NewTeam) -> Result<Team, ApiError> {
    client::post("/teams", team).await
}

/// `PATCH /teams/{id}`: renames a team or sets its lead.
pub async fn update_team(id: i64, patch: &TeamPatch) -> Result<Team, ApiError> {
    client::patch(&format!("/teams/{id}"), patch).await
}
