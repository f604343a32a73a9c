//! Everything that leaves the system (issue 19): one queue of deliveries (an e-mail, an SMS
//! through the admin's HTTP gateway, a signed webhook), their log, and the channels' settings.
//!
//! The pure parts live here: the closed lists, the retry policy, the SMS gateway's templates
//! (placeholders filled for JSON, a form or a URL) and its success rule, and the checks of the
//! settings' fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::{FieldError, Lines, checked, control_error, length_error};

/// Sending attempts of one delivery before it is given up.
pub const MAX_ATTEMPTS: u32 = 6;

/// The wait before the next attempt after `attempts` failed ones: 1, 2, 4, 8, 16 minutes;
/// `None` once [`MAX_ATTEMPTS`] have failed.
pub fn retry_delay(attempts: u32) -> Option<chrono::Duration> {
    if attempts == 0 || attempts >= MAX_ATTEMPTS {
        return None;
    }
    Some(chrono::Duration::minutes(1 << (attempts - 1).min(10)))
}

closed_list! {
    /// How a message leaves.
    pub enum DeliveryChannel {
        Email = "email" ("邮件", "E-mail"),
        Sms = "sms" ("短信", "SMS"),
        Webhook = "webhook" ("Webhook", "Webhook"),
    }
}

closed_list! {
    /// Why a message is sent.
    pub enum Purpose {
        /// A weekly or monthly report to a subscriber.
        Report = "report" ("报告邮件", "Report mail"),
        /// An admin's test of a channel.
        Test = "test" ("测试消息", "Test message"),
        /// A rating invitation after a service.
        Invitation = "invitation" ("评价邀请", "Rating invitation"),
        /// A reminder of an invitation not answered.
        Reminder = "reminder" ("评价提醒", "Rating reminder"),
        /// A one-time sign-in code.
        OneTimeCode = "one_time_code" ("一次性验证码", "One-time code"),
        /// An event told to another system.
        Notification = "notification" ("通知", "Notification"),
    }
}

closed_list! {
    /// Where a delivery stands.
    pub enum DeliveryState {
        /// Waiting for its first attempt.
        Queued = "queued" ("排队中", "Queued"),
        /// Being handed to the receiver now.
        Sending = "sending" ("发送中", "Sending"),
        /// Failed; tried again at `next_attempt_at`.
        Retrying = "retrying" ("等待重试", "Retrying"),
        Sent = "sent" ("已发送", "Sent"),
        /// Given up (see `last_error`); an admin may try again.
        Failed = "failed" ("失败", "Failed"),
    }
}

/// What a delivery is about: `("report", 12)`, `("invitation", 5)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliverySubject {
    pub kind: String,
    pub id: i64,
}

/// `GET /deliveries`: one message in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryEntry {
    pub id: i64,
    /// The id the receiver sees (the mail's `Message-ID`, the webhook's `webhook-id`, the
    /// SMS gateway's `{{reference}}`), the same on every attempt.
    pub message_id: String,
    pub channel: DeliveryChannel,
    pub purpose: Purpose,
    pub subject: Option<DeliverySubject>,
    /// The address, the phone number or the webhook's URL.
    pub recipient: String,
    /// The mail's subject, the SMS's text or the webhook's event type.
    pub summary: String,
    pub status: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed, in words.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// For an invitation's message (and its reminder): where the invitation stands now
    /// (opened, rated, opted out, …); none for other messages.
    #[serde(default)]
    pub invitation_state: Option<crate::invitations::InvitationState>,
}

/// `GET /deliveries`: a page of the log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryPage {
    pub items: Vec<DeliveryEntry>,
    /// Deliveries matching the filters, on every page.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
}

// ---------------------------------------------------------------------------------------------
// The SMS gateway

closed_list! {
    /// The HTTP method of the SMS gateway.
    pub enum GatewayMethod {
        Post = "post" ("POST", "POST"),
        Put = "put" ("PUT", "PUT"),
        Get = "get" ("GET", "GET"),
    }
}

closed_list! {
    /// How the gateway's body is encoded.
    pub enum GatewayContentType {
        /// `application/json`: placeholders are filled JSON-escaped (inside a string).
        Json = "json" ("JSON", "JSON"),
        /// `application/x-www-form-urlencoded`: placeholders are filled percent-encoded.
        Form = "form" ("表单", "Form"),
    }
}

/// One header the gateway is sent (its value may name `{{secret}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GatewayHeader {
    pub name: String,
    pub value: String,
}

/// When the gateway's answer means "sent": a 2xx status, and, when set, a JSON field of the
/// body equal to a value (`code` = `0`; a dotted path reaches inside: `result.status`) and/or a
/// text the body contains.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuccessRule {
    #[serde(default)]
    pub json_field: Option<String>,
    #[serde(default)]
    pub json_value: Option<String>,
    #[serde(default)]
    pub body_contains: Option<String>,
}

/// `GET /settings/sms`: the SMS gateway; the secret is never answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsGateway {
    /// Empty until an admin sets it up. May name placeholders (percent-encoded).
    pub url: String,
    pub method: GatewayMethod,
    pub headers: Vec<GatewayHeader>,
    /// The body with `{{to}}`, `{{text}}`, `{{reference}}` and `{{secret}}` (empty for GET).
    pub body_template: String,
    pub content_type: GatewayContentType,
    pub success: SuccessRule,
    /// Whether a secret is stored (for `{{secret}}`).
    pub has_secret: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

/// `PUT /settings/sms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsGatewayInput {
    pub url: String,
    pub method: GatewayMethod,
    #[serde(default)]
    pub headers: Vec<GatewayHeader>,
    #[serde(default)]
    pub body_template: String,
    pub content_type: GatewayContentType,
    #[serde(default)]
    pub success: SuccessRule,
    /// Absent: keep the stored secret; empty: remove it.
    #[serde(default)]
    pub secret: Option<String>,
}

/// The placeholders a gateway's URL, headers and body may name.
pub const PLACEHOLDERS: [&str; 4] = ["to", "text", "reference", "secret"];

/// Most headers of the gateway.
pub const MAX_HEADERS: usize = 10;

/// The values placeholders are filled with.
#[derive(Debug, Clone, Copy)]
pub struct Fill<'a> {
    pub to: &'a str,
    pub text: &'a str,
    pub reference: &'a str,
    pub secret: &'a str,
}

/// How a placeholder's value is written into its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// As is (a header value).
    None,
    /// Inside a JSON string.
    Json,
    /// Percent-encoded (a form or a URL).
    Percent,
}

/// `template` with each `{{name}}` of [`PLACEHOLDERS`] replaced by its value, escaped as
/// `escape` says; other text is left as written.
pub fn fill(template: &str, values: Fill<'_>, escape: Escape) -> String {
    let mut out = String::with_capacity(template.len() + values.text.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        let value = match name {
            "to" => Some(values.to),
            "text" => Some(values.text),
            "reference" => Some(values.reference),
            "secret" => Some(values.secret),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(&escaped(v, escape)),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn escaped(value: &str, escape: Escape) -> String {
    match escape {
        Escape::None => value.to_owned(),
        Escape::Json => {
            let quoted = serde_json::to_string(value).unwrap_or_default();
            quoted[1..quoted.len().saturating_sub(1).max(1)].to_owned()
        }
        Escape::Percent => percent_encode(value),
    }
}

/// `value` percent-encoded (RFC 3986 unreserved characters kept).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl SuccessRule {
    /// Whether a 2xx answer's `body` means "sent"; otherwise why not, in words.
    pub fn check(&self, body: &str) -> Result<(), String> {
        if let Some(text) = self.body_contains.as_deref().filter(|t| !t.is_empty())
            && !body.contains(text)
        {
            return Err(format!(
                "网关应答不含“{text}” / the gateway's answer does not contain {text:?}: {}",
                clip(body)
            ));
        }
        if let Some(field) = self.json_field.as_deref().filter(|f| !f.is_empty()) {
            let want = self.json_value.as_deref().unwrap_or("");
            let json: serde_json::Value = serde_json::from_str(body).map_err(|_| {
                format!(
                    "网关应答不是 JSON / the gateway's answer is not JSON: {}",
                    clip(body)
                )
            })?;
            let found = field
                .split('.')
                .try_fold(&json, |v, key| v.get(key))
                .map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            if found.as_deref() != Some(want) {
                return Err(format!(
                    "网关应答的 {field} 不是 {want} / the gateway answered {field} = {}: {}",
                    found.as_deref().unwrap_or("(none)"),
                    clip(body)
                ));
            }
        }
        Ok(())
    }
}

/// A body as it goes into an error: at most 200 characters, on one line.
pub fn clip(body: &str) -> String {
    let one_line: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    if body.chars().count() > 200 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

/// Whether `name` is an HTTP header name (RFC 9110 token characters).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Checks a URL the server calls: `http://` or `https://`, a host, no spaces or control
/// characters, at most 2000 characters.
pub fn url_error(field: &str, url: &str) -> Option<FieldError> {
    if url.is_empty() {
        return Some(FieldError::new(field, "required", "the address to call"));
    }
    if let Some(e) = control_error(field, url, Lines::Single) {
        return Some(e);
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if url.chars().count() <= 2000
                && !url.contains(' ')
                && !rest.is_empty()
                && !rest.starts_with('/') =>
        {
            None
        }
        _ => Some(FieldError::new(
            field,
            "invalid",
            "an address that starts with http:// or https://",
        )),
    }
}

/// A secret or a header value: one line, no control character, at most 2000 characters.
fn header_value_error(field: String, value: &str) -> Option<FieldError> {
    control_error(field.clone(), value, Lines::Single).or_else(|| {
        (value.chars().count() > 2000)
            .then(|| FieldError::new(field, "too_long", "at most 2000 characters".to_owned()))
    })
}

impl SmsGatewayInput {
    /// The input trimmed, or what is wrong with it (each field by its name; a header as
    /// `headers[i].name` / `headers[i].value`).
    pub fn check(&self) -> Result<SmsGatewayInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let url = self.url.trim().to_owned();
        errors.extend(url_error("url", &url));
        if self.headers.len() > MAX_HEADERS {
            errors.push(FieldError::new(
                "headers",
                "too_many",
                format!("at most {MAX_HEADERS} headers"),
            ));
        }
        let mut headers = Vec::new();
        for (i, h) in self.headers.iter().enumerate() {
            let name = h.name.trim().to_owned();
            if name.is_empty() && h.value.trim().is_empty() {
                continue;
            }
            if !is_header_name(&name) {
                errors.push(FieldError::new(
                    format!("headers[{i}].name"),
                    "invalid",
                    "a header name: letters, digits and - only",
                ));
            }
            let value = h.value.trim().to_owned();
            errors.extend(header_value_error(format!("headers[{i}].value"), &value));
            headers.push(GatewayHeader { name, value });
        }
        let body_template = self.body_template.trim().to_owned();
        errors.extend(length_error(
            "body_template",
            &body_template,
            "the body",
            0,
            4000,
        ));
        if self.method != GatewayMethod::Get && body_template.is_empty() {
            errors.push(FieldError::new(
                "body_template",
                "required",
                "the body to send, with {{to}} and {{text}}",
            ));
        }
        let uses = |p: &str| {
            let holder = format!("{{{{{p}}}}}");
            url.contains(&holder) || body_template.contains(&holder)
        };
        let template_failed = errors.iter().any(|e| e.field == "body_template");
        let has_both = uses("to") && uses("text");
        if !template_failed && !has_both {
            errors.push(FieldError::new(
                "body_template",
                "missing_placeholder",
                "the body (or the address) must hold {{to}} and {{text}}",
            ));
        }
        let opt = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        let success = SuccessRule {
            json_field: opt(&self.success.json_field),
            json_value: self
                .success
                .json_value
                .as_ref()
                .map(|s| s.trim().to_owned()),
            body_contains: opt(&self.success.body_contains),
        };
        for (field, value) in [
            ("success.json_field", &success.json_field),
            ("success.json_value", &success.json_value),
            ("success.body_contains", &success.body_contains),
        ] {
            if let Some(v) = value {
                errors.extend(header_value_error(field.to_owned(), v));
            }
        }
        let secret = self.secret.as_ref().map(|s| s.trim().to_owned());
        if let Some(s) = &secret {
            errors.extend(header_value_error("secret".to_owned(), s));
        }
        checked(
            errors,
            SmsGatewayInput {
                url,
                method: self.method,
                headers,
                body_template,
                content_type: self.content_type,
                success,
                secret,
            },
        )
    }
}

/// `POST /settings/sms/test`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestSms {
    /// The phone number.
    pub to: String,
}

/// Checks a phone number an SMS goes to: digits, an optional leading `+`, spaces and dashes
/// dropped, 5 to 20 digits.
pub fn check_phone(phone: &str) -> Result<String, &'static str> {
    let cleaned: String = phone
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if cleaned.is_empty() {
        return Err("required");
    }
    let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(5..=20).contains(&digits.len()) {
        return Err("invalid");
    }
    Ok(cleaned)
}

// ---------------------------------------------------------------------------------------------
// The webhook channel

/// `GET /settings/webhook`: where events are posted, signed (Standard Webhooks); the secret is
/// never answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookChannel {
    /// Empty until an admin sets it up.
    pub url: String,
    pub has_secret: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

/// `PUT /settings/webhook`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookChannelInput {
    pub url: String,
    /// Make a new signing secret (always made when none is stored).
    #[serde(default)]
    pub rotate_secret: bool,
}

impl WebhookChannelInput {
    pub fn check(&self) -> Result<WebhookChannelInput, Vec<FieldError>> {
        let url = self.url.trim().to_owned();
        checked(
            url_error("url", &url).into_iter().collect(),
            WebhookChannelInput {
                url,
                rotate_secret: self.rotate_secret,
            },
        )
    }
}

/// `PUT /settings/webhook` answered: the channel, and the new secret (`whsec_…`) when one was
/// made: shown this once, never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookChannelSaved {
    pub channel: WebhookChannel,
    pub secret: Option<String>,
}

/// A stored delivery error in the reader's language. The sender writes its errors in both
/// languages, Chinese first, then the English with what the other side said after its first
/// ": " (`短信网关无法连接 / the SMS gateway could not be reached: connection refused`); a reader
/// sees one language (issue 24): the English half, or the Chinese half followed by that detail
/// (itself in the reader's language when it is in both; left out when it is English prose, as in
/// `… / the customer opted out: not sent`). Text in one language comes back as it is.
pub fn error_in(text: &str, lang: crate::Lang) -> String {
    let Some((zh, en)) = text.split_once(" / ") else {
        return text.to_owned();
    };
    if !zh.chars().any(is_han) {
        return text.to_owned();
    }
    let (head, detail) = match en.split_once(": ") {
        Some((head, detail)) => (head, Some(detail)),
        None => (en, None),
    };
    match (lang, detail) {
        (crate::Lang::En, Some(detail)) => format!("{head}: {}", error_in(detail, lang)),
        (crate::Lang::En, None) => en.to_owned(),
        (crate::Lang::Zh, Some(detail)) if !is_prose(detail) => {
            format!("{zh}：{}", error_in(detail, lang))
        }
        (crate::Lang::Zh, _) => zh.to_owned(),
    }
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Lower-case English words and spaces only: part of the sentence, not a system's answer.
fn is_prose(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILL: Fill<'static> = Fill {
        to: "+86 138",
        text: "您好 \"ok\" & more",
        reference: "msg_1",
        secret: "k",
    };

    #[test]
    fn placeholders_are_filled_escaped_for_their_place() {
        let json = fill(
            r#"{"phone":"{{to}}","content":"{{ text }}","id":"{{reference}}","x":"{{other}}"}"#,
            FILL,
            Escape::Json,
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["content"], "您好 \"ok\" & more");
        assert_eq!(parsed["phone"], "+86 138");
        assert_eq!(parsed["x"], "{{other}}");
        let form = fill(
            "To={{to}}&Body={{text}}&key={{secret}}",
            FILL,
            Escape::Percent,
        );
        assert_eq!(
            form,
            "To=%2B86%20138&Body=%E6%82%A8%E5%A5%BD%20%22ok%22%20%26%20more&key=k"
        );
        assert_eq!(fill("a {{to", FILL, Escape::None), "a {{to");
    }

    #[test]
    fn the_success_rule_reads_a_field_or_a_text() {
        let rule = SuccessRule {
            json_field: Some("result.code".into()),
            json_value: Some("0".into()),
            body_contains: None,
        };
        assert!(rule.check(r#"{"result":{"code":0}}"#).is_ok());
        assert!(rule.check(r#"{"result":{"code":"0"}}"#).is_ok());
        let refused = rule.check(r#"{"result":{"code":22,"msg":"余额不足"}}"#);
        assert!(refused.unwrap_err().contains("22"));
        assert!(rule.check("not json").is_err());
        let text = SuccessRule {
            body_contains: Some("OK".into()),
            ..Default::default()
        };
        assert!(text.check("Status: OK").is_ok());
        assert!(text.check("FAIL").is_err());
        assert!(SuccessRule::default().check("anything").is_ok());
    }

    #[test]
    fn a_gateway_refuses_control_characters_in_header_bound_values() {
        let input = SmsGatewayInput {
            url: "https://sms.example.com/send".into(),
            method: GatewayMethod::Post,
            headers: vec![GatewayHeader {
                name: "X-Key".into(),
                value: "a\r\nInjected: yes".into(),
            }],
            body_template: "to={{to}}&text={{text}}".into(),
            content_type: GatewayContentType::Form,
            success: SuccessRule::default(),
            secret: Some("s\u{1b}".into()),
        };
        let errors = input.check().unwrap_err();
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("headers[0].value", "control_character"),
                ("secret", "control_character")
            ]
        );
        let no_text = SmsGatewayInput {
            headers: vec![],
            secret: None,
            body_template: "to={{to}}".into(),
            url: "ftp://x".into(),
            ..input
        };
        let fields: Vec<String> = no_text
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["url", "body_template"]);
    }

    #[test]
    fn backoff_then_given_up() {
        assert_eq!(retry_delay(1), Some(chrono::Duration::minutes(1)));
        assert_eq!(retry_delay(5), Some(chrono::Duration::minutes(16)));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
        assert_eq!(
            check_phone("+86 138-0000-0001"),
            Ok("+8613800000001".into())
        );
        assert_eq!(check_phone("12ab"), Err("invalid"));
    }

    #[test]
    fn a_stored_error_reads_in_one_language() {
        use crate::Lang;
        let sms = "短信网关无法连接 / the SMS gateway could not be reached: timed out (10 s)";
        assert_eq!(
            error_in(sms, Lang::En),
            "the SMS gateway could not be reached: timed out (10 s)"
        );
        assert_eq!(
            error_in(sms, Lang::Zh),
            "短信网关无法连接：timed out (10 s)"
        );
        let nested = format!("6 次发送均失败，已停用 / disabled after 6 failed attempts: {sms}");
        assert_eq!(
            error_in(&nested, Lang::En),
            "disabled after 6 failed attempts: the SMS gateway could not be reached: timed out (10 s)"
        );
        assert_eq!(
            error_in(&nested, Lang::Zh),
            "6 次发送均失败，已停用：短信网关无法连接：timed out (10 s)"
        );
        let opted = "客户已退订，不再发送 / the customer opted out: not sent";
        assert_eq!(error_in(opted, Lang::Zh), "客户已退订，不再发送");
        assert_eq!(
            error_in(opted, Lang::En),
            "the customer opted out: not sent"
        );
        assert_eq!(
            error_in("端点不存在 / no such endpoint", Lang::En),
            "no such endpoint"
        );
        // One language, or a slash that is not the separator: as it is.
        assert_eq!(
            error_in("550 mailbox unavailable", Lang::Zh),
            "550 mailbox unavailable"
        );
        assert_eq!(error_in("a / b", Lang::Zh), "a / b");
    }
}
