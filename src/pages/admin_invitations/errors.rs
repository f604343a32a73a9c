//! The invitations settings' errors in words, shared by the settings form and the template
//! editor.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use pingjia_domain::FieldError;
use pingjia_domain::invitations::MAX_SMS_SEGMENTS;

use crate::components::form::config::config_error_text;
use crate::i18n::{Locale, t, td_string};

/// The error of `field` among `errors` (tracked).
pub fn error_of(errors: RwSignal<Vec<FieldError>>, field: String) -> Signal<Option<FieldError>> {
    Signal::derive(move || errors.with(|e| e.iter().find(|e| e.field == field).cloned()))
}

/// An error of the invitations' settings in words: the codes of templates and channels here,
/// the others as the configuration screens word them.
pub fn invitation_error_text(i18n: I18nContext<Locale>, error: &FieldError) -> AnyView {
    let locale = i18n.get_locale();
    let channels = error.field == "channel_order";
    let text = match error.code.as_str() {
        "unknown_placeholders" => td_string!(locale, invitations.error_unknown_placeholders),
        "missing_placeholder" => td_string!(locale, invitations.error_missing_placeholder),
        "too_many_segments" => {
            return t!(
                i18n,
                invitations.error_too_many_segments,
                max = MAX_SMS_SEGMENTS
            )
            .into_any();
        }
        "required" if channels => td_string!(locale, invitations.error_no_channel),
        "duplicate" if channels => td_string!(locale, invitations.error_channel_twice),
        "required" if error.field.ends_with(".subject") => {
            td_string!(locale, invitations.error_subject_required)
        }
        "invalid" if error.field.ends_with(".subject") => {
            td_string!(locale, invitations.error_no_subject)
        }
        "too_long" => td_string!(locale, invitations.error_too_long),
        "incomplete" | "duplicate" | "invalid" if error.field.starts_with("templates") => {
            td_string!(locale, invitations.error_templates)
        }
        _ => return config_error_text(i18n, error),
    };
    text.into_any()
}
