//! The service records list with its filters and paging, and the CSV import with its dry run
//! (`/admin/records`).

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::records::{RecordPage, ServiceRecord};
use pingjia_domain::users::Team;
use pingjia_domain::wire::{Catalog, Channel, Role, Urgency};
use wasm_bindgen::JsCast;

use super::localized;
use crate::api::admin_config::RecordQuery;
use crate::api::query::{self, Paging, paged_href};
use crate::api::users::UserQuery;
use crate::api::{self};
use crate::components::error_panel::ErrorPanel;
use crate::components::filters::{DateRange, FilterActions};
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::components::pager::Pager;
use crate::format::local_time;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::customer_type_name;

mod import;
mod labels;
use import::ImportPanel;
pub use labels::TEMPLATE_PATH;
use labels::{category_name, channel_name, type_name, urgency_name};

/// Where the list lives.
pub const RECORDS_PATH: &str = "/admin/records";

/// The filters and page of the list as the address carries them.
pub fn query_from_params(params: &ParamsMap) -> RecordQuery {
    let query: RecordQuery = query::from_pairs(params.latest_values(), &[]);
    RecordQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of the list with these filters and page (the first page left out).
pub fn records_href(query: &RecordQuery) -> String {
    paged_href(RECORDS_PATH, query, Paging::after_first(query.page))
}

/// The records page: import panel, filters, one page of records, paging.
#[component]
pub fn AdminRecords() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let imported = RwSignal::new(0u32);
    let records = LocalResource::new(move || {
        let query = query.get();
        imported.track();
        async move { api::admin_config::list_records(&query).await }
    });
    let catalog = LocalResource::new(api::catalog);
    let catalog = Signal::derive(move || catalog.get().and_then(Result::ok));
    let teams = LocalResource::new(api::users::list_teams);
    let teams = Signal::derive(move || teams.get().and_then(Result::ok).unwrap_or_default());
    let agents = LocalResource::new(|| async {
        let query = UserQuery {
            role: Some(Role::Agent),
            page: 1,
            per_page: pingjia_domain::users::MAX_PER_PAGE,
            ..UserQuery::default()
        };
        api::users::list_users(&query).await
    });
    let agents = Signal::derive(move || {
        agents
            .get()
            .and_then(Result::ok)
            .map(|page| {
                page.users
                    .into_iter()
                    .map(|u| {
                        let label =
                            format!("{} {}", u.display_name, u.employee_no.unwrap_or_default());
                        (u.id, label)
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, config.records_title)) />
        <h1>{t!(i18n, config.records_title)}</h1>
        <p class="lead">{t!(i18n, config.records_intro)}</p>
        <ImportPanel catalog on_imported=Callback::new(move |()| imported.update(|n| *n += 1)) />
        <section aria-labelledby="records-list-heading" class="config-section">
            <h2 id="records-list-heading">{t!(i18n, config.records_list_heading)}</h2>
            <Filters query catalog teams agents />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match records.await {
                        Ok(page) => Either::Left(view! { <RecordList page catalog /> }),
                        Err(error) => {
                            Either::Right(
                                view! {
                                    <ErrorPanel error on_retry=Callback::new(move |()| records.refetch()) />
                                },
                            )
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The filters; the address holds them.
#[component]
fn Filters(
    /// The filters in the address.
    query: Memo<RecordQuery>,
    /// The service types to filter by.
    catalog: Signal<Option<Catalog>>,
    /// The teams to filter by.
    teams: Signal<Vec<Team>>,
    /// The agents to filter by: id and label.
    agents: Signal<Vec<(i64, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let value = |name: &str| data.get(name).as_string().unwrap_or_default();
        let wanted = RecordQuery {
            from: value("from").parse().ok(),
            to: value("to").parse().ok(),
            agent_id: value("agent_id").parse().ok(),
            team_id: value("team_id").parse().ok(),
            service_type: Some(value("service_type")).filter(|c| !c.is_empty()),
            channel: Channel::parse(&value("channel")),
            rated: value("rated").parse().ok(),
            page: 1,
        };
        navigate(&records_href(&wanted), Default::default());
    };
    let filtered = move || query.with(|q| !query::to_query(q).is_empty());
    let all = move || t_string!(i18n, config.all);
    view! {
        <form class="filters records-filters" role="search" on:submit=on_submit>
            <DateRange id="records" from_label=|l| td_string!(l, config.period_from) to_label=|l| td_string!(l, config.period_to) from=Signal::derive(move || query.with(|q| q.from)) to=Signal::derive(move || query.with(|q| q.to)) />
            <div class="field">
                <label for="records-agent">{t!(i18n, config.agent)}</label>
                <select id="records-agent" name="agent_id">
                    <option value="" prop:selected=move || query.with(|q| q.agent_id.is_none())>{all}</option>
                    {move || {
                        agents
                            .get()
                            .into_iter()
                            .map(|(id, label)| {
                                view! {
                                    <option value=id.to_string() prop:selected=move || query.with(|q| q.agent_id == Some(id))>
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="records-team">{t!(i18n, config.team)}</label>
                <select id="records-team" name="team_id">
                    <option value="" prop:selected=move || query.with(|q| q.team_id.is_none())>{all}</option>
                    {move || {
                        teams
                            .get()
                            .into_iter()
                            .map(|team| {
                                let id = team.id;
                                view! {
                                    <option value=id.to_string() prop:selected=move || query.with(|q| q.team_id == Some(id))>
                                        {team.name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="records-type">{t!(i18n, config.service_type)}</label>
                <select id="records-type" name="service_type">
                    <option value="" prop:selected=move || query.with(|q| q.service_type.is_none())>{all}</option>
                    {move || {
                        let locale = i18n.get_locale();
                        catalog
                            .get()
                            .map(|c| c.service_types)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|t| {
                                let code = t.code.clone();
                                let name = localized(locale, &t.name_zh, &t.name_en).to_owned();
                                view! {
                                    <option
                                        value=t.code
                                        prop:selected=move || query.with(|q| q.service_type.as_deref() == Some(code.as_str()))
                                    >
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="records-channel">{t!(i18n, config.channel)}</label>
                <select id="records-channel" name="channel">
                    <option value="" prop:selected=move || query.with(|q| q.channel.is_none())>{all}</option>
                    {Channel::ALL
                        .into_iter()
                        .map(|channel| {
                            view! {
                                <option value=channel.as_str() prop:selected=move || query.with(|q| q.channel == Some(channel))>
                                    {move || channel_name(i18n.get_locale(), channel)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="records-rated">{t!(i18n, config.rated)}</label>
                <select id="records-rated" name="rated">
                    <option value="" prop:selected=move || query.with(|q| q.rated.is_none())>{all}</option>
                    <option value="true" prop:selected=move || query.with(|q| q.rated == Some(true))>
                        {t!(i18n, config.rated_yes)}
                    </option>
                    <option value="false" prop:selected=move || query.with(|q| q.rated == Some(false))>
                        {t!(i18n, config.rated_no)}
                    </option>
                </select>
            </div>
            <FilterActions apply=|l| td_string!(l, config.apply_filters) clear=|l| td_string!(l, config.clear_filters) clear_href=RECORDS_PATH.to_owned() filtered=Signal::derive(filtered) />
        </form>
    }
}

/// One page of records with the paging.
#[component]
fn RecordList(
    /// The page as loaded.
    page: RecordPage,
    /// The service types' names.
    catalog: Signal<Option<Catalog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = params.with_untracked(query_from_params);
    let total = page.total;
    let per_page = u64::from(page.per_page.max(1));
    let pages = total.div_ceil(per_page).max(1);
    let current = u64::from(page.page);
    let first = (current - 1) * per_page + 1;
    let last = (first + page.records.len() as u64).saturating_sub(1);
    if page.records.is_empty() {
        return Either::Left(
            view! { <p class="notice notice-empty">{t!(i18n, config.no_records)}</p> },
        );
    }
    let href_of = move |page: u64| {
        let mut query = query.clone();
        query.page = u32::try_from(page).unwrap_or(1);
        records_href(&query)
    };
    let previous = (current > 1).then(|| href_of(current - 1));
    let next = (current < pages).then(|| href_of(current + 1));
    Either::Right(view! {
        <p class="list-count">{t!(i18n, config.records_count, total = move || total, first, last)}</p>
        <table class="data-table" role="table">
            <caption class="visually-hidden">{t!(i18n, config.records_list_heading)}</caption>
            <thead role="rowgroup">
                <tr role="row">
                    <th role="columnheader" scope="col">{t!(i18n, config.external_id)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.time)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.customer)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.agent)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.service_type)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.channel)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.urgency)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.category)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.rated)}</th>
                </tr>
            </thead>
            <tbody role="rowgroup">
                {page.records.into_iter().map(|record| view! { <RecordRow record catalog /> }).collect_view()}
            </tbody>
        </table>
        <Pager previous next page={current} pages={pages} />
    })
}

/// One record.
#[component]
fn RecordRow(
    /// The record.
    record: ServiceRecord,
    /// The service types' names.
    catalog: Signal<Option<Catalog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ServiceRecord {
        external_id,
        started_at,
        ended_at,
        customer_no,
        customer_type,
        customer_phone,
        agent_no,
        agent_name,
        team_name,
        service_type,
        service_type_name_zh,
        service_type_name_en,
        channel,
        urgency,
        category,
        tags,
        rated,
        ..
    } = record;
    let label = move |f: fn(Locale) -> &'static str| move || f(i18n.get_locale());
    let period = format!(
        "{} – {}",
        local_time(started_at),
        local_time(ended_at).get(11..).unwrap_or_default()
    );
    let type_label = {
        let zh = service_type_name_zh.clone();
        let en = service_type_name_en.clone();
        move || {
            let locale = i18n.get_locale();
            let name = localized(locale, &zh, &en);
            if name.is_empty() {
                type_name(&catalog.get(), locale, &service_type)
            } else {
                name.to_owned()
            }
        }
    };
    let tags = (!tags.is_empty()).then(|| format!(" · {}", tags.join(", ")));
    view! {
        <tr role="row">
            <th role="rowheader" scope="row" data-label=label(|l| td_string!(l, config.external_id))>
                <span class="mono">{external_id}</span>
            </th>
            <td role="cell" data-label=label(|l| td_string!(l, config.time))>{period}</td>
            <td role="cell" data-label=label(|l| td_string!(l, config.customer))>
                <span class="identifiers">
                    <span class="mono">{customer_no}</span>
                    {customer_phone.map(|p| view! { <span class="mono muted">{p}</span> })}
                    {customer_type.map(|kind| view! { <span class="muted">{move || customer_type_name(i18n.get_locale(), kind)}</span> })}
                </span>
            </td>
            <td role="cell" data-label=label(|l| td_string!(l, config.agent))>
                <span class="identifiers">
                    <span>{agent_name} " " <span class="mono muted">{agent_no}</span></span>
                    {team_name.map(|t| view! { <span class="muted">{t}</span> })}
                </span>
            </td>
            <td role="cell" data-label=label(|l| td_string!(l, config.service_type))>{type_label}</td>
            <td role="cell" data-label=label(|l| td_string!(l, config.channel))>
                {move || channel_name(i18n.get_locale(), channel)}
            </td>
            <td role="cell" data-label=label(|l| td_string!(l, config.urgency))>
                <span class="badge" class:badge-warn=urgency == Urgency::High class:badge-off=urgency == Urgency::Low>
                    {move || urgency_name(i18n.get_locale(), urgency)}
                </span>
            </td>
            <td role="cell" data-label=label(|l| td_string!(l, config.category))>
                {move || category_name(i18n.get_locale(), category)}
                {tags.map(|t| view! { <span class="muted">{t}</span> })}
            </td>
            <td role="cell" data-label=label(|l| td_string!(l, config.rated))>
                {move || if rated { t_string!(i18n, config.rated_yes) } else { t_string!(i18n, config.rated_no) }}
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_address_round_trips_the_filters() {
        let query = RecordQuery {
            from: NaiveDate::from_ymd_opt(2026, 11, 1),
            to: NaiveDate::from_ymd_opt(2026, 11, 30),
            agent_id: Some(7),
            service_type: Some("phone_follow_up".into()),
            rated: Some(true),
            page: 3,
            ..RecordQuery::default()
        };
        let href = records_href(&query);
        assert_eq!(
            href,
            "/admin/records?from=2026-11-01&to=2026-11-30&agent_id=7&service_type=phone_follow_up&rated=true&page=3"
        );
        let mut params = ParamsMap::new();
        for pair in href.split_once('?').unwrap().1.split('&') {
            let (k, v) = pair.split_once('=').unwrap();
            params.insert(k.to_owned(), v.to_owned());
        }
        assert_eq!(query_from_params(&params), query);
        assert_eq!(
            records_href(&RecordQuery {
                page: 1,
                ..RecordQuery::default()
            }),
            RECORDS_PATH
        );
    }
}
