//! Admin analytics (seed 001): the filter every report shares, the KPI formulas and the wire
//! types of the reports (KPI cards, charts, word cloud, drill-down lists).
//!
//! The server aggregates in SQL and hands the sums to the pure functions here
//! ([`EvaluationTotals::average_total`], [`RecordTotals::on_time_rate`], …), so the formulas
//! are written once and tested without a database.

mod duration;
mod filters;
mod kpis;
mod panels;
mod response;
mod tags;
#[cfg(feature = "terms")]
mod terms;

pub use duration::*;
pub use filters::*;
pub use kpis::*;
pub use panels::*;
pub use response::*;
pub use tags::*;
#[cfg(feature = "terms")]
pub use terms::*;

/// The period of every report when none is asked for: the last 30 days, today included.
pub const DEFAULT_PERIOD_DAYS: u64 = 30;
/// The longest period a report covers.
pub const MAX_PERIOD_DAYS: u64 = 366;
/// A dimension whose mean score is under this is highlighted (seed 003: "得分低于3分").
pub const WEAK_DIMENSION_BELOW: f64 = 3.0;
/// Longest stop word, in characters.
pub const STOP_WORD_MAX_CHARS: usize = 30;
/// Rows per page of a drill-down list.
pub const DEFAULT_PER_PAGE: u32 = 25;
pub const MAX_PER_PAGE: u32 = 100;
