//! The agent's side of a dispute of a QA score (质检申诉) on 我的质检: the state of an
//! inspection's dispute, the form that files one (an item ticked, a reason each) within the
//! working-day window, and the disputed items with their outcome. Also what the reviewers'
//! pages share with it: the disputed items, the words of the dispute errors and failures.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::qa::{
    DisputableItem, Dispute, DisputeForm, DisputeItem, DisputeOutcome, DisputeStatus, DisputedItem,
    NewDispute,
};

use crate::api::qa_disputes::{DISPUTE_DECIDED, DISPUTE_EXISTS, OWN_INSPECTION, WINDOW_CLOSED};
use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::error_panel::error_message;
use crate::components::form::failure::refused;
use crate::components::form::fields::{ErrorLine, TextAreaField};
use crate::components::form::{ErrorWords, WordedErrors, error_id, focus_invalid_in};
use crate::format::{local_time, score_text};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::{day_text, item_result_class, item_result_name, person_text, qa_error_text};

/// The field errors of the dispute forms.
pub type DisputeErrors = WordedErrors<DisputeWords>;

/// The words of the dispute forms' field errors.
#[derive(Debug)]
pub struct DisputeWords;

impl ErrorWords for DisputeWords {
    fn words(locale: Locale, error: &FieldError) -> String {
        let field = error.field.as_str();
        let last = field.rsplit('.').next().unwrap_or(field);
        let text = match (error.code.as_str(), last) {
            ("required", "items") => td_string!(locale, qa_disputes.error_choose_item),
            ("required", "reason") => td_string!(locale, qa_disputes.error_reason_required),
            ("required", "result") => td_string!(locale, qa_disputes.error_result_required),
            ("required", "outcome") => td_string!(locale, qa_disputes.error_outcome_required),
            ("unchanged", _) => td_string!(locale, qa_disputes.error_unchanged),
            ("conflict", _) => td_string!(locale, qa_disputes.error_score_conflict),
            ("not_changed", _) => td_string!(locale, qa_disputes.error_not_changed),
            _ => return qa_error_text(locale, error),
        };
        text.to_owned()
    }
}

/// A refusal of the dispute endpoints in words: its own codes, else the general words.
pub fn dispute_failure(i18n: leptos_i18n::I18nContext<Locale>, error: &ApiError) -> AnyView {
    let words: Option<fn(Locale) -> &'static str> = match error.code() {
        Some(WINDOW_CLOSED) => Some(|l| td_string!(l, qa_disputes.error_window_closed)),
        Some(DISPUTE_EXISTS) => Some(|l| td_string!(l, qa_disputes.error_exists)),
        Some(OWN_INSPECTION) => Some(|l| td_string!(l, qa_disputes.error_own)),
        Some(DISPUTE_DECIDED) => Some(|l| td_string!(l, qa_disputes.error_decided)),
        _ => None,
    };
    match words {
        Some(words) => tr(i18n, words).into_any(),
        None => error_message(i18n, error),
    }
}

/// A dispute's state in words: 待复核, 已裁定.
pub fn dispute_status_name(locale: Locale, status: DisputeStatus) -> &'static str {
    match status {
        DisputeStatus::Open => td_string!(locale, qa_disputes.status_open),
        DisputeStatus::Decided => td_string!(locale, qa_disputes.status_decided),
    }
}

/// The class of a dispute state's badge.
pub fn dispute_status_class(status: DisputeStatus) -> &'static str {
    match status {
        DisputeStatus::Open => "badge badge-warn",
        DisputeStatus::Decided => "badge",
    }
}

/// A decision in words: 维持原判, 改判.
pub fn outcome_name(locale: Locale, outcome: DisputeOutcome) -> &'static str {
    match outcome {
        DisputeOutcome::Upheld => td_string!(locale, qa_disputes.outcome_upheld),
        DisputeOutcome::Changed => td_string!(locale, qa_disputes.outcome_changed),
    }
}

/// The disputed items: the result when disputed, the reason and, once decided, the decision.
#[component]
pub fn DisputeItems(
    /// The dispute.
    dispute: Dispute,
) -> impl IntoView {
    let i18n = use_i18n();
    let score_line = match (dispute.status, dispute.qa_score_after) {
        (DisputeStatus::Decided, Some(after)) => {
            let before = score_text(Some(dispute.qa_score_before));
            let after = score_text(Some(after));
            view! { <p class="record-meta" data-testid="dispute-score-change">
                {move || td_string!(i18n.get_locale(), qa_disputes.score_change, before = before.clone(), after = after.clone())}
            </p> }
            .into_any()
        }
        _ => {
            let score = score_text(Some(dispute.qa_score_before));
            view! { <p class="record-meta">
                {move || td_string!(i18n.get_locale(), qa_disputes.score_before, score = score.clone())}
            </p> }
            .into_any()
        }
    };
    let items = dispute
        .items
        .into_iter()
        .map(|item| view! { <DisputedItemCard item /> })
        .collect_view();
    view! {
        {score_line}
        <ul class="qa-rect-list qa-dispute-items" data-testid="dispute-items">{items}</ul>
    }
}

#[component]
fn DisputedItemCard(item: DisputeItem) -> impl IntoView {
    let i18n = use_i18n();
    let DisputeItem {
        item_name_zh,
        item_name_en,
        dimension_name_zh,
        dimension_name_en,
        reason,
        result_before,
        outcome,
        result_after,
        score_after,
        decision_reason,
        ..
    } = item;
    let name = move || {
        let l = i18n.get_locale();
        format!(
            "{} · {}",
            in_language(l, &dimension_name_zh, &dimension_name_en),
            in_language(l, &item_name_zh, &item_name_en)
        )
    };
    let decision = outcome.map(|outcome| {
        let after = result_after.map(|r| view! {
            " → " <span class=item_result_class(r)>{move || item_result_name(i18n.get_locale(), r)}</span>
        });
        let score = score_after.map(|s| view! {
            " · " {move || td_string!(i18n.get_locale(), qa_disputes.score_after, score = s.to_string())}
        });
        view! {
            <p>
                <span class="appeal-label">{tr(i18n, |l| td_string!(l, qa_disputes.outcome))}</span> " "
                <strong>{move || outcome_name(i18n.get_locale(), outcome)}</strong>
                {after}
                {score}
            </p>
            <p class="suggestion-text">{decision_reason.unwrap_or_default()}</p>
        }
    });
    view! {
        <li class="card qa-dispute-item">
            <p><strong>{name}</strong></p>
            <p>
                <span class="appeal-label">{tr(i18n, |l| td_string!(l, qa_disputes.result_before))}</span> " "
                <span class=item_result_class(result_before)>{move || item_result_name(i18n.get_locale(), result_before)}</span>
            </p>
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, qa_disputes.reason))}</p>
            <p class="suggestion-text">{reason}</p>
            {decision}
        </li>
    }
}

/// The dispute part of an inspection card on 我的质检: the state of its dispute and a button
/// that shows the dispute, or the form while one may be filed.
#[component]
pub fn DisputeSection(
    /// The sampled record's id.
    sample_id: i64,
    /// Where its dispute stands, if one was filed.
    state: Option<DisputeStatus>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(false);
    let state = RwSignal::new(state);
    let panel_id = format!("dispute-{sample_id}-panel");
    let controls = panel_id.clone();
    let badge = move || {
        state.get().map(|s| {
            let words = move || match s {
                DisputeStatus::Open => td_string!(i18n.get_locale(), qa_disputes.state_open),
                DisputeStatus::Decided => td_string!(i18n.get_locale(), qa_disputes.state_decided),
            };
            view! { <span class=dispute_status_class(s) data-testid=format!("dispute-{sample_id}-state")>{words}</span> }
        })
    };
    let on_filed = Callback::new(move |_: Dispute| state.set(Some(DisputeStatus::Open)));
    view! {
        <div class="qa-dispute">
            <p>{badge}</p>
            <p class="row-actions">
                <button
                    type="button"
                    class="button button-secondary"
                    id=format!("dispute-{sample_id}-toggle")
                    aria-expanded=move || if shown.get() { "true" } else { "false" }
                    aria-controls=controls
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    {move || {
                        let l = i18n.get_locale();
                        if shown.get() {
                            td_string!(l, qa_disputes.hide)
                        } else if state.get().is_some() {
                            td_string!(l, qa_disputes.dispute_view)
                        } else {
                            td_string!(l, qa_disputes.dispute)
                        }
                    }}
                </button>
            </p>
            <div id=panel_id>
                {move || shown.get().then(|| view! { <DisputePanel sample_id on_filed /> })}
            </div>
        </div>
    }
}

/// The dispute as filed, the form while one may be filed, or the window's end.
#[component]
fn DisputePanel(sample_id: i64, on_filed: Callback<Dispute>) -> impl IntoView {
    let form = LocalResource::new(move || api::qa_disputes::form(sample_id));
    view! {
        <Loaded resource=form view=move |form: DisputeForm| view! { <PanelBody form on_filed /> } />
    }
}

#[component]
fn PanelBody(form: DisputeForm, on_filed: Callback<Dispute>) -> impl IntoView {
    let i18n = use_i18n();
    let filed = RwSignal::new(form.dispute.clone());
    let last_day = day_text(form.last_day);
    let may_file = form.may_file;
    let just_filed = RwSignal::new(false);
    let on_done = Callback::new(move |d: Dispute| {
        just_filed.set(true);
        filed.set(Some(d.clone()));
        on_filed.run(d);
    });
    let form = StoredValue::new(form);
    move || match filed.get() {
        Some(dispute) => {
            let decided = (dispute.decided_by.clone()).zip(dispute.decided_at).map(|(who, at)| {
                let (who, at) = (person_text(&who), local_time(at));
                view! { <p class="record-meta">
                    {move || td_string!(i18n.get_locale(), qa_disputes.decided_notice, who = who.clone(), at = at.clone())}
                </p> }
            });
            view! {
                <p role="status">
                    {move || just_filed.get().then(|| view! {
                        <span class="notice notice-success">{tr(i18n, |l| td_string!(l, qa_disputes.filed_done))}</span>
                    })}
                </p>
                {decided}
                <DisputeItems dispute />
            }
            .into_any()
        }
        None if may_file => view! { <FileDisputeForm form=form.get_value() on_done /> }.into_any(),
        None => {
            let day = last_day.clone();
            view! { <p class="notice">
                {move || td_string!(i18n.get_locale(), qa_disputes.window_closed, day = day.clone())}
            </p> }
            .into_any()
        }
    }
}

/// The filing: an item ticked with a reason each.
#[component]
fn FileDisputeForm(form: DisputeForm, on_done: Callback<Dispute>) -> impl IntoView {
    let i18n = use_i18n();
    let sample_id = form.sample_id;
    let form_id = format!("dispute-{sample_id}-form");
    let focus_id = StoredValue::new(form_id.clone());
    let errors = DisputeErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let rows: Vec<(DisputableItem, RwSignal<bool>, RwSignal<String>)> = form
        .items
        .into_iter()
        .map(|item| (item, RwSignal::new(false), RwSignal::new(String::new())))
        .collect();
    let chosen = StoredValue::new(
        rows.iter()
            .map(|(item, ticked, reason)| (item.item_id, *ticked, *reason))
            .collect::<Vec<_>>(),
    );
    let send = Action::new_local(move |body: &NewDispute| {
        let body = body.clone();
        async move {
            match api::qa_disputes::file(sample_id, &body).await {
                Ok(dispute) => on_done.run(dispute),
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_invalid_in(focus_id.get_value());
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
        let body = NewDispute {
            items: chosen.with_value(|rows| {
                rows.iter()
                    .filter(|(_, ticked, _)| ticked.get_untracked())
                    .map(|(item_id, _, reason)| DisputedItem {
                        item_id: *item_id,
                        reason: reason.get_untracked().trim().to_owned(),
                    })
                    .collect()
            }),
        };
        let ids: Vec<i64> = chosen.with_value(|rows| rows.iter().map(|r| r.0).collect());
        match body.check(&ids) {
            Ok(()) => {
                errors.set(Vec::new());
                send.dispatch_local(body);
            }
            Err(found) => {
                errors.set(found);
                focus_invalid_in(focus_id.get_value());
            }
        }
    };
    let items_error = errors.of("items".to_owned());
    let items_invalid = move || items_error.with(Option::is_some);
    let items_message = error_id(&format!("{form_id}-items"));
    let described = items_message.clone();
    let day = day_text(form.last_day);
    let list = rows
        .into_iter()
        .map(|(item, ticked, reason)| {
            let box_id = format!("dispute-{sample_id}-item-{}", item.item_id);
            let label_for = box_id.clone();
            let DisputableItem {
                item_id,
                item_name_zh,
                item_name_en,
                dimension_name_zh,
                dimension_name_en,
                result,
            } = item;
            let (zh, en) = (item_name_zh.clone(), item_name_en.clone());
            let name = move || {
                let l = i18n.get_locale();
                format!(
                    "{} · {}",
                    in_language(l, &dimension_name_zh, &dimension_name_en),
                    in_language(l, &item_name_zh, &item_name_en)
                )
            };
            let reason_label = Signal::derive(move || {
                let item = in_language(i18n.get_locale(), &zh, &en).to_owned();
                td_string!(i18n.get_locale(), qa_disputes.reason_for, item = item)
            });
            let reason_error = errors.of(format!("items.{item_id}.reason"));
            let reason_id = format!("dispute-{sample_id}-item-{item_id}-reason");
            view! {
                <li class="qa-dispute-choice">
                    <label class="checkbox-option" for=label_for>
                        <input
                            type="checkbox"
                            id=box_id
                            prop:checked=move || ticked.get()
                            aria-invalid=move || items_invalid().then_some("true")
                            on:change=move |ev| ticked.set(event_target_checked(&ev))
                        />
                        <span>{name}</span>
                        " "
                        <span class=item_result_class(result)>{move || item_result_name(i18n.get_locale(), result)}</span>
                    </label>
                    {move || ticked.get().then(|| view! {
                        <TextAreaField
                            id=reason_id.clone()
                            label=reason_label
                            value=reason
                            error=reason_error
                            required=true
                        />
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <form id=form_id class="form qa-dispute-form" novalidate on:submit=on_submit data-testid=format!("dispute-{sample_id}-form")>
            <h4 class="qa-form-title">{tr(i18n, |l| td_string!(l, qa_disputes.form_title))}</h4>
            <p class="hint">{move || td_string!(i18n.get_locale(), qa_disputes.form_hint, day = day.clone())}</p>
            <fieldset
                class="field"
                class:field-invalid=items_invalid
                aria-describedby=move || items_invalid().then(|| described.clone())
            >
                <legend>{tr(i18n, |l| td_string!(l, qa_disputes.items_legend))}</legend>
                <ul class="qa-rect-list qa-dispute-choices">{list}</ul>
                <ErrorLine id=items_message error=items_error />
            </fieldset>
            <div role="alert">
                {move || failure.get().map(|error| view! {
                    <div class="notice notice-error form-error"><p>{dispute_failure(i18n, &error)}</p></div>
                })}
            </div>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || send.pending().get()>
                    {move || t_string!(i18n, qa_disputes.submit)}
                </button>
            </div>
        </form>
    }
}
