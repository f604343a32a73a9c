//! What every handler can reach.

use std::sync::Arc;

use crate::db::sql::Pool;
use chrono::NaiveDate;

use crate::db::settings::SettingsCache;
use crate::http::csrf::origin_of;
use crate::http::idempotency::InFlight;
use crate::http::limiter::LinkLimiter;
use crate::http::web::Web;
use crate::http::writer::Writer;
use crate::services::alerts::Alerts;
use crate::services::delivery::Outbox;
use crate::services::events::{Events, Notices};
use crate::services::reports::Mailer;
use crate::services::sending::Scheduler;
use crate::time::{Clock, org_day};

/// The shared state of the application, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    /// Where handlers read "now" from.
    pub clock: Clock,
    /// The built app and how it is served.
    pub web: Arc<Web>,
    /// The origin of the public URL (`https://pingjia.example.com`), when one is configured:
    /// requests from it are same-origin whatever `Host` a proxy passes on.
    pub public_origin: Option<Arc<str>>,
    /// The organisation's settings, read through this cache.
    pub settings: SettingsCache,
    /// The idempotency keys whose first request is being handled now.
    pub in_flight: InFlight,
    /// New evaluations, for the agents' live alerts.
    pub alerts: Alerts,
    /// The report mail worker's wake-up call and the address links in mails start with.
    pub mailer: Arc<Mailer>,
    /// The write lane of rating submissions (`http::writer`).
    pub writer: Arc<Writer>,
    /// The delivery worker's wake-up call and its HTTP client (`services::delivery`).
    pub outbox: Arc<Outbox>,
    /// The event fan-out's wake-up call (`services::events`).
    pub events: Arc<Events>,
    /// New notifications, for the notification centre's live feed.
    pub notices: Notices,
    /// The rating links' look-ups per address (`http::limiter`).
    pub link_limiter: LinkLimiter,
    /// The invitation scheduler's wake-up call (`services::sending`).
    pub invitations: Arc<Scheduler>,
    /// The one-time sign-in codes' requests and wrong codes per address
    /// (`services::sign_in_codes`).
    pub code_limiter: LinkLimiter,
    /// This instance's name among those sharing the database (random, new at each start): who
    /// holds a scheduled job's lease (`services::jobs::exclusive`).
    pub instance: Arc<str>,
    /// How long a job or message an instance took stays its own before another instance
    /// sharing the database takes it over (a killed instance's): `--lease-seconds`.
    pub lease: chrono::Duration,
}

/// A new instance's name: its host and 64 random bits, in hex.
fn instance_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_default();
    format!("{host}-{:016x}", rand::random::<u64>())
}

impl AppState {
    /// Today in the organisation's zone, by the injectable clock.
    pub fn today(&self) -> NaiveDate {
        org_day(self.clock.now())
    }

    /// State on the system clock.
    pub fn new(pool: Pool, web: Web) -> Self {
        AppState {
            writer: Arc::new(Writer::new(&pool)),
            pool,
            clock: Clock::System,
            web: Arc::new(web),
            public_origin: None,
            settings: SettingsCache::default(),
            in_flight: InFlight::default(),
            alerts: Alerts::default(),
            mailer: Arc::default(),
            outbox: Arc::default(),
            events: Arc::default(),
            notices: Notices::default(),
            link_limiter: LinkLimiter::default(),
            invitations: Arc::default(),
            code_limiter: LinkLimiter::new(
                "sign_in_codes",
                crate::services::sign_in_codes::CODE_LIMITS,
            ),
            instance: instance_name().into(),
            lease: crate::services::delivery::LEASE,
        }
    }

    /// The URL users reach the server at (`--public-url`).
    pub fn with_public_url(mut self, url: Option<&str>) -> Self {
        self.public_origin = url.and_then(origin_of).map(Arc::from);
        self
    }

    /// Whether users reach the server over HTTPS: responses carry HSTS and the session cookie
    /// is `Secure`.
    pub fn https(&self) -> bool {
        self.web.hsts()
    }
}
