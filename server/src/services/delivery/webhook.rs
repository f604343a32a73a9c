//! The webhook channel: the rendered JSON posted to the admin's URL, signed as Standard
//! Webhooks says (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64
//! HMAC-SHA256 of "id.timestamp.body">`), with the `standardwebhooks` crate (1.0.1).

use base64::Engine as _;
use pingjia_domain::delivery::clip;
use rand::RngCore as _;

use super::Failure;
use super::sms::describe;

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// Posts `body` to `url` signed with `secret`, `message_id` as `webhook-id` and `timestamp`
/// (Unix seconds): the receiver's status and the start of its answer, or why it failed.
pub(super) async fn send(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    message_id: &str,
    timestamp: i64,
    body: &str,
) -> Result<String, Failure> {
    let signer = standardwebhooks::Webhook::new(secret).map_err(|e| {
        Failure::Permanent(format!(
            "签名密钥无效 / the signing secret cannot be used: {e}"
        ))
    })?;
    let signature = signer
        .sign(message_id, timestamp, body.as_bytes())
        .map_err(|e| Failure::Permanent(format!("签名失败 / signing failed: {e}")))?;
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(standardwebhooks::HEADER_WEBHOOK_ID, message_id)
        .header(
            standardwebhooks::HEADER_WEBHOOK_TIMESTAMP,
            timestamp.to_string(),
        )
        .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
        .body(body.to_owned())
        .send()
        .await
        .map_err(|e| {
            Failure::Transient(format!(
                "Webhook 地址无法连接 / the webhook's URL could not be reached: {}",
                describe(&e)
            ))
        })?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(Failure::Transient(format!(
            "Webhook 应答 HTTP {} / the webhook answered HTTP {}: {}",
            status.as_u16(),
            status.as_u16(),
            clip(&body)
        )));
    }
    Ok(answer(status, &body))
}

/// What the log keeps of an answer: `HTTP 200` and the start of its body.
pub(super) fn answer(status: reqwest::StatusCode, body: &str) -> String {
    let body = clip(body);
    if body.trim().is_empty() {
        format!("HTTP {}", status.as_u16())
    } else {
        format!("HTTP {}: {}", status.as_u16(), body.trim())
    }
}
