//! The service records list with its filters and paging, and the CSV import with its dry run
//! (`/admin/records`).

use chrono::NaiveDate;
use leptos::either::{Either, EitherOf3};
use leptos::ev::{Event, SubmitEvent};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::FieldError;
use pingjia_domain::records::{
    RECORD_COLUMNS, RecordImportReport, RecordPage, RecordPreview, RowOutcome, ServiceRecord,
};
use pingjia_domain::users::Team;
use pingjia_domain::wire::{Catalog, Category, Channel, Role, Urgency};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::localized;
use crate::api::admin_config::RecordQuery;
use crate::api::users::{UserQuery, query_string};
use crate::api::{self, ApiError};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::form::config::config_error_text;
use crate::components::import_report::report_lines;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::components::pager::Pager;
use crate::format::local_time;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::customer_type_name;

/// Where the list lives.
pub const RECORDS_PATH: &str = "/admin/records";
/// Where the import template is served (`public/`).
pub const TEMPLATE_PATH: &str = "/templates/service-records-import.csv";

/// The filters and page of the list as the address carries them.
pub fn query_from_params(params: &ParamsMap) -> RecordQuery {
    let date = |key: &str| params.get(key).and_then(|d| d.parse::<NaiveDate>().ok());
    RecordQuery {
        from: date("from"),
        to: date("to"),
        agent_id: params.get("agent_id").and_then(|a| a.parse().ok()),
        team_id: params.get("team_id").and_then(|t| t.parse().ok()),
        service_type: params.get("service_type").filter(|c| !c.is_empty()),
        channel: params.get("channel").and_then(|c| Channel::parse(&c)),
        rated: params.get("rated").and_then(|r| r.parse().ok()),
        page: params
            .get("page")
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1),
    }
}

/// The address of the list with these filters and page (the first page left out).
pub fn records_href(query: &RecordQuery) -> String {
    let mut pairs = query.filter_pairs();
    if query.page > 1 {
        pairs.push(("page", query.page.to_string()));
    }
    if pairs.is_empty() {
        RECORDS_PATH.to_owned()
    } else {
        format!("{RECORDS_PATH}?{}", query_string(&pairs))
    }
}

/// An urgency's name.
fn urgency_name(locale: Locale, urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::High => td_string!(locale, config.urgency_high),
        Urgency::Normal => td_string!(locale, config.urgency_normal),
        Urgency::Low => td_string!(locale, config.urgency_low),
    }
}

/// A category's name.
fn category_name(locale: Locale, category: Category) -> &'static str {
    match category {
        Category::Consultation => td_string!(locale, config.category_consultation),
        Category::Complaint => td_string!(locale, config.category_complaint),
        Category::Suggestion => td_string!(locale, config.category_suggestion),
        Category::Praise => td_string!(locale, config.category_praise),
    }
}

/// A channel's name.
fn channel_name(locale: Locale, channel: Channel) -> &'static str {
    match channel {
        Channel::Online => td_string!(locale, config.channel_online),
        Channel::Offline => td_string!(locale, config.channel_offline),
    }
}

/// The name of an import column in the interface language.
fn column_name(locale: Locale, column: &str) -> String {
    match column {
        "external_id" => td_string!(locale, config.external_id),
        "customer" => td_string!(locale, config.customer),
        "agent" => td_string!(locale, config.agent),
        "service_type" => td_string!(locale, config.service_type),
        "channel" => td_string!(locale, config.channel),
        "started_at" => td_string!(locale, config.started_at),
        "ended_at" => td_string!(locale, config.ended_at),
        "urgency" => td_string!(locale, config.urgency),
        "category" => td_string!(locale, config.category),
        "requested_at" => td_string!(locale, config.requested_at),
        other => return other.to_owned(),
    }
    .to_owned()
}

/// The service type's name from the catalogue, or its code.
fn type_name(catalog: &Option<Catalog>, locale: Locale, code: &str) -> String {
    catalog
        .as_ref()
        .and_then(|c| c.service_types.iter().find(|t| t.code == code))
        .map_or(code.to_owned(), |t| {
            localized(locale, &t.name_zh, &t.name_en).to_owned()
        })
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
    let filtered = move || query.with(|q| !q.filter_pairs().is_empty());
    let all = move || t_string!(i18n, config.all);
    view! {
        <form class="filters records-filters" role="search" on:submit=on_submit>
            <div class="field">
                <label for="records-from">{t!(i18n, config.period_from)}</label>
                <input
                    id="records-from"
                    name="from"
                    type="date"
                    prop:value=move || query.with(|q| q.from.map(|d| d.to_string()).unwrap_or_default())
                />
            </div>
            <div class="field">
                <label for="records-to">{t!(i18n, config.period_to)}</label>
                <input
                    id="records-to"
                    name="to"
                    type="date"
                    prop:value=move || query.with(|q| q.to.map(|d| d.to_string()).unwrap_or_default())
                />
            </div>
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
            <div class="filter-actions">
                <button type="submit" class="button">{t!(i18n, config.apply_filters)}</button>
                {move || {
                    filtered()
                        .then(|| {
                            view! {
                                <A href=RECORDS_PATH attr:class="button button-secondary">
                                    {t!(i18n, config.clear_filters)}
                                </A>
                            }
                        })
                }}
            </div>
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

/// A file the admin chose, as bytes.
#[derive(Debug, Clone, PartialEq)]
struct Chosen {
    name: String,
    bytes: Vec<u8>,
}

/// Reads a chosen file's bytes.
async fn read_bytes(file: web_sys::File) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The import: the template, the file, its dry run's report, and the import itself.
#[component]
fn ImportPanel(
    /// The service types' names, for the preview.
    catalog: Signal<Option<Catalog>>,
    /// Called after records were imported, to reload the list.
    on_imported: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<Chosen>);
    let unreadable = RwSignal::new(false);
    let checked = RwSignal::new(None::<Result<RecordImportReport, ApiError>>);
    let result = RwSignal::new(None::<Result<RecordImportReport, ApiError>>);
    let check = Action::new_local(move |bytes: &Vec<u8>| {
        let bytes = bytes.clone();
        async move {
            checked.set(Some(api::admin_config::import_records(bytes, true).await));
        }
    });
    let import = Action::new_local(move |bytes: &Vec<u8>| {
        let bytes = bytes.clone();
        async move {
            let answer = api::admin_config::import_records(bytes, false).await;
            if answer.is_ok() {
                on_imported.run(());
                checked.set(None);
            }
            result.set(Some(answer));
        }
    });
    let on_change = move |ev: Event| {
        checked.set(None);
        result.set(None);
        unreadable.set(false);
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            chosen.set(None);
            return;
        };
        let name = file.name();
        leptos::task::spawn_local(async move {
            match read_bytes(file).await {
                Some(bytes) => {
                    chosen.set(Some(Chosen {
                        name,
                        bytes: bytes.clone(),
                    }));
                    check.dispatch_local(bytes);
                }
                None => {
                    chosen.set(None);
                    unreadable.set(true);
                }
            }
        });
    };
    let importable = move || {
        checked
            .with(|c| matches!(c, Some(Ok(report)) if report.errors.is_empty() && report.new > 0))
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if import.pending().get_untracked() || !importable() {
            return;
        }
        if let Some(file) = chosen.get_untracked() {
            result.set(None);
            import.dispatch_local(file.bytes);
        }
    };
    view! {
        <section class="panel config-section" aria-labelledby="records-import-heading">
            <h2 id="records-import-heading">{t!(i18n, config.import_heading)}</h2>
            <p>{t!(i18n, config.import_intro)}</p>
            <p><code class="columns">{RECORD_COLUMNS.join(",")}</code></p>
            <ul class="plain-list">
                <li>{t!(i18n, config.import_format_people)}</li>
                <li>{t!(i18n, config.import_format_times)}</li>
                <li>{t!(i18n, config.import_format_lists)}</li>
            </ul>
            <p>
                <a href=TEMPLATE_PATH download="pingjia-service-records-template.csv" class="button button-secondary">
                    {t!(i18n, config.import_template)}
                </a>
            </p>
            <form id="records-import-form" class="form" novalidate on:submit=on_submit>
                <div class="field" class:field-invalid=move || unreadable.get()>
                    <label for="records-file">{t!(i18n, config.import_file)}</label>
                    <p id="records-file-hint" class="field-hint">{t!(i18n, config.import_file_hint)}</p>
                    <input
                        id="records-file"
                        name="file"
                        type="file"
                        accept=".csv,text/csv"
                        aria-describedby=move || if unreadable.get() { "records-file-hint records-file-error" } else { "records-file-hint" }
                        aria-invalid=move || unreadable.get().then_some("true")
                        on:change=on_change
                    />
                    {move || unreadable.get().then(|| view! { <p id="records-file-error" class="field-error">{t!(i18n, import.unreadable)}</p> })}
                </div>
                <div role="status">
                    {move || check.pending().get().then(|| view! { <p class="status">{t!(i18n, config.import_checking)}</p> })}
                    {move || {
                        checked.get().map(|answer| match answer {
                            Ok(report) => EitherOf3::A(view! { <CheckSummary report=report.clone() /> }),
                            Err(ApiError::Validation(problem)) => EitherOf3::B(view! {
                                <div class="notice notice-error">
                                    <p class="notice-title">{t!(i18n, config.import_unreadable_file)}</p>
                                    {problem.detail.map(|d| view! { <p>{d}</p> })}
                                </div>
                            }),
                            Err(error) => EitherOf3::C(view! { <p class="notice notice-error">{error_message(i18n, &error)}</p> }),
                        })
                    }}
                </div>
                {move || {
                    checked.get().and_then(Result::ok).map(|report| {
                        if report.errors.is_empty() {
                            Either::Left(view! { <Preview rows=report.preview catalog /> })
                        } else {
                            Either::Right(view! { <ImportErrors errors=report.errors /> })
                        }
                    })
                }}
                {move || {
                    checked.get().and_then(Result::err).and_then(|e| e.problem().cloned()).filter(|p| !p.errors.is_empty()).map(|p| view! { <ImportErrors errors=p.errors /> })
                }}
                {move || {
                    importable().then(|| view! {
                        <div class="form-actions">
                            <button type="submit" class="button" aria-disabled=move || import.pending().get().then_some("true")>
                                {move || if import.pending().get() { t_string!(i18n, config.importing) } else { t_string!(i18n, config.import_button) }}
                            </button>
                        </div>
                    })
                }}
            </form>
            <div class="import-outcome" role="status">
                {move || {
                    result.get().map(|answer| match answer {
                        Ok(report) => {
                            let count = report.imported;
                            let unchanged = report.unchanged;
                            Either::Left(view! {
                                <div class="notice notice-success">
                                    <p class="notice-title">{t!(i18n, config.import_done, count = move || count, unchanged = move || unchanged)}</p>
                                </div>
                            })
                        }
                        Err(error) => Either::Right(view! {
                            <div class="notice notice-error">
                                <p class="notice-title">{t!(i18n, config.import_refused)}</p>
                                <p>{error_message(i18n, &error)}</p>
                            </div>
                        }),
                    })
                }}
            </div>
            {move || {
                result.get().and_then(Result::err).and_then(|e| e.problem().cloned()).filter(|p| !p.errors.is_empty()).map(|p| view! { <ImportErrors errors=p.errors /> })
            }}
        </section>
    }
}

/// What the dry run found: rows, new and existing, the conversion, the problems.
#[component]
fn CheckSummary(
    /// The dry run's report.
    report: RecordImportReport,
) -> impl IntoView {
    let i18n = use_i18n();
    let RecordImportReport {
        converted_from,
        rows,
        new,
        unchanged,
        errors,
        ..
    } = report;
    let mut bad: Vec<u64> = report_lines(&errors).iter().filter_map(|l| l.row).collect();
    bad.sort_unstable();
    bad.dedup();
    let bad = bad.len();
    let failed = !errors.is_empty();
    view! {
        <div class="notice" class:notice-error=failed class:notice-success=!failed>
            <p class="notice-title">
                {if failed {
                    t!(i18n, config.import_check_failed, rows = bad).into_any()
                } else {
                    t!(i18n, config.import_check_ok, rows = move || rows, new = move || new, unchanged = move || unchanged).into_any()
                }}
            </p>
            {failed.then(|| view! { <p>{t!(i18n, config.import_nothing_written)}</p> })}
            {converted_from.map(|encoding| view! { <p>{t!(i18n, config.import_converted, encoding)}</p> })}
        </div>
    }
}

/// The first valid rows of the file, as read.
#[component]
fn Preview(
    /// The rows.
    rows: Vec<RecordPreview>,
    /// The service types' names.
    catalog: Signal<Option<Catalog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="data-table preview-table" role="table">
            <caption>{t!(i18n, config.import_preview)}</caption>
            <thead role="rowgroup">
                <tr role="row">
                    <th role="columnheader" scope="col">{t!(i18n, import.row)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.external_id)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.time)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.customer)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.agent)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.service_type)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, config.import_outcome)}</th>
                </tr>
            </thead>
            <tbody role="rowgroup">
                {rows
                    .into_iter()
                    .map(|row| {
                        let code = row.service_type.clone();
                        let label = move |f: fn(Locale) -> &'static str| move || f(i18n.get_locale());
                        view! {
                            <tr role="row">
                                <td role="cell" data-label=label(|l| td_string!(l, import.row))>{row.line}</td>
                                <th role="rowheader" scope="row" data-label=label(|l| td_string!(l, config.external_id))>
                                    <span class="mono">{row.external_id}</span>
                                </th>
                                <td role="cell" data-label=label(|l| td_string!(l, config.time))>{local_time(row.started_at)}</td>
                                <td role="cell" data-label=label(|l| td_string!(l, config.customer))><span class="mono">{row.customer_no}</span></td>
                                <td role="cell" data-label=label(|l| td_string!(l, config.agent))><span class="mono">{row.agent_no}</span></td>
                                <td role="cell" data-label=label(|l| td_string!(l, config.service_type))>
                                    {move || type_name(&catalog.get(), i18n.get_locale(), &code)}
                                </td>
                                <td role="cell" data-label=label(|l| td_string!(l, config.import_outcome))>
                                    {move || match row.outcome {
                                        RowOutcome::New => t_string!(i18n, config.outcome_new),
                                        RowOutcome::Unchanged => t_string!(i18n, config.outcome_unchanged),
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// Every problem of the file, by row and column.
#[component]
fn ImportErrors(
    /// The problems.
    errors: Vec<FieldError>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="data-table report-table" role="table">
            <caption>{t!(i18n, import.report_caption)}</caption>
            <thead role="rowgroup">
                <tr role="row">
                    <th role="columnheader" scope="col">{t!(i18n, import.row)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, import.column)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, import.problem)}</th>
                </tr>
            </thead>
            <tbody role="rowgroup">
                {report_lines(&errors)
                    .into_iter()
                    .map(|line| {
                        let row = line.row;
                        let column = line.column.clone();
                        let error = line.error;
                        view! {
                            <tr role="row">
                                <td role="cell" data-label=move || t_string!(i18n, import.row)>
                                    {move || row.map_or_else(|| t_string!(i18n, import.header).to_owned(), |r| r.to_string())}
                                </td>
                                <td role="cell" data-label=move || t_string!(i18n, import.column)>
                                    {move || column.as_deref().map(|c| column_name(i18n.get_locale(), c)).unwrap_or_default()}
                                </td>
                                <td role="cell" data-label=move || t_string!(i18n, import.problem)>
                                    {config_error_text(i18n, &error)}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
