//! The signed-in user's own account: changing their password.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::auth::{ChangePasswordRequest, check_password_shape};

use crate::api::{self, ApiError};
use crate::components::error_panel::error_message;
use crate::components::form::{FieldErrors, TextField, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::session::use_session;

const FORM_ID: &str = "password-form";

/// Change one's own password: the current one, the new one twice.
#[component]
pub fn ChangePassword() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    // The outcome of the last attempt, shown until the next one starts.
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let action = Action::new_local(move |request: &ChangePasswordRequest| {
        let request = request.clone();
        async move {
            let result = api::auth::change_password(&request).await;
            match &result {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    confirm.set(String::new());
                    errors.clear();
                }
                Err(error) => {
                    if errors.take_from(error) {
                        focus_first_invalid(FORM_ID);
                    }
                }
            }
            outcome.set(Some(result));
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        outcome.set(None);
        let me = session.me();
        let logins: Vec<String> = me
            .iter()
            .flat_map(|me| [me.employee_no.clone(), me.customer_no.clone()])
            .flatten()
            .collect();
        let logins: Vec<&str> = logins.iter().map(String::as_str).collect();
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        let found = check(&request, &confirm.get_untracked(), &logins);
        if found.is_empty() {
            errors.clear();
            action.dispatch_local(request);
        } else {
            errors.set(found);
            focus_first_invalid(FORM_ID);
        }
    };

    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, password.title)) />
        <section class="narrow" aria-labelledby="password-title">
            <h1 id="password-title">{t!(i18n, password.title)}</h1>
            <p class="lead">{t!(i18n, password.intro)}</p>
            <form id=FORM_ID class="form" novalidate on:submit=on_submit>
                <TextField
                    id="current_password"
                    label=Signal::derive(move || t_string!(i18n, password.current))
                    value=current
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    error=errors.of("current_password")
                />
                <TextField
                    id="new_password"
                    label=Signal::derive(move || t_string!(i18n, password.new))
                    hint=Signal::derive(move || Some(t_string!(i18n, password.policy).to_owned()))
                    value=new
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    error=errors.of("new_password")
                />
                <TextField
                    id="confirm_password"
                    label=Signal::derive(move || t_string!(i18n, password.confirm))
                    value=confirm
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    error=errors.of("confirm_password")
                />
                {move || {
                    outcome
                        .get()
                        .map(|result| match result {
                            Ok(()) => {
                                Either::Left(
                                    view! {
                                        <div class="notice notice-success" role="status">
                                            <p>{t!(i18n, password.changed)}</p>
                                        </div>
                                    },
                                )
                            }
                            Err(error) => {
                                Either::Right(
                                    (error.problem().is_none_or(|p| p.errors.is_empty()))
                                        .then(|| {
                                            view! {
                                                <div
                                                    class="notice notice-error form-error"
                                                    role="alert"
                                                >
                                                    <p>{error_message(i18n, &error)}</p>
                                                </div>
                                            }
                                        }),
                                )
                            }
                        })
                }}
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button"
                        aria-disabled=move || action.pending().get().then_some("true")
                    >
                        {t!(i18n, password.submit)}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// What can be told before asking the server: every field filled in, the new password's
/// shape, and the confirmation matching it.
fn check(request: &ChangePasswordRequest, confirm: &str, logins: &[&str]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let required = |field: &str| FieldError::new(field, "required", "enter a password");
    if request.current_password.is_empty() {
        errors.push(required("current_password"));
    }
    if request.new_password.is_empty() {
        errors.push(required("new_password"));
    } else if let Err(problem) = check_password_shape(&request.new_password, logins) {
        errors.push(FieldError::new(
            "new_password",
            problem.code(),
            problem.message(),
        ));
    }
    if confirm.is_empty() {
        errors.push(required("confirm_password"));
    } else if confirm != request.new_password {
        errors.push(FieldError::new(
            "confirm_password",
            "mismatch",
            "the passwords differ",
        ));
    }
    errors
}
