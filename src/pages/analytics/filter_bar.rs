//! The filter bar every report shares: period (presets and a custom range), team, agent,
//! service type, channel and customer type. The address holds its state: a change navigates
//! to the same page with the new query (a drill-down keeps its clicked element, the list goes
//! back to its first page), so a view can be bookmarked and shared.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use pingjia_domain::analytics::{AnalyticsFilter, AnalyticsOptions, OptionItem, Period};
use pingjia_domain::wire::{Channel, CustomerType};

use super::routes::{drill_from_params, filter_from_params};
use crate::api::ApiError;
use crate::api::analytics::with_query;
use crate::components::data_table::Loaded;
use crate::components::filters::FilterActions;
use crate::format::period_words;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::{channel_name, customer_type_name, in_language};
use crate::locale::tr;

/// The period presets, in days.
pub const PRESET_DAYS: [u64; 3] = [7, 30, 90];

/// What is wrong with a custom period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodProblem {
    /// The first day is after the last.
    AfterTo,
    /// Longer than a report covers.
    TooLong,
}

/// The period the filter asks for (defaults filled in from `today`), or what is wrong with it.
pub fn checked_period(
    filter: &AnalyticsFilter,
    today: chrono::NaiveDate,
) -> Result<Period, PeriodProblem> {
    filter.period(today).map_err(|errors| {
        if errors.iter().any(|e| e.code == "after_to") {
            PeriodProblem::AfterTo
        } else {
            PeriodProblem::TooLong
        }
    })
}

/// The choice's name in the interface language.
fn option_name(locale: Locale, item: &OptionItem) -> String {
    in_language(locale, &item.name_zh, &item.name_en).to_owned()
}

/// The filter bar. Reads the filter from the address and navigates on every change.
#[component]
pub fn FilterBar(
    /// The teams, agents and service types to choose from, and today's default period.
    options: AnalyticsOptions,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let location = use_location();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| query.with(filter_from_params));
    let today = options.default_period.to;
    let problem = RwSignal::new(None::<PeriodProblem>);
    let options = StoredValue::new(options);

    let go = Callback::new(move |wanted: AnalyticsFilter| {
        let drill = query.with_untracked(drill_from_params);
        let href = with_query(&location.pathname.get_untracked(), &wanted, &drill, &[]);
        navigate(
            &href,
            NavigateOptions {
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    let change = move |edit: &dyn Fn(&mut AnalyticsFilter)| {
        let mut wanted = filter.get_untracked();
        edit(&mut wanted);
        go.run(wanted);
    };
    let change_date = move |from: bool, value: String| {
        let mut wanted = filter.get_untracked();
        let day = value.parse().ok();
        if from {
            wanted.from = day;
        } else {
            wanted.to = day;
        }
        match checked_period(&wanted, today) {
            Ok(_) => {
                problem.set(None);
                go.run(wanted);
            }
            Err(found) => problem.set(Some(found)),
        }
    };

    let period = Memo::new(move |_| filter.with(|f| checked_period(f, today).ok()));
    let shown_day = move |from: bool| {
        move || {
            let f = filter.get();
            let set = if from { f.from } else { f.to };
            set.or_else(|| period.get().map(|p| if from { p.from } else { p.to }))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
    };
    let summary = move || {
        let locale = i18n.get_locale();
        period.get().map(|p| {
            td_string!(
                locale,
                analytics.period_summary,
                period = period_words(locale, p),
                days = p.days().to_string()
            )
        })
    };
    let presets = PRESET_DAYS
        .into_iter()
        .map(|days| {
            let preset = Period::last_days(today, days);
            let pressed = move || period.get() == Some(preset);
            view! {
                <button
                    type="button"
                    class="button button-secondary button-small preset"
                    aria-pressed=move || pressed().to_string()
                    on:click=move |_| {
                        problem.set(None);
                        change(&|f: &mut AnalyticsFilter| {
                            f.from = Some(preset.from);
                            f.to = Some(preset.to);
                        });
                    }
                >
                    {move || td_string!(i18n.get_locale(), analytics.preset_days, days = days.to_string())}
                </button>
            }
        })
        .collect_view();

    let invalid = move || problem.get().is_some();
    let problem_text = move || {
        let locale = i18n.get_locale();
        problem.get().map(|found| match found {
            PeriodProblem::AfterTo => td_string!(locale, analytics.period_after_to).to_owned(),
            PeriodProblem::TooLong => td_string!(
                locale,
                analytics.period_too_long,
                days = pingjia_domain::analytics::MAX_PERIOD_DAYS.to_string()
            ),
        })
    };

    let team_options = move || {
        let locale = i18n.get_locale();
        options.with_value(|o| {
            o.teams
                .iter()
                .map(|team| {
                    let id = team.value.parse::<i64>().ok();
                    let name = option_name(locale, team);
                    view! {
                        <option
                            value=team.value.clone()
                            prop:selected=move || id.is_some() && filter.with(|f| f.team == id)
                        >
                            {name}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    let agent_options = move || {
        let locale = i18n.get_locale();
        let team = filter.with(|f| f.team);
        options.with_value(|o| {
            o.agents
                .iter()
                .filter(|agent| team.is_none() || agent.team_id == team)
                .map(|agent| {
                    let value = agent.value.clone();
                    let chosen = value.clone();
                    let name = format!("{} {}", option_name(locale, agent), agent.value);
                    view! {
                        <option
                            value=value
                            prop:selected=move || filter.with(|f| f.agent.as_deref() == Some(chosen.as_str()))
                        >
                            {name}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    let type_options = move || {
        let locale = i18n.get_locale();
        options.with_value(|o| {
            o.service_types
                .iter()
                .map(|kind| {
                    let value = kind.value.clone();
                    let chosen = value.clone();
                    let name = option_name(locale, kind);
                    view! {
                        <option
                            value=value
                            prop:selected=move || filter.with(|f| f.service_type.as_deref() == Some(chosen.as_str()))
                        >
                            {name}
                        </option>
                    }
                })
                .collect_view()
        })
    };
    let on_team = move |ev: leptos::ev::Event| {
        let team = event_target_value(&ev).parse::<i64>().ok();
        change(&|f: &mut AnalyticsFilter| {
            f.team = team;
            // An agent of another team would filter everything out.
            let agent_elsewhere = f.agent.as_ref().is_some_and(|no| {
                options.with_value(|o| {
                    o.agents
                        .iter()
                        .any(|a| &a.value == no && team.is_some() && a.team_id != team)
                })
            });
            if agent_elsewhere {
                f.agent = None;
            }
        });
    };
    let filtered = move || filter.with(|f| *f != AnalyticsFilter::default());
    let cleared = move || {
        let drill = query.with(drill_from_params);
        with_query(
            &location.pathname.get(),
            &AnalyticsFilter::default(),
            &drill,
            &[],
        )
    };

    view! {
        <form
            class="filters analytics-filters"
            role="search"
            aria-label=move || td_string!(i18n.get_locale(), analytics.filters_label)
            on:submit=|ev| ev.prevent_default()
        >
            <fieldset class="period-field" class:field-invalid=invalid>
                <legend>{tr(i18n, |l| td_string!(l, analytics.period))}</legend>
                <div class="preset-group">{presets}</div>
                <div class="period-range">
                    <div class="field">
                        <label for="analytics-from">{tr(i18n, |l| td_string!(l, analytics.from))}</label>
                        <input
                            id="analytics-from"
                            name="from"
                            type="date"
                            max=today.to_string()
                            aria-invalid=move || invalid().then_some("true")
                            aria-describedby=move || if invalid() { "analytics-period-error" } else { "analytics-period-summary" }
                            prop:value=shown_day(true)
                            on:change=move |ev| change_date(true, event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="analytics-to">{tr(i18n, |l| td_string!(l, analytics.to))}</label>
                        <input
                            id="analytics-to"
                            name="to"
                            type="date"
                            max=today.to_string()
                            aria-invalid=move || invalid().then_some("true")
                            aria-describedby=move || if invalid() { "analytics-period-error" } else { "analytics-period-summary" }
                            prop:value=shown_day(false)
                            on:change=move |ev| change_date(false, event_target_value(&ev))
                        />
                    </div>
                </div>
                <p id="analytics-period-summary" class="field-hint">{summary}</p>
                {move || problem_text().map(|text| view! {
                    <p id="analytics-period-error" class="field-error" role="alert">{text}</p>
                })}
            </fieldset>
            <div class="field">
                <label for="analytics-team">{tr(i18n, |l| td_string!(l, analytics.team))}</label>
                <select id="analytics-team" name="team" on:change=on_team>
                    <option value="" prop:selected=move || filter.with(|f| f.team.is_none())>
                        {tr(i18n, |l| td_string!(l, analytics.all_teams))}
                    </option>
                    {team_options}
                </select>
            </div>
            <div class="field">
                <label for="analytics-agent">{tr(i18n, |l| td_string!(l, analytics.agent))}</label>
                <select
                    id="analytics-agent"
                    name="agent"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        change(&|f: &mut AnalyticsFilter| {
                            f.agent = Some(value.clone()).filter(|v| !v.is_empty());
                        });
                    }
                >
                    <option value="" prop:selected=move || filter.with(|f| f.agent.is_none())>
                        {tr(i18n, |l| td_string!(l, analytics.all_agents))}
                    </option>
                    {agent_options}
                </select>
            </div>
            <div class="field">
                <label for="analytics-service-type">{tr(i18n, |l| td_string!(l, analytics.service_type))}</label>
                <select
                    id="analytics-service-type"
                    name="service_type"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        change(&|f: &mut AnalyticsFilter| {
                            f.service_type = Some(value.clone()).filter(|v| !v.is_empty());
                        });
                    }
                >
                    <option value="" prop:selected=move || filter.with(|f| f.service_type.is_none())>
                        {tr(i18n, |l| td_string!(l, analytics.all_service_types))}
                    </option>
                    {type_options}
                </select>
            </div>
            <div class="field">
                <label for="analytics-channel">{tr(i18n, |l| td_string!(l, analytics.channel))}</label>
                <select
                    id="analytics-channel"
                    name="channel"
                    on:change=move |ev| {
                        let channel = Channel::parse(&event_target_value(&ev));
                        change(&|f: &mut AnalyticsFilter| f.channel = channel);
                    }
                >
                    <option value="" prop:selected=move || filter.with(|f| f.channel.is_none())>
                        {tr(i18n, |l| td_string!(l, analytics.all_channels))}
                    </option>
                    {Channel::ALL
                        .into_iter()
                        .map(|channel| view! {
                            <option
                                value=channel.as_str()
                                prop:selected=move || filter.with(|f| f.channel == Some(channel))
                            >
                                {move || channel_name(i18n.get_locale(), channel)}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="analytics-customer-type">{tr(i18n, |l| td_string!(l, analytics.customer_type))}</label>
                <select
                    id="analytics-customer-type"
                    name="customer_type"
                    on:change=move |ev| {
                        let kind = CustomerType::parse(&event_target_value(&ev));
                        change(&|f: &mut AnalyticsFilter| f.customer_type = kind);
                    }
                >
                    <option value="" prop:selected=move || filter.with(|f| f.customer_type.is_none())>
                        {tr(i18n, |l| td_string!(l, analytics.all_customer_types))}
                    </option>
                    {CustomerType::ALL
                        .into_iter()
                        .map(|kind| view! {
                            <option
                                value=kind.as_str()
                                prop:selected=move || filter.with(|f| f.customer_type == Some(kind))
                            >
                                {move || customer_type_name(i18n.get_locale(), kind)}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <FilterActions clear=|l| td_string!(l, analytics.clear_filters) clear_href=Signal::derive(cleared) filtered=Signal::derive(filtered) />
        </form>
    }
}

/// The filter bar once its choices are loaded, with the loading and error states.
#[component]
pub fn LoadedFilterBar(
    /// The choices of the filter bar, loading.
    options: LocalResource<Result<AnalyticsOptions, ApiError>>,
) -> impl IntoView {
    view! {
        <Loaded
            resource=options
            view=move |options| view! { <FilterBar options /> }
        />
    }
}
