//! One endpoint's delivery log (`/admin/webhooks/:id`): its deliveries newest first, a page
//! at a time, filtered by status (kept in the address); each with its event, how it went,
//! the attempts, the next one, the last error and the receiver's answer; the request's body
//! (pretty JSON) on demand; a failed or waiting one sent again.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use pingjia_domain::closed_list::Labelled;
use pingjia_domain::delivery::DeliveryState;
use pingjia_domain::events::{EndpointDelivery, EndpointDeliveryPage, EventType, TEST_EVENT};

use super::{WEBHOOKS_PATH, kind_name};
use crate::api::webhooks::{LogQuery, log_href};
use crate::api::{self, ApiError};
use crate::components::data_table::{Column, DataTable, Loaded, PagedList, Paging, Rows};
use crate::components::error_panel::error_message;
use crate::components::filters::{FilterActions, SelectFilter, submitted_values};
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::{lang, stored_error};
use crate::locale::tr;

/// The event a delivery carried, in words (the test event too); its code when unknown.
pub fn event_name(locale: Locale, code: &str) -> String {
    if code == TEST_EVENT {
        return td_string!(locale, webhooks.test_event).to_owned();
    }
    EventType::parse(code).map_or_else(|| code.to_owned(), |e| e.label(lang(locale)).to_owned())
}

/// A JSON text indented, or as it is when it is not JSON.
pub fn pretty_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned())
}

/// The log page.
#[component]
pub fn WebhookLog() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()))
            .unwrap_or_default()
    });
    let address = use_query_map();
    let query = Memo::new(move |_| {
        address.with(|p| LogQuery {
            status: p.get("status").and_then(|s| DeliveryState::parse(&s)),
            page: p
                .get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
        })
    });
    let endpoint = LocalResource::new(move || {
        let id = id.get();
        async move { api::webhooks::get(id).await }
    });
    let log = LocalResource::new(move || {
        let (id, query) = (id.get(), query.get());
        async move { api::webhooks::deliveries(id, &query).await }
    });
    let failure = RwSignal::new(None::<ApiError>);
    let retried = RwSignal::new(None::<i64>);
    let retry = Action::new_local(move |delivery: &i64| {
        let delivery = *delivery;
        async move {
            match api::deliveries::retry(delivery).await {
                Ok(_) => {
                    failure.set(None);
                    retried.set(Some(delivery));
                    log.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let path = move || format!("{WEBHOOKS_PATH}/{}", id.get());
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, webhooks.log_title)) />
        <p class="breadcrumb">
            <A href=WEBHOOKS_PATH>{tr(i18n, |l| td_string!(l, webhooks.back))}</A>
        </p>
        <h1>{t!(i18n, webhooks.log_title)}</h1>
        <Loaded
            resource=endpoint
            view=move |e| {
                let kind = e.kind;
                view! {
                    <p class="lead">
                        <strong>{e.name}</strong>
                        " · "
                        {move || kind_name(i18n.get_locale(), kind)}
                        " · "
                        <span class="mono webhook-url">{e.url}</span>
                    </p>
                    {(!e.enabled).then(|| view! {
                        <p class="notice notice-warn">
                            {t!(i18n, webhooks.disabled)}
                            {e.disabled_reason.map(|r| view! { ": " {r} })}
                        </p>
                    })}
                }
            }
        />
        <p>{t!(i18n, webhooks.log_intro)}</p>
        <Filter query path=Signal::derive(path) />
        <div role="status">
            {move || retried.get().map(|id| view! {
                <p class="notice notice-success">{td_string!(i18n.get_locale(), webhooks.retried, id = id)}</p>
            })}
        </div>
        <div role="alert">
            {move || failure.get().map(|error| view! {
                <p class="notice notice-error">{error_message(i18n, &error)}</p>
            })}
        </div>
        <Loaded
            resource=log
            view=move |page: EndpointDeliveryPage| view! { <DeliveryList page query path=path() retry /> }
        />
    }
}

/// The status filter; the address holds it.
#[component]
fn Filter(query: Memo<LogQuery>, path: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        let Some(field) = submitted_values(&ev) else {
            return;
        };
        let wanted = LogQuery {
            status: DeliveryState::parse(&field("status")),
            page: 1,
        };
        navigate(
            &log_href(&path.get_untracked(), &wanted),
            Default::default(),
        );
    };
    let options = Signal::derive(move || {
        DeliveryState::all()
            .iter()
            .map(|s| {
                (
                    s.code().to_owned(),
                    s.name(lang(i18n.get_locale())).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    view! {
        <form class="filters" role="search" on:submit=on_submit>
            <SelectFilter
                id="endpoint-log-status"
                name="status"
                label=|l| td_string!(l, deliveries.status)
                all=|l| td_string!(l, deliveries.all_statuses)
                options
                selected=Signal::derive(move || query.with(|q| q.status.map(DeliveryState::as_str).unwrap_or_default().to_owned()))
            />
            <FilterActions
                apply=|l| td_string!(l, deliveries.apply)
                clear=|l| td_string!(l, deliveries.clear_filters)
                clear_href=path
                filtered=Signal::derive(move || query.with(|q| q.status.is_some()))
            />
        </form>
    }
}

/// One page of the log with the count and the paging.
#[component]
fn DeliveryList(
    page: EndpointDeliveryPage,
    query: Memo<LogQuery>,
    path: String,
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
            t_string!(i18n, webhooks.log_empty)
        } else {
            t_string!(i18n, deliveries.page_empty)
        }
    };
    let href = move |page: u64| {
        let mut query = query.clone();
        query.page = u32::try_from(page).unwrap_or(1);
        log_href(&path, &query)
    };
    view! {
        <PagedList
            paging
            href
            count=t!(i18n, webhooks.log_count, count = total, first, last).into_any()
            empty=empty.into_any()
        >
            <DataTable
                class="data-table endpoint-log"
                caption=|l| td_string!(l, webhooks.log_title)
                roles=true
                testid="endpoint-log"
                columns=columns(retry)
                rows=page.items
                row=Rows::default().testid(|d: &EndpointDelivery| format!("delivery-{}", d.entry.id))
            />
        </PagedList>
    }
}

/// When, what, how it went, the answer, the request, and the redelivery.
fn columns(retry: Action<i64, ()>) -> Vec<Column<EndpointDelivery>> {
    let i18n = use_i18n();
    vec![
        Column::new(
            |l| td_string!(l, deliveries.created),
            |d: &EndpointDelivery| {
                let at = d.entry.created_at;
                view! { <time datetime=at.to_rfc3339()>{local_time(at)}</time> }
            },
        ),
        Column::new(
            |l| td_string!(l, webhooks.event),
            move |d: &EndpointDelivery| {
                let code = d.entry.summary.clone();
                move || event_name(i18n.get_locale(), &code)
            },
        )
        .row_header(None),
        Column::new(
            |l| td_string!(l, deliveries.status),
            move |d: &EndpointDelivery| {
                let e = d.entry.clone();
                let state = e.status;
                view! {
                    <div>
                    <span class=format!("delivery-status delivery-{}", state.as_str()) data-testid="delivery-status">
                        {move || state.label(lang(i18n.get_locale()))}
                    </span>
                    <br />
                    <span class="muted">{move || td_string!(i18n.get_locale(), deliveries.attempts, count = e.attempts)}</span>
                    {e.sent_at.map(|at| view! { <br /><span class="muted">{move || td_string!(i18n.get_locale(), deliveries.sent_at, time = local_time(at))}</span> })}
                    {e.next_attempt_at.filter(|_| state == DeliveryState::Retrying).map(|at| view! { <br /><span class="muted">{move || td_string!(i18n.get_locale(), deliveries.next_attempt, time = local_time(at))}</span> })}
                    {e.last_error.clone().map(|error| view! { <br /><span class="report-error">{move || stored_error(i18n.get_locale(), &error)}</span> })}
                    </div>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, webhooks.answer_column),
            move |d: &EndpointDelivery| match d.response.clone() {
                Some(answer) => {
                    view! { <span class="mono endpoint-answer">{answer}</span> }.into_any()
                }
                None => {
                    view! { <span class="muted">{t!(i18n, webhooks.no_answer)}</span> }.into_any()
                }
            },
        ),
        Column::new(
            |l| td_string!(l, webhooks.request),
            move |d: &EndpointDelivery| {
                let body = pretty_json(&d.request_body);
                view! {
                    <details class="endpoint-request">
                        <summary>{t!(i18n, webhooks.show_body)}</summary>
                        <pre class="mono" tabindex="0">{body}</pre>
                    </details>
                }
            },
        ),
        Column::actions(
            |l| td_string!(l, deliveries.actions),
            move |d: &EndpointDelivery| {
                let id = d.entry.id;
                let can = matches!(
                    d.entry.status,
                    DeliveryState::Failed | DeliveryState::Retrying
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
                            {t!(i18n, webhooks.redeliver)}
                        </button>
                    }
                })
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn bodies_are_indented_and_events_named() {
        assert_eq!(pretty_json(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_json("not json"), "not json");
        assert_eq!(event_name(Locale::en, "evaluation.low_score"), "Low score");
        assert_eq!(event_name(Locale::zh_CN, "webhook.test"), "测试事件");
        assert_eq!(event_name(Locale::en, "what.ever"), "what.ever");
    }

    #[test]
    fn every_event_is_in_a_group() {
        let grouped: usize = super::super::form::GROUPS
            .iter()
            .map(|g| super::super::form::group_events(g).len())
            .sum();
        assert_eq!(grouped, EventType::all().len());
    }
}
