//! Route views.

#[cfg(feature = "staff")]
pub mod account;
#[cfg(feature = "staff")]
pub mod admin_appeals;
#[cfg(feature = "staff")]
pub mod admin_audit;
#[cfg(feature = "staff")]
pub mod admin_config;
#[cfg(feature = "staff")]
pub mod admin_moderation;
#[cfg(feature = "staff")]
pub mod admin_overview;
#[cfg(feature = "staff")]
pub mod admin_teams;
#[cfg(feature = "staff")]
pub mod admin_users;
#[cfg(feature = "staff")]
pub mod analytics;
pub mod customer;
#[cfg(not(feature = "staff"))]
pub mod elsewhere;
#[cfg(feature = "staff")]
pub mod feedback;
pub mod forbidden;
pub mod home;
pub mod login;
pub mod not_found;
#[cfg(feature = "staff")]
pub mod qa;
#[cfg(feature = "staff")]
pub mod reports;
pub mod role_homes;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{t_string, use_i18n};

/// Sets the document title to the page's name followed by the product name.
#[component]
pub fn PageTitle(
    /// The page's localized name.
    #[prop(into)]
    page: Signal<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=move || format!("{} · {}", page.get(), t_string!(i18n, app.title_suffix)) /> }
}
