//! `/auth/codes...` and `/auth/methods`: customers sign in with a one-time code sent by SMS or
//! e-mail (issue 19; the rules are in `services::sign_in_codes`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pingjia_domain::auth::Me;
use pingjia_domain::sign_in_codes::{
    CodeAddress, CodeRequest, CodeRequested, CodeSignIn, SignInMethods, parse_code,
};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::open_session;
use crate::error::AppError;
use crate::http::authz::{Access, Rule, get, post};
use crate::http::extract::{ClientIp, Json};
use crate::http::state::AppState;
use crate::services::sign_in_codes as codes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in_methods))
        .routes(routes!(request_code))
        .routes(routes!(verify_code))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/auth/methods", Access::Public),
    post("/api/v1/auth/codes", Access::Public),
    post("/api/v1/auth/codes/verify", Access::Public),
];

/// How people may sign in.
///
/// Always with a password; customers also with a one-time code by SMS when the SMS gateway is
/// set up (`code_sms`), by e-mail when the mail server is (`code_email`). The login page opens
/// on the code when either is.
#[utoipa::path(
    get,
    path = "/auth/methods",
    tag = "auth",
    operation_id = "sign_in_methods",
    responses((status = 200, description = "The sign-in methods available", body = SignInMethods))
)]
async fn sign_in_methods(State(state): State<AppState>) -> Result<Json<SignInMethods>, AppError> {
    Ok(Json(codes::methods(&state).await?))
}

/// Send a one-time sign-in code.
///
/// For customers: a 6-digit code goes to the mobile number by SMS, or to the e-mail address by
/// mail, when it is an active customer's. It works for 5 minutes, once, and dies after 5 wrong
/// tries; a new request replaces the earlier code. The answer is the same 202 whether or not
/// the address is a customer's and whether or not a code was sent: a second request for an
/// address within a minute sends nothing (`resend_after_seconds`), nor does an eleventh
/// within 24 hours (at most 50 guesses a day at one address). Refused with 422
/// `code_channel_unavailable` when the channel for that kind of address (SMS, e-mail) is not
/// set up (see `GET /auth/methods`), and with 429 `code_rate_limited` after 20 requests and
/// verifications, or 10 wrong codes, from one network address within 15 minutes.
#[utoipa::path(
    post,
    path = "/auth/codes",
    tag = "auth",
    operation_id = "request_sign_in_code",
    request_body = CodeRequest,
    responses(
        (status = 202, description = "A code is on its way if the address is a customer's", body = CodeRequested),
        (status = 422, description = "`address` is not a mobile number or an e-mail address (field error `invalid_address`), or `code_channel_unavailable`"),
        (status = 429, description = "`code_rate_limited`: too many requests from this address; try again after `Retry-After` seconds",
         headers(("retry-after" = u64, description = "Seconds until a request is heard again"))),
    )
)]
async fn request_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(request): Json<CodeRequest>,
) -> Result<(StatusCode, Json<CodeRequested>), AppError> {
    let address = CodeAddress::parse("address", &request.address)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let answer = codes::request(&state, ip, &address).await?;
    Ok((StatusCode::ACCEPTED, Json(answer)))
}

/// Sign in with a one-time code.
///
/// The code sent to `address` by `POST /auth/codes`. Right: the same session as a password
/// login (the cookie `pingjia_session` is set, the answer is the signed-in user), and the code
/// is used up. Wrong: 401 `code_wrong` with the tries left in `reference`; the fifth wrong try
/// kills the code (401 `code_too_many_tries`, and so is every later try). A code over 5
/// minutes old, replaced by a newer one, or never asked for: 401 `code_expired`; used
/// already: 401 `code_used`. Every failure counts against the network address (429
/// `code_rate_limited`, see `POST /auth/codes`).
#[utoipa::path(
    post,
    path = "/auth/codes/verify",
    tag = "auth",
    operation_id = "verify_sign_in_code",
    request_body = CodeSignIn,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Me,
         headers(("set-cookie" = String, description = "`pingjia_session=...; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`"))),
        (status = 401, description = "`code_wrong` (`reference`: tries left), `code_too_many_tries`, `code_expired` or `code_used`"),
        (status = 422, description = "`address` or `code` is malformed (field errors `invalid_address`, `invalid_code`: 6 digits)"),
        (status = 429, description = "`code_rate_limited`: too many wrong codes from this address; try again after `Retry-After` seconds",
         headers(("retry-after" = u64, description = "Seconds until a request is heard again"))),
    )
)]
async fn verify_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(request): Json<CodeSignIn>,
) -> Result<Response, AppError> {
    let address = CodeAddress::parse("address", &request.address);
    let code = parse_code("code", &request.code);
    let (address, code) = match (address, code) {
        (Ok(address), Ok(code)) => (address, code),
        (address, code) => {
            let errors = [address.err(), code.err()].into_iter().flatten().collect();
            return Err(AppError::Validation(errors));
        }
    };
    let user_id = codes::verify(&state, ip, &address, &code).await?;
    let details = json!({
        "method": "code",
        "channel": address.channel(),
        "address": address.masked(),
    });
    open_session(&state, &headers, ip, user_id, details).await
}
