//! Inspection plans: their scope, strata and sample, and the views of them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ChecklistTemplate, NAME_MAX_CHARS, StratumKey, TEXT_MAX_CHARS, check_text};
use crate::problem::{FieldError, checked};
use crate::wire::{Channel, CustomerType};

/// A person named in QA views: id, staff number and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: i64,
    pub no: String,
    pub name: String,
}

/// `POST /qa/plans`: an inspection plan (检测计划).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPlan {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name: String,
    /// 检测目标, e.g. "提升响应时效".
    #[serde(default)]
    pub goal: String,
    /// First day of the period (services that ended on it count), in the organisation's zone.
    pub from: NaiveDate,
    /// Last day of the period, included.
    pub to: NaiveDate,
    pub template_id: i64,
    /// Service type codes in scope; empty = all.
    #[serde(default)]
    pub service_types: Vec<String>,
    /// Channels in scope; empty = all.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Customer types in scope; empty = all.
    #[serde(default)]
    pub customer_types: Vec<CustomerType>,
    /// What the sample is stratified by; empty = one stratum.
    #[serde(default)]
    pub strata: Vec<StratumKey>,
    /// The inspectors the sample is dealt to (at least one).
    pub inspector_ids: Vec<i64>,
    /// The sampling seed; the server draws one when it is missing. Kept with the plan so the
    /// sample can be drawn again and checked.
    #[serde(default)]
    pub seed: Option<u32>,
}

/// Longest plan period, in days.
pub const PLAN_MAX_DAYS: i64 = 366;

impl NewPlan {
    /// A name, a period of at most a year ending no later than `today`, at least one inspector,
    /// no stratum key twice.
    pub fn check(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "name", &self.name, true, NAME_MAX_CHARS);
        check_text(&mut errors, "goal", &self.goal, false, TEXT_MAX_CHARS);
        if self.to < self.from {
            errors.push(FieldError::new(
                "to",
                "before_start",
                "the period ends before it starts",
            ));
        } else if (self.to - self.from).num_days() >= PLAN_MAX_DAYS {
            errors.push(FieldError::new(
                "to",
                "too_long",
                format!("a plan covers at most {PLAN_MAX_DAYS} days"),
            ));
        }
        if self.from > today {
            errors.push(FieldError::new(
                "from",
                "in_future",
                "the period must start today or earlier",
            ));
        }
        if self.inspector_ids.is_empty() {
            errors.push(FieldError::new(
                "inspector_ids",
                "required",
                "choose at least one inspector",
            ));
        }
        let mut keys = self.strata.clone();
        keys.sort();
        keys.dedup();
        if keys.len() != self.strata.len() {
            errors.push(FieldError::new(
                "strata",
                "duplicate",
                "each stratum key once",
            ));
        }
        checked(errors, ())
    }
}

/// One part of a stratum's definition, e.g. customer type = 会员.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StratumPart {
    pub key: StratumKey,
    /// The stored value: a service type code, `new`, `online`…
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
}

/// A stratum of a plan: its population in scope (N) and the sample drawn from it (n).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stratum {
    /// Empty for a plan without strata (one stratum: everything in scope).
    pub parts: Vec<StratumPart>,
    pub population: u64,
    pub sample: u64,
}

/// A plan in lists and at the top of its pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanSummary {
    pub id: i64,
    pub name: String,
    pub goal: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub template_id: i64,
    pub template_name_zh: String,
    pub template_name_en: String,
    pub seed: u32,
    pub created_by: Person,
    pub created_at: DateTime<Utc>,
    pub sample_count: u64,
    pub inspected_count: u64,
    /// Rectifications not closed yet.
    pub open_rectifications: u64,
}

/// The scope a plan was drawn from, as it was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanScope {
    pub service_types: Vec<String>,
    pub channels: Vec<Channel>,
    pub customer_types: Vec<CustomerType>,
    pub strata: Vec<StratumKey>,
}

closed_list! {
    /// Whether a sampled record has been inspected.
    pub enum SampleStatus {
        Pending = "pending" ("待检查", "Pending"),
        Inspected = "inspected" ("已检查", "Inspected"),
    }
}

/// A sampled record, to whom it is assigned and how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampleRow {
    pub id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    pub record_id: i64,
    pub external_id: String,
    pub agent: Person,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub channel: Channel,
    pub customer_type: Option<CustomerType>,
    pub ended_at: DateTime<Utc>,
    /// Index into the plan's strata.
    pub stratum: usize,
    pub inspector: Person,
    pub status: SampleStatus,
    pub qa_score: Option<f64>,
    /// Items found partly or not compliant.
    pub wanting: u32,
}

/// `GET /qa/plans/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDetail {
    pub plan: PlanSummary,
    pub scope: PlanScope,
    pub strata: Vec<Stratum>,
    pub inspectors: Vec<Person>,
    /// The first page of its sampled records, as `GET /qa/plans/{id}/samples` gives it
    /// unfiltered (at most [`super::DEFAULT_SAMPLES_PER_PAGE`]); that list has the rest.
    pub samples: Vec<SampleRow>,
}

/// A service type offered in the plan form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceTypeOption {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// `GET /qa/options`: what the plan form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanOptions {
    pub templates: Vec<ChecklistTemplate>,
    pub inspectors: Vec<Person>,
    pub service_types: Vec<ServiceTypeOption>,
    /// Today in the organisation's zone.
    pub today: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{codes, day};
    use super::*;

    #[test]
    fn a_plan_needs_a_name_a_period_and_an_inspector() {
        let today = day("2026-11-20");
        let plan = NewPlan {
            name: " ".into(),
            goal: String::new(),
            from: day("2026-11-21"),
            to: day("2026-11-01"),
            template_id: 1,
            service_types: vec![],
            channels: vec![],
            customer_types: vec![],
            strata: vec![StratumKey::Channel, StratumKey::Channel],
            inspector_ids: vec![],
            seed: None,
        };
        assert_eq!(
            codes(plan.check(today)),
            vec![
                ("name".into(), "required".into()),
                ("to".into(), "before_start".into()),
                ("from".into(), "in_future".into()),
                ("inspector_ids".into(), "required".into()),
                ("strata".into(), "duplicate".into()),
            ]
        );
        let good = NewPlan {
            name: "11 月巡检".into(),
            from: day("2026-11-01"),
            to: today,
            strata: vec![StratumKey::ServiceType, StratumKey::CustomerType],
            inspector_ids: vec![3],
            ..plan
        };
        assert_eq!(codes(good.check(today)), vec![]);
    }
}
