//! The report of a week or month (`/admin/reports/:kind/:key?team=`,
//! `/lead/reports/:kind/:key`): a document with the summary of what improved and what got
//! worse, the KPI cards, the core KPI trend, the complaints by tag, the frequent problems, the
//! agent ranking, the open appeals and the overdue improvement plans; each table downloads as
//! CSV. The address is the source of truth: the kind, period and scope switches and the
//! previous and next links navigate. Printed (A4), the page drops its controls and the charts
//! print as images.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use pingjia_domain::analytics::Period;
use pingjia_domain::reports::{Direction, Report, ReportKind, ReportTable};
use pingjia_domain::users::Team;

use super::{ReportArea, change_sentence, kind_name, org_today, period_name, report_title};
use crate::api::{self, DEFAULT_API_BASE};
use crate::charts::reports::{
    ComplaintLabels, TrendLabels, complaint_pie, complaints_are_empty, period_label, trend_chart,
    trend_is_empty,
};
use crate::charts::tag_name;
use crate::components::echart::{ChartOption, EChart};
use crate::components::error_panel::ErrorPanel;
use crate::components::kpi::KpiCards;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::components::response_funnel::ResponseFunnelView;
use crate::format::{local_time, percent_text, score_text};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::{lang, team_label, team_name as team_label_of};
use crate::locale::tr;

mod sections;
use sections::{AgentTable, AppealTable, PlanTable, ProblemTable};

mod cells;
use cells::{Empty, label_of};

/// What the address asks for: the kind and period (when the address names one) and the team.
#[derive(Debug, Clone, PartialEq)]
struct Wanted {
    kind: Option<ReportKind>,
    key: String,
    period: Option<Period>,
    team: Option<i64>,
}

/// The report page of an area.
#[component]
pub fn AnalysisReportPage(
    /// Whose report pages.
    area: ReportArea,
) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let wanted = Memo::new(move |_| {
        let kind = params.with(|p| p.get("kind").and_then(|k| ReportKind::parse(&k)));
        let key = params.with(|p| p.get("key")).unwrap_or_default();
        let period = kind.and_then(|k| k.parse_key(&key));
        let team = if area.picks_scope() {
            query.with(|q| q.get("team").and_then(|t| t.trim().parse().ok()))
        } else {
            None
        };
        Wanted {
            kind,
            key,
            period,
            team,
        }
    });
    let report = LocalResource::new(move || {
        let wanted = wanted.get();
        async move {
            match (wanted.kind, wanted.period) {
                (Some(kind), Some(_)) => api::reports::report(kind, &wanted.key, wanted.team)
                    .await
                    .map(Some),
                _ => Ok(None),
            }
        }
    });
    let teams = LocalResource::new(move || async move {
        if area.picks_scope() {
            api::users::list_teams().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let teams = Signal::derive(move || teams.get().unwrap_or_default());
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), reports.report_name)) />
        <div class="report-page">
            <p class="breadcrumb report-no-print">
                <A href=area.hub_path()>{tr(i18n, |l| td_string!(l, reports.back_to_hub))}</A>
            </p>
            {move || {
                let w = wanted.get();
                match (w.kind, w.period) {
                    (Some(kind), Some(period)) => Either::Left(view! {
                        <ReportToolbar area kind period team=w.team teams />
                    }),
                    _ => Either::Right(view! {
                        <h1>{tr(i18n, |l| td_string!(l, reports.report_name))}</h1>
                        <p class="notice notice-error" role="alert">
                            {tr(i18n, |l| td_string!(l, reports.bad_address))}
                        </p>
                    }),
                }
            }}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some(report)) => Either::Left(view! { <ReportView report area /> }),
                        Ok(None) => Either::Right(None),
                        Err(error) => Either::Right(Some(view! {
                            <ErrorPanel error on_retry=Callback::new(move |()| report.refetch()) />
                        })),
                    }
                })}
            </Transition>
        </div>
    }
}

/// The controls above a report: kind, scope (admins), previous and next period, print.
#[component]
fn ReportToolbar(
    area: ReportArea,
    kind: ReportKind,
    period: Period,
    team: Option<i64>,
    teams: Signal<Vec<Team>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let previous = kind.previous(period);
    let next = kind.next(period);
    let has_next = next.from <= org_today();
    let kind_links = ReportKind::ALL
        .into_iter()
        .map(|k| {
            // The other kind's period that holds this one's first day.
            let other = k.period_of(period.from);
            let href = area.report_href(k, &k.key(other), team);
            view! {
                <li>
                    <A href=href attr:aria-current=(k == kind).then_some("page")>
                        {move || kind_name(i18n.get_locale(), k)}
                    </A>
                </li>
            }
        })
        .collect_view();
    let scope = area.picks_scope().then(|| {
        let key = kind.key(period);
        let on_change = move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let team = value.parse::<i64>().ok();
            navigate(&area.report_href(kind, &key, team), Default::default());
        };
        let chosen = team.map(|t| t.to_string()).unwrap_or_default();
        view! {
            <div class="field report-scope">
                <label for="report-scope">{tr(i18n, |l| td_string!(l, reports.scope))}</label>
                <select id="report-scope" on:change=on_change>
                    <option value="" selected=team.is_none()>
                        {tr(i18n, |l| td_string!(l, reports.company))}
                    </option>
                    {move || {
                        teams
                            .get()
                            .into_iter()
                            .map(|t| {
                                let value = t.id.to_string();
                                let selected = value == chosen;
                                let name = team_label(i18n.get_locale(), &t);
                                view! { <option value=value selected=selected>{name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
        }
    });
    let previous_href = area.report_href(kind, &kind.key(previous), team);
    let next_href = area.report_href(kind, &kind.key(next), team);
    view! {
        <div class="report-toolbar report-no-print">
            <nav class="status-tabs" aria-label=move || td_string!(i18n.get_locale(), reports.kind)>
                <ul>{kind_links}</ul>
            </nav>
            {scope}
            <nav class="report-periods" aria-label=move || td_string!(i18n.get_locale(), reports.periods)>
                <A href=previous_href attr:class="button button-secondary" attr:rel="prev">
                    {move || td_string!(i18n.get_locale(), reports.previous_period, period = period_name(i18n.get_locale(), kind, previous))}
                </A>
                {has_next.then(|| view! {
                    <A href=next_href attr:class="button button-secondary" attr:rel="next">
                        {move || td_string!(i18n.get_locale(), reports.next_period, period = period_name(i18n.get_locale(), kind, next))}
                    </A>
                })}
            </nav>
            <button type="button" class="button" on:click=move |_| print_page()>
                {tr(i18n, |l| td_string!(l, reports.print))}
            </button>
        </div>
    }
}

/// Opens the browser's print dialog (where "save as PDF" is).
fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// The sections with a CSV table: their headings' ids and tables, in their order.
const SECTIONS: [(&str, ReportTable); 8] = [
    ("report-summary-title", ReportTable::Summary),
    ("report-trend-title", ReportTable::Trend),
    ("report-complaints-title", ReportTable::Complaints),
    ("report-problems-title", ReportTable::Problems),
    ("report-agents-title", ReportTable::Agents),
    ("report-appeals-title", ReportTable::Appeals),
    ("report-plans-title", ReportTable::Plans),
    ("report-response-title", ReportTable::Response),
];

/// One loaded report as a document.
#[component]
pub fn ReportView(
    /// The report.
    report: Report,
    /// Whose report pages (for the plans' links).
    area: ReportArea,
) -> impl IntoView {
    let i18n = use_i18n();
    let base = RwSignal::new(DEFAULT_API_BASE.to_owned());
    leptos::task::spawn_local(async move {
        let configured = api::api_base().await;
        base.try_set(configured);
    });
    let (kind, key, team) = (report.kind, report.key.clone(), report.team_id);
    let csv = StoredValue::new(move |table: ReportTable| {
        let key = key.clone();
        move || api::reports::csv_url(&base.get(), kind, &key, table, team)
    });
    let csv_link = move |table: ReportTable, heading_id: &'static str| {
        let href = csv.with_value(|csv| csv(table));
        let link_id = format!("{heading_id}-csv");
        view! {
            <a
                class="button button-secondary report-csv"
                id=link_id.clone()
                href=href
                download=""
                aria-labelledby=format!("{link_id} {heading_id}")
            >
                {tr(i18n, |l| td_string!(l, reports.csv))}
            </a>
        }
    };
    let period = report.period;
    let team_name = report.team_name.clone();
    let title = {
        let (team_name, team_name_en) = (team_name.clone(), report.team_name_en.clone());
        move || {
            let locale = i18n.get_locale();
            let team = team_name
                .as_deref()
                .map(|zh| team_label_of(locale, zh, team_name_en.as_deref()));
            report_title(locale, kind, period, team.as_deref())
        }
    };
    let status = {
        let (stored, closed, generated) = (report.stored, report.closed, report.generated_at);
        move || {
            let locale = i18n.get_locale();
            let made = if stored {
                td_string!(locale, reports.stored_at, time = local_time(generated))
            } else {
                td_string!(locale, reports.live_at, time = local_time(generated))
            };
            let open = (!closed).then(|| td_string!(locale, reports.not_closed));
            view! {
                <p class="report-status">{made}</p>
                {open.map(|text| view! { <p class="notice report-open">{text}</p> })}
            }
        }
    };
    let section_head = move |index: usize, name: fn(Locale) -> &'static str| {
        let (heading_id, table) = SECTIONS[index];
        view! {
            <div class="panel-head report-section-head">
                <h2 id=heading_id>{tr(i18n, name)}</h2>
                {csv_link(table, heading_id)}
            </div>
        }
    };
    let report = StoredValue::new(report);
    view! {
        <article class="report-doc" aria-labelledby="report-title">
            <header class="report-head">
                <h1 id="report-title">{title}</h1>
                <p class="muted">
                    {move || td_string!(i18n.get_locale(), reports.compared_with, period = report.with_value(|r| period_name(i18n.get_locale(), kind, r.previous_period)))}
                </p>
                {status}
            </header>

            <section class="panel report-section" id="report-summary" aria-labelledby="report-summary-title">
                {section_head(0, |l| td_string!(l, reports.summary_heading))}
                {report.with_value(|r| view! { <SummaryLists report=r.clone() /> })}
            </section>

            <section class="panel report-section report-keep" id="report-kpis" aria-labelledby="report-kpis-title">
                <div class="panel-head report-section-head">
                    <h2 id="report-kpis-title">{tr(i18n, |l| td_string!(l, reports.kpis_heading))}</h2>
                </div>
                {report.with_value(|r| view! { <KpiCards report=r.kpis.clone() options=Signal::stored(None) /> })}
            </section>

            <section class="panel report-section" id="report-response" aria-labelledby="report-response-title">
                {section_head(7, |l| td_string!(l, reports.response_heading))}
                {report.with_value(|r| view! { <ResponseSection report=r.clone() /> })}
            </section>

            <section class="panel report-section" id="report-trend" aria-labelledby="report-trend-title">
                {section_head(1, |l| td_string!(l, reports.trend_heading))}
                {report.with_value(|r| view! { <TrendSection report=r.clone() /> })}
            </section>

            <section class="panel report-section" id="report-complaints" aria-labelledby="report-complaints-title">
                {section_head(2, |l| td_string!(l, reports.complaints_heading))}
                {report.with_value(|r| view! { <ComplaintSection report=r.clone() /> })}
            </section>

            <section class="panel report-section" id="report-problems" aria-labelledby="report-problems-title">
                {section_head(3, |l| td_string!(l, reports.problems_heading))}
                {report.with_value(|r| view! { <ProblemTable report=r.clone() /> })}
            </section>

            <section class="panel report-section" id="report-agents" aria-labelledby="report-agents-title">
                {section_head(4, |l| td_string!(l, reports.agents_heading))}
                {report.with_value(|r| view! { <AgentTable report=r.clone() /> })}
            </section>

            <section class="panel report-section" id="report-appeals" aria-labelledby="report-appeals-title">
                {section_head(5, |l| td_string!(l, reports.appeals_heading))}
                {report.with_value(|r| view! { <AppealTable report=r.clone() /> })}
            </section>

            <section class="panel report-section" id="report-plans" aria-labelledby="report-plans-title">
                {section_head(6, |l| td_string!(l, reports.plans_heading))}
                {report.with_value(|r| view! { <PlanTable report=r.clone() area /> })}
            </section>
        </article>
    }
}

/// A localized text.
type Text = fn(Locale) -> &'static str;

/// The summary: what improved, what got worse, what changed otherwise, what held.
#[component]
fn SummaryLists(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    if report.summary.is_empty() {
        return Either::Left(view! { <Empty text=|l| td_string!(l, reports.summary_empty) /> });
    }
    let groups: [(Direction, Text, &str); 4] = [
        (
            Direction::Improved,
            |l| td_string!(l, reports.improved),
            "report-improved",
        ),
        (
            Direction::Worsened,
            |l| td_string!(l, reports.worsened),
            "report-worsened",
        ),
        (
            Direction::Changed,
            |l| td_string!(l, reports.changed),
            "report-changed",
        ),
        (
            Direction::Unchanged,
            |l| td_string!(l, reports.unchanged),
            "report-unchanged",
        ),
    ];
    let summary = StoredValue::new(report.summary);
    let lists = groups
        .into_iter()
        .filter(|(direction, _, _)| {
            summary.with_value(|s| s.iter().any(|c| c.direction == *direction))
        })
        .map(|(direction, name, class)| {
            let items = move || {
                let locale = i18n.get_locale();
                summary.with_value(|s| {
                    s.iter()
                        .filter(|c| c.direction == direction)
                        .map(|c| view! { <li>{change_sentence(locale, c)}</li> })
                        .collect_view()
                })
            };
            view! {
                <div class=format!("report-summary-group {class}")>
                    <h3>{tr(i18n, name)}</h3>
                    <ul>{items}</ul>
                </div>
            }
        })
        .collect_view();
    Either::Right(view! { <div class="report-summary">{lists}</div> })
}

/// A chart of the report with its printable image: once drawn, the chart's picture is kept
/// in an `<img>` that print shows instead of the canvas.
#[component]
fn ReportChart(
    /// The chart.
    option: Signal<ChartOption>,
    /// The chart's name (and the image's text alternative).
    label: Signal<String>,
) -> impl IntoView {
    let image = RwSignal::new(None::<String>);
    let on_image = Callback::new(move |url: String| {
        if image.with_untracked(|i| i.as_deref() != Some(url.as_str())) {
            image.set(Some(url));
        }
    });
    view! {
        <figure class="report-chart">
            <EChart option label on_image />
            {move || image.get().map(|src| view! {
                <img class="print-only report-chart-image" src=src alt=move || label.get() />
            })}
        </figure>
    }
}

/// The response funnel of the period against the previous one: a chart and its table.
#[component]
fn ResponseSection(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, period) = (report.kind, report.period);
    let subtitle = Signal::derive(move || period_name(i18n.get_locale(), kind, period));
    view! {
        <ResponseFunnelView
            funnel=report.response
            previous=report.response_previous
            subtitle
            chart=|option, label| view! { <ReportChart option label /> }.into_any()
        />
    }
}

/// The core KPIs over the last periods: a chart and its table.
#[component]
fn TrendSection(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    if trend_is_empty(&report.trend) {
        return Either::Left(view! { <Empty text=|l| td_string!(l, reports.trend_empty) /> });
    }
    let kind = report.kind;
    let trend = StoredValue::new(report.trend);
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        let labels = TrendLabels {
            title: td_string!(locale, reports.trend_title).to_owned(),
            subtitle: trend.with_value(|t| {
                td_string!(locale, reports.trend_subtitle, count = t.len().to_string())
            }),
            x_axis: kind_axis(locale, kind).to_owned(),
            score_axis: td_string!(locale, reports.score_axis).to_owned(),
            rate_axis: td_string!(locale, reports.rate_axis).to_owned(),
            average_total: td_string!(locale, analytics.kpi_average_total).to_owned(),
            attainment: td_string!(locale, analytics.kpi_attainment).to_owned(),
            on_time: td_string!(locale, analytics.kpi_on_time).to_owned(),
            first_contact: td_string!(locale, analytics.kpi_first_contact).to_owned(),
        };
        ChartOption::from(trend.with_value(|t| trend_chart(kind, t, &labels)))
    });
    let label =
        Signal::derive(move || td_string!(i18n.get_locale(), reports.trend_title).to_owned());
    let rows = move || {
        trend.with_value(|t| {
            t.iter()
                .map(|p| {
                    view! {
                        <tr>
                            <th scope="row" data-label=label_of(i18n, |l| td_string!(l, reports.col_period))>
                                {period_label(kind, &p.key)}
                                <span class="muted report-period-range">
                                    {format!(" {}–{}", p.period.from.format("%m-%d"), p.period.to.format("%m-%d"))}
                                </span>
                            </th>
                            <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_evaluations))>{p.evaluations}</td>
                            <td class="num" data-label=label_of(i18n, |l| td_string!(l, analytics.kpi_average_total))>{score_text(p.average_total)}</td>
                            <td class="num" data-label=label_of(i18n, |l| td_string!(l, analytics.kpi_attainment))>{percent_text(p.attainment_rate)}</td>
                            <td class="num" data-label=label_of(i18n, |l| td_string!(l, analytics.kpi_on_time))>{percent_text(p.on_time_rate)}</td>
                            <td class="num" data-label=label_of(i18n, |l| td_string!(l, analytics.kpi_first_contact))>{percent_text(p.first_contact_rate)}</td>
                            <td class="num" data-label=label_of(i18n, |l| td_string!(l, analytics.kpi_response))>{percent_text(p.response_rate)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    Either::Right(view! {
        <ReportChart option label />
        <div class="table-scroll">
            <table class="data-table report-table" data-testid="report-trend-table">
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, reports.trend_title))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_period))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_evaluations))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.kpi_average_total))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.kpi_attainment))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.kpi_on_time))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.kpi_first_contact))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.kpi_response))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// The x axis of the trend.
fn kind_axis(locale: Locale, kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Week => td_string!(locale, reports.axis_week),
        ReportKind::Month => td_string!(locale, reports.axis_month),
    }
}

/// The complaints by tag: a pie and its table.
#[component]
fn ComplaintSection(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    let complaints = report.complaints;
    let count = move || {
        td_string!(
            i18n.get_locale(),
            reports.complaints_count,
            count = complaints.to_string()
        )
    };
    if complaints_are_empty(&report.complaint_tags) {
        return Either::Left(view! {
            <p class="report-count">{count}</p>
            <Empty text=|l| td_string!(l, reports.complaints_empty) />
        });
    }
    let tags = StoredValue::new(report.complaint_tags);
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        let labels = ComplaintLabels {
            title: td_string!(locale, reports.complaints_title).to_owned(),
            subtitle: td_string!(
                locale,
                reports.complaints_count,
                count = complaints.to_string()
            ),
            series: td_string!(locale, analytics.complaints_series).to_owned(),
            untagged: td_string!(locale, reports.untagged).to_owned(),
            lang: lang(locale),
        };
        ChartOption::from(tags.with_value(|t| complaint_pie(t, &labels)))
    });
    let label =
        Signal::derive(move || td_string!(i18n.get_locale(), reports.complaints_title).to_owned());
    let rows = move || {
        let locale = i18n.get_locale();
        tags.with_value(|tags| {
            let total: u64 = tags.iter().map(|t| t.count).sum();
            tags.iter()
                .map(|t| {
                    let share = percent_text((total > 0).then(|| t.count as f64 / total as f64));
                    view! {
                        <tr>
                            <th scope="row" data-label=label_of(i18n, |l| td_string!(l, reports.col_tag))>
                                {tag_name(lang(locale), t, td_string!(locale, reports.untagged))}
                            </th>
                            <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_count))>{t.count}</td>
                            <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_share))>{share}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    Either::Right(view! {
        <p class="report-count">{count}</p>
        <ReportChart option label />
        <div class="table-scroll">
            <table class="data-table report-table" data-testid="report-complaint-table">
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, reports.complaints_title))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_tag))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_count))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_share))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}
