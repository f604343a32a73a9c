//! The decision dialog: one decision (keep, delete, restore) on one or more evaluations, with
//! the reason it requires; the server's refusal of particular evaluations shown by number.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use pingjia_domain::moderation::{Decision, DecisionRequest, REASON_MAX_CHARS, check_reason};

use super::model::{Decided, decision_name};
use crate::api::{self, ApiError};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::error_panel::error_message;
use crate::i18n::{t, t_string, use_i18n};

/// What is wrong with a reason before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonProblem {
    /// Empty or only spaces.
    Blank,
    /// Longer than [`REASON_MAX_CHARS`] characters once trimmed.
    TooLong,
}

/// Checks a reason as the server will (`check_reason`).
pub fn reason_problem(reason: &str) -> Option<ReasonProblem> {
    check_reason("reason", reason).map(|error| match error.code.as_str() {
        "too_long" => ReasonProblem::TooLong,
        _ => ReasonProblem::Blank,
    })
}

/// Why the server refused the decision for one evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdProblem {
    /// No such evaluation.
    Unknown,
    /// The decision does not apply to its status (another admin decided meanwhile).
    NotApplicable,
    /// Anything else, in the server's words.
    Other(String),
}

/// The evaluations (by number) a 422 answer names in `evaluation_ids[i]`, with why; `targets`
/// are the ids and numbers in the order they were sent.
pub fn per_id_problems(error: &ApiError, targets: &[(i64, String)]) -> Vec<(String, IdProblem)> {
    let Some(problem) = error.problem() else {
        return Vec::new();
    };
    problem
        .errors
        .iter()
        .filter_map(|e| {
            let index: usize = e
                .field
                .strip_prefix("evaluation_ids[")?
                .strip_suffix(']')?
                .parse()
                .ok()?;
            let number = targets.get(index)?.1.clone();
            let why = match e.code.as_str() {
                "unknown" => IdProblem::Unknown,
                "not_applicable" => IdProblem::NotApplicable,
                _ => IdProblem::Other(e.message.clone()),
            };
            Some((number, why))
        })
        .collect()
}

/// Asks for the reason of a decision and takes it on every target, all or nothing.
#[component]
pub fn DecisionDialog(
    /// The decision.
    decision: Decision,
    /// The evaluations: id and number.
    targets: Vec<(i64, String)>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with what was done.
    done: Callback<Decided>,
) -> impl IntoView {
    const FORM_ID: &str = "decision-form";
    const REASON_ID: &str = "decision-reason";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let reason_input = NodeRef::<html::Textarea>::new();
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<ReasonProblem>);
    let failure = RwSignal::new(None::<ApiError>);
    let targets = StoredValue::new(targets);
    let count = targets.with_value(Vec::len);
    let numbers = targets.with_value(|t| {
        t.iter()
            .map(|(_, n)| n.clone())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let action = Action::new_local(move |reason: &String| {
        let request = DecisionRequest {
            evaluation_ids: targets.with_value(|t| t.iter().map(|(id, _)| *id).collect()),
            decision,
            reason: reason.clone(),
        };
        async move {
            match api::moderation::decide(&request).await {
                Ok(outcome) => {
                    close_dialog(node);
                    done.run(Decided {
                        decision: outcome.decision,
                        numbers: outcome.evaluations.into_iter().map(|e| e.number).collect(),
                    });
                }
                Err(error) => {
                    if error.field_message("reason").is_some() {
                        problem.set(reason_problem(&request.reason).or(Some(ReasonProblem::Blank)));
                        focus(reason_input);
                    } else {
                        failure.set(Some(error));
                    }
                }
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let text = reason.get_untracked();
        match reason_problem(&text) {
            Some(found) => {
                problem.set(Some(found));
                focus(reason_input);
            }
            None => {
                problem.set(None);
                action.dispatch_local(text.trim().to_owned());
            }
        }
    };
    let invalid = move || problem.with(Option::is_some);
    let described_by = move || {
        if invalid() {
            format!("{REASON_ID}-hint {REASON_ID}-error")
        } else {
            format!("{REASON_ID}-hint")
        }
    };
    let title = move || {
        let name = decision_name(i18n.get_locale(), decision);
        t!(i18n, moderation.dialog_title, decision = name, count)
    };
    let body = match decision {
        Decision::Keep => t!(i18n, moderation.dialog_keep_body).into_any(),
        Decision::Delete => t!(i18n, moderation.dialog_delete_body).into_any(),
        Decision::Restore => t!(i18n, moderation.dialog_restore_body).into_any(),
    };
    view! {
        <FormDialog
            node_ref=node
            title_id="decision-title"
            title=title.into_any()
            form_id=FORM_ID
            on_submit
            on_close
            submit=Signal::derive(move || match decision {
                Decision::Keep => t_string!(i18n, moderation.confirm_keep),
                Decision::Delete => t_string!(i18n, moderation.confirm_delete),
                Decision::Restore => t_string!(i18n, moderation.confirm_restore),
            })
            pending=action.pending()
            danger=decision == Decision::Delete
        >
                <p class="decision-numbers mono">{numbers}</p>
                <p>{body}</p>
                <div class="field" class:field-invalid=invalid>
                    <label for=REASON_ID>{t!(i18n, moderation.reason)}</label>
                    <p id=format!("{REASON_ID}-hint") class="field-hint">
                        {t!(i18n, moderation.reason_hint, max = REASON_MAX_CHARS)}
                    </p>
                    <textarea
                        id=REASON_ID
                        name="reason"
                        rows="3"
                        node_ref=reason_input
                        aria-required="true"
                        aria-invalid=move || invalid().then_some("true")
                        aria-describedby=described_by
                        bind:value=reason
                    ></textarea>
                    {move || {
                        problem
                            .get()
                            .map(|found| {
                                view! {
                                    <p id=format!("{REASON_ID}-error") class="field-error">
                                        {match found {
                                            ReasonProblem::Blank => {
                                                t!(i18n, moderation.reason_required).into_any()
                                            }
                                            ReasonProblem::TooLong => {
                                                t!(i18n, moderation.reason_too_long, max = REASON_MAX_CHARS)
                                                    .into_any()
                                            }
                                        }}
                                    </p>
                                }
                            })
                    }}
                </div>
                <div class="notice-slot" role="alert">
                    {move || {
                        failure
                            .get()
                            .map(|error| {
                                let refused = targets.with_value(|t| per_id_problems(&error, t));
                                view! {
                                    <div class="notice notice-error form-error">
                                        <p>{error_message(i18n, &error)}</p>
                                        {(!refused.is_empty())
                                            .then(|| {
                                                view! {
                                                    <ul class="refused-list">
                                                        {refused
                                                            .into_iter()
                                                            .map(|(number, why)| {
                                                                view! {
                                                                    <li>
                                                                        {match why {
                                                                            IdProblem::Unknown => {
                                                                                t!(i18n, moderation.error_unknown, number).into_any()
                                                                            }
                                                                            IdProblem::NotApplicable => {
                                                                                t!(i18n, moderation.error_not_applicable, number)
                                                                                    .into_any()
                                                                            }
                                                                            IdProblem::Other(message) => {
                                                                                view! { {number} ": " {message} }.into_any()
                                                                            }
                                                                        }}
                                                                    </li>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </ul>
                                                }
                                            })}
                                    </div>
                                }
                            })
                    }}
                </div>
        </FormDialog>
    }
}

/// Moves the focus to the reason once the message is drawn.
fn focus(input: NodeRef<html::Textarea>) {
    request_animation_frame(move || {
        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    });
}
