//! Weekly and monthly analysis reports (客户服务响应及满意度分析报告): the report of a period
//! for the company or a team (`/admin/reports/:kind/:key`, `/lead/reports/:kind/:key`), a
//! printable document with CSV tables; the reports hub (`/admin/reports`, `/lead/reports`)
//! with the ways to last week's and last month's report, the kept reports and their mails,
//! and the e-mail subscriptions; and the mail server's settings (`/admin/settings/mail`).
//!
//! This module holds what those pages share: addresses, the organisation's calendar, the
//! names of periods and scopes, and the figures in words.

pub mod hub;
pub mod mail;
pub mod report;
pub mod subscriptions;

use chrono::{Datelike, NaiveDate, Utc};
use pingjia_domain::analytics::Period;
use pingjia_domain::reports::{DeliveryStatus, Direction, ReportChange, ReportKind, ReportMetric};

use crate::components::kpi::KpiKind;
use crate::format::duration_text;
use crate::i18n::{Locale, td_string};

/// Where the mail server's settings live.
pub const MAIL_SETTINGS_PATH: &str = "/admin/settings/mail";

/// Whose report pages: the admin's (the company or any team) or a team lead's (their team).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportArea {
    Admin,
    Lead,
}

impl ReportArea {
    /// The reports hub of this area.
    pub fn hub_path(self) -> &'static str {
        match self {
            ReportArea::Admin => "/admin/reports",
            ReportArea::Lead => "/lead/reports",
        }
    }

    /// The address of a report; the team only for admins (a lead's is always their own).
    pub fn report_href(self, kind: ReportKind, key: &str, team: Option<i64>) -> String {
        let base = format!("{}/{}/{key}", self.hub_path(), kind.as_str());
        match (self, team) {
            (ReportArea::Admin, Some(team)) => format!("{base}?team={team}"),
            _ => base,
        }
    }

    /// The address of an improvement plan in this area.
    pub fn plan_href(self, id: i64) -> String {
        match self {
            ReportArea::Admin => format!("/admin/plans/{id}"),
            ReportArea::Lead => format!("/lead/plans/{id}"),
        }
    }

    /// Whether the user picks the scope (company or a team).
    pub fn picks_scope(self) -> bool {
        self == ReportArea::Admin
    }
}

/// Today in the organisation's calendar: UTC now plus eight hours, whatever the browser's zone.
pub fn org_today() -> NaiveDate {
    org_day(Utc::now())
}

/// The organisation's day at an instant (the domain's rule, as the server counts its days).
pub use pingjia_domain::calendar::org_day;

/// The kind's name: 周报 / 月报.
pub fn kind_name(locale: Locale, kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Week => td_string!(locale, reports.kind_week),
        ReportKind::Month => td_string!(locale, reports.kind_month),
    }
}

/// A period in words: "2026年第47周（11月16日–11月22日）", "Week 47, 2026 (16 Nov–22 Nov)",
/// "2026年11月", "November 2026".
pub fn period_name(locale: Locale, kind: ReportKind, period: Period) -> String {
    match kind {
        ReportKind::Week => {
            let week = period.from.iso_week();
            let day = |d: NaiveDate| match locale {
                Locale::zh_CN => format!("{}月{}日", d.month(), d.day()),
                Locale::en => d.format("%-d %b").to_string(),
            };
            td_string!(
                locale,
                reports.week_name,
                year = week.year().to_string(),
                week = week.week().to_string(),
                from = day(period.from),
                to = day(period.to)
            )
        }
        ReportKind::Month => match locale {
            Locale::zh_CN => format!("{}年{}月", period.from.year(), period.from.month()),
            Locale::en => period.from.format("%B %Y").to_string(),
        },
    }
}

/// Whom a report covers: the team's name, or the whole company.
pub fn scope_name(locale: Locale, team_name: Option<&str>) -> String {
    team_name.map_or_else(
        || td_string!(locale, reports.company).to_owned(),
        str::to_owned,
    )
}

/// The report's full title: "客户服务响应及满意度分析报告 · 2026年第47周（…） · 全公司".
pub fn report_title(
    locale: Locale,
    kind: ReportKind,
    period: Period,
    team_name: Option<&str>,
) -> String {
    format!(
        "{} · {} · {}",
        td_string!(locale, reports.report_name),
        period_name(locale, kind, period),
        scope_name(locale, team_name)
    )
}

/// The KPI card a summary figure belongs to (for its name).
fn metric_kpi(metric: ReportMetric) -> KpiKind {
    match metric {
        ReportMetric::Evaluations => KpiKind::Evaluations,
        ReportMetric::AverageTotal => KpiKind::AverageTotal,
        ReportMetric::AttainmentRate => KpiKind::Attainment,
        ReportMetric::OnTimeRate => KpiKind::OnTime,
        ReportMetric::FirstContactRate => KpiKind::FirstContact,
        ReportMetric::AverageHandlingMinutes => KpiKind::HandlingTime,
        ReportMetric::Flagged => KpiKind::Flagged,
        ReportMetric::ResponseRate => KpiKind::ResponseRate,
    }
}

/// A summary figure's name, as on its KPI card.
pub fn metric_name(locale: Locale, metric: ReportMetric) -> &'static str {
    metric_kpi(metric).name(locale)
}

/// A figure as the summary says it: rates as percentages with one decimal, scores with two,
/// the handling time as its KPI card says it (minutes, or hours and minutes), counts whole.
pub fn metric_value(locale: Locale, metric: ReportMetric, value: f64) -> String {
    match metric {
        ReportMetric::Evaluations | ReportMetric::Flagged => format!("{value:.0}"),
        ReportMetric::AverageTotal => format!("{value:.2}"),
        ReportMetric::AttainmentRate
        | ReportMetric::OnTimeRate
        | ReportMetric::FirstContactRate
        | ReportMetric::ResponseRate => format!("{:.1}%", value * 100.0),
        ReportMetric::AverageHandlingMinutes => duration_text(locale, value),
    }
}

/// One sentence of the summary: "满意度达标率 从 72.0% 升至 80.0%", or unchanged.
pub fn change_sentence(locale: Locale, change: &ReportChange) -> String {
    let name = metric_name(locale, change.metric);
    let value = metric_value(locale, change.metric, change.value);
    let previous = metric_value(locale, change.metric, change.previous);
    let (metric, previous, value) = (name, &previous, &value);
    if change.direction != Direction::Unchanged && change.value > change.previous {
        td_string!(locale, reports.summary_rose, metric, previous, value)
    } else if change.direction != Direction::Unchanged && change.value < change.previous {
        td_string!(locale, reports.summary_fell, metric, previous, value)
    } else {
        td_string!(locale, reports.summary_same, metric, previous, value)
    }
}

/// A mail's state in words.
pub fn delivery_status_name(locale: Locale, status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => td_string!(locale, reports.status_pending),
        DeliveryStatus::Retrying => td_string!(locale, reports.status_retrying),
        DeliveryStatus::Sent => td_string!(locale, reports.status_sent),
        DeliveryStatus::Failed => td_string!(locale, reports.status_failed),
    }
}

/// The badge class of a mail's state.
pub fn delivery_status_class(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => "badge badge-off",
        DeliveryStatus::Retrying => "badge badge-warn",
        DeliveryStatus::Sent => "badge",
        DeliveryStatus::Failed => "badge badge-weak",
    }
}

/// Whether a mail may be tried again now.
pub fn can_retry(status: DeliveryStatus) -> bool {
    matches!(status, DeliveryStatus::Failed | DeliveryStatus::Retrying)
}

/// "Showing 20 of 37", when a list has more than it shows.
pub fn showing_of(locale: Locale, shown: usize, count: u64) -> Option<String> {
    (count > shown as u64).then(|| {
        td_string!(
            locale,
            reports.showing_of,
            shown = shown.to_string(),
            total = count.to_string()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_organisations_day_is_utc_plus_eight() {
        // Sunday 16:30 UTC is already Monday in Shanghai: last week has closed.
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 16, 30, 0).unwrap();
        assert_eq!(org_day(now), day("2026-11-23"));
        assert_eq!(
            ReportKind::Week.key(ReportKind::Week.last_closed(org_day(now))),
            "2026-W47"
        );
        let before = Utc.with_ymd_and_hms(2026, 11, 22, 15, 59, 0).unwrap();
        assert_eq!(org_day(before), day("2026-11-22"));
    }

    #[test]
    fn periods_and_reports_are_named_in_both_languages() {
        let week = ReportKind::Week.parse_key("2026-W47").unwrap();
        assert_eq!(
            period_name(Locale::zh_CN, ReportKind::Week, week),
            "2026年第47周（11月16日–11月22日）"
        );
        assert_eq!(
            period_name(Locale::en, ReportKind::Week, week),
            "Week 47, 2026 (16 Nov–22 Nov)"
        );
        let month = ReportKind::Month.parse_key("2026-11").unwrap();
        assert_eq!(
            period_name(Locale::zh_CN, ReportKind::Month, month),
            "2026年11月"
        );
        assert_eq!(
            period_name(Locale::en, ReportKind::Month, month),
            "November 2026"
        );
        assert_eq!(
            report_title(Locale::zh_CN, ReportKind::Month, month, Some("一组")),
            "客户服务响应及满意度分析报告 · 2026年11月 · 一组"
        );
        assert_eq!(
            ReportArea::Admin.report_href(ReportKind::Week, "2026-W47", Some(2)),
            "/admin/reports/week/2026-W47?team=2"
        );
        assert_eq!(
            ReportArea::Lead.report_href(ReportKind::Week, "2026-W47", Some(2)),
            "/lead/reports/week/2026-W47"
        );
    }

    #[test]
    fn the_summary_says_each_change_with_its_figures() {
        let change = |metric, value, previous, direction| ReportChange {
            metric,
            value,
            previous,
            direction,
        };
        assert_eq!(
            change_sentence(
                Locale::zh_CN,
                &change(ReportMetric::AttainmentRate, 0.8, 0.72, Direction::Improved)
            ),
            "满意度达标率 从 72.0% 升至 80.0%"
        );
        assert_eq!(
            change_sentence(
                Locale::en,
                &change(
                    ReportMetric::AverageHandlingMinutes,
                    30.0,
                    42.26,
                    Direction::Improved
                )
            ),
            "Average handling time fell from 42 min to 30 min"
        );
        assert_eq!(
            change_sentence(
                Locale::zh_CN,
                &change(
                    ReportMetric::AverageHandlingMinutes,
                    65.0,
                    58.0,
                    Direction::Worsened
                )
            ),
            "平均处理时长 从 58 分钟 升至 1 小时 5 分钟"
        );
        assert_eq!(
            change_sentence(
                Locale::en,
                &change(ReportMetric::AverageTotal, 4.2, 4.2, Direction::Unchanged)
            ),
            "Average total score unchanged at 4.20 (previous 4.20)"
        );
        assert_eq!(showing_of(Locale::en, 20, 37).unwrap(), "Showing 20 of 37");
        assert_eq!(showing_of(Locale::en, 3, 3), None);
    }
}

/// `/reports/:kind/:key` (the link in report mails, which cannot know who opens it): to the
/// admin's or the team lead's page of the same report, replacing this address.
#[leptos::component]
pub fn ReportLink() -> impl leptos::IntoView {
    use leptos::prelude::*;
    use leptos_router::NavigateOptions;
    use leptos_router::components::Redirect;
    use leptos_router::hooks::{use_location, use_params_map};

    let session = crate::session::use_session();
    let params = use_params_map();
    let search = use_location().search;
    move || {
        let area = match session.state() {
            crate::session::SessionState::SignedIn(me)
                if me.role == pingjia_domain::wire::Role::TeamLead =>
            {
                ReportArea::Lead
            }
            _ => ReportArea::Admin,
        };
        let p = params.get();
        let query = search.get();
        let path = format!(
            "{}/{}/{}{}{}",
            area.hub_path(),
            p.get("kind").unwrap_or_default(),
            p.get("key").unwrap_or_default(),
            if query.is_empty() { "" } else { "?" },
            query
        );
        let options = NavigateOptions {
            replace: true,
            ..NavigateOptions::default()
        };
        view! { <Redirect path options /> }
    }
}
