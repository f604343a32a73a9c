//! The mail server's settings (`/admin/settings/mail`): host, port, security, sign-in, sender
//! and the address links in mails start with; the password is write-only (the form starts
//! empty and says whether one is set). A test mail shows the mail server's reply, or its error.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::FieldError;
use pingjia_domain::reports::{SmtpSecurity, SmtpSettings, SmtpSettingsInput, TestMail};

use crate::api::reports::{SMTP_FAILED, SMTP_NOT_CONFIGURED};
use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::error_panel::error_message;
use crate::components::form::config::{ConfigField, SubmitButton};
use crate::components::form::failure::{AlertFailure, refused};
use crate::components::form::{FieldErrors, SelectField, TextField, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;

const FORM_ID: &str = "smtp-form";

fn security_value(security: SmtpSecurity) -> &'static str {
    match security {
        SmtpSecurity::None => "none",
        SmtpSecurity::StartTls => "start_tls",
        SmtpSecurity::Tls => "tls",
    }
}

fn security_from(value: &str) -> SmtpSecurity {
    match value {
        "none" => SmtpSecurity::None,
        "tls" => SmtpSecurity::Tls,
        _ => SmtpSecurity::StartTls,
    }
}

fn security_name(locale: Locale, security: SmtpSecurity) -> &'static str {
    match security {
        SmtpSecurity::None => td_string!(locale, reports.security_none),
        SmtpSecurity::StartTls => td_string!(locale, reports.security_starttls),
        SmtpSecurity::Tls => td_string!(locale, reports.security_tls),
    }
}

/// The mail settings page.
#[component]
pub fn MailSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(api::reports::smtp_settings);
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), reports.mail_title)) />
        <p class="breadcrumb">
            <A href="/admin/settings">{tr(i18n, |l| td_string!(l, reports.back_to_settings))}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, reports.mail_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, reports.mail_intro))}</p>
        <Loaded
            resource=settings
            view=move |initial| view! {
                        <SmtpForm initial />
                        <TestMailForm />
                    }
        />
    }
}

/// The form's fields.
#[derive(Clone, Copy)]
struct Fields {
    host: RwSignal<String>,
    port: RwSignal<String>,
    security: RwSignal<String>,
    username: RwSignal<String>,
    password: RwSignal<String>,
    remove_password: RwSignal<bool>,
    from_address: RwSignal<String>,
    from_name: RwSignal<String>,
    link_base: RwSignal<String>,
}

impl Fields {
    fn new(settings: &SmtpSettings) -> Fields {
        Fields {
            host: RwSignal::new(settings.host.clone()),
            port: RwSignal::new(settings.port.to_string()),
            security: RwSignal::new(security_value(settings.security).to_owned()),
            username: RwSignal::new(settings.username.clone().unwrap_or_default()),
            password: RwSignal::new(String::new()),
            remove_password: RwSignal::new(false),
            from_address: RwSignal::new(settings.from_address.clone()),
            from_name: RwSignal::new(settings.from_name.clone()),
            link_base: RwSignal::new(settings.link_base.clone()),
        }
    }

    /// Shows the settings as saved; the password field empties again.
    fn reset(self, settings: &SmtpSettings) {
        self.host.set(settings.host.clone());
        self.port.set(settings.port.to_string());
        self.security
            .set(security_value(settings.security).to_owned());
        self.username
            .set(settings.username.clone().unwrap_or_default());
        self.password.set(String::new());
        self.remove_password.set(false);
        self.from_address.set(settings.from_address.clone());
        self.from_name.set(settings.from_name.clone());
        self.link_base.set(settings.link_base.clone());
    }

    /// The input to send, or the port's problem. An empty password field keeps the stored
    /// password (no `password` sent); "remove" sends "".
    fn input(self) -> Result<SmtpSettingsInput, Vec<FieldError>> {
        let port = self
            .port
            .get_untracked()
            .trim()
            .parse::<u16>()
            .map_err(|_| vec![FieldError::new("port", "not_a_number", "a whole number")])?;
        let password = self.password.get_untracked();
        let password = if self.remove_password.get_untracked() {
            Some(String::new())
        } else if password.is_empty() {
            None
        } else {
            Some(password)
        };
        let username = self.username.get_untracked();
        Ok(SmtpSettingsInput {
            host: self.host.get_untracked(),
            port,
            security: security_from(&self.security.get_untracked()),
            username: (!username.trim().is_empty()).then_some(username),
            password,
            from_address: self.from_address.get_untracked(),
            from_name: self.from_name.get_untracked(),
            link_base: self.link_base.get_untracked(),
        })
    }
}

/// The mail server's settings, saved at once.
#[component]
pub fn SmtpForm(
    /// The settings as loaded.
    initial: SmtpSettings,
) -> impl IntoView {
    let i18n = use_i18n();
    let fields = Fields::new(&initial);
    let password_set = RwSignal::new(initial.password_set);
    let updated = RwSignal::new(initial.updated_at);
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let action = Action::new_local(move |input: &SmtpSettingsInput| {
        let input = input.clone();
        async move {
            match api::reports::save_smtp_settings(&input).await {
                Ok(stored) => {
                    fields.reset(&stored);
                    password_set.set(stored.password_set);
                    updated.set(stored.updated_at);
                    saved.set(true);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
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
        match fields
            .input()
            .and_then(|input| input.check().map(|_| input))
        {
            Ok(input) => {
                errors.clear();
                action.dispatch_local(input);
            }
            Err(problems) => {
                errors.set(problems);
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let security_options = Signal::derive(move || {
        let locale = i18n.get_locale();
        [
            SmtpSecurity::None,
            SmtpSecurity::StartTls,
            SmtpSecurity::Tls,
        ]
        .into_iter()
        .map(|s| {
            (
                security_value(s).to_owned(),
                security_name(locale, s).to_owned(),
            )
        })
        .collect::<Vec<_>>()
    });
    let password_hint = Signal::derive(move || {
        let locale = i18n.get_locale();
        Some(if password_set.get() {
            td_string!(locale, reports.password_set_hint).to_owned()
        } else {
            td_string!(locale, reports.password_unset_hint).to_owned()
        })
    });
    let text = |l: fn(Locale) -> &'static str| Signal::derive(move || l(i18n.get_locale()));
    let hint = |l: fn(Locale) -> &'static str| {
        Signal::derive(move || Some(l(i18n.get_locale()).to_owned()))
    };
    view! {
        <form id=FORM_ID class="form panel smtp-form" novalidate on:submit=on_submit aria-labelledby="smtp-form-title">
            <h2 id="smtp-form-title">{tr(i18n, |l| td_string!(l, reports.smtp_heading))}</h2>
            <p class="muted" id="smtp-updated">
                {move || match updated.get() {
                    Some(at) => td_string!(i18n.get_locale(), reports.smtp_updated, time = local_time(at)),
                    None => td_string!(i18n.get_locale(), reports.smtp_never).to_owned(),
                }}
            </p>
            <ConfigField id="host" label=text(|l| td_string!(l, reports.smtp_host)) value=fields.host hint=hint(|l| td_string!(l, reports.smtp_host_hint)) error=errors.of("host") />
            <ConfigField id="port" label=text(|l| td_string!(l, reports.smtp_port)) value=fields.port input_type="number" error=errors.of("port") />
            <SelectField id="security" label=text(|l| td_string!(l, reports.smtp_security)) value=fields.security options=security_options error=errors.of("security") />
            <ConfigField id="username" label=text(|l| td_string!(l, reports.smtp_username)) value=fields.username hint=hint(|l| td_string!(l, reports.smtp_username_hint)) error=errors.of("username") />
            <TextField
                id="password"
                label=text(|l| td_string!(l, reports.smtp_password))
                value=fields.password
                input_type="password"
                autocomplete="new-password"
                optional=true
                hint=password_hint
                error=errors.of("password")
            />
            <p class="smtp-password-state" id="smtp-password-state">
                {move || if password_set.get() {
                    td_string!(i18n.get_locale(), reports.password_set)
                } else {
                    td_string!(i18n.get_locale(), reports.password_unset)
                }}
            </p>
            {move || password_set.get().then(|| view! {
                <div class="field">
                    <label class="checkbox" for="smtp-remove-password">
                        <input type="checkbox" id="smtp-remove-password" bind:checked=fields.remove_password />
                        {tr(i18n, |l| td_string!(l, reports.remove_password))}
                    </label>
                </div>
            })}
            <ConfigField id="from_address" label=text(|l| td_string!(l, reports.smtp_from_address)) value=fields.from_address input_type="email" error=errors.of("from_address") />
            <ConfigField id="from_name" label=text(|l| td_string!(l, reports.smtp_from_name)) value=fields.from_name error=errors.of("from_name") />
            <ConfigField id="link_base" label=text(|l| td_string!(l, reports.smtp_link_base)) value=fields.link_base input_type="url" hint=hint(|l| td_string!(l, reports.smtp_link_base_hint)) error=errors.of("link_base") />
            <AlertFailure failure />
            <div role="status">
                {move || saved.get().then(|| view! { <p class="notice notice-success">{tr(i18n, |l| td_string!(l, reports.smtp_saved))}</p> })}
            </div>
            <SubmitButton pending=action.pending() label={|l| td_string!(l, reports.smtp_save)} busy={|l| td_string!(l, reports.saving)} />
        </form>
    }
}

/// What a test mail came to.
#[derive(Debug, Clone, PartialEq)]
enum TestOutcome {
    Sent { to: String, reply: String },
    NotConfigured,
    Failed(String),
    Other(ApiError),
}

/// Sends a test mail to an address and shows the mail server's reply or error.
#[component]
pub fn TestMailForm() -> impl IntoView {
    let i18n = use_i18n();
    let to = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let outcome = RwSignal::new(None::<TestOutcome>);
    let action = Action::new_local(move |mail: &TestMail| {
        let mail = mail.clone();
        async move {
            let result = match api::reports::send_test_mail(&mail).await {
                Ok(sent) => TestOutcome::Sent {
                    to: sent.to,
                    reply: sent.reply,
                },
                Err(error) if errors.take_from(&error) => return,
                Err(error) => match error.code() {
                    Some(SMTP_NOT_CONFIGURED) => TestOutcome::NotConfigured,
                    Some(SMTP_FAILED) => TestOutcome::Failed(
                        error
                            .problem()
                            .and_then(|p| p.detail.clone())
                            .unwrap_or_default(),
                    ),
                    _ => TestOutcome::Other(error),
                },
            };
            outcome.set(Some(result));
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        outcome.set(None);
        let address = to.get_untracked().trim().to_owned();
        match pingjia_domain::reports::check_address(&address) {
            Ok(address) => {
                errors.clear();
                action.dispatch_local(TestMail { to: address });
            }
            Err(code) => {
                errors.set(vec![FieldError::new("to", code, "an e-mail address")]);
                focus_first_invalid("smtp-test-form");
            }
        }
    };
    view! {
        <form id="smtp-test-form" class="form panel" novalidate on:submit=on_submit aria-labelledby="smtp-test-title">
            <h2 id="smtp-test-title">{tr(i18n, |l| td_string!(l, reports.test_heading))}</h2>
            <p class="muted">{tr(i18n, |l| td_string!(l, reports.test_intro))}</p>
            <TextField
                id="smtp-test-to"
                label=Signal::derive(move || td_string!(i18n.get_locale(), reports.test_to))
                value=to
                input_type="email"
                autocomplete="email"
                required=true
                error=errors.of("to")
            />
            <div role="status">
                {move || match outcome.get() {
                    Some(TestOutcome::Sent { to, reply }) => Some(view! {
                        <p class="notice notice-success" id="smtp-test-result">
                            {td_string!(i18n.get_locale(), reports.test_sent, to = &to)}
                            <br />
                            <span class="report-error">{td_string!(i18n.get_locale(), reports.test_reply, reply = &reply)}</span>
                        </p>
                    }),
                    _ => None,
                }}
            </div>
            <div role="alert">
                {move || match outcome.get() {
                    Some(TestOutcome::NotConfigured) => Some(view! {
                        <p class="notice notice-error" id="smtp-test-result">{tr(i18n, |l| td_string!(l, reports.test_not_configured))}</p>
                    }.into_any()),
                    Some(TestOutcome::Failed(detail)) => Some(view! {
                        <p class="notice notice-error" id="smtp-test-result">
                            {tr(i18n, |l| td_string!(l, reports.test_failed))}
                            <br />
                            <span class="report-error">{detail}</span>
                        </p>
                    }.into_any()),
                    Some(TestOutcome::Other(error)) => Some(view! {
                        <p class="notice notice-error" id="smtp-test-result">{error_message(i18n, &error)}</p>
                    }.into_any()),
                    _ => None,
                }}
            </div>
            <SubmitButton pending=action.pending() label={|l| td_string!(l, reports.test_send)} busy={|l| td_string!(l, reports.test_sending)} />
        </form>
    }
}
