//! The rating form (`/customer/rate/:id`): the record's base information, 1-5 stars per
//! dimension, the overall satisfaction 1-10 and a suggestion. The answers are kept on this
//! device as they are given; a submission goes through the outbox, so a lost connection, a
//! double click or a reload loses nothing and records one evaluation.

use std::collections::BTreeMap;

use crate::locale::tr;
use chrono::{DateTime, Utc};
use leptos::either::{Either, EitherOf4};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::params::Params;
use pingjia_domain::FieldError;
use pingjia_domain::evaluations::{FormDimension, NewEvaluation, RatingForm, RatingState};
use serde::{Deserialize, Serialize};

use super::{evaluation_href, time_left, time_left_words, use_customer};
use crate::api::{self, ApiError};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::evaluation::{EvaluationDetails, RecordFacts};
use crate::components::form::focus_first_invalid;
use crate::components::form::rating::{OverallScale, SuggestionField};
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::components::star_rating::StarRating;
use crate::drafts;
use crate::format::local_time;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::outbox::{self, Outcome, Pending};

/// The id of the rating form.
pub const FORM_ID: &str = "rating-form";

/// The answers so far, kept on this device per customer and record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingDraft {
    /// Dimension code → 1 to 5.
    pub scores: BTreeMap<String, u8>,
    pub overall: Option<u8>,
    pub suggestion: String,
    /// When the form was first opened, for `form_seconds`.
    pub opened_at: DateTime<Utc>,
}

impl RatingDraft {
    /// No answers yet, opened at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        RatingDraft {
            scores: BTreeMap::new(),
            overall: None,
            suggestion: String::new(),
            opened_at: now,
        }
    }
}

/// What is still to answer before the form can be sent: the required dimensions without a
/// score, in the form's order, and whether the overall satisfaction is missing.
pub fn missing_answers<'a>(
    dimensions: &'a [FormDimension],
    scores: &BTreeMap<String, u8>,
    overall: Option<u8>,
) -> (Vec<&'a FormDimension>, bool) {
    let dimensions = dimensions
        .iter()
        .filter(|d| !d.optional && !scores.contains_key(&d.code))
        .collect();
    (dimensions, overall.is_none())
}

/// The names of what is missing, listed the way the language lists them.
fn missing_list(locale: Locale, dimensions: &[&FormDimension], overall: bool) -> String {
    let mut names: Vec<&str> = dimensions
        .iter()
        .map(|d| in_language(locale, &d.name_zh, &d.name_en))
        .collect();
    if overall {
        names.push(td_string!(locale, rating.overall_legend));
    }
    names.join(td_string!(locale, rating.list_separator))
}

/// The seconds between `opened_at` and `now`.
pub fn form_seconds(opened_at: DateTime<Utc>, now: DateTime<Utc>) -> u32 {
    u32::try_from((now - opened_at).num_seconds().max(0)).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, PartialEq, Params)]
struct RateParams {
    id: Option<i64>,
}

/// The rating page of one record: the form, or why there is none.
#[component]
pub fn RatePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_customer();
    let params = use_params::<RateParams>();
    let id = Memo::new(move |_| params.with(|p| p.as_ref().ok().and_then(|p| p.id)));
    let form = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::evaluations::rating_form(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, rating.form_title)) />
        <p class="breadcrumb">
            <A href="/customer">{tr(i18n, |l| td_string!(l, rating.back_home))}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, rating.form_title))}</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match (form.await, user.get_untracked()) {
                    (Ok(form), Some(user_id)) => {
                        Either::Left(view! { <RatingPanel form user_id /> })
                    }
                    (Err(error), _) => Either::Right(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| form.refetch()) />
                    }.into_any()),
                    (Ok(_), None) => Either::Right(view! { <Loading /> }.into_any()),
                }
            })}
        </Transition>
    }
}

/// The form when the record awaits a rating; else its evaluation, or why it cannot be rated.
#[component]
fn RatingPanel(
    /// The record's form.
    form: RatingForm,
    /// The customer.
    user_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let until = local_time(form.rate_until);
    match (form.state, form.evaluation.clone()) {
        (RatingState::Awaiting, _) => EitherOf4::A(view! { <RatingFormView form user_id /> }),
        (RatingState::Rated, Some(evaluation)) => EitherOf4::B(view! {
            <p class="notice" role="status">{tr(i18n, |l| td_string!(l, rating.already_rated))}</p>
            <EvaluationDetails evaluation />
        }),
        (RatingState::NotEnded, _) => EitherOf4::C(view! {
            <p class="notice notice-warn" role="status">{t!(i18n, rating.not_ended_notice, until = until.clone())}</p>
            <RecordFacts record=form.record />
        }),
        _ => EitherOf4::D(view! {
            <p class="notice notice-warn" role="status">{t!(i18n, rating.expired_notice, until)}</p>
            <RecordFacts record=form.record />
        }),
    }
}

/// Why the last submission was refused, when it was.
#[derive(Debug, Clone, PartialEq)]
enum Refusal {
    /// The server refused it; the field errors show beside their fields.
    Error(ApiError),
    /// The record had been rated already, and the server did not say by which evaluation.
    AlreadyRated,
}

/// The rating form of a record awaiting a rating.
#[component]
pub fn RatingFormView(
    /// The record's form, as the server sent it.
    form: RatingForm,
    /// The customer (for a rating link's holder, [`outbox::link_outbox`]).
    user_id: i64,
    /// The rating link's token, when the form was opened by a link: the submission goes
    /// through it.
    #[prop(optional)]
    link: Option<String>,
    /// Called once the record is rated, instead of going to the evaluation's page.
    #[prop(optional)]
    on_rated: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let link = StoredValue::new(link);
    let RatingForm {
        record,
        dimensions,
        rate_until,
        now,
        ..
    } = form;
    let record_id = record.id;
    let draft_name = outbox::draft_name(user_id, record_id);
    let draft: RatingDraft =
        drafts::local::load(&draft_name).unwrap_or_else(|| RatingDraft::new(Utc::now()));
    let opened_at = draft.opened_at;
    let answers: Vec<(FormDimension, RwSignal<Option<u8>>)> = dimensions
        .iter()
        .map(|d| {
            let kept = draft
                .scores
                .get(&d.code)
                .copied()
                .filter(|s| (1..=5).contains(s));
            (d.clone(), RwSignal::new(kept))
        })
        .collect();
    let answers = StoredValue::new(answers);
    let dimensions = StoredValue::new(dimensions);
    let overall = RwSignal::new(draft.overall.filter(|o| (1..=10).contains(o)));
    let suggestion = RwSignal::new(draft.suggestion);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let refusal = RwSignal::new(None::<Refusal>);

    let scores = move || -> BTreeMap<String, u8> {
        answers.with_value(|answers| {
            answers
                .iter()
                .filter_map(|(d, v)| v.get().map(|s| (d.code.clone(), s)))
                .collect()
        })
    };
    // Every change is kept on this device; the first save records when the form was opened.
    Effect::new(move || {
        let draft = RatingDraft {
            scores: scores(),
            overall: overall.get(),
            suggestion: suggestion.get(),
            opened_at,
        };
        drafts::local::save(&draft_name, &draft);
    });

    let pending = move || outbox::status(user_id, record_id);
    let missing = Memo::new(move |_| {
        let scores = scores();
        let overall = overall.get();
        let locale = i18n.get_locale();
        dimensions.with_value(|dims| {
            let (dims, overall) = missing_answers(dims, &scores, overall);
            (!dims.is_empty() || overall).then(|| missing_list(locale, &dims, overall))
        })
    });
    let blocked = move || missing.with(Option::is_some) || pending().is_some();

    // What the outbox learns from the server about this record.
    let rated = move |number: &str| match on_rated {
        Some(on_rated) => {
            outbox::take_outcome(record_id);
            on_rated.run(());
        }
        None => navigate(&evaluation_href(number), Default::default()),
    };
    Effect::new(move || match outbox::outcome(record_id) {
        Some(Outcome::Sent(evaluation)) => rated(&evaluation.number),
        Some(Outcome::AlreadyRated(Some(number))) => rated(&number),
        Some(Outcome::AlreadyRated(None)) => {
            outbox::take_outcome(record_id);
            refusal.set(Some(Refusal::AlreadyRated));
        }
        Some(Outcome::Refused(error)) => {
            outbox::take_outcome(record_id);
            let fields = error
                .problem()
                .map(|p| p.errors.clone())
                .unwrap_or_default();
            let has_fields = !fields.is_empty();
            errors.set(fields);
            refusal.set(Some(Refusal::Error(error)));
            if has_fields {
                focus_first_invalid(FORM_ID);
            }
        }
        None => {}
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // While a submission is on its way nothing more is sent. With answers missing the
        // button looks disabled but still answers a press: each missing answer is named
        // beside its question and the first one gets the focus.
        if pending().is_some() {
            return;
        }
        let chosen_overall = overall.get_untracked();
        let text = suggestion.get_untracked();
        let body = NewEvaluation {
            service_record_id: record_id,
            scores: untrack(scores),
            overall: chosen_overall.unwrap_or(0),
            suggestion: Some(text.trim().to_owned()).filter(|s| !s.is_empty()),
            form_seconds: Some(form_seconds(opened_at, Utc::now())),
        };
        refusal.set(None);
        match dimensions.with_value(|dims| body.check(dims)) {
            Ok(_) => {
                errors.set(Vec::new());
                outbox::submit_via(user_id, body, link.get_value());
            }
            Err(mut found) => {
                if chosen_overall.is_none() {
                    for e in found.iter_mut().filter(|e| e.field == "overall") {
                        e.code = "required".to_owned();
                    }
                }
                errors.set(found);
                focus_first_invalid(FORM_ID);
            }
        }
    };

    let error_of = move |field: String| {
        Signal::derive(move || errors.with(|e| e.iter().find(|e| e.field == field).cloned()))
    };
    let stars = answers.with_value(|answers| {
        answers
            .iter()
            .map(|(d, value)| {
                let (name_zh, name_en) = (d.name_zh.clone(), d.name_en.clone());
                let (description_zh, description_en) =
                    (d.description_zh.clone(), d.description_en.clone());
                view! {
                    <StarRating
                        name=format!("score-{}", d.code)
                        legend=Signal::derive(move || {
                            in_language(i18n.get_locale(), &name_zh, &name_en).to_owned()
                        })
                        description=Signal::derive(move || {
                            Some(
                                in_language(i18n.get_locale(), &description_zh, &description_en)
                                    .to_owned(),
                            )
                                .filter(|d| !d.is_empty())
                        })
                        optional=d.optional
                        value=*value
                        error=error_of(format!("scores.{}", d.code))
                    />
                }
            })
            .collect_view()
    });
    let left = time_left(now, rate_until);

    view! {
        <section class="panel rating-record" aria-labelledby="record-heading">
            <h2 id="record-heading">{tr(i18n, |l| td_string!(l, rating.record_heading))}</h2>
            <RecordFacts record />
            {left
                .map(|left| {
                    view! {
                        <p class="record-deadline">
                            {move || {
                                let left = time_left_words(i18n.get_locale(), left);
                                t!(i18n, rating.time_left, left)
                            }}
                        </p>
                    }
                })}
        </section>
        <form id=FORM_ID class="form rating-form" novalidate on:submit=on_submit>
            <p class="field-hint">{tr(i18n, |l| td_string!(l, rating.form_intro))}</p>
            {stars}
            <OverallScale value=overall error=error_of("overall".to_owned()) />
            <SuggestionField value=suggestion error=error_of("suggestion".to_owned()) />
            <div role="alert">
                {move || {
                    refusal
                        .get()
                        .map(|refusal| {
                            view! {
                                <div class="notice notice-error form-error">
                                    <p>{refusal_text(i18n, &refusal)}</p>
                                </div>
                            }
                        })
                }}
            </div>
            <div class="form-actions rating-actions">
                <button
                    type="submit"
                    class="button"
                    aria-disabled=move || blocked().then_some("true")
                    aria-describedby="rating-submit-status"
                >
                    {move || match pending() {
                        Some(Pending::Sending) => tr(i18n, |l| td_string!(l, rating.sending)).into_any(),
                        _ => tr(i18n, |l| td_string!(l, rating.submit)).into_any(),
                    }}
                </button>
                <p id="rating-submit-status" class="submit-status" aria-live="polite">
                    {move || match (pending(), missing.get()) {
                        (Some(Pending::Sending), _) => tr(i18n, |l| td_string!(l, rating.sending_detail)).into_any(),
                        (Some(Pending::Saved), _) => tr(i18n, |l| td_string!(l, rating.saved_offline)).into_any(),
                        (None, Some(items)) => t!(i18n, rating.missing, items).into_any(),
                        (None, None) => tr(i18n, |l| td_string!(l, rating.ready)).into_any(),
                    }}
                </p>
            </div>
        </form>
    }
}

/// Why a submission was refused, in words.
fn refusal_text(i18n: I18nContext<Locale>, refusal: &Refusal) -> AnyView {
    match refusal {
        Refusal::AlreadyRated => tr(i18n, |l| td_string!(l, rating.already_rated)).into_any(),
        Refusal::Error(error) => match error.code() {
            Some("rating_window_closed") => {
                tr(i18n, |l| td_string!(l, rating.window_closed)).into_any()
            }
            Some("service_not_ended") => {
                tr(i18n, |l| td_string!(l, rating.not_ended_refusal)).into_any()
            }
            Some("idempotency_key_reused") => {
                tr(i18n, |l| td_string!(l, rating.key_reused)).into_any()
            }
            _ if matches!(error, ApiError::Validation(_)) => {
                tr(i18n, |l| td_string!(l, rating.check_fields)).into_any()
            }
            _ => error_message(i18n, error),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn dimension(code: &str, zh: &str, en: &str, optional: bool) -> FormDimension {
        FormDimension {
            code: code.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            description_zh: String::new(),
            description_en: String::new(),
            optional,
        }
    }

    #[test]
    fn missing_answers_name_the_required_dimensions_in_order_and_the_overall() {
        let dims = [
            dimension("attitude", "服务态度", "Attitude", false),
            dimension("speed", "响应速度", "Responsiveness", false),
            dimension("extra", "附加价值", "Added value", true),
        ];
        let mut scores = BTreeMap::new();
        let (missing, overall) = missing_answers(&dims, &scores, None);
        assert_eq!(
            missing.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            ["attitude", "speed"]
        );
        assert!(overall);
        assert_eq!(
            missing_list(Locale::zh_CN, &missing, false),
            "服务态度、响应速度"
        );
        assert_eq!(
            missing_list(Locale::en, &missing, true),
            "Attitude, Responsiveness, Overall satisfaction"
        );
        scores.insert("attitude".to_owned(), 4);
        scores.insert("speed".to_owned(), 2);
        let (missing, overall) = missing_answers(&dims, &scores, Some(8));
        assert!(
            missing.is_empty() && !overall,
            "the optional one may stay empty"
        );
    }

    #[test]
    fn form_seconds_count_from_the_first_opening() {
        let opened = Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap();
        assert_eq!(
            form_seconds(opened, opened + chrono::Duration::seconds(95)),
            95
        );
        assert_eq!(
            form_seconds(opened, opened - chrono::Duration::seconds(5)),
            0
        );
    }
}
