//! A calibration session (`/qa/calibrations/:id`): who scores and who has, then for an
//! inspector the blind scoring form of every record (each item's result and each dimension's
//! 1–5 score, the inspection sheet's own choices) while it is open; the comparison and the
//! agreed answers once it is closed (`results`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use pingjia_domain::qa::{
    CalibrationAnswers, CalibrationDetail, CalibrationItemAnswer, CalibrationRecord,
    CalibrationScore, CalibrationStatus, ChecklistTemplate, ItemResult,
};

use super::results::Results;
use super::{CalibrationErrors, back_link, status_name};
use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::error_panel::error_message;
use crate::components::form::error_id;
use crate::components::form::failure::refused;
use crate::components::form::fields::ErrorLine;
use crate::components::form::focus_first_invalid;
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::{item_result_name, person_text};

const FORM_ID: &str = "cal-score-form";

/// `/qa/calibrations/:id`.
#[component]
pub fn CalibrationSessionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::calibration::calibration(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, calibration.title)) />
        <Loaded resource=detail view=move |detail| view! { <Session detail /> } />
        {back_link()}
    }
}

/// The loaded session; every answer from the server replaces it.
#[component]
fn Session(
    /// The session as first loaded.
    detail: CalibrationDetail,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(detail);
    let failure = RwSignal::new(None::<ApiError>);
    let close = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            match api::calibration::close(id).await {
                Ok(detail) => current.set(detail),
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let head = move || {
        let d = current.get();
        let s = d.summary.clone();
        let status = s.status;
        let (zh, en) = (s.template_name_zh.clone(), s.template_name_en.clone());
        let inspectors = d
            .inspectors
            .iter()
            .map(|i| {
                let done = i.submitted_at.is_some();
                view! {
                    <li data-testid=format!("cal-inspector-{}", i.person.id)>
                        {person_text(&i.person)} " "
                        <span class=if done { "badge" } else { "badge badge-off" }>
                            {move || {
                                if done {
                                    td_string!(i18n.get_locale(), calibration.submitted)
                                } else {
                                    td_string!(i18n.get_locale(), calibration.waiting)
                                }
                            }}
                        </span>
                    </li>
                }
            })
            .collect_view();
        let may_close = d.may_lead && status == CalibrationStatus::Open;
        let id = s.id;
        view! {
            <div class="page-head">
                <h1>{s.name.clone()}</h1>
                <span class=if status == CalibrationStatus::Open { "badge badge-warn" } else { "badge" } data-testid="cal-status">
                    {move || status_name(i18n.get_locale(), status)}
                </span>
            </div>
            <dl class="facts qa-facts">
                <div class="fact">
                    <dt>{tr(i18n, |l| td_string!(l, calibration.template))}</dt>
                    <dd>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</dd>
                </div>
                <div class="fact">
                    <dt>{tr(i18n, |l| td_string!(l, calibration.lead))}</dt>
                    <dd>{person_text(&s.lead)}</dd>
                </div>
                <div class="fact">
                    <dt>{tr(i18n, |l| td_string!(l, calibration.created))}</dt>
                    <dd>{local_time(s.created_at)}</dd>
                </div>
            </dl>
            <section aria-labelledby="cal-inspectors-heading">
                <h2 id="cal-inspectors-heading">{tr(i18n, |l| td_string!(l, calibration.inspectors_heading))}</h2>
                <ul class="cal-inspectors">{inspectors}</ul>
            </section>
            {may_close.then(|| view! {
                <div class="form-actions">
                    <button
                        type="button"
                        class="button button-secondary"
                        aria-describedby="cal-close-hint"
                        disabled=move || close.pending().get()
                        on:click=move |_| { close.dispatch_local(id); }
                        data-testid="cal-close"
                    >
                        {move || if close.pending().get() { t_string!(i18n, calibration.closing) } else { t_string!(i18n, calibration.close) }}
                    </button>
                    <p id="cal-close-hint" class="field-hint">{tr(i18n, |l| td_string!(l, calibration.close_hint))}</p>
                </div>
            })}
        }
    };
    let body = move || {
        let d = current.get();
        if d.summary.status == CalibrationStatus::Closed {
            view! { <Results detail=d current /> }.into_any()
        } else if d.chosen {
            view! { <ScoringForm detail=d current /> }.into_any()
        } else {
            view! { <p class="notice" data-testid="cal-not-chosen">{tr(i18n, |l| td_string!(l, calibration.not_chosen_note))}</p> }
                .into_any()
        }
    };
    view! {
        {head}
        <div role="alert">
            {move || failure.get().map(|error| view! {
                <div class="notice notice-error form-error"><p>{error_message(i18n, &error)}</p></div>
            })}
        </div>
        {body}
    }
}

/// One answer of the form: which record, which item or dimension.
type ItemState = (i64, i64, RwSignal<Option<ItemResult>>);
type ScoreState = (i64, i64, RwSignal<Option<u8>>);

/// The blind scoring form: every record with its conversation, then every dimension's items
/// and rubric score; prefilled with the caller's own answers once sent.
#[component]
fn ScoringForm(
    /// The session.
    detail: CalibrationDetail,
    /// Where the server's answer goes.
    current: RwSignal<CalibrationDetail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mine = detail.mine.clone().unwrap_or_default();
    let submitted = detail.mine.is_some();
    let template = detail.template.clone();
    let mut items: Vec<ItemState> = Vec::new();
    let mut scores: Vec<ScoreState> = Vec::new();
    for r in &detail.records {
        for (_, item) in template.items() {
            let given = (mine.answers.iter())
                .find(|a| a.record_id == r.id && a.item_id == item.id)
                .map(|a| a.result);
            items.push((r.id, item.id, RwSignal::new(given)));
        }
        for d in &template.dimensions {
            let given = (mine.scores.iter())
                .find(|s| s.record_id == r.id && s.dimension_id == d.id)
                .map(|s| s.score);
            scores.push((r.id, d.id, RwSignal::new(given)));
        }
    }
    let items = StoredValue::new(items);
    let scores = StoredValue::new(scores);
    let errors = CalibrationErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let id = detail.summary.id;
    let record_ids: Vec<i64> = detail.records.iter().map(|r| r.id).collect();
    let checked_template = StoredValue::new(template.clone());
    let save = Action::new_local(move |answers: &CalibrationAnswers| {
        let answers = answers.clone();
        async move {
            match api::calibration::score(id, &answers).await {
                Ok(detail) => current.set(detail),
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let answers = CalibrationAnswers {
            answers: items.with_value(|all| {
                all.iter()
                    .filter_map(|(record_id, item_id, s)| {
                        s.get_untracked().map(|result| CalibrationItemAnswer {
                            record_id: *record_id,
                            item_id: *item_id,
                            result,
                        })
                    })
                    .collect()
            }),
            scores: scores.with_value(|all| {
                all.iter()
                    .filter_map(|(record_id, dimension_id, s)| {
                        s.get_untracked().map(|score| CalibrationScore {
                            record_id: *record_id,
                            dimension_id: *dimension_id,
                            score,
                        })
                    })
                    .collect()
            }),
        };
        match checked_template.with_value(|t| answers.check(t, &record_ids, true)) {
            Ok(()) => {
                errors.set(Vec::new());
                save.dispatch_local(answers);
            }
            Err(found) => {
                errors.set(found);
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let template = StoredValue::new(template);
    let sections = detail
        .records
        .into_iter()
        .map(|record| view! { <RecordSection record template items scores errors /> })
        .collect_view();
    view! {
        <p class="lead">{tr(i18n, |l| td_string!(l, calibration.blind_note))}</p>
        {submitted.then(|| view! {
            <p class="notice" data-testid="cal-submitted">{tr(i18n, |l| td_string!(l, calibration.submitted_note))}</p>
        })}
        <form id=FORM_ID class="form qa-form" novalidate on:submit=on_submit data-testid="cal-score-form">
            {sections}
            <div role="alert">
                {move || errors.any().then(|| view! {
                    <p class="notice notice-error">{tr(i18n, |l| td_string!(l, calibration.fix_errors))}</p>
                })}
                {move || failure.get().map(|error| view! {
                    <div class="notice notice-error form-error"><p>{error_message(i18n, &error)}</p></div>
                })}
            </div>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || save.pending().get() data-testid="cal-submit">
                    {move || {
                        if save.pending().get() {
                            t_string!(i18n, calibration.saving)
                        } else if submitted {
                            t_string!(i18n, calibration.resubmit)
                        } else {
                            t_string!(i18n, calibration.submit)
                        }
                    }}
                </button>
            </div>
        </form>
    }
}

/// One record of the form: its facts and transcript, then the checklist.
#[component]
fn RecordSection(
    record: CalibrationRecord,
    template: StoredValue<ChecklistTemplate>,
    items: StoredValue<Vec<ItemState>>,
    scores: StoredValue<Vec<ScoreState>>,
    errors: CalibrationErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let r = record.id;
    let heading = format!("cal-record-{r}-heading");
    let labelled_by = heading.clone();
    let no = record.external_id.clone();
    let lines = record.conversation.lines.clone();
    let transcript = (!lines.is_empty()).then(|| {
        let lines = lines
            .into_iter()
            .map(|l| view! { <li>{l}</li> })
            .collect_view();
        view! {
            <details class="cal-transcript">
                <summary>{tr(i18n, |l| td_string!(l, qa.transcript_lines))}</summary>
                <ol class="cal-lines">{lines}</ol>
            </details>
        }
    });
    let dimensions = template.with_value(|t| {
        t.dimensions
            .iter()
            .map(|d| {
                let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                let legend_name = (zh.clone(), en.clone());
                let item_views = d
                    .items
                    .iter()
                    .map(|item| {
                        let state = items.with_value(|all| {
                            all.iter()
                                .find(|(rid, iid, _)| *rid == r && *iid == item.id)
                                .map(|(_, _, s)| *s)
                        });
                        let state = state.unwrap_or_else(|| RwSignal::new(None));
                        let (name_zh, name_en) = (item.name_zh.clone(), item.name_en.clone());
                        let (std_zh, std_en) = (item.standard_zh.clone(), item.standard_en.clone());
                        let group = format!("cal-{r}-{}", item.id);
                        let error = errors.of(format!("answers.{r}.{}", item.id));
                        let invalid = move || error.with(Option::is_some);
                        let standard_id = format!("{group}-standard");
                        let message_id = error_id(&group);
                        let described = {
                            let (s, m) = (standard_id.clone(), message_id.clone());
                            move || if invalid() { format!("{s} {m}") } else { s.clone() }
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
                                            prop:checked=move || state.get() == Some(result)
                                            aria-invalid=move || invalid().then_some("true")
                                            on:change=move |_| state.set(Some(result))
                                        />
                                        <span>{move || item_result_name(i18n.get_locale(), result)}</span>
                                    </label>
                                }
                            })
                            .collect_view();
                        view! {
                            <fieldset class="field radio-group qa-item" class:field-invalid=invalid aria-describedby=described
                                data-testid=format!("cal-item-{r}-{}", item.id)>
                                <legend>{move || in_language(i18n.get_locale(), &name_zh, &name_en).to_owned()}</legend>
                                <p id=standard_id class="field-hint qa-standard">
                                    {tr(i18n, |l| td_string!(l, qa.standard))} "："
                                    {move || in_language(i18n.get_locale(), &std_zh, &std_en).to_owned()}
                                </p>
                                <div class="radio-options">{radios}</div>
                                <ErrorLine id=message_id error />
                            </fieldset>
                        }
                    })
                    .collect_view();
                let score = scores.with_value(|all| {
                    all.iter()
                        .find(|(rid, did, _)| *rid == r && *did == d.id)
                        .map(|(_, _, s)| *s)
                });
                let score = score.unwrap_or_else(|| RwSignal::new(None));
                let group = format!("cal-score-{r}-{}", d.id);
                let error = errors.of(format!("scores.{r}.{}", d.id));
                let invalid = move || error.with(Option::is_some);
                let message_id = error_id(&group);
                let described = message_id.clone();
                let levels = d.levels.clone();
                let options = (1..=5u8)
                    .map(|value| {
                        let radio_id = format!("{group}-{value}");
                        let label_for = radio_id.clone();
                        let name = group.clone();
                        let level = levels.iter().find(|l| l.score == value).cloned();
                        view! {
                            <label class="radio-option qa-level" for=label_for>
                                <input
                                    type="radio"
                                    id=radio_id
                                    name=name
                                    value=value.to_string()
                                    prop:checked=move || score.get() == Some(value)
                                    aria-invalid=move || invalid().then_some("true")
                                    on:change=move |_| score.set(Some(value))
                                />
                                <span>
                                    <strong>{move || td_string!(i18n.get_locale(), qa.points, points = value.to_string())}</strong>
                                    {level.map(|l| view! {
                                        <span class="qa-level-text">
                                            {move || in_language(i18n.get_locale(), &l.text_zh, &l.text_en).to_owned()}
                                        </span>
                                    })}
                                </span>
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="qa-dimension">
                        <legend>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</legend>
                        {item_views}
                        <fieldset class="field radio-group qa-rubric" class:field-invalid=invalid
                            aria-describedby=move || invalid().then(|| described.clone())
                            data-testid=format!("cal-rubric-{r}-{}", d.id)>
                            <legend>
                                {move || td_string!(i18n.get_locale(), qa.rubric_legend, name = in_language(i18n.get_locale(), &legend_name.0, &legend_name.1))}
                            </legend>
                            <div class="qa-levels">{options}</div>
                            <ErrorLine id=message_id error />
                        </fieldset>
                    </fieldset>
                }
            })
            .collect_view()
    });
    view! {
        <section class="card cal-record" aria-labelledby=labelled_by data-testid=format!("cal-record-{r}")>
            <h2 id=heading>{move || td_string!(i18n.get_locale(), calibration.record_heading, no = no.clone())}</h2>
            <dl class="facts qa-facts">
                <div class="fact">
                    <dt>{tr(i18n, |l| td_string!(l, calibration.agent))}</dt>
                    <dd>{person_text(&record.agent)}</dd>
                </div>
                <div class="fact">
                    <dt>{tr(i18n, |l| td_string!(l, calibration.ended))}</dt>
                    <dd>{local_time(record.ended_at)}</dd>
                </div>
            </dl>
            {transcript}
            {dimensions}
        </section>
    }
}
