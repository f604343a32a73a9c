//! The endpoints events are sent to (`/webhook-endpoints`): signed webhooks and the WeCom,
//! DingTalk and Feishu group robots, with their secrets, test events and delivery logs.

use gloo_net::http::Method;
use pingjia_domain::delivery::DeliveryState;
use pingjia_domain::events::{
    Endpoint, EndpointDelivery, EndpointDeliveryPage, EndpointInput, EndpointPage, EndpointSaved,
};
use serde::{Deserialize, Serialize};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;
use super::query;

/// 409: a signed webhook cannot become a robot or back.
pub const KIND_FIXED: &str = "endpoint_kind_fixed";
/// 409: a robot's secret is its group's, not Pingjia's to make.
pub const SECRET_NOT_OURS: &str = "endpoint_secret_not_ours";

/// Endpoints a page.
pub const PER_PAGE: u32 = 20;

/// The filter and page of one endpoint's delivery log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    pub status: Option<DeliveryState>,
    #[serde(skip)]
    pub page: u32,
}

/// The address of page `query.page` of the log at `path` (the first page left out).
pub fn log_href(path: &str, query: &LogQuery) -> String {
    query::paged_href(path, query, query::Paging::after_first(query.page))
}

async fn send<T: serde::de::DeserializeOwned>(
    method: Method,
    path: &str,
    body: Body,
) -> Result<T, ApiError> {
    client::request(method, path, body, Unauthorized::EndsSession).await
}

/// `GET /webhook-endpoints`: a page of the endpoints, by name.
pub async fn list(page: u32) -> Result<EndpointPage, ApiError> {
    let paging = query::Paging {
        page: Some(page.max(1)),
        per_page: Some(PER_PAGE),
    };
    client::get(&query::paged_href("/webhook-endpoints", &(), paging)).await
}

/// `GET /webhook-endpoints/{id}`.
pub async fn get(id: i64) -> Result<Endpoint, ApiError> {
    client::get(&format!("/webhook-endpoints/{id}")).await
}

/// `POST /webhook-endpoints`: 201 with the endpoint, and a signed webhook's secret (shown
/// once); 422 with field errors (`name`, `url`, `events`, `team_ids`, `service_types`,
/// `secret`).
pub async fn create(input: &EndpointInput) -> Result<EndpointSaved, ApiError> {
    client::post("/webhook-endpoints", input).await
}

/// `PUT /webhook-endpoints/{id}`: a `None` secret keeps the robot's stored one, `""` removes
/// it; 409 [`KIND_FIXED`].
pub async fn update(id: i64, input: &EndpointInput) -> Result<EndpointSaved, ApiError> {
    send(
        Method::PUT,
        &format!("/webhook-endpoints/{id}"),
        Body::json(input)?,
    )
    .await
}

/// `DELETE /webhook-endpoints/{id}`.
pub async fn delete(id: i64) -> Result<(), ApiError> {
    send(
        Method::DELETE,
        &format!("/webhook-endpoints/{id}"),
        Body::Empty,
    )
    .await
}

/// `POST /webhook-endpoints/{id}/secret`: a new signing secret (shown once); 409
/// [`SECRET_NOT_OURS`] for a robot.
pub async fn rotate_secret(id: i64) -> Result<EndpointSaved, ApiError> {
    send(
        Method::POST,
        &format!("/webhook-endpoints/{id}/secret"),
        Body::Empty,
    )
    .await
}

/// `POST /webhook-endpoints/{id}/test`: a test event sent at once; the delivery tells how it
/// went.
pub async fn test(id: i64) -> Result<EndpointDelivery, ApiError> {
    send(
        Method::POST,
        &format!("/webhook-endpoints/{id}/test"),
        Body::Empty,
    )
    .await
}

/// `GET /webhook-endpoints/{id}/deliveries`: a page of its log, newest first.
pub async fn deliveries(id: i64, query: &LogQuery) -> Result<EndpointDeliveryPage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: None,
    };
    client::get(&query::paged_href(
        &format!("/webhook-endpoints/{id}/deliveries"),
        query,
        paging,
    ))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_log_address_carries_the_status_and_the_page() {
        let query = LogQuery {
            status: Some(DeliveryState::Failed),
            page: 3,
        };
        assert_eq!(
            log_href("/admin/webhooks/4", &query),
            "/admin/webhooks/4?status=failed&page=3"
        );
        assert_eq!(
            log_href("/admin/webhooks/4", &LogQuery::default()),
            "/admin/webhooks/4"
        );
    }
}
