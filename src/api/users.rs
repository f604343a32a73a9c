//! `/users` and `/teams`: the admin's user and team management.

use gloo_net::http::Method;
use pingjia_domain::users::{
    ImportReport, NewTeam, NewUser, SetPasswordRequest, Team, TeamPatch, User, UserPage, UserPatch,
};
use pingjia_domain::wire::Role;

use serde::{Deserialize, Serialize};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;
use super::query;

/// The filters and page of `GET /users`; `None` filters match every user. Its serde fields are
/// the filters as the list's address and the API carry them; the page goes beside them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserQuery {
    /// Part of a name or of an employee, customer or member number, or a whole phone number.
    #[serde(
        serialize_with = "query::trimmed",
        skip_serializing_if = "query::is_blank"
    )]
    pub q: Option<String>,
    pub role: Option<Role>,
    pub team_id: Option<i64>,
    pub disabled: Option<bool>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
    #[serde(skip)]
    pub per_page: u32,
}

impl UserQuery {
    /// The query string of `GET /users`, without the `?`.
    pub fn to_query_string(&self) -> String {
        let paging = query::Paging {
            page: Some(self.page),
            per_page: Some(self.per_page),
        };
        query::joined(&[query::to_query(self), query::to_query(&paging)])
    }
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
