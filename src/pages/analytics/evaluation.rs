//! One evaluation of the drill-down list (`/admin/analytics/evaluations/:number`), where a
//! row's number leads: its scores, suggestion and the service it rates, whether an appeal
//! waits on it or changed it, and the way back to the same list (the list's filter, clicked
//! element and page ride along in the address, as the list's own address holds them).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params, use_query_map};
use leptos_router::params::Params;
use pingjia_domain::evaluations::{CustomerStatus, Evaluation, normalize_number};

use super::routes::{drill_from_params, drill_href, filter_from_params, page_from_params};
use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::evaluation::EvaluationDetails;
use crate::components::page::PageTitle;
use crate::i18n::{td_string, use_i18n};
use crate::locale::tr;

/// Where the admins decide appeals.
const APPEALS_PATH: &str = "/admin/appeals";

#[derive(Debug, Clone, PartialEq, Params)]
struct NumberParams {
    number: Option<String>,
}

/// The page of one evaluation.
#[component]
pub fn EvaluationDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params::<NumberParams>();
    let query = use_query_map();
    let number = Memo::new(move |_| {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.number.as_deref().and_then(normalize_number))
        })
    });
    let back = move || {
        query.with(|q| {
            drill_href(
                &filter_from_params(q),
                &drill_from_params(q),
                page_from_params(q),
            )
        })
    };
    let evaluation = LocalResource::new(move || {
        let number = number.get();
        async move {
            match number {
                Some(number) => api::evaluations::evaluation(&number).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    let heading = move || {
        let locale = i18n.get_locale();
        match number.get() {
            Some(number) => td_string!(locale, analytics.evaluation_title, number = number),
            None => td_string!(locale, analytics.evaluation_page).to_owned(),
        }
    };
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), analytics.evaluation_page)) />
        <p class="breadcrumb">
            <A href=back>{tr(i18n, |l| td_string!(l, analytics.back_to_list))}</A>
        </p>
        <h1>{heading}</h1>
        <Loaded resource=evaluation view=|evaluation| view! { <EvaluationView evaluation /> } />
    }
}

/// A loaded evaluation: what an appeal did to it, then the evaluation as its customer sees it.
#[component]
fn EvaluationView(evaluation: Evaluation) -> impl IntoView {
    let i18n = use_i18n();
    let version = evaluation.version;
    let notice = match evaluation.status {
        CustomerStatus::AppealPending => Some(
            view! {
                <p class="notice notice-warn">
                    {tr(i18n, |l| td_string!(l, analytics.evaluation_appeal_pending))} " "
                    <A href=APPEALS_PATH>{tr(i18n, |l| td_string!(l, analytics.evaluation_to_appeals))}</A>
                </p>
            }
            .into_any(),
        ),
        CustomerStatus::Revised => Some(
            view! {
                <p class="notice">
                    {move || td_string!(
                        i18n.get_locale(),
                        analytics.evaluation_revised,
                        version = version.to_string()
                    )}
                </p>
            }
            .into_any(),
        ),
        CustomerStatus::Recorded => None,
    };
    view! {
        {notice}
        <EvaluationDetails evaluation />
    }
}
