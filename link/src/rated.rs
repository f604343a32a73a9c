//! After the rating: the evaluation (number, scores, total, overall, suggestion, status), its
//! appeal action while the window the server names is open, the appeal form in place, and
//! the appeals filed with their status.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use pingjia_domain::FieldError;
use pingjia_domain::appeals::{APPEAL_REASON_MAX_CHARS, EvaluationValues, NewAppeal};
use pingjia_domain::evaluations::{CustomerStatus, Evaluation};

use crate::form::score_label;
use crate::net::{self, Failure};
use crate::texts::*;
use crate::wire;
use crate::{
    RecordFacts, dt, failure_text, field_error_text, local_time, server_now, time_left_words,
};

fn status_text(status: CustomerStatus) -> usize {
    match status {
        CustomerStatus::Recorded => APPEALS_STATUS_RECORDED,
        CustomerStatus::AppealPending => APPEALS_STATUS_APPEAL_PENDING,
        CustomerStatus::Revised => APPEALS_STATUS_REVISED,
    }
}

/// The evaluation of a rated record.
#[component]
pub fn RatedView(
    evaluation: Evaluation,
    token: String,
    offset: RwSignal<i64>,
    on_filed: Callback<()>,
) -> impl IntoView {
    let appealing = RwSignal::new(false);
    let appeals = RwSignal::new(Vec::<wire::AppealLine>::new());
    {
        let token = token.clone();
        spawn_local(async move {
            if let Ok(json) = net::call("GET", &token, "/appeals", None, None).await {
                let _ = appeals.try_set(wire::appeals(&json));
            }
        });
    }
    let Evaluation {
        number,
        status,
        submitted_at,
        record,
        scores,
        total_score,
        overall,
        suggestion,
        appeal_until,
        can_appeal,
        ..
    } = evaluation;
    let current = EvaluationValues {
        scores: scores.clone(),
        total_score,
        overall,
        suggestion: suggestion.clone(),
    };
    let until = appeal_until.map(|u| u.timestamp_millis());
    let left = move || until.and_then(|until| time_left_words(server_now(offset.get()), until));
    let action = move || {
        if can_appeal && left().is_some() {
            if appealing.get() {
                view! { <AppealForm current=current.clone() token=token.clone() on_filed /> }
                    .into_any()
            } else {
                view! {
                    <p class="deadline">
                        {dt(move || left().map(|left| tf(APPEALS_TIME_LEFT, &[("left", &left)])).unwrap_or_default())}
                    </p>
                    <p>
                        <button type="button" class="button" on:click=move |_| appealing.set(true)>
                            {tr(APPEALS_APPEAL_ACTION)}
                        </button>
                    </p>
                }
                .into_any()
            }
        } else if status == CustomerStatus::AppealPending {
            view! { <p>{tr(APPEALS_PENDING_NOTICE)}</p> }.into_any()
        } else if until.is_some() {
            view! { <p class="muted">{tr(APPEALS_WINDOW_ENDED)}</p> }.into_any()
        } else {
            ().into_any()
        }
    };
    let submitted = submitted_at.timestamp_millis();
    // In tenths, without the float formatting machinery.
    let tenths = (total_score * 10.0).round() as i64;
    let total = format!("{}.{}", tenths / 10, tenths % 10);
    let rows = scores
        .into_iter()
        .map(|d| {
            let (zh, en, score) = (d.name_zh, d.name_en, d.score);
            view! {
                <div class="fact">
                    <dt>{dt(move || lang().pick(&zh, &en).to_owned())}</dt>
                    <dd>
                        {dt(move || match score {
                            Some(score) => tf(
                                RATING_DIMENSION_SCORE,
                                &[("score", &score.to_string()), ("label", score_label(score))],
                            ),
                            None => t(RATING_NOT_RATED).to_owned(),
                        })}
                    </dd>
                </div>
            }
        })
        .collect_view();
    let filed = move || {
        let list = appeals.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|a| {
                    let (filed_at, decided_at) = (
                        a.filed_at.timestamp_millis(),
                        a.decided_at.map(|d| d.timestamp_millis()),
                    );
                    let decision = a.decision_reason.map(|r| view! {
                        <p><strong>{tr(APPEALS_DECISION_REASON)}</strong> " " {r}</p>
                    });
                    view! {
                        <li class="appeal">
                            <p>
                                <span class="badge">{dt(move || a.status.label(lang().domain()).to_owned())}</span> " "
                                {dt(move || {
                                    let filed = tf(APPEALS_FILED_AT, &[("time", &local_time(filed_at))]);
                                    match decided_at {
                                        Some(d) => format!("{filed} · {}", tf(APPEALS_DECIDED_AT, &[("time", &local_time(d))])),
                                        None => filed,
                                    }
                                })}
                            </p>
                            <p class="quote">{a.reason}</p>
                            {decision}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h3>{tr(APPEALS_APPEALS_HEADING)}</h3>
                <ul class="appeals">{items}</ul>
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="evaluation-heading">
            <h2 id="evaluation-heading">{tr(RATING_NUMBER_LABEL)}</h2>
            <p class="number">{number}</p>
            <p class="muted">{dt(move || tf(RATING_SUBMITTED_AT, &[("submitted", &local_time(submitted))]))}</p>
            <dl class="scores">
                <div>
                    <dt>{tr(RATING_TOTAL_SCORE)}</dt>
                    <dd>{total} <span class="muted">" / 5"</span></dd>
                </div>
                <div>
                    <dt>{tr(RATING_OVERALL_LEGEND)}</dt>
                    <dd>{overall} <span class="muted">" / 10"</span></dd>
                </div>
            </dl>
            <h3>{tr(RATING_DIMENSION_SCORES)}</h3>
            <dl class="facts">{rows}</dl>
            <h3>{tr(RATING_SUGGESTION_LABEL)}</h3>
            {match suggestion {
                Some(text) => view! { <p class="quote">{text}</p> }.into_any(),
                None => view! { <p class="muted">{tr(RATING_NO_SUGGESTION)}</p> }.into_any(),
            }}
        </section>
        <section class="panel" aria-labelledby="appeal-heading">
            <h2 id="appeal-heading">{tr(APPEALS_SECTION_HEADING)}</h2>
            <p>
                {tr(APPEALS_STATUS_LABEL)} " "
                <span class="badge" class:warn=status == CustomerStatus::AppealPending>
                    {tr(status_text(status))}
                </span>
            </p>
            {action}
            {filed}
        </section>
        <section class="panel" aria-labelledby="record-heading">
            <h2 id="record-heading">{tr(RATING_RECORD_HEADING)}</h2>
            <RecordFacts record />
        </section>
    }
}

/// The appeal form, in place: the reason (required), sent with one idempotency key per
/// filing however often it is sent again.
#[component]
fn AppealForm(current: EvaluationValues, token: String, on_filed: Callback<()>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<Failure>);
    let sending = RwSignal::new(false);
    let closed = RwSignal::new(false);
    // The key of the last filing sent, with what it sent: a retry of the same filing reuses it.
    let sent = StoredValue::new(None::<(String, NewAppeal)>);
    let current = StoredValue::new(current);
    let token = StoredValue::new(token);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        failure.set(None);
        let body = NewAppeal {
            reason: reason.get_untracked(),
            requested: None,
        };
        if let Err(found) = current.with_value(|current| body.check(current)) {
            errors.set(found);
            focus_reason();
            return;
        }
        errors.set(Vec::new());
        let key = sent
            .with_value(|sent| {
                sent.as_ref()
                    .filter(|(_, last)| *last == body)
                    .map(|(key, _)| key.clone())
            })
            .unwrap_or_else(net::new_key);
        sent.set_value(Some((key.clone(), body.clone())));
        sending.set(true);
        spawn_local(async move {
            let json = wire::new_appeal(&body);
            let answer = net::call(
                "POST",
                &token.get_value(),
                "/appeals",
                Some(&json),
                Some(&key),
            )
            .await;
            let _ = sending.try_set(false);
            match answer {
                Ok(_) => on_filed.run(()),
                Err(error) => {
                    if error.code() == Some("appeal_window_closed") {
                        let _ = closed.try_set(true);
                    }
                    let fields = error
                        .problem()
                        .map(|p| p.errors.clone())
                        .unwrap_or_default();
                    let has_fields = !fields.is_empty();
                    let _ = errors.try_set(fields);
                    let _ = failure.try_set(Some(error));
                    if has_fields {
                        focus_reason();
                    }
                }
            }
        });
    };
    let invalid = move || errors.with(|e| e.iter().any(|e| e.field == "reason"));
    let count = move || reason.with(|r| r.trim().chars().count());
    let over = move || count() > APPEAL_REASON_MAX_CHARS;
    move || {
        if closed.get() {
            return view! { <p class="notice notice-warn" role="alert">{tr(APPEALS_CLOSED)}</p> }
                .into_any();
        }
        view! {
            <form class="form" novalidate on:submit=on_submit>
                <p class="muted">{tr(APPEALS_FORM_INTRO)}</p>
                <div class="field" class:field-invalid=invalid>
                    <label for="appeal-reason">{tr(APPEALS_REASON_LABEL)}</label>
                    <p id="appeal-reason-hint" class="hint">{tr(APPEALS_REASON_HINT)}</p>
                    <textarea
                        id="appeal-reason"
                        name="reason"
                        rows="4"
                        required
                        aria-invalid=move || invalid().then_some("true")
                        aria-describedby=move || {
                            if invalid() {
                                "appeal-reason-hint appeal-reason-count appeal-reason-error"
                            } else {
                                "appeal-reason-hint appeal-reason-count"
                            }
                        }
                        bind:value=reason
                    ></textarea>
                    <p id="appeal-reason-count" class="hint count" class:over=over>
                        {count} "/" {APPEAL_REASON_MAX_CHARS}
                    </p>
                    {move || errors.with(|all| all.iter().find(|e| e.field == "reason").cloned()).map(|e| view! {
                        <p id="appeal-reason-error" class="field-error">{dt(move || field_error_text(&e))}</p>
                    })}
                </div>
                <div role="alert">
                    {move || failure.get().map(|error| view! {
                        <p class="notice notice-error">{dt(move || appeal_refusal(&error))}</p>
                    })}
                </div>
                <div class="actions">
                    <button type="submit" class="button" aria-disabled=move || sending.get().then_some("true")>
                        {dt(move || t(if sending.get() { APPEALS_SENDING } else { APPEALS_SUBMIT }).to_owned())}
                    </button>
                </div>
            </form>
        }
        .into_any()
    }
}

fn focus_reason() {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("appeal-reason"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Why a filing was refused, in words.
fn appeal_refusal(failure: &Failure) -> String {
    match failure.code() {
        Some("appeal_window_closed") => t(APPEALS_CLOSED).to_owned(),
        Some("appeal_pending") => t(APPEALS_ALREADY_PENDING).to_owned(),
        Some("idempotency_key_reused") => t(APPEALS_KEY_REUSED).to_owned(),
        _ if failure.status() == 422 => t(APPEALS_CHECK_FIELDS).to_owned(),
        _ => failure_text(failure),
    }
}
