//! Why a form's request failed, when its fields do not say.

use leptos::prelude::*;

use pingjia_domain::FieldError;

use crate::api::ApiError;
use crate::components::error_panel::error_message;
use crate::i18n::{Locale, use_i18n};

/// Words for the request errors a form knows (a conflict, a record already handled); the
/// others get the general message.
pub type Explain = fn(Locale, &ApiError) -> Option<&'static str>;

/// Why a form's request failed, when its fields do not say: an error notice that is itself
/// the alert, or with `region` stands in an alert region that stays in the page.
#[component]
pub fn FormFailure(
    /// The last failure, if any.
    #[prop(into)]
    failure: Signal<Option<ApiError>>,
    /// Words for the errors the form knows.
    #[prop(optional)]
    explain: Option<Explain>,
    /// Whether the notice stands in an alert region that stays in the page.
    #[prop(optional)]
    region: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let notice = move || {
        failure.get().map(|error| {
            let text = match explain.and_then(|explain| explain(i18n.get_locale(), &error)) {
                Some(text) => text.into_any(),
                None => error_message(i18n, &error),
            };
            view! {
                <div class="notice notice-error form-error" role=(!region).then_some("alert")>
                    <p>{text}</p>
                </div>
            }
        })
    };
    if region {
        view! { <div role="alert">{notice}</div> }.into_any()
    } else {
        notice.into_any()
    }
}

/// Why a request failed, as a line in an alert region that stays in the page.
#[component]
pub fn AlertFailure(
    /// The last failure, if any.
    #[prop(into)]
    failure: Signal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert">
            {move || {
                failure
                    .get()
                    .map(|error| {
                        view! { <p class="notice notice-error">{error_message(i18n, &error)}</p> }
                    })
            }}
        </div>
    }
}

/// A form's request was refused: the errors of its fields go to `fields` (which shows them
/// and moves the focus to the first); any other failure is kept in `failure` for the notice.
pub fn refused(
    error: ApiError,
    failure: RwSignal<Option<ApiError>>,
    fields: impl FnOnce(Vec<FieldError>),
) {
    match error.problem().filter(|p| !p.errors.is_empty()) {
        Some(problem) => fields(problem.errors.clone()),
        None => failure.set(Some(error)),
    }
}
