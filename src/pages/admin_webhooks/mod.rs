//! Webhooks & robots (`/admin/webhooks`): the endpoints events are sent to — signed webhooks
//! and the WeCom, DingTalk and Feishu group robots — a page at a time, with their state and
//! what waits or failed; registering and editing one (`form.rs`), a test event, enabling and
//! disabling, a new signing secret (shown once), deleting, and each one's delivery log
//! (`log.rs`).

pub mod form;
pub mod log;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use pingjia_domain::delivery::DeliveryState;
use pingjia_domain::events::{
    Endpoint, EndpointDelivery, EndpointInput, EndpointKind, EndpointPage,
};

use crate::api::{self, ApiError};
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::copy_text::CopyText;
use crate::components::data_table::{Column, DataTable, Loaded, PagedList, Paging, Rows};
use crate::components::dialog::{Modal, close_dialog};
use crate::components::error_panel::error_message;
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::{lang, stored_error};
use crate::locale::tr;

use self::form::EndpointDialog;

/// Where the endpoints live.
pub const WEBHOOKS_PATH: &str = "/admin/webhooks";

/// An endpoint's kind in words.
pub fn kind_name(locale: Locale, kind: EndpointKind) -> &'static str {
    kind.label(lang(locale))
}

/// The input that saves `endpoint` as it is, but for `enabled`; its secret kept.
pub fn input_of(endpoint: &Endpoint, enabled: bool) -> EndpointInput {
    EndpointInput {
        name: endpoint.name.clone(),
        kind: endpoint.kind,
        url: endpoint.url.clone(),
        events: endpoint.events.clone(),
        team_ids: endpoint.team_ids.clone(),
        service_types: endpoint.service_types.clone(),
        enabled,
        secret: None,
    }
}

/// What the page announces after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Done {
    Saved(String),
    Deleted(String),
    Enabled(String),
    Disabled(String),
    /// A test event: the endpoint's name and how it went.
    Tested(String, EndpointDelivery),
}

/// What an open dialog is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Open {
    New,
    Edit(Endpoint),
    Delete(Endpoint),
    Rotate(Endpoint),
    /// A secret to show once: the endpoint's name and the secret.
    Secret(String, String),
}

/// The page.
#[component]
pub fn AdminWebhooks() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let page = Memo::new(move |_| {
        params
            .with(|p| p.get("page").and_then(|p| p.parse::<u32>().ok()))
            .unwrap_or(1)
            .max(1)
    });
    let list = LocalResource::new(move || {
        let page = page.get();
        async move { api::webhooks::list(page).await }
    });
    let done = RwSignal::new(None::<Done>);
    let failure = RwSignal::new(None::<ApiError>);
    let open = RwSignal::new(None::<Open>);
    let act = Action::new_local(move |(endpoint, what): &(Endpoint, Act)| {
        let (endpoint, what) = (endpoint.clone(), *what);
        async move {
            failure.set(None);
            done.set(None);
            let name = endpoint.name.clone();
            let outcome = match what {
                Act::Test => api::webhooks::test(endpoint.id)
                    .await
                    .map(|delivery| Done::Tested(name, delivery)),
                Act::Enable | Act::Disable => {
                    let on = what == Act::Enable;
                    api::webhooks::update(endpoint.id, &input_of(&endpoint, on))
                        .await
                        .map(|_| {
                            if on {
                                Done::Enabled(name)
                            } else {
                                Done::Disabled(name)
                            }
                        })
                }
            };
            match outcome {
                Ok(outcome) => {
                    done.set(Some(outcome));
                    list.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let on_saved = Callback::new(move |(name, secret): (String, Option<String>)| {
        list.refetch();
        done.set(Some(Done::Saved(name.clone())));
        if let Some(secret) = secret {
            // The form's dialog closes first; the secret's opens after it.
            request_animation_frame(move || open.set(Some(Open::Secret(name, secret))));
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, webhooks.title)) />
        <p class="breadcrumb">
            <A href="/admin/settings">{tr(i18n, |l| td_string!(l, reports.back_to_settings))}</A>
        </p>
        <h1>{t!(i18n, webhooks.title)}</h1>
        <p class="lead">{t!(i18n, webhooks.intro)}</p>
        <p>
            <A href="/admin/settings/channels">{t!(i18n, deliveries.channels_title)}</A>
            " · "
            <A href="/admin/deliveries">{t!(i18n, deliveries.title)}</A>
        </p>
        <p>
            <button
                type="button"
                class="button"
                on:click=move |_| {
                    done.set(None);
                    open.set(Some(Open::New));
                }
            >
                {t!(i18n, webhooks.new)}
            </button>
        </p>
        <div role="status" data-testid="webhooks-status">
            {move || done.get().map(|done| view! { <DoneNotice done /> })}
        </div>
        <div role="alert">
            {move || failure.get().map(|error| view! {
                <p class="notice notice-error">{error_message(i18n, &error)}</p>
            })}
        </div>
        <Loaded
            resource=list
            view=move |page: EndpointPage| view! { <EndpointList page act open /> }
        />
        {move || open.get().map(|what| match what {
            Open::New => view! {
                <EndpointDialog endpoint=None on_saved on_close=Callback::new(move |()| close_if(open, |o| *o == Open::New)) />
            }.into_any(),
            Open::Edit(endpoint) => view! {
                <EndpointDialog endpoint=Some(endpoint) on_saved on_close=Callback::new(move |()| close_if(open, |o| matches!(o, Open::Edit(_)))) />
            }.into_any(),
            Open::Delete(endpoint) => {
                let id = endpoint.id;
                let name = endpoint.name.clone();
                let gone = name.clone();
                view! {
                    <ConfirmDialog
                        title=t!(i18n, webhooks.delete_title, name = name.clone()).into_any()
                        body=t!(i18n, webhooks.delete_body).into_any()
                        confirm=t!(i18n, webhooks.delete).into_any()
                        on_confirm=Callback::new(move |()| {
                            let gone = gone.clone();
                            Box::pin(async move {
                                api::webhooks::delete(id).await?;
                                done.set(Some(Done::Deleted(gone)));
                                list.refetch();
                                Ok(())
                            }) as Pending
                        })
                        on_close=Callback::new(move |()| close_if(open, |o| matches!(o, Open::Delete(_))))
                    />
                }.into_any()
            }
            Open::Rotate(endpoint) => {
                let id = endpoint.id;
                let name = endpoint.name.clone();
                view! {
                    <ConfirmDialog
                        title=t!(i18n, webhooks.rotate_title, name = name.clone()).into_any()
                        body=t!(i18n, webhooks.rotate_body).into_any()
                        confirm=t!(i18n, webhooks.rotate).into_any()
                        on_confirm=Callback::new(move |()| {
                            let name = name.clone();
                            Box::pin(async move {
                                let saved = api::webhooks::rotate_secret(id).await?;
                                if let Some(secret) = saved.secret {
                                    request_animation_frame(move || open.set(Some(Open::Secret(name, secret))));
                                }
                                list.refetch();
                                Ok(())
                            }) as Pending
                        })
                        on_close=Callback::new(move |()| close_if(open, |o| matches!(o, Open::Rotate(_))))
                    />
                }.into_any()
            }
            Open::Secret(name, secret) => view! {
                <SecretDialog name secret on_close=Callback::new(move |()| close_if(open, |o| matches!(o, Open::Secret(..)))) />
            }.into_any(),
        })}
    }
}

/// Forgets the open dialog when it is still the one that closed (another may have opened).
fn close_if(open: RwSignal<Option<Open>>, this: impl Fn(&Open) -> bool) {
    if open.with_untracked(|o| o.as_ref().is_some_and(&this)) {
        open.set(None);
    }
}

/// A row's quick actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Test,
    Enable,
    Disable,
}

/// The announcement of what was done.
#[component]
fn DoneNotice(done: Done) -> impl IntoView {
    let i18n = use_i18n();
    match done {
        Done::Saved(name) => {
            view! { <p class="notice notice-success">{t!(i18n, webhooks.saved, name)}</p> }
                .into_any()
        }
        Done::Deleted(name) => {
            view! { <p class="notice notice-success">{t!(i18n, webhooks.deleted, name)}</p> }
                .into_any()
        }
        Done::Enabled(name) => {
            view! { <p class="notice notice-success">{t!(i18n, webhooks.enabled_done, name)}</p> }
                .into_any()
        }
        Done::Disabled(name) => {
            view! { <p class="notice notice-success">{t!(i18n, webhooks.disabled_done, name)}</p> }
                .into_any()
        }
        Done::Tested(name, delivery) => {
            let sent = delivery.entry.status == DeliveryState::Sent;
            let answer = delivery.response.clone();
            let error = delivery.entry.last_error.clone();
            view! {
                <div class={if sent { "notice notice-success" } else { "notice notice-error" }} data-testid="test-result">
                    <p>
                        {if sent {
                            t!(i18n, webhooks.test_sent, name).into_any()
                        } else {
                            t!(i18n, webhooks.test_failed, name).into_any()
                        }}
                    </p>
                    {answer.map(|answer| view! {
                        <p>{t!(i18n, webhooks.answer)} " " <span class="mono">{answer}</span></p>
                    })}
                    {error.filter(|_| !sent).map(|error| view! { <p class="report-error">{move || stored_error(i18n.get_locale(), &error)}</p> })}
                </div>
            }
            .into_any()
        }
    }
}

/// A secret, shown this once, with a copy button.
#[component]
fn SecretDialog(name: String, secret: String, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<leptos::html::Dialog>::new();
    view! {
        <Modal node_ref=node labelled_by="secret-title" on_close>
            <h2 id="secret-title">{t!(i18n, webhooks.secret_title, name)}</h2>
            <p class="notice notice-warn">{t!(i18n, webhooks.secret_once)}</p>
            <CopyText text=secret id="webhook-secret" />
            <p class="field-hint">{t!(i18n, webhooks.secret_hint)}</p>
            <div class="form-actions">
                <button type="button" class="button" on:click=move |_| close_dialog(node)>
                    {t!(i18n, webhooks.secret_done)}
                </button>
            </div>
        </Modal>
    }
}

/// One page of the endpoints with the count and the paging.
#[component]
fn EndpointList(
    page: EndpointPage,
    act: Action<(Endpoint, Act), ()>,
    open: RwSignal<Option<Open>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(page.page, page.per_page, page.total, page.items.len());
    let Paging {
        total, first, last, ..
    } = paging;
    let empty = move || {
        if total == 0 {
            t_string!(i18n, webhooks.empty)
        } else {
            t_string!(i18n, webhooks.page_empty)
        }
    };
    let href = |page: u64| {
        if page > 1 {
            format!("{WEBHOOKS_PATH}?page={page}")
        } else {
            WEBHOOKS_PATH.to_owned()
        }
    };
    view! {
        <PagedList
            paging
            href
            count=t!(i18n, webhooks.count, count = total, first, last).into_any()
            empty=empty.into_any()
        >
            <DataTable
                class="data-table webhook-table"
                caption=|l| td_string!(l, webhooks.caption)
                roles=true
                testid="webhook-endpoints"
                columns=columns(act, open)
                rows=page.items
                row=Rows::default()
                    .testid(|e: &Endpoint| format!("endpoint-{}", e.id))
                    .flag("row-disabled", |e: &Endpoint| Signal::stored(!e.enabled))
            />
        </PagedList>
    }
}

fn row_name_id(e: &Endpoint) -> String {
    format!("endpoint-{}-name", e.id)
}

/// Name, kind, address, events, state, queue, and the actions.
fn columns(
    act: Action<(Endpoint, Act), ()>,
    open: RwSignal<Option<Open>>,
) -> Vec<Column<Endpoint>> {
    let i18n = use_i18n();
    vec![
        Column::new(
            |l| td_string!(l, webhooks.name),
            |e: &Endpoint| e.name.clone(),
        )
        .row_header(Some(row_name_id)),
        Column::new(
            |l| td_string!(l, webhooks.kind),
            move |e: &Endpoint| {
                let kind = e.kind;
                move || kind_name(i18n.get_locale(), kind)
            },
        ),
        Column::new(
            |l| td_string!(l, webhooks.url),
            |e: &Endpoint| view! { <span class="mono webhook-url">{e.url.clone()}</span> },
        ),
        Column::new(
            |l| td_string!(l, webhooks.events),
            move |e: &Endpoint| {
                let count = e.events.len();
                let titles = e.events.clone();
                view! {
                    <span title={move || titles.iter().map(|t| t.label(lang(i18n.get_locale()))).collect::<Vec<_>>().join("、")}>
                        {move || td_string!(i18n.get_locale(), webhooks.events_count, count = count)}
                    </span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, webhooks.state),
            move |e: &Endpoint| {
                let enabled = e.enabled;
                let reason = e.disabled_reason.clone();
                view! {
                    <div>
                    {if enabled {
                        view! { <span class="badge">{t!(i18n, webhooks.enabled)}</span> }.into_any()
                    } else {
                        view! { <span class="badge badge-off">{t!(i18n, webhooks.disabled)}</span> }.into_any()
                    }}
                    {reason.filter(|_| !enabled).map(|reason| view! { <br /><span class="muted">{reason}</span> })}
                    </div>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, webhooks.queue),
            move |e: &Endpoint| {
                let (waiting, failed) = (e.waiting, e.failed);
                view! {
                    <div>
                    <span>{move || td_string!(i18n.get_locale(), webhooks.waiting, count = waiting)}</span>
                    <br />
                    <span class={if failed > 0 { "report-error" } else { "muted" }}>
                        {move || td_string!(i18n.get_locale(), webhooks.failed, count = failed)}
                    </span>
                    </div>
                }
            },
        ),
        Column::actions(
            |l| td_string!(l, webhooks.actions),
            move |e: &Endpoint| row_actions(e, act, open),
        ),
    ]
}

/// Edit, test, enable or disable, new secret (a signed webhook), delete, and the log; each
/// button named by its action and the endpoint.
fn row_actions(
    e: &Endpoint,
    act: Action<(Endpoint, Act), ()>,
    open: RwSignal<Option<Open>>,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = e.id;
    let name_id = row_name_id(e);
    let button = move |what: &'static str| {
        let own = format!("endpoint-{id}-{what}");
        (own.clone(), format!("{own} {name_id}"))
    };
    let busy = move || act.pending().get().then_some("true");
    let run = move |endpoint: Endpoint, what: Act| {
        if !act.pending().get_untracked() {
            act.dispatch_local((endpoint, what));
        }
    };
    let (edit_id, edit_by) = button("edit");
    let (test_id, test_by) = button("test");
    let (toggle_id, toggle_by) = button("toggle");
    let (rotate_id, rotate_by) = button("rotate");
    let (delete_id, delete_by) = button("delete");
    let (log_id, log_by) = button("log");
    let (for_edit, for_test, for_toggle, for_rotate, for_delete) =
        (e.clone(), e.clone(), e.clone(), e.clone(), e.clone());
    let enabled = e.enabled;
    let signed = e.kind.makes_secret();
    view! {
        <button type="button" class="button button-secondary button-small" id=edit_id aria-labelledby=edit_by
            on:click=move |_| open.set(Some(Open::Edit(for_edit.clone())))>
            {t!(i18n, webhooks.edit)}
        </button>
        <button type="button" class="button button-secondary button-small" id=test_id aria-labelledby=test_by
            aria-disabled=busy on:click=move |_| run(for_test.clone(), Act::Test)>
            {t!(i18n, webhooks.test)}
        </button>
        <button type="button" class="button button-secondary button-small" id=toggle_id aria-labelledby=toggle_by
            aria-disabled=busy
            on:click=move |_| run(for_toggle.clone(), if enabled { Act::Disable } else { Act::Enable })>
            {if enabled { t!(i18n, webhooks.disable).into_any() } else { t!(i18n, webhooks.enable).into_any() }}
        </button>
        {signed.then(|| view! {
            <button type="button" class="button button-secondary button-small" id=rotate_id aria-labelledby=rotate_by
                on:click=move |_| open.set(Some(Open::Rotate(for_rotate.clone())))>
                {t!(i18n, webhooks.rotate)}
            </button>
        })}
        <button type="button" class="button button-danger button-small" id=delete_id aria-labelledby=delete_by
            on:click=move |_| open.set(Some(Open::Delete(for_delete.clone())))>
            {t!(i18n, webhooks.delete)}
        </button>
        <A href=format!("{WEBHOOKS_PATH}/{id}") attr:class="button button-secondary button-small" attr:id=log_id attr:aria-labelledby=log_by>
            {t!(i18n, webhooks.view_log)}
        </A>
    }
}
