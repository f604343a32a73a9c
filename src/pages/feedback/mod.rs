//! The agent's side of the evaluations (服务人员端) and the team lead's: the agent's home with
//! their figures beside the team's and charts (`/agent`), their evaluations with read state and
//! verdicts on suggestions (`/agent/feedback`), improvement plans (改进计划: `/agent/plans`,
//! `/lead/plans`, `/admin/plans` and each plan under them), the team lead's home with the team
//! side by side, plans to review and low-score callbacks (回访, `/lead`).
//!
//! This module holds what those pages share: addresses, the period in the address, the names
//! of the feedback enumerations, number and time texts, and the words of the field errors.

pub mod agent_home;
pub mod callbacks;
pub mod coaching;
pub mod coaching_form;
pub mod coaching_list;
pub mod comparison;
pub mod lead_home;
pub mod list;
pub mod period_bar;
pub mod plan;
pub mod plans;

use chrono::{DateTime, Datelike, Local, NaiveDate, Utc, Weekday};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use pingjia_domain::FieldError;
use pingjia_domain::analytics::{Granularity, MAX_PERIOD_DAYS, Period};
use pingjia_domain::feedback::{
    CallResult, CallbackOutcome, MEASURES_MIN_CHARS, PlanStatus, REASON_MIN_CHARS, ScoreBand,
    SummaryQuery, TEXT_MAX_CHARS,
};
use serde::Deserialize;

use crate::api::query;
use crate::components::form::{ErrorWords, WordedErrors};
use crate::i18n::{Locale, td_string};

/// The agent's home.
pub const AGENT_HOME_PATH: &str = "/agent";
/// The agent's evaluations.
pub const FEEDBACK_PATH: &str = "/agent/feedback";
/// The team lead's home.
pub const LEAD_HOME_PATH: &str = "/lead";

/// Whose plan pages: the agent's own, the team lead's (their team) or the admin's (all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Agent,
    Lead,
    Admin,
}

impl Area {
    /// The list of plans in this area.
    pub fn plans_path(self) -> &'static str {
        match self {
            Area::Agent => "/agent/plans",
            Area::Lead => "/lead/plans",
            Area::Admin => "/admin/plans",
        }
    }

    /// The address of a plan in this area.
    pub fn plan_href(self, id: i64) -> String {
        format!("{}/{id}", self.plans_path())
    }

    /// Whether the people of this area review plans (leads and admins) rather than write them.
    pub fn reviews(self) -> bool {
        self != Area::Agent
    }
}

/// The period presets, in days.
pub const PRESET_DAYS: [u64; 3] = [7, 30, 90];
/// The period when the address names none.
pub const DEFAULT_DAYS: u64 = 30;

/// The period of a page as its address carries it: `?days=7` or `?from=…&to=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    /// The last so many days, today included.
    Last(u64),
    /// From one day to another, both included.
    Custom { from: NaiveDate, to: NaiveDate },
}

impl Default for PeriodChoice {
    fn default() -> Self {
        PeriodChoice::Last(DEFAULT_DAYS)
    }
}

/// What is wrong with a custom period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodProblem {
    /// The first day is after the last.
    AfterTo,
    /// Longer than a report covers.
    TooLong,
}

impl PeriodChoice {
    /// Reads `days`, else `from` and `to`; anything unreadable is the default period.
    pub fn from_params(params: &ParamsMap) -> PeriodChoice {
        let read: PeriodParams = query::from_pairs(params.latest_values(), &[]);
        if let Some(days) = read.days.filter(|d| PRESET_DAYS.contains(d)) {
            return PeriodChoice::Last(days);
        }
        match (read.from, read.to) {
            (Some(from), Some(to)) => PeriodChoice::checked(from, to).unwrap_or_default(),
            _ => PeriodChoice::default(),
        }
    }

    /// A custom period, or what is wrong with it.
    pub fn checked(from: NaiveDate, to: NaiveDate) -> Result<PeriodChoice, PeriodProblem> {
        if from > to {
            return Err(PeriodProblem::AfterTo);
        }
        if (Period { from, to }).days() > MAX_PERIOD_DAYS {
            return Err(PeriodProblem::TooLong);
        }
        Ok(PeriodChoice::Custom { from, to })
    }

    /// The days it covers, the presets ending `today`.
    pub fn period(self, today: NaiveDate) -> Period {
        match self {
            PeriodChoice::Last(days) => Period::last_days(today, days),
            PeriodChoice::Custom { from, to } => Period { from, to },
        }
    }

    /// Its query parameters.
    pub fn params(self) -> Vec<(&'static str, String)> {
        match self {
            PeriodChoice::Last(days) => vec![("days", days.to_string())],
            PeriodChoice::Custom { from, to } => {
                vec![("from", from.to_string()), ("to", to.to_string())]
            }
        }
    }
}

/// A period as the address carries it: a preset's days, or its first and last day.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PeriodParams {
    days: Option<u64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// The trend's granularity in the address (`?granularity=week`); a day by default.
pub fn granularity_from_params(params: &ParamsMap) -> Granularity {
    let read: SummaryQuery = query::from_pairs(params.latest_values(), &[]);
    read.granularity.unwrap_or_default()
}

/// The summary query of a period (the presets ending `today`) and a granularity.
pub fn summary_query(
    choice: PeriodChoice,
    granularity: Option<Granularity>,
    today: NaiveDate,
) -> SummaryQuery {
    let period = choice.period(today);
    SummaryQuery {
        from: Some(period.from),
        to: Some(period.to),
        granularity,
    }
}

/// Today in the user's zone.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// `path?pairs`, `path` alone without pairs.
pub fn href_with(path: &str, pairs: &[(&str, String)]) -> String {
    query::with_query(path, &query::to_query(pairs))
}

/// A change of a mean with its sign, e.g. "+0.25", "−0.10", or "—".
pub fn change_text(change: Option<f64>) -> String {
    match change {
        None => "—".to_owned(),
        Some(c) if c > 0.0 => format!("+{c:.2}"),
        Some(c) if c < 0.0 => format!("−{:.2}", -c),
        Some(_) => "0.00".to_owned(),
    }
}

/// A day of the week in the interface language.
pub fn weekday_name(locale: Locale, day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => td_string!(locale, feedback.weekday_mon),
        Weekday::Tue => td_string!(locale, feedback.weekday_tue),
        Weekday::Wed => td_string!(locale, feedback.weekday_wed),
        Weekday::Thu => td_string!(locale, feedback.weekday_thu),
        Weekday::Fri => td_string!(locale, feedback.weekday_fri),
        Weekday::Sat => td_string!(locale, feedback.weekday_sat),
        Weekday::Sun => td_string!(locale, feedback.weekday_sun),
    }
}

/// A day with its weekday, e.g. "2026-11-25（周三）" / "Wed 2026-11-25".
pub fn day_with_weekday(locale: Locale, day: NaiveDate) -> String {
    td_string!(
        locale,
        feedback.day_weekday,
        day = day.format("%Y-%m-%d").to_string(),
        weekday = weekday_name(locale, day.weekday())
    )
}

/// A deadline in the user's zone with its weekday and the zone's offset, e.g.
/// "2026-11-25（周三）18:00 (UTC+08:00)".
pub fn due_text(locale: Locale, due: DateTime<Utc>) -> String {
    let local = due.with_timezone(&Local);
    format!(
        "{} {} (UTC{})",
        day_with_weekday(locale, local.date_naive()),
        local.format("%H:%M"),
        local.format("%:z")
    )
}

/// Where a plan stands, in words.
pub fn plan_status_name(locale: Locale, status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Open => td_string!(locale, feedback.status_open),
        PlanStatus::Submitted => td_string!(locale, feedback.status_submitted),
        PlanStatus::SentBack => td_string!(locale, feedback.status_sent_back),
        PlanStatus::Acknowledged => td_string!(locale, feedback.status_acknowledged),
    }
}

/// The class of a plan status's badge.
pub fn plan_status_class(status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Open => "badge badge-warn",
        PlanStatus::Submitted => "badge badge-off",
        PlanStatus::SentBack => "badge badge-new",
        PlanStatus::Acknowledged => "badge",
    }
}

/// A score band in words, e.g. "低分（≤6）".
pub fn band_name(locale: Locale, band: ScoreBand) -> &'static str {
    match band {
        ScoreBand::Low => td_string!(locale, feedback.band_low),
        ScoreBand::Middle => td_string!(locale, feedback.band_middle),
        ScoreBand::High => td_string!(locale, feedback.band_high),
    }
}

/// How a callback ended, in words: 已解决, 已安抚, 已升级.
pub fn outcome_name(locale: Locale, outcome: CallbackOutcome) -> &'static str {
    outcome.label(crate::labels::lang(locale))
}

/// What a call came to, in words (未接通, 号码错误, …).
pub fn call_result_name(locale: Locale, result: CallResult) -> &'static str {
    result.label(crate::labels::lang(locale))
}

/// The words of a field error of the feedback forms (reason, measures, target date, comment,
/// notes, outcome), or the server's own message for a code this app does not know.
pub fn feedback_error_text(locale: Locale, error: &FieldError) -> String {
    let text: &'static str = match (error.code.as_str(), error.field.as_str()) {
        ("required", "reason") => td_string!(locale, feedback.error_reason_required),
        ("required", "measures") => td_string!(locale, feedback.error_measures_required),
        ("required", "target_date") => td_string!(locale, feedback.error_target_required),
        ("required", "comment") => td_string!(locale, feedback.error_comment_required),
        ("required", "notes") => td_string!(locale, feedback.error_notes_required),
        ("required", "outcome") => td_string!(locale, feedback.error_outcome_required),
        ("too_short", "measures") => {
            return td_string!(
                locale,
                feedback.error_too_short,
                min = MEASURES_MIN_CHARS.to_string()
            );
        }
        ("too_short", _) => {
            return td_string!(
                locale,
                feedback.error_too_short,
                min = REASON_MIN_CHARS.to_string()
            );
        }
        ("too_long", _) => {
            return td_string!(
                locale,
                feedback.error_too_long,
                max = TEXT_MAX_CHARS.to_string()
            );
        }
        ("required", "next_attempt_at") => {
            td_string!(locale, feedback.error_next_attempt_required)
        }
        ("past", "next_attempt_at") => td_string!(locale, feedback.error_next_attempt_past),
        ("too_far", "next_attempt_at") => td_string!(locale, feedback.error_next_attempt_too_far),
        ("past", _) => td_string!(locale, feedback.error_target_past),
        _ => return error.message.clone(),
    };
    text.to_owned()
}

/// The field errors of a feedback form: its own checks, then the server's.
pub type FeedbackErrors = WordedErrors<FeedbackWords>;

/// The words of the feedback forms' field errors.
#[derive(Debug)]
pub struct FeedbackWords;

impl ErrorWords for FeedbackWords {
    fn words(locale: Locale, error: &FieldError) -> String {
        feedback_error_text(locale, error)
    }
}

/// An idempotency key per request body: the same body sent again (a retry after a network
/// failure) keeps its key, another body gets a new one.
#[derive(Debug)]
pub struct RequestKey<T: Send + Sync + 'static>(StoredValue<Option<(T, String)>>);

impl<T: Send + Sync + 'static> Clone for RequestKey<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for RequestKey<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Default for RequestKey<T> {
    fn default() -> Self {
        RequestKey(StoredValue::new(None))
    }
}

impl<T: Clone + PartialEq + Send + Sync + 'static> RequestKey<T> {
    /// The key of `body`.
    pub fn of(self, body: &T) -> String {
        if let Some(key) = self.0.with_value(|last| {
            last.as_ref()
                .filter(|(sent, _)| sent == body)
                .map(|(_, key)| key.clone())
        }) {
            return key;
        }
        let key = crate::outbox::new_key();
        self.0.set_value(Some((body.clone(), key.clone())));
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{percent_text, score_text};
    use chrono::TimeZone;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn params(pairs: &[(&str, &str)]) -> ParamsMap {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert((*k).to_owned(), (*v).to_owned());
        }
        map
    }

    #[test]
    fn the_period_round_trips_through_the_address() {
        let today = day("2026-11-22");
        assert_eq!(
            PeriodChoice::from_params(&params(&[])),
            PeriodChoice::Last(30)
        );
        let week = PeriodChoice::from_params(&params(&[("days", "7")]));
        assert_eq!(week, PeriodChoice::Last(7));
        assert_eq!(
            week.period(today),
            Period {
                from: day("2026-11-16"),
                to: today
            }
        );
        let custom =
            PeriodChoice::from_params(&params(&[("from", "2026-10-01"), ("to", "2026-10-31")]));
        assert_eq!(
            custom,
            PeriodChoice::Custom {
                from: day("2026-10-01"),
                to: day("2026-10-31")
            }
        );
        assert_eq!(
            href_with("/agent", &custom.params()),
            "/agent?from=2026-10-01&to=2026-10-31"
        );
        // Unknown presets and backwards periods fall back to the default.
        assert_eq!(
            PeriodChoice::from_params(&params(&[("days", "12")])),
            PeriodChoice::Last(30)
        );
        assert_eq!(
            PeriodChoice::from_params(&params(&[("from", "2026-10-31"), ("to", "2026-10-01")])),
            PeriodChoice::Last(30)
        );
        assert_eq!(
            PeriodChoice::checked(day("2025-01-01"), day("2026-10-01")),
            Err(PeriodProblem::TooLong)
        );
        assert_eq!(
            granularity_from_params(&params(&[("granularity", "month")])),
            Granularity::Month
        );
        assert_eq!(granularity_from_params(&params(&[])), Granularity::Day);
        let query = summary_query(week, Some(Granularity::Week), today);
        assert_eq!(query.from, Some(day("2026-11-16")));
        assert_eq!(query.to, Some(today));
    }

    #[test]
    fn numbers_and_days_read_as_the_interface_says_them() {
        assert_eq!(score_text(Some(4.456)), "4.46");
        assert_eq!(score_text(None), "—");
        assert_eq!(percent_text(Some(0.8126)), "81.3%");
        assert_eq!(change_text(Some(0.25)), "+0.25");
        assert_eq!(change_text(Some(-0.1)), "−0.10");
        assert_eq!(
            day_with_weekday(Locale::zh_CN, day("2026-11-25")),
            "2026-11-25（周三）"
        );
        assert_eq!(
            day_with_weekday(Locale::en, day("2026-11-25")),
            "Wed 2026-11-25"
        );
        let due = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
        assert!(due_text(Locale::en, due).contains("(UTC"));
    }

    #[test]
    fn field_errors_are_named_in_words() {
        let e = |field: &str, code: &str| FieldError::new(field, code, "server words");
        assert_eq!(
            feedback_error_text(Locale::zh_CN, &e("reason", "required")),
            "请简要说明建议不合理的原因。"
        );
        assert_eq!(
            feedback_error_text(Locale::en, &e("measures", "too_short")),
            "At least 10 characters."
        );
        assert_eq!(
            feedback_error_text(Locale::en, &e("reason", "abusive")),
            "server words"
        );
    }
}
