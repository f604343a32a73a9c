//! What the system does besides answering one request: report building and mailing,
//! moderation of submissions, the QA plan report, live alerts, the audit log, the word-cloud terms, password
//! hashing, and the workers behind them (each job [`jobs::isolated`], so a panic fails the job
//! and not the worker).

pub mod alerts;
pub mod analytics;
pub mod audit;
pub mod cluster;
pub mod delivery;
pub mod events;
pub mod invitations;
pub mod jobs;
pub mod moderation;
pub mod password;
pub mod qa_report;
pub mod reports;
pub mod sending;
pub mod sign_in_codes;
