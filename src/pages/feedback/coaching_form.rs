//! A new coaching session (`/coaching/new`), for team leads and admins: from an inspection,
//! an evaluation or an improvement plan (the address names it: `?source_kind=…&source_ref=…`,
//! and the agent is theirs) or for an agent chosen here; what was discussed, the checklist
//! items or rating dimensions it targets, the agreed action and a follow-up day after today.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use pingjia_domain::FieldError;
use pingjia_domain::feedback::{
    ACTION_MAX_CHARS, COACHING_PATH, CoachingDraft, CoachingTarget, CoachingTargetRef,
    DISCUSSION_MAX_CHARS, NewCoaching, coaching_href,
};

use crate::api::coaching::DraftQuery;
use crate::api::query;
use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::fields::{InputField, TextAreaField};
use crate::components::form::{ErrorWords, WordedErrors, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::{in_language, lang};
use crate::locale::tr;

/// A target's name in `locale`, with what it is: "检查项目 · 耐心倾听".
pub fn target_name(locale: Locale, target: &CoachingTarget) -> String {
    format!(
        "{} · {}",
        target.kind.label(lang(locale)),
        in_language(locale, &target.name_zh, &target.name_en)
    )
}

/// The field errors of the coaching forms: its own checks, then the server's.
pub type CoachingErrors = WordedErrors<CoachingWords>;

/// The words of the coaching forms' field errors.
#[derive(Debug)]
pub struct CoachingWords;

impl ErrorWords for CoachingWords {
    fn words(locale: Locale, error: &FieldError) -> String {
        let text = match (error.field.as_str(), error.code.as_str()) {
            ("discussion", "required") => td_string!(locale, coaching.error_discussion_required),
            ("action", "required") => td_string!(locale, coaching.error_action_required),
            ("discussion", "too_long") => {
                return td_string!(
                    locale,
                    coaching.error_too_long,
                    max = DISCUSSION_MAX_CHARS.to_string()
                );
            }
            (_, "too_long") => {
                return td_string!(
                    locale,
                    coaching.error_too_long,
                    max = ACTION_MAX_CHARS.to_string()
                );
            }
            (_, "too_short") => td_string!(locale, coaching.error_too_short),
            ("follow_up_date", _) => td_string!(locale, coaching.error_follow_up_future),
            ("agent_no", _) => td_string!(locale, coaching.error_agent),
            ("source", _) => td_string!(locale, coaching.error_source),
            ("targets", _) => td_string!(locale, coaching.error_targets),
            (_, "control_character") => td_string!(locale, coaching.error_control),
            _ => return error.message.clone(),
        };
        text.to_owned()
    }
}

/// The form's page.
#[component]
pub fn NewCoachingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let wanted = Memo::new(move |_| {
        params.with(|p| query::from_pairs::<_, DraftQuery>(p.latest_values(), &[]))
    });
    let draft = LocalResource::new(move || {
        let wanted = wanted.get();
        async move { api::coaching::draft(&wanted).await }
    });
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), coaching.new_heading)) />
        <p class="breadcrumb">
            <A href=COACHING_PATH>{tr(i18n, |l| td_string!(l, coaching.back_to_list))}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, coaching.new_heading))}</h1>
        <Loaded resource=draft view=move |draft| view! { <CoachingForm draft /> } />
    }
}

/// The form, started from the draft.
#[component]
fn CoachingForm(
    /// What the server offers: the agent, the targets, today.
    draft: CoachingDraft,
) -> impl IntoView {
    const FORM: &str = "coaching-form";
    let i18n = use_i18n();
    let navigate = use_navigate();
    let today = draft.today;
    let source = draft.source.clone();
    let fixed_agent = draft.agent.clone().filter(|_| source.is_some());
    let agent_no = RwSignal::new(
        draft
            .agent
            .as_ref()
            .map(|a| a.no.clone())
            .unwrap_or_default(),
    );
    let discussion = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let follow_up = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<CoachingTargetRef>::new());
    let errors = CoachingErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |body: &NewCoaching| {
        let body = body.clone();
        let navigate = navigate.clone();
        async move {
            match api::coaching::record(&body).await {
                Ok(session) => navigate(&coaching_href(session.id), Default::default()),
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM);
                }),
            }
        }
    });
    let body_source = source.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let day = follow_up.get_untracked().parse::<chrono::NaiveDate>().ok();
        let body = NewCoaching {
            agent_no: Some(agent_no.get_untracked()).filter(|n| !n.is_empty()),
            source: body_source.clone(),
            discussion: discussion.get_untracked(),
            targets: chosen.get_untracked(),
            action: action.get_untracked(),
            follow_up_date: day.unwrap_or(today),
        };
        let mut found = body.check(today).err().unwrap_or_default();
        if day.is_none() {
            found.retain(|e| e.field != "follow_up_date");
            found.push(FieldError::new(
                "follow_up_date",
                "required",
                "choose a day",
            ));
        }
        if found.is_empty() {
            errors.set(Vec::new());
            send.dispatch_local(body);
        } else {
            errors.set(found);
            focus_first_invalid(FORM);
        }
    };
    let agent_field = match fixed_agent {
        Some(agent) => Either::Left(view! {
            <p data-testid="coaching-form-agent">
                {tr(i18n, |l| td_string!(l, coaching.agent))} ": "
                <strong>{format!("{} ({})", agent.name, agent.no)}</strong>
            </p>
        }),
        None => {
            let agents = draft.agents.clone();
            let error = errors.of("agent_no".into());
            Either::Right(view! {
                <div class="field" class:field-invalid=move || error.get().is_some()>
                    <label for="coaching-agent-no">{tr(i18n, |l| td_string!(l, coaching.agent))}</label>
                    <select
                        id="coaching-agent-no"
                        name="agent_no"
                        required
                        aria-invalid=move || error.get().is_some().then_some("true")
                        aria-describedby=move || error.get().is_some().then_some("coaching-agent-no-error")
                        on:change=move |ev| agent_no.set(event_target_value(&ev))
                        prop:value=move || agent_no.get()
                    >
                        <option value="">{tr(i18n, |l| td_string!(l, coaching.choose_agent))}</option>
                        {agents.into_iter().map(|a| {
                            let label = format!("{} {}", a.name, a.no);
                            view! { <option value=a.no>{label}</option> }
                        }).collect_view()}
                    </select>
                    {move || error.get().map(|e| view! { <p id="coaching-agent-no-error" class="field-error">{e}</p> })}
                </div>
            })
        }
    };
    let source_line = source.map(|s| {
        let kind = s.kind;
        view! {
            <p data-testid="coaching-form-source">
                {tr(i18n, |l| td_string!(l, coaching.source))} ": "
                {move || kind.label(lang(i18n.get_locale()))} " "
                <span class="mono">{s.reference}</span>
            </p>
        }
    });
    let targets_error = errors.of("targets".into());
    let choices = draft
        .choices
        .into_iter()
        .enumerate()
        .map(|(i, target)| {
            let id = format!("coaching-target-{i}");
            let label_for = id.clone();
            let wanted = CoachingTargetRef {
                kind: target.kind,
                code: target.code.clone(),
            };
            let checked_ref = wanted.clone();
            view! {
                <label class="checkbox" for=label_for>
                    <input
                        type="checkbox"
                        id=id
                        prop:checked=move || chosen.with(|c| c.contains(&checked_ref))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|t| t != &wanted);
                                if on {
                                    c.push(wanted.clone());
                                }
                            });
                        }
                    />
                    <span>{move || in_language(i18n.get_locale(), &target.name_zh, &target.name_en).to_owned()}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="coaching-form-title">
            <h2 id="coaching-form-title" class="visually-hidden">{tr(i18n, |l| td_string!(l, coaching.new_heading))}</h2>
            {source_line}
            <form id=FORM class="form" novalidate on:submit=on_submit>
                {agent_field}
                <TextAreaField
                    id="coaching-discussion"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), coaching.discussion).to_owned())
                    value=discussion
                    error=errors.of("discussion".into())
                    required=true
                    rows=4
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), coaching.max_chars, max = DISCUSSION_MAX_CHARS.to_string()))
                />
                <fieldset class="field" aria-describedby="coaching-targets-hint" data-testid="coaching-targets-field">
                    <legend>{tr(i18n, |l| td_string!(l, coaching.targets))}</legend>
                    <p id="coaching-targets-hint" class="field-hint">{tr(i18n, |l| td_string!(l, coaching.targets_hint))}</p>
                    <div class="fb-checks">{choices}</div>
                    {move || targets_error.get().map(|e| view! { <p class="field-error">{e}</p> })}
                </fieldset>
                <TextAreaField
                    id="coaching-action"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), coaching.action).to_owned())
                    value=action
                    error=errors.of("action".into())
                    required=true
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), coaching.max_chars, max = ACTION_MAX_CHARS.to_string()))
                />
                <InputField
                    id="coaching-follow-up"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), coaching.follow_up).to_owned())
                    value=follow_up
                    error=errors.of("follow_up_date".into())
                    input_type="date"
                    required=true
                    hint=Signal::derive(move || td_string!(i18n.get_locale(), coaching.follow_up_hint).to_owned())
                />
                <FormFailure failure region=true />
                <div class="form-actions">
                    <button type="submit" class="button" data-testid="coaching-submit" disabled=move || send.pending().get()>
                        {move || if send.pending().get() {
                            td_string!(i18n.get_locale(), coaching.sending)
                        } else {
                            td_string!(i18n.get_locale(), coaching.submit)
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}
