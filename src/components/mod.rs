//! Reusable pieces of the interface: what two pages share lives here, never in one of them.

pub mod appeal;
#[cfg(feature = "staff")]
pub mod config_links;
#[cfg(feature = "staff")]
pub mod confirm;
pub mod copy_text;
pub mod dialog;
#[cfg(feature = "staff")]
pub mod echart;
pub mod error_panel;
#[cfg(feature = "staff")]
pub mod feedback_alerts;
pub mod form;
pub mod guard;
#[cfg(feature = "staff")]
pub mod import_report;
#[cfg(feature = "staff")]
pub mod kpi;
pub mod language_switch;
pub mod loading;
pub mod nav_badge;
pub mod page;
pub mod pager;
pub mod shell;
pub mod star_rating;
pub mod top_bar;
