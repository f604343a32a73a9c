//! Everything that leaves the system: the delivery log (`/deliveries`) with its retry, the
//! SMS gateway (`/settings/sms`) and the webhook channel (`/settings/webhook`) with their
//! tests.

use chrono::NaiveDate;
use gloo_net::http::Method;
use pingjia_domain::delivery::{
    DeliveryChannel, DeliveryEntry, DeliveryPage, DeliveryState, Purpose, SmsGateway,
    SmsGatewayInput, TestSms, WebhookChannel, WebhookChannelInput, WebhookChannelSaved,
};
use serde::{Deserialize, Serialize};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;
use super::query;

/// 409: the channel is not set up yet.
pub const CHANNEL_NOT_CONFIGURED: &str = "channel_not_configured";

/// The filters and page of `GET /deliveries`, as the log's address and the API carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryQuery {
    pub channel: Option<DeliveryChannel>,
    pub status: Option<DeliveryState>,
    pub purpose: Option<Purpose>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[serde(skip)]
    pub page: u32,
}

/// The address of the log's page `query.page` under `path` (the first page left out).
pub fn log_href(path: &str, query: &DeliveryQuery) -> String {
    query::paged_href(path, query, query::Paging::after_first(query.page))
}

/// `GET /deliveries`: a page of the log, newest first.
pub async fn log(query: &DeliveryQuery) -> Result<DeliveryPage, ApiError> {
    client::get(&log_href("/deliveries", query)).await
}

/// `POST /deliveries/{id}/retry`: 409 `delivery_sent` / `delivery_sending`.
pub async fn retry(id: i64) -> Result<DeliveryEntry, ApiError> {
    client::request(
        Method::POST,
        &format!("/deliveries/{id}/retry"),
        Body::Empty,
        Unauthorized::EndsSession,
    )
    .await
}

/// `GET /settings/sms`.
pub async fn sms_gateway() -> Result<SmsGateway, ApiError> {
    client::get("/settings/sms").await
}

/// `PUT /settings/sms`: 422 with field errors (`url`, `headers[i].value`, `body_template`,
/// `secret`, …). A `None` secret keeps the stored one.
pub async fn save_sms_gateway(input: &SmsGatewayInput) -> Result<SmsGateway, ApiError> {
    client::request(
        Method::PUT,
        "/settings/sms",
        Body::json(input)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `POST /settings/sms/test`: the delivery, sent or failed with its reason; 409
/// [`CHANNEL_NOT_CONFIGURED`].
pub async fn test_sms(to: &str) -> Result<DeliveryEntry, ApiError> {
    client::post("/settings/sms/test", &TestSms { to: to.to_owned() }).await
}

/// `GET /settings/webhook`.
pub async fn webhook() -> Result<WebhookChannel, ApiError> {
    client::get("/settings/webhook").await
}

/// `PUT /settings/webhook`: the new secret in the answer when one was made.
pub async fn save_webhook(input: &WebhookChannelInput) -> Result<WebhookChannelSaved, ApiError> {
    client::request(
        Method::PUT,
        "/settings/webhook",
        Body::json(input)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `POST /settings/webhook/test`: the delivery; 409 [`CHANNEL_NOT_CONFIGURED`].
pub async fn test_webhook() -> Result<DeliveryEntry, ApiError> {
    client::request(
        Method::POST,
        "/settings/webhook/test",
        Body::Empty,
        Unauthorized::EndsSession,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_log_address_carries_the_filters_and_the_page() {
        let query = DeliveryQuery {
            channel: Some(DeliveryChannel::Sms),
            status: Some(DeliveryState::Failed),
            purpose: None,
            from: "2026-11-01".parse().ok(),
            to: None,
            page: 2,
        };
        assert_eq!(
            log_href("/deliveries", &query),
            "/deliveries?channel=sms&status=failed&from=2026-11-01&page=2"
        );
        assert_eq!(
            log_href("/deliveries", &DeliveryQuery::default()),
            "/deliveries"
        );
        let read: DeliveryQuery = query::from_pairs(
            [
                ("channel", "webhook"),
                ("status", "nonsense"),
                ("purpose", "test"),
            ],
            &[],
        );
        assert_eq!(read.channel, Some(DeliveryChannel::Webhook));
        assert_eq!(read.status, None);
        assert_eq!(read.purpose, Some(Purpose::Test));
    }
}
