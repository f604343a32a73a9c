//! What every handler can reach.

use std::sync::Arc;

use sqlx::SqlitePool;

use crate::time::Clock;
use crate::web::Web;

/// The shared state of the application, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: SqlitePool,
    /// Where handlers read "now" from.
    pub clock: Clock,
    /// The built app and how it is served.
    pub web: Arc<Web>,
}

impl AppState {
    /// State on the system clock.
    pub fn new(pool: SqlitePool, web: Web) -> Self {
        AppState {
            pool,
            clock: Clock::System,
            web: Arc::new(web),
        }
    }
}
