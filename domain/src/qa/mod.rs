//! Internal quality assurance (质检, seeds 002 and 003): checklist templates (dimension → items
//! → standard, with 1-5 rubric levels per dimension), inspection plans that draw a stratified
//! sample of service records, inspections of one record against the checklist, rectification of
//! every item found wanting, and the scores that come out of it.
//!
//! The rules here are pure: the sample ([`draw_sample`], [`assign_evenly`]), the score rate of a
//! dimension ([`score_rate`]), the QA score of an inspection ([`qa_score`]), the composite score
//! ([`composite_score`]) and the checks of what a user sends ([`NewTemplate::check`],
//! [`NewPlan::check`], [`NewInspection::check`], [`RectificationReport::check`],
//! [`Recheck::check`]).

mod aggregate;
mod calibration;
mod disputes;
mod home;
mod inspections;
mod lists;
mod plans;
mod report;
mod sampling;
mod scores;
mod templates;
mod tracking;

#[cfg(test)]
mod fixtures;

pub use aggregate::*;
pub use calibration::*;
pub use disputes::*;
pub use home::*;
pub use inspections::*;
pub use lists::*;
pub use plans::*;
pub use report::*;
pub use sampling::*;
pub use scores::*;
pub use templates::*;
pub use tracking::*;

use crate::problem::{FieldError, length_error, line_length_error};

/// Longest name of a template, dimension or item, in characters.
pub const NAME_MAX_CHARS: usize = 100;
/// Longest standard text, level description, problem, highlight or note, in characters.
pub const TEXT_MAX_CHARS: usize = 1000;
/// Most dimensions a template has.
pub const MAX_DIMENSIONS: usize = 20;
/// Most items a dimension has.
pub const MAX_ITEMS: usize = 30;

/// Adds a `required` error for a required blank text, a `too_long` one past `max` characters,
/// a `control_character` one for a control character: a name ([`NAME_MAX_CHARS`]) is a single
/// line, a text ([`TEXT_MAX_CHARS`]) may hold line breaks and tabs.
fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    let value = value.trim();
    if required || !value.is_empty() {
        errors.extend(if max <= NAME_MAX_CHARS {
            line_length_error(field, value, "this cannot be empty", 1, max)
        } else {
            length_error(field, value, "this cannot be empty", 1, max)
        });
    }
}
