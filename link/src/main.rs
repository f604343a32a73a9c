//! The rating link's page (`/r/{token}`), a build of its own: what a customer opens from an
//! invitation, often on a phone on a slow network, so it carries only what this page needs
//! (no router, no i18n machinery, no HTTP wrapper). The record's rating form at once; once
//! rated, the evaluation with its appeal action and the appeal form in place; a link that
//! does not work says so and offers to sign in (a full page load into the customer app).

mod form;
mod net;
mod rated;
mod store;
mod texts;
mod wire;

use leptos::prelude::*;
use leptos::task::spawn_local;
use pingjia_domain::FieldError;
use pingjia_domain::evaluations::{RatingForm, RatingState, RecordInfo};
use wasm_bindgen::JsValue;

use net::Failure;
use texts::*;

/// What the page shows.
#[derive(Debug, Clone, PartialEq)]
enum Screen {
    Loading,
    /// The link does not work: the text saying why.
    Problem(usize),
    /// The form could not be loaded.
    Failed(Failure),
    Ready(RatingForm),
}

/// The link's token, from the page's path (`/r/{token}`, optional trailing slash).
fn token_from_path() -> Option<String> {
    let path = web_sys::window()?.location().pathname().ok()?;
    let token = path.strip_prefix("/r/")?.trim_end_matches('/');
    (!token.is_empty() && !token.contains('/')).then(|| token.to_owned())
}

/// The text of a link's problem, when the failure is one.
fn link_problem(failure: &Failure) -> Option<usize> {
    match (failure.status(), failure.code()) {
        (404, _) => Some(LINK_UNKNOWN),
        (410, Some("link_revoked")) => Some(LINK_REVOKED),
        (410, _) => Some(LINK_EXPIRED),
        (429, _) => Some(LINK_TOO_MANY),
        _ => None,
    }
}

/// Words for a failure that is not the link's.
pub fn failure_text(failure: &Failure) -> String {
    match failure {
        Failure::Network => t(ERRORS_NETWORK).to_owned(),
        Failure::Decode => t(ERRORS_DECODE).to_owned(),
        Failure::Status {
            status,
            retry_after,
            ..
        } => {
            let status_text = status.to_string();
            match (*status, retry_after) {
                (429, _) => t(ERRORS_RATE_LIMITED).to_owned(),
                (503, Some(secs)) => tf(ERRORS_BUSY_AFTER, &[("secs", &secs.to_string())]),
                (500.., _) => tf(ERRORS_SERVER, &[("status", &status_text)]),
                _ => tf(ERRORS_UNEXPECTED, &[("status", &status_text)]),
            }
        }
    }
}

/// A field error in words (the codes of `NewEvaluation::check` and `NewAppeal::check`, and
/// of the server's 422).
pub fn field_error_text(error: &FieldError) -> String {
    let field = error.field.as_str();
    let key = match (error.code.as_str(), field) {
        ("required", "scores") => RATING_NEED_ONE_SCORE,
        ("required", "overall") => RATING_NEED_OVERALL,
        ("out_of_range", "overall") => RATING_OVERALL_RANGE,
        ("required", "reason") => APPEALS_REASON_REQUIRED,
        ("too_short", "reason") => APPEALS_REASON_TOO_SHORT,
        ("too_long", "reason") => APPEALS_REASON_TOO_LONG,
        ("required", _) => RATING_NEED_STARS,
        ("out_of_range", _) => RATING_STARS_RANGE,
        ("unknown_dimension", _) => RATING_UNKNOWN_DIMENSION,
        ("control_character", _) => FIELD_ERRORS_CONTROL_CHARACTER,
        ("too_long", _) => {
            let max = pingjia_domain::evaluations::SUGGESTION_MAX_CHARS.to_string();
            return tf(FIELD_ERRORS_TOO_LONG, &[("max", &max)]);
        }
        _ => return error.message.clone(),
    };
    t(key).to_owned()
}

/// A time from the server (milliseconds since the epoch) as this browser shows a date and
/// time in the interface language.
pub fn local_time(millis: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(millis as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(lang().tag(), &options).into()
}

/// The time left until `until` from `now` (both milliseconds), in words: days and hours,
/// hours and minutes, or minutes; `None` when it is over.
pub fn time_left_words(now: i64, until: i64) -> Option<String> {
    let seconds = (until - now) / 1000;
    if seconds <= 0 {
        return None;
    }
    let unit =
        |n: i64, one: usize, many: usize| format!("{n} {}", t(if n == 1 { one } else { many }));
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
    );
    let (first, second) = if days > 0 {
        (
            unit(days, RATING_UNIT_DAY, RATING_UNIT_DAYS),
            (hours > 0).then(|| unit(hours, RATING_UNIT_HOUR, RATING_UNIT_HOURS)),
        )
    } else if hours > 0 {
        (
            unit(hours, RATING_UNIT_HOUR, RATING_UNIT_HOURS),
            (minutes > 0).then(|| unit(minutes, RATING_UNIT_MINUTE, RATING_UNIT_MINUTES)),
        )
    } else {
        let minutes = (seconds + 59) / 60;
        (unit(minutes, RATING_UNIT_MINUTE, RATING_UNIT_MINUTES), None)
    };
    Some(match second {
        Some(second) => format!("{first} {second}"),
        None => first,
    })
}

/// The server's clock now: this browser's, moved by how far it was from the server's when
/// the form was read.
pub fn server_now(offset: i64) -> i64 {
    js_sys::Date::now() as i64 + offset
}

/// A text that follows what it reads: every reactive text of the page is this one type, so
/// they share their rendering code (a closure of its own type in a view costs about a
/// kilobyte of wasm).
pub fn dt(text: impl Fn() -> String + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(text)
}

/// Reads the link's form into `screen`; `quiet` keeps what is shown until the answer.
fn load(token: String, screen: RwSignal<Screen>, offset: RwSignal<i64>, quiet: bool) {
    if !quiet {
        screen.set(Screen::Loading);
    }
    spawn_local(async move {
        let answer = net::call("GET", &token, "", None, None).await;
        screen.set(match answer.map(|json| wire::rating_form(&json)) {
            Ok(form) => {
                offset.set(form.now.timestamp_millis() - js_sys::Date::now() as i64);
                Screen::Ready(form)
            }
            Err(failure) => match link_problem(&failure) {
                Some(problem) => Screen::Problem(problem),
                None => Screen::Failed(failure),
            },
        });
    });
}

/// The record's base information.
#[component]
pub fn RecordFacts(record: RecordInfo) -> impl IntoView {
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
    let fact = |term: usize, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{tr(term)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let customer = move || match customer_type {
        Some(kind) => format!("{customer_no} · {}", kind.label(lang().domain())),
        None => customer_no.clone(),
    };
    let (started, ended) = (started_at.timestamp_millis(), ended_at.timestamp_millis());
    let order = order_no.map(|order| fact(RATING_FACT_ORDER, order.into_any()));
    view! {
        <dl class="facts">
            {fact(
                RATING_FACT_SERVICE_TYPE,
                dt(move || lang().pick(&service_type_name_zh, &service_type_name_en).to_owned())
                    .into_any(),
            )}
            {fact(RATING_FACT_CUSTOMER, dt(customer).into_any())}
            {fact(RATING_FACT_AGENT, format!("{agent_name} · {agent_no}").into_any())}
            {fact(
                RATING_FACT_CHANNEL,
                dt(move || channel.label(lang().domain()).to_owned()).into_any(),
            )}
            {fact(RATING_FACT_STARTED, dt(move || local_time(started)).into_any())}
            {fact(RATING_FACT_ENDED, dt(move || local_time(ended)).into_any())}
            {order}
        </dl>
    }
}

/// The page.
#[component]
fn App() -> impl IntoView {
    let token = token_from_path();
    let screen = RwSignal::new(Screen::Loading);
    let offset = RwSignal::new(0i64);
    let just_rated = RwSignal::new(false);
    let just_filed = RwSignal::new(false);
    Effect::new(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        document.set_title(&format!("{} · {}", t(LINK_TITLE), t(APP_TITLE_SUFFIX)));
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("lang", lang().tag());
        }
    });
    match token.clone() {
        Some(token) => load(token, screen, offset, false),
        None => screen.set(Screen::Problem(LINK_UNKNOWN)),
    }
    let reload = {
        let token = token.clone().unwrap_or_default();
        Callback::new(move |quiet: bool| load(token.clone(), screen, offset, quiet))
    };
    let on_rated = Callback::new(move |()| {
        just_rated.set(true);
        reload.run(true);
    });
    let on_filed = Callback::new(move |()| {
        just_filed.set(true);
        reload.run(true);
    });
    let page_token = token.clone().unwrap_or_default();
    let body = move || match screen.get() {
        Screen::Loading => {
            view! { <p class="muted" role="status">{tr(STATUS_LOADING)}</p> }.into_any()
        }
        Screen::Problem(problem) => view! {
            <div class="notice notice-warn" role="alert">
                <p>{tr(problem)}</p>
                <p><a href="/login" class="button">{tr(LINK_SIGN_IN)}</a></p>
            </div>
        }
        .into_any(),
        Screen::Failed(failure) => view! {
            <div class="notice notice-error" role="alert">
                <p><strong>{tr(ERRORS_HEADING)}</strong></p>
                <p>{dt(move || failure_text(&failure))}</p>
                <p>
                    <button type="button" class="button" on:click=move |_| reload.run(false)>
                        {tr(STATUS_RETRY)}
                    </button>
                </p>
            </div>
        }
        .into_any(),
        Screen::Ready(form) => {
            let token = page_token.clone();
            let until = form.rate_until.timestamp_millis();
            match (form.state, form.evaluation) {
                (RatingState::Awaiting, _) => view! {
                    <form::RatingFormView
                        record=form.record
                        dimensions=form.dimensions
                        until
                        offset
                        token
                        on_rated
                    />
                }
                .into_any(),
                (RatingState::Rated, Some(evaluation)) => view! {
                    <rated::RatedView evaluation token offset on_filed />
                }
                .into_any(),
                (RatingState::NotEnded, _) => view! {
                    <p class="notice notice-warn" role="status">{tr(RATING_NOT_ENDED_NOTICE)}</p>
                    <section class="panel"><RecordFacts record=form.record /></section>
                }
                .into_any(),
                _ => view! {
                    <p class="notice notice-warn" role="status">
                        {dt(move || tf(RATING_EXPIRED_NOTICE, &[("until", &local_time(until))]))}
                    </p>
                    <section class="panel"><RecordFacts record=form.record /></section>
                }
                .into_any(),
            }
        }
    };
    let switch = move |option: Lang, name: usize| {
        view! {
            <button
                type="button"
                class="lang-option"
                lang=option.tag()
                aria-pressed=move || (lang() == option).to_string()
                on:click=move |_| choose(option)
            >
                {text(option, name)}
            </button>
        }
    };
    view! {
        <header class="top">
            <span class="brand">{tr(APP_TITLE_SUFFIX)}</span>
            <div class="lang-switch" role="group" aria-label=tr(LANG_LABEL)>
                {switch(Lang::Zh, LANG_ZH_CN)}
                {switch(Lang::En, LANG_EN)}
            </div>
        </header>
        <main id="main">
            <h1>{tr(LINK_TITLE)}</h1>
            <p class="muted">{tr(LINK_INTRO)}</p>
            <div role="status">
                {move || just_rated.get().then(|| view! {
                    <p class="notice notice-success">{tr(LINK_THANKS)}</p>
                })}
                {move || just_filed.get().then(|| view! {
                    <p class="notice notice-success">{tr(LINK_APPEAL_FILED)}</p>
                })}
            </div>
            {body}
            {token.map(|token| view! {
                <p class="opt-out"><a href=format!("/r/{token}/opt-out")>{tr(OPT_OUT_LINK)}</a></p>
            })}
        </main>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
