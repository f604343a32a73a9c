//! One coaching session (`/coaching/:id`): what was discussed, the items or dimensions it
//! targets, the agreed action and the follow-up day (marked overdue once passed); the agent
//! acknowledges it (with a comment or not), the lead then records the follow-up; and the
//! agent's scores in the 30 days before against the 30 days after, as an improvement plan's.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use pingjia_domain::feedback::{
    ACTION_MAX_CHARS, COACHING_PATH, CoachingAcknowledgement, CoachingDetail, CoachingSession,
    CoachingState,
};
use pingjia_domain::qa::coaching_report_href;
use pingjia_domain::wire::Role;

use super::coaching_form::{CoachingErrors, target_name};
use super::coaching_list::coaching_state_class;
use super::comparison::ScoreComparison;
use super::day_with_weekday;
use crate::api::{self, ApiError};
use crate::components::error_panel::error_message;
use crate::components::form::failure::refused;
use crate::components::form::fields::TextAreaField;
use crate::components::form::focus_first_invalid;
use crate::components::page::RecordPage;
use crate::format::local_time;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::{lang, team_name};
use crate::locale::tr;
use crate::session::use_session;

/// Called with the session once changed, and the words of what happened.
type Updated = Callback<(CoachingSession, Done)>;

/// The words of what just happened on the page.
type Done = fn(Locale) -> &'static str;

/// The page of a session.
#[component]
pub fn CoachingSessionPage() -> impl IntoView {
    view! {
        <RecordPage
            title=|l| td_string!(l, coaching.session_title)
            back=(COACHING_PATH.to_owned(), |l| td_string!(l, coaching.back_to_list))
            load=api::coaching::get
            show=|detail| view! { <SessionView detail /> }
        />
    }
}

/// A session with what the viewer can do with it.
#[component]
fn SessionView(
    /// The session and the scores around it.
    detail: CoachingDetail,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = use_session().role();
    let current = RwSignal::new(detail.session.clone());
    let announcement = RwSignal::new(None::<Done>);
    let updated: Updated = Callback::new(move |(session, done): (CoachingSession, Done)| {
        current.set(session);
        announcement.set(Some(done));
    });
    let name = detail.session.agent_name.clone();
    let CoachingDetail {
        session,
        before,
        after,
        change,
        qa_before,
        qa_after,
        qa_report_plan,
    } = detail;
    // The QA report before and after the session, for those who read it (never the agent).
    let lead = role == Some(Role::TeamLead);
    let session_id = session.id;
    let report_link = qa_report_plan
        .filter(|_| role != Some(Role::Agent))
        .map(|plan| {
            view! {
                <p class="row-actions">
                    <a
                        class="button button-secondary"
                        href=coaching_report_href(plan, session_id, lead)
                        data-testid="coaching-qa-report"
                    >
                        {tr(i18n, |l| td_string!(l, qa.anchor_link))}
                    </a>
                </p>
            }
        });
    view! {
        <h1>{tr(i18n, |l| td_string!(l, coaching.session_title))} " · " {name}</h1>
        <p class="status" role="status" aria-live="polite" data-testid="coaching-announcement">
            {move || announcement.get().map(|text| text(i18n.get_locale()))}
        </p>
        {move || {
            let session = current.get();
            view! {
                <SessionFacts session=session.clone() role />
                <SessionWork session role updated />
            }
        }}
        <ScoreComparison
            at=session.created_at
            before
            after
            change
            qa=(qa_before, qa_after)
            prefix="coaching"
        />
        {report_link}
    }
}

/// State, follow-up, who and when, the discussion, targets and action, the agent's comment.
#[component]
fn SessionFacts(
    /// The session.
    session: CoachingSession,
    /// The viewer's role.
    role: Option<Role>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = session.state;
    let day = session.follow_up_date;
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
            |l| td_string!(l, coaching.agent),
            format!("{} ({})", session.agent_name, session.agent_no).into_any(),
        ),
        fact(
            |l| td_string!(l, coaching.coach),
            session.coach_name.clone().into_any(),
        ),
        fact(
            |l| td_string!(l, coaching.recorded_at),
            local_time(session.created_at).into_any(),
        ),
    ];
    if let Some(zh) = session.team_name.clone() {
        let en = session.team_name_en.clone();
        let team = move || team_name(i18n.get_locale(), &zh, en.as_deref());
        facts.insert(1, fact(|l| td_string!(l, coaching.team), team.into_any()));
    }
    if let Some(source) = session.source.clone() {
        let kind = source.kind;
        facts.push(fact(
            |l| td_string!(l, coaching.source),
            view! {
                {move || kind.label(lang(i18n.get_locale()))} " "
                <span class="mono">{source.reference}</span>
            }
            .into_any(),
        ));
    }
    if let Some(at) = session.acknowledged_at {
        facts.push(fact(
            |l| td_string!(l, coaching.acknowledged_at),
            local_time(at).into_any(),
        ));
    }
    if let Some(at) = session.followed_up_at {
        facts.push(fact(
            |l| td_string!(l, coaching.followed_up_at),
            local_time(at).into_any(),
        ));
    }
    let targets = session
        .targets
        .iter()
        .map(|t| {
            let target = t.clone();
            view! { <li>{move || target_name(i18n.get_locale(), &target)}</li> }
        })
        .collect_view();
    let no_targets = session.targets.is_empty();
    let overdue = session.follow_up_overdue && role != Some(Role::Agent);
    let comment = session.agent_comment.clone().map(|comment| {
        view! {
            <div class="notice" data-testid="coaching-comment">
                <p class="notice-title">{tr(i18n, |l| td_string!(l, coaching.agent_comment))}</p>
                <p class="suggestion-text">{comment}</p>
            </div>
        }
    });
    view! {
        <div class="fb-plan-status">
            <span class=coaching_state_class(state) data-testid="coaching-state">
                {move || state.label(lang(i18n.get_locale()))}
            </span>
            {session.follow_up_overdue.then(|| view! {
                <span class="badge badge-new" data-testid="coaching-overdue-badge">{tr(i18n, |l| td_string!(l, coaching.overdue_badge))}</span>
            })}
        </div>
        <p class="fb-due" class:fb-due-overdue=session.follow_up_overdue data-testid="coaching-follow-up">
            {tr(i18n, |l| td_string!(l, coaching.follow_up))} " "
            <strong>{move || day_with_weekday(i18n.get_locale(), day)}</strong>
        </p>
        {overdue.then(|| view! {
            <p class="notice notice-warn" data-testid="coaching-follow-up-overdue">
                {tr(i18n, |l| td_string!(l, coaching.follow_up_overdue))}
            </p>
        })}
        {comment}
        <section class="panel" aria-labelledby="coaching-talk-title">
            <h2 id="coaching-talk-title">{tr(i18n, |l| td_string!(l, coaching.discussion))}</h2>
            <p class="suggestion-text" data-testid="coaching-discussion">{session.discussion.clone()}</p>
            <h3>{tr(i18n, |l| td_string!(l, coaching.targets))}</h3>
            {if no_targets {
                Either::Left(view! { <p class="muted">{tr(i18n, |l| td_string!(l, coaching.no_targets))}</p> })
            } else {
                Either::Right(view! { <ul class="coaching-targets" data-testid="coaching-targets">{targets}</ul> })
            }}
            <h3>{tr(i18n, |l| td_string!(l, coaching.action))}</h3>
            <p class="suggestion-text" data-testid="coaching-action">{session.action.clone()}</p>
            <dl class="facts">{facts}</dl>
        </section>
    }
}

/// The agent's acknowledgement while the session awaits it; the lead's follow-up once it is
/// acknowledged.
#[component]
fn SessionWork(
    /// The session.
    session: CoachingSession,
    /// The viewer's role.
    role: Option<Role>,
    /// Called with the session once changed, and the words of what happened.
    updated: Updated,
) -> impl IntoView {
    match (role, session.state) {
        (Some(Role::Agent), CoachingState::Awaiting) => Either::Left(Either::Left(view! {
            <AcknowledgeForm id=session.id updated />
        })),
        (Some(Role::TeamLead | Role::Admin), CoachingState::Acknowledged) => Either::Left(
            Either::Right(view! { <FollowUpButton id=session.id updated /> }),
        ),
        _ => Either::Right(()),
    }
}

/// The agent's acknowledgement, with an optional comment.
#[component]
fn AcknowledgeForm(
    /// The session's id.
    id: i64,
    /// Called once acknowledged.
    updated: Updated,
) -> impl IntoView {
    const FORM: &str = "coaching-ack-form";
    let i18n = use_i18n();
    let comment = RwSignal::new(String::new());
    let errors = CoachingErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |body: &CoachingAcknowledgement| {
        let body = body.clone();
        async move {
            match api::coaching::acknowledge(id, &body).await {
                Ok(session) => updated.run((session, |l| td_string!(l, coaching.acknowledged))),
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
        let body = CoachingAcknowledgement {
            comment: Some(comment.get_untracked()),
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
    let failure_text = move || {
        failure.get().map(|error| {
            let text = match error.code() {
                Some(api::coaching::COACHING_ACKNOWLEDGED) => {
                    td_string!(i18n.get_locale(), coaching.already_acknowledged).into_any()
                }
                _ => error_message(i18n, &error).into_any(),
            };
            view! { <div class="notice notice-error form-error" data-testid="coaching-failure"><p>{text}</p></div> }
        })
    };
    view! {
        <section class="panel" aria-labelledby="coaching-ack-title">
            <h2 id="coaching-ack-title">{tr(i18n, |l| td_string!(l, coaching.ack_heading))}</h2>
            <p>{tr(i18n, |l| td_string!(l, coaching.ack_lead))}</p>
            <form id=FORM class="form" novalidate on:submit=on_submit>
                <TextAreaField
                    id="coaching-comment"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), coaching.comment).to_owned())
                    value=comment
                    error=errors.of("comment".into())
                    optional=true
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), coaching.max_chars, max = ACTION_MAX_CHARS.to_string()))
                />
                <div role="alert">{failure_text}</div>
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="coaching-acknowledge" disabled=move || send.pending().get()>
                        {move || if send.pending().get() {
                            td_string!(i18n.get_locale(), coaching.sending)
                        } else {
                            td_string!(i18n.get_locale(), coaching.acknowledge)
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The lead's "follow-up done".
#[component]
fn FollowUpButton(
    /// The session's id.
    id: i64,
    /// Called once followed up.
    updated: Updated,
) -> impl IntoView {
    let i18n = use_i18n();
    let failure = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |(): &()| async move {
        match api::coaching::follow_up(id).await {
            Ok(session) => updated.run((session, |l| td_string!(l, coaching.followed_up))),
            Err(error) => failure.set(Some(error)),
        }
    });
    view! {
        <section class="panel" aria-labelledby="coaching-follow-title">
            <h2 id="coaching-follow-title">{tr(i18n, |l| td_string!(l, coaching.follow_heading))}</h2>
            <p>{tr(i18n, |l| td_string!(l, coaching.follow_lead))}</p>
            <div role="alert">
                {move || failure.get().map(|error| view! {
                    <div class="notice notice-error form-error"><p>{error_message(i18n, &error)}</p></div>
                })}
            </div>
            <div class="form-actions">
                <button
                    type="button"
                    class="button"
                    data-testid="coaching-follow-up-done"
                    disabled=move || send.pending().get()
                    on:click=move |_| {
                        failure.set(None);
                        send.dispatch_local(());
                    }
                >
                    {tr(i18n, |l| td_string!(l, coaching.follow_done))}
                </button>
            </div>
        </section>
    }
}
