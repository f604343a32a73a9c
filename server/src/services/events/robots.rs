//! Team chat robots: an event as the message each chat's group robot takes, and the way each
//! one is signed and answers.
//!
//! - WeCom (企业微信): `{"msgtype": "markdown", "markdown": {"content"}}`, no signature (the key
//!   is in the URL); answers `{"errcode": 0, "errmsg": "ok"}`.
//! - DingTalk (钉钉): `{"msgtype": "markdown", "markdown": {"title", "text"}}`; with a secret
//!   (加签) the URL gets `timestamp` (milliseconds) and `sign` = base64 of HMAC-SHA256 keyed
//!   by the secret of `"{timestamp}\n{secret}"`; answers `{"errcode": 0, …}`.
//! - Feishu (飞书): `{"msg_type": "interactive", "card": {…}}`; with a secret (签名校验) the body
//!   gets `timestamp` (seconds, a string) and `sign` = base64 of HMAC-SHA256 keyed by
//!   `"{timestamp}\n{secret}"` of nothing; answers `{"code": 0, …}`.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use pingjia_domain::Lang;
use pingjia_domain::events::{AppealEvent, EndpointKind, EventAgent, EventType};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::db::events::EvaluationFacts;
use crate::time::org_zone;

/// What a robot's message shows of an event: its subject (an evaluation's number, an item),
/// its lines (markdown) and the link to it in Pingjia.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub subject: String,
    pub lines: Vec<String>,
    pub link: String,
}

/// A time in the organisation's zone, as messages show it.
pub(crate) fn local(time: DateTime<Utc>) -> String {
    time.with_timezone(&org_zone())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `张三（E1001）· 一组`.
pub(crate) fn agent_line(agent: &EventAgent) -> String {
    let mut line = agent.name.clone();
    if let Some(no) = &agent.agent_no {
        line.push_str(&format!("（{no}）"));
    }
    if let Some(team) = &agent.team_name {
        line.push_str(&format!(" · {team}"));
    }
    line
}

/// At most this many characters of a suggestion or a reason in a message.
const QUOTE: usize = 200;

/// `text` on one line, cut at [`QUOTE`] characters.
pub(crate) fn clipped(text: &str) -> String {
    let one_line = text.replace(['\r', '\n'], " ");
    if one_line.chars().count() > QUOTE {
        let mut cut: String = one_line.chars().take(QUOTE).collect();
        cut.push('…');
        cut
    } else {
        one_line
    }
}

impl Message {
    /// An evaluation's message: its stars, agent, service type, suggestion, and a callback's
    /// due time.
    pub(crate) fn of_evaluation(
        facts: &EvaluationFacts,
        link: &str,
        due: Option<DateTime<Utc>>,
    ) -> Message {
        let stars = usize::try_from(facts.overall.clamp(0, 5)).unwrap_or(0);
        let mut lines = vec![
            format!(
                "**评分**：{}{} {} 星（总分 {:.1}）",
                "★".repeat(stars),
                "☆".repeat(5 - stars),
                facts.overall,
                facts.total_score
            ),
            format!("**客服**：{}", agent_line(&facts.agent())),
            format!("**服务类型**：{}", facts.service_type_name),
        ];
        if let Some(suggestion) = facts.suggestion.as_deref().filter(|s| !s.trim().is_empty()) {
            lines.push(format!("**建议**：{}", clipped(suggestion)));
        }
        if let Some(due) = due {
            lines.push(format!("**回访截止**：{}", local(due)));
        }
        Message {
            subject: facts.number.clone(),
            lines,
            link: link.to_owned(),
        }
    }

    /// An appeal's message: the evaluation's, with the appeal's status, reason and decision.
    pub(crate) fn of_appeal(facts: &EvaluationFacts, appeal: &AppealEvent) -> Message {
        let mut message = Message::of_evaluation(facts, &appeal.link, None);
        message.lines.push(format!(
            "**申诉**：{}：{}",
            appeal.status.label(Lang::Zh),
            clipped(&appeal.reason)
        ));
        if let Some(note) = &appeal.decision_note {
            message
                .lines
                .push(format!("**处理意见**：{}", clipped(note)));
        }
        message
    }
}

/// The JSON a robot of `kind` is posted for `event` (before a Feishu signature, added when it
/// is sent).
pub fn body(kind: EndpointKind, event: EventType, message: &Message) -> Value {
    let title = format!("{} · {}", event.label(Lang::Zh), message.subject);
    let lines = &message.lines;
    let link = &message.link;
    let low = matches!(
        event,
        EventType::EvaluationLowScore
            | EventType::CallbackOpened
            | EventType::CallbackOverdue
            | EventType::PlanOverdue
            | EventType::RectificationOverdue
    );
    match kind {
        EndpointKind::Wecom => {
            let heading = if low {
                format!("### <font color=\"warning\">{title}</font>")
            } else {
                format!("### {title}")
            };
            json!({
                "msgtype": "markdown",
                "markdown": {"content": format!(
                    "{heading}\n{}\n[在评价系统中查看]({})",
                    lines.join("\n"),
                    link
                )},
            })
        }
        EndpointKind::Dingtalk => json!({
            "msgtype": "markdown",
            "markdown": {
                "title": title,
                "text": format!(
                    "### {title}\n\n{}\n\n[在评价系统中查看]({})",
                    lines.join("\n\n"),
                    link
                ),
            },
        }),
        EndpointKind::Feishu => json!({
            "msg_type": "interactive",
            "card": {
                "config": {"wide_screen_mode": true},
                "header": {
                    "title": {"tag": "plain_text", "content": title},
                    "template": if low { "red" } else { "blue" },
                },
                "elements": [
                    {"tag": "markdown", "content": lines.join("\n")},
                    {"tag": "action", "actions": [{
                        "tag": "button",
                        "text": {"tag": "plain_text", "content": "在评价系统中查看"},
                        "url": link,
                        "type": "primary",
                    }]},
                ],
            },
        }),
        // A signed webhook is sent the payload, not a message (see `content_for`).
        EndpointKind::Webhook => Value::Null,
    }
}

/// A robot's test message.
pub fn test_body(kind: EndpointKind, at: String) -> Value {
    let text = format!("评价系统测试消息：机器人已连通（{at}）");
    match kind {
        EndpointKind::Wecom => json!({"msgtype": "markdown", "markdown": {"content": text}}),
        EndpointKind::Dingtalk => {
            json!({"msgtype": "markdown", "markdown": {"title": "评价系统测试消息", "text": text}})
        }
        EndpointKind::Feishu => json!({"msg_type": "text", "content": {"text": text}}),
        EndpointKind::Webhook => Value::Null,
    }
}

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// DingTalk's signature of `timestamp_ms` with `secret`.
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    hmac_base64(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    )
}

/// Feishu's signature of `timestamp` (seconds) with `secret`.
pub fn feishu_sign(secret: &str, timestamp: i64) -> String {
    hmac_base64(format!("{timestamp}\n{secret}").as_bytes(), b"")
}

/// Whether a robot's answer (HTTP 200) says it took the message; its error when not.
pub fn accepted(kind: EndpointKind, answer: &str) -> Result<(), String> {
    let Ok(value) = serde_json::from_str::<Value>(answer) else {
        return Err(format!(
            "机器人的应答无法读取 / the robot's answer is not JSON: {answer}"
        ));
    };
    let code = match kind {
        EndpointKind::Feishu => value.get("code").or_else(|| value.get("StatusCode")),
        _ => value.get("errcode"),
    };
    match code.and_then(Value::as_i64) {
        Some(0) => Ok(()),
        _ => Err(format!(
            "机器人拒绝了消息 / the robot refused the message: {answer}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Message {
        Message {
            subject: "PJ20261204-000001".into(),
            lines: vec![
                "**评分**：★☆☆☆☆ 1 星（总分 1.4）".into(),
                "**回访截止**：2026-12-07 18:00".into(),
            ],
            link: "http://127.0.0.1:8080/admin/analytics/evaluations?q=PJ20261204-000001".into(),
        }
    }

    #[test]
    fn each_robot_gets_its_chats_message_shape() {
        let wecom = body(EndpointKind::Wecom, EventType::EvaluationLowScore, &facts());
        assert_eq!(wecom["msgtype"], "markdown");
        let content = wecom["markdown"]["content"].as_str().unwrap();
        assert!(content.contains("★☆☆☆☆ 1 星"), "{content}");
        assert!(content.contains("[在评价系统中查看](http://"));
        let ding = body(
            EndpointKind::Dingtalk,
            EventType::EvaluationLowScore,
            &facts(),
        );
        assert_eq!(ding["markdown"]["title"], "低分评价 · PJ20261204-000001");
        assert!(
            ding["markdown"]["text"]
                .as_str()
                .unwrap()
                .contains("**回访截止**：2026-12-07 18:00")
        );
        let feishu = body(
            EndpointKind::Feishu,
            EventType::EvaluationLowScore,
            &facts(),
        );
        assert_eq!(feishu["msg_type"], "interactive");
        assert_eq!(feishu["card"]["header"]["template"], "red");
        assert_eq!(
            feishu["card"]["elements"][1]["actions"][0]["url"],
            facts().link
        );
    }

    #[test]
    fn signatures_follow_each_chats_documented_recipe() {
        // DingTalk's: HMAC-SHA256 keyed by the secret over "timestamp\nsecret".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"SEC123").unwrap();
        mac.update(b"1700000000000\nSEC123");
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(dingtalk_sign("SEC123", 1_700_000_000_000), expected);
        // Feishu's: keyed by "timestamp\nsecret", over nothing.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"1700000000\nabc").unwrap();
        mac.update(b"");
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(feishu_sign("abc", 1_700_000_000), expected);
    }

    #[test]
    fn a_robot_that_answers_an_error_code_refused_the_message() {
        assert!(accepted(EndpointKind::Wecom, r#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        assert!(
            accepted(
                EndpointKind::Dingtalk,
                r#"{"errcode":310000,"errmsg":"sign not match"}"#
            )
            .is_err()
        );
        assert!(accepted(EndpointKind::Feishu, r#"{"code":0,"msg":"success"}"#).is_ok());
        assert!(
            accepted(
                EndpointKind::Feishu,
                r#"{"code":19021,"msg":"sign match fail"}"#
            )
            .is_err()
        );
        assert!(accepted(EndpointKind::Feishu, "<html>").is_err());
    }
}
