//! Internal quality assurance (质检): the inspector's and admin's pages under `/qa` (home,
//! checklist templates, plans and their samples, the inspection of one record, rectification
//! tracking, a plan's report) and the agent's and team lead's own results (`/agent/qa`,
//! `/lead/qa`).
//!
//! This module holds what the pages share: addresses, the names of the QA enumerations, score
//! texts, labelled inputs with dynamic ids, the words of the QA field errors, and the tables
//! and cards several pages show.

pub mod calibration;
pub mod dispute_form;
pub mod dispute_rates;
pub mod disputes;
pub mod home;
pub mod inspect;
pub mod mine;
pub mod plan_list;
pub mod plan_samples;
pub mod plans;
pub mod rectifications;
pub mod report;
pub mod team;
pub mod templates;
pub mod versions;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::conversation::QuotedLine;
use crate::components::data_table::{Column, DataTable};
use crate::components::form::{ErrorWords, WordedErrors};
use pingjia_domain::FieldError;
use pingjia_domain::qa::{
    ItemResult, NAME_MAX_CHARS, Person, PlanSummary, Rectification, RectificationResult,
    RectificationStatus, SampleRow, SampleStatus, Stratum, StratumKey, TEXT_MAX_CHARS,
};

use crate::format::score_text;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::{channel_name, customer_type_name, in_language};
use crate::locale::tr;

/// The QA home.
pub const QA_PATH: &str = "/qa";
/// The list of plans.
pub const PLANS_PATH: &str = "/qa/plans";
/// The plan form.
pub const NEW_PLAN_PATH: &str = "/qa/plans/new";
/// The list of checklist templates.
pub const TEMPLATES_PATH: &str = "/qa/templates";
/// The template form.
pub const NEW_TEMPLATE_PATH: &str = "/qa/templates/new";
/// Rectification tracking.
pub const RECTIFICATIONS_PATH: &str = "/qa/rectifications";

/// The address of a plan.
pub fn plan_href(id: i64) -> String {
    format!("{PLANS_PATH}/{id}")
}

/// The address of a plan's report, compared with another plan when `compare` is given.
pub fn report_href(id: i64, compare: Option<i64>) -> String {
    match compare {
        Some(other) => format!("{PLANS_PATH}/{id}/report?compare={other}"),
        None => format!("{PLANS_PATH}/{id}/report"),
    }
}

/// The address of the inspection of a sampled record.
pub fn sample_href(id: i64) -> String {
    format!("/qa/samples/{id}")
}

/// The address of a template.
pub fn template_href(id: i64) -> String {
    format!("{TEMPLATES_PATH}/{id}")
}

/// The address of the template form prefilled with a copy of template `id`.
pub fn copy_template_href(id: i64) -> String {
    format!("{NEW_TEMPLATE_PATH}?copy={id}")
}

/// An item's result in words: 符合, 部分符合, 不符合, N/A.
pub fn item_result_name(locale: Locale, result: ItemResult) -> &'static str {
    match result {
        ItemResult::Compliant => td_string!(locale, qa.result_compliant),
        ItemResult::Partly => td_string!(locale, qa.result_partly),
        ItemResult::NonCompliant => td_string!(locale, qa.result_non_compliant),
        ItemResult::NotApplicable => td_string!(locale, qa.result_not_applicable),
    }
}

/// The class of an item result's badge.
pub fn item_result_class(result: ItemResult) -> &'static str {
    match result {
        ItemResult::Compliant => "badge",
        ItemResult::Partly => "badge badge-warn",
        ItemResult::NonCompliant => "badge badge-new",
        ItemResult::NotApplicable => "badge badge-off",
    }
}

/// A rectification's reported result in words: 已整改, 未整改, 需持续改进.
pub fn rectification_result_name(locale: Locale, result: RectificationResult) -> &'static str {
    match result {
        RectificationResult::Rectified => td_string!(locale, qa.rect_result_rectified),
        RectificationResult::NotRectified => td_string!(locale, qa.rect_result_not_rectified),
        RectificationResult::Ongoing => td_string!(locale, qa.rect_result_ongoing),
    }
}

/// Where a rectification stands, in words.
pub fn rectification_status_name(locale: Locale, status: RectificationStatus) -> &'static str {
    match status {
        RectificationStatus::Open => td_string!(locale, qa.rect_status_open),
        RectificationStatus::Reported => td_string!(locale, qa.rect_status_reported),
        RectificationStatus::Closed => td_string!(locale, qa.rect_status_closed),
    }
}

/// The class of a rectification status's badge.
pub fn rectification_status_class(status: RectificationStatus) -> &'static str {
    match status {
        RectificationStatus::Open => "badge badge-warn",
        RectificationStatus::Reported => "badge badge-off",
        RectificationStatus::Closed => "badge",
    }
}

/// What a plan's sample is stratified by, in words.
pub fn stratum_key_name(locale: Locale, key: StratumKey) -> &'static str {
    match key {
        StratumKey::ServiceType => td_string!(locale, qa.stratum_service_type),
        StratumKey::CustomerType => td_string!(locale, qa.stratum_customer_type),
        StratumKey::Channel => td_string!(locale, qa.stratum_channel),
    }
}

/// Whether a sample has been inspected, in words.
pub fn sample_status_name(locale: Locale, status: SampleStatus) -> &'static str {
    match status {
        SampleStatus::Pending => td_string!(locale, qa.sample_pending),
        SampleStatus::Inspected => td_string!(locale, qa.sample_inspected),
    }
}

/// A stratum's definition in words, e.g. "在线客服咨询 · 会员"; "全部" without strata.
pub fn stratum_label(locale: Locale, stratum: &Stratum) -> String {
    if stratum.parts.is_empty() {
        return td_string!(locale, qa.stratum_all).to_owned();
    }
    stratum
        .parts
        .iter()
        .map(|p| in_language(locale, &p.label_zh, &p.label_en))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A person as "name (no)", or the name alone when they have no number.
pub fn person_text(person: &Person) -> String {
    if person.no.is_empty() {
        person.name.clone()
    } else {
        format!("{} ({})", person.name, person.no)
    }
}

/// A day as `YYYY-MM-DD`.
pub fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A period as `YYYY-MM-DD – YYYY-MM-DD`.
pub fn period_text(from: NaiveDate, to: NaiveDate) -> String {
    format!("{} – {}", day_text(from), day_text(to))
}

/// The words of a QA field error (inspection, plan, template, report and re-check fields),
/// or the server's own message for a code this app does not know.
pub fn qa_error_text(locale: Locale, error: &FieldError) -> String {
    let field = error.field.as_str();
    let last = field.rsplit('.').next().unwrap_or(field);
    let text: &'static str = match (error.code.as_str(), field) {
        ("required", f) if f.starts_with("answers.") && last == "result" => {
            td_string!(locale, qa.error_result_required)
        }
        ("required", f) if f.starts_with("answers.") && last == "problem" => {
            td_string!(locale, qa.error_problem_required)
        }
        ("required" | "out_of_range", f) if f.starts_with("scores.") => {
            td_string!(locale, qa.error_score_required)
        }
        ("required", f) if f.starts_with("rectifications.") && last == "owner_id" => {
            td_string!(locale, qa.error_owner_required)
        }
        ("unknown", f) if f.starts_with("rectifications.") && last == "owner_id" => {
            td_string!(locale, qa.error_owner_unknown)
        }
        ("required", f) if f.starts_with("rectifications.") && last == "deadline" => {
            td_string!(locale, qa.error_deadline_required)
        }
        ("in_past", _) => td_string!(locale, qa.error_deadline_past),
        ("not_in_transcript", _) => td_string!(locale, qa.error_quote_not_in_transcript),
        ("required", "note") => td_string!(locale, qa.error_note_required),
        ("required", "result") => td_string!(locale, qa.error_rect_result_required),
        ("required", "name" | "name_zh") => td_string!(locale, qa.error_name_required),
        ("required", "inspector_ids") => td_string!(locale, qa.error_inspectors_required),
        ("required", "template_id") => td_string!(locale, qa.error_template_required),
        ("required", "from" | "to") => td_string!(locale, qa.error_date_required),
        ("required", "dimensions") => td_string!(locale, qa.error_dimensions_required),
        ("no_items", "dimensions") => td_string!(locale, qa.error_template_no_items),
        ("no_items", "template_id") => td_string!(locale, qa.error_template_unusable),
        ("before_start", _) => td_string!(locale, qa.error_before_start),
        ("in_future", _) => td_string!(locale, qa.error_in_future),
        ("too_long", "to") => td_string!(locale, qa.error_period_too_long),
        ("empty", "scope") => td_string!(locale, qa.error_scope_empty),
        ("duplicate", _) => td_string!(locale, qa.error_duplicate),
        ("out_of_range", _) => td_string!(locale, qa.error_out_of_range),
        ("not_a_number", _) => td_string!(locale, qa.error_not_a_number),
        ("too_long", f) => {
            let max = if f.ends_with("name_zh") || f.ends_with("name_en") || f == "name" {
                NAME_MAX_CHARS
            } else {
                TEXT_MAX_CHARS
            };
            return td_string!(locale, qa.error_too_long, max = max.to_string());
        }
        ("required", _) => td_string!(locale, field_errors.required),
        _ => return error.message.clone(),
    };
    text.to_owned()
}

/// The field errors of a QA form: its own checks, then the server's.
pub type QaErrors = WordedErrors<QaWords>;

/// The words of the QA forms' field errors.
#[derive(Debug)]
pub struct QaWords;

impl ErrorWords for QaWords {
    fn words(locale: Locale, error: &FieldError) -> String {
        qa_error_text(locale, error)
    }
}

/// A table of plans: name, period, template, progress, open rectifications, report.
#[component]
pub fn PlanTable(
    /// The plans, newest first.
    plans: Vec<PlanSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    if plans.is_empty() {
        return view! { <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.plans_empty))}</p> }
            .into_any();
    }
    let columns = vec![
        Column::new(
            |l| td_string!(l, qa.plan_name),
            |plan: &PlanSummary| {
                let name = plan.name.clone();
                view! { <A href=plan_href(plan.id)>{name}</A> }
            },
        )
        .row_header(None),
        Column::new(
            |l| td_string!(l, qa.period),
            |plan: &PlanSummary| period_text(plan.from, plan.to),
        ),
        Column::new(
            |l| td_string!(l, qa.template),
            move |plan: &PlanSummary| {
                let (zh, en) = (plan.template_name_zh.clone(), plan.template_name_en.clone());
                move || in_language(i18n.get_locale(), &zh, &en).to_owned()
            },
        ),
        Column::new(
            |l| td_string!(l, qa.progress),
            |plan: &PlanSummary| format!("{}/{}", plan.inspected_count, plan.sample_count),
        ),
        Column::new(
            |l| td_string!(l, qa.open_rectifications),
            |plan: &PlanSummary| plan.open_rectifications,
        ),
        Column::new(
            |l| td_string!(l, qa.report),
            move |plan: &PlanSummary| {
                view! { <A href=report_href(plan.id, None)>{tr(i18n, |l| td_string!(l, qa.view_report))}</A> }
            },
        ),
    ];
    view! {
        <div class="table-scroll">
            <DataTable
                class="data-table qa-table"
                testid="qa-plan-table"
                caption=|l| td_string!(l, qa.plans_heading)
                columns
                rows=plans
            />
        </div>
    }
    .into_any()
}

/// A table of sampled records with a link to inspect (or view) each (the server pages them).
#[component]
pub fn SampleTable(
    /// The samples.
    samples: Vec<SampleRow>,
    /// The table's caption.
    #[prop(into)]
    caption: Signal<String>,
    /// Whether to show the plan of each sample.
    #[prop(optional)]
    show_plan: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if samples.is_empty() {
        return view! { <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.samples_empty))}</p> }
            .into_any();
    }
    let label = move |f: fn(Locale) -> &'static str| move || f(i18n.get_locale());
    let row = move |s: SampleRow| {
        let (zh, en) = (
            s.service_type_name_zh.clone(),
            s.service_type_name_en.clone(),
        );
        let channel = s.channel;
        let kind = s.customer_type;
        let status = s.status;
        let id = s.id;
        let record_id = format!("sample-{id}-record");
        let action_id = format!("sample-{id}-action");
        let plan = show_plan.then(|| {
            let href = plan_href(s.plan_id);
            view! {
                <td data-label=label(|l| td_string!(l, qa.plan))>
                    <A href=href>{s.plan_name.clone()}</A>
                </td>
            }
        });
        view! {
            <tr data-testid=format!("qa-sample-{id}")>
                <th scope="row" id=record_id.clone() class="mono" data-label=label(|l| td_string!(l, qa.record))>
                    {s.external_id.clone()}
                </th>
                {plan}
                <td data-label=label(|l| td_string!(l, qa.agent))>{person_text(&s.agent)}</td>
                <td data-label=label(|l| td_string!(l, qa.service_type))>
                    {move || in_language(i18n.get_locale(), &zh, &en).to_owned()}
                </td>
                <td data-label=label(|l| td_string!(l, qa.channel))>
                    {move || channel_name(i18n.get_locale(), channel)}
                </td>
                <td data-label=label(|l| td_string!(l, qa.customer_type))>
                    {move || kind.map_or("—", |k| customer_type_name(i18n.get_locale(), k))}
                </td>
                <td data-label=label(|l| td_string!(l, qa.inspector))>{person_text(&s.inspector)}</td>
                <td data-label=label(|l| td_string!(l, qa.status))>
                    <span class=if status == SampleStatus::Inspected { "badge" } else { "badge badge-off" }>
                        {move || sample_status_name(i18n.get_locale(), status)}
                    </span>
                </td>
                <td data-label=label(|l| td_string!(l, qa.qa_score))>{score_text(s.qa_score)}</td>
                <td data-label=label(|l| td_string!(l, qa.wanting_count))>{s.wanting}</td>
                <td data-label=label(|l| td_string!(l, qa.actions))>
                    <A
                        href=sample_href(id)
                        attr:id=action_id.clone()
                        attr:aria-labelledby=format!("{action_id} {record_id}")
                    >
                        {move || {
                            if status == SampleStatus::Pending {
                                td_string!(i18n.get_locale(), qa.inspect)
                            } else {
                                td_string!(i18n.get_locale(), qa.view_inspection)
                            }
                        }}
                    </A>
                </td>
            </tr>
        }
    };
    let rows = samples.into_iter().map(row).collect_view();
    view! {
        <div class="table-scroll">
            <table class="data-table qa-table" data-testid="qa-sample-table">
                <caption class="visually-hidden">{move || caption.get()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.record))}</th>
                        {show_plan.then(|| view! { <th scope="col">{tr(i18n, |l| td_string!(l, qa.plan))}</th> })}
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.agent))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.service_type))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.channel))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.customer_type))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.inspector))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.status))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.qa_score))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.wanting_count))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.actions))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One rectification: record, agent, item, problem, owner, deadline (overdue marked), status,
/// the owner's result and note, and the inspector's re-check note; `children` are its actions.
#[component]
pub fn RectificationCard(
    /// The rectification.
    rectification: Rectification,
    /// Its actions (re-check buttons, the report form).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = rectification;
    let id = r.id;
    let heading_id = format!("rect-{id}-title");
    let labelled_by = heading_id.clone();
    let status = r.status;
    let found = r.result_found;
    let (item_zh, item_en) = (r.item_name_zh.clone(), r.item_name_en.clone());
    let (dim_zh, dim_en) = (r.dimension_name_zh.clone(), r.dimension_name_en.clone());
    let fact = |term: fn(Locale) -> &'static str, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{move || term(i18n.get_locale())}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let deadline = day_text(r.deadline);
    let overdue = r.overdue;
    let mut facts = vec![
        fact(
            |l| td_string!(l, qa.record),
            view! { <span class="mono">{r.external_id.clone()}</span> }.into_any(),
        ),
        fact(|l| td_string!(l, qa.agent), person_text(&r.agent).into_any()),
        fact(|l| td_string!(l, qa.owner), person_text(&r.owner).into_any()),
        fact(
            |l| td_string!(l, qa.deadline),
            view! {
                <span>{deadline}</span>
                {overdue.then(|| view! {
                    " " <span class="badge badge-new">{tr(i18n, |l| td_string!(l, qa.overdue_badge))}</span>
                })}
            }
            .into_any(),
        ),
        fact(
            |l| td_string!(l, qa.plan),
            view! { <A href=plan_href(r.plan_id)>{r.plan_name.clone()}</A> }.into_any(),
        ),
        fact(|l| td_string!(l, qa.inspector), person_text(&r.inspector).into_any()),
    ];
    if let Some(result) = r.result {
        facts.push(fact(
            |l| td_string!(l, qa.rect_result),
            (move || rectification_result_name(i18n.get_locale(), result)).into_any(),
        ));
    }
    let owner_note = r.owner_note.clone().map(|note| {
        view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, qa.owner_note))}</p>
            <p class="suggestion-text">{note}</p>
        }
    });
    let sent_back = status == RectificationStatus::Open;
    let check_note = r.check_note.clone().map(|note| {
        view! {
            <p class="appeal-label">
                {move || {
                    if sent_back {
                        td_string!(i18n.get_locale(), qa.sent_back_note)
                    } else {
                        td_string!(i18n.get_locale(), qa.check_note)
                    }
                }}
            </p>
            <p class="suggestion-text" data-testid=format!("rect-{id}-check-note")>{note}</p>
        }
    });
    view! {
        <article class="card qa-rect" aria-labelledby=labelled_by data-testid=format!("qa-rect-{id}")>
            <div class="appeal-head">
                <h3 id=heading_id>
                    {move || {
                        format!(
                            "{} · {}",
                            in_language(i18n.get_locale(), &dim_zh, &dim_en),
                            in_language(i18n.get_locale(), &item_zh, &item_en),
                        )
                    }}
                </h3>
                <span class=rectification_status_class(status) data-testid=format!("rect-{id}-status")>
                    {move || rectification_status_name(i18n.get_locale(), status)}
                </span>
                <span class=item_result_class(found)>{move || item_result_name(i18n.get_locale(), found)}</span>
            </div>
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, qa.problem))}</p>
            <p class="suggestion-text">{r.problem.clone()}</p>
            {r.quote.clone().map(|quote| view! { <QuotedLine quote /> })}
            <dl class="facts qa-facts">{facts}</dl>
            {owner_note}
            {check_note}
            {children.map(|c| c())}
        </article>
    }
}
