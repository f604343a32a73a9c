//! Sending an event's delivery to its registered endpoint (issue 21): a signed webhook
//! (Standard Webhooks), or a WeCom, DingTalk or Feishu group robot (`services::events::robots`:
//! the message was rendered when the event was fanned out; the signatures are made now, as
//! they carry the time).

use pingjia_domain::events::EndpointKind;

use super::sms::describe;
use super::{Failure, webhook};
use crate::db::endpoints::EndpointRow;
use crate::http::state::AppState;
use crate::services::events::robots;

/// Posts `body` to `endpoint` as its kind wants: the receiver's answer, or why it failed.
pub(super) async fn send(
    state: &AppState,
    endpoint: &EndpointRow,
    message_id: &str,
    body: &str,
) -> Result<String, Failure> {
    let kind = endpoint
        .kind()
        .map_err(|e| Failure::Permanent(format!("端点类型无法读取 / the endpoint's kind: {e}")))?;
    let now = state.clock.now();
    let secret = endpoint.secret.as_deref().filter(|s| !s.is_empty());
    match kind {
        EndpointKind::Webhook => {
            let secret = secret.ok_or_else(|| {
                Failure::Permanent("端点没有签名密钥 / the endpoint has no secret".to_owned())
            })?;
            webhook::send(
                &state.outbox.http,
                &endpoint.url,
                secret,
                message_id,
                now.timestamp(),
                body,
            )
            .await
        }
        robot => {
            let mut url = reqwest::Url::parse(&endpoint.url).map_err(|e| {
                Failure::Permanent(format!("机器人地址无效 / the robot's URL is invalid: {e}"))
            })?;
            let mut json: serde_json::Value = serde_json::from_str(body).map_err(|e| {
                Failure::Permanent(format!("消息内容无法读取 / the stored message: {e}"))
            })?;
            if let Some(secret) = secret {
                match robot {
                    EndpointKind::Dingtalk => {
                        let at = now.timestamp_millis();
                        url.query_pairs_mut()
                            .append_pair("timestamp", &at.to_string())
                            .append_pair("sign", &robots::dingtalk_sign(secret, at));
                    }
                    EndpointKind::Feishu => {
                        let at = now.timestamp();
                        json["timestamp"] = at.to_string().into();
                        json["sign"] = robots::feishu_sign(secret, at).into();
                    }
                    EndpointKind::Wecom | EndpointKind::Webhook => {}
                }
            }
            let response = state
                .outbox
                .http
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(json.to_string())
                .send()
                .await
                .map_err(|e| {
                    Failure::Transient(format!(
                        "机器人地址无法连接 / the robot's URL could not be reached: {}",
                        describe(&e)
                    ))
                })?;
            let status = response.status();
            let answer = response.text().await.unwrap_or_default();
            if !status.is_success() {
                return Err(Failure::Transient(format!(
                    "机器人应答 / the robot answered {}",
                    webhook::answer(status, &answer)
                )));
            }
            robots::accepted(robot, &answer).map_err(Failure::Transient)?;
            Ok(webhook::answer(status, &answer))
        }
    }
}
