//! Weekly and monthly analysis reports (seed 001: 客户服务响应及满意度分析报告) and their
//! e-mail subscriptions: the periods a report covers, the computed summary of what improved
//! and what got worse, the wire types of a report, a subscription, a delivery and the SMTP
//! settings, with their checks.
//!
//! Periods are whole days in the organisation's time zone: a week runs Monday to Sunday (ISO
//! 8601), a month from its first to its last day. A period closes at 00:00 of the day after
//! its last day; a report of a closed period is built once and kept.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::analytics::{KpiReport, Period, TagCount};
use crate::problem::FieldError;

/// How many periods the KPI trend of a report shows, the report's own included.
pub const TREND_PERIODS: usize = 6;
/// Most recurring problems a report lists, and example suggestions per problem.
pub const MAX_PROBLEMS: usize = 8;
pub const EXAMPLES_PER_PROBLEM: usize = 2;
/// Longest example suggestion quoted in a report, in characters.
pub const EXAMPLE_MAX_CHARS: usize = 140;
/// Most rows of the open-appeal and overdue-plan lists (the counts are exact).
pub const MAX_LISTED: usize = 20;
/// Most recipients of one subscription.
pub const MAX_RECIPIENTS: usize = 20;
/// Sending attempts of one mail before it is given up.
pub const MAX_ATTEMPTS: u32 = 6;

closed_list! {
    /// Whether a report covers a week or a month.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum ReportKind {
        /// Monday to Sunday.
        Week = "week" ("周报", "Weekly"),
        /// A calendar month.
        Month = "month" ("月报", "Monthly"),
    }
}

impl ReportKind {
    /// The week or month that contains `day`.
    pub fn period_of(self, day: NaiveDate) -> Period {
        match self {
            ReportKind::Week => {
                let from = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
                Period {
                    from,
                    to: from + Days::new(6),
                }
            }
            ReportKind::Month => {
                let from = day.with_day(1).expect("day 1 exists");
                Period {
                    from,
                    to: from + Months::new(1) - Days::new(1),
                }
            }
        }
    }

    /// The period before `period` (of this kind): the week before, or the month before.
    pub fn previous(self, period: Period) -> Period {
        self.period_of(period.from - Days::new(1))
    }

    /// The period after `period` (of this kind).
    pub fn next(self, period: Period) -> Period {
        self.period_of(period.to + Days::new(1))
    }

    /// The most recent period that has closed on `today` (the one before today's).
    pub fn last_closed(self, today: NaiveDate) -> Period {
        self.previous(self.period_of(today))
    }

    /// The `n` periods ending with `period`, oldest first.
    pub fn recent(self, period: Period, n: usize) -> Vec<Period> {
        let mut out = vec![period];
        while out.len() < n {
            let before = self.previous(out[out.len() - 1]);
            out.push(before);
        }
        out.reverse();
        out
    }

    /// The key of the period that starts on `period.from`: `2026-W47` (ISO week) or `2026-11`.
    pub fn key(self, period: Period) -> String {
        match self {
            ReportKind::Week => {
                let week = period.from.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            ReportKind::Month => format!("{}-{:02}", period.from.year(), period.from.month()),
        }
    }

    /// The period a key names, when it is a well-formed key of this kind.
    pub fn parse_key(self, key: &str) -> Option<Period> {
        match self {
            ReportKind::Week => {
                let (year, week) = key.split_once("-W")?;
                if week.len() != 2 || year.len() != 4 {
                    return None;
                }
                let from = NaiveDate::from_isoywd_opt(
                    year.parse().ok()?,
                    week.parse().ok()?,
                    Weekday::Mon,
                )?;
                Some(self.period_of(from))
            }
            ReportKind::Month => {
                let (year, month) = key.split_once('-')?;
                if month.len() != 2 || year.len() != 4 {
                    return None;
                }
                let from = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
                Some(self.period_of(from))
            }
        }
    }
}

/// Whether a period has closed on `today` (its last day is over in the organisation's zone).
pub fn is_closed(period: Period, today: NaiveDate) -> bool {
    period.to < today
}

closed_list! {
    /// A figure of the summary: what improved and what got worse.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum ReportMetric {
        Evaluations = "evaluations" ("评价数", "Evaluations"),
        AverageTotal = "average_total" ("平均综合得分", "Average total score"),
        AttainmentRate = "attainment_rate" ("满意度达成率", "Satisfaction attainment"),
        OnTimeRate = "on_time_rate" ("响应及时率", "Response on time"),
        FirstContactRate = "first_contact_rate" ("首次解决率", "First-contact resolution"),
        AverageHandlingMinutes = "average_handling_minutes" ("平均处理时长", "Average handling time"),
        Flagged = "flagged" ("异常评价", "Flagged evaluations"),
    }
}

impl ReportMetric {
    /// Whether a higher value is good news (`None`: neither, e.g. the number of evaluations).
    pub fn higher_is_better(self) -> Option<bool> {
        match self {
            ReportMetric::Evaluations => None,
            ReportMetric::AverageHandlingMinutes | ReportMetric::Flagged => Some(false),
            _ => Some(true),
        }
    }

    /// The smallest change that counts as a change: half a percentage point of a rate, a
    /// hundredth of a score, a tenth of a minute, one evaluation.
    pub fn tolerance(self) -> f64 {
        match self {
            ReportMetric::AttainmentRate
            | ReportMetric::OnTimeRate
            | ReportMetric::FirstContactRate => 0.005,
            ReportMetric::AverageTotal => 0.01,
            ReportMetric::AverageHandlingMinutes => 0.1,
            ReportMetric::Evaluations | ReportMetric::Flagged => 1.0,
        }
    }

    /// The KPI of this metric on the cards.
    pub fn of(self, kpis: &KpiReport) -> crate::analytics::Kpi {
        match self {
            ReportMetric::Evaluations => kpis.evaluations,
            ReportMetric::AverageTotal => kpis.average_total,
            ReportMetric::AttainmentRate => kpis.attainment_rate,
            ReportMetric::OnTimeRate => kpis.on_time_rate,
            ReportMetric::FirstContactRate => kpis.first_contact_rate,
            ReportMetric::AverageHandlingMinutes => kpis.average_handling_minutes,
            ReportMetric::Flagged => kpis.flagged,
        }
    }
}

/// Which way a figure moved against the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improved,
    Worsened,
    /// Moved, but neither better nor worse (the number of evaluations).
    Changed,
    Unchanged,
}

/// One line of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportChange {
    pub metric: ReportMetric,
    pub value: f64,
    pub previous: f64,
    pub direction: Direction,
}

/// The summary of a report, computed from its KPI cards: every figure known in both periods,
/// improvements first, then what got worse, then the rest; within each, the largest relative
/// change first.
pub fn summarize(kpis: &KpiReport) -> Vec<ReportChange> {
    let mut out: Vec<ReportChange> = ReportMetric::ALL
        .into_iter()
        .filter_map(|metric| {
            let kpi = metric.of(kpis);
            let (value, previous) = (kpi.value?, kpi.previous?);
            let delta = value - previous;
            let direction = if delta.abs() < metric.tolerance() - 1e-9 {
                Direction::Unchanged
            } else {
                match metric.higher_is_better() {
                    None => Direction::Changed,
                    Some(up_is_good) if (delta > 0.0) == up_is_good => Direction::Improved,
                    Some(_) => Direction::Worsened,
                }
            };
            Some(ReportChange {
                metric,
                value,
                previous,
                direction,
            })
        })
        .collect();
    let rank = |d: Direction| match d {
        Direction::Improved => 0,
        Direction::Worsened => 1,
        Direction::Changed => 2,
        Direction::Unchanged => 3,
    };
    let relative = |c: &ReportChange| {
        let base = c.previous.abs().max(c.metric.tolerance());
        (c.value - c.previous).abs() / base
    };
    out.sort_by(|a, b| {
        rank(a.direction)
            .cmp(&rank(b.direction))
            .then(relative(b).total_cmp(&relative(a)))
    });
    out
}

/// One period of the report's KPI trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportTrendPoint {
    pub key: String,
    pub period: Period,
    pub evaluations: u64,
    /// 1-5.
    pub average_total: Option<f64>,
    /// Fractions.
    pub attainment_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub first_contact_rate: Option<f64>,
}

/// An example suggestion behind a recurring problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportExample {
    pub number: String,
    pub overall: u8,
    /// Cut to [`EXAMPLE_MAX_CHARS`] characters (with "…").
    pub suggestion: String,
}

/// A recurring problem: a frequent term of the complaints' suggestions, with examples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportProblem {
    pub term: String,
    /// Complaint evaluations (overall at or below the callback threshold) whose suggestion
    /// has the term.
    pub count: u64,
    pub examples: Vec<ReportExample>,
}

/// An agent's line of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAgent {
    /// 1 for the best.
    pub rank: u32,
    pub agent_no: String,
    pub name: String,
    pub team_name: Option<String>,
    pub evaluations: u64,
    pub average_total: Option<f64>,
    /// 1-10.
    pub average_overall: Option<f64>,
    /// Satisfaction: overall at or above the threshold, a fraction.
    pub attainment_rate: Option<f64>,
    /// Service records the agent handled in the period.
    pub records: u64,
    /// Resolution: resolved at first contact, a fraction of the records.
    pub first_contact_rate: Option<f64>,
}

/// Ranks agents by satisfaction (attainment rate), then resolution (first-contact rate), then
/// mean total score, then more evaluations; agents without evaluations last. Sets `rank`.
pub fn rank_agents(mut agents: Vec<ReportAgent>) -> Vec<ReportAgent> {
    let key = |v: Option<f64>| v.unwrap_or(-1.0);
    agents.sort_by(|a, b| {
        key(b.attainment_rate)
            .total_cmp(&key(a.attainment_rate))
            .then(key(b.first_contact_rate).total_cmp(&key(a.first_contact_rate)))
            .then(key(b.average_total).total_cmp(&key(a.average_total)))
            .then(b.evaluations.cmp(&a.evaluations))
            .then_with(|| a.agent_no.cmp(&b.agent_no))
    });
    for (i, agent) in agents.iter_mut().enumerate() {
        agent.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    agents
}

/// An appeal awaiting a decision when the report was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAppeal {
    pub evaluation_number: String,
    pub agent_no: String,
    pub agent_name: String,
    pub filed_at: DateTime<Utc>,
    /// Whole days since it was filed.
    pub days_open: u32,
}

/// An improvement plan past its due date when the report was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPlan {
    pub id: i64,
    pub evaluation_number: String,
    pub agent_no: String,
    pub agent_name: String,
    pub due_at: DateTime<Utc>,
    /// Whole days past due.
    pub days_overdue: u32,
}

/// `GET /reports/{kind}/{key}`: the report of a week or month, for the company or a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub kind: ReportKind,
    pub key: String,
    pub period: Period,
    /// The week or month before (what the summary compares with).
    pub previous_period: Period,
    /// `None`: the whole company.
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// Whether the period had closed when the report was built.
    pub closed: bool,
    /// Whether this is the kept report (built once the period closed) rather than figures
    /// computed now.
    pub stored: bool,
    pub generated_at: DateTime<Utc>,
    /// The KPI cards against the previous week or month: the dashboard's, for this period.
    pub kpis: KpiReport,
    /// The last [`TREND_PERIODS`] periods, this one last.
    pub trend: Vec<ReportTrendPoint>,
    /// Complaint evaluations (category 投诉) and their tags, largest first.
    pub complaints: u64,
    pub complaint_tags: Vec<TagCount>,
    pub problems: Vec<ReportProblem>,
    pub agents: Vec<ReportAgent>,
    pub open_appeal_count: u64,
    /// Oldest first, at most [`MAX_LISTED`].
    pub open_appeals: Vec<ReportAppeal>,
    pub overdue_plan_count: u64,
    /// Most overdue first, at most [`MAX_LISTED`].
    pub overdue_plans: Vec<ReportPlan>,
    pub summary: Vec<ReportChange>,
}

closed_list! {
    /// The tables of a report that download as CSV (`GET /reports/{kind}/{key}/csv/{table}`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum ReportTable {
        Summary = "summary",
        Trend = "trend",
        Complaints = "complaints",
        Problems = "problems",
        Agents = "agents",
        Appeals = "appeals",
        Plans = "plans",
    }
}

// ---------------------------------------------------------------------------------------------
// Subscriptions and deliveries

/// `GET /report-subscriptions`: who receives which report by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    pub id: i64,
    pub kind: ReportKind,
    /// `None`: the whole company (admins only).
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub recipients: Vec<String>,
    /// A paused subscription gets no reports.
    pub active: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// The first period it gets: the last one closed when it was created.
    pub first_key: String,
}

/// `POST /report-subscriptions` and `PUT /report-subscriptions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionInput {
    pub kind: ReportKind,
    /// `None` for the whole company; a lead may only name their own team.
    pub team_id: Option<i64>,
    /// E-mail addresses, one to [`MAX_RECIPIENTS`].
    pub recipients: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Checks an e-mail address (trimmed): one `@` with something on both sides, a domain of
/// dot-separated labels, no spaces or angle brackets, at most 254 characters. The server also
/// parses it with its mail library.
pub fn check_address(address: &str) -> Result<String, &'static str> {
    let address = address.trim();
    if address.is_empty() {
        return Err("empty");
    }
    if address.chars().count() > 254 {
        return Err("too_long");
    }
    let (local, domain) = address.split_once('@').ok_or("invalid")?;
    let bad = |c: char| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\@".contains(c);
    if local.is_empty()
        || domain.is_empty()
        || local.chars().any(bad)
        || domain.chars().any(bad)
        || domain.split('.').any(str::is_empty)
    {
        return Err("invalid");
    }
    Ok(address.to_owned())
}

impl SubscriptionInput {
    /// The recipients, trimmed and without repeats (case-insensitive), or what is wrong with
    /// them (`recipients` for the list, `recipients[i]` for one address).
    pub fn check(&self) -> Result<Vec<String>, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out: Vec<String> = Vec::new();
        for (i, raw) in self.recipients.iter().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            match check_address(raw) {
                Ok(a) if out.iter().any(|o| o.eq_ignore_ascii_case(&a)) => {}
                Ok(a) => out.push(a),
                Err(code) => errors.push(FieldError::new(
                    format!("recipients[{i}]"),
                    code,
                    format!("{:?} is not an e-mail address", raw.trim()),
                )),
            }
        }
        if errors.is_empty() && out.is_empty() {
            errors.push(FieldError::new(
                "recipients",
                "required",
                "at least one e-mail address",
            ));
        }
        if out.len() > MAX_RECIPIENTS {
            errors.push(FieldError::new(
                "recipients",
                "too_many",
                format!("at most {MAX_RECIPIENTS} addresses"),
            ));
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

closed_list! {
    /// Where a mail of a report stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum DeliveryStatus {
        /// Not tried yet.
        Pending = "pending" ("待发送", "Pending"),
        /// Failed; tried again at `next_attempt_at`.
        Retrying = "retrying" ("重试中", "Retrying"),
        Sent = "sent" ("已发送", "Sent"),
        /// Failed [`MAX_ATTEMPTS`] times; an admin may try again.
        Failed = "failed" ("失败", "Failed"),
    }
}

/// The wait before the next attempt after `attempts` failed ones: 1, 2, 4, 8, 16 minutes; `None`
/// once [`MAX_ATTEMPTS`] have failed.
pub fn retry_delay(attempts: u32) -> Option<chrono::Duration> {
    if attempts == 0 || attempts >= MAX_ATTEMPTS {
        return None;
    }
    Some(chrono::Duration::minutes(1 << (attempts - 1).min(10)))
}

/// One mail of a kept report to one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    pub address: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// What the mail server answered the last failed attempt.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// `GET /reports`: a kept report with its mails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredReport {
    pub id: i64,
    pub kind: ReportKind,
    pub key: String,
    pub period: Period,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub generated_at: DateTime<Utc>,
    pub evaluations: u64,
    pub average_total: Option<f64>,
    pub attainment_rate: Option<f64>,
    pub deliveries: Vec<Delivery>,
}

// ---------------------------------------------------------------------------------------------
// SMTP

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the local network).
    None,
    /// STARTTLS on the submission port (587).
    #[default]
    StartTls,
    /// TLS from the first byte (465).
    Tls,
}

/// `GET /settings/smtp`: the mail server. The password never leaves the server: only whether
/// one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmtpSettings {
    /// Empty until an admin sets the mail server up.
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password_set: bool,
    pub from_address: String,
    pub from_name: String,
    /// The address of Pingjia that links in mails start with.
    pub link_base: String,
    pub updated_at: Option<DateTime<Utc>>,
}

/// `PUT /settings/smtp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmtpSettingsInput {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// Absent: keep the stored one; empty: remove it; otherwise the new password.
    #[serde(default)]
    pub password: Option<String>,
    pub from_address: String,
    pub from_name: String,
    /// Where people open Pingjia (`https://pingjia.example.com`); empty: the server's own.
    #[serde(default)]
    pub link_base: String,
}

impl SmtpSettingsInput {
    /// The input trimmed, or what is wrong with each field.
    pub fn check(&self) -> Result<SmtpSettingsInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let host = self.host.trim().to_owned();
        if host.is_empty() {
            errors.push(FieldError::new(
                "host",
                "required",
                "the mail server's name",
            ));
        } else if host.chars().any(|c| c.is_whitespace() || "/:@".contains(c)) || host.len() > 253 {
            errors.push(FieldError::new(
                "host",
                "invalid",
                "a host name or address, without a port or scheme",
            ));
        }
        if self.port == 0 {
            errors.push(FieldError::new("port", "invalid", "a port from 1 to 65535"));
        }
        let from_address = match check_address(&self.from_address) {
            Ok(a) => a,
            Err(code) => {
                errors.push(FieldError::new(
                    "from_address",
                    code,
                    "the sender's e-mail address",
                ));
                String::new()
            }
        };
        let from_name = self.from_name.trim().to_owned();
        if from_name.chars().count() > 80 {
            errors.push(FieldError::new(
                "from_name",
                "too_long",
                "at most 80 characters",
            ));
        }
        let username = self
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned);
        let link_base = self.link_base.trim().trim_end_matches('/').to_owned();
        let web_address = link_base.starts_with("http://") || link_base.starts_with("https://");
        if !link_base.is_empty() && !web_address {
            errors.push(FieldError::new(
                "link_base",
                "invalid",
                "an address starting with http:// or https://",
            ));
        }
        if errors.is_empty() {
            Ok(SmtpSettingsInput {
                host,
                port: self.port,
                security: self.security,
                username,
                password: self.password.clone(),
                from_address,
                from_name,
                link_base,
            })
        } else {
            Err(errors)
        }
    }
}

/// `POST /settings/smtp/test`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestMail {
    pub to: String,
}

/// `POST /settings/smtp/test` when the mail server accepted the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestMailSent {
    pub to: String,
    /// The mail server's reply.
    pub reply: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::Kpi;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn period(from: &str, to: &str) -> Period {
        Period {
            from: day(from),
            to: day(to),
        }
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_have_iso_keys() {
        let week = ReportKind::Week;
        // Sunday 2026-11-22 belongs to the week that began on Monday the 16th.
        assert_eq!(
            week.period_of(day("2026-11-22")),
            period("2026-11-16", "2026-11-22")
        );
        assert_eq!(
            week.period_of(day("2026-11-23")),
            period("2026-11-23", "2026-11-29")
        );
        assert_eq!(week.key(period("2026-11-16", "2026-11-22")), "2026-W47");
        assert_eq!(
            week.parse_key("2026-W47"),
            Some(period("2026-11-16", "2026-11-22"))
        );
        // ISO week 1 of 2027 starts in December 2026 (2027-01-01 is a Friday... of week 53).
        let first = week.parse_key("2026-W01").unwrap();
        assert_eq!(first, period("2025-12-29", "2026-01-04"));
        assert_eq!(week.key(first), "2026-W01");
        assert_eq!(week.key(week.period_of(day("2027-01-01"))), "2026-W53");
        for bad in ["2026-W54", "2026-47", "2026-W7", "26-W47", "", "2026-W4x"] {
            assert_eq!(week.parse_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_and_their_keys() {
        let month = ReportKind::Month;
        assert_eq!(
            month.period_of(day("2024-02-10")),
            period("2024-02-01", "2024-02-29")
        );
        assert_eq!(month.key(period("2026-11-01", "2026-11-30")), "2026-11");
        assert_eq!(
            month.parse_key("2026-12"),
            Some(period("2026-12-01", "2026-12-31"))
        );
        for bad in ["2026-13", "2026-1", "2026/11", "2026-W47", "x"] {
            assert_eq!(month.parse_key(bad), None, "{bad}");
        }
        assert_eq!(
            month.previous(period("2026-03-01", "2026-03-31")),
            period("2026-02-01", "2026-02-28")
        );
        assert_eq!(
            month.next(period("2026-12-01", "2026-12-31")),
            period("2027-01-01", "2027-01-31")
        );
    }

    #[test]
    fn the_last_closed_period_and_the_trend_periods() {
        // On Monday the week before has closed; on Sunday it is still the week before that.
        assert_eq!(
            ReportKind::Week.last_closed(day("2026-11-23")),
            period("2026-11-16", "2026-11-22")
        );
        assert_eq!(
            ReportKind::Week.last_closed(day("2026-11-22")),
            period("2026-11-09", "2026-11-15")
        );
        assert_eq!(
            ReportKind::Month.last_closed(day("2026-01-01")),
            period("2025-12-01", "2025-12-31")
        );
        assert!(is_closed(
            period("2026-11-16", "2026-11-22"),
            day("2026-11-23")
        ));
        assert!(!is_closed(
            period("2026-11-16", "2026-11-22"),
            day("2026-11-22")
        ));
        let six = ReportKind::Month.recent(period("2026-02-01", "2026-02-28"), TREND_PERIODS);
        let keys: Vec<String> = six.iter().map(|p| ReportKind::Month.key(*p)).collect();
        assert_eq!(
            keys,
            [
                "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"
            ]
        );
    }

    fn kpis(pairs: [(Option<f64>, Option<f64>); 7]) -> KpiReport {
        let k = |(value, previous): (Option<f64>, Option<f64>)| Kpi { value, previous };
        KpiReport {
            period: period("2026-11-16", "2026-11-22"),
            previous_period: period("2026-11-09", "2026-11-15"),
            evaluations: k(pairs[0]),
            average_total: k(pairs[1]),
            attainment_rate: k(pairs[2]),
            on_time_rate: k(pairs[3]),
            first_contact_rate: k(pairs[4]),
            average_handling_minutes: k(pairs[5]),
            open_appeals: Kpi {
                value: Some(2.0),
                previous: None,
            },
            flagged: k(pairs[6]),
            generated_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_summary_says_what_improved_and_what_got_worse() {
        let summary = summarize(&kpis([
            (Some(120.0), Some(100.0)), // more evaluations: changed, neither good nor bad
            (Some(4.2), Some(4.0)),     // score up: improved
            (Some(0.80), Some(0.804)),  // attainment within half a point: unchanged
            (Some(0.70), Some(0.90)),   // on time down: worse
            (None, Some(0.5)),          // first contact unknown now: left out
            (Some(30.0), Some(40.0)),   // handling faster: improved
            (Some(3.0), Some(1.0)),     // more flagged: worse
        ]));
        let got: Vec<(ReportMetric, Direction)> =
            summary.iter().map(|c| (c.metric, c.direction)).collect();
        assert_eq!(
            got,
            [
                // Improvements, the larger relative change first: −25 % minutes, +5 % score.
                (ReportMetric::AverageHandlingMinutes, Direction::Improved),
                (ReportMetric::AverageTotal, Direction::Improved),
                // Worse: flagged tripled (+200 %), on time −22 %.
                (ReportMetric::Flagged, Direction::Worsened),
                (ReportMetric::OnTimeRate, Direction::Worsened),
                (ReportMetric::Evaluations, Direction::Changed),
                (ReportMetric::AttainmentRate, Direction::Unchanged),
            ]
        );
        // Exactly the tolerance counts as a change.
        let edge = summarize(&kpis([
            (Some(10.0), Some(10.0)),
            (Some(4.01), Some(4.0)),
            (Some(0.805), Some(0.80)),
            (None, None),
            (None, None),
            (None, None),
            (Some(0.0), Some(0.0)),
        ]));
        assert_eq!(edge[0].direction, Direction::Improved);
        assert_eq!(edge[1].direction, Direction::Improved);
        assert!(
            edge[2..]
                .iter()
                .all(|c| c.direction == Direction::Unchanged)
        );
    }

    fn agent(no: &str, attainment: Option<f64>, fcr: Option<f64>, n: u64) -> ReportAgent {
        ReportAgent {
            rank: 0,
            agent_no: no.into(),
            name: no.into(),
            team_name: None,
            evaluations: n,
            average_total: Some(4.0),
            average_overall: Some(8.0),
            attainment_rate: attainment,
            records: n,
            first_contact_rate: fcr,
        }
    }

    #[test]
    fn agents_rank_by_satisfaction_then_resolution() {
        let ranked = rank_agents(vec![
            agent("E3", Some(0.9), Some(0.5), 10),
            agent("E1", Some(0.9), Some(0.8), 10),
            agent("E4", None, Some(1.0), 0),
            agent("E2", Some(0.95), Some(0.1), 3),
        ]);
        let order: Vec<(&str, u32)> = ranked
            .iter()
            .map(|a| (a.agent_no.as_str(), a.rank))
            .collect();
        assert_eq!(order, [("E2", 1), ("E1", 2), ("E3", 3), ("E4", 4)]);
    }

    #[test]
    fn recipients_are_checked_trimmed_and_deduplicated() {
        let input = |r: &[&str]| SubscriptionInput {
            kind: ReportKind::Week,
            team_id: None,
            recipients: r.iter().map(|s| (*s).to_owned()).collect(),
            active: true,
        };
        assert_eq!(
            input(&[" ops@example.com ", "OPS@example.com", "", "lead@corp.cn"]).check(),
            Ok(vec![
                "ops@example.com".to_owned(),
                "lead@corp.cn".to_owned()
            ])
        );
        let errors = input(&["ops@example.com", "not an address", "a@b..c"])
            .check()
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["recipients[1]", "recipients[2]"]);
        assert_eq!(input(&["  "]).check().unwrap_err()[0].code, "required");
        let many: Vec<String> = (0..=MAX_RECIPIENTS)
            .map(|i| format!("p{i}@example.com"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(input(&many).check().unwrap_err()[0].code, "too_many");
        for bad in ["@x.cn", "a@", "a b@x.cn", "<a@x.cn>", "a@x.cn,b@x.cn"] {
            assert!(check_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retries_back_off_then_give_up() {
        let minutes: Vec<Option<i64>> = (0..=MAX_ATTEMPTS)
            .map(|n| retry_delay(n).map(|d| d.num_minutes()))
            .collect();
        assert_eq!(
            minutes,
            [None, Some(1), Some(2), Some(4), Some(8), Some(16), None]
        );
    }

    #[test]
    fn smtp_settings_are_checked() {
        let input = SmtpSettingsInput {
            host: " smtp.example.com ".into(),
            port: 587,
            security: SmtpSecurity::StartTls,
            username: Some("  ".into()),
            password: None,
            from_address: "pingjia@example.com".into(),
            from_name: "评价".into(),
            link_base: "https://pingjia.example.com/".into(),
        };
        let ok = input.check().unwrap();
        assert_eq!(ok.host, "smtp.example.com");
        assert_eq!(ok.username, None);
        assert_eq!(ok.link_base, "https://pingjia.example.com");
        let bad = SmtpSettingsInput {
            host: "smtp://x:25".into(),
            port: 0,
            from_address: "nobody".into(),
            link_base: "pingjia.example.com".into(),
            ..input
        };
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["host", "port", "from_address", "link_base"]);
    }
}
