//! The QA start page: the plans, the samples to inspect and the rectifications to follow up,
//! over both [`super::plans`] and [`super::inspections`].

use serde::{Deserialize, Serialize};

use super::{PlanSummary, Rectification, SampleRow};

/// How many records and rectifications each list of the QA home shows at most; the rest are a
/// link away (the plan, the rectification tracking list).
pub const QA_HOME_LIST_LEN: u32 = 5;

/// `GET /qa/home`: the inspector's (or admin's) start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QaHome {
    /// The first plans in the order of the plan list (those with records the caller has
    /// still to inspect first, then newest), at most [`QA_HOME_LIST_LEN`].
    pub plans: Vec<PlanSummary>,
    /// How many plans there are in all.
    #[serde(default)]
    pub plans_total: u64,
    /// The first sampled records assigned to the caller (any inspector's for an admin) and
    /// not inspected yet, newest plan first, at most [`QA_HOME_LIST_LEN`].
    pub to_inspect: Vec<SampleRow>,
    /// How many there are in all.
    pub to_inspect_total: u64,
    /// Rectifications reported and waiting for a re-check, soonest deadline first, at most
    /// [`QA_HOME_LIST_LEN`].
    pub to_recheck: Vec<Rectification>,
    pub to_recheck_total: u64,
    /// Rectifications still open past their deadline, the longest overdue first, at most
    /// [`QA_HOME_LIST_LEN`].
    pub overdue: Vec<Rectification>,
    pub overdue_total: u64,
}
