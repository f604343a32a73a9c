//! One-time sign-in codes (issue 19): a customer asks for a code sent to their phone or
//! e-mail address ([`request`]) and signs in with it ([`verify`]).
//!
//! **The code** is 6 digits from the operating system's random source, uniform. Only the
//! SHA-256 of a random salt and the code is stored (`db::sign_in_codes`), with the address,
//! the channel, the expiry (5 minutes) and the wrong tries (5, then the code is dead); a new
//! request replaces the earlier code, one a minute and ten a day per address. The code is in the message
//! and nowhere else the API or the logs show: [`SignInCode`] does not print it, the delivery
//! log names such a message "sign-in code (hidden)" (`services::delivery::enqueue` puts a
//! fixed summary for `Purpose::OneTimeCode`), and the audit log has the masked address.
//!
//! **No account enumeration.** Every address gets the same 202 answer and the same row: for
//! an address that is no active customer's, a code is stored that nobody receives and that
//! never works (`user_id` NULL), so typing codes for it answers exactly as for a customer's
//! (wrong, then too many tries, then expired), and the one-a-minute rule applies alike. A
//! request within the minute is answered the same 202 and sends nothing. Only what does not
//! depend on the account differs: a kind of address whose channel is not set up (422
//! `code_channel_unavailable`) and too many requests or wrong codes from one network address
//! (429 `code_rate_limited`, [`CODE_LIMITS`], counted by `http::limiter`).
//!
//! **The message** goes through the one durable queue (`services::delivery::enqueue`) in the
//! transaction that stores the code, then the worker is woken: SMS for a phone number, e-mail
//! for an e-mail address, in Chinese and English.

use std::net::IpAddr;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::delivery::{DeliveryChannel, Purpose};
use pingjia_domain::sign_in_codes::{
    CODE_CHANNEL_UNAVAILABLE, CODE_EXPIRED, CODE_RATE_LIMITED, CODE_TOO_MANY_TRIES, CODE_USED,
    CODE_WRONG, CodeAddress, CodeCheck, CodeRequested, SignInMethods, check_code, code_expires,
    email, next_code, sms_text,
};
use rand::TryRngCore;
use rand::rngs::OsRng;
use serde_json::json;

use crate::db::sign_in_codes::{self as codes, NewCode};
use crate::db::{begin_write, channels, reports};
use crate::error::{AppError, Coded};
use crate::http::limiter::Limits;
use crate::http::limiter::Refused;
use crate::http::session::token_hash;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::delivery::{self, Content, Outgoing};

/// Per network address, within 15 minutes: at most 10 wrong codes, and 20 requests and
/// verifications together (a customer needs 2 to 4).
pub const CODE_LIMITS: Limits = Limits {
    window: Duration::minutes(15),
    max_failures: 10,
    max_lookups: 20,
};

/// A code in the clear: what goes into the message, once. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SignInCode(String);

impl SignInCode {
    /// 6 digits from the operating system's random source, each of the million equally
    /// likely (rejection sampling).
    pub fn generate() -> Result<SignInCode, AppError> {
        // The largest multiple of a million that fits in a u32.
        const BOUND: u32 = u32::MAX / 1_000_000 * 1_000_000;
        loop {
            let n = OsRng
                .try_next_u32()
                .map_err(|e| AppError::Internal(format!("the OS random source failed: {e}")))?;
            if n < BOUND {
                return Ok(SignInCode(format!("{:06}", n % 1_000_000)));
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SignInCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignInCode(…)")
    }
}

/// What is stored of `code` with `salt`.
fn code_hash(salt: &str, code: &str) -> String {
    token_hash(&format!("{salt}:{code}"))
}

/// A fresh salt: 16 random bytes in hex.
fn new_salt() -> String {
    rand::random::<[u8; 16]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How people may sign in now: with a code by SMS when the SMS gateway is set up, by e-mail
/// when the mail server is.
pub async fn methods(state: &AppState) -> Result<SignInMethods, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(SignInMethods {
        password: true,
        code_sms: channels::sms_gateway(&mut conn).await?.is_some(),
        code_email: reports::smtp_row(&mut conn).await?.is_some(),
    })
}

/// 429 `code_rate_limited` when `ip` asked or guessed too often.
async fn check_limit(state: &AppState, ip: IpAddr, now: DateTime<Utc>) -> Result<(), AppError> {
    match state.code_limiter.allow(&state.pool, ip, now).await {
        Ok(()) => Ok(()),
        Err(Refused::Wait(retry_after)) => Err(Coded::new(
            StatusCode::TOO_MANY_REQUESTS,
            CODE_RATE_LIMITED,
            "Too many sign-in codes were asked for or typed from this address; try again later",
        )
        .retry_after(retry_after)
        .into()),
        Err(Refused::Failed(e)) => Err(e),
    }
}

/// Sends a code to `address` from `ip`, when it is an active customer's and no code was made
/// for it within the minute; the answer is the same whatever happened (see the module).
pub async fn request(
    state: &AppState,
    ip: IpAddr,
    address: &CodeAddress,
) -> Result<CodeRequested, AppError> {
    let now = state.clock.now();
    let channel = address.channel();
    let methods = methods(state).await?;
    let available = match channel {
        DeliveryChannel::Sms => methods.code_sms,
        _ => methods.code_email,
    };
    if !available {
        let (what, field_msg) = match channel {
            DeliveryChannel::Sms => ("mobile numbers", "SMS"),
            _ => ("e-mail addresses", "e-mail"),
        };
        return Err(Coded::unprocessable(
            CODE_CHANNEL_UNAVAILABLE,
            format!("Sign-in by code is not available for {what}: {field_msg} is not set up"),
        )
        .into());
    }
    check_limit(state, ip, now).await?;
    state.code_limiter.count(&state.pool, ip, now, false).await;
    let answer = CodeRequested::for_channel(channel);

    let mut tx = begin_write(&state.pool).await?;
    let Some(day) = next_code(codes::made(&mut tx, address).await?, now) else {
        tx.rollback().await?;
        return Ok(answer);
    };
    let user_id = codes::customer_of(&mut tx, address).await?;
    let code = SignInCode::generate()?;
    let salt = new_salt();
    let id = codes::replace(
        &mut tx,
        &NewCode {
            address,
            user_id,
            code_hash: &code_hash(&salt, code.as_str()),
            salt: &salt,
            now,
            expires_at: code_expires(now),
            day,
        },
    )
    .await?;
    if user_id.is_some() {
        let content = match channel {
            DeliveryChannel::Sms => Content::Sms {
                text: sms_text(code.as_str()),
            },
            _ => {
                let (subject, text, html) = email(code.as_str());
                Content::Email {
                    subject,
                    text,
                    html,
                }
            }
        };
        delivery::enqueue(
            &mut tx,
            now,
            &Outgoing {
                purpose: Purpose::OneTimeCode,
                subject: Some(("sign_in_code", id)),
                recipient: address.as_str(),
                content,
                dedupe_key: &format!("sign_in_code:{id}"),
                not_before: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    if user_id.is_some() {
        state.outbox.wake();
    }
    Ok(answer)
}

/// Checks `code` typed for `address` from `ip`: the customer it signs in (the code is then
/// used up), or 401 with the problem code (`code_wrong` with the tries left in `reference`,
/// `code_too_many_tries`, `code_expired`, `code_used`); each failure is counted against `ip`
/// and audited.
pub async fn verify(
    state: &AppState,
    ip: IpAddr,
    address: &CodeAddress,
    code: &str,
) -> Result<i64, AppError> {
    let now = state.clock.now();
    check_limit(state, ip, now).await?;
    let mut tx = begin_write(&state.pool).await?;
    let stored = codes::find(&mut tx, address).await?;
    // A code kept for an address that is no customer's never works.
    let matches = stored
        .as_ref()
        .is_some_and(|s| s.user_id.is_some() && code_hash(&s.salt, code) == s.code_hash);
    let check = check_code(stored.as_ref().map(|s| s.state), now, matches);
    let (problem, tries_left) = match (check, &stored) {
        (CodeCheck::Accepted, Some(s)) => {
            let user_id = s.user_id.expect("only a customer's code matches");
            if !codes::is_active_customer(&mut tx, user_id).await? {
                // Disabled since: the code dies with the account's access.
                codes::use_up(&mut tx, s.id, now).await?;
                (CODE_EXPIRED, None)
            } else if codes::use_up(&mut tx, s.id, now).await? {
                tx.commit().await?;
                state.code_limiter.count(&state.pool, ip, now, false).await;
                return Ok(user_id);
            } else {
                (CODE_USED, None)
            }
        }
        (CodeCheck::Wrong { tries_left }, Some(s)) => {
            codes::count_try(&mut tx, s.id).await?;
            (CODE_WRONG, Some(tries_left))
        }
        (CodeCheck::Exhausted, Some(s)) => {
            codes::count_try(&mut tx, s.id).await?;
            (CODE_TOO_MANY_TRIES, None)
        }
        (CodeCheck::Dead(problem), _) => (problem, None),
        (_, None) => (CODE_EXPIRED, None),
    };
    let mut entry = Entry::new(now, Action::LoginFailed)
        .by(Actor { user_id: None, ip })
        .details(json!({
            "method": "code",
            "address": address.masked(),
            "reason": problem,
        }));
    if let Some(user_id) = stored.as_ref().and_then(|s| s.user_id) {
        entry = entry.on("user", user_id);
    }
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    state.code_limiter.count(&state.pool, ip, now, true).await;
    let detail = match problem {
        CODE_WRONG => "The code is wrong; check it and type it again",
        CODE_TOO_MANY_TRIES => "The code was typed wrong too often; ask for a new one",
        CODE_USED => "The code was used already; ask for a new one",
        _ => "The code has expired or was replaced by a newer one; ask for a new one",
    };
    let mut coded = Coded::new(StatusCode::UNAUTHORIZED, problem, detail);
    if let Some(tries_left) = tries_left {
        coded = coded.reference(tries_left.to_string());
    }
    Err(coded.into())
}
