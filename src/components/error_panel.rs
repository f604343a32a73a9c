//! A failed request, explained in the user's language, with a way to try again.

use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::api::ApiError;
use crate::i18n::{Locale, t, use_i18n};

/// Shows why data could not be loaded and a button to load it again.
#[component]
pub fn ErrorPanel(
    /// What went wrong.
    error: ApiError,
    /// Called when the user asks to try again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice-error" role="alert">
            <p class="notice-title">{t!(i18n, errors.heading)}</p>
            <p>{error_message(i18n, &error)}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                {t!(i18n, status.retry)}
            </button>
        </div>
    }
}

/// The user-facing explanation of an error, in the active locale.
pub fn error_message(i18n: I18nContext<Locale>, error: &ApiError) -> AnyView {
    match *error {
        ApiError::Network(_) | ApiError::Request(_) => t!(i18n, errors.network).into_any(),
        ApiError::Unauthorized => t!(i18n, errors.unauthorized).into_any(),
        ApiError::Forbidden => t!(i18n, errors.forbidden).into_any(),
        ApiError::NotFound => t!(i18n, errors.not_found).into_any(),
        ApiError::Conflict(_) => t!(i18n, errors.conflict).into_any(),
        ApiError::InProgress { .. } => t!(i18n, errors.in_progress).into_any(),
        ApiError::Validation(_) => t!(i18n, errors.validation).into_any(),
        ApiError::RateLimited {
            retry_after_secs: Some(secs),
        } => t!(i18n, errors.rate_limited_after, secs).into_any(),
        ApiError::RateLimited {
            retry_after_secs: None,
        } => t!(i18n, errors.rate_limited).into_any(),
        ApiError::Server { status, .. } => t!(i18n, errors.server, status).into_any(),
        ApiError::Unexpected { status, .. } => t!(i18n, errors.unexpected, status).into_any(),
        ApiError::Decode(_) => t!(i18n, errors.decode).into_any(),
    }
}
