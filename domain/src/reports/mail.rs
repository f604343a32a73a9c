//! Reports by e-mail: subscriptions, the deliveries and their retries, and the SMTP settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ReportKind;
use crate::analytics::Period;
use crate::problem::{FieldError, Lines, checked, control_error};

/// Most recipients of one subscription.
pub const MAX_RECIPIENTS: usize = 20;
pub use crate::delivery::{MAX_ATTEMPTS, retry_delay};

/// `GET /report-subscriptions`: who receives which report by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    pub id: i64,
    pub kind: ReportKind,
    /// `None`: the whole company (admins only).
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    pub recipients: Vec<String>,
    /// A paused subscription gets no reports.
    pub active: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// The first period it gets: the last one closed when it was created.
    pub first_key: String,
}

/// `POST /report-subscriptions` and `PUT /report-subscriptions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionInput {
    pub kind: ReportKind,
    /// `None` for the whole company; a lead may only name their own team.
    pub team_id: Option<i64>,
    /// E-mail addresses, one to [`MAX_RECIPIENTS`].
    pub recipients: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Checks an e-mail address (trimmed): one `@` with something on both sides, a domain of
/// dot-separated labels, no spaces or angle brackets, at most 254 characters. The server also
/// parses it with its mail library.
pub fn check_address(address: &str) -> Result<String, &'static str> {
    let address = address.trim();
    if address.is_empty() {
        return Err("empty");
    }
    if address.chars().count() > 254 {
        return Err("too_long");
    }
    let (local, domain) = address.split_once('@').ok_or("invalid")?;
    let bad = |c: char| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\@".contains(c);
    if local.is_empty()
        || domain.is_empty()
        || local.chars().any(bad)
        || domain.chars().any(bad)
        || domain.split('.').any(str::is_empty)
    {
        return Err("invalid");
    }
    Ok(address.to_owned())
}

impl SubscriptionInput {
    /// The recipients, trimmed and without repeats (case-insensitive), or what is wrong with
    /// them (`recipients` for the list, `recipients[i]` for one address).
    pub fn check(&self) -> Result<Vec<String>, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out: Vec<String> = Vec::new();
        for (i, raw) in self.recipients.iter().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            match check_address(raw) {
                Ok(a) if out.iter().any(|o| o.eq_ignore_ascii_case(&a)) => {}
                Ok(a) => out.push(a),
                Err(code) => errors.push(FieldError::new(
                    format!("recipients[{i}]"),
                    code,
                    format!("{:?} is not an e-mail address", raw.trim()),
                )),
            }
        }
        if errors.is_empty() && out.is_empty() {
            errors.push(FieldError::new(
                "recipients",
                "required",
                "at least one e-mail address",
            ));
        }
        if out.len() > MAX_RECIPIENTS {
            errors.push(FieldError::new(
                "recipients",
                "too_many",
                format!("at most {MAX_RECIPIENTS} addresses"),
            ));
        }
        checked(errors, out)
    }
}

closed_list! {
    /// Where a mail of a report stands.
    pub enum DeliveryStatus {
        /// Not tried yet.
        Pending = "pending" ("待发送", "Pending"),
        /// Failed; tried again at `next_attempt_at`.
        Retrying = "retrying" ("重试中", "Retrying"),
        Sent = "sent" ("已发送", "Sent"),
        /// Failed [`MAX_ATTEMPTS`] times; an admin may try again.
        Failed = "failed" ("失败", "Failed"),
    }
}

/// One mail of a kept report to one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    pub address: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// What the mail server answered the last failed attempt.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// `GET /reports`: a kept report with its mails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredReport {
    pub id: i64,
    pub kind: ReportKind,
    pub key: String,
    pub period: Period,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    pub generated_at: DateTime<Utc>,
    pub evaluations: u64,
    pub average_total: Option<f64>,
    pub attainment_rate: Option<f64>,
    pub deliveries: Vec<Delivery>,
}

closed_list! {
    /// How the connection to the mail server is secured.
    #[derive(Default)]
    pub enum SmtpSecurity {
        /// Plain SMTP (a relay on the local network).
        None = "none" ("不加密", "None"),
        /// STARTTLS on the submission port (587).
        #[default]
        StartTls = "start_tls" ("STARTTLS（通常为 587 端口）", "STARTTLS (usually port 587)"),
        /// TLS from the first byte (465).
        Tls = "tls" ("TLS（通常为 465 端口）", "TLS (usually port 465)"),
    }
}

/// `GET /settings/smtp`: the mail server. The password never leaves the server: only whether
/// one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmtpSettings {
    /// Empty until an admin sets the mail server up.
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password_set: bool,
    pub from_address: String,
    pub from_name: String,
    /// The address of Pingjia that links in mails start with.
    pub link_base: String,
    pub updated_at: Option<DateTime<Utc>>,
}

/// `PUT /settings/smtp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmtpSettingsInput {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// Absent: keep the stored one; empty: remove it; otherwise the new password.
    #[serde(default)]
    pub password: Option<String>,
    pub from_address: String,
    pub from_name: String,
    /// Where people open Pingjia (`https://pingjia.example.com`); empty: the server's own.
    #[serde(default)]
    pub link_base: String,
}

impl SmtpSettingsInput {
    /// The input trimmed, or what is wrong with each field.
    pub fn check(&self) -> Result<SmtpSettingsInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let host = self.host.trim().to_owned();
        if host.is_empty() {
            errors.push(FieldError::new(
                "host",
                "required",
                "the mail server's name",
            ));
        } else if host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "/:@".contains(c))
            || host.len() > 253
        {
            errors.push(FieldError::new(
                "host",
                "invalid",
                "a host name or address, without a port or scheme",
            ));
        }
        if self.port == 0 {
            errors.push(FieldError::new("port", "invalid", "a port from 1 to 65535"));
        }
        let from_address = match check_address(&self.from_address) {
            Ok(a) => a,
            Err(code) => {
                errors.push(FieldError::new(
                    "from_address",
                    code,
                    "the sender's e-mail address",
                ));
                String::new()
            }
        };
        let from_name = self.from_name.trim().to_owned();
        // The sender's name, the user and the password go into mail headers and the SMTP
        // conversation: a line break there would end the header (or the command) early.
        if let Some(error) = control_error("from_name", &from_name, Lines::Single) {
            errors.push(error);
        } else if from_name.chars().count() > 80 {
            errors.push(FieldError::new(
                "from_name",
                "too_long",
                "at most 80 characters",
            ));
        }
        let username = self
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned);
        errors.extend(
            username
                .as_deref()
                .and_then(|u| control_error("username", u, Lines::Single)),
        );
        errors.extend(
            self.password
                .as_deref()
                .and_then(|p| control_error("password", p, Lines::Single)),
        );
        let link_base = self.link_base.trim().trim_end_matches('/').to_owned();
        let web_address = link_base.starts_with("http://") || link_base.starts_with("https://");
        if let Some(error) = control_error("link_base", &link_base, Lines::Single) {
            errors.push(error);
        } else if !link_base.is_empty() && !web_address {
            errors.push(FieldError::new(
                "link_base",
                "invalid",
                "an address starting with http:// or https://",
            ));
        }
        checked(
            errors,
            SmtpSettingsInput {
                host,
                port: self.port,
                security: self.security,
                username,
                password: self.password.clone(),
                from_address,
                from_name,
                link_base,
            },
        )
    }
}

/// `POST /settings/smtp/test`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestMail {
    pub to: String,
}

/// `POST /settings/smtp/test` when the mail server accepted the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestMailSent {
    pub to: String,
    /// The mail server's reply.
    pub reply: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_checked_trimmed_and_deduplicated() {
        let input = |r: &[&str]| SubscriptionInput {
            kind: ReportKind::Week,
            team_id: None,
            recipients: r.iter().map(|s| (*s).to_owned()).collect(),
            active: true,
        };
        assert_eq!(
            input(&[" ops@example.com ", "OPS@example.com", "", "lead@corp.cn"]).check(),
            Ok(vec![
                "ops@example.com".to_owned(),
                "lead@corp.cn".to_owned()
            ])
        );
        let errors = input(&["ops@example.com", "not an address", "a@b..c"])
            .check()
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["recipients[1]", "recipients[2]"]);
        assert_eq!(input(&["  "]).check().unwrap_err()[0].code, "required");
        let many: Vec<String> = (0..=MAX_RECIPIENTS)
            .map(|i| format!("p{i}@example.com"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(input(&many).check().unwrap_err()[0].code, "too_many");
        for bad in ["@x.cn", "a@", "a b@x.cn", "<a@x.cn>", "a@x.cn,b@x.cn"] {
            assert!(check_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retries_back_off_then_give_up() {
        let minutes: Vec<Option<i64>> = (0..=MAX_ATTEMPTS)
            .map(|n| retry_delay(n).map(|d| d.num_minutes()))
            .collect();
        assert_eq!(
            minutes,
            [None, Some(1), Some(2), Some(4), Some(8), Some(16), None]
        );
    }

    #[test]
    fn smtp_settings_are_checked() {
        let input = SmtpSettingsInput {
            host: " smtp.example.com ".into(),
            port: 587,
            security: SmtpSecurity::StartTls,
            username: Some("  ".into()),
            password: None,
            from_address: "pingjia@example.com".into(),
            from_name: "评价".into(),
            link_base: "https://pingjia.example.com/".into(),
        };
        let ok = input.check().unwrap();
        assert_eq!(ok.host, "smtp.example.com");
        assert_eq!(ok.username, None);
        assert_eq!(ok.link_base, "https://pingjia.example.com");
        let bad = SmtpSettingsInput {
            host: "smtp://x:25".into(),
            port: 0,
            from_address: "nobody".into(),
            link_base: "pingjia.example.com".into(),
            ..input
        };
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["host", "port", "from_address", "link_base"]);
        let header_injection = SmtpSettingsInput {
            host: "smtp.example.com\r\nx".into(),
            from_name: "评价\r\nBcc: everyone@example.com".into(),
            from_address: "pingjia@example.com\n".into(),
            username: Some("user\0".into()),
            password: Some("pass\r\nQUIT".into()),
            link_base: "https://pingjia.example.com/\u{1b}[2J".into(),
            ..bad
        };
        let errors = header_injection.check().unwrap_err();
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("host", "invalid"),
                ("port", "invalid"),
                ("from_name", "control_character"),
                ("username", "control_character"),
                ("password", "control_character"),
                ("link_base", "control_character"),
            ]
        );
    }
}
