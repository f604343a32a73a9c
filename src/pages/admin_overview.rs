//! The admin overview: the way into the analytics dashboard, the admin screens, and service
//! records per day over the last 90 days.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::wire::ServiceVolume;

use crate::api;
use crate::charts::volume::{VolumeLabels, channel_totals, partial_today, service_volume_chart};
use crate::components::config_links::ConfigLinks;
use crate::components::echart::{ChartOption, EChart};
use crate::components::error_panel::ErrorPanel;
use crate::components::page::Greeting;
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};

/// How many days the volume chart covers.
const VOLUME_DAYS: u32 = 90;

/// The admin's home: the ways into user and team management, and the service-volume chart.
#[component]
pub fn AdminOverview() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, admin.title)) />
        <h1>{t!(i18n, admin.title)}</h1>
        <Greeting />
        <section class="panel analytics-callout" aria-labelledby="analytics-link-title">
            <h2 id="analytics-link-title">{t!(i18n, analytics.overview_heading)}</h2>
            <p>{t!(i18n, analytics.overview_body)}</p>
            <p>
                <A href="/admin/analytics" attr:class="button">
                    {t!(i18n, analytics.open_dashboard)}
                </A>
            </p>
        </section>
        <section class="panel" aria-labelledby="manage-title">
            <h2 id="manage-title">{t!(i18n, admin.manage_heading)}</h2>
            <ul class="link-grid">
                <li>
                    <A href="/admin/users">{t!(i18n, nav.users)}</A>
                    <p>{t!(i18n, admin.users_body)}</p>
                </li>
                <li>
                    <A href="/admin/users/new">{t!(i18n, new_user.title)}</A>
                    <p>{t!(i18n, admin.new_user_body)}</p>
                </li>
                <li>
                    <A href="/admin/users/import">{t!(i18n, import.title)}</A>
                    <p>{t!(i18n, admin.import_body)}</p>
                </li>
                <li>
                    <A href="/admin/teams">{t!(i18n, nav.teams)}</A>
                    <p>{t!(i18n, admin.teams_body)}</p>
                </li>
            </ul>
        </section>
        <section class="panel" aria-labelledby="review-links-title">
            <h2 id="review-links-title">{t!(i18n, moderation.overview_heading)}</h2>
            <ul class="link-grid">
                <li>
                    <A href="/admin/moderation">{t!(i18n, moderation.title)}</A>
                    <p>{t!(i18n, moderation.overview_queue_body)}</p>
                </li>
                <li>
                    <A href="/admin/moderation/terms">{t!(i18n, moderation.terms_title)}</A>
                    <p>{t!(i18n, moderation.overview_terms_body)}</p>
                </li>
                <li>
                    <A href="/admin/audit">{t!(i18n, audit.title)}</A>
                    <p>{t!(i18n, moderation.overview_audit_body)}</p>
                </li>
            </ul>
        </section>
        <section class="panel" aria-labelledby="plans-link-title">
            <h2 id="plans-link-title">{t!(i18n, feedback.overview_heading)}</h2>
            <p>{t!(i18n, feedback.overview_body)}</p>
            <p>
                <A href="/admin/plans">{t!(i18n, feedback.overview_link)}</A>
            </p>
        </section>
        <ConfigLinks />
        <section class="panel" aria-labelledby="volume-title">
            <h2 id="volume-title">{t!(i18n, admin.volume_heading)}</h2>
            <p>{t!(i18n, admin.intro)}</p>
            <ServiceVolumePanel />
        </section>
    }
}

/// Loads the service volume and shows it as a chart, or its loading, empty or error state.
#[component]
fn ServiceVolumePanel() -> impl IntoView {
    let i18n = use_i18n();
    let volume = LocalResource::new(|| api::service_volume(VOLUME_DAYS));
    let loading = move || {
        view! {
            <p class="status" role="status">
                {t!(i18n, status.loading)}
            </p>
        }
    };
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match volume.await {
                    Ok(data) if data.total == 0 => {
                        EitherOf3::A(
                            view! {
                                <p class="notice notice-empty">{t!(i18n, admin.volume_empty)}</p>
                            },
                        )
                    }
                    Ok(data) => EitherOf3::B(view! { <VolumeChart volume=data /> }),
                    Err(error) => {
                        EitherOf3::C(
                            view! {
                                <ErrorPanel
                                    error
                                    on_retry=Callback::new(move |()| volume.refetch())
                                />
                            },
                        )
                    }
                }
            })}
        </Suspense>
    }
}

/// The chart of one loaded period, with its totals as text.
#[component]
fn VolumeChart(
    /// The loaded period.
    volume: ServiceVolume,
) -> impl IntoView {
    let i18n = use_i18n();
    let totals = channel_totals(&volume);
    let total = volume.total;
    let today = partial_today(&volume).map(|day| day.format("%m-%d").to_string());
    let option = Signal::derive(move || {
        ChartOption::from(service_volume_chart(&volume, &labels(i18n.get_locale())))
    });
    let label = Signal::derive(move || t_string!(i18n, admin.volume_chart_title).to_owned());
    view! {
        <EChart option label />
        <p class="chart-summary">
            {t!(
                i18n, admin.volume_total, total = total, online = totals.online, offline = totals.offline
            )}
            {today.map(|day| view! {
                " "
                <span class="chart-partial">
                    {move || td_string!(i18n.get_locale(), admin.volume_today_note, day = &day)}
                </span>
            })}
        </p>
    }
}

fn labels(locale: Locale) -> VolumeLabels {
    VolumeLabels {
        title: td_string!(locale, admin.volume_chart_name).to_owned(),
        subtitle: td_string!(locale, admin.volume_chart_subtitle).to_owned(),
        x_axis: td_string!(locale, admin.volume_x_axis).to_owned(),
        y_axis: td_string!(locale, admin.volume_y_axis).to_owned(),
        online: td_string!(locale, admin.online).to_owned(),
        offline: td_string!(locale, admin.offline).to_owned(),
        today: td_string!(locale, admin.volume_today).to_owned(),
    }
}
