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
