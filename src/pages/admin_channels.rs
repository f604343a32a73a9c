//! The channels of the messages that leave the system (`/admin/settings/channels`), beside
//! the mail server's page: the SMS gateway (URL, method, headers, body template, content type,
//! success rule; its secret write-only) and the webhook (URL; its signing secret shown once),
//! each with a test message that shows how it went.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::FieldError;
use pingjia_domain::delivery::{
    DeliveryEntry, DeliveryState, GatewayContentType, GatewayHeader, GatewayMethod, PLACEHOLDERS,
    SmsGateway, SmsGatewayInput, SuccessRule, WebhookChannel, WebhookChannelInput, check_phone,
};

use crate::api::deliveries::CHANNEL_NOT_CONFIGURED;
use crate::api::{self, ApiError};
use crate::components::copy_text::CopyText;
use crate::components::data_table::Loaded;
use crate::components::error_panel::error_message;
use crate::components::form::config::{ConfigField, SubmitButton};
use crate::components::form::failure::{AlertFailure, refused};
use crate::components::form::{FieldErrors, SelectField, TextField, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::stored_error;
use crate::locale::tr;

/// Where the channels' settings live.
pub const CHANNELS_PATH: &str = "/admin/settings/channels";

const SMS_FORM: &str = "sms-gateway-form";
const WEBHOOK_FORM: &str = "webhook-form";

/// The page.
#[component]
pub fn ChannelSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let sms = LocalResource::new(api::deliveries::sms_gateway);
    let webhook = LocalResource::new(api::deliveries::webhook);
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), deliveries.channels_title)) />
        <p class="breadcrumb">
            <A href="/admin/settings">{tr(i18n, |l| td_string!(l, reports.back_to_settings))}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, deliveries.channels_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, deliveries.channels_intro))}</p>
        <p>
            <A href="/admin/settings/mail">{tr(i18n, |l| td_string!(l, reports.mail_title))}</A>
            " · "
            <A href="/admin/settings/invitations">{tr(i18n, |l| td_string!(l, invitations.title))}</A>
            " · "
            <A href="/admin/deliveries">{tr(i18n, |l| td_string!(l, deliveries.title))}</A>
            " · "
            <A href="/admin/webhooks">{tr(i18n, |l| td_string!(l, webhooks.title))}</A>
        </p>
        <Loaded resource=sms view=move |initial| view! { <SmsForm initial /> <SmsTest /> } />
        <Loaded resource=webhook view=move |initial| view! { <WebhookForm initial /> } />
    }
}

/// `Name: value` per line, as the headers field shows them.
fn headers_text(headers: &[GatewayHeader]) -> String {
    headers
        .iter()
        .map(|h| format!("{}: {}", h.name, h.value))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The headers of the field's lines (`Name: value`); a line without a colon is a name alone,
/// which the server refuses by its name.
pub fn parse_headers(text: &str) -> Vec<GatewayHeader> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| match line.split_once(':') {
            Some((name, value)) => GatewayHeader {
                name: name.trim().to_owned(),
                value: value.trim().to_owned(),
            },
            None => GatewayHeader {
                name: line.trim().to_owned(),
                value: String::new(),
            },
        })
        .collect()
}

/// The form field an error of the server names (`headers[2].value` → the headers field).
fn slot(error: FieldError) -> FieldError {
    let field = if error.field.starts_with("headers") {
        "headers".to_owned()
    } else {
        error.field.replace('.', "_")
    };
    FieldError { field, ..error }
}

#[derive(Clone, Copy)]
struct SmsFields {
    url: RwSignal<String>,
    method: RwSignal<String>,
    headers: RwSignal<String>,
    body_template: RwSignal<String>,
    content_type: RwSignal<String>,
    json_field: RwSignal<String>,
    json_value: RwSignal<String>,
    body_contains: RwSignal<String>,
    secret: RwSignal<String>,
    remove_secret: RwSignal<bool>,
}

impl SmsFields {
    fn new() -> SmsFields {
        SmsFields {
            url: RwSignal::new(String::new()),
            method: RwSignal::new("post".to_owned()),
            headers: RwSignal::new(String::new()),
            body_template: RwSignal::new(String::new()),
            content_type: RwSignal::new("json".to_owned()),
            json_field: RwSignal::new(String::new()),
            json_value: RwSignal::new(String::new()),
            body_contains: RwSignal::new(String::new()),
            secret: RwSignal::new(String::new()),
            remove_secret: RwSignal::new(false),
        }
    }

    fn reset(self, g: &SmsGateway) {
        self.url.set(g.url.clone());
        self.method.set(g.method.as_str().to_owned());
        self.headers.set(headers_text(&g.headers));
        self.body_template.set(g.body_template.clone());
        self.content_type.set(g.content_type.as_str().to_owned());
        self.json_field
            .set(g.success.json_field.clone().unwrap_or_default());
        self.json_value
            .set(g.success.json_value.clone().unwrap_or_default());
        self.body_contains
            .set(g.success.body_contains.clone().unwrap_or_default());
        self.secret.set(String::new());
        self.remove_secret.set(false);
    }

    fn input(self) -> SmsGatewayInput {
        let opt = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let secret = self.secret.get_untracked();
        SmsGatewayInput {
            url: self.url.get_untracked(),
            method: GatewayMethod::parse(&self.method.get_untracked())
                .unwrap_or(GatewayMethod::Post),
            headers: parse_headers(&self.headers.get_untracked()),
            body_template: self.body_template.get_untracked(),
            content_type: GatewayContentType::parse(&self.content_type.get_untracked())
                .unwrap_or(GatewayContentType::Json),
            success: SuccessRule {
                json_field: opt(self.json_field),
                json_value: opt(self.json_field).map(|_| self.json_value.get_untracked()),
                body_contains: opt(self.body_contains),
            },
            secret: if self.remove_secret.get_untracked() {
                Some(String::new())
            } else {
                (!secret.is_empty()).then_some(secret)
            },
        }
    }
}

/// The SMS gateway's settings.
#[component]
fn SmsForm(initial: SmsGateway) -> impl IntoView {
    let i18n = use_i18n();
    let fields = SmsFields::new();
    fields.reset(&initial);
    let has_secret = RwSignal::new(initial.has_secret);
    let updated = RwSignal::new(initial.updated_at);
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let action = Action::new_local(move |input: &SmsGatewayInput| {
        let input = input.clone();
        async move {
            match api::deliveries::save_sms_gateway(&input).await {
                Ok(stored) => {
                    fields.reset(&stored);
                    has_secret.set(stored.has_secret);
                    updated.set(stored.updated_at);
                    saved.set(true);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found.into_iter().map(slot).collect());
                    focus_first_invalid(SMS_FORM);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        saved.set(false);
        failure.set(None);
        let input = fields.input();
        match input.check() {
            Ok(_) => {
                errors.clear();
                action.dispatch_local(input);
            }
            Err(problems) => {
                errors.set(problems.into_iter().map(slot).collect());
                focus_first_invalid(SMS_FORM);
            }
        }
    };
    let text = |l: fn(Locale) -> &'static str| Signal::derive(move || l(i18n.get_locale()));
    let hint = |l: fn(Locale) -> &'static str| {
        Signal::derive(move || Some(l(i18n.get_locale()).to_owned()))
    };
    let methods = Signal::derive(|| {
        GatewayMethod::ALL
            .map(|m| {
                (
                    m.as_str().to_owned(),
                    m.label(pingjia_domain::Lang::En).to_owned(),
                )
            })
            .to_vec()
    });
    let content_types = Signal::derive(move || {
        let lang = crate::labels::lang(i18n.get_locale());
        GatewayContentType::ALL
            .map(|c| (c.as_str().to_owned(), c.label(lang).to_owned()))
            .to_vec()
    });
    view! {
        <form id=SMS_FORM class="form panel channel-form" novalidate on:submit=on_submit aria-labelledby="sms-title">
            <h2 id="sms-title">{tr(i18n, |l| td_string!(l, deliveries.sms_heading))}</h2>
            <p class="muted">
                {move || match updated.get() {
                    Some(at) => td_string!(i18n.get_locale(), reports.smtp_updated, time = local_time(at)),
                    None => td_string!(i18n.get_locale(), deliveries.not_set_up).to_owned(),
                }}
            </p>
            <p class="field-hint">
                {tr(i18n, |l| td_string!(l, deliveries.placeholders))}
                {PLACEHOLDERS.map(|p| view! { " " <code>{format!("{{{{{p}}}}}")}</code> }).into_iter().collect::<Vec<_>>()}
            </p>
            <ConfigField id="sms-url" label=text(|l| td_string!(l, deliveries.url)) value=fields.url hint=hint(|l| td_string!(l, deliveries.sms_url_hint)) error=errors.of("url") />
            <SelectField id="sms-method" label=text(|l| td_string!(l, deliveries.method)) value=fields.method options=methods error=errors.of("method") />
            <ConfigField id="sms-headers" label=text(|l| td_string!(l, deliveries.headers)) value=fields.headers multiline=true hint=hint(|l| td_string!(l, deliveries.headers_hint)) error=errors.of("headers") />
            <SelectField id="sms-content-type" label=text(|l| td_string!(l, deliveries.content_type)) value=fields.content_type options=content_types error=errors.of("content_type") />
            <ConfigField id="sms-body" label=text(|l| td_string!(l, deliveries.body_template)) value=fields.body_template multiline=true hint=hint(|l| td_string!(l, deliveries.body_hint)) error=errors.of("body_template") />
            <fieldset class="fieldset">
                <legend>{tr(i18n, |l| td_string!(l, deliveries.success_rule))}</legend>
                <p class="field-hint">{tr(i18n, |l| td_string!(l, deliveries.success_hint))}</p>
                <ConfigField id="sms-json-field" label=text(|l| td_string!(l, deliveries.json_field)) value=fields.json_field error=errors.of("success_json_field") />
                <ConfigField id="sms-json-value" label=text(|l| td_string!(l, deliveries.json_value)) value=fields.json_value error=errors.of("success_json_value") />
                <ConfigField id="sms-body-contains" label=text(|l| td_string!(l, deliveries.body_contains)) value=fields.body_contains error=errors.of("success_body_contains") />
            </fieldset>
            <TextField
                id="sms-secret"
                label=text(|l| td_string!(l, deliveries.secret))
                value=fields.secret
                input_type="password"
                autocomplete="new-password"
                optional=true
                hint=Signal::derive(move || Some(if has_secret.get() {
                    td_string!(i18n.get_locale(), deliveries.secret_set).to_owned()
                } else {
                    td_string!(i18n.get_locale(), deliveries.secret_unset).to_owned()
                }))
                error=errors.of("secret")
            />
            {move || has_secret.get().then(|| view! {
                <div class="field">
                    <label class="checkbox" for="sms-remove-secret">
                        <input type="checkbox" id="sms-remove-secret" bind:checked=fields.remove_secret />
                        {tr(i18n, |l| td_string!(l, deliveries.remove_secret))}
                    </label>
                </div>
            })}
            <AlertFailure failure />
            <div role="status">
                {move || saved.get().then(|| view! { <p class="notice notice-success">{tr(i18n, |l| td_string!(l, deliveries.saved))}</p> })}
            </div>
            <SubmitButton pending=action.pending() label={|l| td_string!(l, deliveries.save)} busy={|l| td_string!(l, reports.saving)} />
        </form>
    }
}

/// How a test message went.
#[derive(Debug, Clone, PartialEq)]
enum Tried {
    Done(DeliveryEntry),
    NotConfigured,
    Other(ApiError),
}

fn tried_from(result: Result<DeliveryEntry, ApiError>) -> Tried {
    match result {
        Ok(entry) => Tried::Done(entry),
        Err(error) if error.code() == Some(CHANNEL_NOT_CONFIGURED) => Tried::NotConfigured,
        Err(error) => Tried::Other(error),
    }
}

/// The outcome of a test, in words.
#[component]
fn TriedNotice(id: &'static str, tried: RwSignal<Option<Tried>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="status" aria-live="polite">
            {move || match tried.get() {
                Some(Tried::Done(entry)) if entry.status == DeliveryState::Sent => Some(view! {
                    <p class="notice notice-success" id=id>{tr(i18n, |l| td_string!(l, deliveries.test_sent))}</p>
                }.into_any()),
                Some(Tried::Done(entry)) => Some(view! {
                    <p class="notice notice-error" id=id>
                        {tr(i18n, |l| td_string!(l, deliveries.test_failed))}
                        <br />
                        <span class="report-error">
                            {let error = entry.last_error.unwrap_or_default();
                            move || stored_error(i18n.get_locale(), &error)}
                        </span>
                    </p>
                }.into_any()),
                Some(Tried::NotConfigured) => Some(view! {
                    <p class="notice notice-error" id=id>{tr(i18n, |l| td_string!(l, deliveries.test_not_configured))}</p>
                }.into_any()),
                Some(Tried::Other(error)) => Some(view! {
                    <p class="notice notice-error" id=id>{error_message(i18n, &error)}</p>
                }.into_any()),
                None => None,
            }}
        </div>
    }
}

/// Sends a test SMS to a number.
#[component]
fn SmsTest() -> impl IntoView {
    let i18n = use_i18n();
    let to = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let tried = RwSignal::new(None::<Tried>);
    let action = Action::new_local(move |to: &String| {
        let to = to.clone();
        async move {
            let result = api::deliveries::test_sms(&to).await;
            if let Err(error) = &result
                && errors.take_from(error)
            {
                return;
            }
            tried.set(Some(tried_from(result)));
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        tried.set(None);
        match check_phone(&to.get_untracked()) {
            Ok(number) => {
                errors.clear();
                action.dispatch_local(number);
            }
            Err(code) => {
                errors.set(vec![FieldError::new("to", code, "a phone number")]);
                focus_first_invalid("sms-test-form");
            }
        }
    };
    view! {
        <form id="sms-test-form" class="form panel" novalidate on:submit=on_submit aria-labelledby="sms-test-title">
            <h2 id="sms-test-title">{tr(i18n, |l| td_string!(l, deliveries.sms_test_heading))}</h2>
            <TextField
                id="sms-test-to"
                label=Signal::derive(move || td_string!(i18n.get_locale(), deliveries.phone))
                value=to
                input_type="tel"
                autocomplete="tel"
                required=true
                error=errors.of("to")
            />
            <TriedNotice id="sms-test-result" tried />
            <SubmitButton pending=action.pending() label={|l| td_string!(l, deliveries.test_send)} busy={|l| td_string!(l, reports.test_sending)} />
        </form>
    }
}

/// The webhook's URL, its secret (shown once when made) and its test.
#[component]
fn WebhookForm(initial: WebhookChannel) -> impl IntoView {
    let i18n = use_i18n();
    let url = RwSignal::new(initial.url.clone());
    let rotate = RwSignal::new(false);
    let channel = RwSignal::new(initial);
    let new_secret = RwSignal::new(None::<String>);
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let tried = RwSignal::new(None::<Tried>);
    let save = Action::new_local(move |input: &WebhookChannelInput| {
        let input = input.clone();
        async move {
            match api::deliveries::save_webhook(&input).await {
                Ok(saved) => {
                    url.set(saved.channel.url.clone());
                    channel.set(saved.channel);
                    rotate.set(false);
                    new_secret.set(saved.secret);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(WEBHOOK_FORM);
                }),
            }
        }
    });
    let test = Action::new_local(move |_: &()| async move {
        tried.set(Some(tried_from(api::deliveries::test_webhook().await)));
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        failure.set(None);
        new_secret.set(None);
        let input = WebhookChannelInput {
            url: url.get_untracked(),
            rotate_secret: rotate.get_untracked(),
        };
        match input.check() {
            Ok(input) => {
                errors.clear();
                save.dispatch_local(input);
            }
            Err(problems) => {
                errors.set(problems);
                focus_first_invalid(WEBHOOK_FORM);
            }
        }
    };
    view! {
        <form id=WEBHOOK_FORM class="form panel channel-form" novalidate on:submit=on_submit aria-labelledby="webhook-title">
            <h2 id="webhook-title">{tr(i18n, |l| td_string!(l, deliveries.webhook_heading))}</h2>
            <p class="muted">{tr(i18n, |l| td_string!(l, deliveries.webhook_intro))}</p>
            <ConfigField id="webhook-url" label=Signal::derive(move || td_string!(i18n.get_locale(), deliveries.url)) value=url input_type="url" error=errors.of("url") />
            <p class="muted" id="webhook-secret-state">
                {move || if channel.with(|c| c.has_secret) {
                    td_string!(i18n.get_locale(), deliveries.signing_secret_set)
                } else {
                    td_string!(i18n.get_locale(), deliveries.signing_secret_unset)
                }}
            </p>
            {move || channel.with(|c| c.has_secret).then(|| view! {
                <div class="field">
                    <label class="checkbox" for="webhook-rotate">
                        <input type="checkbox" id="webhook-rotate" bind:checked=rotate />
                        {tr(i18n, |l| td_string!(l, deliveries.rotate_secret))}
                    </label>
                </div>
            })}
            {move || new_secret.get().map(|secret| view! {
                <div class="notice notice-warning" role="status">
                    <p>{tr(i18n, |l| td_string!(l, deliveries.secret_once))}</p>
                    <CopyText text=secret id="webhook-secret" />
                </div>
            })}
            <AlertFailure failure />
            <TriedNotice id="webhook-test-result" tried />
            <div class="form-actions">
                <button type="submit" class="button" aria-disabled=move || save.pending().get().then_some("true")>
                    {move || td_string!(i18n.get_locale(), deliveries.save)}
                </button>
                <button
                    type="button"
                    class="button button-secondary"
                    aria-disabled=move || test.pending().get().then_some("true")
                    on:click=move |_| {
                        if !test.pending().get_untracked() {
                            tried.set(None);
                            test.dispatch_local(());
                        }
                    }
                >
                    {move || if test.pending().get() {
                        td_string!(i18n.get_locale(), reports.test_sending)
                    } else {
                        td_string!(i18n.get_locale(), deliveries.test_webhook)
                    }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn header_lines_read_back_as_headers() {
        let headers =
            parse_headers("Authorization: Basic {{secret}}\n\nX-Id:  {{reference}} \nBroken");
        assert_eq!(
            headers,
            [
                GatewayHeader {
                    name: "Authorization".into(),
                    value: "Basic {{secret}}".into()
                },
                GatewayHeader {
                    name: "X-Id".into(),
                    value: "{{reference}}".into()
                },
                GatewayHeader {
                    name: "Broken".into(),
                    value: String::new()
                },
            ]
        );
        assert_eq!(
            headers_text(&headers[..2]),
            "Authorization: Basic {{secret}}\nX-Id: {{reference}}"
        );
        let error = slot(FieldError::new(
            "headers[1].value",
            "control_character",
            "x",
        ));
        assert_eq!(error.field, "headers");
        assert_eq!(
            slot(FieldError::new("success.json_field", "x", "y")).field,
            "success_json_field"
        );
    }
}
