//! The ways into the admin's configuration screens.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, use_i18n};

/// The ways into the configuration screens, for the admin's home.
#[component]
pub fn ConfigLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="config-links-title">
            <h2 id="config-links-title">{t!(i18n, config.nav_heading)}</h2>
            <ul class="link-grid">
                <li>
                    <A href="/admin/catalog">{t!(i18n, config.catalog_title)}</A>
                    <p>{t!(i18n, config.nav_catalog_body)}</p>
                </li>
                <li>
                    <A href="/admin/records">{t!(i18n, config.records_title)}</A>
                    <p>{t!(i18n, config.nav_records_body)}</p>
                </li>
                <li>
                    <A href="/admin/settings">{t!(i18n, config.settings_title)}</A>
                    <p>{t!(i18n, config.nav_settings_body)}</p>
                </li>
                <li>
                    <A href="/admin/settings/mail">{t!(i18n, reports.mail_title)}</A>
                    <p>{t!(i18n, reports.mail_nav_body)}</p>
                </li>
                <li>
                    <A href="/admin/settings/channels">{t!(i18n, deliveries.channels_title)}</A>
                    <p>{t!(i18n, deliveries.channels_link)}</p>
                </li>
                <li>
                    <A href="/admin/settings/invitations">{t!(i18n, invitations.title)}</A>
                    <p>{t!(i18n, invitations.nav_body)}</p>
                </li>
                <li>
                    <A href="/admin/deliveries">{t!(i18n, deliveries.title)}</A>
                    <p>{t!(i18n, deliveries.caption)}</p>
                </li>
                <li>
                    <A href="/admin/webhooks">{t!(i18n, webhooks.title)}</A>
                    <p>{t!(i18n, webhooks.nav_body)}</p>
                </li>
                <li>
                    <A href="/admin/calendar">{t!(i18n, config.calendar_title)}</A>
                    <p>{t!(i18n, config.nav_calendar_body)}</p>
                </li>
                <li>
                    <A href="/admin/api-keys">{t!(i18n, config.keys_title)}</A>
                    <p>{t!(i18n, config.nav_keys_body)}</p>
                </li>
            </ul>
        </section>
    }
}
