//! The reports hub (`/admin/reports`, `/lead/reports`): the ways to last week's and last
//! month's report (the last closed periods of the organisation's calendar), the kept reports
//! with each mail's state and a way to send a failed one again, and the e-mail subscriptions.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::reports::{Delivery, ReportKind, StoredReport};
use pingjia_domain::users::Team;

use super::subscriptions::SubscriptionsPanel;
use super::{
    MAIL_SETTINGS_PATH, ReportArea, can_retry, delivery_status_class, delivery_status_name,
    kind_name, org_today, period_name, scope_name,
};
use crate::api::{self, ApiError};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::format::{local_time, percent_text, score_text};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::{stored_error, team_label, team_name};
use crate::locale::tr;
use crate::session::use_session;

/// The reports hub of an area.
#[component]
pub fn ReportsHub(
    /// Whose hub.
    area: ReportArea,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let lead_team = match area {
        ReportArea::Admin => None,
        ReportArea::Lead => session.me().and_then(|me| {
            let zh = me.team_name.unwrap_or_default();
            let name = team_name(i18n.get_locale_untracked(), &zh, me.team_name_en.as_deref());
            Some((me.team_id?, name))
        }),
    };
    let teams = LocalResource::new(move || async move {
        if area.picks_scope() {
            api::users::list_teams().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let teams = Signal::derive(move || teams.get().unwrap_or_default());
    let no_team = area == ReportArea::Lead && lead_team.is_none();
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), reports.hub_title)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, reports.hub_title))}</h1>
            {area.picks_scope().then(|| view! {
                <p class="page-actions">
                    <A href=MAIL_SETTINGS_PATH attr:class="button button-secondary">
                        {tr(i18n, |l| td_string!(l, reports.mail_settings_link))}
                    </A>
                </p>
            })}
        </div>
        <p class="lead">{tr(i18n, |l| td_string!(l, reports.hub_intro))}</p>
        {no_team.then(|| view! {
            <p class="notice notice-error" role="alert">{tr(i18n, |l| td_string!(l, reports.no_team))}</p>
        })}
        <QuickLinks area teams lead_team=lead_team.clone() />
        <KeptReports area teams />
        <SubscriptionsPanel area teams lead_team />
    }
}

/// The ways to the last closed week's and month's report, for the company or a team.
#[component]
fn QuickLinks(
    area: ReportArea,
    teams: Signal<Vec<Team>>,
    lead_team: Option<(i64, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let today = org_today();
    let team = RwSignal::new(None::<i64>);
    let links = move || {
        let locale = i18n.get_locale();
        let chosen = team.get();
        ReportKind::ALL
            .into_iter()
            .map(|kind| {
                let period = kind.last_closed(today);
                let href = area.report_href(kind, &kind.key(period), chosen);
                let name = match kind {
                    ReportKind::Week => td_string!(locale, reports.last_week),
                    ReportKind::Month => td_string!(locale, reports.last_month),
                };
                view! {
                    <li>
                        <A href=href>{name}</A>
                        <p>{period_name(locale, kind, period)}</p>
                    </li>
                }
            })
            .collect_view()
    };
    let scope = if area.picks_scope() {
        Either::Left(view! {
            <div class="field report-scope">
                <label for="hub-scope">{tr(i18n, |l| td_string!(l, reports.scope))}</label>
                <select id="hub-scope" on:change=move |ev| team.set(event_target_value(&ev).parse().ok())>
                    <option value="">{tr(i18n, |l| td_string!(l, reports.company))}</option>
                    {move || teams
                        .get()
                        .into_iter()
                        .map(|t| view! { <option value=t.id.to_string()>{team_label(i18n.get_locale(), &t)}</option> })
                        .collect_view()}
                </select>
            </div>
        })
    } else {
        let name = lead_team.map(|(_, name)| name);
        Either::Right(view! {
            <p class="muted">
                {move || td_string!(i18n.get_locale(), reports.scope_fixed, scope = scope_name(i18n.get_locale(), name.as_deref()))}
            </p>
        })
    };
    view! {
        <section class="panel" aria-labelledby="quick-links-title">
            <h2 id="quick-links-title">{tr(i18n, |l| td_string!(l, reports.quick_heading))}</h2>
            {scope}
            <ul class="link-grid report-quick-links">{links}</ul>
        </section>
    }
}

/// The kept reports with their mails, filtered by kind and (admins) team.
#[component]
fn KeptReports(area: ReportArea, teams: Signal<Vec<Team>>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(None::<ReportKind>);
    let team = RwSignal::new(None::<i64>);
    let list = LocalResource::new(move || {
        let (kind, team) = (kind.get(), team.get());
        async move { api::reports::stored_reports(kind, team).await }
    });
    let outcome = RwSignal::new(None::<Result<String, ApiError>>);
    let retry = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            match api::reports::retry_delivery(id).await {
                Ok(delivery) => {
                    let locale = i18n.get_locale_untracked();
                    outcome.set(Some(Ok(td_string!(
                        locale,
                        reports.retried,
                        address = &delivery.address,
                        status = delivery_status_name(locale, delivery.status)
                    ))));
                    list.refetch();
                }
                Err(error) => outcome.set(Some(Err(error))),
            }
        }
    });
    let team_filter = area.picks_scope().then(|| {
        view! {
            <div class="field">
                <label for="kept-team">{tr(i18n, |l| td_string!(l, reports.scope))}</label>
                <select id="kept-team" on:change=move |ev| team.set(event_target_value(&ev).parse().ok())>
                    <option value="">{tr(i18n, |l| td_string!(l, reports.all_scopes))}</option>
                    {move || teams
                        .get()
                        .into_iter()
                        .map(|t| view! { <option value=t.id.to_string()>{team_label(i18n.get_locale(), &t)}</option> })
                        .collect_view()}
                </select>
            </div>
        }
    });
    view! {
        <section class="panel" aria-labelledby="kept-title">
            <h2 id="kept-title">{tr(i18n, |l| td_string!(l, reports.kept_heading))}</h2>
            <p class="muted">{tr(i18n, |l| td_string!(l, reports.kept_intro))}</p>
            <div class="report-filters">
                <div class="field">
                    <label for="kept-kind">{tr(i18n, |l| td_string!(l, reports.kind))}</label>
                    <select id="kept-kind" on:change=move |ev| kind.set(ReportKind::parse(&event_target_value(&ev)))>
                        <option value="">{tr(i18n, |l| td_string!(l, reports.all_kinds))}</option>
                        <option value="week">{tr(i18n, |l| td_string!(l, reports.kind_week))}</option>
                        <option value="month">{tr(i18n, |l| td_string!(l, reports.kind_month))}</option>
                    </select>
                </div>
                {team_filter}
            </div>
            <div role="status">
                {move || match outcome.get() {
                    Some(Ok(text)) => Some(view! { <p class="notice notice-success">{text}</p> }),
                    _ => None,
                }}
            </div>
            <div role="alert">
                {move || match outcome.get() {
                    Some(Err(error)) => Some(view! { <p class="notice notice-error">{error_message(i18n, &error)}</p> }),
                    _ => None,
                }}
            </div>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(reports) if reports.is_empty() => Either::Left(Either::Left(view! {
                            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, reports.kept_empty))}</p>
                        })),
                        Ok(reports) => Either::Left(Either::Right(
                            reports
                                .into_iter()
                                .map(|report| view! { <KeptReport report area retry /> })
                                .collect_view(),
                        )),
                        Err(error) => Either::Right(view! {
                            <ErrorPanel error on_retry=Callback::new(move |()| list.refetch()) />
                        }),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One kept report: its link, figures and mails.
#[component]
fn KeptReport(report: StoredReport, area: ReportArea, retry: Action<i64, ()>) -> impl IntoView {
    let i18n = use_i18n();
    let href = area.report_href(report.kind, &report.key, report.team_id);
    let heading_id = format!("kept-{}", report.id);
    let (kind, period) = (report.kind, report.period);
    let (team_zh, team_en) = (report.team_name.clone(), report.team_name_en.clone());
    let title = move || {
        let locale = i18n.get_locale();
        let team_name = team_zh
            .as_deref()
            .map(|zh| team_name(locale, zh, team_en.as_deref()));
        format!(
            "{} · {} · {}",
            kind_name(locale, kind),
            period_name(locale, kind, period),
            scope_name(locale, team_name.as_deref())
        )
    };
    let (evaluations, average, attainment, generated) = (
        report.evaluations,
        report.average_total,
        report.attainment_rate,
        report.generated_at,
    );
    let figures = move || {
        td_string!(
            i18n.get_locale(),
            reports.kept_figures,
            count = evaluations.to_string(),
            average = score_text(average),
            attainment = percent_text(attainment),
            time = local_time(generated)
        )
    };
    view! {
        <article class="report-kept" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone()><A href=href>{title}</A></h3>
            <p class="muted">{figures}</p>
            <DeliveryTable deliveries=report.deliveries heading_id=heading_id.clone() retry />
        </article>
    }
}

/// The mails of a kept report.
#[component]
fn DeliveryTable(
    deliveries: Vec<Delivery>,
    heading_id: String,
    retry: Action<i64, ()>,
) -> impl IntoView {
    let i18n = use_i18n();
    if deliveries.is_empty() {
        return Either::Left(view! {
            <p class="muted">{tr(i18n, |l| td_string!(l, reports.no_mails))}</p>
        });
    }
    let label = move |f: fn(Locale) -> &'static str| move || f(i18n.get_locale());
    let rows = deliveries
        .into_iter()
        .map(|delivery| {
            let id = delivery.id;
            let status = delivery.status;
            let row_id = format!("delivery-{id}");
            let button_id = format!("delivery-{id}-retry");
            let next = delivery.next_attempt_at.map(local_time).unwrap_or_else(|| "—".to_owned());
            let sent = delivery.sent_at.map(local_time);
            view! {
                <tr data-testid=format!("delivery-{id}")>
                    <th scope="row" id=row_id.clone() data-label=label(|l| td_string!(l, reports.col_address))>{delivery.address}</th>
                    <td data-label=label(|l| td_string!(l, reports.col_status))>
                        <span class=delivery_status_class(status)>{move || delivery_status_name(i18n.get_locale(), status)}</span>
                        {sent.map(|at| view! { " " <span class="muted">{at}</span> })}
                    </td>
                    <td class="num" data-label=label(|l| td_string!(l, reports.col_attempts))>{delivery.attempts}</td>
                    <td class="report-error" data-label=label(|l| td_string!(l, reports.col_error))>
                        {let error = delivery.last_error;
                        move || {
                            error
                                .as_deref()
                                .map_or_else(|| "—".to_owned(), |e| stored_error(i18n.get_locale(), e))
                        }}
                    </td>
                    <td data-label=label(|l| td_string!(l, reports.col_next_attempt))>{next}</td>
                    <td data-label=label(|l| td_string!(l, reports.col_actions))>
                        {can_retry(status).then(|| view! {
                            <button
                                type="button"
                                class="button button-secondary"
                                id=button_id.clone()
                                aria-labelledby=format!("{button_id} {row_id}")
                                aria-disabled=move || retry.pending().get().then_some("true")
                                on:click=move |_| {
                                    if !retry.pending().get_untracked() {
                                        retry.dispatch_local(id);
                                    }
                                }
                            >
                                {tr(i18n, |l| td_string!(l, reports.retry))}
                            </button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <div class="table-scroll">
            <table class="data-table report-deliveries" aria-describedby=heading_id>
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, reports.mails_caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_address))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_status))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_attempts))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_error))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_next_attempt))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_actions))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}
