//! The typed client of the Pingjia JSON API: one function per endpoint, one request helper
//! (`client::request`) and one error type (`ApiError`). Components never build URLs or call
//! HTTP themselves.

pub mod admin_config;
#[cfg(feature = "staff")]
pub mod analytics;
pub mod appeals;
pub mod auth;
#[cfg(feature = "staff")]
pub mod calibration;
mod client;
#[cfg(feature = "staff")]
pub mod coaching;
mod config;
#[cfg(feature = "staff")]
pub mod deliveries;
mod error;
pub mod evaluations;
#[cfg(feature = "staff")]
pub mod feedback;
#[cfg(feature = "staff")]
pub mod invitations;
pub mod links;
pub mod moderation;
#[cfg(feature = "staff")]
pub mod notifications;
pub mod qa;
#[cfg(feature = "staff")]
pub mod qa_disputes;
pub mod query;
#[cfg(feature = "staff")]
pub mod reports;
pub mod users;
#[cfg(feature = "staff")]
pub mod webhooks;

pub use client::on_session_lost;
pub use config::{
    DEFAULT_API_BASE, api_base, base_from_config, config_url, preload_config, public_url_href,
};
pub use error::{ApiError, IN_FLIGHT, error_from_response};

use pingjia_domain::wire::{Catalog, Health, ServiceVolume};

/// `GET /health`: what is running and whether its database answers.
pub async fn health() -> Result<Health, ApiError> {
    client::get("/health").await
}

/// `GET /catalog`: the service types and dimensions the rating form is built from.
pub async fn catalog() -> Result<Catalog, ApiError> {
    client::get("/catalog").await
}

/// `GET /stats/service-volume?days=N`: service records per day and channel over `days` days.
pub async fn service_volume(days: u32) -> Result<ServiceVolume, ApiError> {
    client::get(&format!("/stats/service-volume?days={days}")).await
}
