//! `/auth/...`: signing in and out, who is signed in, changing one's own password.

use gloo_net::http::Method;
use pingjia_domain::auth::{ChangePasswordRequest, LoginRequest, Me};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;

/// `POST /auth/login`: signs in; the server sets the session cookie. A wrong login or password
/// is `ApiError::Unauthorized`, too many failures `ApiError::RateLimited`.
pub async fn login(request: &LoginRequest) -> Result<Me, ApiError> {
    client::request(
        Method::POST,
        "/auth/login",
        Body::json(request)?,
        Unauthorized::IsTheAnswer,
    )
    .await
}

/// `POST /auth/logout`: ends the session on the server and clears the cookie.
pub async fn logout() -> Result<(), ApiError> {
    client::request(
        Method::POST,
        "/auth/logout",
        Body::Empty,
        Unauthorized::IsTheAnswer,
    )
    .await
}

/// `GET /auth/me`: who is signed in; `ApiError::Unauthorized` when nobody is.
pub async fn me() -> Result<Me, ApiError> {
    client::request(
        Method::GET,
        "/auth/me",
        Body::Empty,
        Unauthorized::IsTheAnswer,
    )
    .await
}

/// `POST /auth/password`: changes the signed-in user's own password. Field errors (422) on
/// `current_password` (`wrong`) and `new_password` (`too_short`, `too_long`, `contains_login`,
/// `too_common`, `unchanged`).
pub async fn change_password(request: &ChangePasswordRequest) -> Result<(), ApiError> {
    client::post("/auth/password", request).await
}
