//! Pingjia's domain: the types that cross the wire and the pure rules of the business.
//!
//! No I/O lives here. The crate compiles for `wasm32-unknown-unknown` (the app) and natively
//! (the server), so both sides apply the same rules and cannot disagree.

#[macro_use]
pub mod closed_list;

pub mod analytics;
pub mod anomalies;
pub mod appeals;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod catalog;
pub mod customers;
pub mod delivery;
pub mod evaluations;
pub mod events;
pub mod feedback;
pub mod invitations;
pub mod moderation;
pub mod notifications;
pub mod problem;
pub mod qa;
pub mod records;
pub mod reports;
pub mod routes;
pub mod rules;
pub mod sending;
pub mod settings;
pub mod sign_in_codes;
pub mod text;
pub mod users;
pub mod wire;

pub use closed_list::Lang;
pub use problem::{FieldError, Problem};
