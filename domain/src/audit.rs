//! The audit log as admins read it (`GET /audit-log`): who did what, when and from where.
//! Entries are append-only; actions are stable dotted names (`auth.login`,
//! `evaluation.deleted`, ...).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::wire::Role;

/// Entries per page when none is asked for, and at most.
pub const DEFAULT_AUDIT_PER_PAGE: u32 = 50;
pub const MAX_AUDIT_PER_PAGE: u32 = 200;

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `None` when nobody was signed in (a failed login) or the system acted (flagging an
    /// anomalous evaluation).
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub actor_role: Option<Role>,
    /// The actor's staff or customer number.
    pub actor_no: Option<String>,
    /// The client's address, when there was one.
    pub actor_ip: Option<String>,
    /// A dotted action name, e.g. `evaluation.deleted`.
    pub action: String,
    /// What it was done to, e.g. `evaluation`, `user`.
    pub target_type: Option<String>,
    /// E.g. an evaluation's number, a user's id.
    pub target_id: Option<String>,
    /// A JSON object: old and new values, reasons, counts.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

/// `GET /audit-log`: one page of the entries matching the filters, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLogPage {
    pub entries: Vec<AuditEntry>,
    /// Entries matching the filters, on every page.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
    /// Every action name the log holds, sorted, for the filter.
    pub actions: Vec<String>,
}

mod actions;
mod details;
pub use actions::{AuditAction, action_label};
pub use details::{detail_label, detail_lines};
