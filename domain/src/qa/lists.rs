//! The paged QA lists (issue 24): the plans, a plan's sampled records and a person's own
//! inspections and rectifications, a page at a time, what needs action first.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{DisputeStatus, Person, PlanSummary, SampleRow, SampleStatus};

/// Plans a page when the request does not say.
pub const DEFAULT_PLANS_PER_PAGE: u32 = 20;
/// Sampled records a page when the request does not say.
pub const DEFAULT_SAMPLES_PER_PAGE: u32 = 25;
/// Inspections and rectifications a page of `/me/qa` when the request does not say.
pub const DEFAULT_MY_QA_PER_PAGE: u32 = 10;
/// The most rows a page of any of these lists.
pub const MAX_QA_PER_PAGE: u32 = 100;

closed_list! {
    /// How far a plan got: records still to inspect, or every one inspected.
    pub enum PlanState {
        Active = "active" ("进行中", "In progress"),
        Finished = "finished" ("已完成", "Finished"),
    }
}

/// How many plans each state holds under the other filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanCounts {
    pub active: u64,
    pub finished: u64,
}

impl PlanCounts {
    /// The count of a state; `None` is every plan.
    pub fn of(&self, state: Option<PlanState>) -> u64 {
        match state {
            None => self.active + self.finished,
            Some(PlanState::Active) => self.active,
            Some(PlanState::Finished) => self.finished,
        }
    }
}

/// `GET /qa/plans`: one page of the plans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanPage {
    /// Plans with records the caller has still to inspect first (any inspector's for an
    /// admin), then newest first.
    pub plans: Vec<PlanSummary>,
    /// Plans matching every filter.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
    /// Per state, under the other filters.
    pub counts: PlanCounts,
    /// What the inspector filter offers: everyone a plan deals records to.
    pub inspectors: Vec<Person>,
}

/// A plan to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanChoice {
    pub id: i64,
    pub name: String,
}

/// How many sampled records each status holds under the other filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampleCounts {
    pub pending: u64,
    pub inspected: u64,
}

impl SampleCounts {
    /// The count of a status; `None` is every record.
    pub fn of(&self, status: Option<SampleStatus>) -> u64 {
        match status {
            None => self.pending + self.inspected,
            Some(SampleStatus::Pending) => self.pending,
            Some(SampleStatus::Inspected) => self.inspected,
        }
    }
}

/// `GET /qa/plans/{id}/samples`: one page of a plan's sampled records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SamplePage {
    /// The caller's records still to inspect first, then the others still to inspect, then
    /// the inspected ones, in the order they were drawn.
    pub samples: Vec<SampleRow>,
    /// Records matching every filter.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
    /// Per status, under the other filters.
    pub counts: SampleCounts,
    /// What the agent filter offers: the agents of the plan's records, by employee number.
    pub agents: Vec<Person>,
    /// What the inspector filter offers: the plan's inspectors, by employee number.
    pub inspectors: Vec<Person>,
}

/// The app's list of the inspections of a team lead's team (the lead's pages).
pub const TEAM_QA_PATH: &str = "/lead/qa/team";

/// An inspection of a service of an agent of the lead's team, as the lead's team list shows
/// it (`GET /team/qa/inspections`): whether it may still be disputed, and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamInspection {
    pub sample: SampleRow,
    pub submitted_at: DateTime<Utc>,
    /// The last day (the organisation's) a dispute of it may be filed.
    pub last_day: NaiveDate,
    /// Whether one may be filed now: within the window and none filed.
    pub may_dispute: bool,
    /// Where its dispute stands, if one was filed.
    pub dispute: Option<DisputeStatus>,
}

/// `GET /team/qa/inspections`: one page of the inspections of the lead's team's services,
/// what may still be disputed first (the window closing soonest first), then the newest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamInspectionPage {
    pub inspections: Vec<TeamInspection>,
    /// Inspections matching every filter.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
    /// The inspections under the agent and period filters: all, and those that may still be
    /// disputed.
    pub all: u64,
    pub disputable: u64,
    /// What the agent filter offers: the team's agents, by employee number.
    pub agents: Vec<Person>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_reads_its_own_number() {
        let plans = PlanCounts {
            active: 2,
            finished: 5,
        };
        assert_eq!(plans.of(None), 7);
        assert_eq!(plans.of(Some(PlanState::Active)), 2);
        assert_eq!(plans.of(Some(PlanState::Finished)), 5);
        let samples = SampleCounts {
            pending: 3,
            inspected: 4,
        };
        assert_eq!(samples.of(None), 7);
        assert_eq!(samples.of(Some(SampleStatus::Pending)), 3);
        assert_eq!(samples.of(Some(SampleStatus::Inspected)), 4);
    }
}
