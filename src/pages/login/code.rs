//! Signing in with a one-time code: the customer's mobile number or e-mail address, "send
//! code", then the 6-digit code (the browser may fill it from the SMS: `one-time-code`), with a
//! resend that counts the minute down and the reasons a code is refused beside the field.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use pingjia_domain::FieldError;
use pingjia_domain::delivery::DeliveryChannel;
use pingjia_domain::sign_in_codes::{
    CODE_CHANNEL_UNAVAILABLE, CODE_EXPIRED, CODE_TOO_MANY_TRIES, CODE_USED, CODE_WRONG,
    CodeRequest, CodeRequested, CodeSignIn, SignInMethods,
};

use crate::api::{self, ApiError};
use crate::components::error_panel::error_message;
use crate::components::form::{TextField, focus_first_invalid};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;
use crate::session::use_session;

/// The id of the code form.
pub const CODE_FORM_ID: &str = "code-form";
/// The id of the code's input.
const CODE_INPUT_ID: &str = "sign-in-code";

/// A field error whose words are `text` (the form's own codes are not the server's, so the
/// field shows the message as it is).
fn said(field: &str, text: String) -> FieldError {
    FieldError::new(field, "sign_in_code", text)
}

/// Whole minutes to wait for `Retry-After` seconds, rounded up, at least one.
fn minutes(secs: u32) -> u32 {
    secs.div_ceil(60).max(1)
}

/// Why a request or a code was refused, in words for the field, when it is about the
/// field; `None` for failures the form shows below (the network, the server).
fn refusal(locale: Locale, error: &ApiError, typed: &str) -> Option<String> {
    if let ApiError::RateLimited { retry_after_secs } = *error {
        return Some(match retry_after_secs {
            Some(secs) => td_string!(
                locale,
                sign_in_code.throttled_minutes,
                minutes = minutes(secs)
            )
            .to_string(),
            None => td_string!(locale, sign_in_code.throttled).to_owned(),
        });
    }
    let text = match error.code() {
        Some(CODE_WRONG) => {
            let tries = error.reference().unwrap_or("?").to_owned();
            return Some(td_string!(locale, sign_in_code.code_wrong, tries = tries).to_string());
        }
        Some(CODE_TOO_MANY_TRIES) => td_string!(locale, sign_in_code.code_too_many_tries),
        Some(CODE_EXPIRED) => td_string!(locale, sign_in_code.code_expired),
        Some(CODE_USED) => td_string!(locale, sign_in_code.code_used),
        Some(CODE_CHANNEL_UNAVAILABLE) if typed.contains('@') => {
            td_string!(locale, sign_in_code.unavailable_email)
        }
        Some(CODE_CHANNEL_UNAVAILABLE) => td_string!(locale, sign_in_code.unavailable_sms),
        _ => match error.problem().and_then(|p| p.errors.first()) {
            Some(e) if e.field == "address" => td_string!(locale, sign_in_code.address_invalid),
            Some(e) if e.field == "code" => td_string!(locale, sign_in_code.code_invalid),
            _ => return None,
        },
    };
    Some(text.to_owned())
}

/// The failure of `action`'s last run, once it is over.
fn failed<I: 'static, T: Clone + Send + Sync + 'static>(
    action: Action<I, Result<T, ApiError>>,
) -> Option<ApiError> {
    match action.value().get() {
        Some(Err(error)) if !action.pending().get() => Some(error),
        _ => None,
    }
}

/// The code form. `methods` says which kinds of address may be used.
#[component]
pub fn CodeForm(methods: SignInMethods) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let address = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let address_left = RwSignal::new(false);
    let code_left = RwSignal::new(false);
    // Where the code went, once one was asked for: the address as typed and the channel.
    let sent_to = RwSignal::new(None::<(String, DeliveryChannel)>);
    // Seconds until another code may be asked for.
    let wait = RwSignal::new(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if wait.get_untracked() > 0 {
                wait.update(|w| *w -= 1);
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }

    let send = Action::new_local(move |typed: &String| {
        let request = CodeRequest {
            address: typed.trim().to_owned(),
        };
        async move { api::auth::request_code(&request).await }
    });
    let verify = Action::new_local(move |request: &CodeSignIn| {
        let request = request.clone();
        async move {
            let me = api::auth::verify_code(&request).await?;
            session.signed_in(me);
            Ok::<(), ApiError>(())
        }
    });
    // A code on its way: ask for it, focused, and count the minute down.
    Effect::new(move || {
        if let Some(Ok(CodeRequested {
            channel,
            resend_after_seconds,
            ..
        })) = send.value().get()
        {
            let typed = address.get_untracked().trim().to_owned();
            sent_to.set(Some((typed, channel)));
            wait.set(resend_after_seconds);
            code.set(String::new());
            code_left.set(false);
            verify.value().set(None);
            request_animation_frame(|| {
                if let Some(input) = document()
                    .get_element_by_id(CODE_INPUT_ID)
                    .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
                {
                    let _ = input.focus();
                }
            });
        }
    });

    let address_empty = move || address.with(|a| a.trim().is_empty());
    let code_digits = move || {
        code.with(|c| {
            c.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect::<String>()
        })
    };
    let code_shaped = move || {
        let digits = code_digits();
        digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let address_error = Signal::derive(move || {
        let locale = i18n.get_locale();
        if address_left.get() && address_empty() {
            return Some(said(
                "address",
                td_string!(locale, sign_in_code.address_missing).to_owned(),
            ));
        }
        let error = failed(send)?;
        refusal(locale, &error, &address.get_untracked()).map(|text| said("address", text))
    });
    let code_error = Signal::derive(move || {
        let locale = i18n.get_locale();
        if code_left.get() && code.with(|c| c.trim().is_empty()) {
            return Some(said(
                "code",
                td_string!(locale, sign_in_code.code_missing).to_owned(),
            ));
        }
        if code_left.get() && !code_shaped() {
            return Some(said(
                "code",
                td_string!(locale, sign_in_code.code_invalid).to_owned(),
            ));
        }
        let error = failed(verify)?;
        refusal(locale, &error, "").map(|text| said("code", text))
    });
    // Failures that are not about a field: said below the form.
    let other_failure = move || {
        let address = address.get_untracked();
        [failed(send), failed(verify)]
            .into_iter()
            .flatten()
            .find(|e| refusal(i18n.get_locale(), e, &address).is_none())
    };

    let ask = move || {
        if send.pending().get_untracked()
            || wait.get_untracked() > 0 && sent_to.with_untracked(Option::is_some)
        {
            return;
        }
        address_left.set(true);
        if address_empty() {
            focus_first_invalid(CODE_FORM_ID);
            return;
        }
        verify.value().set(None);
        send.dispatch_local(address.get_untracked());
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sent_to.with_untracked(Option::is_none) {
            ask();
            return;
        }
        if verify.pending().get_untracked() {
            return;
        }
        code_left.set(true);
        if !code_shaped() {
            focus_first_invalid(CODE_FORM_ID);
            return;
        }
        let Some((to, _)) = sent_to.get_untracked() else {
            return;
        };
        verify.dispatch_local(CodeSignIn {
            address: to,
            code: code_digits(),
        });
    };
    let change_address = move |_| {
        sent_to.set(None);
        send.value().set(None);
        verify.value().set(None);
        code.set(String::new());
        request_animation_frame(|| {
            if let Some(input) = document()
                .get_element_by_id("code-address")
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = input.focus();
            }
        });
    };

    let address_label = move || address_label_for(i18n.get_locale(), methods);
    let address_hint = move || {
        let locale = i18n.get_locale();
        Some(
            match (methods.code_sms, methods.code_email) {
                (true, false) => td_string!(locale, sign_in_code.address_hint_phone),
                (false, true) => td_string!(locale, sign_in_code.address_hint_email),
                _ => td_string!(locale, sign_in_code.address_hint_both),
            }
            .to_owned(),
        )
    };
    let address_inputmode = match (methods.code_sms, methods.code_email) {
        (true, false) => "tel",
        (false, true) => "email",
        _ => "text",
    };

    view! {
        <form id=CODE_FORM_ID class="form login-form code-form" novalidate on:submit=on_submit>
            <h2>{tr(i18n, |l| td_string!(l, sign_in_code.heading))}</h2>
            <p class="field-hint">{tr(i18n, |l| td_string!(l, sign_in_code.intro))}</p>
            {move || match sent_to.get() {
                None => {
                    Either::Left(
                        view! {
                            <TextField
                                id="code-address"
                                label=Signal::derive(address_label)
                                hint=Signal::derive(address_hint)
                                value=address
                                autocomplete="username"
                                inputmode=address_inputmode
                                required=true
                                error=address_error
                                on_blur=Callback::new(move |()| address_left.set(true))
                            />
                            <div class="form-actions">
                                <button
                                    type="submit"
                                    class="button"
                                    aria-disabled=move || {
                                        (send.pending().get() || address_empty()).then_some("true")
                                    }
                                >
                                    {move || {
                                        if send.pending().get() {
                                            Either::Left(tr(i18n, |l| td_string!(l, sign_in_code.sending)))
                                        } else {
                                            Either::Right(tr(i18n, |l| td_string!(l, sign_in_code.send)))
                                        }
                                    }}
                                </button>
                            </div>
                        },
                    )
                }
                Some((to, channel)) => {
                    Either::Right(
                        view! {
                            <p class="notice" role="status">
                                {move || sent_notice(i18n, &to, channel)}
                            </p>
                            <TextField
                                id=CODE_INPUT_ID
                                label=Signal::derive(move || {
                                    td_string!(i18n.get_locale(), sign_in_code.code)
                                })
                                value=code
                                autocomplete="one-time-code"
                                inputmode="numeric"
                                required=true
                                error=code_error
                                on_blur=Callback::new(move |()| code_left.set(true))
                            />
                            <div class="form-actions code-actions">
                                <button
                                    type="submit"
                                    class="button"
                                    aria-disabled=move || {
                                        (verify.pending().get() || !code_shaped()).then_some("true")
                                    }
                                >
                                    {move || {
                                        if verify.pending().get() {
                                            Either::Left(tr(i18n, |l| td_string!(l, sign_in_code.submitting)))
                                        } else {
                                            Either::Right(tr(i18n, |l| td_string!(l, sign_in_code.submit)))
                                        }
                                    }}
                                </button>
                                <button
                                    type="button"
                                    class="button button-secondary"
                                    aria-disabled=move || {
                                        (wait.get() > 0 || send.pending().get()).then_some("true")
                                    }
                                    on:click=move |_| {
                                        if wait.get_untracked() == 0 {
                                            ask();
                                        }
                                    }
                                >
                                    {move || {
                                        let seconds = wait.get();
                                        let locale = i18n.get_locale();
                                        if seconds > 0 {
                                            td_string!(locale, sign_in_code.resend_in, seconds = seconds)
                                                .to_string()
                                        } else {
                                            td_string!(locale, sign_in_code.resend).to_owned()
                                        }
                                    }}
                                </button>
                                <button type="button" class="button-link" on:click=change_address>
                                    {tr(i18n, |l| td_string!(l, sign_in_code.change_address))}
                                </button>
                            </div>
                        },
                    )
                }
            }}
            {move || {
                other_failure()
                    .map(|error| {
                        view! {
                            <div class="notice notice-error form-error" role="alert">
                                <p>{error_message(i18n, &error)}</p>
                            </div>
                        }
                    })
            }}
        </form>
    }
}

/// "A code is on its way to …" for the channel it went by.
fn sent_notice(i18n: I18nContext<Locale>, to: &str, channel: DeliveryChannel) -> String {
    let locale = i18n.get_locale();
    let to = to.to_owned();
    match channel {
        DeliveryChannel::Email => {
            td_string!(locale, sign_in_code.sent_email, address = to).to_string()
        }
        _ => td_string!(locale, sign_in_code.sent_sms, address = to).to_string(),
    }
}

/// The address field's label: the kinds of address `methods` take.
fn address_label_for(locale: Locale, methods: SignInMethods) -> &'static str {
    match (methods.code_sms, methods.code_email) {
        (true, false) => td_string!(locale, sign_in_code.address_phone),
        (false, true) => td_string!(locale, sign_in_code.address_email),
        _ => td_string!(locale, sign_in_code.address_both),
    }
}
