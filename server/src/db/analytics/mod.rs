//! The analytics queries: the filter bar as SQL conditions, the figures the dashboard, the
//! agents' pages and the reports share, and the evaluations behind a chart. Aggregated in SQL
//! over the covering indexes of migration 0008; deleted evaluations are never counted.

mod charts;
mod figures;
mod lookups;
mod response;
mod rows;
mod scope;

pub(crate) use charts::*;
pub(crate) use figures::*;
pub(crate) use lookups::*;
pub(crate) use response::*;
pub(crate) use rows::*;
pub(crate) use scope::*;
