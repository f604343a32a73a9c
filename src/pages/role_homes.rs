//! What the role homes share: the greeting of the signed-in user.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::session::use_session;

/// "Hello, name" for the signed-in user.
#[component]
pub fn Greeting() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.me().map(|me| {
            let name = me.display_name;
            view! { <p class="lead">{t!(i18n, homes.greeting, name)}</p> }
        })
    }
}
