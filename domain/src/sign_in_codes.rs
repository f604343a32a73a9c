//! One-time sign-in codes (issue 19): a customer signs in with a 6-digit code sent to their
//! phone (SMS) or e-mail address instead of a password.
//!
//! The pure parts live here: what an address is ([`CodeAddress`]), the limits, the life of a
//! code ([`check_code`]), the message that carries it, and the wire types of
//! `POST /auth/codes`, `POST /auth/codes/verify` and `GET /auth/methods`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::{is_mobile_number, normalize_login};
use crate::delivery::DeliveryChannel;
use crate::problem::FieldError;
use crate::users::check_email;

/// Digits of a code.
pub const CODE_DIGITS: usize = 6;
/// How long a code works after it was sent.
pub const CODE_VALID_SECONDS: u32 = 5 * 60;
/// Wrong codes typed before a code stops working (the next one is refused even if right).
pub const MAX_TRIES: u32 = 5;
/// One code a minute per address: a request within this time of the last one sends nothing.
pub const RESEND_AFTER_SECONDS: u32 = 60;

/// Codes sent to one address within [`DAY`] at most: with 5 tries each, at most 50 guesses a
/// day at one address, however many network addresses guess (a request beyond sends nothing).
pub const MAX_CODES_PER_DAY: u32 = 10;
/// The window [`MAX_CODES_PER_DAY`] counts in, from the first code of the window.
pub const DAY: Duration = Duration::hours(24);

/// Problem code (401): the code is not the one sent; it may be typed again.
pub const CODE_WRONG: &str = "code_wrong";
/// Problem code (401): no code works for this address now: it is over 5 minutes old, a newer
/// one replaced it, or none was requested.
pub const CODE_EXPIRED: &str = "code_expired";
/// Problem code (401): the code signed in once already.
pub const CODE_USED: &str = "code_used";
/// Problem code (401): [`MAX_TRIES`] wrong codes were typed; the code no longer works.
pub const CODE_TOO_MANY_TRIES: &str = "code_too_many_tries";
/// Problem code (422): sign-in by code is not available for this kind of address (the channel
/// that would carry it, SMS or e-mail, is not set up).
pub const CODE_CHANNEL_UNAVAILABLE: &str = "code_channel_unavailable";
/// Problem code (429): too many code requests or wrong codes from this network address.
pub const CODE_RATE_LIMITED: &str = "code_rate_limited";

/// Where a code goes: a mainland mobile number or an e-mail address, normalised as stored on
/// customers (`138-0000-0001` → `13800000001`, `Li@Example.COM` → `li@example.com`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CodeAddress {
    Phone(String),
    Email(String),
}

impl CodeAddress {
    /// The address typed in `field`: an e-mail address when it holds `@`, else a mobile
    /// number; otherwise the field's error (`invalid_address`).
    pub fn parse(field: &str, text: &str) -> Result<CodeAddress, FieldError> {
        if text.contains('@') {
            return check_email(field, text).map(CodeAddress::Email);
        }
        let phone = normalize_login(text);
        let phone = phone.strip_prefix("+86").unwrap_or(&phone).to_owned();
        if is_mobile_number(&phone) {
            Ok(CodeAddress::Phone(phone))
        } else {
            Err(FieldError::new(
                field,
                "invalid_address",
                "enter a mobile number such as 13800000001 or an e-mail address",
            ))
        }
    }

    /// The address as stored and compared.
    pub fn as_str(&self) -> &str {
        match self {
            CodeAddress::Phone(s) | CodeAddress::Email(s) => s,
        }
    }

    /// The channel that carries a code to it.
    pub fn channel(&self) -> DeliveryChannel {
        match self {
            CodeAddress::Phone(_) => DeliveryChannel::Sms,
            CodeAddress::Email(_) => DeliveryChannel::Email,
        }
    }

    /// As the audit log shows it: `138****0001`, `l***@example.com`.
    pub fn masked(&self) -> String {
        match self {
            CodeAddress::Phone(s) => crate::auth::mask_phone(s),
            CodeAddress::Email(s) => crate::auth::mask_email(s),
        }
    }
}

/// A code as typed, with spaces and hyphens dropped (`123 456` → `123456`), when it has the
/// shape of one ([`CODE_DIGITS`] ASCII digits); else the field's error (`invalid_code`).
pub fn parse_code(field: &str, text: &str) -> Result<String, FieldError> {
    let code: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(FieldError::new(
            field,
            "invalid_code",
            format!("enter the {CODE_DIGITS} digits of the code"),
        ))
    }
}

/// The state of the code stored for an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeState {
    pub expires_at: DateTime<Utc>,
    /// Wrong codes typed so far.
    pub tries: u32,
    pub used: bool,
}

/// What becomes of a code typed for an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right: the customer is signed in and the code is used up.
    Accepted,
    /// Wrong; `tries_left` more may be typed.
    Wrong { tries_left: u32 },
    /// Wrong, and that was the last try: the code no longer works.
    Exhausted,
    /// No code works: none, expired (or replaced), used, or tried too often. The problem code
    /// to answer.
    Dead(&'static str),
}

/// What becomes of a typed code at `now` against the `stored` one (`None`: no code for the
/// address), `matches` telling whether it is the one sent. The order: a used code says so, a
/// code tried too often says so, an expired one says so, and only then does the code count.
pub fn check_code(stored: Option<CodeState>, now: DateTime<Utc>, matches: bool) -> CodeCheck {
    let Some(stored) = stored else {
        return CodeCheck::Dead(CODE_EXPIRED);
    };
    if stored.used {
        return CodeCheck::Dead(CODE_USED);
    }
    if stored.tries >= MAX_TRIES {
        return CodeCheck::Dead(CODE_TOO_MANY_TRIES);
    }
    if now >= stored.expires_at {
        return CodeCheck::Dead(CODE_EXPIRED);
    }
    if matches {
        return CodeCheck::Accepted;
    }
    match MAX_TRIES - stored.tries - 1 {
        0 => CodeCheck::Exhausted,
        tries_left => CodeCheck::Wrong { tries_left },
    }
}

/// When a code made at `now` stops working.
pub fn code_expires(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::seconds(i64::from(CODE_VALID_SECONDS))
}

/// Whether a new code may be sent at `now` to an address whose last one was made at `last`.
pub fn may_send_again(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last.is_none_or(|last| now - last >= Duration::seconds(i64::from(RESEND_AFTER_SECONDS)))
}

/// The codes made for an address so far: the last one's time, and the day window's start and
/// count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodesMade {
    pub last: DateTime<Utc>,
    pub day_started: DateTime<Utc>,
    pub day_codes: u32,
}

/// Whether a new code is made at `now` after `previous`: the window's start and count with it,
/// or `None` (within the minute of the last one, or [`MAX_CODES_PER_DAY`] reached).
pub fn next_code(previous: Option<CodesMade>, now: DateTime<Utc>) -> Option<(DateTime<Utc>, u32)> {
    let Some(previous) = previous else {
        return Some((now, 1));
    };
    if !may_send_again(Some(previous.last), now) {
        return None;
    }
    if now - previous.day_started >= DAY {
        return Some((now, 1));
    }
    (previous.day_codes < MAX_CODES_PER_DAY)
        .then_some((previous.day_started, previous.day_codes + 1))
}

/// The SMS carrying `code`: Chinese then English, one UCS-2 segment (70 characters).
pub fn sms_text(code: &str) -> String {
    format!("登录验证码 {code}，5分钟内有效，请勿告诉他人。Sign-in code {code}, valid 5 min.")
}

/// What the delivery log shows instead of a code's message (never the code).
pub const LOG_SUMMARY: &str = "登录验证码（已隐去）/ Sign-in code (hidden)";

/// The e-mail carrying `code`: subject (without the code, as notifications show subjects),
/// text and HTML, in Chinese and English.
pub fn email(code: &str) -> (String, String, String) {
    let minutes = CODE_VALID_SECONDS / 60;
    let subject = "评价系统登录验证码 / Your Pingjia sign-in code".to_owned();
    let text = format!(
        "您的登录验证码是：{code}\n{minutes} 分钟内有效，只能使用一次。请勿把它告诉任何人；\
         如果不是您本人操作，请忽略本邮件。\n\n\
         Your sign-in code is: {code}\nIt works once, within {minutes} minutes. Do not share it \
         with anyone; if you did not ask for it, ignore this mail.\n"
    );
    let html = format!(
        "<p>您的登录验证码是：</p><p style=\"font-size:24px;font-weight:bold;letter-spacing:4px\">{code}</p>\
         <p>{minutes} 分钟内有效，只能使用一次。请勿把它告诉任何人；如果不是您本人操作，请忽略本邮件。</p>\
         <hr><p>Your sign-in code is <b>{code}</b>. It works once, within {minutes} minutes. \
         Do not share it with anyone; if you did not ask for it, ignore this mail.</p>"
    );
    (subject, text, html)
}

/// `POST /auth/codes`: send a sign-in code to this address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    /// A mobile number (`13800000001`, spaces, hyphens and `+86` allowed) or an e-mail
    /// address.
    pub address: String,
}

/// The answer to `POST /auth/codes`: the same whether or not the address is a customer's, and
/// whether or not a code was sent this time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequested {
    /// How the code travels (`sms` or `email`), from the kind of address.
    pub channel: DeliveryChannel,
    /// How long a code works once it arrives.
    pub valid_seconds: u32,
    /// Wait this long before asking again: a request within it sends nothing.
    pub resend_after_seconds: u32,
}

impl CodeRequested {
    pub fn for_channel(channel: DeliveryChannel) -> CodeRequested {
        CodeRequested {
            channel,
            valid_seconds: CODE_VALID_SECONDS,
            resend_after_seconds: RESEND_AFTER_SECONDS,
        }
    }
}

/// `POST /auth/codes/verify`: sign in with the code sent to the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSignIn {
    /// The address the code was sent to, as in `POST /auth/codes`.
    pub address: String,
    /// The 6 digits (spaces and hyphens are ignored).
    pub code: String,
}

/// `GET /auth/methods`: how people may sign in, for the login page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInMethods {
    /// With a password (always).
    pub password: bool,
    /// Customers with a code by SMS (the SMS gateway is set up).
    pub code_sms: bool,
    /// Customers with a code by e-mail (the mail server is set up).
    pub code_email: bool,
}

impl SignInMethods {
    /// Whether customers may sign in with a code at all.
    pub fn code(&self) -> bool {
        self.code_sms || self.code_email
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invitations::sms_segments;

    fn at(seconds: i64) -> DateTime<Utc> {
        "2026-11-26T02:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::seconds(seconds)
    }

    #[test]
    fn addresses_are_phones_or_emails_normalised() {
        assert_eq!(
            CodeAddress::parse("address", " 138-0000 0001 ").unwrap(),
            CodeAddress::Phone("13800000001".into())
        );
        assert_eq!(
            CodeAddress::parse("address", "+86 13800000001").unwrap(),
            CodeAddress::Phone("13800000001".into())
        );
        assert_eq!(
            CodeAddress::parse("address", " Li.Ming@Example.COM ").unwrap(),
            CodeAddress::Email("li.ming@example.com".into())
        );
        for bad in ["E1001", "12800000001", "", "li@", "1380000000"] {
            let e = CodeAddress::parse("address", bad).unwrap_err();
            assert_eq!(e.field, "address", "{bad}");
        }
        assert_eq!(
            CodeAddress::parse("address", "13800000001")
                .unwrap()
                .channel(),
            DeliveryChannel::Sms
        );
        assert_eq!(
            CodeAddress::parse("address", "13800000001")
                .unwrap()
                .masked(),
            "138****0001"
        );
    }

    #[test]
    fn codes_are_six_digits_as_typed() {
        assert_eq!(parse_code("code", " 123 456 ").unwrap(), "123456");
        assert_eq!(parse_code("code", "123-456").unwrap(), "123456");
        for bad in ["12345", "1234567", "12345a", "１２３４５６", ""] {
            assert_eq!(parse_code("code", bad).unwrap_err().code, "invalid_code");
        }
    }

    #[test]
    fn a_code_works_once_within_five_minutes_and_five_tries() {
        let fresh = CodeState {
            expires_at: code_expires(at(0)),
            tries: 0,
            used: false,
        };
        assert_eq!(check_code(Some(fresh), at(299), true), CodeCheck::Accepted);
        assert_eq!(
            check_code(Some(fresh), at(300), true),
            CodeCheck::Dead(CODE_EXPIRED)
        );
        assert_eq!(
            check_code(Some(fresh), at(1), false),
            CodeCheck::Wrong { tries_left: 4 }
        );
        let fourth = CodeState { tries: 4, ..fresh };
        assert_eq!(check_code(Some(fourth), at(1), false), CodeCheck::Exhausted);
        let fifth = CodeState { tries: 5, ..fresh };
        assert_eq!(
            check_code(Some(fifth), at(1), true),
            CodeCheck::Dead(CODE_TOO_MANY_TRIES)
        );
        let used = CodeState {
            used: true,
            ..fresh
        };
        assert_eq!(
            check_code(Some(used), at(1), true),
            CodeCheck::Dead(CODE_USED)
        );
        assert_eq!(check_code(None, at(1), true), CodeCheck::Dead(CODE_EXPIRED));
    }

    #[test]
    fn one_code_a_minute() {
        assert!(may_send_again(None, at(0)));
        assert!(!may_send_again(Some(at(0)), at(59)));
        assert!(may_send_again(Some(at(0)), at(60)));
    }

    #[test]
    fn ten_codes_a_day_per_address() {
        assert_eq!(next_code(None, at(0)), Some((at(0), 1)));
        let made = |last: i64, codes: u32| CodesMade {
            last: at(last),
            day_started: at(0),
            day_codes: codes,
        };
        assert_eq!(next_code(Some(made(0, 1)), at(30)), None, "the minute");
        assert_eq!(next_code(Some(made(0, 1)), at(60)), Some((at(0), 2)));
        assert_eq!(next_code(Some(made(600, 10)), at(3600)), None, "ten today");
        assert_eq!(
            next_code(Some(made(600, 10)), at(24 * 3600)),
            Some((at(24 * 3600), 1)),
            "a new day"
        );
    }

    #[test]
    fn the_sms_is_one_segment_and_the_mail_subject_holds_no_code() {
        let text = sms_text("123456");
        assert_eq!(sms_segments(&text), 1, "{text}");
        assert_eq!(text.matches("123456").count(), 2);
        let (subject, text, html) = email("654321");
        assert!(!subject.contains("654321"));
        assert!(text.contains("654321") && html.contains("654321"));
        assert!(!LOG_SUMMARY.chars().any(|c| c.is_ascii_digit()));
    }
}
