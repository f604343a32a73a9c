//! The agent's evaluations (`/agent/feedback`), newest first, a page at a time from the
//! server: filters by period, service type, score band, "with a suggestion" and "unread", all
//! in the address. Opening an item marks it read; "mark all read" clears the count. On an
//! item with a suggestion the agent says whether it is reasonable (a plan opens, due in 3
//! working days) or not, with a reason.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::feedback::{DEFAULT_PER_PAGE, FeedbackItem, FeedbackQuery, ScoreBand};
use pingjia_domain::wire::ServiceType;

use super::{FEEDBACK_PATH, PRESET_DAYS, PeriodChoice, band_name, href_with, today};
use crate::api::query;
use crate::api::{self};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::feedback_alerts::use_feedback_alerts;
use crate::components::filters::FilterActions;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::components::pager::Pager;
use crate::format::local_time;
use crate::i18n::{td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;

mod details;
use details::FeedbackDetails;
pub use details::{PlanDue, UnreasonableDialog};

/// The list's filters as the address carries them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListFilter {
    /// `None`: all time.
    pub period: Option<PeriodChoice>,
    pub service_type: Option<String>,
    pub band: Option<ScoreBand>,
    pub with_suggestion: bool,
    pub unread: bool,
    /// From 1.
    pub page: u32,
}

impl ListFilter {
    /// Reads the filters; anything unreadable is left out.
    pub fn from_params(params: &ParamsMap) -> ListFilter {
        let read: FeedbackQuery = query::from_pairs(params.latest_values(), &[]);
        let has_period = ["days", "from", "to"]
            .iter()
            .any(|k| params.get_str(k).is_some_and(|v| !v.trim().is_empty()));
        ListFilter {
            period: has_period.then(|| PeriodChoice::from_params(params)),
            service_type: read.service_type,
            band: read.band,
            with_suggestion: read.with_suggestion == Some(true),
            unread: read.unread == Some(true),
            page: read.page.filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    /// Its query parameters (the first page left out).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.period.map(PeriodChoice::params).unwrap_or_default();
        if let Some(kind) = &self.service_type {
            pairs.push(("service_type", kind.clone()));
        }
        if let Some(band) = self.band {
            pairs.push(("band", band.as_str().to_owned()));
        }
        if self.with_suggestion {
            pairs.push(("with_suggestion", "true".to_owned()));
        }
        if self.unread {
            pairs.push(("unread", "true".to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }

    /// The list's address with these filters.
    pub fn href(&self) -> String {
        href_with(FEEDBACK_PATH, &self.params())
    }

    /// The API's query, the presets ending `today`.
    pub fn query(&self, today: chrono::NaiveDate) -> FeedbackQuery {
        let period = self.period.map(|p| p.period(today));
        FeedbackQuery {
            from: period.map(|p| p.from),
            to: period.map(|p| p.to),
            service_type: self.service_type.clone(),
            band: self.band,
            with_suggestion: self.with_suggestion.then_some(true),
            unread: self.unread.then_some(true),
            page: Some(self.page),
            per_page: Some(DEFAULT_PER_PAGE),
        }
    }
}

/// The list page.
#[component]
pub fn FeedbackListPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(ListFilter::from_params));
    let refreshed = RwSignal::new(0u32);
    let today = today();
    let alerts = use_feedback_alerts();
    let page = LocalResource::new(move || {
        let wanted = filter.get().query(today);
        refreshed.track();
        // A new evaluation arriving (the toast and the badge) shows in the list and its
        // counts at once.
        if let Some(alerts) = alerts {
            alerts.arrivals();
        }
        async move { api::feedback::evaluations(&wanted).await }
    });
    let catalog = LocalResource::new(api::catalog);
    let types = Signal::derive(move || {
        catalog
            .get()
            .and_then(Result::ok)
            .map(|c| c.service_types)
            .unwrap_or_default()
    });
    let announcement = RwSignal::new(None::<String>);
    let read_all = Action::new_local(move |_: &()| async move {
        let answer = api::feedback::mark_all_read().await;
        match &answer {
            Ok(alert) => {
                if let Some(alerts) = alerts {
                    alerts.set_unread(alert.unread);
                }
                announcement.set(Some(
                    td_string!(i18n.get_locale(), feedback.all_read_done).to_owned(),
                ));
                refreshed.update(|n| *n += 1);
            }
            Err(_) => announcement.set(None),
        }
        answer
    });
    let read_all_failed = move || {
        read_all
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <div class="notice notice-error" role="alert"><p>{error_message(i18n, &error)}</p></div> })
    };
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), feedback.list_title)) />
        <h1>{tr(i18n, |l| td_string!(l, feedback.list_title))}</h1>
        <ListFilters filter types />
        <p class="status" role="status" aria-live="polite">{move || announcement.get()}</p>
        {read_all_failed}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(found) => {
                        let unread = found.unread;
                        let total = found.total;
                        let per_page = u64::from(found.per_page.max(1));
                        let pages = total.div_ceil(per_page).max(1);
                        let current = u64::from(found.page.max(1));
                        let at = move |p: u64| {
                            let mut wanted = filter.get_untracked();
                            wanted.page = u32::try_from(p).unwrap_or(1);
                            wanted.href()
                        };
                        let items = found.items;
                        Either::Left(view! {
                            <div class="fb-list-head">
                                <p class="list-count" data-testid="feedback-count">
                                    {move || td_string!(i18n.get_locale(), feedback.list_count, total = total.to_string(), unread = unread.to_string())}
                                </p>
                                <button
                                    type="button"
                                    class="button button-secondary"
                                    disabled=move || read_all.pending().get() || unread == 0
                                    on:click=move |_| {
                                        read_all.dispatch_local(());
                                    }
                                >
                                    {tr(i18n, |l| td_string!(l, feedback.mark_all_read))}
                                </button>
                            </div>
                            {if items.is_empty() {
                                Either::Left(view! {
                                    <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, feedback.list_empty))}</p>
                                })
                            } else {
                                Either::Right(view! {
                                    <ul class="fb-items">
                                        {items
                                            .into_iter()
                                            .map(|item| view! {
                                                <li>
                                                    <FeedbackCard
                                                        item
                                                        on_changed=Callback::new(move |()| refreshed.update(|n| *n += 1))
                                                    />
                                                </li>
                                            })
                                            .collect_view()}
                                    </ul>
                                })
                            }}
                            {(pages > 1).then(|| view! {
                                <Pager
                                    previous=(current > 1).then(|| at(current - 1))
                                    next=(current < pages).then(|| at(current + 1))
                                    page=current
                                    pages
                                />
                            })}
                        })
                    }
                    Err(error) => Either::Right(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| page.refetch()) />
                    }),
                }
            })}
        </Transition>
    }
}

/// The filters; every change navigates to the first page of the new list.
#[component]
fn ListFilters(
    /// The filters in the address.
    filter: Memo<ListFilter>,
    /// The service types to choose from.
    types: Signal<Vec<ServiceType>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let today = today();
    let go = Callback::new(move |wanted: ListFilter| {
        navigate(
            &wanted.href(),
            NavigateOptions {
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    let change = move |edit: &dyn Fn(&mut ListFilter)| {
        let mut wanted = filter.get_untracked();
        edit(&mut wanted);
        wanted.page = 1;
        go.run(wanted);
    };
    let period_value = move || match filter.get().period {
        None => String::new(),
        Some(PeriodChoice::Last(days)) => days.to_string(),
        Some(PeriodChoice::Custom { .. }) => "custom".to_owned(),
    };
    let on_period = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        change(&|f: &mut ListFilter| {
            f.period = match value.as_str() {
                "" => None,
                "custom" => {
                    let last = PeriodChoice::default().period(today);
                    Some(PeriodChoice::Custom {
                        from: last.from,
                        to: last.to,
                    })
                }
                days => days.parse().ok().map(PeriodChoice::Last),
            };
        });
    };
    let custom = move || match filter.get().period {
        Some(PeriodChoice::Custom { from, to }) => Some((from, to)),
        _ => None,
    };
    let range_error = RwSignal::new(false);
    let change_day = move |from_end: bool, value: String| {
        let (Some((from, to)), Ok(day)) = (custom(), value.parse::<chrono::NaiveDate>()) else {
            return;
        };
        let (from, to) = if from_end { (day, to) } else { (from, day) };
        match PeriodChoice::checked(from, to) {
            Ok(period) => {
                range_error.set(false);
                change(&|f: &mut ListFilter| f.period = Some(period));
            }
            Err(_) => range_error.set(true),
        }
    };
    let type_options = move || {
        let locale = i18n.get_locale();
        types
            .get()
            .into_iter()
            .map(|kind| {
                let chosen = kind.code.clone();
                view! {
                    <option
                        value=kind.code.clone()
                        prop:selected=move || filter.with(|f| f.service_type.as_deref() == Some(chosen.as_str()))
                    >
                        {in_language(locale, &kind.name_zh, &kind.name_en).to_owned()}
                    </option>
                }
            })
            .collect_view()
    };
    let filtered = move || {
        filter.with(|f| {
            *f != ListFilter {
                page: f.page,
                ..ListFilter::default()
            }
        })
    };
    view! {
        <form
            class="filters fb-filters"
            role="search"
            aria-label=move || td_string!(i18n.get_locale(), feedback.filters_label)
            on:submit=|ev| ev.prevent_default()
        >
            <div class="field">
                <label for="fb-period">{tr(i18n, |l| td_string!(l, feedback.period))}</label>
                <select id="fb-period" name="period" on:change=on_period>
                    <option value="" prop:selected=move || period_value().is_empty()>
                        {tr(i18n, |l| td_string!(l, feedback.all_time))}
                    </option>
                    {PRESET_DAYS
                        .into_iter()
                        .map(|days| view! {
                            <option value=days.to_string() prop:selected=move || period_value() == days.to_string()>
                                {move || td_string!(i18n.get_locale(), feedback.preset_days, days = days.to_string())}
                            </option>
                        })
                        .collect_view()}
                    <option value="custom" prop:selected=move || period_value() == "custom">
                        {tr(i18n, |l| td_string!(l, feedback.custom_period))}
                    </option>
                </select>
            </div>
            {move || custom().map(|(from, to)| view! {
                <div class="period-range">
                    <div class="field">
                        <label for="fb-from">{tr(i18n, |l| td_string!(l, feedback.from))}</label>
                        <input
                            id="fb-from"
                            type="date"
                            aria-invalid=move || range_error.get().then_some("true")
                            aria-describedby=move || range_error.get().then_some("fb-range-error")
                            prop:value=from.to_string()
                            on:change=move |ev| change_day(true, event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="fb-to">{tr(i18n, |l| td_string!(l, feedback.to))}</label>
                        <input
                            id="fb-to"
                            type="date"
                            aria-invalid=move || range_error.get().then_some("true")
                            aria-describedby=move || range_error.get().then_some("fb-range-error")
                            prop:value=to.to_string()
                            on:change=move |ev| change_day(false, event_target_value(&ev))
                        />
                    </div>
                    {move || range_error.get().then(|| view! {
                        <p id="fb-range-error" class="field-error" role="alert">
                            {tr(i18n, |l| td_string!(l, feedback.period_after_to))}
                        </p>
                    })}
                </div>
            })}
            <div class="field">
                <label for="fb-service-type">{tr(i18n, |l| td_string!(l, feedback.service_type))}</label>
                <select
                    id="fb-service-type"
                    name="service_type"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        change(&|f: &mut ListFilter| f.service_type = Some(value.clone()).filter(|v| !v.is_empty()));
                    }
                >
                    <option value="" prop:selected=move || filter.with(|f| f.service_type.is_none())>
                        {tr(i18n, |l| td_string!(l, feedback.all_service_types))}
                    </option>
                    {type_options}
                </select>
            </div>
            <div class="field">
                <label for="fb-band">{tr(i18n, |l| td_string!(l, feedback.band))}</label>
                <select
                    id="fb-band"
                    name="band"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let band = ScoreBand::ALL.into_iter().find(|b| b.as_str() == value);
                        change(&|f: &mut ListFilter| f.band = band);
                    }
                >
                    <option value="" prop:selected=move || filter.with(|f| f.band.is_none())>
                        {tr(i18n, |l| td_string!(l, feedback.all_bands))}
                    </option>
                    {ScoreBand::ALL
                        .into_iter()
                        .map(|band| view! {
                            <option value=band.as_str() prop:selected=move || filter.with(|f| f.band == Some(band))>
                                {move || band_name(i18n.get_locale(), band)}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="fb-checks">
                <label class="check-option" for="fb-with-suggestion">
                    <input
                        id="fb-with-suggestion"
                        type="checkbox"
                        prop:checked=move || filter.with(|f| f.with_suggestion)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            change(&|f: &mut ListFilter| f.with_suggestion = on);
                        }
                    />
                    <span>{tr(i18n, |l| td_string!(l, feedback.with_suggestion))}</span>
                </label>
                <label class="check-option" for="fb-unread">
                    <input
                        id="fb-unread"
                        type="checkbox"
                        prop:checked=move || filter.with(|f| f.unread)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            change(&|f: &mut ListFilter| f.unread = on);
                        }
                    />
                    <span>{tr(i18n, |l| td_string!(l, feedback.unread_only))}</span>
                </label>
            </div>
            <FilterActions clear=|l| td_string!(l, feedback.clear_filters) clear_href=FEEDBACK_PATH.to_owned() filtered=Signal::derive(filtered) />
        </form>
    }
}

/// One evaluation: its number, time and scores, opened to show the service, the dimension
/// scores, the suggestion and the verdict on it. Opening it marks it read.
#[component]
pub fn FeedbackCard(
    /// The evaluation.
    item: FeedbackItem,
    /// Called when the list should be read again (a verdict someone else gave first).
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let alerts = use_feedback_alerts();
    let number = item.number.clone();
    let read = RwSignal::new(item.read);
    let expanded = RwSignal::new(false);
    let current = RwSignal::new(item);
    let details_id = format!("fb-{number}-details");
    let heading_id = format!("fb-{number}-title");
    let article_labelled = heading_id.clone();
    let title_id = heading_id.clone();
    let mark_read = Action::new_local(move |number: &String| {
        let number = number.clone();
        async move {
            if let Ok(alert) = api::feedback::mark_read(&number).await {
                read.set(true);
                if let Some(alerts) = alerts {
                    alerts.set_unread(alert.unread);
                }
            }
        }
    });
    let toggle = {
        let number = number.clone();
        move |_| {
            expanded.update(|e| *e = !*e);
            if expanded.get_untracked()
                && !read.get_untracked()
                && !mark_read.pending().get_untracked()
            {
                mark_read.dispatch_local(number.clone());
            }
        }
    };
    let head = current.with_untracked(|item| {
        (
            local_time(item.submitted_at),
            item.overall,
            item.total_score,
            item.suggestion.is_some(),
        )
    });
    let (submitted, overall, total, has_suggestion) = head;
    view! {
        <article class="card fb-card" class:fb-unread=move || !read.get() aria-labelledby=article_labelled data-testid=format!("fb-{number}")>
            <div class="fb-card-head">
                <h2 id=title_id class="fb-card-title">
                    <span class="mono">{number.clone()}</span>
                </h2>
                {move || (!read.get()).then(|| view! {
                    <span class="badge badge-new" data-testid="fb-unread-badge">{tr(i18n, |l| td_string!(l, feedback.unread_badge))}</span>
                })}
                {has_suggestion.then(|| view! {
                    <span class="badge badge-off">{tr(i18n, |l| td_string!(l, feedback.has_suggestion))}</span>
                })}
            </div>
            <p class="fb-card-meta">
                <span>{submitted}</span>
                " · "
                <span>{move || td_string!(i18n.get_locale(), feedback.overall_of, overall = overall.to_string())}</span>
                " · "
                <span>{move || td_string!(i18n.get_locale(), feedback.total_of, total = format!("{total:.1}"))}</span>
            </p>
            <button
                type="button"
                class="button button-secondary button-small"
                aria-expanded=move || expanded.get().to_string()
                aria-controls=details_id.clone()
                aria-describedby=heading_id
                on:click=toggle
            >
                {move || if expanded.get() {
                    td_string!(i18n.get_locale(), feedback.collapse)
                } else {
                    td_string!(i18n.get_locale(), feedback.expand)
                }}
            </button>
            <div id=details_id class="fb-details" hidden=move || !expanded.get()>
                {move || expanded.get().then(|| view! { <FeedbackDetails item=current on_changed /> })}
            </div>
        </article>
    }
}
