//! Rating invitations (issue 19): one per service record, sent to its customer with a link
//! `/r/{token}` that opens the record's rating form without signing in.
//!
//! The rules here are pure: how long a link works ([`link_open`]), what a link's path looks
//! like ([`link_path`], [`is_link_token`]) and the problem codes of a link that does not work.
//! The token itself is made and hashed by the server; only its hash is stored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::appeals::appeal_window_open;

/// Where the rating link's page lives in the app: `/r/{token}`.
pub const LINK_PAGE_PREFIX: &str = "/r/";

/// How many random bytes a link's token carries (256 bits).
pub const TOKEN_BYTES: usize = 32;

/// The length of a token: [`TOKEN_BYTES`] in base64url without padding.
pub const TOKEN_CHARS: usize = 43;

/// Problem code (404) of a link nobody issued, or one replaced by a newer link.
pub const LINK_UNKNOWN: &str = "link_unknown";
/// Problem code (410) of a link whose time is over.
pub const LINK_EXPIRED: &str = "link_expired";
/// Problem code (410) of a link an admin revoked.
pub const LINK_REVOKED: &str = "link_revoked";
/// Problem code (429) of an address that looked up too many links.
pub const LINK_RATE_LIMITED: &str = "link_rate_limited";

/// The app's path of the link carrying `token`.
pub fn link_path(token: &str) -> String {
    format!("{LINK_PAGE_PREFIX}{token}")
}

/// Whether `text` has the shape of a token (43 base64url characters): anything else is
/// unknown without a look-up.
pub fn is_link_token(text: &str) -> bool {
    text.len() == TOKEN_CHARS
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a link whose rating window closes at `expires_at` still works at `now`: until the
/// window closes (its last instant included), and once the record is rated (its evaluation
/// submitted at `submitted_at`) also as long as the evaluation may be appealed, so that the
/// link shows the evaluation and its appeal action for the whole appeal window.
pub fn link_open(
    expires_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    appeal_window_hours: u32,
    now: DateTime<Utc>,
) -> bool {
    now <= expires_at
        || submitted_at.is_some_and(|s| appeal_window_open(s, appeal_window_hours, now))
}

closed_list! {
    /// How an invitation reached its customer.
    pub enum InvitationChannel {
        Sms = "sms" ("短信", "SMS"),
        Email = "email" ("电子邮件", "E-mail"),
        /// The helpdesk's own system, through the webhook.
        Webhook = "webhook" ("Webhook", "Webhook"),
    }
}

/// An invitation as admins see it: its states, never its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub service_record_id: i64,
    pub customer_id: i64,
    /// How it was sent; none until it is.
    pub channel: Option<InvitationChannel>,
    /// When it was created (queued).
    pub created_at: DateTime<Utc>,
    /// When its current link was issued.
    pub link_issued_at: DateTime<Utc>,
    /// How many links were issued for it (a resend issues a new one).
    pub links_issued: u32,
    pub sent_at: Option<DateTime<Utc>>,
    /// When its link was first opened.
    pub opened_at: Option<DateTime<Utc>>,
    /// When its record was rated (through the link or signed in).
    pub rated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub opted_out_at: Option<DateTime<Utc>>,
    /// The last instant its link works for rating: the record's rating window close.
    pub expires_at: DateTime<Utc>,
}

/// `POST /service-records/{id}/invitation`: the invitation and its new link, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedInvitation {
    /// The path of the link, `/r/{token}`, to put after the server's public address. The
    /// server keeps only its hash: it cannot be read again.
    pub link: String,
    pub invitation: Invitation,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn a_link_works_until_the_rating_window_closes_then_while_its_evaluation_may_be_appealed() {
        let closes = Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap();
        let second = Duration::seconds(1);
        assert!(link_open(closes, None, 24, closes));
        assert!(!link_open(closes, None, 24, closes + second));
        let rated = closes - Duration::hours(1);
        assert!(link_open(
            closes,
            Some(rated),
            24,
            rated + Duration::hours(24)
        ));
        assert!(!link_open(
            closes,
            Some(rated),
            24,
            rated + Duration::hours(24) + second
        ));
        // Rated early: the rating window is the longer one.
        let early = closes - Duration::days(6);
        assert!(link_open(closes, Some(early), 24, closes));
    }

    #[test]
    fn tokens_are_43_base64url_characters() {
        assert!(is_link_token(
            &"aZ09-_".repeat(7).chars().chain(['x']).collect::<String>()
        ));
        assert!(!is_link_token(&"a".repeat(42)));
        assert!(!is_link_token(&"a".repeat(44)));
        assert!(!is_link_token(&format!("{}=", "a".repeat(42))));
        assert!(!is_link_token(&format!("{}/", "a".repeat(42))));
        assert_eq!(link_path("abc"), "/r/abc");
    }
}
