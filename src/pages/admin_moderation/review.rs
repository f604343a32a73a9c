//! One evaluation under review: its card, its decision line and its history.

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::moderation::{Decision, DecisionRecord, ModerationStatus, ReviewItem};

use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::i18n::{t, t_string, use_i18n};
use crate::labels::{in_language, rule_name};

use super::model::{Pending, decision_name, decisions_for, status_name};
use crate::components::loading::Loading;
use crate::format::local_time;

/// One flagged evaluation: its reasons, who and what, the scores and suggestion, the last
/// decision, its actions and its history.
#[component]
pub(super) fn ReviewCard(
    /// The evaluation.
    item: ReviewItem,
    /// The ids selected on the page.
    selected: RwSignal<Vec<i64>>,
    /// Opens the decision dialog.
    on_action: Callback<Pending>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.id;
    let number = item.number.clone();
    let number_id = format!("review-{id}-number");
    let labelled_by = number_id.clone();
    let history_id = format!("review-{id}-history");
    let expanded = RwSignal::new(false);
    let checked = move || selected.with(|s| s.contains(&id));
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        selected.update(|s| {
            s.retain(|x| *x != id);
            if on {
                s.push(id);
            }
        });
    };
    let named = move |action: &str| format!("review-{id}-{action} review-{id}-number");
    let status = item.status;
    let actions = decisions_for(status)
        .into_iter()
        .map(|decision| {
            let number = number.clone();
            view! {
                <button
                    type="button"
                    class="button button-small"
                    class:button-secondary=decision != Decision::Delete
                    class:button-danger=decision == Decision::Delete
                    id=format!("review-{id}-{}", decision.as_str())
                    aria-labelledby=named(decision.as_str())
                    on:click=move |_| {
                        on_action
                            .run(Pending {
                                decision,
                                targets: vec![(id, number.clone())],
                            })
                    }
                >
                    {move || decision_name(i18n.get_locale(), decision)}
                </button>
            }
        })
        .collect_view();
    let reasons = item.reasons.clone();
    let scores = item.scores.clone();
    let suggestion = item.suggestion.clone();
    let last_decision = item.last_decision.clone();
    let customer = match &item.customer_phone {
        Some(phone) => format!("{} · {phone}", item.customer_no),
        None => item.customer_no.clone(),
    };
    let agent = format!("{} {}", item.agent_name, item.agent_no);
    let (type_zh, type_en) = (
        item.service_type_name_zh.clone(),
        item.service_type_name_en.clone(),
    );
    let submitted = local_time(item.submitted_at);
    let overall = item.overall;
    let total_score = format!("{:.1}", item.total_score);
    let form_seconds = item.form_seconds;
    view! {
        <li class="review-item">
            <article class="review-card" aria-labelledby=labelled_by>
                <div class="review-head">
                    <label class="checkbox review-select">
                        <input type="checkbox" prop:checked=checked on:change=toggle />
                        <span>
                            {t!(i18n, moderation.select)}
                            <span class="visually-hidden">" " {number.clone()}</span>
                        </span>
                    </label>
                    <h2 id=number_id class="review-number mono">{number.clone()}</h2>
                    <span
                        class="badge"
                        class:badge-warn=status == ModerationStatus::UnderReview
                        class:badge-off=status == ModerationStatus::Deleted
                    >
                        {move || status_name(i18n.get_locale(), status)}
                    </span>
                </div>
                <div class="review-reasons">
                    <h3>{t!(i18n, moderation.reasons)}</h3>
                    <ul>
                        {reasons
                            .into_iter()
                            .map(|reason| {
                                let rule = reason.rule;
                                view! {
                                    <li>
                                        <strong>{move || rule_name(i18n.get_locale(), rule)}</strong>
                                        {t!(i18n, moderation.reason_separator)}
                                        {move || {
                                            in_language(i18n.get_locale(), &reason.detail_zh, &reason.detail)
                                                .to_owned()
                                        }}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
                <dl class="review-facts">
                    <div>
                        <dt>{t!(i18n, moderation.agent)}</dt>
                        <dd>{agent}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, moderation.customer)}</dt>
                        <dd class="mono">{customer}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, moderation.service_type)}</dt>
                        <dd>{move || in_language(i18n.get_locale(), &type_zh, &type_en).to_owned()}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, moderation.submitted)}</dt>
                        <dd>{submitted}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, moderation.overall)}</dt>
                        <dd>{format!("{overall}/10")}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, moderation.total)}</dt>
                        <dd>{format!("{total_score}/5")}</dd>
                    </div>
                    {form_seconds
                        .map(|seconds| {
                            view! {
                                <div>
                                    <dt>{t!(i18n, moderation.form_seconds)}</dt>
                                    <dd>{t!(i18n, moderation.seconds, seconds)}</dd>
                                </div>
                            }
                        })}
                </dl>
                <div class="review-scores">
                    <h3>{t!(i18n, moderation.scores)}</h3>
                    <ul>
                        {scores
                            .into_iter()
                            .map(|score| {
                                let value = score.score;
                                view! {
                                    <li>
                                        <span>
                                            {move || {
                                                in_language(i18n.get_locale(), &score.name_zh, &score.name_en)
                                                    .to_owned()
                                            }}
                                        </span>
                                        " "
                                        <strong>
                                            {move || match value {
                                                Some(v) => format!("{v}/5"),
                                                None => t_string!(i18n, moderation.not_answered).to_owned(),
                                            }}
                                        </strong>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
                <div class="review-suggestion">
                    <h3>{t!(i18n, moderation.suggestion)}</h3>
                    {match suggestion {
                        Some(text) => Either::Left(view! { <p class="suggestion-text">{text}</p> }),
                        None => {
                            Either::Right(
                                view! { <p class="muted">{t!(i18n, moderation.no_suggestion)}</p> },
                            )
                        }
                    }}
                </div>
                <p class="review-last">
                    <span class="muted">{t!(i18n, moderation.last_decision)} " "</span>
                    {match last_decision {
                        Some(record) => Either::Left(view! { <DecisionLine record /> }),
                        None => Either::Right(t!(i18n, moderation.no_decision)),
                    }}
                </p>
                <div class="row-actions review-actions">
                    {actions}
                    <button
                        type="button"
                        class="button button-secondary button-small"
                        id=format!("review-{id}-history-toggle")
                        aria-labelledby=named("history-toggle")
                        aria-expanded=move || expanded.get().to_string()
                        aria-controls=history_id.clone()
                        on:click=move |_| expanded.update(|e| *e = !*e)
                    >
                        {t!(i18n, moderation.history_show)}
                    </button>
                </div>
                <div id=history_id class="review-history" hidden=move || !expanded.get()>
                    {move || expanded.get().then(|| view! { <ReviewHistory id /> })}
                </div>
            </article>
        </li>
    }
}

/// One decision in words: what, who, when, why.
#[component]
pub(super) fn DecisionLine(
    /// The decision.
    record: DecisionRecord,
) -> impl IntoView {
    let i18n = use_i18n();
    let decision = record.decision;
    let name = record.decided_by_name;
    let time = local_time(record.decided_at);
    let reason = record.reason;
    view! {
        <span class="decision-line">
            {move || {
                t!(
                    i18n, moderation.decided_by, decision = decision_name(i18n.get_locale(), decision), name = name.clone(), time = time.clone()
                )
            }}
            {t!(i18n, moderation.reason_separator)}
            <span class="decision-reason">{reason}</span>
        </span>
    }
}

/// Every flag and every decision of one evaluation, oldest first.
#[component]
pub(super) fn ReviewHistory(
    /// The evaluation's id.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let detail = LocalResource::new(move || api::moderation::review_detail(id));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => {
                        let flags = detail.item.reasons;
                        let decisions = detail.decisions;
                        Either::Left(
                            view! {
                                <h3>{t!(i18n, moderation.flags_heading)}</h3>
                                <ol class="history-list">
                                    {flags
                                        .into_iter()
                                        .map(|flag| {
                                            let rule = flag.rule;
                                            let time = local_time(flag.flagged_at);
                                            view! {
                                                <li>
                                                    <span class="muted">{time}</span>
                                                    " "
                                                    <strong>{move || rule_name(i18n.get_locale(), rule)}</strong>
                                                    {t!(i18n, moderation.reason_separator)}
                                                    {move || {
                                                        in_language(i18n.get_locale(), &flag.detail_zh, &flag.detail)
                                                            .to_owned()
                                                    }}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                                <h3>{t!(i18n, moderation.decisions_heading)}</h3>
                                {if decisions.is_empty() {
                                    Either::Left(
                                        view! { <p class="muted">{t!(i18n, moderation.no_decisions)}</p> },
                                    )
                                } else {
                                    Either::Right(
                                        view! {
                                            <ol class="history-list">
                                                {decisions
                                                    .into_iter()
                                                    .map(|record| view! { <li><DecisionLine record /></li> })
                                                    .collect_view()}
                                            </ol>
                                        },
                                    )
                                }}
                            },
                        )
                    }
                    Err(error) => {
                        Either::Right(
                            view! {
                                <ErrorPanel error on_retry=Callback::new(move |()| detail.refetch()) />
                            },
                        )
                    }
                }
            })}
        </Suspense>
    }
}
