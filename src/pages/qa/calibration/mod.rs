//! Calibration between QA inspectors (校准, issue 25): the sessions (`/qa/calibrations`, a page
//! at a time from the server, by status), the form that starts one (`new`), a session's page
//! (`session`: the blind scoring form while it is open, the comparison and the agreed answers
//! once closed, `results`), and each inspector's deviation from the agreed answers
//! (`deviation`).

pub mod deviation;
pub mod new;
mod pick;
mod results;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use pingjia_domain::FieldError;
use pingjia_domain::qa::{CalibrationPage, CalibrationStatus, CalibrationSummary};

use crate::api;
use crate::api::calibration::CalibrationQuery;
use crate::api::query::{self, paged_href};
use crate::components::data_table::{Column, DataTable, Loaded, PagedList, Paging};
use crate::components::form::{ErrorWords, WordedErrors};
use crate::components::page::PageTitle;
use crate::components::status_tabs::{StatusTab, StatusTabs};
use crate::format::local_time;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::person_text;

/// The list of sessions.
pub const CALIBRATIONS_PATH: &str = "/qa/calibrations";
/// The form that starts one.
pub const NEW_CALIBRATION_PATH: &str = "/qa/calibrations/new";
/// Each inspector's deviation from the agreed answers.
pub const DEVIATION_PATH: &str = "/qa/calibrations/deviation";

/// The address of a session.
pub fn calibration_href(id: i64) -> String {
    format!("{CALIBRATIONS_PATH}/{id}")
}

/// A session's status in words.
pub fn status_name(locale: Locale, status: CalibrationStatus) -> &'static str {
    match status {
        CalibrationStatus::Open => td_string!(locale, calibration.status_open),
        CalibrationStatus::Closed => td_string!(locale, calibration.status_closed),
    }
}

/// The words of a calibration field error.
pub fn calibration_error_text(locale: Locale, error: &FieldError) -> String {
    let field = error.field.as_str();
    let text: &'static str = match (error.code.as_str(), field) {
        ("required", "records") => td_string!(locale, calibration.error_records_required),
        ("unknown", f) if f.starts_with("records.") => {
            td_string!(locale, calibration.error_record_unknown)
        }
        ("unknown", "inspector_ids") => td_string!(locale, calibration.error_inspectors_unknown),
        ("too_few", _) => td_string!(locale, calibration.error_too_few),
        ("unknown", "template_id") => td_string!(locale, calibration.error_template_unknown),
        ("no_items", _) => td_string!(locale, calibration.error_template_unusable),
        ("too_many", _) => td_string!(locale, calibration.error_too_many),
        ("duplicate", _) => td_string!(locale, calibration.error_duplicate),
        ("required" | "out_of_range", f) if f.starts_with("scores.") => {
            td_string!(locale, calibration.error_score_required)
        }
        ("required", f) if f.starts_with("answers.") => {
            td_string!(locale, calibration.error_answer_required)
        }
        ("unknown", _) => td_string!(locale, calibration.error_unknown),
        ("too_long", _) => td_string!(locale, calibration.error_too_long),
        ("control_character", _) => td_string!(locale, calibration.error_control),
        ("required", _) => td_string!(locale, calibration.error_required),
        _ => return error.message.clone(),
    };
    text.to_owned()
}

/// The words of the calibration forms' field errors.
#[derive(Debug)]
pub struct CalibrationWords;

impl ErrorWords for CalibrationWords {
    fn words(locale: Locale, error: &FieldError) -> String {
        calibration_error_text(locale, error)
    }
}

/// The field errors of a calibration form.
pub type CalibrationErrors = WordedErrors<CalibrationWords>;

fn query_from_params(params: &ParamsMap) -> CalibrationQuery {
    let query: CalibrationQuery = query::from_pairs(params.latest_values(), &[]);
    CalibrationQuery {
        page: query.page.max(1),
        ..query
    }
}

fn list_href(query: &CalibrationQuery) -> String {
    paged_href(
        CALIBRATIONS_PATH,
        query,
        query::Paging::after_first(query.page),
    )
}

/// The sessions, newest first, a page at a time (`/qa/calibrations`).
#[component]
pub fn CalibrationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::calibration::calibrations(&query).await }
    });
    let tabs = [
        None,
        Some(CalibrationStatus::Open),
        Some(CalibrationStatus::Closed),
    ]
    .into_iter()
    .map(|status| StatusTab {
        href: Signal::derive(move || list_href(&CalibrationQuery { status, page: 1 })),
        label: Signal::derive(move || match status {
            None => t_string!(i18n, calibration.filter_all).to_owned(),
            Some(s) => status_name(i18n.get_locale(), s).to_owned(),
        }),
        count: Signal::derive(move || {
            list.get()
                .and_then(Result::ok)
                .filter(|_| query.with(|q| q.status == status))
                .map(|p| p.total)
        }),
        current: Signal::derive(move || query.with(|q| q.status == status)),
    })
    .collect();
    let tab_label = Signal::derive(move || t_string!(i18n, calibration.filter_label).to_owned());
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, calibration.list_heading)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, calibration.list_heading))}</h1>
            <p class="page-actions">
                <A href=NEW_CALIBRATION_PATH attr:class="button" attr:data-testid="cal-new">
                    {tr(i18n, |l| td_string!(l, calibration.new))}
                </A>
                <A href=DEVIATION_PATH attr:class="button button-secondary" attr:data-testid="cal-deviation-link">
                    {tr(i18n, |l| td_string!(l, calibration.deviation_link))}
                </A>
            </p>
        </div>
        <p class="lead">{tr(i18n, |l| td_string!(l, calibration.list_lead))}</p>
        <StatusTabs tabs label=tab_label class="qa-filters" />
        <Loaded
            resource=list
            view=move |page| view! { <Sessions page query=query.get_untracked() /> }
        />
    }
}

/// One page of sessions and the pager.
#[component]
fn Sessions(
    /// The page as loaded.
    page: CalibrationPage,
    /// What it was loaded with.
    query: CalibrationQuery,
) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(
        page.page,
        page.per_page.max(1),
        page.total,
        page.sessions.len(),
    );
    let Paging {
        total, first, last, ..
    } = paging;
    let empty = move || {
        if total > 0 {
            td_string!(i18n.get_locale(), calibration.page_empty)
        } else {
            td_string!(i18n.get_locale(), calibration.empty)
        }
    };
    let href = move |n: u64| {
        list_href(&CalibrationQuery {
            page: u32::try_from(n).unwrap_or(1),
            ..query.clone()
        })
    };
    let count = move || {
        td_string!(
            i18n.get_locale(),
            calibration.count,
            count = total.to_string(),
            first = first.to_string(),
            last = last.to_string()
        )
    };
    let columns = vec![
        Column::new(
            |l| td_string!(l, calibration.name),
            |s: &CalibrationSummary| {
                let name = s.name.clone();
                view! { <A href=calibration_href(s.id)>{name}</A> }
            },
        )
        .row_header(None),
        Column::new(
            |l| td_string!(l, calibration.template),
            move |s: &CalibrationSummary| {
                let (zh, en) = (s.template_name_zh.clone(), s.template_name_en.clone());
                move || in_language(i18n.get_locale(), &zh, &en).to_owned()
            },
        ),
        Column::new(
            |l| td_string!(l, calibration.lead),
            |s: &CalibrationSummary| person_text(&s.lead),
        ),
        Column::new(
            |l| td_string!(l, calibration.records),
            |s: &CalibrationSummary| s.record_count,
        ),
        Column::new(
            |l| td_string!(l, calibration.progress),
            |s: &CalibrationSummary| format!("{}/{}", s.submitted_count, s.inspector_count),
        ),
        Column::new(
            |l| td_string!(l, calibration.status),
            move |s: &CalibrationSummary| {
                let (status, mine, agreed) = (s.status, s.my_turn, s.agreed);
                view! {
                    <span class=if status == CalibrationStatus::Open { "badge badge-warn" } else { "badge" }>
                        {move || status_name(i18n.get_locale(), status)}
                    </span>
                    {mine.then(|| view! { " " <span class="badge badge-new">{tr(i18n, |l| td_string!(l, calibration.your_turn))}</span> })}
                    {agreed.then(|| view! { " " <span class="badge badge-off">{tr(i18n, |l| td_string!(l, calibration.agreed_badge))}</span> })}
                }
            },
        ),
        Column::new(
            |l| td_string!(l, calibration.created),
            |s: &CalibrationSummary| local_time(s.created_at),
        ),
    ];
    let rows = page.sessions;
    view! {
        <PagedList paging href count=count.into_any() empty=empty.into_any()>
            <div class="table-scroll">
                <DataTable
                    class="data-table qa-table"
                    testid="cal-table"
                    caption=|l| td_string!(l, calibration.list_caption)
                    columns
                    rows
                />
            </div>
        </PagedList>
    }
}

/// What a failed load of a session shows: the error, and the way back to the list.
pub(crate) fn back_link() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>
            <A href=CALIBRATIONS_PATH>{tr(i18n, |l| td_string!(l, calibration.back_to_list))}</A>
        </p>
    }
}
