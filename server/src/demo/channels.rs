//! The demo's channels: a mail server and an SMS gateway on this machine, so that the delivery
//! log, the invitations and sign-in by code have something to show at first start. Nothing
//! listens there unless someone starts a sink (`node end2end/smtp-sink.mjs 2525 9925` serves
//! both): without one, the deliveries fail with their reason and are retried, and no message
//! leaves the machine.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::delivery::{GatewayContentType, GatewayMethod, SmsGatewayInput, SuccessRule};
use pingjia_domain::reports::{SmtpSecurity, SmtpSettingsInput};

use crate::db::channels::set_sms_gateway;
use crate::db::reports::set_smtp;

/// Where the demo's mail goes: plain SMTP on this machine.
pub const DEMO_SMTP_PORT: u16 = 2525;
/// Where the demo's SMS gateway listens: `POST /sms` on this machine.
pub const DEMO_SMS_URL: &str = "http://127.0.0.1:9925/sms";

/// Sets both channels up as admin `by`, and gives one customer in five an e-mail address
/// (`c000005@demo.localhost`: `.localhost` names never leave the machine).
pub(crate) async fn configure(
    conn: &mut Conn,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let smtp = SmtpSettingsInput {
        host: "127.0.0.1".to_owned(),
        port: DEMO_SMTP_PORT,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        from_address: "pingjia@demo.localhost".to_owned(),
        from_name: "评价 Pingjia".to_owned(),
        link_base: String::new(),
    };
    set_smtp(conn, &smtp, None, by, now).await?;
    let gateway = SmsGatewayInput {
        url: DEMO_SMS_URL.to_owned(),
        method: GatewayMethod::Post,
        headers: Vec::new(),
        body_template: r#"{"to":"{{to}}","text":"{{text}}","reference":"{{reference}}"}"#
            .to_owned(),
        content_type: GatewayContentType::Json,
        success: SuccessRule {
            json_field: Some("code".to_owned()),
            json_value: Some("0".to_owned()),
            body_contains: None,
        },
        secret: None,
    };
    set_sms_gateway(conn, &gateway, None, by, now).await?;
    sql::query(
        "UPDATE users SET email = lower(customer_no) || '@demo.localhost'
         WHERE role = 'customer' AND id % 5 = 0 AND customer_no IS NOT NULL",
    )
    .execute(conn)
    .await?;
    Ok(())
}
