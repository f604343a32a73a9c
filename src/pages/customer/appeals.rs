//! Appeals (申诉) on the customer's side: the status and appeal action on an evaluation, the
//! appeal form (`/customer/evaluations/:number/appeal`), the evaluation's earlier versions and
//! appeals, and the list of the customer's appeals (`/customer/appeals`), whose decisions not
//! seen yet are counted by the badge in the navigation.

use std::cell::RefCell;

use crate::locale::tr;
use chrono::{DateTime, Utc};
use leptos::either::{Either, EitherOf3, EitherOf4};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;
use pingjia_domain::FieldError;
use pingjia_domain::appeals::{
    APPEAL_REASON_MAX_CHARS, Appeal, AppealStatus, EvaluationValues, NewAppeal,
};
use pingjia_domain::evaluations::{
    CustomerStatus, DimensionScore, Evaluation, EvaluationVersion, normalize_number,
};

use super::{
    EVALUATIONS_PATH, evaluation_href, ticking_now, time_left, time_left_words, use_customer,
};
use crate::api::{self, ApiError};
use crate::components::appeal::{
    ChangeFields, appeal_status_class, appeal_status_name, unprefixed,
};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::form::focus_first_invalid;
use crate::components::form::rating::{OverallScale, SuggestionField};
use crate::components::form::reason::ReasonField;
use crate::components::loading::Loading;
use crate::components::nav_badge::{Counted, recount};
use crate::components::page::PageTitle;
use crate::format::{local_time, total_text};
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::outbox;

/// Where the customer's appeals are listed.
pub const APPEALS_PATH: &str = "/customer/appeals";

/// The id of the appeal form.
const FORM_ID: &str = "appeal-form";

/// The address of the appeal form of an evaluation.
pub fn appeal_href(number: &str) -> String {
    format!("{EVALUATIONS_PATH}/{number}/appeal")
}

/// What is wrong with an appeal's reason, by the server's own rule (required, 10 to 1000
/// characters once trimmed); `None` when it will do.
pub fn reason_error(reason: &str) -> Option<FieldError> {
    let nothing = EvaluationValues {
        scores: Vec::new(),
        total_score: 0.0,
        overall: 0,
        suggestion: None,
    };
    let appeal = NewAppeal {
        reason: reason.to_owned(),
        requested: None,
    };
    appeal
        .check(&nothing)
        .err()?
        .into_iter()
        .find(|e| e.field == "reason")
}

/// The words for what is wrong with an appeal's reason, by its code.
pub fn reason_message(locale: Locale, code: &str) -> &'static str {
    match code {
        "too_short" => td_string!(locale, appeals.reason_too_short),
        "too_long" => td_string!(locale, appeals.reason_too_long),
        "repeated" => td_string!(locale, appeals.reason_repeated),
        _ => td_string!(locale, appeals.reason_required),
    }
}

/// "申诉剩余 5 小时 12 分钟" / "5 hours 12 minutes left to appeal", from `now` until the appeal
/// window closes; `None` once it has.
pub fn appeal_time_left(
    locale: Locale,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Option<String> {
    let left = time_left_words(locale, time_left(now, until)?);
    Some(td_string!(locale, appeals.time_left, left = &left))
}

/// How an evaluation stands, in words.
pub fn customer_status_name(locale: Locale, status: CustomerStatus) -> &'static str {
    match status {
        CustomerStatus::Recorded => td_string!(locale, appeals.status_recorded),
        CustomerStatus::AppealPending => td_string!(locale, appeals.status_appeal_pending),
        CustomerStatus::Revised => td_string!(locale, appeals.status_revised),
    }
}

thread_local! {
    /// The evaluation whose appeal was just filed, for its page to say so once.
    static JUST_FILED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Whether an appeal of `number` was just filed here (asked once: a reload is a visit).
pub fn take_just_filed(number: &str) -> bool {
    JUST_FILED.with(|cell| {
        let mut cell = cell.borrow_mut();
        let filed = cell.as_deref() == Some(number);
        if filed {
            *cell = None;
        }
        filed
    })
}

#[derive(Debug, Clone, PartialEq, Params)]
struct NumberParams {
    number: Option<String>,
}

/// The appeal form's page: the form while the evaluation may be appealed, else why not.
#[component]
pub fn AppealPage() -> impl IntoView {
    let i18n = use_i18n();
    let _ = use_customer();
    let params = use_params::<NumberParams>();
    let number = Memo::new(move |_| {
        params.with(|p| {
            p.as_ref()
                .ok()
                .and_then(|p| p.number.as_deref().and_then(normalize_number))
        })
    });
    let evaluation = LocalResource::new(move || {
        let number = number.get();
        async move {
            match number {
                Some(number) => api::evaluations::evaluation(&number).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    let back = move || {
        number
            .get()
            .map_or_else(|| EVALUATIONS_PATH.to_owned(), |n| evaluation_href(&n))
    };
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, appeals.form_title)) />
        <p class="breadcrumb">
            <A href=back>{tr(i18n, |l| td_string!(l, appeals.back_evaluation))}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, appeals.form_title))}</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match evaluation.await {
                    Ok(evaluation) if evaluation.can_appeal => {
                        EitherOf4::A(view! { <AppealForm evaluation /> })
                    }
                    Ok(evaluation) => EitherOf4::B(view! {
                        <p class="notice notice-warn" role="status">
                            {if evaluation.status == CustomerStatus::AppealPending {
                                tr(i18n, |l| td_string!(l, appeals.already_pending)).into_any()
                            } else {
                                tr(i18n, |l| td_string!(l, appeals.window_ended)).into_any()
                            }}
                        </p>
                    }),
                    Err(ApiError::Forbidden | ApiError::NotFound) => EitherOf4::C(view! {
                        <p class="notice notice-error" role="alert">{tr(i18n, |l| td_string!(l, rating.number_not_found))}</p>
                    }),
                    Err(error) => EitherOf4::D(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| evaluation.refetch()) />
                    }),
                }
            })}
        </Transition>
    }
}

/// Why a filing was refused, in words, unless its fields say it.
fn refusal_text(i18n: I18nContext<Locale>, error: &ApiError) -> AnyView {
    match error.code() {
        Some("appeal_window_closed") => tr(i18n, |l| td_string!(l, appeals.closed)).into_any(),
        Some("appeal_pending") => tr(i18n, |l| td_string!(l, appeals.already_pending)).into_any(),
        Some("idempotency_key_reused") => {
            tr(i18n, |l| td_string!(l, appeals.key_reused)).into_any()
        }
        _ if matches!(error, ApiError::Validation(_)) => {
            tr(i18n, |l| td_string!(l, appeals.check_fields)).into_any()
        }
        _ => error_message(i18n, error),
    }
}

/// The appeal form: the reason and, when wanted, the whole set of answers the customer wants
/// instead, prefilled with the current ones. Filing is idempotent: a retry of the same filing
/// (after a lost connection, a double press) sends the same key and files one appeal.
#[component]
pub fn AppealForm(
    /// The evaluation, appealable.
    evaluation: Evaluation,
    /// The rating link's token, when the evaluation was reached by a link: the filing goes
    /// through it.
    #[prop(optional)]
    link: Option<String>,
    /// Called once the appeal is filed, instead of going to the evaluation's page.
    #[prop(optional)]
    on_filed: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let number = evaluation.number.clone();
    let current = EvaluationValues {
        scores: evaluation.scores,
        total_score: evaluation.total_score,
        overall: evaluation.overall,
        suggestion: evaluation.suggestion,
    };
    let change = ChangeFields::new(&current.to_change(), &current.scores);
    let current = StoredValue::new(current);
    let reason = RwSignal::new(String::new());
    let want = RwSignal::new(false);
    let tried = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let closed = RwSignal::new(false);
    // The key of the last filing sent, with what it sent: a retry of the same filing reuses it.
    let sent = StoredValue::new(None::<(String, NewAppeal)>);

    let file = Action::new_local(move |(key, body): &(String, NewAppeal)| {
        let (key, body) = (key.clone(), body.clone());
        let number = number.clone();
        let navigate = navigate.clone();
        let link = link.clone();
        async move {
            let filed = match &link {
                Some(token) => api::links::file_appeal(token, &key, &body).await,
                None => api::appeals::file(&number, &key, &body).await,
            };
            match filed {
                Ok(_) => {
                    JUST_FILED.with(|cell| *cell.borrow_mut() = Some(number.clone()));
                    match on_filed {
                        Some(on_filed) => on_filed.run(()),
                        None => navigate(&evaluation_href(&number), Default::default()),
                    }
                }
                Err(error) => {
                    if error.code() == Some("appeal_window_closed") {
                        closed.set(true);
                    }
                    let fields: Vec<FieldError> = error
                        .problem()
                        .map(|p| {
                            p.errors
                                .iter()
                                .map(|e| unprefixed(e.clone(), "requested"))
                                .collect()
                        })
                        .unwrap_or_default();
                    let has_fields = !fields.is_empty();
                    errors.set(fields);
                    failure.set(Some(error));
                    if has_fields {
                        focus_first_invalid(FORM_ID);
                    }
                }
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if file.pending().get_untracked() {
            return;
        }
        tried.set(true);
        failure.set(None);
        let body = NewAppeal {
            reason: reason.get_untracked(),
            requested: want.get_untracked().then(|| change.to_change()),
        };
        match current.with_value(|current| body.check(current)) {
            Ok(_) => {
                errors.set(Vec::new());
                let key = sent
                    .with_value(|sent| {
                        sent.as_ref()
                            .filter(|(_, last)| *last == body)
                            .map(|(key, _)| key.clone())
                    })
                    .unwrap_or_else(outbox::new_key);
                sent.set_value(Some((key.clone(), body.clone())));
                file.dispatch_local((key, body));
            }
            Err(found) => {
                errors.set(
                    found
                        .into_iter()
                        .map(|e| unprefixed(e, "requested"))
                        .collect(),
                );
                focus_first_invalid(FORM_ID);
            }
        }
    };

    let field_error = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.iter().find(|e| e.field == field).cloned()))
    };
    // The reason's message follows the text once a filing was tried; the server's (a reason
    // already decided) stays until the text changes.
    let reason_text = Signal::derive(move || {
        tried
            .get()
            .then(|| reason.with(|r| reason_error(r)))
            .flatten()
            .or_else(|| errors.with(|e| e.iter().find(|e| e.field == "reason").cloned()))
            .map(|e| reason_message(i18n.get_locale(), &e.code).to_owned())
    });
    Effect::watch(
        move || reason.track(),
        move |_, _, _| errors.update(|e| e.retain(|e| e.field != "reason")),
        false,
    );
    let unchanged = move || {
        errors
            .with(|e| e.iter().any(|e| e.field == "requested"))
            .then(|| view! { <p id="appeal-change-error" class="field-error">{tr(i18n, |l| td_string!(l, appeals.unchanged))}</p> })
    };
    move || {
        if closed.get() {
            return Either::Left(view! {
                <p class="notice notice-warn" role="alert">{tr(i18n, |l| td_string!(l, appeals.closed))}</p>
            });
        }
        Either::Right(view! {
            <form id=FORM_ID class="form rating-form appeal-form" novalidate on:submit=on_submit>
                <p class="field-hint">{tr(i18n, |l| td_string!(l, appeals.form_intro))}</p>
                <ReasonField
                    id="appeal-reason"
                    label=Signal::derive(move || t_string!(i18n, appeals.reason_label))
                    hint=Signal::derive(move || t_string!(i18n, appeals.reason_hint))
                    value=reason
                    max=APPEAL_REASON_MAX_CHARS
                    error=reason_text
                />
                <div class="field">
                    <label class="checkbox" for="appeal-want-change">
                        <input type="checkbox" id="appeal-want-change" bind:checked=want />
                        {tr(i18n, |l| td_string!(l, appeals.want_change))}
                    </label>
                </div>
                <div
                    class="appeal-change"
                    class:field-invalid=move || errors.with(|e| e.iter().any(|e| e.field == "requested"))
                    hidden=move || !want.get()
                >
                    <p class="field-hint">{tr(i18n, |l| td_string!(l, appeals.want_change_hint))}</p>
                    {unchanged}
                    {change.view(errors)}
                    <OverallScale value=change.overall error=field_error("overall") />
                    <SuggestionField value=change.suggestion error=field_error("suggestion") />
                </div>
                <div role="alert">
                    {move || {
                        failure
                            .get()
                            .map(|error| {
                                view! {
                                    <div class="notice notice-error form-error">
                                        <p>{refusal_text(i18n, &error)}</p>
                                    </div>
                                }
                            })
                    }}
                </div>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button"
                        aria-disabled=move || file.pending().get().then_some("true")
                    >
                        {move || {
                            if file.pending().get() {
                                t_string!(i18n, appeals.sending)
                            } else {
                                t_string!(i18n, appeals.submit)
                            }
                        }}
                    </button>
                </div>
            </form>
        })
    }
}

/// The evaluation's status, and the appeal action while the window is open with the time
/// left, or why there is none.
#[component]
pub fn AppealStatusPanel(
    /// The evaluation.
    evaluation: Evaluation,
    /// What the appeal action does instead of opening the appeal page (a rating link's page
    /// shows the form in place).
    #[prop(optional)]
    on_appeal: Option<Callback<()>>,
    /// The appeal action as a secondary button: right after a rating, the next step is not to
    /// dispute it.
    #[prop(optional)]
    secondary: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = evaluation.status;
    let action_class = if secondary {
        "button button-secondary"
    } else {
        "button"
    };
    let href = appeal_href(&evaluation.number);
    let until = evaluation.appeal_until;
    let now = ticking_now(None);
    let action = match (evaluation.can_appeal, status) {
        // The action goes when the window closes with the page open; the server refuses a
        // late appeal anyway.
        (true, _) => EitherOf4::A(move || {
            let left =
                until.and_then(|until| appeal_time_left(i18n.get_locale(), now.get(), until));
            match left {
                Some(left) => Either::Left(view! {
                    <p class="record-deadline">{left}</p>
                    <p>
                        {match on_appeal {
                            Some(on_appeal) => Either::Left(view! {
                                <button type="button" class=action_class on:click=move |_| on_appeal.run(())>
                                    {tr(i18n, |l| td_string!(l, appeals.appeal_action))}
                                </button>
                            }),
                            None => Either::Right(view! {
                                <A href=href.clone() attr:class=action_class>{tr(i18n, |l| td_string!(l, appeals.appeal_action))}</A>
                            }),
                        }}
                    </p>
                }),
                None => Either::Right(view! {
                    <p class="muted">{tr(i18n, |l| td_string!(l, appeals.window_ended))}</p>
                }),
            }
        }),
        (false, CustomerStatus::AppealPending) => EitherOf4::B(view! {
            <p class="record-pending">{tr(i18n, |l| td_string!(l, appeals.pending_notice))}</p>
        }),
        (false, _) if until.is_some() => EitherOf4::C(view! {
            <p class="muted">{tr(i18n, |l| td_string!(l, appeals.window_ended))}</p>
        }),
        _ => EitherOf4::D(()),
    };
    view! {
        <section class="panel appeal-status" aria-labelledby="appeal-status-heading">
            <h2 id="appeal-status-heading">{tr(i18n, |l| td_string!(l, appeals.section_heading))}</h2>
            <p>
                {tr(i18n, |l| td_string!(l, appeals.status_label))} " "
                <span class="badge" class:badge-warn=status == CustomerStatus::AppealPending>
                    {move || customer_status_name(i18n.get_locale(), status)}
                </span>
            </p>
            {action}
        </section>
    }
}

/// One version's values: totals, each dimension's stars and the suggestion.
#[component]
pub fn ValuesSummary(
    /// In the form's order.
    scores: Vec<DimensionScore>,
    total_score: f64,
    overall: u8,
    suggestion: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = total_text(total_score);
    let dimensions = scores
        .into_iter()
        .map(|d| {
            let (zh, en) = (d.name_zh, d.name_en);
            view! {
                <li>
                    {move || in_language(i18n.get_locale(), &zh, &en).to_owned()} " "
                    <strong>
                        {match d.score {
                            Some(score) => Either::Left(format!("{score} ★")),
                            None => Either::Right(tr(i18n, |l| td_string!(l, rating.not_rated))),
                        }}
                    </strong>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="record-scores">{t!(i18n, appeals.scores_line, total, overall)}</p>
        <ul class="score-chips">{dimensions}</ul>
        {suggestion.map(|text| view! { <p class="suggestion-text">{text}</p> })}
    }
}

/// The evaluation's versions, the current one first, each with when it was in effect and,
/// for earlier ones, why it was changed. Nothing when it never changed.
#[component]
pub fn VersionHistory(
    /// The evaluation.
    evaluation: Evaluation,
) -> impl IntoView {
    let i18n = use_i18n();
    if evaluation.history.is_empty() {
        return None;
    }
    let since = evaluation
        .history
        .last()
        .map(|v| local_time(v.replaced_at))
        .unwrap_or_default();
    let current_version = evaluation.version;
    let earlier = evaluation
        .history
        .into_iter()
        .rev()
        .map(|version| {
            let EvaluationVersion {
                version: n,
                scores,
                total_score,
                overall,
                suggestion,
                created_at,
                replaced_at,
                reason,
                ..
            } = version;
            let (from, to) = (local_time(created_at), local_time(replaced_at));
            view! {
                <li class="version">
                    <h3>{t!(i18n, appeals.version_n, n)}</h3>
                    <p class="record-meta">{t!(i18n, appeals.version_period, from, to)}</p>
                    <ValuesSummary scores total_score overall suggestion />
                    <p class="appeal-label">{tr(i18n, |l| td_string!(l, appeals.change_reason))}</p>
                    <p class="suggestion-text">{reason}</p>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="panel" aria-labelledby="versions-heading">
            <h2 id="versions-heading">{tr(i18n, |l| td_string!(l, appeals.history_heading))}</h2>
            <ol class="versions">
                <li class="version version-current">
                    <h3>{t!(i18n, appeals.version_current, n = current_version)}</h3>
                    <p class="record-meta">{t!(i18n, appeals.version_since, from = since)}</p>
                    <ValuesSummary
                        scores=evaluation.scores
                        total_score=evaluation.total_score
                        overall=evaluation.overall
                        suggestion=evaluation.suggestion
                    />
                </li>
                {earlier}
            </ol>
        </section>
    })
}

/// One appeal: status, when, the reason, the change asked for and, once decided, the decision.
#[component]
pub fn AppealBody(
    /// The appeal.
    appeal: Appeal,
) -> impl IntoView {
    let i18n = use_i18n();
    let filed = local_time(appeal.filed_at);
    let requested = match appeal.requested {
        Some(values) => Either::Left(view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, appeals.requested_heading))}</p>
            <ValuesSummary
                scores=values.scores
                total_score=values.total_score
                overall=values.overall
                suggestion=values.suggestion
            />
        }),
        None => Either::Right(view! {
            <p class="muted">{tr(i18n, |l| td_string!(l, appeals.no_requested))}</p>
        }),
    };
    let decision = appeal.decided_at.map(|decided| {
        let time = local_time(decided);
        let applied = appeal.applied.filter(|_| appeal.status == AppealStatus::Approved).map(|values| {
            view! {
                <p class="appeal-label">{tr(i18n, |l| td_string!(l, appeals.applied_heading))}</p>
                <ValuesSummary
                    scores=values.scores
                    total_score=values.total_score
                    overall=values.overall
                    suggestion=values.suggestion
                />
            }
        });
        view! {
            <div class="appeal-decision">
                <p class="record-meta">{t!(i18n, appeals.decided_at, time)}</p>
                <p class="appeal-label">{tr(i18n, |l| td_string!(l, appeals.decision_reason))}</p>
                <p class="suggestion-text">{appeal.decision_reason.unwrap_or_default()}</p>
                {applied}
            </div>
        }
    });
    view! {
        <p class="record-meta">{t!(i18n, appeals.filed_at, time = filed)}</p>
        <p class="appeal-label">{tr(i18n, |l| td_string!(l, appeals.reason_label))}</p>
        <p class="suggestion-text">{appeal.reason}</p>
        {requested}
        {decision}
    }
}

/// An appeal's status as a badge, with "new" while its decision has not been seen.
#[component]
fn StatusBadges(
    status: AppealStatus,
    /// Whether to mark it as a new decision.
    #[prop(into)]
    new: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=appeal_status_class(status)>{move || appeal_status_name(i18n.get_locale(), status)}</span>
        {move || new.get().then(|| view! { <span class="badge badge-new">{tr(i18n, |l| td_string!(l, appeals.new_decision))}</span> })}
    }
}

/// Marks the decisions of `appeals` the customer has not seen yet as seen, then has the badge
/// count again.
fn mark_seen(appeals: Vec<i64>) {
    if appeals.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        for id in appeals {
            // A failure leaves it unseen: the badge says so and the next visit tries again.
            let _ = api::appeals::mark_seen(id).await;
        }
        recount(Counted::Appeals);
    });
}

/// The appeals of one evaluation, on its page; showing a decision marks it seen.
#[component]
pub fn EvaluationAppeals(
    /// The evaluation's number.
    number: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let appeals = LocalResource::new(move || {
        let number = number.clone();
        async move { api::appeals::of_evaluation(&number).await }
    });
    move || {
        Suspend::new(async move {
            match appeals.await {
                Ok(list) if list.appeals.is_empty() => None,
                Ok(list) => {
                    mark_seen(
                        list.appeals
                            .iter()
                            .filter(|a| a.status != AppealStatus::Pending && !a.seen_by_customer)
                            .map(|a| a.id)
                            .collect(),
                    );
                    let items = list
                        .appeals
                        .into_iter()
                        .map(|appeal| {
                            let status = appeal.status;
                            let new = status != AppealStatus::Pending && !appeal.seen_by_customer;
                            view! {
                                <li class="appeal-card">
                                    <p class="appeal-head"><StatusBadges status new /></p>
                                    <AppealBody appeal />
                                </li>
                            }
                        })
                        .collect_view();
                    Some(Either::Left(view! {
                        <section class="panel" aria-labelledby="appeals-heading">
                            <h2 id="appeals-heading">{tr(i18n, |l| td_string!(l, appeals.appeals_heading))}</h2>
                            <ul class="appeal-list">{items}</ul>
                        </section>
                    }))
                }
                Err(error) => Some(Either::Right(view! {
                    <ErrorPanel error on_retry=Callback::new(move |()| appeals.refetch()) />
                })),
            }
        })
    }
}

/// The customer's appeals, newest first; opening a decided one marks its decision seen.
#[component]
pub fn MyAppeals() -> impl IntoView {
    let i18n = use_i18n();
    let _ = use_customer();
    let appeals = LocalResource::new(api::appeals::mine);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, appeals.mine_title)) />
        <h1>{tr(i18n, |l| td_string!(l, appeals.mine_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, appeals.mine_intro))}</p>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match appeals.await {
                    Ok(list) if list.appeals.is_empty() => EitherOf3::A(view! {
                        <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, appeals.mine_empty))}</p>
                    }),
                    Ok(list) => {
                        let items = list
                            .appeals
                            .into_iter()
                            .map(|appeal| view! { <MyAppealItem appeal /> })
                            .collect_view();
                        EitherOf3::B(view! { <ul class="appeal-list">{items}</ul> })
                    }
                    Err(error) => EitherOf3::C(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| appeals.refetch()) />
                    }),
                }
            })}
        </Transition>
    }
}

/// One appeal in the customer's list: its evaluation, status and, behind a disclosure, the
/// whole of it.
#[component]
fn MyAppealItem(appeal: Appeal) -> impl IntoView {
    let i18n = use_i18n();
    let id = appeal.id;
    let status = appeal.status;
    let decided = status != AppealStatus::Pending;
    let new = RwSignal::new(decided && !appeal.seen_by_customer);
    let number = appeal.evaluation_number.clone();
    let filed = local_time(appeal.filed_at);
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        if open && new.get_untracked() {
            new.set(false);
            mark_seen(vec![id]);
        }
    };
    view! {
        <li class="appeal-card">
            <h2 class="record-title">
                <A href=evaluation_href(&number)><span class="mono">{number.clone()}</span></A>
            </h2>
            <p class="appeal-head"><StatusBadges status new /></p>
            <p class="record-meta">{t!(i18n, appeals.filed_at, time = filed)}</p>
            <details on:toggle=on_toggle>
                <summary>{tr(i18n, |l| td_string!(l, appeals.show_details))}</summary>
                <AppealBody appeal />
            </details>
        </li>
    }
}
