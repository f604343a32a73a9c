//! The sign-in page: one form for customers (phone or member number) and staff (employee
//! number), and the way back to where the user was going. When a channel for one-time codes
//! is set up (`GET /auth/methods`), the page opens on signing in with a code (`code`), with a
//! way to the password form, which stays.

mod code;

use crate::locale::tr;
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use pingjia_domain::FieldError;
use pingjia_domain::auth::{LoginKind, LoginRequest};

use crate::api::{self, ApiError};
use crate::components::error_panel::error_message;
use crate::components::form::{RadioGroup, TextField, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::session::{SessionState, SignedOut, after_login, use_session};
use code::CodeForm;
use pingjia_domain::sign_in_codes::SignInMethods;

/// The id of the sign-in form.
pub const LOGIN_FORM_ID: &str = "login-form";

/// The sign-in page. A signed-in user (now or already) goes on to `?next=` when it is a path
/// of this site, else to their home.
#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(me) = session.me() {
            let next = query.with_untracked(|q| q.get("next"));
            let options = NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            };
            navigate(&after_login(next.as_deref(), me.role), options);
        }
    });
    let notice = move || match session.state() {
        SessionState::SignedOut(SignedOut::Expired) => Some(t_string!(i18n, login.session_expired)),
        SessionState::SignedOut(SignedOut::Left) => Some(t_string!(i18n, login.signed_out)),
        _ => None,
    };
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, login.title)) />
        <section class="login" aria-labelledby="login-title">
            <h1 id="login-title">{tr(i18n, |l| td_string!(l, login.title))}</h1>
            <p class="lead">{tr(i18n, |l| td_string!(l, login.intro))}</p>
            {move || notice().map(|text| view! { <p class="notice" role="status">{text}</p> })}
            <SignInForms />
        </section>
    }
}

/// How the page signs people in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Code,
    Password,
}

/// The code form when codes can be sent (the default then), else the password form; each
/// with a way to the other when both are offered. Nothing until the methods are known, so
/// that the page does not switch under the user's hands.
#[component]
fn SignInForms() -> impl IntoView {
    let i18n = use_i18n();
    let methods = LocalResource::new(api::auth::methods);
    let chosen = RwSignal::new(None::<Mode>);
    move || {
        let offered: Option<SignInMethods> = methods.get()?.ok().filter(SignInMethods::code);
        let default = if offered.is_some() {
            Mode::Code
        } else {
            Mode::Password
        };
        Some(match (chosen.get().unwrap_or(default), offered) {
            (Mode::Code, Some(methods)) => Either::Left(view! {
                <CodeForm methods />
                <p class="login-switch">
                    <button
                        type="button"
                        class="button-link"
                        on:click=move |_| chosen.set(Some(Mode::Password))
                    >
                        {tr(i18n, |l| td_string!(l, sign_in_code.use_password))}
                    </button>
                </p>
            }),
            (_, offered) => Either::Right(view! {
                <LoginForm />
                {offered.map(|_| view! {
                    <p class="login-switch">
                        <button
                            type="button"
                            class="button-link"
                            on:click=move |_| chosen.set(Some(Mode::Code))
                        >
                            {tr(i18n, |l| td_string!(l, sign_in_code.use_code))}
                        </button>
                    </p>
                })}
            }),
        })
    }
}

/// The sign-in form: who is signing in (customer or staff), the login whose label follows
/// that choice, the password, and why a sign-in failed. A success is recorded in the session.
#[component]
pub fn LoginForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let kind = RwSignal::new(kind_value(LoginKind::Customer).to_owned());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login_left = RwSignal::new(false);
    let password_left = RwSignal::new(false);
    let action = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        async move {
            let me = api::auth::login(&request).await?;
            session.signed_in(me);
            Ok::<(), ApiError>(())
        }
    });

    let login_kind = Memo::new(move |_| kind.with(|k| parse_kind(k)));
    let login_empty = move || login.with(|l| l.trim().is_empty());
    let password_empty = move || password.with(String::is_empty);
    let blocked = move || action.pending().get() || login_empty() || password_empty();
    let login_error = Signal::derive(move || {
        (login_left.get() && login_empty()).then(|| {
            let field = match login_kind.get() {
                LoginKind::Customer => "customer_login",
                LoginKind::Staff => "staff_login",
            };
            FieldError::new(field, "required", "enter your login")
        })
    });
    let password_error = Signal::derive(move || {
        (password_left.get() && password_empty())
            .then(|| FieldError::new("password", "required", "enter your password"))
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        login_left.set(true);
        password_left.set(true);
        if login_empty() || password_empty() {
            focus_first_invalid(LOGIN_FORM_ID);
            return;
        }
        action.dispatch_local(LoginRequest {
            kind: login_kind.get_untracked(),
            login: login.get_untracked(),
            password: password.get_untracked(),
        });
    };
    let failure = move || match action.value().get() {
        Some(Err(error)) if !action.pending().get() => Some(error),
        _ => None,
    };

    view! {
        <form id=LOGIN_FORM_ID class="form login-form" novalidate on:submit=on_submit>
            <RadioGroup
                name="login-kind"
                legend=Signal::derive(move || t_string!(i18n, login.kind_legend))
                value=kind
                options=Signal::derive(move || {
                    vec![
                        (kind_value(LoginKind::Customer), t_string!(i18n, login.kind_customer)),
                        (kind_value(LoginKind::Staff), t_string!(i18n, login.kind_staff)),
                    ]
                })
            />
            <TextField
                id="login"
                label=Signal::derive(move || match login_kind.get() {
                    LoginKind::Customer => t_string!(i18n, login.customer_login),
                    LoginKind::Staff => t_string!(i18n, login.staff_login),
                })
                hint=Signal::derive(move || {
                    Some(
                        match login_kind.get() {
                            LoginKind::Customer => t_string!(i18n, login.customer_login_hint),
                            LoginKind::Staff => t_string!(i18n, login.staff_login_hint),
                        }
                            .to_owned(),
                    )
                })
                value=login
                autocomplete="username"
                required=true
                error=login_error
                on_blur=Callback::new(move |()| login_left.set(true))
            />
            <TextField
                id="password"
                label=Signal::derive(move || t_string!(i18n, login.password))
                value=password
                input_type="password"
                autocomplete="current-password"
                required=true
                error=password_error
                on_blur=Callback::new(move |()| password_left.set(true))
            />
            {move || {
                failure()
                    .map(|error| {
                        view! {
                            <div class="notice notice-error form-error" role="alert">
                                <p>{login_failure(i18n, &error)}</p>
                            </div>
                        }
                    })
            }}
            <div class="form-actions">
                <button
                    type="submit"
                    class="button"
                    aria-disabled=move || blocked().then_some("true")
                >
                    {move || {
                        if action.pending().get() {
                            Either::Left(tr(i18n, |l| td_string!(l, login.submitting)))
                        } else {
                            Either::Right(tr(i18n, |l| td_string!(l, login.submit)))
                        }
                    }}
                </button>
            </div>
        </form>
    }
}

/// The radio value of a login kind.
fn kind_value(kind: LoginKind) -> &'static str {
    match kind {
        LoginKind::Customer => "customer",
        LoginKind::Staff => "staff",
    }
}

/// The login kind of a radio value; customers unless staff was chosen.
fn parse_kind(value: &str) -> LoginKind {
    if value == kind_value(LoginKind::Staff) {
        LoginKind::Staff
    } else {
        LoginKind::Customer
    }
}

/// Why a sign-in failed, in words.
fn login_failure(i18n: I18nContext<Locale>, error: &ApiError) -> AnyView {
    match *error {
        ApiError::Unauthorized => tr(i18n, |l| td_string!(l, login.wrong_credentials)).into_any(),
        ApiError::RateLimited {
            retry_after_secs: Some(secs),
        } => {
            let minutes = retry_minutes(secs);
            t!(i18n, login.throttled_minutes, minutes).into_any()
        }
        ApiError::RateLimited {
            retry_after_secs: None,
        } => tr(i18n, |l| td_string!(l, login.throttled)).into_any(),
        _ => error_message(i18n, error),
    }
}

/// Whole minutes to wait for `Retry-After` seconds, rounded up, at least one.
pub fn retry_minutes(secs: u32) -> u32 {
    secs.div_ceil(60).max(1)
}
