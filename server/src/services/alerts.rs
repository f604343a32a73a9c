//! Live alerts of new evaluations for their agents: the submission publishes, each agent's
//! open `GET /me/feedback/stream` (Server-Sent Events) listens for its own.
//!
//! Told to every instance (`services::cluster`); a lagging listener skips what it missed and the app re-reads the
//! unread count, which is kept in the database, so nothing depends on an event arriving.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// A new evaluation, as published after its transaction committed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvaluation {
    pub agent_id: i64,
    pub number: String,
    pub overall: u8,
    pub total_score: f64,
}

/// The publisher; cheap to clone.
#[derive(Debug, Clone)]
pub struct Alerts(broadcast::Sender<NewEvaluation>);

impl Default for Alerts {
    fn default() -> Self {
        Alerts(broadcast::channel(256).0)
    }
}

impl Alerts {
    /// Tells the listeners; nobody listening is fine.
    pub fn publish(&self, event: NewEvaluation) {
        let _ = self.0.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<NewEvaluation> {
        self.0.subscribe()
    }
}
