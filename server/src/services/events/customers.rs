//! What customers are told of events: an appeal's decision, by the channel their invitation
//! used (an SMS or an e-mail; by the address they have when they were not invited, e-mail
//! first), with a link to the evaluation in the customer's pages.

use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::Lang;
use pingjia_domain::appeals::AppealStatus;
use pingjia_domain::delivery::Purpose;
use pingjia_domain::events::AppealEvent;

use crate::db::events as stored;
use crate::error::AppError;
use crate::services::delivery::email::Mail;
use crate::services::delivery::{self, Content, Outgoing};

/// An appeal's decision as its customer is sent it.
pub(crate) struct Message {
    appeal_id: i64,
    recipient: String,
    content: Content,
}

/// The message telling `appeal`'s customer of its decision (none when the customer has no
/// phone or address), read before the fan-out writes.
pub(crate) async fn decision_message(
    conn: &mut Conn,
    appeal: &AppealEvent,
    base: &str,
) -> Result<Option<Message>, AppError> {
    let Some(customer) = stored::appeal_customer(conn, appeal.appeal_id).await? else {
        return Ok(None);
    };
    let link = format!("{base}/customer/evaluations/{}", appeal.evaluation_number);
    let by_sms = match customer.invitation_channel.as_deref() {
        Some("sms") => customer.phone.is_some(),
        _ => customer.email.is_none(),
    };
    let message = if by_sms {
        customer.phone.map(|phone| {
            (
                phone,
                Content::Sms {
                    text: sms(appeal, &link),
                },
            )
        })
    } else {
        customer
            .email
            .map(|email| (email, Content::email(&mail(appeal, &link))))
    };
    Ok(message.map(|(recipient, content)| Message {
        appeal_id: appeal.appeal_id,
        recipient,
        content,
    }))
}

/// Enqueues `message`, once: whether it was added.
pub(crate) async fn enqueue(
    conn: &mut Conn,
    message: &Message,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let key = format!("appeal.decided:{}:customer", message.appeal_id);
    let done = delivery::enqueue(
        conn,
        now,
        &Outgoing {
            purpose: Purpose::Notification,
            subject: Some(("appeal", message.appeal_id)),
            recipient: &message.recipient,
            content: message.content.clone(),
            dedupe_key: &key,
            not_before: None,
        },
    )
    .await?;
    Ok(done.created)
}

fn outcome(status: AppealStatus) -> (&'static str, &'static str) {
    match status {
        AppealStatus::Approved => (
            "已通过，评价已按您的申请更新",
            "approved: the evaluation was updated",
        ),
        AppealStatus::Rejected => (
            "未通过，评价保持不变",
            "rejected: the evaluation is unchanged",
        ),
        AppealStatus::Pending => (
            AppealStatus::Pending.label(Lang::Zh),
            AppealStatus::Pending.label(Lang::En),
        ),
    }
}

fn sms(appeal: &AppealEvent, link: &str) -> String {
    let (zh, _) = outcome(appeal.status);
    format!(
        "【评价】您对评价 {} 的申诉{zh}。查看详情：{link}",
        appeal.evaluation_number
    )
}

fn mail(appeal: &AppealEvent, link: &str) -> Mail {
    let (zh, en) = outcome(appeal.status);
    let note = appeal.decision_note.as_deref().unwrap_or_default();
    let subject = format!(
        "您的申诉已处理 / Your appeal has been decided: {}",
        appeal.evaluation_number
    );
    let text = format!(
        "您对评价 {number} 的申诉{zh}。\n处理意见：{note}\n查看：{link}\n\n\
         Your appeal of evaluation {number} was {en}.\nNote: {note}\nSee: {link}\n",
        number = appeal.evaluation_number,
    );
    let esc = |v: &str| html_escape::encode_text(v).into_owned();
    let href = html_escape::encode_double_quoted_attribute(link).into_owned();
    let html = format!(
        "<p>您对评价 <strong>{number}</strong> 的申诉{zh}。</p><p>处理意见：{note}</p>\
         <p><a href=\"{href}\">查看评价</a></p><hr><p>Your appeal of evaluation \
         <strong>{number}</strong> was {en}.</p><p>Note: {note}</p>\
         <p><a href=\"{href}\">See the evaluation</a></p>",
        number = esc(&appeal.evaluation_number),
        zh = esc(zh),
        en = esc(en),
        note = esc(note),
    );
    Mail {
        subject,
        text,
        html,
    }
}
