//! The server's integration tests, each on a fresh temporary database, through
//! `app(state).oneshot(request)`. One test binary, so the server is linked once.

mod api;
mod auth;
mod common;
mod demo;
mod openapi;
mod permissions;
mod users;
mod web;
