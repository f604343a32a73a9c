//! The QA start page: the plans, the samples to inspect and the rectifications to follow up,
//! over both [`super::plans`] and [`super::inspections`].

use serde::{Deserialize, Serialize};

use super::{PlanSummary, Rectification, SampleRow};

/// `GET /qa/home`: the inspector's (or admin's) start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QaHome {
    pub plans: Vec<PlanSummary>,
    /// Sampled records assigned to the caller and not inspected yet.
    pub to_inspect: Vec<SampleRow>,
    /// Rectifications reported and waiting for a re-check, and overdue ones.
    pub to_recheck: Vec<Rectification>,
    pub overdue: Vec<Rectification>,
}
