//! Reusable pieces of the interface.

pub mod dialog;
pub mod echart;
pub mod error_panel;
pub mod form;
pub mod guard;
pub mod language_switch;
pub mod shell;
pub mod top_bar;
