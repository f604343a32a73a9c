//! The KPI formulas (seed 001), applied to the sums the server aggregates, and the KPI cards.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::Period;
use crate::settings::Settings;
use crate::wire::Urgency;

/// A share `part / whole`, from 0 to 1; `None` when there is nothing to divide.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A mean `sum / count`; `None` without values.
pub fn mean(sum: f64, count: u64) -> Option<f64> {
    (count > 0).then(|| sum / count as f64)
}

/// Whether an evaluation attains satisfaction: overall at or above the threshold (8 of 10).
pub fn attains(overall: u8, settings: &Settings) -> bool {
    overall >= settings.satisfaction_threshold
}

/// Whether a record's first response came within the SLA of its urgency (high 15 min, normal
/// 2 h, low 24 h by default). A record with no response yet is not on time.
pub fn responded_on_time(
    urgency: Urgency,
    requested_at: DateTime<Utc>,
    first_response_at: Option<DateTime<Utc>>,
    settings: &Settings,
) -> bool {
    first_response_at.is_some_and(|first| first - requested_at <= settings.response_sla(urgency))
}

/// Handling time of a resolved record: from the request to the resolution.
pub fn handling_time(
    requested_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
) -> Option<Duration> {
    resolved_at.map(|resolved| resolved - requested_at)
}

/// Sums over the evaluations of a period, as SQL counts them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EvaluationTotals {
    pub count: u64,
    /// Sum of the total scores (1-5).
    pub total_score_sum: f64,
    /// Evaluations with overall satisfaction at or above the threshold.
    pub attained: u64,
}

impl EvaluationTotals {
    pub fn average_total(&self) -> Option<f64> {
        mean(self.total_score_sum, self.count)
    }

    /// Satisfaction attainment rate = attained / evaluations.
    pub fn attainment_rate(&self) -> Option<f64> {
        rate(self.attained, self.count)
    }
}

/// Sums over the service records of a period, as SQL counts them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RecordTotals {
    pub records: u64,
    /// Records whose first response came within their SLA ([`responded_on_time`]).
    pub on_time: u64,
    /// Records resolved on first contact.
    pub first_contact: u64,
    /// Resolved records, and the sum of their handling times in minutes.
    pub resolved: u64,
    pub handling_minutes_sum: f64,
}

impl RecordTotals {
    /// Response on-time rate = records answered within their SLA / all records.
    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.records)
    }

    /// First-contact resolution rate = records resolved on first contact / all records.
    pub fn first_contact_rate(&self) -> Option<f64> {
        rate(self.first_contact, self.records)
    }

    /// Average handling time = mean(resolved_at − requested_at) over resolved records, minutes.
    pub fn average_handling_minutes(&self) -> Option<f64> {
        mean(self.handling_minutes_sum, self.resolved)
    }
}

// ---------------------------------------------------------------------------------------------
// Reports

/// One KPI: its value in the period and in the previous period of the same length.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kpi {
    pub value: Option<f64>,
    /// `None` when there was nothing to compute it from, or the KPI is a present count.
    pub previous: Option<f64>,
}

impl Kpi {
    /// The change against the previous period, when both are known.
    pub fn change(&self) -> Option<f64> {
        Some(self.value? - self.previous?)
    }
}

/// `GET /analytics/kpis`. Rates are fractions (0-1); scores 1-5; minutes for handling time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiReport {
    pub period: Period,
    pub previous_period: Period,
    pub evaluations: Kpi,
    pub average_total: Kpi,
    pub attainment_rate: Kpi,
    pub on_time_rate: Kpi,
    pub first_contact_rate: Kpi,
    pub average_handling_minutes: Kpi,
    /// Appeals awaiting a decision now, on evaluations of the period (no previous value).
    pub open_appeals: Kpi,
    /// Evaluations of the period flagged by an anomaly rule and not deleted.
    pub flagged: Kpi,
    /// Response rate (参评率) = invitations sent in the period whose record was rated / all
    /// invitations sent in the period (the rule: `ResponseFunnel`). Absent from reports kept
    /// before it existed.
    #[serde(default)]
    pub response_rate: Kpi,
    pub generated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, h, m, 0).unwrap()
    }

    #[test]
    fn on_time_is_within_the_sla_of_the_urgency_inclusive() {
        let s = Settings::default();
        let req = at(9, 0);
        assert!(responded_on_time(Urgency::High, req, Some(at(9, 15)), &s));
        assert!(!responded_on_time(Urgency::High, req, Some(at(9, 16)), &s));
        assert!(responded_on_time(Urgency::Normal, req, Some(at(11, 0)), &s));
        assert!(!responded_on_time(
            Urgency::Normal,
            req,
            Some(at(11, 1)),
            &s
        ));
        assert!(responded_on_time(Urgency::Low, req, Some(at(23, 59)), &s));
        assert!(!responded_on_time(Urgency::Low, req, None, &s));
    }

    #[test]
    fn kpi_formulas_on_a_fixture_computed_by_hand() {
        // Five evaluations: totals 4.8, 2.2, 4.4, 5.0, 3.6; overall 9, 4, 8, 10, 7.
        let s = Settings::default();
        let overall = [9u8, 4, 8, 10, 7];
        let e = EvaluationTotals {
            count: 5,
            total_score_sum: 4.8 + 2.2 + 4.4 + 5.0 + 3.6,
            attained: overall.iter().filter(|&&o| attains(o, &s)).count() as u64,
        };
        assert!((e.average_total().unwrap() - 4.0).abs() < 1e-9);
        assert_eq!(e.attainment_rate(), Some(0.6));
        // Four records: two on time, one first-contact, three resolved in 30, 90 and 240 min.
        let r = RecordTotals {
            records: 4,
            on_time: 2,
            first_contact: 1,
            resolved: 3,
            handling_minutes_sum: 30.0 + 90.0 + 240.0,
        };
        assert_eq!(r.on_time_rate(), Some(0.5));
        assert_eq!(r.first_contact_rate(), Some(0.25));
        assert_eq!(r.average_handling_minutes(), Some(120.0));
        assert_eq!(RecordTotals::default().on_time_rate(), None);
        assert_eq!(
            handling_time(at(9, 0), Some(at(10, 30))),
            Some(Duration::minutes(90))
        );
        let k = Kpi {
            value: Some(4.2),
            previous: Some(4.0),
        };
        assert!((k.change().unwrap() - 0.2).abs() < 1e-9);
        assert_eq!(
            Kpi {
                value: Some(1.0),
                previous: None
            }
            .change(),
            None
        );
    }
}
