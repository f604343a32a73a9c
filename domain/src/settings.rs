//! The organisation's settings (`GET`/`PUT /settings`): the numbers of the business rules an
//! admin may change, with their defaults from the specification and the rules a new value
//! must meet. The organisation's time zone is not among them: it stays UTC+8
//! (Asia/Shanghai).

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::wire::Urgency;

/// Every setting. A stored value that is missing takes its default, so settings added later
/// need no migration of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Days after a service ends during which the customer may rate it (7).
    pub rating_window_days: u32,
    /// Hours after submitting during which a customer may appeal their evaluation (24).
    pub appeal_window_hours: u32,
    /// Working days an agent has to write an improvement plan (3).
    pub improvement_plan_working_days: u32,
    /// Working days after an inspection is saved during which its agent may dispute it (5).
    pub qa_dispute_working_days: u32,
    /// Response SLA of high-urgency requests, in minutes (15).
    pub sla_high_minutes: u32,
    /// Response SLA of normal requests, in minutes (120).
    pub sla_normal_minutes: u32,
    /// Response SLA of low-urgency requests, in minutes (1440).
    pub sla_low_minutes: u32,
    /// An overall score at or above this is "satisfied" (8, of 10).
    pub satisfaction_threshold: u8,
    /// An overall score at or below this opens a callback task for the team lead (6, of 10).
    pub callback_threshold: u8,
    /// Calls that do not reach the customer (no answer, wrong number) after which a callback
    /// closes as unreachable (3).
    pub callback_max_attempts: u32,
    /// Share of the customer score in the composite score, in percent (60).
    pub composite_customer_weight: u8,
    /// Share of the QA score in the composite score, in percent (40); the two sum to 100.
    pub composite_qa_weight: u8,
    /// A rating form submitted less than this many seconds after it was opened is suspect (10).
    pub anomaly_min_form_seconds: u32,
    /// Brushing: the window, in minutes, in which repeated evaluations of one agent by one
    /// customer are counted (60).
    pub brushing_window_minutes: u32,
    /// Brushing: this many evaluations of one agent by one customer within the window are
    /// suspect (3).
    pub brushing_count: u32,
    /// Inconsistent: the overall score (1-10) and twice the mean dimension score (1-5 → 2-10)
    /// differ by at least this much (5).
    pub inconsistency_gap: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rating_window_days: 7,
            appeal_window_hours: 24,
            improvement_plan_working_days: 3,
            qa_dispute_working_days: 5,
            sla_high_minutes: 15,
            sla_normal_minutes: 120,
            sla_low_minutes: 1440,
            satisfaction_threshold: 8,
            callback_threshold: 6,
            callback_max_attempts: 3,
            composite_customer_weight: 60,
            composite_qa_weight: 40,
            anomaly_min_form_seconds: 10,
            brushing_window_minutes: 60,
            brushing_count: 3,
            inconsistency_gap: 5,
        }
    }
}

/// A week, in minutes: the longest SLA.
const MAX_SLA_MINUTES: u32 = 7 * 24 * 60;

fn range(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: u32,
    bounds: std::ops::RangeInclusive<u32>,
    unit: &str,
) {
    if !bounds.contains(&value) {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("use {} to {} {unit}", bounds.start(), bounds.end()),
        ));
    }
}

impl Settings {
    /// Every rule a set of settings meets; field names are this type's, an empty list means
    /// valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let e = &mut errors;
        range(
            e,
            "rating_window_days",
            self.rating_window_days,
            1..=90,
            "days",
        );
        range(
            e,
            "appeal_window_hours",
            self.appeal_window_hours,
            1..=720,
            "hours",
        );
        range(
            e,
            "improvement_plan_working_days",
            self.improvement_plan_working_days,
            1..=30,
            "working days",
        );
        range(
            e,
            "qa_dispute_working_days",
            self.qa_dispute_working_days,
            1..=30,
            "working days",
        );
        for (field, value) in [
            ("sla_high_minutes", self.sla_high_minutes),
            ("sla_normal_minutes", self.sla_normal_minutes),
            ("sla_low_minutes", self.sla_low_minutes),
        ] {
            range(e, field, value, 1..=MAX_SLA_MINUTES, "minutes");
        }
        if self.sla_high_minutes > self.sla_normal_minutes {
            e.push(FieldError::new(
                "sla_high_minutes",
                "order",
                "the SLA of high urgency cannot be longer than that of normal urgency",
            ));
        }
        if self.sla_normal_minutes > self.sla_low_minutes {
            e.push(FieldError::new(
                "sla_low_minutes",
                "order",
                "the SLA of low urgency cannot be shorter than that of normal urgency",
            ));
        }
        range(
            e,
            "satisfaction_threshold",
            self.satisfaction_threshold.into(),
            1..=10,
            "points",
        );
        range(
            e,
            "callback_threshold",
            self.callback_threshold.into(),
            1..=10,
            "points",
        );
        if self.callback_threshold >= self.satisfaction_threshold {
            e.push(FieldError::new(
                "callback_threshold",
                "order",
                "the callback threshold must be below the satisfaction threshold",
            ));
        }
        range(
            e,
            "callback_max_attempts",
            self.callback_max_attempts,
            1..=10,
            "calls",
        );
        range(
            e,
            "composite_customer_weight",
            self.composite_customer_weight.into(),
            0..=100,
            "percent",
        );
        range(
            e,
            "composite_qa_weight",
            self.composite_qa_weight.into(),
            0..=100,
            "percent",
        );
        if u32::from(self.composite_customer_weight) + u32::from(self.composite_qa_weight) != 100 {
            e.push(FieldError::new(
                "composite_qa_weight",
                "sum",
                "the customer and QA weights must add up to 100",
            ));
        }
        range(
            e,
            "anomaly_min_form_seconds",
            self.anomaly_min_form_seconds,
            0..=600,
            "seconds",
        );
        range(
            e,
            "brushing_window_minutes",
            self.brushing_window_minutes,
            1..=1440,
            "minutes",
        );
        range(
            e,
            "brushing_count",
            self.brushing_count,
            2..=100,
            "evaluations",
        );
        range(
            e,
            "inconsistency_gap",
            self.inconsistency_gap.into(),
            1..=9,
            "points",
        );
        errors
    }

    /// The response SLA of an urgency: the time within which the first response must come.
    pub fn response_sla(&self, urgency: Urgency) -> Duration {
        let minutes = match urgency {
            Urgency::High => self.sla_high_minutes,
            Urgency::Normal => self.sla_normal_minutes,
            Urgency::Low => self.sla_low_minutes,
        };
        Duration::minutes(minutes.into())
    }

    /// The settings as a JSON object, one key per setting (how they are stored and audited).
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_object().cloned())
            .expect("settings serialise to an object")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(settings: &Settings) -> Vec<(String, String)> {
        settings
            .validate()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn the_defaults_are_the_specifications_and_valid() {
        let s = Settings::default();
        assert!(s.validate().is_empty());
        assert_eq!(s.response_sla(Urgency::High), Duration::minutes(15));
        assert_eq!(s.response_sla(Urgency::Normal), Duration::hours(2));
        assert_eq!(s.response_sla(Urgency::Low), Duration::hours(24));
    }

    #[test]
    fn invalid_values_are_named() {
        let s = Settings {
            rating_window_days: 0,
            sla_high_minutes: 200,
            composite_customer_weight: 70,
            callback_threshold: 8,
            callback_max_attempts: 0,
            ..Settings::default()
        };
        assert_eq!(
            fields(&s),
            [
                ("rating_window_days".to_owned(), "out_of_range".to_owned()),
                ("sla_high_minutes".to_owned(), "order".to_owned()),
                ("callback_threshold".to_owned(), "order".to_owned()),
                (
                    "callback_max_attempts".to_owned(),
                    "out_of_range".to_owned()
                ),
                ("composite_qa_weight".to_owned(), "sum".to_owned()),
            ]
        );
    }

    #[test]
    fn missing_keys_take_defaults_and_unknown_keys_are_refused() {
        let s: Settings = serde_json::from_str(r#"{"sla_high_minutes":10}"#).unwrap();
        assert_eq!(s.sla_high_minutes, 10);
        assert_eq!(s.rating_window_days, 7);
        assert!(serde_json::from_str::<Settings>(r#"{"nope":1}"#).is_err());
        assert_eq!(Settings::default().to_map()["brushing_count"], 3);
    }
}
