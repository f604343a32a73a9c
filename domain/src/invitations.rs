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

// ---------------------------------------------------------------------------------------------
// Sending invitations (issue 19): the settings, the templates and their placeholders, where a
// record stands with its invitation, and sending by hand. The wire contract between the server
// (`api::invitations`, `services::invitations`) and the app (`/admin/settings/invitations`,
// `/admin/records`, the link page's opt-out).
//
// Endpoints (all under `/api/v1`):
// - `GET`/`PUT /settings/invitations` (admin): [`InvitationSettings`]; a `PUT` that breaks a
//   rule answers 422 naming the field (`templates[3].body`, `channel_order`, …).
// - `GET /service-records?invitation=<InvitationState>` filters the records list; each
//   `ServiceRecord` carries its `invitation_state`.
// - `POST /invitations/send` (admin): [`SendInvitations`] → [`SendReport`].
// - `POST /rating-links/{token}/opt-out` (public, the token is the grant): the link's customer
//   gets no more invitations → [`OptOut`]; idempotent. The app's page `/r/{token}/opt-out`
//   shows a button that calls it (a GET never changes anything: mail scanners follow links).
// - `GET /deliveries`: an invitation's deliveries carry the invitation's state.
// ---------------------------------------------------------------------------------------------

closed_list! {
    /// The language a message is written in.
    pub enum MessageLanguage {
        Zh = "zh" ("中文", "Chinese"),
        En = "en" ("英文", "English"),
    }
}

closed_list! {
    /// Which message of an invitation a template writes.
    pub enum MessageKind {
        /// The first message, after the record ended and the delay passed.
        Invitation = "invitation" ("邀请", "Invitation"),
        /// The one reminder, when the record is still unrated after the reminder delay.
        Reminder = "reminder" ("提醒", "Reminder"),
    }
}

closed_list! {
    /// Where a service record stands with its invitation: the records list's column and filter.
    pub enum InvitationState {
        /// No invitation yet (the record has not ended long enough, or invitations are off).
        NotInvited = "not_invited" ("未邀请", "Not invited"),
        /// The helpdesk marked the record "do not invite".
        DoNotInvite = "do_not_invite" ("不邀请", "Do not invite"),
        /// Its message waits in the delivery queue (or is being retried).
        Queued = "queued" ("待发送", "Queued"),
        /// Its message was delivered to the channel.
        Sent = "sent" ("已发送", "Sent"),
        /// Every attempt failed; the delivery log says why.
        Failed = "failed" ("发送失败", "Failed"),
        /// The customer opened the link.
        Opened = "opened" ("已打开", "Opened"),
        /// The record was rated (through the link or signed in).
        Rated = "rated" ("已评价", "Rated"),
        /// The customer asked for no more invitations.
        OptedOut = "opted_out" ("已退订", "Opted out"),
        /// An admin revoked its link.
        Revoked = "revoked" ("已撤销", "Revoked"),
    }
}

/// The placeholders a template may use, each written `{{name}}`.
pub const PLACEHOLDERS: [&str; 6] = [
    "customer_name",
    "agent_name",
    "service_type",
    "link",
    "window",
    "opt_out",
];

/// One message template: a channel's text in one language for one kind of message. SMS and
/// e-mail have templates; the webhook posts the invitation as JSON (its `text` is the SMS
/// template's, for helpdesks that forward it as it is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageTemplate {
    /// `sms` or `email`.
    pub channel: InvitationChannel,
    pub language: MessageLanguage,
    pub kind: MessageKind,
    /// The mail's subject (e-mail only; none for SMS).
    pub subject: Option<String>,
    /// The text, with placeholders `{{customer_name}}`, `{{agent_name}}`,
    /// `{{service_type}}`, `{{link}}` (required), `{{window}}` (when the rating window
    /// closes, in words) and `{{opt_out}}` (the opt-out link, required).
    pub body: String,
}

/// `GET`/`PUT /settings/invitations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationSettings {
    /// Whether invitations are sent by themselves when records end. Sending by hand works
    /// either way.
    pub enabled: bool,
    /// Minutes after a record ends before its invitation is sent (30).
    pub delay_minutes: u32,
    /// Hours after the invitation before one reminder is sent to a customer who has not rated
    /// (24); 0 = no reminder.
    pub reminder_hours: u32,
    /// A customer gets at most one invitation in this many days (7); 0 = no limit. Records
    /// not invited stay ratable by signing in.
    pub suppression_days: u32,
    /// The channels to try, in order: the first one the customer can be reached by (a phone
    /// for SMS, an e-mail address for e-mail; the webhook reaches everyone) and that is
    /// configured is used. Each channel at most once.
    pub channel_order: Vec<InvitationChannel>,
    /// The language of the messages.
    pub language: MessageLanguage,
    /// One per channel (sms, email) × language × kind: eight.
    pub templates: Vec<MessageTemplate>,
}

/// The values of a message's placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageValues {
    pub customer_name: String,
    pub agent_name: String,
    pub service_type: String,
    pub link: String,
    pub window: String,
    pub opt_out: String,
}

impl MessageValues {
    /// The sample values the settings page previews a template with.
    pub fn sample(language: MessageLanguage) -> MessageValues {
        let (customer_name, agent_name, service_type, window) = match language {
            MessageLanguage::Zh => ("王女士", "李明", "账户咨询", "12月11日 18:00 前"),
            MessageLanguage::En => ("Ms Wang", "Li Ming", "Account enquiry", "by 11 Dec, 18:00"),
        };
        let link = link_path(&"x".repeat(TOKEN_CHARS));
        MessageValues {
            customer_name: customer_name.to_owned(),
            agent_name: agent_name.to_owned(),
            service_type: service_type.to_owned(),
            opt_out: format!("https://pingjia.example{link}/opt-out"),
            link: format!("https://pingjia.example{link}"),
            window: window.to_owned(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "customer_name" => &self.customer_name,
            "agent_name" => &self.agent_name,
            "service_type" => &self.service_type,
            "link" => &self.link,
            "window" => &self.window,
            "opt_out" => &self.opt_out,
            _ => return None,
        })
    }
}

/// The placeholders `text` uses that are not in [`PLACEHOLDERS`] (each once, in order), and
/// whether an opened `{{` is never closed (reported as the name `{{`).
pub fn unknown_placeholders(text: &str) -> Vec<String> {
    let mut unknown: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            unknown.push("{{".to_owned());
            break;
        };
        let name = after[..end].trim();
        if !PLACEHOLDERS.contains(&name) && !unknown.iter().any(|u| u == name) {
            unknown.push(name.to_owned());
        }
        rest = &after[end + 2..];
    }
    unknown
}

/// `text` with each known placeholder replaced by its value; unknown ones are left as they
/// are (a template with unknown placeholders is refused when saved).
pub fn render(text: &str, values: &MessageValues) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                match values.get(after[..end].trim()) {
                    Some(value) => out.push_str(value),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The most SMS segments an invitation may take (a longer text costs more and some gateways
/// refuse it).
pub const MAX_SMS_SEGMENTS: u32 = 3;

/// How many SMS segments `text` takes: 160 characters in one (153 per segment when split)
/// when every character is in the GSM 7-bit alphabet's basic set, else 70 (67 when split), as
/// operators count Chinese text (UCS-2). Characters outside the basic multilingual plane
/// count twice in UCS-2.
pub fn sms_segments(text: &str) -> u32 {
    const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const GSM_EXTENDED: &str = "^{}\\[~]|€\x0c";
    let gsm = text
        .chars()
        .all(|c| GSM_BASIC.contains(c) || GSM_EXTENDED.contains(c));
    let (units, single, multi) = if gsm {
        let units: usize = text
            .chars()
            .map(|c| if GSM_EXTENDED.contains(c) { 2 } else { 1 })
            .sum();
        (units, 160, 153)
    } else {
        (text.encode_utf16().count(), 70, 67)
    };
    if units == 0 {
        0
    } else if units <= single {
        1
    } else {
        u32::try_from(units.div_ceil(multi)).unwrap_or(u32::MAX)
    }
}

/// `POST /invitations/send`: send (or resend) the invitations of some records by hand, now.
/// Either `record_ids` or `filter` (the records list's filters); not both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SendInvitations {
    pub record_ids: Option<Vec<i64>>,
    pub filter: Option<RecordSelection>,
    /// Records already invited get a new message with a new link, which replaces their
    /// earlier links. Without it they are skipped (`already_invited`).
    pub resend: bool,
}

/// The records list's filters (`GET /service-records`' query), as a selection to send to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RecordSelection {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub agent_id: Option<i64>,
    pub team_id: Option<i64>,
    pub service_type: Option<String>,
    pub channel: Option<crate::wire::Channel>,
    pub rated: Option<bool>,
    pub invitation: Option<InvitationState>,
}

/// The most records one `POST /invitations/send` may select.
pub const MAX_SEND_SELECTION: u32 = 5_000;

closed_list! {
    /// Why a selected record got no message.
    pub enum SkipReason {
        AlreadyInvited = "already_invited" ("已邀请", "Already invited"),
        Rated = "rated" ("已评价", "Already rated"),
        WindowClosed = "window_closed" ("评价期已过", "Rating window closed"),
        DoNotInvite = "do_not_invite" ("不邀请", "Marked do not invite"),
        OptedOut = "opted_out" ("客户已退订", "Customer opted out"),
        NoChannel = "no_channel" ("无可用渠道", "No channel reaches the customer"),
    }
}

/// How many of a reason's records were skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedCount {
    pub reason: SkipReason,
    pub count: u32,
}

/// The answer of `POST /invitations/send`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendReport {
    /// Records selected.
    pub selected: u32,
    /// Messages queued (one per record).
    pub queued: u32,
    /// The others, by reason (only reasons with a count).
    pub skipped: Vec<SkippedCount>,
}

/// The answer of `POST /rating-links/{token}/opt-out`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptOut {
    /// Since when the customer gets no invitations (the first opt-out's time).
    pub opted_out_at: DateTime<Utc>,
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

    #[test]
    fn templates_render_known_placeholders_and_name_unknown_ones() {
        let values = MessageValues::sample(MessageLanguage::Zh);
        assert_eq!(
            render(
                "{{customer_name}}您好，请评价{{ agent_name }}：{{link}}",
                &values
            ),
            format!("王女士您好，请评价李明：{}", values.link)
        );
        assert_eq!(render("{{nope}} {{", &values), "{{nope}} {{");
        assert_eq!(
            unknown_placeholders("{{link}} {{nope}} {{nope}} {{x"),
            vec!["nope".to_owned(), "{{".to_owned()]
        );
        assert!(unknown_placeholders("{{link}}{{opt_out}}").is_empty());
    }

    #[test]
    fn sms_segments_count_gsm_and_ucs2_texts() {
        assert_eq!(sms_segments(""), 0);
        assert_eq!(sms_segments(&"a".repeat(160)), 1);
        assert_eq!(sms_segments(&"a".repeat(161)), 2);
        assert_eq!(sms_segments(&"a".repeat(306)), 2);
        assert_eq!(sms_segments(&"a".repeat(307)), 3);
        assert_eq!(sms_segments(&"{".repeat(80)), 1);
        assert_eq!(sms_segments(&"{".repeat(81)), 2);
        assert_eq!(sms_segments(&"评".repeat(70)), 1);
        assert_eq!(sms_segments(&"评".repeat(71)), 2);
        assert_eq!(sms_segments(&"评".repeat(134)), 2);
        assert_eq!(sms_segments(&"评".repeat(135)), 3);
    }
}
