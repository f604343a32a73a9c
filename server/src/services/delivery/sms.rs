//! The SMS channel: one HTTP request to the admin's gateway per message, its URL, headers and
//! body filled from the gateway's templates, and the answer read by its success rule.

use pingjia_domain::delivery::{
    Escape, Fill, GatewayContentType, GatewayMethod, SuccessRule, clip, fill,
};

use super::Failure;
use crate::db::channels::SmsGatewayRow;

/// Sends `text` to `to` through `gateway` with `reference` (the delivery's message id) for
/// `{{reference}}`: the gateway's status, or why it failed.
pub(super) async fn send(
    client: &reqwest::Client,
    gateway: &SmsGatewayRow,
    to: &str,
    text: &str,
    reference: &str,
) -> Result<String, Failure> {
    let values = Fill {
        to,
        text,
        reference,
        secret: gateway.secret.as_deref().unwrap_or(""),
    };
    let method = GatewayMethod::parse(&gateway.method).unwrap_or(GatewayMethod::Post);
    let url = fill(&gateway.url, values, Escape::Percent);
    let mut request = client.request(
        match method {
            GatewayMethod::Post => reqwest::Method::POST,
            GatewayMethod::Put => reqwest::Method::PUT,
            GatewayMethod::Get => reqwest::Method::GET,
        },
        &url,
    );
    for header in gateway.header_list() {
        let value = fill(&header.value, values, Escape::None);
        if value.chars().any(char::is_control) {
            return Err(Failure::Permanent(format!(
                "请求头 {} 含控制字符 / the header {} would hold a control character",
                header.name, header.name
            )));
        }
        request = request.header(header.name, value);
    }
    if method != GatewayMethod::Get {
        let content_type =
            GatewayContentType::parse(&gateway.content_type).unwrap_or(GatewayContentType::Json);
        let (escape, mime) = match content_type {
            GatewayContentType::Json => (Escape::Json, "application/json"),
            GatewayContentType::Form => (Escape::Percent, "application/x-www-form-urlencoded"),
        };
        request = request
            .header(reqwest::header::CONTENT_TYPE, mime)
            .body(fill(&gateway.body_template, values, escape));
    }
    let response = request.send().await.map_err(|e| {
        Failure::Transient(format!(
            "短信网关无法连接 / the SMS gateway could not be reached: {}",
            describe(&e)
        ))
    })?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(Failure::Transient(format!(
            "短信网关应答 HTTP {} / the SMS gateway answered HTTP {}: {}",
            status.as_u16(),
            status.as_u16(),
            clip(&body)
        )));
    }
    let rule = SuccessRule {
        json_field: gateway.success_json_field.clone(),
        json_value: gateway.success_json_value.clone(),
        body_contains: gateway.success_body_contains.clone(),
    };
    rule.check(&body).map_err(Failure::Transient)?;
    Ok(format!("HTTP {}", status.as_u16()))
}

/// A request's error with its causes, on one line.
pub(super) fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}
