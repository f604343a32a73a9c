//! An evaluation as its readers see it: its number (to copy), scores, suggestion, and the
//! service record it rates. The customer's evaluation and rating pages and the admin's page of
//! one evaluation show it the same way.

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::evaluations::{Evaluation, RecordInfo};

use crate::components::copy_text::CopyText;
use crate::components::star_rating::score_label;
use crate::format::{local_time, total_text};
use crate::i18n::{t, td_string, use_i18n};
use crate::labels::{channel_name, customer_type_name, in_language};
use crate::locale::tr;

/// An evaluation: its number (to copy), scores, suggestion and the service it rates.
#[component]
pub fn EvaluationDetails(
    /// The evaluation.
    evaluation: Evaluation,
) -> impl IntoView {
    let i18n = use_i18n();
    let Evaluation {
        number,
        submitted_at,
        record,
        scores,
        total_score,
        overall,
        suggestion,
        ..
    } = evaluation;
    let total = total_text(total_score);
    let submitted = local_time(submitted_at);
    let rows = scores
        .into_iter()
        .map(|dimension| {
            let (zh, en) = (dimension.name_zh, dimension.name_en);
            let score = dimension.score;
            view! {
                <div class="fact">
                    <dt>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</dt>
                    <dd>
                        {move || match score {
                            Some(score) => {
                                let label = score_label(i18n.get_locale(), score);
                                if score == 1 {
                                    t!(i18n, rating.dimension_score_one, label).into_any()
                                } else {
                                    t!(i18n, rating.dimension_score, score, label).into_any()
                                }
                            }
                            None => view! {
                                <span class="muted">{tr(i18n, |l| td_string!(l, rating.not_rated))}</span>
                            }.into_any(),
                        }}
                    </dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="panel evaluation" aria-labelledby="evaluation-number-label">
            <h2 id="evaluation-number-label">{tr(i18n, |l| td_string!(l, rating.number_label))}</h2>
            <CopyText text=number id="evaluation-number" />
            <p class="muted">{t!(i18n, rating.submitted_at, submitted)}</p>
            <dl class="score-summary">
                <div class="score-big">
                    <dt>{tr(i18n, |l| td_string!(l, rating.total_score))}</dt>
                    <dd>{total} <span class="muted">" / 5"</span></dd>
                </div>
                <div class="score-big">
                    <dt>{tr(i18n, |l| td_string!(l, rating.overall_legend))}</dt>
                    <dd>{overall} <span class="muted">" / 10"</span></dd>
                </div>
            </dl>
            <h3>{tr(i18n, |l| td_string!(l, rating.dimension_scores))}</h3>
            <dl class="facts dimension-scores">{rows}</dl>
            <h3>{tr(i18n, |l| td_string!(l, rating.suggestion_label))}</h3>
            {match suggestion {
                Some(text) => Either::Left(view! { <p class="suggestion-text">{text}</p> }),
                None => Either::Right(view! { <p class="muted">{tr(i18n, |l| td_string!(l, rating.no_suggestion))}</p> }),
            }}
        </section>
        <section class="panel" aria-labelledby="evaluation-service">
            <h2 id="evaluation-service">{tr(i18n, |l| td_string!(l, rating.record_heading))}</h2>
            <RecordFacts record />
        </section>
    }
}

/// The base information of a service record, read-only.
#[component]
pub fn RecordFacts(
    /// The record.
    record: RecordInfo,
) -> impl IntoView {
    let i18n = use_i18n();
    let fact = |term: AnyView, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{term}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let RecordInfo {
        customer_no,
        customer_type,
        agent_no,
        agent_name,
        service_type_name_zh,
        service_type_name_en,
        channel,
        started_at,
        ended_at,
        order_no,
        ..
    } = record;
    let customer = move || match customer_type {
        Some(kind) => format!(
            "{customer_no} · {}",
            customer_type_name(i18n.get_locale(), kind)
        ),
        None => customer_no.clone(),
    };
    let mut facts = vec![
        fact(
            tr(i18n, |l| td_string!(l, rating.fact_service_type)).into_any(),
            (move || {
                in_language(
                    i18n.get_locale(),
                    &service_type_name_zh,
                    &service_type_name_en,
                )
                .to_owned()
            })
            .into_any(),
        ),
        fact(
            tr(i18n, |l| td_string!(l, rating.fact_customer)).into_any(),
            customer.into_any(),
        ),
        fact(
            tr(i18n, |l| td_string!(l, rating.fact_agent)).into_any(),
            format!("{agent_name} · {agent_no}").into_any(),
        ),
        fact(
            tr(i18n, |l| td_string!(l, rating.fact_channel)).into_any(),
            (move || channel_name(i18n.get_locale(), channel)).into_any(),
        ),
        fact(
            tr(i18n, |l| td_string!(l, rating.fact_started)).into_any(),
            view! { <time datetime=started_at.to_rfc3339()>{local_time(started_at)}</time> }
                .into_any(),
        ),
        fact(
            tr(i18n, |l| td_string!(l, rating.fact_ended)).into_any(),
            view! { <time datetime=ended_at.to_rfc3339()>{local_time(ended_at)}</time> }.into_any(),
        ),
    ];
    if let Some(order_no) = order_no {
        facts.push(fact(
            tr(i18n, |l| td_string!(l, rating.fact_order)).into_any(),
            view! { <span class="mono">{order_no}</span> }.into_any(),
        ));
    }
    view! { <dl class="facts record-facts">{facts}</dl> }
}
