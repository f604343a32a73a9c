//! The customer's evaluations (`/customer/evaluations`): look one up by its number, and the
//! list of all of them, newest first, page by page (`?page=`).

use crate::locale::tr;
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use pingjia_domain::FieldError;
use pingjia_domain::evaluations::{MyEvaluationPage, normalize_number};

use super::{EVALUATIONS_PATH, PendingBanner, evaluation_href, use_customer};
use crate::api::{self, ApiError};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::form::{TextField, focus_first_invalid};
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::components::pager::Pager;
use crate::format::{local_time, total_text};
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels::in_language;

/// Evaluations per page of the history.
pub const PER_PAGE: u32 = 10;

const LOOKUP_FORM_ID: &str = "lookup-form";

/// The address of a page of the history.
fn page_href(page: u32) -> String {
    if page <= 1 {
        EVALUATIONS_PATH.to_owned()
    } else {
        format!("{EVALUATIONS_PATH}?page={page}")
    }
}

/// The look-up and the history.
#[component]
pub fn MyEvaluations() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_customer();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1)
        })
    });
    let history =
        LocalResource::new(move || api::evaluations::my_evaluations(page.get(), PER_PAGE));
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, rating.evaluations_title)) />
        <h1>{tr(i18n, |l| td_string!(l, rating.evaluations_title))}</h1>
        {move || user.get().map(|user_id| view! { <PendingBanner user_id /> })}
        <LookUp />
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{tr(i18n, |l| td_string!(l, rating.history_heading))}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(page) => Either::Left(view! { <History page /> }),
                        Err(error) => Either::Right(view! {
                            <ErrorPanel error on_retry=Callback::new(move |()| history.refetch()) />
                        }),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Look an evaluation up by its number.
#[component]
fn LookUp() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let number = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let failure = RwSignal::new(None::<ApiError>);
    let look_up = Action::new_local(move |number: &String| {
        let number = number.clone();
        let navigate = navigate.clone();
        async move {
            match api::evaluations::evaluation(&number).await {
                Ok(_) => navigate(&evaluation_href(&number), Default::default()),
                Err(ApiError::Forbidden | ApiError::NotFound) => {
                    error.set(Some(FieldError::new(
                        "evaluation_number",
                        "not_found",
                        "no evaluation of yours has this number",
                    )));
                    focus_first_invalid(LOOKUP_FORM_ID);
                }
                Err(other) => failure.set(Some(other)),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if look_up.pending().get_untracked() {
            return;
        }
        failure.set(None);
        match normalize_number(&number.get_untracked()) {
            Some(normalized) => {
                error.set(None);
                number.set(normalized.clone());
                look_up.dispatch_local(normalized);
            }
            None => {
                error.set(Some(FieldError::new(
                    "evaluation_number",
                    "invalid",
                    "write the number as PJ20261122-000123",
                )));
                focus_first_invalid(LOOKUP_FORM_ID);
            }
        }
    };
    view! {
        <section class="panel" aria-labelledby="lookup-title">
            <h2 id="lookup-title">{tr(i18n, |l| td_string!(l, rating.lookup_heading))}</h2>
            <form id=LOOKUP_FORM_ID class="form lookup-form" novalidate on:submit=on_submit>
                <TextField
                    id="evaluation_number"
                    label=Signal::derive(move || t_string!(i18n, rating.number_label))
                    hint=Signal::derive(move || Some(t_string!(i18n, rating.number_hint).to_owned()))
                    value=number
                    autocomplete="off"
                    required=true
                    error=error
                />
                <div role="alert">
                    {move || {
                        failure
                            .get()
                            .map(|failure| {
                                view! { <p class="notice notice-error">{error_message(i18n, &failure)}</p> }
                            })
                    }}
                </div>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button"
                        aria-disabled=move || look_up.pending().get().then_some("true")
                    >
                        {tr(i18n, |l| td_string!(l, rating.lookup_submit))}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// A page of the history, with the way to the others.
#[component]
fn History(
    /// The page.
    page: MyEvaluationPage,
) -> impl IntoView {
    let i18n = use_i18n();
    if page.evaluations.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">
                {if page.page > 1 {
                    tr(i18n, |l| td_string!(l, rating.history_page_empty)).into_any()
                } else {
                    tr(i18n, |l| td_string!(l, rating.history_empty)).into_any()
                }}
            </p>
        });
    }
    let pages = u32::try_from(page.total.div_ceil(u64::from(page.per_page.max(1))))
        .unwrap_or(u32::MAX)
        .max(1);
    let current = page.page;
    let previous = (current > 1).then(|| page_href(current - 1));
    let next = (current < pages).then(|| page_href(current + 1));
    let items = page
        .evaluations
        .into_iter()
        .map(|evaluation| {
            let (zh, en) = (
                evaluation.service_type_name_zh,
                evaluation.service_type_name_en,
            );
            let total = total_text(evaluation.total_score);
            let overall = evaluation.overall;
            let agent = evaluation.agent_name;
            let submitted = local_time(evaluation.submitted_at);
            view! {
                <li class="record-card">
                    <h3 class="record-title">
                        <A href=evaluation_href(&evaluation.number)>
                            <span class="mono">{evaluation.number.clone()}</span>
                        </A>
                    </h3>
                    <p class="record-meta">
                        {move || in_language(i18n.get_locale(), &zh, &en).to_owned()} " · "
                        {t!(i18n, rating.served_by, agent)}
                    </p>
                    <p class="record-meta">{t!(i18n, rating.submitted_at, submitted)}</p>
                    <p class="record-scores">{t!(i18n, rating.scores_summary, total, overall)}</p>
                </li>
            }
        })
        .collect_view();
    Either::Right(view! {
        <ul class="record-list">{items}</ul>
        <Pager previous next page={u64::from(current)} pages={u64::from(pages)} />
    })
}
