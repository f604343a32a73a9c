//! Internal QA (质检) as stored: checklist templates, inspection plans and their samples,
//! inspections, rectifications, and a plan's report aggregated from them.

mod calibration;
mod disputes;
mod inspections;
mod lists;
mod people;
mod plans;
mod rectifications;
mod report;
mod templates;
mod tracking;

pub(crate) use calibration::*;
pub(crate) use disputes::*;
pub(crate) use inspections::*;
pub(crate) use lists::*;
pub(crate) use people::*;
pub(crate) use plans::*;
pub(crate) use rectifications::*;
pub(crate) use report::*;
pub(crate) use templates::*;
pub(crate) use tracking::*;

pub(crate) fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}
