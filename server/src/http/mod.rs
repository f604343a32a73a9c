//! The HTTP layer below the handlers: the application state, extractors and the caller's
//! identity, access rules, sessions, CSRF, idempotency keys, login throttling, API keys, the
//! rating links' rate limit and the built app's files.

pub mod apikey;
pub mod authz;
pub mod csrf;
pub mod extract;
pub mod idempotency;
pub mod identity;
pub mod limiter;
pub mod paging;
pub mod serve;
pub mod session;
pub mod state;
pub mod throttle;
pub mod web;
pub mod writer;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";
