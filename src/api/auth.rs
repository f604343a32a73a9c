//! `/auth/...`: signing in and out, who is signed in, changing one's own password.

use gloo_net::http::Method;
use pingjia_domain::auth::{ChangePasswordRequest, LoginRequest, Me};
use pingjia_domain::sign_in_codes::{CodeRequest, CodeRequested, CodeSignIn, SignInMethods};

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

/// `GET /auth/methods`: how people may sign in (a one-time code by SMS or e-mail when the
/// channel is set up).
pub async fn methods() -> Result<SignInMethods, ApiError> {
    client::request(
        Method::GET,
        "/auth/methods",
        Body::Empty,
        Unauthorized::IsTheAnswer,
    )
    .await
}

/// `POST /auth/codes`: sends a one-time sign-in code to the address if it is a customer's (the
/// answer is the same either way). 422: a field error on `address` (`invalid_address`) or the
/// code `code_channel_unavailable`; 429 `code_rate_limited`.
pub async fn request_code(request: &CodeRequest) -> Result<CodeRequested, ApiError> {
    client::request(
        Method::POST,
        "/auth/codes",
        Body::json(request)?,
        Unauthorized::IsTheAnswer,
    )
    .await
}

/// `POST /auth/codes/verify`: signs in with a one-time code; the server sets the session
/// cookie. A refused code is a 401 with its problem code (`code_wrong` with the tries left in
/// `reference`, `code_too_many_tries`, `code_expired`, `code_used`), read with
/// `ApiError::code`.
pub async fn verify_code(request: &CodeSignIn) -> Result<Me, ApiError> {
    client::request(
        Method::POST,
        "/auth/codes/verify",
        Body::json(request)?,
        Unauthorized::IsTheAnswer,
    )
    .await
}
