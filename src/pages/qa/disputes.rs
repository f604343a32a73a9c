//! The reviewers' side of disputes of a QA score (`/qa/disputes`, 申诉复核): the list, a page
//! at a time, open ones first (the one waiting longest first), by tab in the address; and one
//! dispute (`/qa/disputes/{id}`) with its decision: each disputed item upheld or changed (its
//! new result and, when it should change, its dimension's score) with a reason. The original
//! inspector sees it without the form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::qa::{
    Dispute, DisputeDecision, DisputeItem, DisputeOutcome, DisputePage, DisputeStatus,
    ItemDecision, ItemResult,
};

use crate::api::qa_disputes::DisputeQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self, ApiError};
use crate::components::data_table::{Loaded, PagedList, Paging};
use crate::components::form::error_id;
use crate::components::form::failure::refused;
use crate::components::form::fields::{ErrorLine, TextAreaField};
use crate::components::form::focus_first_invalid;
use crate::components::page::PageTitle;
use crate::components::status_tabs::{StatusTab, StatusTabs};
use crate::format::local_time;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::dispute_form::{
    DisputeErrors, DisputeItems, dispute_failure, dispute_status_class, dispute_status_name,
    outcome_name,
};
use crate::pages::qa::{item_result_class, item_result_name, person_text, sample_href};

/// The list of disputes.
pub const DISPUTES_PATH: &str = "/qa/disputes";

/// The address of one dispute.
pub fn dispute_href(id: i64) -> String {
    format!("{DISPUTES_PATH}/{id}")
}

/// The tab and page of the list as the address carries them.
pub fn dispute_query_from_params(params: &ParamsMap) -> DisputeQuery {
    let query: DisputeQuery = query::from_pairs(params.latest_values(), &[]);
    DisputeQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of the list at this tab and page (the first page left out).
pub fn disputes_href(query: &DisputeQuery) -> String {
    paged_href(DISPUTES_PATH, query, query::Paging::after_first(query.page))
}

/// The list with its tabs and pages.
#[component]
pub fn DisputesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(dispute_query_from_params));
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::qa_disputes::list(&query).await }
    });
    let tabs = [
        None,
        Some(DisputeStatus::Open),
        Some(DisputeStatus::Decided),
    ]
    .into_iter()
    .map(|status| StatusTab {
        href: Signal::derive(move || {
            disputes_href(&DisputeQuery {
                status,
                page: 1,
                ..query.get()
            })
        }),
        label: Signal::derive(move || {
            let l = i18n.get_locale();
            match status {
                None => td_string!(l, qa_disputes.all),
                Some(s) => dispute_status_name(l, s),
            }
            .to_owned()
        }),
        count: Signal::derive(move || {
            list.get().and_then(Result::ok).map(|p| match status {
                None => p.open + p.decided,
                Some(DisputeStatus::Open) => p.open,
                Some(DisputeStatus::Decided) => p.decided,
            })
        }),
        current: Signal::derive(move || query.with(|q| q.status == status)),
    })
    .collect();
    let label = Signal::derive(move || t_string!(i18n, qa_disputes.tab_label).to_owned());
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa_disputes.title)) />
        <h1>{tr(i18n, |l| td_string!(l, qa_disputes.title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, qa_disputes.intro))}</p>
        <StatusTabs tabs label class="qa-filters" />
        <Loaded
            resource=list
            view=move |page| view! { <DisputeList page query=query.get_untracked() /> }
        />
    }
}

/// One page of disputes and the pager.
#[component]
fn DisputeList(page: DisputePage, query: DisputeQuery) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(
        page.page,
        page.per_page.max(1),
        page.total,
        page.disputes.len(),
    );
    let Paging {
        total, first, last, ..
    } = paging;
    let empty = move || {
        let l = i18n.get_locale();
        if total > 0 {
            td_string!(l, qa_disputes.page_empty)
        } else {
            td_string!(l, qa_disputes.empty)
        }
    };
    let count = move || {
        td_string!(
            i18n.get_locale(),
            qa_disputes.count,
            count = total.to_string(),
            first = first.to_string(),
            last = last.to_string()
        )
    };
    let href = move |n: u64| {
        disputes_href(&DisputeQuery {
            page: u32::try_from(n).unwrap_or(1),
            ..query.clone()
        })
    };
    let cards = page
        .disputes
        .into_iter()
        .map(|d| view! { <li><DisputeCard dispute=d /></li> })
        .collect_view();
    view! {
        <PagedList paging href count=count.into_any() empty=empty.into_any()>
            <ul class="qa-rect-list" data-testid="dispute-list">{cards}</ul>
        </PagedList>
    }
}

/// A dispute in the list: record, plan, agent, inspector, who filed it and when, its items.
#[component]
fn DisputeCard(dispute: Dispute) -> impl IntoView {
    let i18n = use_i18n();
    let id = dispute.id;
    let title_id = format!("dispute-{id}-title");
    let link_id = format!("dispute-{id}-open");
    let status = dispute.status;
    let (who, at) = (person_text(&dispute.filed_by), local_time(dispute.filed_at));
    let items = dispute.items.len().to_string();
    let agent = person_text(&dispute.agent);
    let inspector = person_text(&dispute.inspector);
    let may_decide = dispute.may_decide;
    view! {
        <article class="card qa-rect-card" aria-labelledby=title_id.clone() data-testid=format!("dispute-{id}")>
            <h3 id=title_id.clone()>
                <span class="mono">{dispute.external_id.clone()}</span> " · " {dispute.plan_name.clone()}
            </h3>
            <p>
                <span class=dispute_status_class(status)>{move || dispute_status_name(i18n.get_locale(), status)}</span>
                " " {move || td_string!(i18n.get_locale(), qa_disputes.items_count, count = items.clone())}
            </p>
            <p class="record-meta">
                {tr(i18n, |l| td_string!(l, qa_disputes.agent))} " " {agent} " · "
                {tr(i18n, |l| td_string!(l, qa_disputes.inspector))} " " {inspector}
            </p>
            <p class="record-meta">
                {move || td_string!(i18n.get_locale(), qa_disputes.filed, who = who.clone(), at = at.clone())}
            </p>
            <p class="row-actions">
                <A
                    href=dispute_href(id)
                    attr:id=link_id.clone()
                    attr:class=if may_decide { "button" } else { "button button-secondary" }
                    attr:aria-labelledby=format!("{link_id} {title_id}")
                >
                    {move || if may_decide {
                        t_string!(i18n, qa_disputes.review)
                    } else {
                        t_string!(i18n, qa_disputes.view)
                    }}
                </A>
            </p>
        </article>
    }
}

/// One dispute and, for a reviewer other than its inspector while open, its decision.
#[component]
pub fn DisputePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    };
    let dispute = LocalResource::new(move || api::qa_disputes::dispute(id()));
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa_disputes.detail_title)) />
        <p><A href=DISPUTES_PATH>{tr(i18n, |l| td_string!(l, qa_disputes.back))}</A></p>
        <h1>{tr(i18n, |l| td_string!(l, qa_disputes.detail_title))}</h1>
        <Loaded resource=dispute view=move |d| view! { <DisputeDetail dispute=d /> } />
    }
}

#[component]
fn DisputeDetail(dispute: Dispute) -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(dispute);
    let announced = RwSignal::new(false);
    let on_decided = Callback::new(move |d: Dispute| {
        current.set(d);
        announced.set(true);
    });
    move || {
        let d = current.get();
        let status = d.status;
        let decided = (d.decided_by.clone()).zip(d.decided_at).map(|(who, at)| {
            let (who, at) = (person_text(&who), local_time(at));
            view! { <p class="record-meta">
                {move || td_string!(i18n.get_locale(), qa_disputes.decided_notice, who = who.clone(), at = at.clone())}
            </p> }
        });
        let (who, at) = (person_text(&d.filed_by), local_time(d.filed_at));
        let form = if d.may_decide {
            Some(view! { <DecisionForm dispute=d.clone() on_decided /> }.into_any())
        } else if status == DisputeStatus::Open {
            Some(view! { <p class="notice">{tr(i18n, |l| td_string!(l, qa_disputes.own_notice))}</p> }.into_any())
        } else {
            None
        };
        view! {
            <section class="panel" aria-labelledby="dispute-head">
                <h2 id="dispute-head">
                    <span class="mono">{d.external_id.clone()}</span> " · " {d.plan_name.clone()}
                </h2>
                <p>
                    <span class=dispute_status_class(status) data-testid="dispute-status">
                        {move || dispute_status_name(i18n.get_locale(), status)}
                    </span>
                </p>
                <p class="record-meta">
                    {tr(i18n, |l| td_string!(l, qa_disputes.agent))} " " {person_text(&d.agent)} " · "
                    {tr(i18n, |l| td_string!(l, qa_disputes.inspector))} " " {person_text(&d.inspector)}
                </p>
                <p class="record-meta">
                    {move || td_string!(i18n.get_locale(), qa_disputes.filed, who = who.clone(), at = at.clone())}
                </p>
                {decided}
                <p role="status" aria-live="polite">
                    {move || announced.get().then(|| tr(i18n, |l| td_string!(l, qa_disputes.decided_done)))}
                </p>
                <p><A href=sample_href(d.sample_id)>{tr(i18n, |l| td_string!(l, qa_disputes.open_inspection))}</A></p>
                <DisputeItems dispute=d.clone() />
            </section>
            {form}
        }
    }
}

/// One disputed item's decision as the form holds it.
#[derive(Clone, Copy)]
struct ItemInputs {
    outcome: RwSignal<Option<DisputeOutcome>>,
    result: RwSignal<String>,
    score: RwSignal<String>,
    reason: RwSignal<String>,
}

/// The decision: for each disputed item, uphold or change (its new result, optionally its
/// dimension's score) with a reason.
#[component]
fn DecisionForm(dispute: Dispute, on_decided: Callback<Dispute>) -> impl IntoView {
    const FORM_ID: &str = "dispute-decision";
    let i18n = use_i18n();
    let id = dispute.id;
    let errors = DisputeErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let rows: Vec<(DisputeItem, ItemInputs)> = dispute
        .items
        .into_iter()
        .map(|item| {
            let inputs = ItemInputs {
                outcome: RwSignal::new(None),
                result: RwSignal::new(String::new()),
                score: RwSignal::new(String::new()),
                reason: RwSignal::new(String::new()),
            };
            (item, inputs)
        })
        .collect();
    let disputed: Vec<(i64, ItemResult, i64)> = rows
        .iter()
        .map(|(i, _)| (i.item_id, i.result_before, i.dimension_id))
        .collect();
    let inputs = StoredValue::new(
        rows.iter()
            .map(|(i, x)| (i.item_id, *x))
            .collect::<Vec<_>>(),
    );
    let disputed = StoredValue::new(disputed);
    let send = Action::new_local(move |body: &DisputeDecision| {
        let body = body.clone();
        async move {
            match api::qa_disputes::decide(id, &body).await {
                Ok(d) => on_decided.run(d),
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let mut missing = Vec::new();
        let items = inputs.with_value(|rows| {
            rows.iter()
                .filter_map(|(item_id, x)| {
                    let Some(outcome) = x.outcome.get_untracked() else {
                        missing.push(pingjia_domain::FieldError::new(
                            format!("items.{item_id}.outcome"),
                            "required",
                            "uphold or change this item",
                        ));
                        return None;
                    };
                    let changed = outcome == DisputeOutcome::Changed;
                    Some(ItemDecision {
                        item_id: *item_id,
                        outcome,
                        result: ItemResult::parse(&x.result.get_untracked()).filter(|_| changed),
                        score: x.score.get_untracked().parse().ok().filter(|_| changed),
                        reason: x.reason.get_untracked().trim().to_owned(),
                    })
                })
                .collect()
        });
        let body = DisputeDecision { items };
        let mut found = missing;
        if let Err(more) = disputed.with_value(|d| body.check(d)) {
            found.extend(more.into_iter().filter(|e| !e.field.ends_with(".outcome")));
        }
        if found.is_empty() {
            errors.set(Vec::new());
            send.dispatch_local(body);
        } else {
            errors.set(found);
            focus_first_invalid(FORM_ID);
        }
    };
    let fieldsets = rows
        .into_iter()
        .map(|(item, x)| view! { <ItemDecisionFields item inputs=x errors /> })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="decision-title">
            <h2 id="decision-title">{tr(i18n, |l| td_string!(l, qa_disputes.outcome))}</h2>
            <form id=FORM_ID class="form qa-dispute-form" novalidate on:submit=on_submit data-testid="dispute-decision-form">
                {fieldsets}
                <div role="alert">
                    {move || failure.get().map(|error| view! {
                        <div class="notice notice-error form-error"><p>{dispute_failure(i18n, &error)}</p></div>
                    })}
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || send.pending().get()>
                        {move || t_string!(i18n, qa_disputes.decide_submit)}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The fields of one disputed item's decision.
#[component]
fn ItemDecisionFields(
    item: DisputeItem,
    inputs: ItemInputs,
    errors: DisputeErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let item_id = item.item_id;
    let base = format!("decision-{item_id}");
    let (zh, en) = (item.item_name_zh.clone(), item.item_name_en.clone());
    let (dzh, den) = (
        item.dimension_name_zh.clone(),
        item.dimension_name_en.clone(),
    );
    let legend = move || {
        let l = i18n.get_locale();
        format!(
            "{} · {}",
            in_language(l, &dzh, &den),
            in_language(l, &zh, &en)
        )
    };
    let outcome_error = errors.of(format!("items.{item_id}.outcome"));
    let outcome_invalid = move || outcome_error.with(Option::is_some);
    let outcome_message = error_id(&format!("{base}-outcome"));
    let described = outcome_message.clone();
    let radios = DisputeOutcome::ALL
        .into_iter()
        .map(|value| {
            let radio_id = format!("{base}-{}", value.as_str());
            let label_for = radio_id.clone();
            let name = format!("{base}-outcome");
            view! {
                <label class="radio-option" for=label_for>
                    <input
                        type="radio"
                        id=radio_id
                        name=name
                        value=value.as_str()
                        prop:checked=move || inputs.outcome.get() == Some(value)
                        aria-invalid=move || outcome_invalid().then_some("true")
                        on:change=move |_| inputs.outcome.set(Some(value))
                    />
                    <span>{move || outcome_name(i18n.get_locale(), value)}</span>
                </label>
            }
        })
        .collect_view();
    let before = item.result_before;
    let result_id = format!("{base}-result");
    let score_id = format!("{base}-score");
    let result_error = errors.of(format!("items.{item_id}.result"));
    let score_error = errors.of(format!("items.{item_id}.score"));
    let score_before = item.score_before;
    let (szh, sen) = (
        item.dimension_name_zh.clone(),
        item.dimension_name_en.clone(),
    );
    let changed = move || inputs.outcome.get() == Some(DisputeOutcome::Changed);
    let change_fields = move || {
        changed().then(|| {
            let (result_id, score_id) = (result_id.clone(), score_id.clone());
            let (result_for, score_for) = (result_id.clone(), score_id.clone());
            let (result_msg, score_msg) = (error_id(&result_id), error_id(&score_id));
            let (result_desc, score_desc) = (result_msg.clone(), score_msg.clone());
            let (szh, sen) = (szh.clone(), sen.clone());
            let results = ItemResult::ALL
                .into_iter()
                .filter(|r| *r != before)
                .map(|r| view! {
                    <option value=r.as_str() prop:selected=move || inputs.result.get() == r.as_str()>
                        {move || item_result_name(i18n.get_locale(), r)}
                    </option>
                })
                .collect_view();
            let scores = (1..=5u8)
                .map(|s| view! {
                    <option value=s.to_string() prop:selected=move || inputs.score.get() == s.to_string()>{s}</option>
                })
                .collect_view();
            view! {
                <div class="field" class:field-invalid=move || result_error.with(Option::is_some)>
                    <label for=result_for>{tr(i18n, |l| td_string!(l, qa_disputes.new_result))}</label>
                    <select
                        id=result_id
                        aria-invalid=move || result_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || result_error.with(Option::is_some).then(|| result_desc.clone())
                        on:change=move |ev| inputs.result.set(event_target_value(&ev))
                    >
                        <option value="">{tr(i18n, |l| td_string!(l, qa_disputes.choose_result))}</option>
                        {results}
                    </select>
                    <ErrorLine id=result_msg error=result_error />
                </div>
                <div class="field" class:field-invalid=move || score_error.with(Option::is_some)>
                    <label for=score_for>
                        {move || {
                            let dimension = in_language(i18n.get_locale(), &szh, &sen).to_owned();
                            td_string!(i18n.get_locale(), qa_disputes.new_score, dimension = dimension)
                        }}
                    </label>
                    <select
                        id=score_id
                        aria-invalid=move || score_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || score_error.with(Option::is_some).then(|| score_desc.clone())
                        on:change=move |ev| inputs.score.set(event_target_value(&ev))
                    >
                        <option value="">
                            {move || td_string!(i18n.get_locale(), qa_disputes.score_unchanged, score = score_before.to_string())}
                        </option>
                        {scores}
                    </select>
                    <ErrorLine id=score_msg error=score_error />
                </div>
            }
        })
    };
    view! {
        <fieldset class="card qa-decision-item" data-testid=format!("decision-{item_id}")>
            <legend>{legend}</legend>
            <p>
                <span class="appeal-label">{tr(i18n, |l| td_string!(l, qa_disputes.result_before))}</span> " "
                <span class=item_result_class(before)>{move || item_result_name(i18n.get_locale(), before)}</span>
            </p>
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, qa_disputes.reason))}</p>
            <p class="suggestion-text">{item.reason.clone()}</p>
            <fieldset
                class="field radio-group"
                class:field-invalid=outcome_invalid
                aria-describedby=move || outcome_invalid().then(|| described.clone())
            >
                <legend>{tr(i18n, |l| td_string!(l, qa_disputes.outcome))}</legend>
                <div class="radio-options">{radios}</div>
                <ErrorLine id=outcome_message error=outcome_error />
            </fieldset>
            {change_fields}
            <TextAreaField
                id=format!("{base}-reason")
                label=Signal::derive(move || t_string!(i18n, qa_disputes.decision_reason).to_owned())
                value=inputs.reason
                error=errors.of(format!("items.{item_id}.reason"))
                required=true
            />
        </fieldset>
    }
}
