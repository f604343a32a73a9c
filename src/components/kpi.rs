//! The KPI cards: each indicator of the period with its change against the previous period
//! of the same length, as an arrow and a signed number, and in words for screen readers; the
//! change is coloured by whether it is better (higher is better except for handling time,
//! open appeals and flagged evaluations).

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::analytics::{AnalyticsOptions, Kpi, KpiReport};
use pingjia_domain::settings::Settings;

use crate::format::{duration_text, period_words};
use crate::i18n::{Locale, td_string, use_i18n};

/// One KPI card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiKind {
    Evaluations,
    AverageTotal,
    Attainment,
    OnTime,
    FirstContact,
    HandlingTime,
    OpenAppeals,
    Flagged,
    /// 参评率: rated / invited among the invitations sent in the period.
    ResponseRate,
}

/// Which way a KPI moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Flat,
}

/// Whether a change is good news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Better,
    Worse,
    Neutral,
}

impl Tone {
    /// The card's class for it.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Better => "kpi-better",
            Tone::Worse => "kpi-worse",
            Tone::Neutral => "kpi-neutral",
        }
    }
}

/// A KPI's change against the previous period, as shown and as said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiChange {
    pub direction: Direction,
    pub tone: Tone,
    /// What is shown: an arrow and the signed change, e.g. "▲ +0.12".
    pub shown: String,
    /// What a screen reader says, e.g. "比上一周期上升 0.12，向好".
    pub words: String,
}

impl KpiKind {
    /// The cards in their order.
    pub const ALL: [KpiKind; 9] = [
        KpiKind::Evaluations,
        KpiKind::AverageTotal,
        KpiKind::Attainment,
        KpiKind::OnTime,
        KpiKind::FirstContact,
        KpiKind::HandlingTime,
        KpiKind::OpenAppeals,
        KpiKind::Flagged,
        KpiKind::ResponseRate,
    ];

    /// Whether a rise is good news.
    pub fn higher_is_better(self) -> bool {
        !matches!(
            self,
            KpiKind::HandlingTime | KpiKind::OpenAppeals | KpiKind::Flagged
        )
    }

    /// The KPI in the report.
    pub fn of(self, report: &KpiReport) -> Kpi {
        match self {
            KpiKind::Evaluations => report.evaluations,
            KpiKind::AverageTotal => report.average_total,
            KpiKind::Attainment => report.attainment_rate,
            KpiKind::OnTime => report.on_time_rate,
            KpiKind::FirstContact => report.first_contact_rate,
            KpiKind::HandlingTime => report.average_handling_minutes,
            KpiKind::OpenAppeals => report.open_appeals,
            KpiKind::Flagged => report.flagged,
            KpiKind::ResponseRate => report.response_rate,
        }
    }

    /// The card's name.
    pub fn name(self, locale: Locale) -> &'static str {
        match self {
            KpiKind::Evaluations => td_string!(locale, analytics.kpi_evaluations),
            KpiKind::AverageTotal => td_string!(locale, analytics.kpi_average_total),
            KpiKind::Attainment => td_string!(locale, analytics.kpi_attainment),
            KpiKind::OnTime => td_string!(locale, analytics.kpi_on_time),
            KpiKind::FirstContact => td_string!(locale, analytics.kpi_first_contact),
            KpiKind::HandlingTime => td_string!(locale, analytics.kpi_handling),
            KpiKind::OpenAppeals => td_string!(locale, analytics.kpi_open_appeals),
            KpiKind::Flagged => td_string!(locale, analytics.kpi_flagged),
            KpiKind::ResponseRate => td_string!(locale, analytics.kpi_response),
        }
    }

    fn is_rate(self) -> bool {
        matches!(
            self,
            KpiKind::Attainment | KpiKind::OnTime | KpiKind::FirstContact | KpiKind::ResponseRate
        )
    }

    /// A value as the card shows it: "128", "4.32", "82.5%", "1 小时 25 分钟".
    pub fn value_text(self, locale: Locale, value: f64) -> String {
        match self {
            KpiKind::Evaluations | KpiKind::OpenAppeals | KpiKind::Flagged => {
                format!("{value:.0}")
            }
            KpiKind::AverageTotal => format!("{value:.2}"),
            KpiKind::HandlingTime => duration_text(locale, value),
            _ => format!("{:.1}%", value * 100.0),
        }
    }

    /// The size of a change, unsigned, as shown and as said: rates in percentage points.
    fn magnitude(self, locale: Locale, change: f64) -> (String, String) {
        let size = change.abs();
        if self.is_rate() {
            let points = format!("{:.1}", size * 100.0);
            (
                td_string!(locale, analytics.points, points = &points),
                td_string!(locale, analytics.points_words, points = &points),
            )
        } else {
            let text = self.value_text(locale, size);
            (text.clone(), text)
        }
    }

    /// Whether a change rounds to nothing at the card's precision.
    fn rounds_to_zero(self, change: f64) -> bool {
        let size = change.abs();
        match self {
            KpiKind::AverageTotal => size < 0.005,
            KpiKind::HandlingTime => size < 0.5,
            _ if self.is_rate() => size < 0.0005,
            _ => size < 0.5,
        }
    }
}

/// The change of `kpi` against the previous period; `None` when there is nothing to compare.
pub fn kpi_change(kind: KpiKind, kpi: &Kpi, locale: Locale) -> Option<KpiChange> {
    let change = kpi.change()?;
    if kind.rounds_to_zero(change) {
        return Some(KpiChange {
            direction: Direction::Flat,
            tone: Tone::Neutral,
            shown: "＝ 0".to_owned(),
            words: td_string!(locale, analytics.change_flat).to_owned(),
        });
    }
    let up = change > 0.0;
    let better = up == kind.higher_is_better();
    let (size, said) = kind.magnitude(locale, change);
    let (arrow, sign, direction) = if up {
        ("▲", "+", Direction::Up)
    } else {
        ("▼", "−", Direction::Down)
    };
    let moved = if up {
        td_string!(locale, analytics.change_up, change = said)
    } else {
        td_string!(locale, analytics.change_down, change = said)
    };
    let verdict = if better {
        td_string!(locale, analytics.change_better)
    } else {
        td_string!(locale, analytics.change_worse)
    };
    Some(KpiChange {
        direction,
        tone: if better { Tone::Better } else { Tone::Worse },
        shown: format!("{arrow} {sign}{size}"),
        words: format!("{moved}{verdict}"),
    })
}

/// The KPI cards of one report.
#[component]
pub fn KpiCards(
    /// The KPIs of the period and the previous one.
    report: KpiReport,
    /// The filter bar's choices, once loaded (for the satisfaction threshold).
    #[prop(into)]
    options: Signal<Option<AnalyticsOptions>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let previous = report.previous_period;
    let compare = move || {
        let locale = i18n.get_locale();
        td_string!(
            locale,
            analytics.kpis_compare,
            period = period_words(locale, previous)
        )
    };
    let cards = KpiKind::ALL
        .into_iter()
        .map(|kind| {
            let kpi = kind.of(&report);
            view! { <KpiCard kind kpi options /> }
        })
        .collect_view();
    view! {
        <p class="kpis-compare muted">{compare}</p>
        <ul class="kpi-grid">{cards}</ul>
    }
}

/// One card: the name, the value, the change and the previous value.
#[component]
fn KpiCard(kind: KpiKind, kpi: Kpi, options: Signal<Option<AnalyticsOptions>>) -> impl IntoView {
    let i18n = use_i18n();
    let change = Memo::new(move |_| kpi_change(kind, &kpi, i18n.get_locale()));
    let tone = move || change.with(|c| c.as_ref().map_or(Tone::Neutral, |c| c.tone).class());
    let value = move || {
        let locale = i18n.get_locale();
        kpi.value.map_or_else(
            || td_string!(locale, analytics.no_value).to_owned(),
            |v| kind.value_text(locale, v),
        )
    };
    let unit = (kind == KpiKind::AverageTotal).then_some(" / 5");
    let hint = move || {
        let locale = i18n.get_locale();
        let (satisfied, _) = options.with(|o| thresholds(o.as_ref()));
        match kind {
            KpiKind::Attainment => Some(td_string!(
                locale,
                analytics.kpi_attainment_hint,
                score = satisfied.to_string()
            )),
            KpiKind::OpenAppeals => Some(td_string!(locale, analytics.current_count).to_owned()),
            KpiKind::ResponseRate => {
                Some(td_string!(locale, analytics.kpi_response_hint).to_owned())
            }
            _ => None,
        }
    };
    let footer = move || {
        let locale = i18n.get_locale();
        match (change.get(), kpi.previous) {
            (Some(change), Some(previous)) => Either::Left(view! {
                <p class="kpi-change">
                    <span aria-hidden="true">{change.shown}</span>
                    <span class="visually-hidden">{change.words}</span>
                </p>
                <p class="kpi-previous">
                    {td_string!(locale, analytics.previous_value, value = kind.value_text(locale, previous))}
                </p>
            }),
            _ if kind == KpiKind::OpenAppeals => Either::Right(None),
            _ => Either::Right(Some(view! {
                <p class="kpi-previous">{td_string!(locale, analytics.no_previous)}</p>
            })),
        }
    };
    view! {
        <li class=move || format!("kpi-card {}", tone())>
            <h3 class="kpi-name">{move || kind.name(i18n.get_locale())}</h3>
            <p class="kpi-value" class:kpi-value-long=kind == KpiKind::HandlingTime>
                {value}
                {unit.map(|u| view! { <span class="kpi-unit">{u}</span> })}
            </p>
            {footer}
            {move || hint().map(|text| view! { <p class="kpi-hint">{text}</p> })}
        </li>
    }
}

/// The satisfaction and callback thresholds the reports use (overall 1-10), from the filter
/// bar's choices once loaded, else the defaults.
pub fn thresholds(options: Option<&AnalyticsOptions>) -> (u8, u8) {
    let defaults = Settings::default();
    options.map_or(
        (defaults.satisfaction_threshold, defaults.callback_threshold),
        |o| (o.satisfaction_threshold, o.callback_threshold),
    )
}
