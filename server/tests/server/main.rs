//! The server's integration tests, each on a fresh temporary database, through
//! `app(state).oneshot(request)`. One test binary, so the server is linked once.

mod analytics;
mod analytics_bench;
mod api;
mod appeals;
mod architecture;
mod auth;
mod common;
mod configuration;
mod contract;
mod crash;
mod customers;
mod deliveries;
mod demo;
mod demo_sending;
mod evaluations;
mod events;
mod faults;
mod feedback;
mod import_bench;
mod links;
mod load;
mod moderation;
mod notifications;
mod openapi;
mod permissions;
mod qa;
mod records;
mod reports;
mod response_rate;
mod sending;
mod sending_bench;
mod sign_in_codes;
mod submissions;
mod users;
mod web;
