//! Several instances on one PostgreSQL database behave as one system (issue 23): what an
//! instance tells the listeners it keeps in memory (a new evaluation for its agent's live
//! alerts, a new notification for the bell, changed settings) reaches every instance's, through
//! PostgreSQL's `LISTEN`/`NOTIFY` on the channel [`CHANNEL`]. Each instance listens
//! ([`listen`]) and hands what it hears to its own listeners, its own messages included, so a
//! message is delivered once per instance whichever instance told it. On SQLite (one instance
//! per file) a message is delivered in memory at once.
//!
//! A `NOTIFY` is lost for an instance whose listening connection is down at that moment: after
//! reconnecting, it forgets its cached settings (re-read from the database on the next use);
//! a missed live alert or bell costs nothing, as the app re-reads the counts kept in the
//! database.

use std::time::Duration;

use pingjia_domain::notifications::Notification;
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;

use crate::db::sql::Pool;
use crate::http::state::AppState;
use crate::services::alerts::NewEvaluation;

/// The `NOTIFY` channel of the instances of one database.
pub const CHANNEL: &str = "pingjia";

/// What one instance tells every instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// A new evaluation, for its agent's live alerts.
    Evaluation(NewEvaluation),
    /// A new notification of `user_id`, for their notification centre's live feed.
    Notice {
        user_id: i64,
        notification: Notification,
    },
    /// The organisation's settings changed: read them again.
    Settings,
}

/// Tells every instance `message` (after the transaction that made it committed). On
/// PostgreSQL a `NOTIFY`; should it fail, this instance's listeners are told at least.
pub async fn tell(state: &AppState, message: Message) {
    if let Pool::Postgres(_) = &state.pool {
        match serde_json::to_string(&message) {
            Ok(payload) => match crate::db::cluster::notify(&state.pool, CHANNEL, &payload).await {
                Ok(_) => return,
                Err(error) => tracing::warn!(%error, "telling the other instances failed"),
            },
            Err(error) => tracing::warn!(%error, "a message to the instances"),
        }
    }
    deliver(state, message).await;
}

/// [`tell`] without waiting for it (a submission's answer does not wait for the alert).
pub fn tell_soon(state: &AppState, message: Message) {
    let state = state.clone();
    tokio::spawn(async move { tell(&state, message).await });
}

/// Hands `message` to this instance's listeners.
async fn deliver(state: &AppState, message: Message) {
    match message {
        Message::Evaluation(event) => state.alerts.publish(event),
        Message::Notice {
            user_id,
            notification,
        } => state.notices.publish(user_id, notification),
        Message::Settings => state.settings.forget().await,
    }
}

/// Listens for the other instances' messages (and its own) on PostgreSQL, until the pool is
/// closed or the task aborted: connecting again after a lost connection, a second later.
/// Nothing on SQLite.
pub fn listen(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    let Pool::Postgres(pool) = state.pool.clone() else {
        return None;
    };
    Some(tokio::spawn(async move {
        loop {
            match PgListener::connect_with(&pool).await {
                Ok(mut listener) => {
                    if let Err(error) = listener.listen(CHANNEL).await {
                        tracing::warn!(%error, "listening to the other instances");
                    } else {
                        // What was told while nobody listened is lost: read settings again.
                        state.settings.forget().await;
                        hear(&state, &mut listener, &pool).await;
                    }
                }
                Err(error) => tracing::warn!(%error, "connecting to hear the other instances"),
            }
            if pool.is_closed() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }))
}

/// Delivers what `listener` hears until its connection fails or `pool` is closed (the server
/// stops: said by nobody).
async fn hear(state: &AppState, listener: &mut PgListener, pool: &sqlx::PgPool) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match serde_json::from_str(notification.payload()) {
                Ok(message) => deliver(state, message).await,
                Err(error) => tracing::warn!(%error, "a message from another instance"),
            },
            // The connection was lost (the listener connects again on the next call): what
            // was told meanwhile is lost.
            Ok(None) => state.settings.forget().await,
            Err(_) if pool.is_closed() => return,
            Err(error) => {
                tracing::warn!(%error, "hearing the other instances");
                return;
            }
        }
    }
}
