//! Reusable pieces of the interface.

pub mod copy_text;
pub mod dialog;
#[cfg(feature = "staff")]
pub mod echart;
pub mod error_panel;
#[cfg(feature = "staff")]
pub mod feedback_alerts;
pub mod form;
pub mod guard;
pub mod language_switch;
pub mod nav_badge;
pub mod pager;
pub mod shell;
pub mod star_rating;
pub mod top_bar;
