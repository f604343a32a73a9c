//! The eight message templates of the invitations' settings: a message (SMS or e-mail,
//! invitation or reminder) and a language are chosen, and the editor shows that template's
//! subject (e-mail) and text, buttons that insert a placeholder at the cursor, the unknown
//! placeholders it uses, and beside it the message as the customer reads it, rendered here
//! with the sample values, with its length (and SMS count).

use leptos::html;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::invitations::{
    InvitationChannel, MAX_SMS_SEGMENTS, MessageKind, MessageLanguage, MessageTemplate,
    MessageValues, PLACEHOLDERS, render, sms_segments, unknown_placeholders,
};

use super::errors::{error_of, invitation_error_text};
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::labels::lang;
use crate::locale::tr;

/// The channels that have templates (the webhook posts JSON), in the editor's order.
pub const TEMPLATE_CHANNELS: [InvitationChannel; 2] =
    [InvitationChannel::Sms, InvitationChannel::Email];

/// One template as the form edits it.
#[derive(Debug, Clone, Copy)]
pub struct TemplateFields {
    pub channel: InvitationChannel,
    pub language: MessageLanguage,
    pub kind: MessageKind,
    /// The mail's subject (e-mail only).
    pub subject: RwSignal<String>,
    pub body: RwSignal<String>,
}

impl TemplateFields {
    fn new(channel: InvitationChannel, language: MessageLanguage, kind: MessageKind) -> Self {
        TemplateFields {
            channel,
            language,
            kind,
            subject: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
        }
    }

    /// The template as it is saved: a subject for e-mail only.
    pub fn template(&self) -> MessageTemplate {
        MessageTemplate {
            channel: self.channel,
            language: self.language,
            kind: self.kind,
            subject: (self.channel == InvitationChannel::Email)
                .then(|| self.subject.get_untracked()),
            body: self.body.get_untracked(),
        }
    }

    fn is(&self, channel: InvitationChannel, kind: MessageKind, language: MessageLanguage) -> bool {
        self.channel == channel && self.kind == kind && self.language == language
    }
}

/// The templates the form edits: the server's, in its order (so that an error's
/// `templates[i]` names the i-th), then any of the eight it lacks, empty.
pub fn template_fields(initial: &[MessageTemplate]) -> Vec<TemplateFields> {
    let mut fields: Vec<TemplateFields> = initial
        .iter()
        .map(|t| {
            let f = TemplateFields::new(t.channel, t.language, t.kind);
            f.subject.set(t.subject.clone().unwrap_or_default());
            f.body.set(t.body.clone());
            f
        })
        .collect();
    for channel in TEMPLATE_CHANNELS {
        for kind in MessageKind::ALL {
            for language in MessageLanguage::ALL {
                if !fields.iter().any(|f| f.is(channel, kind, language)) {
                    fields.push(TemplateFields::new(channel, language, kind));
                }
            }
        }
    }
    fields
}

/// The template an error's field names: `templates[3].body` → 3.
pub fn template_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("templates[")?
        .split_once(']')?
        .0
        .parse()
        .ok()
}

/// `text` with `insert` in place of the characters from `start` to `end`, counted in UTF-16
/// code units as the browser counts a text area's selection, and where the cursor goes after
/// it (in the same units). Out-of-range positions are taken as the end.
pub fn insert_at(text: &str, start: u32, end: u32, insert: &str) -> (String, u32) {
    let byte_at = |units: u32| {
        let mut counted = 0u32;
        for (at, c) in text.char_indices() {
            if counted >= units {
                return at;
            }
            counted += u32::try_from(c.len_utf16()).unwrap_or(2);
        }
        text.len()
    };
    let (from, to) = (byte_at(start.min(end)), byte_at(start.max(end)));
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..from]);
    out.push_str(insert);
    out.push_str(&text[to..]);
    let cursor = text[..from].encode_utf16().count() + insert.encode_utf16().count();
    (out, u32::try_from(cursor).unwrap_or(u32::MAX))
}

/// A placeholder's name in words.
fn placeholder_name(locale: Locale, name: &str) -> &'static str {
    match name {
        "customer_name" => td_string!(locale, invitations.ph_customer_name),
        "agent_name" => td_string!(locale, invitations.ph_agent_name),
        "service_type" => td_string!(locale, invitations.ph_service_type),
        "link" => td_string!(locale, invitations.ph_link),
        "window" => td_string!(locale, invitations.ph_window),
        _ => td_string!(locale, invitations.ph_opt_out),
    }
}

/// Whether any error names template `index` (tracked).
fn has_error(errors: RwSignal<Vec<FieldError>>, index: usize) -> bool {
    errors.with(|e| e.iter().any(|e| template_index(&e.field) == Some(index)))
}

/// The templates: which message and language, then its editor.
#[component]
pub fn Templates(
    /// The eight templates.
    templates: StoredValue<Vec<TemplateFields>>,
    /// The form's errors.
    errors: RwSignal<Vec<FieldError>>,
    /// The index of the template shown.
    shown: RwSignal<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = move || templates.with_value(|t| t.get(shown.get()).copied());
    let index_of = move |channel, kind, language| {
        templates.with_value(|t| t.iter().position(|f| f.is(channel, kind, language)))
    };
    let messages = TEMPLATE_CHANNELS
        .into_iter()
        .flat_map(|c| MessageKind::ALL.map(|k| (c, k)))
        .map(|(channel, kind)| {
            let pressed = move || current().is_some_and(|f| f.channel == channel && f.kind == kind);
            let wrong = move || {
                MessageLanguage::ALL.into_iter().any(|language| {
                    index_of(channel, kind, language).is_some_and(|i| has_error(errors, i))
                })
            };
            let choose = move |_| {
                let language = current().map_or(MessageLanguage::Zh, |f| f.language);
                if let Some(i) = index_of(channel, kind, language) {
                    shown.set(i);
                }
            };
            view! {
                <button type="button" class="button button-secondary template-tab" aria-pressed=move || pressed().to_string() on:click=choose>
                    {move || format!("{} · {}", channel.label(lang(i18n.get_locale())), kind.label(lang(i18n.get_locale())))}
                    {move || wrong().then(|| view! { <span class="badge badge-warn">{tr(i18n, |l| td_string!(l, invitations.to_fix))}</span> })}
                </button>
            }
        })
        .collect_view();
    let languages = MessageLanguage::ALL
        .map(|language| {
            let pressed = move || current().is_some_and(|f| f.language == language);
            let index = move || current().and_then(|f| index_of(f.channel, f.kind, language));
            let wrong = move || index().is_some_and(|i| has_error(errors, i));
            view! {
                <button
                    type="button"
                    class="button button-secondary template-tab"
                    aria-pressed=move || pressed().to_string()
                    on:click=move |_| if let Some(i) = index() { shown.set(i) }
                >
                    {move || language.label(lang(i18n.get_locale()))}
                    {move || wrong().then(|| view! { <span class="badge badge-warn">{tr(i18n, |l| td_string!(l, invitations.to_fix))}</span> })}
                </button>
            }
        })
        .into_iter()
        .collect::<Vec<_>>();
    let general = error_of(errors, "templates".to_owned());
    view! {
        <fieldset class="fieldset templates">
            <legend>{tr(i18n, |l| td_string!(l, invitations.templates))}</legend>
            <p class="field-hint">{tr(i18n, |l| td_string!(l, invitations.templates_hint))}</p>
            <div class="template-tabs" role="group" aria-label=move || td_string!(i18n.get_locale(), invitations.message_choice)>
                {messages}
            </div>
            <div class="template-tabs" role="group" aria-label=move || td_string!(i18n.get_locale(), invitations.language_choice)>
                {languages}
            </div>
            {move || general.get().map(|error| view! {
                <p class="field-error" id="templates-error">{invitation_error_text(i18n, &error)}</p>
            })}
            {move || {
                let index = shown.get();
                current().map(|fields| view! { <TemplateEditor fields index errors /> })
            }}
        </fieldset>
    }
}

/// The unknown placeholders of a text, in words, when it has any.
#[component]
fn UnknownPlaceholders(
    /// The line's id.
    id: &'static str,
    /// The text.
    text: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unknown = Memo::new(move |_| text.with(|t| unknown_placeholders(t)));
    move || {
        let unknown = unknown.get();
        (!unknown.is_empty()).then(|| {
            let names = unknown
                .into_iter()
                .map(|name| {
                    if name == "{{" {
                        view! { <span>{tr(i18n, |l| td_string!(l, invitations.unclosed))}</span> }
                            .into_any()
                    } else {
                        view! { <code>{format!("{{{{{name}}}}}")}</code> }.into_any()
                    }
                })
                .collect_view();
            view! {
                <p class="notice notice-warn unknown-placeholders" id=id>
                    {tr(i18n, |l| td_string!(l, invitations.unknown))} " " {names}
                </p>
            }
        })
    }
}

/// One template: its subject (e-mail) and text with the placeholders, and its preview.
#[component]
pub fn TemplateEditor(
    /// The template.
    fields: TemplateFields,
    /// Its index, as the server's errors name it.
    index: usize,
    /// The form's errors.
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let email = fields.channel == InvitationChannel::Email;
    let body_error = error_of(errors, format!("templates[{index}].body"));
    let subject_error = error_of(errors, format!("templates[{index}].subject"));
    let others = Signal::derive(move || {
        errors.with(|e| {
            e.iter()
                .filter(|e| {
                    template_index(&e.field) == Some(index)
                        && !e.field.ends_with(".body")
                        && !e.field.ends_with(".subject")
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let values = StoredValue::new(MessageValues::sample(fields.language));
    let rendered = Memo::new(move |_| fields.body.with(|b| values.with_value(|v| render(b, v))));
    let subject = Memo::new(move |_| fields.subject.with(|s| values.with_value(|v| render(s, v))));
    let chars = move || rendered.with(|r| r.chars().count());
    let segments = move || rendered.with(|r| sms_segments(r));
    let area = NodeRef::<html::Textarea>::new();
    // Until the text area has had the focus its cursor means nothing: insert at the end.
    let focused = StoredValue::new(false);
    let insert = move |name: &str| {
        let Some(area) = area.get_untracked() else {
            return;
        };
        let text = fields.body.get_untracked();
        let end = u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX);
        let (start, stop) = if focused.get_value() {
            (
                area.selection_start().ok().flatten().unwrap_or(end),
                area.selection_end().ok().flatten().unwrap_or(end),
            )
        } else {
            (end, end)
        };
        let (text, cursor) = insert_at(&text, start, stop, &format!("{{{{{name}}}}}"));
        area.set_value(&text);
        fields.body.set(text);
        let _ = area.focus();
        let _ = area.set_selection_range(cursor, cursor);
        request_animation_frame(move || {
            let _ = area.set_selection_range(cursor, cursor);
        });
    };
    let chips = PLACEHOLDERS
        .map(|name| {
            view! {
                <button
                    type="button"
                    class="placeholder-chip"
                    aria-label=move || td_string!(i18n.get_locale(), invitations.insert, name = placeholder_name(i18n.get_locale(), name))
                    on:click=move |_| insert(name)
                >
                    {move || placeholder_name(i18n.get_locale(), name)}
                    " "
                    <code>{format!("{{{{{name}}}}}")}</code>
                </button>
            }
        })
        .into_iter()
        .collect::<Vec<_>>();
    let body_invalid = move || body_error.with(Option::is_some);
    let subject_invalid = move || subject_error.with(Option::is_some);
    let described = move |invalid: bool, error: &'static str, more: &'static str| {
        if invalid {
            format!("{more} {error}")
        } else {
            more.to_owned()
        }
    };
    view! {
        <div class="template-editor">
            <div class="template-fields">
                {move || others.get().into_iter().map(|error| view! {
                    <p class="field-error">{invitation_error_text(i18n, &error)}</p>
                }).collect_view()}
                {email.then(|| view! {
                    <div class="field" class:field-invalid=subject_invalid>
                        <label for="template-subject">{tr(i18n, |l| td_string!(l, invitations.subject))}</label>
                        <input
                            id="template-subject"
                            type="text"
                            autocomplete="off"
                            aria-invalid=move || subject_invalid().then_some("true")
                            aria-describedby=move || described(subject_invalid(), "template-subject-error", "template-subject-unknown")
                            bind:value=fields.subject
                        />
                        <UnknownPlaceholders id="template-subject-unknown" text=fields.subject />
                        {move || subject_error.get().map(|error| view! {
                            <p class="field-error" id="template-subject-error">{invitation_error_text(i18n, &error)}</p>
                        })}
                    </div>
                })}
                <div class="field" class:field-invalid=body_invalid>
                    <label for="template-body">{tr(i18n, |l| td_string!(l, invitations.body))}</label>
                    <p class="field-hint" id="template-body-hint">{tr(i18n, |l| td_string!(l, invitations.body_hint))}</p>
                    <div class="placeholder-chips" role="group" aria-label=move || td_string!(i18n.get_locale(), invitations.placeholders)>
                        {chips}
                    </div>
                    <textarea
                        id="template-body"
                        rows="8"
                        node_ref=area
                        aria-invalid=move || body_invalid().then_some("true")
                        aria-describedby=move || described(body_invalid(), "template-body-error", "template-body-hint template-body-unknown")
                        on:focus=move |_| focused.set_value(true)
                        bind:value=fields.body
                    ></textarea>
                    <UnknownPlaceholders id="template-body-unknown" text=fields.body />
                    {move || body_error.get().map(|error| view! {
                        <p class="field-error" id="template-body-error">{invitation_error_text(i18n, &error)}</p>
                    })}
                </div>
            </div>
            <section class="template-preview" aria-labelledby="template-preview-title">
                <h3 id="template-preview-title">{tr(i18n, |l| td_string!(l, invitations.preview))}</h3>
                <p class="field-hint">{tr(i18n, |l| td_string!(l, invitations.preview_hint))}</p>
                {email.then(|| view! {
                    <p class="message-preview-subject" data-testid="preview-subject">{move || subject.get()}</p>
                })}
                <div class="message-preview" data-testid="preview-body">{move || rendered.get()}</div>
                <p class="muted" data-testid="preview-count">
                    {if email {
                        t!(i18n, invitations.char_count, chars = chars).into_any()
                    } else {
                        t!(i18n, invitations.sms_count, chars = chars, segments = segments).into_any()
                    }}
                </p>
                {move || (!email && segments() > MAX_SMS_SEGMENTS).then(|| view! {
                    <p class="notice notice-warn" data-testid="preview-too-long">
                        {t!(i18n, invitations.too_many_segments, segments = segments, max = MAX_SMS_SEGMENTS)}
                    </p>
                })}
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_placeholder_goes_in_at_the_cursor_counted_as_the_browser_counts() {
        // "您好" is two UTF-16 units (six bytes); the cursor after it is at 2.
        assert_eq!(
            insert_at("您好，请评价", 2, 2, "{{customer_name}}"),
            ("您好{{customer_name}}，请评价".to_owned(), 19)
        );
        // A selection is replaced.
        assert_eq!(
            insert_at("Hi NAME!", 3, 7, "{{x}}"),
            ("Hi {{x}}!".to_owned(), 8)
        );
        // Beyond the end: appended. An emoji counts two units.
        assert_eq!(insert_at("a😀", 3, 9, "b"), ("a😀b".to_owned(), 4));
        assert_eq!(insert_at("a😀c", 3, 3, "b"), ("a😀bc".to_owned(), 4));
    }

    #[test]
    fn errors_name_their_template_by_index() {
        assert_eq!(template_index("templates[3].body"), Some(3));
        assert_eq!(template_index("templates[12]"), Some(12));
        assert_eq!(template_index("templates"), None);
        assert_eq!(template_index("channel_order"), None);
    }
}
