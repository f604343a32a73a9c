//! A closed session's comparison: Krippendorff's alpha, each item (most disagreement first)
//! and each dimension with every inspector's answer per record, the agreement and spread; the
//! lead chooses the agreed answers and writes the notes that become the items' guidance.

use leptos::prelude::*;
use pingjia_domain::qa::{
    AgreedAnswers, CalibrationDetail, CalibrationItemAnswer, CalibrationScore, ItemNote, ItemResult,
};

use super::CalibrationErrors;
use crate::api::{self, ApiError};
use crate::components::error_panel::error_message;
use crate::components::form::failure::refused;
use crate::components::form::fields::TextAreaField;
use crate::format::percent_text;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::{item_result_class, item_result_name};

fn alpha_text(alpha: Option<f64>) -> String {
    alpha.map_or_else(|| "—".to_owned(), |a| format!("{a:.3}"))
}

type AgreedItem = (i64, i64, RwSignal<String>);

/// The comparison of a closed session, and the lead's agreed answers.
#[component]
pub(super) fn Results(
    /// The closed session.
    detail: CalibrationDetail,
    /// Where the server's answer goes.
    current: RwSignal<CalibrationDetail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(results) = detail.results.clone() else {
        return ().into_any();
    };
    let may_lead = detail.may_lead;
    let agreed = detail.agreed.clone().unwrap_or_default();
    let names: Vec<String> = results
        .inspector_ids
        .iter()
        .map(|id| {
            (detail.inspectors.iter())
                .find(|i| i.person.id == *id)
                .map(|i| i.person.name.clone())
                .unwrap_or_default()
        })
        .collect();
    let record_no = |id: i64| {
        (detail.records.iter())
            .find(|r| r.id == id)
            .map(|r| r.external_id.clone())
            .unwrap_or_default()
    };
    let template = &detail.template;
    let errors = CalibrationErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(detail.agreed.is_some());
    let mut agreed_items: Vec<AgreedItem> = Vec::new();
    let mut agreed_scores: Vec<AgreedItem> = Vec::new();
    let mut notes: Vec<(i64, RwSignal<String>)> = Vec::new();

    // Each answer cell's label in the cards the tables become at phone width.
    let cell_names = StoredValue::new(names.clone());
    let cell_name =
        move |i: usize| cell_names.with_value(|n| n.get(i).cloned().unwrap_or_default());
    let inspector_heads = move || {
        names
            .iter()
            .map(|n| view! { <th scope="col">{n.clone()}</th> })
            .collect_view()
    };

    let folded = (results.items.iter())
        .filter(|i| i.agreement == Some(1.0))
        .count();
    let item_cards = results
        .items
        .iter()
        .map(|item| {
            let (dimension, template_item) = template
                .items()
                .find(|(_, i)| i.id == item.item_id)
                .map(|(d, i)| (d.clone(), i.clone()))
                .unzip();
            let title = move |locale: Locale| {
                let d = dimension.as_ref().map_or("", |d| in_language(locale, &d.name_zh, &d.name_en));
                let i = template_item.as_ref().map_or("", |i| in_language(locale, &i.name_zh, &i.name_en));
                format!("{d} · {i}")
            };
            let title = StoredValue::new(title);
            let item_id = item.item_id;
            let rows = item
                .records
                .iter()
                .map(|r| {
                    let given = (agreed.answers.iter())
                        .find(|a| a.record_id == r.record_id && a.item_id == item_id)
                        .map(|a| a.result)
                        .or_else(|| (r.agreement == Some(1.0)).then(|| r.answers.iter().flatten().next().copied()).flatten());
                    let choice = RwSignal::new(given.map(|g| g.as_str().to_owned()).unwrap_or_default());
                    agreed_items.push((r.record_id, item_id, choice));
                    let cells = r
                        .answers
                        .iter()
                        .enumerate()
                        .map(|(i, a)| match *a {
                            Some(result) => view! {
                                <td data-label=cell_name(i)><span class=item_result_class(result)>{move || item_result_name(i18n.get_locale(), result)}</span></td>
                            }
                            .into_any(),
                            None => view! { <td data-label=cell_name(i)>"—"</td> }.into_any(),
                        })
                        .collect_view();
                    let select_id = format!("cal-agreed-{}-{item_id}", r.record_id);
                    let no = record_no(r.record_id);
                    let agreed_cell = if may_lead {
                        let label = format!("{select_id}-label");
                        view! {
                            <td data-label=move || t_string!(i18n, calibration.agreed_answer)>
                                <select id=select_id aria-labelledby=format!("cal-agreed-head-{item_id} {label}")
                                    on:change=move |ev| choice.set(event_target_value(&ev))>
                                    <option value="" prop:selected=move || choice.get().is_empty()>
                                        {tr(i18n, |l| td_string!(l, calibration.not_set))}
                                    </option>
                                    {ItemResult::ALL.into_iter().map(|result| view! {
                                        <option value=result.as_str() prop:selected=move || choice.get() == result.as_str()>
                                            {move || item_result_name(i18n.get_locale(), result)}
                                        </option>
                                    }).collect_view()}
                                </select>
                            </td>
                        }
                        .into_any()
                    } else {
                        view! {
                            <td data-label=move || t_string!(i18n, calibration.agreed_answer)>{move || ItemResult::parse(&choice.get()).map_or("—", |r| item_result_name(i18n.get_locale(), r))}</td>
                        }
                        .into_any()
                    };
                    view! {
                        <tr>
                            <th scope="row" class="mono" id=format!("cal-agreed-{}-{item_id}-label", r.record_id) data-label=move || t_string!(i18n, calibration.record)>{no}</th>
                            {cells}
                            <td data-label=move || t_string!(i18n, calibration.agreement)>{percent_text(r.agreement)}</td>
                            {agreed_cell}
                        </tr>
                    }
                })
                .collect_view();
            let existing = (agreed.notes.iter())
                .find(|n| n.item_id == item_id)
                .map(|n| n.note.clone())
                .unwrap_or_default();
            let note = RwSignal::new(existing.clone());
            notes.push((item_id, note));
            let note_view = if may_lead {
                view! {
                    <TextAreaField
                        id=format!("cal-note-{item_id}")
                        label=Signal::derive(move || t_string!(i18n, calibration.note_label).to_owned())
                        value=note
                        error=errors.of(format!("notes.{item_id}"))
                        optional=true
                        rows=2
                    />
                }
                .into_any()
            } else if existing.is_empty() {
                ().into_any()
            } else {
                view! { <p class="field-hint">{tr(i18n, |l| td_string!(l, calibration.guidance))} "：" {existing}</p> }.into_any()
            };
            let heading_id = format!("cal-item-{item_id}-title");
            let labelled_by = heading_id.clone();
            let agreement = item.agreement;
            let badge = move || view! {
                <span class="badge badge-off">
                    {move || td_string!(i18n.get_locale(), calibration.agreement_value, value = percent_text(agreement))}
                </span>
            };
            let table = view! {
                    <div class="table-scroll">
                        <table class="data-table qa-table cal-table">
                            <caption class="visually-hidden">{move || title.with_value(|t| t(i18n.get_locale()))}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, calibration.record))}</th>
                                    {inspector_heads()}
                                    <th scope="col">{tr(i18n, |l| td_string!(l, calibration.agreement))}</th>
                                    <th scope="col" id=format!("cal-agreed-head-{item_id}")>{tr(i18n, |l| td_string!(l, calibration.agreed_answer))}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    {note_view}
            };
            if agreement == Some(1.0) {
                // Everyone gave the same answer on every record: folded to a line with the
                // agreed answer, open to change it or write a note.
                let chosen: Vec<RwSignal<String>> = (agreed_items.iter())
                    .filter(|(_, item, _)| *item == item_id)
                    .map(|(_, _, choice)| *choice)
                    .collect();
                let answer = move || {
                    let locale = i18n.get_locale();
                    let mut names: Vec<&'static str> = Vec::new();
                    for choice in &chosen {
                        let name = ItemResult::parse(&choice.get())
                            .map_or_else(|| td_string!(locale, calibration.not_set), |r| item_result_name(locale, r));
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                    td_string!(locale, calibration.agreed_summary, answer = names.join(" / "))
                };
                view! {
                    <details class="card cal-card cal-folded" data-testid=format!("cal-agree-item-{item_id}")>
                        <summary>
                            <span class="cal-folded-title" id=heading_id>{move || title.with_value(|t| t(i18n.get_locale()))}</span>
                            <span class="cal-folded-answer">{answer}</span>
                            {badge()}
                        </summary>
                        {table}
                    </details>
                }
                .into_any()
            } else {
                view! {
                    <article class="card cal-card" aria-labelledby=labelled_by data-testid=format!("cal-agree-item-{item_id}")>
                        <div class="appeal-head">
                            <h3 id=heading_id>{move || title.with_value(|t| t(i18n.get_locale()))}</h3>
                            {badge()}
                        </div>
                        {table}
                    </article>
                }
                .into_any()
            }
        })
        .collect_view();

    let dimension_cards = results
        .dimensions
        .iter()
        .map(|dim| {
            let dimension_id = dim.dimension_id;
            let (zh, en) = template
                .dimensions
                .iter()
                .find(|d| d.id == dimension_id)
                .map(|d| (d.name_zh.clone(), d.name_en.clone()))
                .unwrap_or_default();
            let title = StoredValue::new((zh, en));
            let name = move || title.with_value(|(zh, en)| in_language(i18n.get_locale(), zh, en).to_owned());
            let rows = dim
                .records
                .iter()
                .map(|r| {
                    let given = (agreed.scores.iter())
                        .find(|s| s.record_id == r.record_id && s.dimension_id == dimension_id)
                        .map(|s| s.score)
                        .or_else(|| (r.spread == 0).then(|| r.scores.iter().flatten().next().copied()).flatten());
                    let choice = RwSignal::new(given.map(|g| g.to_string()).unwrap_or_default());
                    agreed_scores.push((r.record_id, dimension_id, choice));
                    let cells = r
                        .scores
                        .iter()
                        .enumerate()
                        .map(|(i, s)| view! { <td data-label=cell_name(i)>{s.map_or_else(|| "—".to_owned(), |s| s.to_string())}</td> })
                        .collect_view();
                    let select_id = format!("cal-agreed-score-{}-{dimension_id}", r.record_id);
                    let label = format!("{select_id}-label");
                    let agreed_cell = if may_lead {
                        view! {
                            <td data-label=move || t_string!(i18n, calibration.agreed_score)>
                                <select id=select_id aria-labelledby=format!("cal-score-head-{dimension_id} {label}")
                                    on:change=move |ev| choice.set(event_target_value(&ev))>
                                    <option value="" prop:selected=move || choice.get().is_empty()>
                                        {tr(i18n, |l| td_string!(l, calibration.not_set))}
                                    </option>
                                    {(1..=5u8).map(|v| view! {
                                        <option value=v.to_string() prop:selected=move || choice.get() == v.to_string()>{v}</option>
                                    }).collect_view()}
                                </select>
                            </td>
                        }
                        .into_any()
                    } else {
                        view! { <td data-label=move || t_string!(i18n, calibration.agreed_score)>{move || { let c = choice.get(); if c.is_empty() { "—".to_owned() } else { c } }}</td> }.into_any()
                    };
                    view! {
                        <tr>
                            <th scope="row" class="mono" id=label.clone() data-label=move || t_string!(i18n, calibration.record)>{record_no(r.record_id)}</th>
                            {cells}
                            <td data-label=move || t_string!(i18n, calibration.spread)>{r.spread}</td>
                            {agreed_cell}
                        </tr>
                    }
                })
                .collect_view();
            let (spread, sd) = (dim.spread, dim.std_dev);
            let badge = move || view! {
                <span class="badge badge-off">
                    {move || td_string!(i18n.get_locale(), calibration.spread_value, value = spread.to_string(), sd = sd.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}")))}
                </span>
            };
            let table = view! {
                <div class="table-scroll">
                    <table class="data-table qa-table cal-table">
                        <caption class="visually-hidden">{name}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{tr(i18n, |l| td_string!(l, calibration.record))}</th>
                                {inspector_heads()}
                                <th scope="col">{tr(i18n, |l| td_string!(l, calibration.spread))}</th>
                                <th scope="col" id=format!("cal-score-head-{dimension_id}")>{tr(i18n, |l| td_string!(l, calibration.agreed_score))}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            };
            if spread == 0 && !dim.records.is_empty() {
                // Everyone gave the same score on every record: folded like an agreed item.
                let chosen: Vec<RwSignal<String>> = (agreed_scores.iter())
                    .filter(|(_, d, _)| *d == dimension_id)
                    .map(|(_, _, choice)| *choice)
                    .collect();
                let score = move || {
                    let locale = i18n.get_locale();
                    let mut given: Vec<String> = Vec::new();
                    for choice in &chosen {
                        let value = choice.get();
                        let value = if value.is_empty() { td_string!(locale, calibration.not_set).to_owned() } else { value };
                        if !given.contains(&value) {
                            given.push(value);
                        }
                    }
                    td_string!(locale, calibration.agreed_score_summary, score = given.join(" / "))
                };
                view! {
                    <details class="card cal-card cal-folded" data-testid=format!("cal-agree-dimension-{dimension_id}")>
                        <summary>
                            <span class="cal-folded-title">{name}</span>
                            <span class="cal-folded-answer">{score}</span>
                            {badge()}
                        </summary>
                        {table}
                    </details>
                }
                .into_any()
            } else {
                view! {
                    <article class="card cal-card" data-testid=format!("cal-agree-dimension-{dimension_id}")>
                        <div class="appeal-head">
                            <h3>{name}</h3>
                            {badge()}
                        </div>
                        {table}
                    </article>
                }
                .into_any()
            }
        })
        .collect_view();

    let id = detail.summary.id;
    let (agreed_items, agreed_scores, notes) = (
        StoredValue::new(agreed_items),
        StoredValue::new(agreed_scores),
        StoredValue::new(notes),
    );
    let save = Action::new_local(move |body: &AgreedAnswers| {
        let body = body.clone();
        async move {
            match api::calibration::agree(id, &body).await {
                Ok(detail) => {
                    saved.set(true);
                    // The page keeps what the lead chose; the list and the sheets read it anew.
                    current.update_untracked(|c| *c = detail);
                }
                Err(error) => refused(error, failure, |found| errors.set(found)),
            }
        }
    });
    let on_save = move |_| {
        if save.pending().get_untracked() {
            return;
        }
        failure.set(None);
        saved.set(false);
        let body = AgreedAnswers {
            answers: agreed_items.with_value(|all| {
                all.iter()
                    .filter_map(|(record_id, item_id, c)| {
                        ItemResult::parse(&c.get_untracked()).map(|result| CalibrationItemAnswer {
                            record_id: *record_id,
                            item_id: *item_id,
                            result,
                        })
                    })
                    .collect()
            }),
            scores: agreed_scores.with_value(|all| {
                all.iter()
                    .filter_map(|(record_id, dimension_id, c)| {
                        c.get_untracked()
                            .parse()
                            .ok()
                            .map(|score| CalibrationScore {
                                record_id: *record_id,
                                dimension_id: *dimension_id,
                                score,
                            })
                    })
                    .collect()
            }),
            notes: notes.with_value(|all| {
                all.iter()
                    .map(|(item_id, n)| ItemNote {
                        item_id: *item_id,
                        note: n.get_untracked().trim().to_owned(),
                    })
                    .filter(|n| !n.note.is_empty())
                    .collect()
            }),
        };
        errors.set(Vec::new());
        save.dispatch_local(body);
    };
    view! {
        <section aria-labelledby="cal-results-heading" data-testid="cal-results">
            <h2 id="cal-results-heading">{tr(i18n, |l| td_string!(l, calibration.results_heading))}</h2>
            <dl class="facts qa-facts" data-testid="cal-alphas">
                <div class="fact">
                    <dt>{tr(i18n, |l| td_string!(l, calibration.alpha_items))}</dt>
                    <dd data-testid="cal-alpha-items">{alpha_text(results.alpha_items)}</dd>
                </div>
                <div class="fact">
                    <dt>{tr(i18n, |l| td_string!(l, calibration.alpha_scores))}</dt>
                    <dd>{alpha_text(results.alpha_scores)}</dd>
                </div>
                <div class="fact">
                    <dt>{tr(i18n, |l| td_string!(l, calibration.alpha_ordinal))}</dt>
                    <dd>{alpha_text(results.alpha_scores_ordinal)}</dd>
                </div>
            </dl>
            <p class="field-hint">{tr(i18n, |l| td_string!(l, calibration.alpha_hint))}</p>
            {(!may_lead).then(|| view! { <p class="notice">{tr(i18n, |l| td_string!(l, calibration.not_lead_note))}</p> })}
            <h2>{tr(i18n, |l| td_string!(l, calibration.items_heading))}</h2>
            {(folded > 0).then(|| view! {
                <p class="field-hint">{move || td_string!(i18n.get_locale(), calibration.folded_hint, count = folded.to_string())}</p>
            })}
            <div class="cal-cards" data-testid="cal-disagreement">{item_cards}</div>
            <h2>{tr(i18n, |l| td_string!(l, calibration.dimensions_heading))}</h2>
            <div class="cal-cards">{dimension_cards}</div>
            {may_lead.then(|| view! {
                <div role="status">
                    {move || saved.get().then(|| view! {
                        <p class="notice notice-success" data-testid="cal-agreed-saved">{tr(i18n, |l| td_string!(l, calibration.agreed_saved))}</p>
                    })}
                </div>
                <div role="alert">
                    {move || errors.any().then(|| view! {
                        <p class="notice notice-error">{tr(i18n, |l| td_string!(l, calibration.fix_errors))}</p>
                    })}
                    {move || failure.get().map(|error| view! {
                        <div class="notice notice-error form-error"><p>{error_message(i18n, &error)}</p></div>
                    })}
                </div>
                <div class="form-actions">
                    <button type="button" class="button" disabled=move || save.pending().get() on:click=on_save data-testid="cal-save-agreed">
                        {move || if save.pending().get() { t_string!(i18n, calibration.saving_agreed) } else { t_string!(i18n, calibration.save_agreed) }}
                    </button>
                </div>
            })}
        </section>
    }
    .into_any()
}
