//! Sending rating invitations (issue 19), the pure rules: the settings' checks (each broken
//! rule naming its field), the window's words in a message, and which channel an invitation
//! goes by. The wire types are in [`crate::invitations`].

use crate::invitations::{
    InvitationChannel, InvitationSettings, MAX_SMS_SEGMENTS, MessageKind, MessageLanguage,
    MessageTemplate, MessageValues, PLACEHOLDERS, render, sms_segments, unknown_placeholders,
};
use crate::problem::{FieldError, Lines, checked, control_error};

/// Most minutes of [`InvitationSettings::delay_minutes`] (a week).
pub const MAX_DELAY_MINUTES: u32 = 7 * 24 * 60;
/// Most hours of [`InvitationSettings::reminder_hours`] (30 days).
pub const MAX_REMINDER_HOURS: u32 = 30 * 24;
/// Most days of [`InvitationSettings::suppression_days`].
pub const MAX_SUPPRESSION_DAYS: u32 = 365;
/// Longest template body and subject.
pub const MAX_TEMPLATE_BODY: usize = 4000;
pub const MAX_TEMPLATE_SUBJECT: usize = 200;

/// The placeholders every template must use.
pub const REQUIRED_PLACEHOLDERS: [&str; 2] = ["link", "opt_out"];

/// The template channels: SMS and e-mail (the webhook posts JSON).
pub const TEMPLATE_CHANNELS: [InvitationChannel; 2] =
    [InvitationChannel::Sms, InvitationChannel::Email];

fn uses(text: &str, name: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return false;
        };
        if after[..end].trim() == name {
            return true;
        }
        rest = &after[end + 2..];
    }
    false
}

impl InvitationSettings {
    /// The settings as they may be saved, or every broken rule, each naming its field
    /// (`delay_minutes`, `channel_order`, `templates`, `templates[3].body`,
    /// `templates[3].subject`): numbers within their bounds; the channel order non-empty and
    /// each channel at most once (`duplicate`); exactly the eight templates (`incomplete`,
    /// `duplicate`, a webhook template `invalid`); in each, no unknown placeholder
    /// (`unknown_placeholders`), `{{link}}` and `{{opt_out}}` used (`missing_placeholder`),
    /// no control character but line breaks and tabs in a body, none at all in a subject (a
    /// mail header); an e-mail has a subject (`required`), an SMS none (`invalid`); an SMS
    /// rendered with [`MessageValues::sample`] takes at most [`MAX_SMS_SEGMENTS`]
    /// (`too_many_segments`).
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value, max) in [
            ("delay_minutes", self.delay_minutes, MAX_DELAY_MINUTES),
            ("reminder_hours", self.reminder_hours, MAX_REMINDER_HOURS),
            (
                "suppression_days",
                self.suppression_days,
                MAX_SUPPRESSION_DAYS,
            ),
        ] {
            if value > max {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!("at most {max}"),
                ));
            }
        }
        if self.channel_order.is_empty() {
            errors.push(FieldError::new(
                "channel_order",
                "required",
                "name at least one channel",
            ));
        }
        for (i, channel) in self.channel_order.iter().enumerate() {
            if self.channel_order[..i].contains(channel) {
                errors.push(FieldError::new(
                    "channel_order",
                    "duplicate",
                    format!("the channel {} appears twice", channel.as_str()),
                ));
            }
        }
        let mut seen: Vec<(InvitationChannel, MessageLanguage, MessageKind)> = Vec::new();
        for (i, t) in self.templates.iter().enumerate() {
            let field = |name: &str| format!("templates[{i}].{name}");
            let key = (t.channel, t.language, t.kind);
            if !TEMPLATE_CHANNELS.contains(&t.channel) {
                errors.push(FieldError::new(
                    field("channel"),
                    "invalid",
                    "templates are for sms and email only",
                ));
                continue;
            }
            if seen.contains(&key) {
                errors.push(FieldError::new(
                    format!("templates[{i}]"),
                    "duplicate",
                    "a second template for the same channel, language and kind",
                ));
                continue;
            }
            seen.push(key);
            errors.extend(template_errors(t, &field));
        }
        if seen.len()
            < TEMPLATE_CHANNELS.len() * MessageLanguage::ALL.len() * MessageKind::ALL.len()
        {
            errors.push(FieldError::new(
                "templates",
                "incomplete",
                "give the eight templates: sms and email, zh and en, invitation and reminder",
            ));
        }
        checked(errors, ())
    }

    /// The template of `channel` in the settings' language for `kind`.
    pub fn template(
        &self,
        channel: InvitationChannel,
        kind: MessageKind,
    ) -> Option<&MessageTemplate> {
        self.templates
            .iter()
            .find(|t| t.channel == channel && t.kind == kind && t.language == self.language)
    }
}

/// The problems of one template, named by `field` (`templates[3].body`).
fn template_errors(t: &MessageTemplate, field: &dyn Fn(&str) -> String) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut texts = vec![("body", t.body.as_str())];
    match (&t.subject, t.channel) {
        (Some(subject), InvitationChannel::Email) => {
            if subject.trim().is_empty() {
                errors.push(FieldError::new(
                    field("subject"),
                    "required",
                    "a mail needs a subject",
                ));
            } else if subject.chars().count() > MAX_TEMPLATE_SUBJECT {
                errors.push(FieldError::new(
                    field("subject"),
                    "too_long",
                    format!("at most {MAX_TEMPLATE_SUBJECT} characters"),
                ));
            }
            errors.extend(control_error(field("subject"), subject, Lines::Single));
            texts.push(("subject", subject.as_str()));
        }
        (None, InvitationChannel::Email) => {
            errors.push(FieldError::new(
                field("subject"),
                "required",
                "a mail needs a subject",
            ));
        }
        (Some(_), _) => {
            errors.push(FieldError::new(
                field("subject"),
                "invalid",
                "an SMS has no subject",
            ));
        }
        (None, _) => {}
    }
    if t.body.trim().is_empty() {
        errors.push(FieldError::new(
            field("body"),
            "required",
            "write the message",
        ));
    } else if t.body.chars().count() > MAX_TEMPLATE_BODY {
        errors.push(FieldError::new(
            field("body"),
            "too_long",
            format!("at most {MAX_TEMPLATE_BODY} characters"),
        ));
    }
    errors.extend(control_error(field("body"), &t.body, Lines::Multi));
    for (name, text) in texts {
        let unknown = unknown_placeholders(text);
        if !unknown.is_empty() {
            errors.push(FieldError::new(
                field(name),
                "unknown_placeholders",
                format!(
                    "unknown placeholders: {}; the placeholders are {}",
                    unknown.join(", "),
                    PLACEHOLDERS.join(", ")
                ),
            ));
        }
    }
    for name in REQUIRED_PLACEHOLDERS {
        if !uses(&t.body, name) {
            errors.push(FieldError::new(
                field("body"),
                "missing_placeholder",
                format!("the message must carry {{{{{name}}}}}"),
            ));
        }
    }
    if t.channel == InvitationChannel::Sms {
        let segments = sms_segments(&render(&t.body, &MessageValues::sample(t.language)));
        if segments > MAX_SMS_SEGMENTS {
            errors.push(FieldError::new(
                field("body"),
                "too_many_segments",
                format!(
                    "with sample values the SMS takes {segments} segments; at most {MAX_SMS_SEGMENTS}"
                ),
            ));
        }
    }
    errors
}

/// `{{window}}`: when the rating window closes, in words, from the close in the
/// organisation's local time: `12月11日 18:00 前`, `by 11 Dec, 18:00`.
pub fn window_words(language: MessageLanguage, closes: chrono::NaiveDateTime) -> String {
    match language {
        MessageLanguage::Zh => closes.format("%-m月%-d日 %H:%M 前").to_string(),
        MessageLanguage::En => closes.format("by %-d %b, %H:%M").to_string(),
    }
}

/// How a customer can be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    pub phone: bool,
    pub email: bool,
}

/// The channel an invitation goes by: the first of `order` that reaches the customer (a
/// phone for SMS, an e-mail address for e-mail; the webhook reaches everyone) and is
/// `configured`.
pub fn pick_channel(
    order: &[InvitationChannel],
    reach: Reach,
    configured: &[InvitationChannel],
) -> Option<InvitationChannel> {
    order.iter().copied().find(|c| {
        configured.contains(c)
            && match c {
                InvitationChannel::Sms => reach.phone,
                InvitationChannel::Email => reach.email,
                InvitationChannel::Webhook => true,
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> InvitationSettings {
        let mut templates = Vec::new();
        for channel in TEMPLATE_CHANNELS {
            for language in MessageLanguage::ALL {
                for kind in MessageKind::ALL {
                    templates.push(MessageTemplate {
                        channel,
                        language,
                        kind,
                        subject: (channel == InvitationChannel::Email)
                            .then(|| "请评价{{agent_name}}".to_owned()),
                        body: "{{customer_name}}您好，请评价：{{link}} 退订：{{opt_out}}"
                            .to_owned(),
                    });
                }
            }
        }
        InvitationSettings {
            enabled: true,
            delay_minutes: 30,
            reminder_hours: 24,
            suppression_days: 7,
            channel_order: vec![InvitationChannel::Sms, InvitationChannel::Email],
            language: MessageLanguage::Zh,
            templates,
        }
    }

    fn refused(s: &InvitationSettings) -> Vec<(String, String)> {
        s.check()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn settings_name_each_broken_rule_by_its_field() {
        let good = settings();
        assert_eq!(good.check(), Ok(()));
        let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());

        let mut s = good.clone();
        s.templates[0].body = "{{link}} {{opt_out}} {{nope}}".into();
        assert_eq!(
            refused(&s),
            vec![pair("templates[0].body", "unknown_placeholders")]
        );
        s.templates[0].body = "请评价 {{ link }}".into();
        assert_eq!(
            refused(&s),
            vec![pair("templates[0].body", "missing_placeholder")]
        );
        s.templates[0].body = format!("{} {{{{link}}}} {{{{opt_out}}}}", "评".repeat(60));
        assert_eq!(
            refused(&s),
            vec![pair("templates[0].body", "too_many_segments")]
        );

        let mut s = good.clone();
        let email = s
            .templates
            .iter()
            .position(|t| t.channel == InvitationChannel::Email)
            .unwrap();
        s.templates[email].subject = None;
        assert_eq!(
            refused(&s),
            vec![pair(&format!("templates[{email}].subject"), "required")]
        );
        s.templates[email].subject = Some("评价\r\nBcc: x@example.com".into());
        assert_eq!(
            refused(&s),
            vec![pair(
                &format!("templates[{email}].subject"),
                "control_character"
            )]
        );

        let mut s = good.clone();
        s.channel_order = vec![InvitationChannel::Sms, InvitationChannel::Sms];
        assert_eq!(refused(&s), vec![pair("channel_order", "duplicate")]);

        let mut s = good.clone();
        s.templates.pop();
        assert_eq!(refused(&s), vec![pair("templates", "incomplete")]);
        let mut s = good;
        s.templates[7] = s.templates[0].clone();
        assert_eq!(
            refused(&s),
            vec![
                pair("templates[7]", "duplicate"),
                pair("templates", "incomplete")
            ]
        );
    }

    #[test]
    fn the_channel_is_the_first_configured_one_that_reaches_the_customer() {
        use InvitationChannel::*;
        let all = [Sms, Email, Webhook];
        let phone = Reach {
            phone: true,
            email: false,
        };
        let email = Reach {
            phone: false,
            email: true,
        };
        assert_eq!(pick_channel(&[Sms, Email], phone, &all), Some(Sms));
        assert_eq!(pick_channel(&[Sms, Email], email, &all), Some(Email));
        assert_eq!(pick_channel(&[Sms, Email], email, &[Sms]), None);
        assert_eq!(pick_channel(&[Sms, Webhook], email, &all), Some(Webhook));
        assert_eq!(pick_channel(&[], phone, &all), None);
    }

    #[test]
    fn the_window_reads_in_both_languages() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 11)
            .unwrap()
            .and_hms_opt(18, 0, 0)
            .unwrap();
        assert_eq!(window_words(MessageLanguage::Zh, t), "12月11日 18:00 前");
        assert_eq!(window_words(MessageLanguage::En, t), "by 11 Dec, 18:00");
    }
}
