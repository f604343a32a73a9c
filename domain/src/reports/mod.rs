//! Weekly and monthly analysis reports (seed 001: 客户服务响应及满意度分析报告) and their
//! e-mail subscriptions: the periods a report covers, the computed summary of what improved
//! and what got worse, the wire types of a report, a subscription, a delivery and the SMTP
//! settings, with their checks.
//!
//! Periods are whole days in the organisation's time zone: a week runs Monday to Sunday (ISO
//! 8601), a month from its first to its last day. A period closes at 00:00 of the day after
//! its last day; a report of a closed period is built once and kept.

mod content;
mod mail;
mod periods;

#[cfg(test)]
mod fixtures;

pub use content::*;
pub use mail::*;
pub use periods::*;

/// How many periods the KPI trend of a report shows, the report's own included.
pub const TREND_PERIODS: usize = 6;
/// Most recurring problems a report lists, and example suggestions per problem.
pub const MAX_PROBLEMS: usize = 8;
pub const EXAMPLES_PER_PROBLEM: usize = 2;
/// Longest example suggestion quoted in a report, in characters.
pub const EXAMPLE_MAX_CHARS: usize = 140;
/// Most rows of the open-appeal and overdue-plan lists (the counts are exact).
pub const MAX_LISTED: usize = 20;
