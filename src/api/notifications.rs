//! The notification centre (`/me/notifications…`, every staff role): a page of one's
//! notifications with the unread count, mark read, the live stream, and one's on/off per kind.

use gloo_net::http::Method;
use pingjia_domain::notifications::{
    MarkRead, NotificationAlert, NotificationPage, NotificationSettings,
};
use serde::Serialize;

use super::client::{self, Body, Unauthorized};
use super::config::api_base;
use super::error::ApiError;
use super::query;

/// How many notifications a page of the list shows.
pub const PER_PAGE: u32 = 20;

/// `GET /me/notifications`'s query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ListQuery {
    /// Only the unread ones.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unread_only: bool,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

/// `GET /me/notifications`: a page of mine, newest first, and my unread count.
pub async fn list(wanted: &ListQuery) -> Result<NotificationPage, ApiError> {
    client::get(&query::with_query(
        "/me/notifications",
        &query::to_sorted_query(wanted),
    ))
    .await
}

/// My unread count (the first count of the bell, and its polling fallback).
pub async fn unread() -> Result<u64, ApiError> {
    let first = ListQuery {
        unread_only: true,
        page: 1,
        per_page: 1,
    };
    list(&first).await.map(|page| page.unread)
}

/// `POST /me/notifications/read`: marks these read; my unread count afterwards.
pub async fn mark_read(ids: Vec<i64>) -> Result<NotificationAlert, ApiError> {
    client::post("/me/notifications/read", &MarkRead { ids, all: false }).await
}

/// `POST /me/notifications/read` with `all`: marks every one of mine read.
pub async fn mark_all_read() -> Result<NotificationAlert, ApiError> {
    let all = MarkRead {
        ids: Vec::new(),
        all: true,
    };
    client::post("/me/notifications/read", &all).await
}

/// `GET /me/notification-settings`: my on/off per kind and where my e-mail goes.
pub async fn settings() -> Result<NotificationSettings, ApiError> {
    client::get("/me/notification-settings").await
}

/// `PUT /me/notification-settings`: saves my on/off per kind (422 by field, e.g.
/// `kinds[2].event_type`).
pub async fn save_settings(
    settings: &NotificationSettings,
) -> Result<NotificationSettings, ApiError> {
    client::request(
        Method::PUT,
        "/me/notification-settings",
        Body::json(settings)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// The address of my live notifications (`GET /me/notifications/stream`, server-sent events
/// named `notification`), under the API base `base`.
pub fn stream_url(base: &str) -> String {
    format!("{}/me/notifications/stream", base.trim_end_matches('/'))
}

/// [`stream_url`] under the configured API base.
pub async fn stream_href() -> String {
    stream_url(&api_base().await)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_list_query_names_the_unread_filter_only_when_it_is_on() {
        let all = ListQuery {
            unread_only: false,
            page: 2,
            per_page: 20,
        };
        assert_eq!(query::to_sorted_query(&all), "page=2&per_page=20");
        let unread = ListQuery {
            unread_only: true,
            ..all
        };
        assert_eq!(
            query::to_sorted_query(&unread),
            "page=2&per_page=20&unread_only=true"
        );
        assert_eq!(stream_url("/api/v1/"), "/api/v1/me/notifications/stream");
    }
}
