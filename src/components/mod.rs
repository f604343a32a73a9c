//! Reusable pieces of the interface.

pub mod appeal_badge;
pub mod copy_text;
pub mod dialog;
#[cfg(feature = "staff")]
pub mod echart;
pub mod error_panel;
pub mod form;
pub mod guard;
pub mod language_switch;
#[cfg(feature = "staff")]
pub mod review_badge;
pub mod shell;
pub mod star_rating;
pub mod top_bar;
