//! A plan's inspection report (检测报告, `/qa/plans/:id/report?compare=`): overview, scores and
//! the composite with its weights, dimensions (flagged under 3, before/after when compared), a
//! radar chart, agent and team composites, frequent problems, highlights and rectification
//! counts; printable, and downloadable as CSV. Anchored on a coaching session instead
//! (`?coaching=`, also the lead's `/lead/qa/plans/:id/report`): the session's agent before it
//! against after it, per dimension and checklist item.

use charming::Chart;
use charming::component::{Legend, RadarCoordinate, Title};
use charming::element::{AreaStyle, LineStyle, TextStyle, Tooltip, Trigger};
use charming::series::Radar;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use pingjia_domain::feedback::coaching_href;
use pingjia_domain::qa::{
    AnchorItem, AnchorWindow, CoachingAnchor, CompositeRow, DimensionResult, FLAG_BELOW,
    FrequentProblem, Highlight, PlanReport,
};

use crate::api::qa::ReportQuery;
use crate::api::{self, ApiError, DEFAULT_API_BASE};
use crate::components::data_table::{Column, DataTable, Header, Loaded, Rows};
use crate::components::echart::{ChartOption, EChart};
use crate::components::page::PageTitle;
use crate::format::{local_time, score_text, whole_percent_text};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::{in_language, team_name};
use crate::locale::tr;
use crate::pages::qa::dispute_rates::DisputeRates;
use crate::pages::qa::plans::{ScopeFacts, StrataTable};
use crate::pages::qa::{day_text, period_text, person_text, plan_href, report_href};

/// This plan's colour in the radar (3:1 or more against white).
const THIS_COLOUR: &str = "#1f5fbf";
/// The compared plan's colour.
const BEFORE_COLOUR: &str = "#b54708";
/// Secondary text with at least 4.5:1 contrast on white.
const MUTED_TEXT: &str = "#4a5565";

/// The localized texts of the radar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarLabels {
    pub title: String,
    pub this_plan: String,
    pub before: String,
}

/// The radar of the dimensions' mean rubric scores (0-5): this plan, and the compared plan as
/// a second series when there is one; an unscored dimension counts 0.
pub fn radar_chart(report: &PlanReport, locale: Locale, labels: &RadarLabels) -> Chart {
    let indicators: Vec<(&str, f64, f64)> = report
        .dimensions
        .iter()
        .map(|d| (in_language(locale, &d.name_zh, &d.name_en), 0.0, 5.0))
        .collect();
    let values: Vec<f64> = report
        .dimensions
        .iter()
        .map(|d| d.score.unwrap_or(0.0))
        .collect();
    let mut data = vec![(values, labels.this_plan.clone())];
    let mut legend = vec![labels.this_plan.clone()];
    if report.compare.is_some() || report.coaching.is_some() {
        let before: Vec<f64> = report
            .dimensions
            .iter()
            .map(|d| d.before.unwrap_or(0.0))
            .collect();
        data.push((before, labels.before.clone()));
        legend.push(labels.before.clone());
    }
    let series = data.into_iter().zip([THIS_COLOUR, BEFORE_COLOUR]).fold(
        Chart::new(),
        |chart, ((values, name), colour)| {
            chart.series(
                Radar::new()
                    .name(name.as_str())
                    .line_style(LineStyle::new().color(colour).width(2))
                    .area_style(AreaStyle::new().opacity(0.12))
                    .data(vec![(values, name)]),
            )
        },
    );
    series
        .color(vec![THIS_COLOUR, BEFORE_COLOUR])
        .title(
            Title::new()
                .text(labels.title.as_str())
                .left("center")
                .top(0)
                .subtext_style(TextStyle::new().color(MUTED_TEXT)),
        )
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().data(legend).bottom(0))
        .radar(
            RadarCoordinate::new()
                .indicator(indicators)
                .radius("62%")
                .center(vec!["50%", "52%"]),
        )
}

/// The report's page: reads the plan and the compared plan from the address.
#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let wanted = Memo::new(move |_| {
        let number = |name: &str| query.with(|q| q.get(name).and_then(|c| c.parse::<i64>().ok()));
        ReportQuery {
            compare: number("compare"),
            coaching: number("coaching"),
        }
    });
    let report = LocalResource::new(move || {
        let (id, wanted) = (id.get(), wanted.get());
        async move {
            match id {
                Some(id) => api::qa::report(id, wanted).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.report_title)) />
        <Loaded
            resource=report
            view=move |report: PlanReport| match report.coaching.clone() {
                Some(anchor) => Either::Left(view! { <AnchoredReportView report anchor /> }),
                None => Either::Right(view! { <ReportView report /> }),
            }
        />
    }
}

/// A report anchored on a coaching session: the agent before the session against after it,
/// per dimension (with the radar) and per checklist item; which session anchors it.
#[component]
pub fn AnchoredReportView(
    /// The report.
    report: PlanReport,
    /// Its anchor.
    anchor: CoachingAnchor,
) -> impl IntoView {
    let i18n = use_i18n();
    let CoachingAnchor {
        session_id,
        agent,
        coach_name,
        held_at,
        before,
        after,
        items,
    } = anchor;
    let agent = person_text(&agent);
    let title = {
        let agent = agent.clone();
        move || td_string!(i18n.get_locale(), qa.anchor_title, agent = agent.clone())
    };
    let (at, plan) = (local_time(held_at), report.plan.name.clone());
    let notice = move || {
        td_string!(
            i18n.get_locale(),
            qa.anchor_notice,
            coach = coach_name.clone(),
            at = at.clone(),
            agent = agent.clone(),
            plan = plan.clone()
        )
    };
    let stored = StoredValue::new(report.clone());
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        let labels = RadarLabels {
            title: td_string!(locale, qa.radar_title).to_owned(),
            this_plan: td_string!(locale, qa.anchor_after).to_owned(),
            before: td_string!(locale, qa.anchor_before).to_owned(),
        };
        ChartOption::from(stored.with_value(|r| radar_chart(r, locale, &labels)))
    });
    let chart_label = Signal::derive(move || {
        stored.with_value(|r| radar_summary(i18n.get_locale(), &r.dimensions))
    });
    let pending = (!after.complete).then(|| {
        let day = day_text(after.last);
        view! {
            <p class="notice" data-testid="qa-anchor-pending">
                {move || td_string!(i18n.get_locale(), qa.anchor_after_pending, day = day.clone())}
            </p>
        }
    });
    view! {
        <div class="qa-report" data-testid="qa-report">
            <p class="breadcrumb qa-no-print">
                <A href=coaching_href(session_id)>{tr(i18n, |l| td_string!(l, qa.anchor_back))}</A>
            </p>
            <div class="page-head">
                <h1>{title}</h1>
                <p class="page-actions qa-no-print">
                    <button type="button" class="button" on:click=move |_| print_page()>
                        {tr(i18n, |l| td_string!(l, qa.print))}
                    </button>
                </p>
            </div>
            <p class="lead" data-testid="qa-coaching-anchor">{notice}</p>
            <section class="panel qa-section" aria-labelledby="anchor-windows-title">
                <h2 id="anchor-windows-title">{tr(i18n, |l| td_string!(l, qa.anchor_windows))}</h2>
                <dl class="facts qa-scores" data-testid="qa-anchor-windows">
                    <AnchorFact window=before label=|l| td_string!(l, qa.anchor_before) />
                    <AnchorFact window=after label=|l| td_string!(l, qa.anchor_after) />
                </dl>
                {pending}
            </section>
            <section class="panel qa-section" aria-labelledby="report-dimensions-title">
                <h2 id="report-dimensions-title">{tr(i18n, |l| td_string!(l, qa.dimension_scores))}</h2>
                <DimensionTable dimensions=report.dimensions.clone() compared=true anchored=true />
                <div class="qa-radar" data-testid="qa-radar">
                    <EChart option label=chart_label />
                </div>
            </section>
            <section class="panel qa-section" aria-labelledby="anchor-items-title">
                <h2 id="anchor-items-title">{tr(i18n, |l| td_string!(l, qa.anchor_items))}</h2>
                <AnchorItemTable items />
            </section>
        </div>
    }
}

/// One window of an anchor: its days, its mean QA score and how many inspections, or when
/// it will show.
#[component]
fn AnchorFact(window: AnchorWindow, label: Header) -> impl IntoView {
    let i18n = use_i18n();
    let (first, last) = (day_text(window.first), day_text(window.last));
    let days = move || {
        td_string!(
            i18n.get_locale(),
            qa.anchor_window,
            first = first.clone(),
            last = last.clone()
        )
    };
    let value = if window.complete {
        let count = window.inspected.to_string();
        view! {
            <strong>{score_text(window.qa_score)}</strong> " "
            <span class="muted">
                "(" {move || td_string!(i18n.get_locale(), qa.anchor_inspected, count = count.clone())} ")"
            </span>
        }
        .into_any()
    } else {
        let day = day_text(window.last);
        view! {
            <span class="muted">{move || td_string!(i18n.get_locale(), qa.anchor_pending, day = day.clone())}</span>
        }
        .into_any()
    };
    view! {
        <div class="fact">
            <dt>{tr(i18n, label)} " " <span class="muted">{days}</span></dt>
            <dd>{tr(i18n, |l| td_string!(l, qa.qa_score))} " " {value}</dd>
        </div>
    }
}

/// Each checklist item's score rate before and after the session.
#[component]
fn AnchorItemTable(items: Vec<AnchorItem>) -> impl IntoView {
    let i18n = use_i18n();
    let columns = vec![
        Column::new(
            |l| td_string!(l, qa.anchor_item),
            move |i: &AnchorItem| {
                let (zh, en) = (i.item_name_zh.clone(), i.item_name_en.clone());
                move || in_language(i18n.get_locale(), &zh, &en).to_owned()
            },
        )
        .row_header(None),
        Column::new(
            |l| td_string!(l, qa.dimension),
            move |i: &AnchorItem| {
                let (zh, en) = (i.dimension_name_zh.clone(), i.dimension_name_en.clone());
                move || in_language(i18n.get_locale(), &zh, &en).to_owned()
            },
        ),
        Column::new(
            |l| td_string!(l, qa.anchor_before),
            |i: &AnchorItem| whole_percent_text(i.before),
        ),
        Column::new(
            |l| td_string!(l, qa.anchor_after),
            |i: &AnchorItem| whole_percent_text(i.after),
        ),
    ];
    let rows = Rows::default().testid(|i: &AnchorItem| format!("qa-anchor-item-{}", i.item_id));
    view! {
        <div class="table-scroll">
            <DataTable
                class="data-table qa-table"
                testid="qa-anchor-items"
                caption=|l| td_string!(l, qa.anchor_items)
                columns
                rows=items
                row=rows
            />
        </div>
    }
}

/// A loaded report.
#[component]
pub fn ReportView(
    /// The report.
    report: PlanReport,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = report.plan.id;
    let compared = report.compare.as_ref().map(|c| c.plan.id);
    let csv = RwSignal::new(api::qa::report_csv_url(DEFAULT_API_BASE, id));
    leptos::task::spawn_local(async move {
        let href = api::qa::report_csv_href(id).await;
        csv.try_set(href);
    });
    let stored = StoredValue::new(report.clone());
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        let labels = RadarLabels {
            title: td_string!(locale, qa.radar_title).to_owned(),
            this_plan: td_string!(locale, qa.this_plan).to_owned(),
            before: stored.with_value(|r| {
                r.compare
                    .as_ref()
                    .map(|c| format!("{} ({})", td_string!(locale, qa.before), c.plan.name))
                    .unwrap_or_default()
            }),
        };
        ChartOption::from(stored.with_value(|r| radar_chart(r, locale, &labels)))
    });
    let chart_label = Signal::derive(move || {
        let locale = i18n.get_locale();
        stored.with_value(|r| radar_summary(locale, &r.dimensions))
    });
    let comparable = report.comparable.clone();
    let on_compare = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let other = value.parse::<i64>().ok();
        navigate(&report_href(id, other), Default::default());
    };
    let plan = report.plan.clone();
    let crumb = plan.name.clone();
    let (tzh, ten) = (plan.template_name_zh.clone(), plan.template_name_en.clone());
    let goal = if plan.goal.trim().is_empty() {
        "—".to_owned()
    } else {
        plan.goal.clone()
    };
    let sample_total: u64 = report.strata.iter().map(|s| s.sample).sum();
    let inspected = report.inspected;
    let (cw, qw) = (report.customer_weight, report.qa_weight);
    let formula = move || {
        td_string!(
            i18n.get_locale(),
            qa.composite_formula,
            customer = cw,
            qa = qw
        )
    };
    let compare_before = report.compare.clone();
    let before_qa = compare_before.as_ref().map(|c| score_text(c.qa_score));
    let before_composite = compare_before.as_ref().map(|c| score_text(c.composite));
    let counts = report.rectifications.clone();
    view! {
        <div class="qa-report" data-testid="qa-report">
            <p class="breadcrumb qa-no-print">
                <A href=plan_href(id)>{crumb}</A>
            </p>
            <div class="page-head">
                <h1>{tr(i18n, |l| td_string!(l, qa.report_title))} "：" {plan.name.clone()}</h1>
                <p class="page-actions qa-no-print">
                    <button type="button" class="button" on:click=move |_| print_page() data-testid="qa-print">
                        {tr(i18n, |l| td_string!(l, qa.print))}
                    </button>
                    <a class="button button-secondary" href=move || csv.get() download=format!("qa-report-{id}.csv") data-testid="qa-csv">
                        {tr(i18n, |l| td_string!(l, qa.download_csv))}
                    </a>
                </p>
            </div>
            <div class="field qa-compare qa-no-print">
                <label for="qa-compare">{tr(i18n, |l| td_string!(l, qa.compare_with))}</label>
                <select id="qa-compare" on:change=on_compare>
                    <option value="" selected=compared.is_none()>{tr(i18n, |l| td_string!(l, qa.compare_none))}</option>
                    {comparable
                        .into_iter()
                        .map(|p| {
                            let chosen = compared == Some(p.id);
                            view! {
                                <option value=p.id.to_string() selected=chosen>
                                    {format!("{} ({})", p.name, period_text(p.from, p.to))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <section class="panel qa-section" aria-labelledby="report-overview-title">
                <h2 id="report-overview-title">{tr(i18n, |l| td_string!(l, qa.overview))}</h2>
                <dl class="facts qa-facts">
                    <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.goal))}</dt><dd>{goal}</dd></div>
                    <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.period))}</dt><dd>{period_text(plan.from, plan.to)}</dd></div>
                    <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.template))}</dt><dd>{move || in_language(i18n.get_locale(), &tzh, &ten).to_owned()}</dd></div>
                    <ScopeFacts scope=report.scope.clone() />
                    <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.progress))}</dt><dd>{format!("{inspected}/{sample_total}")}</dd></div>
                </dl>
                <StrataTable strata=report.strata.clone() />
            </section>
            <section class="panel qa-section" aria-labelledby="report-scores-title">
                <h2 id="report-scores-title">{tr(i18n, |l| td_string!(l, qa.scores_heading))}</h2>
                <dl class="facts qa-scores" data-testid="qa-report-scores">
                    <div class="fact">
                        <dt>{tr(i18n, |l| td_string!(l, qa.customer_score))}</dt>
                        <dd>{score_text(report.customer_score)}</dd>
                    </div>
                    <div class="fact">
                        <dt>{tr(i18n, |l| td_string!(l, qa.qa_score))}</dt>
                        <dd>
                            {score_text(report.qa_score)}
                            {before_qa.map(|b| view! { <span class="muted">" (" {tr(i18n, |l| td_string!(l, qa.before))} " " {b} ")"</span> })}
                        </dd>
                    </div>
                    <div class="fact">
                        <dt>{tr(i18n, |l| td_string!(l, qa.composite))}</dt>
                        <dd data-testid="qa-composite">
                            <strong>{score_text(report.composite)}</strong>
                            {before_composite.map(|b| view! { <span class="muted">" (" {tr(i18n, |l| td_string!(l, qa.before))} " " {b} ")"</span> })}
                        </dd>
                    </div>
                </dl>
                <p class="field-hint">{formula}</p>
            </section>
            <section class="panel qa-section" aria-labelledby="report-dimensions-title">
                <h2 id="report-dimensions-title">{tr(i18n, |l| td_string!(l, qa.dimension_scores))}</h2>
                <DimensionTable dimensions=report.dimensions.clone() compared=report.compare.is_some() />
                <div class="qa-radar" data-testid="qa-radar">
                    <EChart option label=chart_label />
                </div>
            </section>
            <section class="panel qa-section" aria-labelledby="report-agents-title">
                <h2 id="report-agents-title">{tr(i18n, |l| td_string!(l, qa.agents_heading))}</h2>
                <CompositeTable rows=report.agents.clone() teams=false />
            </section>
            <section class="panel qa-section" aria-labelledby="report-teams-title">
                <h2 id="report-teams-title">{tr(i18n, |l| td_string!(l, qa.teams_heading))}</h2>
                <CompositeTable rows=report.teams.clone() teams=true />
            </section>
            <section class="panel qa-section" aria-labelledby="report-problems-title">
                <h2 id="report-problems-title">{tr(i18n, |l| td_string!(l, qa.problems_heading))}</h2>
                <ProblemList problems=report.problems.clone() />
            </section>
            <section class="panel qa-section" aria-labelledby="report-highlights-title">
                <h2 id="report-highlights-title">{tr(i18n, |l| td_string!(l, qa.highlights))}</h2>
                <HighlightList highlights=report.highlights.clone() />
            </section>
            <section class="panel qa-section" aria-labelledby="report-rect-title">
                <h2 id="report-rect-title">{tr(i18n, |l| td_string!(l, qa.rectifications_heading))}</h2>
                <dl class="facts qa-scores" data-testid="qa-report-rectifications">
                    <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.rect_status_open))}</dt><dd>{counts.open}</dd></div>
                    <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.rect_status_reported))}</dt><dd>{counts.reported}</dd></div>
                    <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.rect_status_closed))}</dt><dd>{counts.closed}</dd></div>
                    <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.filter_overdue))}</dt><dd>{counts.overdue}</dd></div>
                </dl>
            </section>
            <DisputeRates inspectors=report.dispute_inspectors.clone() items=report.dispute_items.clone() />
        </div>
    }
}

/// Opens the browser's print dialog.
fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// The radar's text alternative: every dimension with its score.
pub fn radar_summary(locale: Locale, dimensions: &[DimensionResult]) -> String {
    let parts: Vec<String> = dimensions
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                in_language(locale, &d.name_zh, &d.name_en),
                score_text(d.score)
            )
        })
        .collect();
    format!(
        "{}: {}",
        td_string!(locale, qa.radar_title),
        parts.join(", ")
    )
}

/// The dimensions: mean rubric score, score rate, flag, and the compared plan's score.
#[component]
fn DimensionTable(
    /// The dimensions.
    dimensions: Vec<DimensionResult>,
    /// Whether a plan is compared (the "before" column).
    compared: bool,
    /// Whether anchored on a coaching session: the scores are after it, "before" before it.
    #[prop(optional)]
    anchored: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (score, before): (Header, Header) = if anchored {
        (
            |l| td_string!(l, qa.anchor_score_after),
            |l| td_string!(l, qa.anchor_before),
        )
    } else {
        (
            |l| td_string!(l, qa.rubric_score),
            |l| td_string!(l, qa.before),
        )
    };
    let mut columns = vec![
        Column::new(
            |l| td_string!(l, qa.dimension),
            move |d: &DimensionResult| {
                let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                move || in_language(i18n.get_locale(), &zh, &en).to_owned()
            },
        )
        .row_header(None),
        Column::new(score, |d: &DimensionResult| score_text(d.score)),
        Column::new(
            |l| td_string!(l, qa.score_rate),
            |d: &DimensionResult| {
                view! {
                    {whole_percent_text(d.score_rate)} " "
                    <span class="muted">{format!("({}/{})", d.compliant, d.applicable)}</span>
                }
            },
        ),
    ];
    if compared {
        columns.push(Column::new(before, |d: &DimensionResult| {
            score_text(d.before)
        }));
    }
    columns.push(Column::new(|l| td_string!(l, qa.flag), move |d: &DimensionResult| {
        if d.flagged {
            Either::Left(view! {
                <span class="badge badge-new qa-flag" data-testid="qa-flag">
                    <span aria-hidden="true">"⚠ "</span>
                    {move || td_string!(i18n.get_locale(), qa.flagged, score = FLAG_BELOW.to_string())}
                </span>
            })
        } else {
            Either::Right(view! { <span class="muted">{tr(i18n, |l| td_string!(l, qa.not_flagged))}</span> })
        }
    }));
    let rows = Rows::default()
        .testid(|d: &DimensionResult| format!("qa-dimension-row-{}", d.dimension_id))
        .flag("qa-flagged", |d: &DimensionResult| {
            Signal::stored(d.flagged)
        });
    view! {
        <div class="table-scroll">
            <DataTable
                class="data-table qa-table"
                testid="qa-dimension-table"
                caption=|l| td_string!(l, qa.dimension_scores)
                columns
                rows=dimensions
                row=rows
            />
        </div>
    }
}

/// Composite scores per agent or per team.
#[component]
fn CompositeTable(
    /// The rows.
    rows: Vec<CompositeRow>,
    /// Whether the rows are teams.
    teams: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.composite_empty))}</p>
        });
    }
    let who: Header = if teams {
        |l| td_string!(l, qa.team)
    } else {
        |l| td_string!(l, qa.agent)
    };
    let mut columns = vec![
        Column::new(who, move |row: &CompositeRow| {
            if teams {
                let (zh, en) = (row.who.name.clone(), row.team_name_en.clone());
                let i18n = use_i18n();
                (move || team_name(i18n.get_locale(), &zh, en.as_deref())).into_any()
            } else {
                person_text(&row.who).into_any()
            }
        })
        .row_header(None),
    ];
    if !teams {
        columns.push(Column::new(
            |l| td_string!(l, qa.team),
            |row: &CompositeRow| {
                let (zh, en) = (row.team_name.clone(), row.team_name_en.clone());
                let i18n = use_i18n();
                move || {
                    zh.as_deref().map_or_else(
                        || "—".to_owned(),
                        |zh| team_name(i18n.get_locale(), zh, en.as_deref()),
                    )
                }
            },
        ));
    }
    columns.extend([
        Column::new(
            |l| td_string!(l, qa.inspections),
            |row: &CompositeRow| row.inspections,
        ),
        Column::new(
            |l| td_string!(l, qa.qa_score),
            |row: &CompositeRow| score_text(row.qa_score),
        ),
        Column::new(
            |l| td_string!(l, qa.customer_score),
            |row: &CompositeRow| {
                view! {
                    {score_text(row.customer_score)} " "
                    <span class="muted">{format!("(n={})", row.evaluations)}</span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, qa.composite),
            |row: &CompositeRow| {
                view! { <strong>{score_text(row.composite)}</strong> }
            },
        ),
    ]);
    let caption: Header = if teams {
        |l| td_string!(l, qa.teams_heading)
    } else {
        |l| td_string!(l, qa.agents_heading)
    };
    Either::Right(view! {
        <div class="table-scroll">
            <DataTable
                class="data-table qa-table"
                testid=if teams { "qa-team-table" } else { "qa-agent-table" }
                caption
                columns
                rows
            />
        </div>
    })
}

/// Items often found wanting, with up to three examples each.
#[component]
fn ProblemList(
    /// The problems, most frequent first.
    problems: Vec<FrequentProblem>,
) -> impl IntoView {
    let i18n = use_i18n();
    if problems.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.problems_empty))}</p>
        });
    }
    let items = problems
        .into_iter()
        .map(|p| {
            let (izh, ien) = (p.item_name_zh.clone(), p.item_name_en.clone());
            let (dzh, den) = (p.dimension_name_zh.clone(), p.dimension_name_en.clone());
            let count = p.count;
            let share = whole_percent_text(Some(p.share));
            let examples = p
                .examples
                .into_iter()
                .map(|e| view! { <li>{e}</li> })
                .collect_view();
            view! {
                <li class="qa-problem">
                    <p>
                        <strong>{move || in_language(i18n.get_locale(), &izh, &ien).to_owned()}</strong>
                        " · " {move || in_language(i18n.get_locale(), &dzh, &den).to_owned()} " · "
                        {move || {
                            td_string!(i18n.get_locale(), qa.problem_count, count, share = &share)
                        }}
                    </p>
                    <ul class="plain-list qa-examples">{examples}</ul>
                </li>
            }
        })
        .collect_view();
    Either::Right(view! { <ol class="qa-problems">{items}</ol> })
}

/// Highlights worth sharing.
#[component]
fn HighlightList(
    /// The highlights.
    highlights: Vec<Highlight>,
) -> impl IntoView {
    let i18n = use_i18n();
    if highlights.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.highlights_empty))}</p>
        });
    }
    let items = highlights
        .into_iter()
        .map(|h| {
            view! {
                <li>
                    <p class="record-meta">{person_text(&h.agent)} " · " <span class="mono">{h.external_id}</span></p>
                    <p class="suggestion-text">{h.text}</p>
                </li>
            }
        })
        .collect_view();
    Either::Right(view! { <ul class="brief-list">{items}</ul> })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn report_addresses_keep_the_comparison() {
        assert_eq!(report_href(4, None), "/qa/plans/4/report");
        assert_eq!(report_href(4, Some(2)), "/qa/plans/4/report?compare=2");
    }
}
