//! One of the customer's evaluations (`/customer/evaluations/:number`); right after it was
//! submitted, with thanks.

use crate::locale::tr;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;
use pingjia_domain::evaluations::normalize_number;

use super::appeals::{AppealStatusPanel, EvaluationAppeals, VersionHistory, take_just_filed};
use super::{EVALUATIONS_PATH, use_customer};
use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::evaluation::EvaluationDetails;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::outbox::{self, Outcome};

#[derive(Debug, Clone, PartialEq, Params)]
struct NumberParams {
    number: Option<String>,
}

/// How the customer arrived at the evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arrival {
    /// They just submitted it.
    Submitted,
    /// They submitted a rating of a record that had this evaluation already.
    AlreadyRated,
    /// From a list, a look-up or a link.
    Visit,
}

/// The evaluation page.
#[component]
pub fn EvaluationPage() -> impl IntoView {
    let i18n = use_i18n();
    let _ = use_customer();
    let params = use_params::<NumberParams>();
    let number = Memo::new(move |_| {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.number.as_deref().and_then(normalize_number))
        })
    });
    // Taken once: after a reload or another visit, it is a visit.
    let arrival = match number
        .get_untracked()
        .as_deref()
        .and_then(outbox::take_outcome_of)
    {
        Some(Outcome::Sent(_)) => Arrival::Submitted,
        Some(Outcome::AlreadyRated(_)) => Arrival::AlreadyRated,
        _ => Arrival::Visit,
    };
    let just_filed = number
        .get_untracked()
        .as_deref()
        .is_some_and(take_just_filed);
    let evaluation = LocalResource::new(move || {
        let number = number.get();
        async move {
            match number {
                Some(number) => api::evaluations::evaluation(&number).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    let title = move || match arrival {
        Arrival::Submitted => t_string!(i18n, rating.thanks_title),
        _ => t_string!(i18n, rating.evaluation_title),
    };
    view! {
        <PageTitle page=Signal::derive(title) />
        <p class="breadcrumb">
            <A href=EVALUATIONS_PATH>{tr(i18n, |l| td_string!(l, rating.back_evaluations))}</A>
        </p>
        <h1>{title}</h1>
        <div role="status">
            {match arrival {
                Arrival::Submitted => Some(view! {
                    <p class="notice notice-success">{tr(i18n, |l| td_string!(l, rating.thanks_body))}</p>
                }.into_any()),
                Arrival::AlreadyRated => Some(view! {
                    <p class="notice">{tr(i18n, |l| td_string!(l, rating.already_rated))}</p>
                }.into_any()),
                Arrival::Visit => None,
            }}
            {just_filed.then(|| view! {
                <p class="notice notice-success">{tr(i18n, |l| td_string!(l, appeals.filed))}</p>
            })}
        </div>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match evaluation.await {
                    Ok(evaluation) => {
                        let number = evaluation.number.clone();
                        // Right after a rating: what was sent, then the way to the next
                        // service to rate; the appeal is there, but not the first action.
                        let just_rated = arrival == Arrival::Submitted;
                        let next = just_rated.then(|| view! {
                            <p class="page-actions">
                                <A href="/customer" attr:class="button">{tr(i18n, |l| td_string!(l, rating.rate_next))}</A>
                            </p>
                        });
                        Either::Left(view! {
                            {(!just_rated).then(|| view! { <AppealStatusPanel evaluation=evaluation.clone() /> })}
                            <EvaluationDetails evaluation=evaluation.clone() />
                            {next}
                            {just_rated.then(|| view! { <AppealStatusPanel evaluation=evaluation.clone() secondary=true /> })}
                            <VersionHistory evaluation />
                            <EvaluationAppeals number />
                        })
                    }
                    Err(ApiError::Forbidden | ApiError::NotFound) => Either::Right(view! {
                        <p class="notice notice-error" role="alert">{tr(i18n, |l| td_string!(l, rating.number_not_found))}</p>
                    }.into_any()),
                    Err(error) => Either::Right(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| evaluation.refetch()) />
                    }.into_any()),
                }
            })}
        </Transition>
    }
}
