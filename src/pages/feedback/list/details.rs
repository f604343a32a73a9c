//! One evaluation's details on the list: its facts, the assessment of its suggestion, the plan due and the refusal dialog.

use leptos::either::EitherOf3;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::feedback::{FeedbackItem, NewAssessment, TEXT_MAX_CHARS};

use crate::api::{self, ApiError};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::error_panel::error_message;
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::focus_first_invalid;
use crate::components::form::reason::ReasonField;
use crate::components::loading::Loading;
use crate::format::local_time;
use crate::i18n::{td_string, use_i18n};
use crate::labels::{channel_name, customer_type_name, in_language};
use crate::locale::tr;
use crate::pages::feedback::{Area, FeedbackErrors, RequestKey, due_text};

/// The service, the scores, the suggestion and the verdict of an opened evaluation.
#[component]
pub(super) fn FeedbackDetails(
    /// The evaluation, updated after a verdict.
    item: RwSignal<FeedbackItem>,
    /// Called when the list should be read again.
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let it = item.get_untracked();
    let fact = |term: fn(crate::i18n::Locale) -> &'static str, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{move || term(i18n.get_locale())}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let kind = it.customer_type;
    let channel = it.channel;
    let (zh, en) = (
        it.service_type_name_zh.clone(),
        it.service_type_name_en.clone(),
    );
    let customer = it.customer.clone();
    let mut facts = vec![
        fact(
            |l| td_string!(l, feedback.customer),
            view! {
                <span>{customer}</span>
                {kind.map(|k| view! { " · " {move || customer_type_name(i18n.get_locale(), k)} })}
            }
            .into_any(),
        ),
        fact(
            |l| td_string!(l, feedback.service_type),
            (move || in_language(i18n.get_locale(), &zh, &en).to_owned()).into_any(),
        ),
        fact(
            |l| td_string!(l, feedback.channel),
            (move || channel_name(i18n.get_locale(), channel)).into_any(),
        ),
        fact(
            |l| td_string!(l, feedback.service_time),
            format!(
                "{} – {}",
                local_time(it.service_started_at),
                local_time(it.service_ended_at)
            )
            .into_any(),
        ),
    ];
    if let Some(order) = it.order_no.clone() {
        facts.push(fact(
            |l| td_string!(l, feedback.order_no),
            view! { <span class="mono">{order}</span> }.into_any(),
        ));
    }
    let scores = it
        .scores
        .iter()
        .map(|s| {
            let (zh, en) = (s.name_zh.clone(), s.name_en.clone());
            let score = s.score;
            view! {
                <li>
                    <span class="fb-score-name">{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</span>
                    <span class="fb-score-value">
                        {move || match score {
                            Some(score) => td_string!(i18n.get_locale(), feedback.stars_of, stars = score.to_string()),
                            None => td_string!(i18n.get_locale(), feedback.not_rated).to_owned(),
                        }}
                    </span>
                </li>
            }
        })
        .collect_view();
    let suggestion = it.suggestion.clone().map(|text| {
        view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, feedback.suggestion))}</p>
            <p class="suggestion-text" data-testid="fb-suggestion">{text}</p>
            <AssessmentPanel item on_changed />
        }
    });
    view! {
        <dl class="facts">{facts}</dl>
        <p class="appeal-label">{tr(i18n, |l| td_string!(l, feedback.scores))}</p>
        <ul class="fb-scores">{scores}</ul>
        {suggestion}
    }
}

/// The verdict on a suggestion: the one given, or the buttons to give it.
#[component]
pub(super) fn AssessmentPanel(
    /// The evaluation, updated after a verdict.
    item: RwSignal<FeedbackItem>,
    /// Called when the list should be read again.
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let number = item.with_untracked(|i| i.number.clone());
    let dialog = RwSignal::new(false);
    let conflict = RwSignal::new(None::<ApiError>);
    let key = RequestKey::<NewAssessment>::default();
    let reasonable = Action::new_local(move |number: &String| {
        let number = number.clone();
        async move {
            let body = NewAssessment {
                reasonable: true,
                reason: None,
            };
            match api::feedback::assess(&key.of(&body), &number, &body).await {
                Ok(updated) => {
                    conflict.set(None);
                    item.set(updated);
                }
                Err(error) => {
                    if error.code() == Some(api::feedback::ALREADY_ASSESSED) {
                        on_changed.run(());
                    }
                    conflict.set(Some(error));
                }
            }
        }
    });
    let verdict = move || item.with(|it| it.assessment.clone().map(|a| (a, it.plan_id)));
    let failure = move || {
        conflict.get().map(|error| {
            let text = match error.code() {
                Some(api::feedback::ALREADY_ASSESSED) => {
                    td_string!(i18n.get_locale(), feedback.already_assessed).to_owned()
                }
                Some(api::feedback::NO_SUGGESTION) => {
                    td_string!(i18n.get_locale(), feedback.no_suggestion).to_owned()
                }
                _ => String::new(),
            };
            view! {
                <div class="notice notice-error" role="alert">
                    <p>{if text.is_empty() { error_message(i18n, &error) } else { text.into_any() }}</p>
                </div>
            }
        })
    };
    let number_for_dialog = number.clone();
    view! {
        <div class="fb-assessment" data-testid="fb-assessment">
            {move || match verdict() {
                Some((assessment, plan_id)) => EitherOf3::A(view! {
                    <p class="fb-verdict">
                        {if assessment.reasonable {
                            tr(i18n, |l| td_string!(l, feedback.verdict_reasonable)).into_any()
                        } else {
                            tr(i18n, |l| td_string!(l, feedback.verdict_unreasonable)).into_any()
                        }}
                    </p>
                    {assessment.reason.map(|reason| view! {
                        <p class="appeal-label">{tr(i18n, |l| td_string!(l, feedback.reason))}</p>
                        <p class="suggestion-text">{reason}</p>
                    })}
                    {plan_id.map(|id| view! { <PlanDue id /> })}
                }),
                None if reasonable.pending().get() => EitherOf3::B(view! {
                    <p class="status" role="status">{tr(i18n, |l| td_string!(l, feedback.sending))}</p>
                }),
                None => {
                    let number = number.clone();
                    EitherOf3::C(view! {
                        <p class="field-hint">{tr(i18n, |l| td_string!(l, feedback.assess_prompt))}</p>
                        <div class="row-actions">
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| {
                                    if !reasonable.pending().get_untracked() {
                                        reasonable.dispatch_local(number.clone());
                                    }
                                }
                            >
                                {tr(i18n, |l| td_string!(l, feedback.mark_reasonable))}
                            </button>
                            <button type="button" class="button button-secondary" on:click=move |_| dialog.set(true)>
                                {tr(i18n, |l| td_string!(l, feedback.mark_unreasonable))}
                            </button>
                        </div>
                    })
                }
            }}
            {failure}
            {move || dialog.get().then(|| view! {
                <UnreasonableDialog
                    number=number_for_dialog.clone()
                    on_close=Callback::new(move |()| dialog.set(false))
                    done=Callback::new(move |updated: FeedbackItem| item.set(updated))
                />
            })}
        </div>
    }
}

/// The plan a reasonable suggestion opened: its due time and a link to it.
#[component]
pub fn PlanDue(
    /// The plan's id.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let plan = LocalResource::new(move || api::feedback::plan(id));
    let href = Area::Agent.plan_href(id);
    view! {
        <div class="notice notice-success fb-plan-due" data-testid="fb-plan-due">
            <p>{tr(i18n, |l| td_string!(l, feedback.plan_opened))}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    plan.await.ok().map(|plan| {
                        let due = plan.due_at;
                        view! {
                            <p>
                                {tr(i18n, |l| td_string!(l, feedback.due))} " "
                                <strong>{move || due_text(i18n.get_locale(), due)}</strong>
                            </p>
                        }
                    })
                })}
            </Transition>
            <p><A href=href>{tr(i18n, |l| td_string!(l, feedback.open_plan))}</A></p>
        </div>
    }
}

/// The dialog of an unreasonable verdict: the reason is required.
#[component]
pub fn UnreasonableDialog(
    /// The evaluation's number.
    number: String,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with the evaluation once the verdict is recorded.
    done: Callback<FeedbackItem>,
) -> impl IntoView {
    const FORM: &str = "unreasonable-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let reason = RwSignal::new(String::new());
    let errors = FeedbackErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let key = RequestKey::<NewAssessment>::default();
    let number = StoredValue::new(number);
    let send = Action::new_local(move |body: &NewAssessment| {
        let body = body.clone();
        async move {
            match api::feedback::assess(&key.of(&body), &number.get_value(), &body).await {
                Ok(item) => {
                    done.run(item);
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM);
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
        let body = NewAssessment {
            reasonable: false,
            reason: Some(reason.get_untracked()),
        };
        match body.check() {
            Ok(_) => {
                errors.set(Vec::new());
                send.dispatch_local(body);
            }
            Err(found) => {
                errors.set(found);
                focus_first_invalid(FORM);
            }
        }
    };
    view! {
        <FormDialog
            node_ref=node
            title_id="unreasonable-title"
            title=view! { {tr(i18n, |l| td_string!(l, feedback.unreasonable_title))} }.into_any()
            outside=true
            about=view! { <p class="record-meta"><span class="mono">{number.get_value()}</span></p> }.into_any()
            form_id=FORM
            on_submit
            on_close
            submit=Signal::derive(move || if send.pending().get() {
                            td_string!(i18n.get_locale(), feedback.sending)
                        } else {
                            td_string!(i18n.get_locale(), feedback.confirm_unreasonable)
                        })
            pending=send.pending()
            disable=true
        >

                <ReasonField
                    id="unreasonable-reason"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.reason))
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), feedback.reason_hint))
                    value=reason
                    max=TEXT_MAX_CHARS
                    error=errors.of("reason".into())
                />
                <FormFailure
                    failure
                    region=true
                    explain=|l, e: &ApiError| {
                        (e.code() == Some(api::feedback::ALREADY_ASSESSED)).then(|| td_string!(l, feedback.already_assessed))
                    }
                />
        </FormDialog>
    }
}
