//! The delivery log (发送记录, `/admin/deliveries`): every message that left or is to leave
//! the system (report mails, test messages, invitations…), newest first, filtered by channel,
//! status, purpose and period (kept in the address), a page at a time, with a retry of a
//! message that failed or waits; an invitation's message also says where the invitation
//! stands (opened, rated, …).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::closed_list::Labelled;
use pingjia_domain::delivery::{
    DeliveryChannel, DeliveryEntry, DeliveryPage, DeliveryState, Purpose,
};

use crate::api::deliveries::{DeliveryQuery, log_href};
use crate::api::query;
use crate::api::{self, ApiError};
use crate::components::data_table::{Column, DataTable, Loaded, PagedList, Paging};
use crate::components::error_panel::error_message;
use crate::components::filters::{DateRange, FilterActions, SelectFilter, submitted_values};
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::{lang, stored_error};

/// Where the log lives.
pub const DELIVERIES_PATH: &str = "/admin/deliveries";

/// The filters and page of the log as the address carries them.
pub fn query_from_params(params: &ParamsMap) -> DeliveryQuery {
    let mut query: DeliveryQuery = query::from_pairs(params.latest_values(), &[]);
    query.page = params
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    query
}

/// The status in words, e.g. 等待重试 / Retrying.
pub fn state_name(locale: Locale, state: DeliveryState) -> &'static str {
    state.label(lang(locale))
}

/// A closed list's values as a filter's choices: code and name.
fn options<T: Labelled>(locale: Locale) -> Vec<(String, String)> {
    T::all()
        .iter()
        .map(|v| (v.code().to_owned(), v.name(lang(locale)).to_owned()))
        .collect()
}

/// The delivery log page.
#[component]
pub fn AdminDeliveries() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let log = LocalResource::new(move || {
        let query = query.get();
        async move { api::deliveries::log(&query).await }
    });
    let failure = RwSignal::new(None::<ApiError>);
    let retried = RwSignal::new(None::<i64>);
    let retry = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            match api::deliveries::retry(id).await {
                Ok(_) => {
                    failure.set(None);
                    retried.set(Some(id));
                    log.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, deliveries.title)) />
        <h1>{t!(i18n, deliveries.title)}</h1>
        <p class="lead">{t!(i18n, deliveries.intro)}</p>
        <p>
            <a href="/admin/settings/channels">{t!(i18n, deliveries.channels_link)}</a>
            " · "
            <a href="/admin/webhooks">{t!(i18n, webhooks.title)}</a>
        </p>
        <Filters query />
        <div role="status">
            {move || retried.get().map(|id| view! {
                <p class="notice notice-success">{td_string!(i18n.get_locale(), deliveries.retried, id = id)}</p>
            })}
        </div>
        <div role="alert">
            {move || failure.get().map(|error| view! {
                <p class="notice notice-error">{error_message(i18n, &error)}</p>
            })}
        </div>
        <Loaded
            resource=log
            view=move |page: DeliveryPage| view! { <EntryList page query retry /> }
        />
    }
}

/// The filters; the address holds them.
#[component]
fn Filters(query: Memo<DeliveryQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        let Some(field) = submitted_values(&ev) else {
            return;
        };
        let wanted = DeliveryQuery {
            channel: DeliveryChannel::parse(&field("channel")),
            status: DeliveryState::parse(&field("status")),
            purpose: Purpose::parse(&field("purpose")),
            from: field("from").parse().ok(),
            to: field("to").parse().ok(),
            page: 1,
        };
        navigate(&log_href(DELIVERIES_PATH, &wanted), Default::default());
    };
    let filtered = move || query.with(|q| !query::to_query(q).is_empty());
    let code = move |f: fn(&DeliveryQuery) -> Option<&'static str>| {
        Signal::derive(move || query.with(|q| f(q).unwrap_or_default().to_owned()))
    };
    view! {
        <form class="filters delivery-filters" role="search" on:submit=on_submit>
            <SelectFilter
                id="delivery-channel"
                name="channel"
                label=|l| td_string!(l, deliveries.channel)
                all=|l| td_string!(l, deliveries.all_channels)
                options=Signal::derive(move || options::<DeliveryChannel>(i18n.get_locale()))
                selected=code(|q| q.channel.map(DeliveryChannel::as_str))
            />
            <SelectFilter
                id="delivery-status"
                name="status"
                label=|l| td_string!(l, deliveries.status)
                all=|l| td_string!(l, deliveries.all_statuses)
                options=Signal::derive(move || options::<DeliveryState>(i18n.get_locale()))
                selected=code(|q| q.status.map(DeliveryState::as_str))
            />
            <SelectFilter
                id="delivery-purpose"
                name="purpose"
                label=|l| td_string!(l, deliveries.purpose)
                all=|l| td_string!(l, deliveries.all_purposes)
                options=Signal::derive(move || options::<Purpose>(i18n.get_locale()))
                selected=code(|q| q.purpose.map(Purpose::as_str))
            />
            <DateRange id="delivery" from_label=|l| td_string!(l, deliveries.from) to_label=|l| td_string!(l, deliveries.to) from=Signal::derive(move || query.with(|q| q.from)) to=Signal::derive(move || query.with(|q| q.to)) />
            <FilterActions apply=|l| td_string!(l, deliveries.apply) clear=|l| td_string!(l, deliveries.clear_filters) clear_href=DELIVERIES_PATH.to_owned() filtered=Signal::derive(filtered) />
        </form>
    }
}

/// One page of the log with the count and the paging.
#[component]
fn EntryList(
    page: DeliveryPage,
    query: Memo<DeliveryQuery>,
    retry: Action<i64, ()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = query.get_untracked();
    let paging = Paging::new(page.page, page.per_page, page.total, page.items.len());
    let Paging {
        total, first, last, ..
    } = paging;
    let empty = move || {
        if total == 0 {
            t_string!(i18n, deliveries.empty)
        } else {
            t_string!(i18n, deliveries.page_empty)
        }
    };
    let href = move |page: u64| {
        let mut query = query.clone();
        query.page = u32::try_from(page).unwrap_or(1);
        log_href(DELIVERIES_PATH, &query)
    };
    view! {
        <PagedList
            paging
            href
            count=t!(i18n, deliveries.count, count = total, first, last).into_any()
            empty=empty.into_any()
        >
            <DataTable
                class="data-table delivery-table"
                caption=|l| td_string!(l, deliveries.caption)
                roles=true
                testid="delivery-log"
                columns=columns(retry)
                rows=page.items
            />
        </PagedList>
    }
}

/// When, how and why, to whom, what, how it went, and the retry.
fn columns(retry: Action<i64, ()>) -> Vec<Column<DeliveryEntry>> {
    let i18n = use_i18n();
    vec![
        Column::new(
            |l| td_string!(l, deliveries.created),
            |e: &DeliveryEntry| view! { <time datetime=e.created_at.to_rfc3339()>{local_time(e.created_at)}</time> },
        ),
        Column::new(
            |l| td_string!(l, deliveries.channel),
            move |e: &DeliveryEntry| {
                let (channel, purpose) = (e.channel, e.purpose);
                view! {
                    <span>{move || channel.label(lang(i18n.get_locale()))}</span>
                    <br />
                    <span class="muted">{move || purpose.label(lang(i18n.get_locale()))}</span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, deliveries.recipient),
            |e: &DeliveryEntry| {
                view! { <span class="mono delivery-recipient">{e.recipient.clone()}</span> }
            },
        ),
        Column::new(
            |l| td_string!(l, deliveries.summary),
            |e: &DeliveryEntry| e.summary.clone(),
        )
        .row_header(None),
        Column::new(
            |l| td_string!(l, deliveries.status),
            move |e: &DeliveryEntry| {
                let e = e.clone();
                let state = e.status;
                let invitation = e.invitation_state;
                // One block: at phone width a cell is a row of its label and its content,
                // and every node of several would be a column of its own.
                view! {
                    <div class="delivery-state">
                    <span class=format!("delivery-status delivery-{}", state.as_str())>
                        {move || state_name(i18n.get_locale(), state)}
                    </span>
                    {invitation.map(|invitation| view! {
                        " "
                        <span class="badge delivery-invitation" data-testid="invitation-state">
                            {move || td_string!(i18n.get_locale(), invitations.delivery_state, state = invitation.label(lang(i18n.get_locale())))}
                        </span>
                    })}
                    <br />
                    <span class="muted">
                        {move || td_string!(i18n.get_locale(), deliveries.attempts, count = e.attempts)}
                    </span>
                    {e.sent_at.map(|at| view! { <br /><span class="muted">{move || td_string!(i18n.get_locale(), deliveries.sent_at, time = local_time(at))}</span> })}
                    {e.next_attempt_at.filter(|_| state == DeliveryState::Retrying).map(|at| view! { <br /><span class="muted">{move || td_string!(i18n.get_locale(), deliveries.next_attempt, time = local_time(at))}</span> })}
                    {e.last_error.clone().map(|error| view! { <br /><span class="report-error">{move || stored_error(i18n.get_locale(), &error)}</span> })}
                    </div>
                }
            },
        ),
        Column::actions(
            |l| td_string!(l, deliveries.actions),
            move |e: &DeliveryEntry| {
                let id = e.id;
                let can = matches!(
                    e.status,
                    DeliveryState::Failed | DeliveryState::Retrying | DeliveryState::Queued
                );
                can.then(|| {
                    view! {
                        <button
                            type="button"
                            class="button button-small"
                            aria-disabled=move || retry.pending().get().then_some("true")
                            on:click=move |_| {
                                if !retry.pending().get_untracked() {
                                    retry.dispatch_local(id);
                                }
                            }
                        >
                            {move || t_string!(i18n, deliveries.retry)}
                        </button>
                    }
                })
            },
        ),
    ]
}
