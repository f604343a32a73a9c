//! The service records list with its filters and paging, and the CSV import with its dry run
//! (`/admin/records`); each record's invitation state, and sending invitations by hand.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::invitations::InvitationState;
use pingjia_domain::records::{RecordPage, ServiceRecord};
use pingjia_domain::users::Team;
use pingjia_domain::wire::{Catalog, Channel, Urgency};

use super::localized;
use crate::api::admin_config::RecordQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self};
use crate::components::data_table::{Column, DataTable, Loaded, PagedList, Paging};
use crate::components::filters::{
    DateRange, FilterActions, SelectFilter, agent_choices, submitted_values,
};
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels::{customer_type_name, lang, team_label, team_name};

mod import;
mod labels;
pub mod sending;
use import::ImportPanel;
pub use labels::TEMPLATE_PATH;
use labels::{category_name, channel_name, type_name, urgency_name};
use sending::{SendConfirm, SendOutcome, SendSelection, Sending, row_button, state_class};

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
    paged_href(RECORDS_PATH, query, query::Paging::after_first(query.page))
}

/// The records page: import panel, filters, one page of records, paging.
#[component]
pub fn AdminRecords() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let imported = RwSignal::new(0u32);
    let sending = Sending::create();
    let records = LocalResource::new(move || {
        let query = query.get();
        imported.track();
        sending.sent.track();
        async move { api::admin_config::list_records(&query).await }
    });
    let catalog = LocalResource::new(api::catalog);
    let catalog = Signal::derive(move || catalog.get().and_then(Result::ok));
    let teams = LocalResource::new(api::users::list_teams);
    let teams = Signal::derive(move || teams.get().and_then(Result::ok).unwrap_or_default());
    let agents = agent_choices();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, config.records_title)) />
        <h1>{t!(i18n, config.records_title)}</h1>
        <p class="lead">{t!(i18n, config.records_intro)}</p>
        <ImportPanel catalog on_imported=Callback::new(move |()| imported.update(|n| *n += 1)) />
        <section aria-labelledby="records-list-heading" class="config-section">
            <h2 id="records-list-heading">{t!(i18n, config.records_list_heading)}</h2>
            <Filters query catalog teams agents />
            <SendOutcome sending />
            <Loaded resource=records view=move |page| view! { <RecordList page catalog sending /> } />
        </section>
        <SendConfirm sending query />
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
        let Some(value) = submitted_values(&ev) else {
            return;
        };
        let wanted = RecordQuery {
            from: value("from").parse().ok(),
            to: value("to").parse().ok(),
            agent_id: value("agent_id").parse().ok(),
            team_id: value("team_id").parse().ok(),
            service_type: Some(value("service_type")).filter(|c| !c.is_empty()),
            channel: Channel::parse(&value("channel")),
            rated: value("rated").parse().ok(),
            invitation: InvitationState::parse(&value("invitation")),
            page: 1,
        };
        navigate(&records_href(&wanted), Default::default());
    };
    let filtered = move || query.with(|q| !query::to_query(q).is_empty());
    view! {
        <form class="filters records-filters" role="search" on:submit=on_submit>
            <DateRange id="records" from_label=|l| td_string!(l, config.period_from) to_label=|l| td_string!(l, config.period_to) from=Signal::derive(move || query.with(|q| q.from)) to=Signal::derive(move || query.with(|q| q.to)) />
            <SelectFilter
                id="records-agent"
                name="agent_id"
                label=|l| td_string!(l, config.agent)
                all=|l| td_string!(l, config.all)
                options=Signal::derive(move || agents.get().into_iter().map(|(id, label)| (id.to_string(), label)).collect())
                selected=Signal::derive(move || query.with(|q| q.agent_id.map(|a| a.to_string()).unwrap_or_default()))
            />
            <SelectFilter
                id="records-team"
                name="team_id"
                label=|l| td_string!(l, config.team)
                all=|l| td_string!(l, config.all)
                options=Signal::derive(move || teams.get().into_iter().map(|t| (t.id.to_string(), team_label(i18n.get_locale(), &t))).collect())
                selected=Signal::derive(move || query.with(|q| q.team_id.map(|t| t.to_string()).unwrap_or_default()))
            />
            <SelectFilter
                id="records-type"
                name="service_type"
                label=|l| td_string!(l, config.service_type)
                all=|l| td_string!(l, config.all)
                options=Signal::derive(move || {
                    let locale = i18n.get_locale();
                    catalog
                        .get()
                        .map(|c| c.service_types)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|t| {
                            let name = localized(locale, &t.name_zh, &t.name_en).to_owned();
                            (t.code, name)
                        })
                        .collect()
                })
                selected=Signal::derive(move || query.with(|q| q.service_type.clone().unwrap_or_default()))
            />
            <SelectFilter
                id="records-channel"
                name="channel"
                label=|l| td_string!(l, config.channel)
                all=|l| td_string!(l, config.all)
                options=Signal::derive(move || {
                    let locale = i18n.get_locale();
                    Channel::ALL.map(|c| (c.as_str().to_owned(), channel_name(locale, c).to_owned())).to_vec()
                })
                selected=Signal::derive(move || query.with(|q| q.channel.map(|c| c.as_str().to_owned()).unwrap_or_default()))
            />
            <SelectFilter
                id="records-rated"
                name="rated"
                label=|l| td_string!(l, config.rated)
                all=|l| td_string!(l, config.all)
                options=Signal::derive(move || {
                    vec![
                        ("true".to_owned(), t_string!(i18n, config.rated_yes).to_owned()),
                        ("false".to_owned(), t_string!(i18n, config.rated_no).to_owned()),
                    ]
                })
                selected=Signal::derive(move || query.with(|q| q.rated.map(|r| r.to_string()).unwrap_or_default()))
            />
            <SelectFilter
                id="records-invitation"
                name="invitation"
                label=|l| td_string!(l, invitations.state)
                all=|l| td_string!(l, config.all)
                options=Signal::derive(move || {
                    let lang = lang(i18n.get_locale());
                    InvitationState::ALL.map(|s| (s.as_str().to_owned(), s.label(lang).to_owned())).to_vec()
                })
                selected=Signal::derive(move || query.with(|q| q.invitation.map(|s| s.as_str().to_owned()).unwrap_or_default()))
            />
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
    /// Sending invitations by hand.
    sending: Sending,
) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = params.with_untracked(query_from_params);
    let paging = Paging::new(page.page, page.per_page, page.total, page.records.len());
    let Paging {
        total, first, last, ..
    } = paging;
    let href = move |page: u64| {
        let mut query = query.clone();
        query.page = u32::try_from(page).unwrap_or(1);
        records_href(&query)
    };
    view! {
        <SendSelection total sending />
        <PagedList
            paging
            href
            count=t!(i18n, config.records_count, total = move || total, first, last).into_any()
            empty=t!(i18n, config.no_records).into_any()
        >
            <DataTable
                class="data-table"
                caption=|l| td_string!(l, config.records_list_heading)
                roles=true
                columns=record_columns(catalog, sending)
                rows=page.records
            />
        </PagedList>
    }
}

/// The columns of the record list.
fn record_columns(
    catalog: Signal<Option<Catalog>>,
    sending: Sending,
) -> Vec<Column<ServiceRecord>> {
    let i18n = use_i18n();
    vec![
        Column::new(
            |l| td_string!(l, config.external_id),
            |r: &ServiceRecord| {
                view! { <span class="mono">{r.external_id.clone()}</span> }
            },
        )
        .row_header(None),
        Column::new(
            |l| td_string!(l, config.time),
            |r: &ServiceRecord| {
                format!(
                    "{} – {}",
                    local_time(r.started_at),
                    local_time(r.ended_at).get(11..).unwrap_or_default()
                )
            },
        ),
        Column::new(
            |l| td_string!(l, config.customer),
            move |r: &ServiceRecord| {
                let phone = r.customer_phone.clone();
                let kind = r.customer_type;
                view! {
                    <span class="identifiers">
                        <span class="mono">{r.customer_no.clone()}</span>
                        {phone.map(|p| view! { <span class="mono muted">{p}</span> })}
                        {kind.map(|kind| view! { <span class="muted">{move || customer_type_name(i18n.get_locale(), kind)}</span> })}
                    </span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, config.agent),
            |r: &ServiceRecord| {
                let team = r.team_name.clone();
                let team_en = r.team_name_en.clone();
                let i18n = use_i18n();
                view! {
                    <span class="identifiers">
                        <span>{r.agent_name.clone()} " " <span class="mono muted">{r.agent_no.clone()}</span></span>
                        {team.map(|zh| view! {
                            <span class="muted">{move || team_name(i18n.get_locale(), &zh, team_en.as_deref())}</span>
                        })}
                    </span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, config.service_type),
            move |r: &ServiceRecord| {
                let zh = r.service_type_name_zh.clone();
                let en = r.service_type_name_en.clone();
                let code = r.service_type.clone();
                move || {
                    let locale = i18n.get_locale();
                    let name = localized(locale, &zh, &en);
                    if name.is_empty() {
                        type_name(&catalog.get(), locale, &code)
                    } else {
                        name.to_owned()
                    }
                }
            },
        ),
        Column::new(
            |l| td_string!(l, config.channel),
            move |r: &ServiceRecord| {
                let channel = r.channel;
                move || channel_name(i18n.get_locale(), channel)
            },
        ),
        Column::new(
            |l| td_string!(l, config.urgency),
            move |r: &ServiceRecord| {
                let urgency = r.urgency;
                view! {
                    <span class="badge" class:badge-warn=urgency == Urgency::High class:badge-off=urgency == Urgency::Low>
                        {move || urgency_name(i18n.get_locale(), urgency)}
                    </span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, config.category),
            move |r: &ServiceRecord| {
                let category = r.category;
                let tags = (!r.tags.is_empty()).then(|| format!(" · {}", r.tags.join(", ")));
                view! {
                    {move || category_name(i18n.get_locale(), category)}
                    {tags.map(|t| view! { <span class="muted">{t}</span> })}
                }
            },
        ),
        Column::new(
            |l| td_string!(l, config.rated),
            move |r: &ServiceRecord| {
                let rated = r.rated;
                move || {
                    if rated {
                        t_string!(i18n, config.rated_yes)
                    } else {
                        t_string!(i18n, config.rated_no)
                    }
                }
            },
        ),
        Column::new(
            |l| td_string!(l, invitations.state),
            move |r: &ServiceRecord| {
                let state = r.invitation_state;
                view! {
                    <span class=state_class(state)>{move || state.label(lang(i18n.get_locale()))}</span>
                }
            },
        ),
        Column::actions(
            |l| td_string!(l, invitations.actions),
            move |r: &ServiceRecord| row_button(sending, r),
        ),
    ]
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
            invitation: Some(InvitationState::Opened),
            page: 3,
            ..RecordQuery::default()
        };
        let href = records_href(&query);
        assert_eq!(
            href,
            "/admin/records?from=2026-11-01&to=2026-11-30&agent_id=7&service_type=phone_follow_up&rated=true&invitation=opened&page=3"
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
