//! The customer's home (`/customer`): the services awaiting a rating, the time left to rate
//! each, then the rated and expired ones.

use crate::locale::tr;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::evaluations::{MyRecord, MyRecords, RatingState};

use super::{
    EVALUATIONS_PATH, PendingBanner, evaluation_href, rate_href, ticking_now, time_left,
    time_left_words, use_customer,
};
use crate::api;
use crate::components::error_panel::ErrorPanel;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::format::{local_time, total_text};
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::outbox::{self, Pending};

/// The customer's services: those awaiting a rating first, then the others.
#[component]
pub fn MyServices() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_customer();
    let records = LocalResource::new(move || {
        // A rating sent in the background moves its record from one list to the other.
        outbox::track_answers();
        api::evaluations::my_records()
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, rating.home_title)) />
        <h1>{tr(i18n, |l| td_string!(l, rating.home_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, rating.home_intro))}</p>
        {move || user.get().map(|user_id| view! { <PendingBanner user_id /> })}
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match records.await {
                    Ok(records) => Either::Left(view! { <RecordLists records user /> }),
                    Err(error) => Either::Right(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| records.refetch()) />
                    }),
                }
            })}
        </Transition>
    }
}

/// The two lists, or the empty state.
#[component]
fn RecordLists(
    /// The records as the server listed them.
    records: MyRecords,
    /// The customer.
    user: Signal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let MyRecords {
        awaiting,
        mut others,
        others_total,
        now,
    } = records;
    // The rest are in the history, one link away: the home stays short on a phone.
    others.truncate(OTHERS_ON_HOME);
    if awaiting.is_empty() && others.is_empty() {
        return Either::Left(view! {
            <div class="notice notice-empty">
                <p>{tr(i18n, |l| td_string!(l, rating.no_records))}</p>
            </div>
        });
    }
    let shown = others.len() as u64;
    let awaiting_view = if awaiting.is_empty() {
        Either::Left(
            view! { <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, rating.none_awaiting))}</p> },
        )
    } else {
        Either::Right(view! {
            <ul class="record-list">
                {awaiting
                    .into_iter()
                    .map(|record| view! { <AwaitingRecord record now user /> })
                    .collect_view()}
            </ul>
        })
    };
    Either::Right(view! {
        <section class="record-section" aria-labelledby="awaiting-title">
            <h2 id="awaiting-title">{tr(i18n, |l| td_string!(l, rating.awaiting_heading))}</h2>
            {awaiting_view}
        </section>
        {(!others.is_empty())
            .then(|| {
                view! {
                    <section class="record-section" aria-labelledby="others-title">
                        <h2 id="others-title">{tr(i18n, |l| td_string!(l, rating.others_heading))}</h2>
                        <ul class="record-list">
                            {others
                                .into_iter()
                                .map(|record| view! { <OtherRecord record /> })
                                .collect_view()}
                        </ul>
                        {(others_total > shown)
                            .then(|| {
                                view! {
                                    <p class="muted">
                                        {t!(i18n, rating.others_more, shown, total = others_total)}
                                    </p>
                                }
                            })}
                        <p>
                            <A href=EVALUATIONS_PATH>{tr(i18n, |l| td_string!(l, rating.all_evaluations_link))}</A>
                        </p>
                    </section>
                }
            })}
    })
}

/// How many rated, expired or unfinished services the home lists under those awaiting.
const OTHERS_ON_HOME: usize = 10;

/// The service type's name and who served, the title of a record's card.
#[component]
fn RecordTitle(
    /// The record.
    record: MyRecord,
    /// The title's id, which names the card's link.
    id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let (zh, en) = (record.service_type_name_zh, record.service_type_name_en);
    let agent = record.agent_name;
    view! {
        <h3 id=id class="record-title">
            {move || in_language(i18n.get_locale(), &zh, &en).to_owned()}
        </h3>
        <p class="record-meta">
            {t!(i18n, rating.served_by, agent)} " · "
            <time datetime=record.ended_at.to_rfc3339()>{local_time(record.ended_at)}</time>
        </p>
    }
}

/// A record awaiting a rating: the time left and the way to the form.
#[component]
fn AwaitingRecord(
    /// The record.
    record: MyRecord,
    /// The server's time.
    now: chrono::DateTime<chrono::Utc>,
    /// The customer.
    user: Signal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = record.id;
    let title_id = format!("record-{id}-title");
    let link_id = format!("record-{id}-rate");
    let now = ticking_now(Some(now));
    let rate_until = record.rate_until;
    let left = move || time_left(now.get(), rate_until);
    let pending = move || user.get().and_then(|user_id| outbox::status(user_id, id));
    view! {
        <li class="record-card">
            <RecordTitle record=record.clone() id=title_id.clone() />
            <p class="record-deadline">
                {move || match left() {
                    Some(left) => {
                        let left = time_left_words(i18n.get_locale(), left);
                        t!(i18n, rating.time_left, left).into_any()
                    }
                    None => tr(i18n, |l| td_string!(l, rating.window_closing)).into_any(),
                }}
            </p>
            {move || {
                pending()
                    .map(|status| {
                        view! {
                            <p class="record-pending" role="status">
                                {match status {
                                    Pending::Sending => tr(i18n, |l| td_string!(l, rating.sending)).into_any(),
                                    Pending::Saved => tr(i18n, |l| td_string!(l, rating.saved_offline)).into_any(),
                                }}
                            </p>
                        }
                    })
            }}
            <A
                href=rate_href(id)
                attr:id=link_id.clone()
                attr:class="button"
                attr:aria-labelledby=format!("{link_id} {title_id}")
            >
                {tr(i18n, |l| td_string!(l, rating.rate_link))}
            </A>
        </li>
    }
}

/// A rated, expired or not yet ended record.
#[component]
fn OtherRecord(
    /// The record.
    record: MyRecord,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = record.id;
    let title_id = format!("record-{id}-title");
    let link_id = format!("record-{id}-view");
    let state = record.state;
    let body = match (state, record.evaluation.clone()) {
        (RatingState::Rated, Some(summary)) => {
            let total = total_text(summary.total_score);
            let overall = summary.overall;
            EitherOf3::A(view! {
                <p class="record-scores">
                    {t!(i18n, rating.scores_summary, total, overall)}
                </p>
                <A
                    href=evaluation_href(&summary.number)
                    attr:id=link_id.clone()
                    attr:class="button button-secondary"
                    attr:aria-labelledby=format!("{link_id} {title_id}")
                >
                    {tr(i18n, |l| td_string!(l, rating.view_evaluation))}
                </A>
            })
        }
        (RatingState::NotEnded, _) => EitherOf3::B(
            view! { <p class="record-state">{tr(i18n, |l| td_string!(l, rating.not_ended))}</p> }
                .into_any(),
        ),
        (RatingState::Rated, None) => EitherOf3::B(
            view! { <p class="record-state">{tr(i18n, |l| td_string!(l, rating.rated))}</p> }
                .into_any(),
        ),
        _ => EitherOf3::C(
            view! { <p class="record-state">{tr(i18n, |l| td_string!(l, rating.expired))}</p> },
        ),
    };
    view! {
        <li
            class="record-card"
            class:record-expired=state == RatingState::Expired
        >
            <RecordTitle record id=title_id.clone() />
            {body}
        </li>
    }
}
