//! The inspection form's fieldsets (a dimension's rubric, a checklist item) and the submitted result.

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::qa::{ChecklistTemplate, Inspection, ItemResult, TemplateDimension};

use crate::components::conversation::QuotedLine;
use crate::components::form::error_id;
use crate::components::form::fields::{ErrorLine, TextAreaField};
use crate::format::{local_time, score_text};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::{
    QaErrors, RectificationCard, item_result_class, item_result_name, person_text,
};

/// The calibration guidance of the sheet's items, loaded beside the sheet.
#[derive(Clone, Copy)]
pub(super) struct Guidance(
    pub(super) LocalResource<Result<Vec<pingjia_domain::qa::ItemGuidance>, crate::api::ApiError>>,
);

/// The state of one item in the form.
#[derive(Debug, Clone, Copy)]
pub(super) struct ItemState {
    pub(super) result: RwSignal<Option<ItemResult>>,
    pub(super) problem: RwSignal<String>,
    pub(super) owner: RwSignal<String>,
    pub(super) deadline: RwSignal<String>,
    /// The quoted line of the transcript; empty for none.
    pub(super) quote: RwSignal<String>,
}

/// The score options of a dimension's rubric: 1 to 5 with the level texts.
pub(super) fn rubric_text(
    locale: Locale,
    dimension: &TemplateDimension,
    score: u8,
) -> Option<String> {
    dimension
        .levels
        .iter()
        .find(|l| l.score == score)
        .map(|l| in_language(locale, &l.text_zh, &l.text_en).to_owned())
        .filter(|t| !t.is_empty())
}

/// One dimension of the form: its items, then its rubric score.
#[component]
pub(super) fn DimensionFieldset(
    /// The dimension.
    dimension: TemplateDimension,
    /// Its items with their state.
    states: Vec<(pingjia_domain::qa::TemplateItem, ItemState)>,
    /// Its rubric score.
    score: Option<RwSignal<Option<u8>>>,
    /// The form's errors.
    errors: QaErrors,
    /// Who may own a rectification.
    owners: StoredValue<Vec<pingjia_domain::qa::Person>>,
    /// The record's transcript, which a finding may quote.
    lines: StoredValue<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dimension_id = dimension.id;
    let (zh, en) = (dimension.name_zh.clone(), dimension.name_en.clone());
    let item_views = states
        .into_iter()
        .map(|(item, state)| view! { <ItemFieldset item state errors owners lines /> })
        .collect_view();
    let score = score.unwrap_or_else(|| RwSignal::new(None));
    let score_field = format!("scores.{dimension_id}");
    let score_error = errors.of(score_field);
    let score_invalid = move || score_error.with(Option::is_some);
    let name = format!("score-{dimension_id}");
    let message_id = error_id(&name);
    let dimension = StoredValue::new(dimension);
    let options = (1..=5u8)
        .map(|value| {
            let id = format!("{name}-{value}");
            let label_for = id.clone();
            let radio_name = name.clone();
            view! {
                <label class="radio-option qa-level" for=label_for>
                    <input
                        type="radio"
                        id=id
                        name=radio_name
                        value=value.to_string()
                        prop:checked=move || score.get() == Some(value)
                        aria-invalid=move || score_invalid().then_some("true")
                        on:change=move |_| score.set(Some(value))
                    />
                    <span>
                        <strong>{move || td_string!(i18n.get_locale(), qa.points, points = value.to_string())}</strong>
                        {move || dimension.with_value(|d| rubric_text(i18n.get_locale(), d, value)).map(|t| view! {
                            <span class="qa-level-text">{t}</span>
                        })}
                    </span>
                </label>
            }
        })
        .collect_view();
    let legend_name = (zh.clone(), en.clone());
    view! {
        <fieldset class="qa-dimension" data-testid=format!("qa-dimension-{dimension_id}")>
            <legend>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</legend>
            {item_views}
            <fieldset
                class="field radio-group qa-rubric"
                class:field-invalid=score_invalid
                aria-describedby=move || score_invalid().then(|| message_id.clone())
                data-testid=format!("qa-rubric-{dimension_id}")
            >
                <legend>
                    {move || {
                        td_string!(i18n.get_locale(), qa.rubric_legend, name = in_language(i18n.get_locale(), &legend_name.0, &legend_name.1))
                    }}
                </legend>
                <div class="qa-levels">{options}</div>
                <ErrorLine id=error_id(&format!("score-{dimension_id}")) error=score_error />
            </fieldset>
        </fieldset>
    }
}

/// One checklist item: the result radio group and, when found wanting, the problem, the
/// rectification's owner and deadline.
#[component]
pub(super) fn ItemFieldset(
    /// The item.
    item: pingjia_domain::qa::TemplateItem,
    /// Its state.
    state: ItemState,
    /// The form's errors.
    errors: QaErrors,
    /// Who may own a rectification.
    owners: StoredValue<Vec<pingjia_domain::qa::Person>>,
    /// The record's transcript, which the finding may quote.
    lines: StoredValue<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.id;
    let (zh, en) = (item.name_zh.clone(), item.name_en.clone());
    let (standard_zh, standard_en) = (item.standard_zh.clone(), item.standard_en.clone());
    let result_error = errors.of(format!("answers.{id}.result"));
    let guidance = use_context::<Guidance>();
    let guidance = move || {
        let note = guidance
            .and_then(|g| g.0.get())
            .and_then(Result::ok)
            .and_then(|all| all.into_iter().find(|g| g.item_id == id))?;
        Some(view! {
            <p class="field-hint qa-guidance" data-testid=format!("qa-item-{id}-guidance")>
                {tr(i18n, |l| td_string!(l, calibration.guidance))} "：" {note.note}
            </p>
        })
    };
    let result_invalid = move || result_error.with(Option::is_some);
    let group = format!("item-{id}");
    let standard_id = format!("{group}-standard");
    let result_message = error_id(&format!("{group}-result"));
    let described_by = {
        let standard_id = standard_id.clone();
        let result_message = result_message.clone();
        move || {
            if result_invalid() {
                format!("{standard_id} {result_message}")
            } else {
                standard_id.clone()
            }
        }
    };
    let radios = ItemResult::ALL
        .into_iter()
        .map(|result| {
            let radio_id = format!("{group}-{}", result.as_str());
            let label_for = radio_id.clone();
            let name = group.clone();
            view! {
                <label class="radio-option" for=label_for>
                    <input
                        type="radio"
                        id=radio_id
                        name=name
                        value=result.as_str()
                        prop:checked=move || state.result.get() == Some(result)
                        aria-invalid=move || result_invalid().then_some("true")
                        on:change=move |_| state.result.set(Some(result))
                    />
                    <span>{move || item_result_name(i18n.get_locale(), result)}</span>
                </label>
            }
        })
        .collect_view();
    let wanting = Memo::new(move |_| state.result.get().is_some_and(ItemResult::wanting));
    let problem_error = errors.of(format!("answers.{id}.problem"));
    let owner_error = errors.of(format!("rectifications.{id}.owner_id"));
    let deadline_error = errors.of(format!("rectifications.{id}.deadline"));
    let details = move || {
        wanting.get().then(|| {
            let owner_id = format!("item-{id}-owner");
            let owner_message = error_id(&owner_id);
            let deadline_id = format!("item-{id}-deadline");
            let deadline_message = error_id(&deadline_id);
            let owner_invalid = move || owner_error.with(Option::is_some);
            let deadline_invalid = move || deadline_error.with(Option::is_some);
            let owner_described = owner_message.clone();
            let deadline_described = deadline_message.clone();
            view! {
                <div class="qa-wanting" data-testid=format!("qa-item-{id}-wanting")>
                    <TextAreaField
                        id=format!("item-{id}-problem")
                        label=Signal::derive(move || t_string!(i18n, qa.problem).to_owned())
                        hint=Signal::derive(move || t_string!(i18n, qa.problem_hint).to_owned())
                        value=state.problem
                        error=problem_error
                        required=true
                    />
                    <div class="qa-assign">
                        <div class="field" class:field-invalid=owner_invalid>
                            <label for=owner_id.clone()>{tr(i18n, |l| td_string!(l, qa.owner))}</label>
                            <select
                                id=owner_id
                                aria-required="true"
                                aria-invalid=move || owner_invalid().then_some("true")
                                aria-describedby=move || owner_invalid().then(|| owner_described.clone())
                                on:change=move |ev| state.owner.set(event_target_value(&ev))
                            >
                                <option value="" prop:selected=move || state.owner.get().is_empty()>
                                    {tr(i18n, |l| td_string!(l, qa.choose_owner))}
                                </option>
                                {owners.with_value(|owners| {
                                    owners
                                        .iter()
                                        .map(|p| {
                                            let value = p.id.to_string();
                                            let chosen = value.clone();
                                            view! {
                                                <option value=value prop:selected=move || state.owner.get() == chosen>
                                                    {person_text(p)}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                })}
                            </select>
                            <ErrorLine id=owner_message error=owner_error />
                        </div>
                        <div class="field" class:field-invalid=deadline_invalid>
                            <label for=deadline_id.clone()>{tr(i18n, |l| td_string!(l, qa.deadline))}</label>
                            <input
                                type="date"
                                id=deadline_id
                                aria-required="true"
                                aria-invalid=move || deadline_invalid().then_some("true")
                                aria-describedby=move || deadline_invalid().then(|| deadline_described.clone())
                                bind:value=state.deadline
                            />
                            <ErrorLine id=deadline_message error=deadline_error />
                        </div>
                    </div>
                </div>
            }
        })
    };
    view! {
        <fieldset
            class="field radio-group qa-item"
            class:field-invalid=result_invalid
            aria-describedby=described_by
            data-testid=format!("qa-item-{id}")
        >
            <legend>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</legend>
            <p id=standard_id class="field-hint qa-standard">
                {tr(i18n, |l| td_string!(l, qa.standard))} "："
                {move || in_language(i18n.get_locale(), &standard_zh, &standard_en).to_owned()}
            </p>
            {guidance}
            <div class="radio-options">{radios}</div>
            <ErrorLine id=result_message error=result_error />
            <QuoteField id state errors lines />
            {details}
        </fieldset>
    }
}

/// 引用对话: pins an item's finding to a line of the transcript (a select, so the keyboard
/// reaches every line), the chosen line shown as a quotation under it; nothing without a
/// transcript.
#[component]
fn QuoteField(
    /// The item's id.
    id: i64,
    /// Its state.
    state: ItemState,
    /// The form's errors.
    errors: QaErrors,
    /// The record's transcript.
    lines: StoredValue<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if lines.with_value(Vec::is_empty) {
        return None;
    }
    let select_id = format!("item-{id}-quote");
    let hint_id = format!("{select_id}-hint");
    let message_id = error_id(&select_id);
    let error = errors.of(format!("answers.{id}.quote"));
    let invalid = move || error.with(Option::is_some);
    let described = {
        let (hint_id, message_id) = (hint_id.clone(), message_id.clone());
        move || {
            if invalid() {
                format!("{hint_id} {message_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    let options = lines.with_value(|lines| {
        lines
            .iter()
            .enumerate()
            .map(|(n, line)| {
                let value = line.clone();
                let chosen = line.clone();
                view! {
                    <option value=value prop:selected=move || state.quote.get() == chosen>
                        {format!("{}. {line}", n + 1)}
                    </option>
                }
            })
            .collect_view()
    });
    Some(view! {
        <div class="field qa-quote" class:field-invalid=invalid>
            <label for=select_id.clone()>{tr(i18n, |l| td_string!(l, qa.quote_label))}</label>
            <p id=hint_id class="field-hint">{tr(i18n, |l| td_string!(l, qa.quote_hint))}</p>
            <select
                id=select_id
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described
                on:change=move |ev| state.quote.set(event_target_value(&ev))
                data-testid=format!("qa-item-{id}-quote")
            >
                <option value="" prop:selected=move || state.quote.get().is_empty()>
                    {tr(i18n, |l| td_string!(l, qa.quote_none))}
                </option>
                {options}
            </select>
            <ErrorLine id=message_id error />
            {move || {
                let quote = state.quote.get();
                (!quote.is_empty()).then(|| view! { <QuotedLine quote /> })
            }}
        </div>
    })
}

/// A saved inspection, read-only: per dimension its score and items, the highlights, and the
/// rectifications with their status.
#[component]
pub fn InspectionResult(
    /// The plan's checklist.
    template: ChecklistTemplate,
    /// The inspection.
    inspection: Inspection,
) -> impl IntoView {
    let i18n = use_i18n();
    let dimensions = template
        .dimensions
        .iter()
        .map(|d| {
            let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
            let score = inspection
                .scores
                .iter()
                .find(|s| s.dimension_id == d.id)
                .map(|s| s.score);
            let items = d
                .items
                .iter()
                .map(|item| {
                    let (zh, en) = (item.name_zh.clone(), item.name_en.clone());
                    let answer = inspection.answers.iter().find(|a| a.item_id == item.id).cloned();
                    let result = answer.as_ref().map(|a| a.result);
                    let quote = answer.as_ref().and_then(|a| a.quote.clone());
                    let problem = answer.and_then(|a| a.problem);
                    view! {
                        <li>
                            <span>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</span>
                            " "
                            {result.map(|r| view! {
                                <span class=item_result_class(r)>{move || item_result_name(i18n.get_locale(), r)}</span>
                            })}
                            {problem.map(|p| view! { <p class="suggestion-text">{p}</p> })}
                            {quote.map(|quote| view! { <QuotedLine quote /> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="qa-result-dimension">
                    <h3>
                        {move || in_language(i18n.get_locale(), &zh, &en).to_owned()}
                        " · "
                        {move || {
                            td_string!(i18n.get_locale(), qa.points, points = score.map_or_else(|| "—".to_owned(), |s| s.to_string()))
                        }}
                    </h3>
                    <ul class="brief-list">{items}</ul>
                </section>
            }
        })
        .collect_view();
    let rectifications = inspection
        .rectifications
        .iter()
        .cloned()
        .map(|rectification| view! { <li><RectificationCard rectification /></li> })
        .collect_view();
    let has_rectifications = !inspection.rectifications.is_empty();
    let highlights = inspection
        .highlights
        .clone()
        .unwrap_or_else(|| "—".to_owned());
    view! {
        <section class="panel" aria-labelledby="qa-result-title" data-testid="qa-inspection-result">
            <h2 id="qa-result-title">{tr(i18n, |l| td_string!(l, qa.inspection_result))}</h2>
            <dl class="facts qa-facts">
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.qa_score))}</dt><dd>{score_text(Some(inspection.qa_score))}</dd></div>
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.inspector))}</dt><dd>{person_text(&inspection.inspector)}</dd></div>
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.submitted))}</dt><dd>{local_time(inspection.submitted_at)}</dd></div>
            </dl>
            {dimensions}
            <h3>{tr(i18n, |l| td_string!(l, qa.highlights))}</h3>
            <p class="suggestion-text">{highlights}</p>
            <h3>{tr(i18n, |l| td_string!(l, qa.rectifications_heading))}</h3>
            {if has_rectifications {
                Either::Left(view! { <ul class="qa-rect-list">{rectifications}</ul> })
            } else {
                Either::Right(view! { <p class="muted">{tr(i18n, |l| td_string!(l, qa.rectifications_none))}</p> })
            }}
        </section>
    }
}
