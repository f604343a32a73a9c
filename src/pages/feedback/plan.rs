//! One improvement plan (`/agent/plans/:id`, `/lead/plans/:id`, `/admin/plans/:id`): the
//! suggestion it answers, its status and due time, the agent's form (measures and target date)
//! to submit or resubmit after a send-back with the reviewer's comment shown, the lead's or
//! admin's review (acknowledge, or send back with a comment), and the agent's scores in the 30
//! days before against the 30 days after.

use leptos::either::EitherOf3;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::FieldError;
use pingjia_domain::feedback::{
    CoachingSourceKind, ImprovementPlan, MEASURES_MIN_CHARS, PlanDecision, PlanReview, PlanStatus,
    PlanSubmission, TEXT_MAX_CHARS, new_coaching_href,
};
use serde::{Deserialize, Serialize};

use super::comparison::ScoreComparison;
use super::{
    Area, FeedbackErrors, RequestKey, day_with_weekday, due_text, plan_status_class,
    plan_status_name, today,
};
use crate::api::{self, ApiError};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::error_panel::error_message;
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::fields::{InputField, TextAreaField};
use crate::components::form::focus_first_invalid;
use crate::components::form::reason::ReasonField;
use crate::components::page::RecordPage;
use crate::drafts;
use crate::format::local_time;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::team_name;
use crate::locale::tr;

/// The plan page of an area.
#[component]
pub fn ImprovementPlanPage(
    /// Whose pages: the agent writes the plan, leads and admins review it.
    area: Area,
) -> impl IntoView {
    view! {
        <RecordPage
            title=|l| td_string!(l, feedback.plan_title)
            back=(area.plans_path().to_string(), |l| td_string!(l, feedback.back_to_plans))
            load=api::feedback::plan
            show=move |plan| view! { <PlanView plan area /> }
        />
    }
}

/// A plan with what the viewer can do with it.
#[component]
pub fn PlanView(
    /// The plan as loaded.
    plan: ImprovementPlan,
    /// Whose page.
    area: Area,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(plan);
    let announcement = RwSignal::new(None::<&'static str>);
    let updated = Callback::new(move |(plan, done): (ImprovementPlan, &'static str)| {
        current.set(plan);
        announcement.set(Some(done));
    });
    let number = current.with_untracked(|p| p.evaluation_number.clone());
    let id = current.with_untracked(|p| p.id);
    view! {
        <h1>
            {tr(i18n, |l| td_string!(l, feedback.plan_title))} " · "
            <span class="mono">{number}</span>
        </h1>
        <p class="status" role="status" aria-live="polite">
            {move || announcement.get().map(|key| fill_announcement(i18n.get_locale(), key))}
        </p>
        {area.reviews().then(|| view! {
            <p class="page-actions">
                <A
                    href=new_coaching_href(CoachingSourceKind::Plan, &id.to_string())
                    attr:class="button button-secondary"
                    attr:data-testid="plan-record-coaching"
                >
                    {tr(i18n, |l| td_string!(l, coaching.from_source))}
                </A>
            </p>
        })}
        {move || {
            let plan = current.get();
            view! { <PlanFacts plan=plan.clone() /> <PlanWork plan area updated /> }
        }}
        {move || current.with(|p| view! {
            <ScoreComparison
                at=p.created_at
                before=p.before.clone()
                after=p.after.clone()
                change=p.change
                prefix="plan"
            />
        })}
    }
}

/// The words of what just happened on the page.
fn fill_announcement(locale: Locale, key: &'static str) -> &'static str {
    match key {
        "submitted" => td_string!(locale, feedback.plan_submitted),
        "acknowledged" => td_string!(locale, feedback.plan_acknowledged),
        _ => td_string!(locale, feedback.plan_sent_back),
    }
}

/// Status, due time, the evaluation and the suggestion, the reviewer's comment.
#[component]
fn PlanFacts(
    /// The plan.
    plan: ImprovementPlan,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = plan.status;
    let due = plan.due_at;
    let created = plan.created_at;
    let fact = |term: fn(Locale) -> &'static str, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{move || term(i18n.get_locale())}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let mut facts = vec![
        fact(
            |l| td_string!(l, feedback.evaluation_number),
            view! { <span class="mono">{plan.evaluation_number.clone()}</span> }.into_any(),
        ),
        fact(
            |l| td_string!(l, feedback.agent),
            format!("{} ({})", plan.agent_name, plan.agent_no).into_any(),
        ),
        fact(
            |l| td_string!(l, feedback.overall),
            format!("{}/10", plan.overall).into_any(),
        ),
        fact(
            |l| td_string!(l, feedback.opened_at),
            local_time(created).into_any(),
        ),
    ];
    if let Some(zh) = plan.team_name.clone() {
        let en = plan.team_name_en.clone();
        let team = move || team_name(i18n.get_locale(), &zh, en.as_deref());
        facts.insert(2, fact(|l| td_string!(l, feedback.team), team.into_any()));
    }
    if let Some(at) = plan.submitted_at {
        facts.push(fact(
            |l| td_string!(l, feedback.submitted_at),
            local_time(at).into_any(),
        ));
    }
    if let Some(reviewer) = plan.reviewer_name.clone() {
        let at = plan.reviewed_at.map(local_time).unwrap_or_default();
        facts.push(fact(
            |l| td_string!(l, feedback.reviewer),
            format!("{reviewer} · {at}").into_any(),
        ));
    }
    let sent_back = status == PlanStatus::SentBack;
    let comment = plan.review_comment.clone().map(|comment| {
        view! {
            <div class=if sent_back { "notice notice-warn" } else { "notice" } data-testid="plan-review-comment">
                <p class="notice-title">
                    {move || if sent_back {
                        td_string!(i18n.get_locale(), feedback.sent_back_comment)
                    } else {
                        td_string!(i18n.get_locale(), feedback.review_comment)
                    }}
                </p>
                <p class="suggestion-text">{comment}</p>
            </div>
        }
    });
    view! {
        <div class="fb-plan-status">
            <span class=plan_status_class(status) data-testid="plan-status">
                {move || plan_status_name(i18n.get_locale(), status)}
            </span>
            {plan.overdue.then(|| view! {
                <span class="badge badge-new" data-testid="plan-overdue">{tr(i18n, |l| td_string!(l, feedback.overdue_badge))}</span>
            })}
        </div>
        <p class="fb-due" class:fb-due-overdue=plan.overdue data-testid="plan-due">
            {tr(i18n, |l| td_string!(l, feedback.due))} " "
            <strong>{move || due_text(i18n.get_locale(), due)}</strong>
        </p>
        <p class="field-hint">{tr(i18n, |l| td_string!(l, feedback.due_hint))}</p>
        {comment}
        <section class="panel" aria-labelledby="plan-suggestion-title">
            <h2 id="plan-suggestion-title">{tr(i18n, |l| td_string!(l, feedback.suggestion))}</h2>
            <p class="suggestion-text" data-testid="plan-suggestion">{plan.suggestion.clone()}</p>
            <dl class="facts">{facts}</dl>
        </section>
    }
}

/// What the viewer does with the plan: the agent's form while measures are owed, the lead's
/// or admin's review while it is submitted, else the measures as submitted.
#[component]
fn PlanWork(
    /// The plan.
    plan: ImprovementPlan,
    /// Whose page.
    area: Area,
    /// Called with the plan after a submission or a review, and what happened.
    updated: Callback<(ImprovementPlan, &'static str)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = plan.status;
    let submitted = plan.measures.clone().map(|measures| {
        let target = plan.target_date;
        view! {
            <section class="panel" aria-labelledby="plan-measures-title">
                <h2 id="plan-measures-title">{tr(i18n, |l| td_string!(l, feedback.measures))}</h2>
                <p class="suggestion-text" data-testid="plan-measures">{measures}</p>
                {target.map(|day| view! {
                    <p>
                        {tr(i18n, |l| td_string!(l, feedback.target_date))} ": "
                        {move || day_with_weekday(i18n.get_locale(), day)}
                    </p>
                })}
            </section>
        }
    });
    if area == Area::Agent && status.awaits_agent() {
        EitherOf3::A(view! {
            <PlanForm plan on_submitted=Callback::new(move |p| updated.run((p, "submitted"))) />
        })
    } else if area.reviews() && status == PlanStatus::Submitted {
        let id = plan.id;
        EitherOf3::B(view! {
            {submitted}
            <ReviewActions id on_reviewed=Callback::new(move |p: ImprovementPlan| {
                let done = if p.status == PlanStatus::Acknowledged { "acknowledged" } else { "sent_back" };
                updated.run((p, done));
            }) />
        })
    } else {
        EitherOf3::C(submitted)
    }
}

/// The agent's form as kept in this tab while typing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct PlanDraft {
    measures: String,
    target_date: String,
}

fn draft_name(id: i64) -> String {
    format!("improvement-plan.{id}")
}

/// The agent's measures and target date, to submit (or resubmit after a send-back). What is
/// typed is kept in this tab until it is accepted: a failed request, a refresh or a sign-in in
/// between loses nothing.
#[component]
pub fn PlanForm(
    /// The plan, awaiting the agent.
    plan: ImprovementPlan,
    /// Called with the plan once submitted.
    on_submitted: Callback<ImprovementPlan>,
) -> impl IntoView {
    const FORM: &str = "plan-form";
    let i18n = use_i18n();
    let id = plan.id;
    let draft = drafts::load::<PlanDraft>(&draft_name(id)).unwrap_or_else(|| PlanDraft {
        measures: plan.measures.clone().unwrap_or_default(),
        target_date: plan.target_date.map(|d| d.to_string()).unwrap_or_default(),
    });
    let measures = RwSignal::new(draft.measures);
    let target = RwSignal::new(draft.target_date);
    Effect::new(move || {
        let draft = PlanDraft {
            measures: measures.get(),
            target_date: target.get(),
        };
        drafts::save(&draft_name(id), &draft);
    });
    let errors = FeedbackErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let key = RequestKey::<PlanSubmission>::default();
    let send = Action::new_local(move |body: &PlanSubmission| {
        let body = body.clone();
        async move {
            match api::feedback::submit_plan(&key.of(&body), id, &body).await {
                Ok(plan) => {
                    drafts::clear(&draft_name(id));
                    on_submitted.run(plan);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM);
                }),
            }
        }
    });
    let today = today();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let day = target.get_untracked().parse::<chrono::NaiveDate>().ok();
        let body = PlanSubmission {
            measures: measures.get_untracked(),
            target_date: day.unwrap_or(today),
        };
        let mut found = body.check(today).err().unwrap_or_default();
        if day.is_none() {
            found.retain(|e| e.field != "target_date");
            found.push(FieldError::new("target_date", "required", "choose a day"));
        }
        if found.is_empty() {
            errors.set(Vec::new());
            send.dispatch_local(body);
        } else {
            errors.set(found);
            focus_first_invalid(FORM);
        }
    };
    let failure_text = move || {
        failure.get().map(|error| {
            let text = match error.code() {
                Some(api::feedback::PLAN_NOT_AWAITING) => {
                    td_string!(i18n.get_locale(), feedback.plan_not_awaiting).into_any()
                }
                _ => view! {
                    {error_message(i18n, &error)} " "
                    {tr(i18n, |l| td_string!(l, feedback.kept_text))}
                }
                .into_any(),
            };
            view! { <div class="notice notice-error form-error" data-testid="plan-failure"><p>{text}</p></div> }
        })
    };
    let target_error = errors.of("target_date".into());
    view! {
        <section class="panel" aria-labelledby="plan-form-title">
            <h2 id="plan-form-title">{tr(i18n, |l| td_string!(l, feedback.plan_form_heading))}</h2>
            <form id=FORM class="form" novalidate on:submit=on_submit>
                <ReasonField
                    id="plan-measures"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.measures))
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), feedback.measures_hint))
                    value=measures
                    max=TEXT_MAX_CHARS
                    error=errors.of("measures".into())
                />
                <InputField
                    id="plan-target"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.target_date).to_owned())
                    value=target
                    error=target_error
                    input_type="date"
                    required=true
                />
                <div role="alert">{failure_text}</div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || send.pending().get()>
                        {move || if send.pending().get() {
                            td_string!(i18n.get_locale(), feedback.sending)
                        } else {
                            td_string!(i18n.get_locale(), feedback.submit_plan)
                        }}
                    </button>
                </div>
            </form>
            <p class="field-hint">
                {move || td_string!(i18n.get_locale(), feedback.measures_rule, min = MEASURES_MIN_CHARS.to_string())}
            </p>
        </section>
    }
}

/// The buttons of a submitted plan's review, each opening its dialog.
#[component]
pub fn ReviewActions(
    /// The plan's id.
    id: i64,
    /// Called with the plan once reviewed.
    on_reviewed: Callback<ImprovementPlan>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = RwSignal::new(None::<PlanDecision>);
    let button_id = move |what: &str| format!("plan-{id}-{what}");
    view! {
        <div class="row-actions">
            <button
                type="button"
                class="button"
                id=button_id("acknowledge")
                on:click=move |_| dialog.set(Some(PlanDecision::Acknowledge))
            >
                {tr(i18n, |l| td_string!(l, feedback.acknowledge))}
            </button>
            <button
                type="button"
                class="button button-secondary"
                id=button_id("send-back")
                on:click=move |_| dialog.set(Some(PlanDecision::SendBack))
            >
                {tr(i18n, |l| td_string!(l, feedback.send_back))}
            </button>
        </div>
        {move || dialog.get().map(|decision| view! {
            <ReviewDialog
                id
                decision
                on_close=Callback::new(move |()| dialog.set(None))
                done=on_reviewed
            />
        })}
    }
}

/// The review of a submitted plan: acknowledge (a comment is optional) or send back (a comment
/// is required).
#[component]
pub fn ReviewDialog(
    /// The plan's id.
    id: i64,
    /// Acknowledge or send back.
    decision: PlanDecision,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with the plan once reviewed.
    done: Callback<ImprovementPlan>,
) -> impl IntoView {
    const FORM: &str = "review-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let comment = RwSignal::new(String::new());
    let errors = FeedbackErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let key = RequestKey::<PlanReview>::default();
    let send = Action::new_local(move |body: &PlanReview| {
        let body = body.clone();
        async move {
            match api::feedback::review_plan(&key.of(&body), id, &body).await {
                Ok(plan) => {
                    done.run(plan);
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM);
                }),
            }
        }
    });
    let back = decision == PlanDecision::SendBack;
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let text = comment.get_untracked();
        let body = PlanReview {
            decision,
            comment: Some(text.trim().to_owned()).filter(|c| !c.is_empty()),
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
            title_id="review-title"
            title=view! {
                {move || if back {
                    td_string!(i18n.get_locale(), feedback.send_back_title)
                } else {
                    td_string!(i18n.get_locale(), feedback.acknowledge_title)
                }}
            }
            .into_any()
            outside=true
            form_id=FORM
            on_submit
            on_close
            submit=Signal::derive(move || if back {
                td_string!(i18n.get_locale(), feedback.confirm_send_back)
            } else {
                td_string!(i18n.get_locale(), feedback.confirm_acknowledge)
            })
            pending=send.pending()
            disable=true
        >
            <TextAreaField
                id="review-comment"
                label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.comment).to_owned())
                value=comment
                error=errors.of("comment".into())
                required=back
                optional=!back
            />
            <FormFailure
                failure
                region=true
                explain=|l, e: &ApiError| {
                    (e.code() == Some(api::feedback::PLAN_NOT_SUBMITTED)).then(|| td_string!(l, feedback.plan_not_submitted))
                }
            />
        </FormDialog>
    }
}
