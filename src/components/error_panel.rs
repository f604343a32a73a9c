//! A failed request, explained in the user's language, with a way to try again when trying
//! again can help.

use crate::locale::tr;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api::ApiError;
use crate::i18n::{Locale, t, td_string, use_i18n};

/// Shows why data could not be loaded and a button to load it again.
#[component]
pub fn ErrorPanel(
    /// What went wrong.
    error: ApiError,
    /// Called when the user asks to try again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Asking again gets the same answer when the server refused: no button that cannot help.
    let retry = worth_retrying(&error).then(|| {
        view! {
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                {tr(i18n, |l| td_string!(l, status.retry))}
            </button>
        }
    });
    view! {
        <div class="notice notice-error" role="alert">
            <p class="notice-title">{tr(i18n, |l| td_string!(l, errors.heading))}</p>
            <p>{error_message(i18n, &error)}</p>
            {retry}
        </div>
    }
}

/// Whether the same request may succeed later: not when the server refused it for who asks or
/// what they asked (forbidden, not found, invalid, in conflict, signed out).
pub fn worth_retrying(error: &ApiError) -> bool {
    !matches!(
        error,
        ApiError::Forbidden
            | ApiError::NotFound
            | ApiError::Unauthorized
            | ApiError::Validation(_)
            | ApiError::Conflict(_)
    )
}

/// The user-facing explanation of an error, in the active locale.
pub fn error_message(i18n: I18nContext<Locale>, error: &ApiError) -> AnyView {
    match *error {
        ApiError::Network(_) | ApiError::Request(_) => {
            tr(i18n, |l| td_string!(l, errors.network)).into_any()
        }
        ApiError::Unauthorized => tr(i18n, |l| td_string!(l, errors.unauthorized)).into_any(),
        ApiError::Forbidden => tr(i18n, |l| td_string!(l, errors.forbidden)).into_any(),
        ApiError::NotFound => tr(i18n, |l| td_string!(l, errors.not_found)).into_any(),
        ApiError::Conflict(_) => tr(i18n, |l| td_string!(l, errors.conflict)).into_any(),
        ApiError::InProgress { .. } => tr(i18n, |l| td_string!(l, errors.in_progress)).into_any(),
        ApiError::Validation(_) => tr(i18n, |l| td_string!(l, errors.validation)).into_any(),
        ApiError::RateLimited {
            retry_after_secs: Some(secs),
        } => t!(i18n, errors.rate_limited_after, secs).into_any(),
        ApiError::RateLimited {
            retry_after_secs: None,
        } => tr(i18n, |l| td_string!(l, errors.rate_limited)).into_any(),
        // A busy database (503 with `Retry-After`): say when to try again.
        ApiError::Server {
            retry_after_secs: Some(secs),
            ..
        } => t!(i18n, errors.busy_after, secs).into_any(),
        ApiError::Server { status, .. } => t!(i18n, errors.server, status).into_any(),
        ApiError::Unexpected { status, .. } => t!(i18n, errors.unexpected, status).into_any(),
        ApiError::Decode(_) => tr(i18n, |l| td_string!(l, errors.decode)).into_any(),
    }
}
