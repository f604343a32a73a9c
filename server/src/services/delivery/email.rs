//! The e-mail channel: a message built from a rendered mail and sent through the admin's SMTP
//! server (lettre), carrying the delivery's id as its `Message-ID`.

use std::time::Duration as StdDuration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use pingjia_domain::problem::Lines;

use crate::error::panic_message;

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: StdDuration = StdDuration::from_secs(20);

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub use crate::db::reports::{SmtpRow, smtp_row};

/// Sends `mail` to `to` through the mail server at once (the settings page's test): the
/// server's last reply line, or the error in words.
pub async fn send(smtp: &SmtpRow, to: &str, mail: &Mail) -> Result<String, String> {
    let message = message(smtp, to, mail, None)?;
    transmit(smtp, message).await
}

/// The message of `mail` from the mail server's sender to `to`, with the `Message-ID`
/// `<{message_id}@{the sender's domain}>` when given, or why it cannot be built (a value that
/// cannot go into a mail header: a control character in the sender's name or the subject, an
/// address that is not one). Never panics: lettre 0.11 builds the `From` header infallibly and
/// panics on a name with a line break, so every value is checked first, and a panic left in
/// the builder is caught and told as an error.
pub fn message(
    smtp: &SmtpRow,
    to: &str,
    mail: &Mail,
    message_id: Option<&str>,
) -> Result<Message, String> {
    for (zh, en, value) in [
        ("发件人名称", "the sender's name", smtp.from_name.as_str()),
        (
            "发件地址",
            "the sender's address",
            smtp.from_address.as_str(),
        ),
        ("收件地址", "the recipient's address", to),
        ("邮件主题", "the subject", mail.subject.as_str()),
    ] {
        if let Some(c) = value.chars().find(|&c| Lines::Single.refuses(c)) {
            return Err(format!(
                "{zh}含控制字符 U+{code:04X} / {en} holds the control character U+{code:04X}",
                code = u32::from(c)
            ));
        }
    }
    let from: lettre::Address = smtp
        .from_address
        .parse()
        .map_err(|e| format!("the sender address: {e}"))?;
    let to: lettre::Address = to.parse().map_err(|e| format!("the address {to:?}: {e}"))?;
    let name = (!smtp.from_name.is_empty()).then(|| smtp.from_name.clone());
    let id = message_id.map(|id| format!("<{id}@{}>", from.domain()));
    std::panic::catch_unwind(|| {
        Message::builder()
            .from(Mailbox::new(name, from))
            .to(Mailbox::new(None, to))
            .subject(&mail.subject)
            .message_id(id)
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
    })
    .map_err(|panic| format!("the message: {}", panic_message(panic.as_ref())))?
    .map_err(|e| format!("the message: {e}"))
}

/// Sends a built message through the mail server: its last reply line, or the error in words.
pub async fn transmit(smtp: &SmtpRow, message: Message) -> Result<String, String> {
    let port = u16::try_from(smtp.port).map_err(|_| format!("port {}", smtp.port))?;
    let builder = match smtp.security.as_str() {
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
            .map_err(|e| format!("TLS to {}: {e}", smtp.host))?,
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
            .map_err(|e| format!("STARTTLS to {}: {e}", smtp.host))?,
    };
    let mut builder = builder.port(port).timeout(Some(SMTP_TIMEOUT));
    if let Some(user) = smtp.username.as_ref().filter(|u| !u.is_empty()) {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            smtp.password.clone().unwrap_or_default(),
        ));
    }
    let transport = builder.build();
    let response = transport
        .send(message)
        .await
        .map_err(|e| describe_smtp_error(&smtp.host, port, &e))?;
    Ok(format!(
        "{} {}",
        response.code(),
        response.message().collect::<Vec<_>>().join(" ")
    ))
}

pub(crate) fn describe_smtp_error(
    host: &str,
    port: u16,
    e: &lettre::transport::smtp::Error,
) -> String {
    use std::error::Error as _;
    let mut text = format!("{host}:{port}: {e}");
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}
