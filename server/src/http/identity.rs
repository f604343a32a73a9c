//! The caller's identity as handlers see it: the signed-in user, put in the request's
//! extensions by the access middleware ([`crate::http::authz`]). Its own file so that sessions
//! (which build it) and the access rules (which hand it on) both import it, one way.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use pingjia_domain::wire::Role;

use crate::error::AppError;

/// The signed-in user of a request, resolved from the session cookie by
/// [`authorize`](crate::http::authz::authorize). Handlers on routes that are not
/// [`Access::Public`](crate::http::authz::Access::Public) take it as an argument; the session
/// is never read twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: i64,
    pub role: Role,
    pub team_id: Option<i64>,
    /// The session of this request.
    pub session_id: i64,
    /// When that session ends at the latest.
    pub session_expires_at: DateTime<Utc>,
}

impl CurrentUser {
    /// The team whose records the caller sees: every team's (`None`) for an admin, their own
    /// team's otherwise (none at all, `Some(-1)`, for a lead without a team).
    pub fn team_scope(&self) -> Option<i64> {
        (self.role != Role::Admin).then(|| self.team_id.unwrap_or(-1))
    }

    /// Whether this is the user `user_id` (their own record).
    pub fn is(&self, user_id: i64) -> bool {
        self.id == user_id
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| AppError::Unauthorized(SIGN_IN.to_owned()))
    }
}

pub(crate) const SIGN_IN: &str = "Sign in to continue";
