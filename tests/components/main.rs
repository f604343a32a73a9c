//! The component tests, in one binary: one link, one wasm-bindgen pass and one browser start
//! for all of them (`cargo test --target wasm32-unknown-unknown`, headless Chromium). The tests
//! that need a page where nothing has loaded yet (`tests/app.rs`, `tests/echart.rs`) are
//! binaries of their own.
#![cfg(target_arch = "wasm32")]

mod common;

mod admin_users;
mod analytics;
mod api;
mod appeals;
mod data_table;
mod dialog;
mod feedback;
mod invitations;
mod login;
mod moderation;
mod outbox;
mod qa;
mod rating_form;
mod reports;
mod session;
mod sign_in_code;
mod star_rating;
mod top_bar;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
