//! Demo conversations: most online chats and phone follow-ups of the last 60 days (the demo's
//! QA plan and the plans an inspector draws over the last 30 days) carry a short transcript,
//! so the inspection page shows what was said beside the checklist. No link: the demo must
//! not point off this machine (a recording is tried with a local link in the tests).

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Duration, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::time::to_db;

/// Share of those records that carry a transcript.
const SHARE: f64 = 0.7;

/// Chats by category: each one speaker turn per line.
fn conversations(category: &str) -> &'static [&'static [&'static str]] {
    match category {
        "complaint" => &[
            &[
                "客户：我的快递已经三天没有更新物流了，到底什么时候能到？",
                "客服：您好，非常抱歉让您久等了，请提供一下订单号，我马上为您查询。",
                "客户：SO20261105。你们每次都这样，说好的两天到。",
                "客服：查到了，包裹在中转站滞留，我已经为您催件，预计明天送达。",
                "客户：明天再不到我就要退货了。",
                "客服：理解您的心情，明天我会再跟进一次，到货前短信通知您。",
            ],
            &[
                "客户：上次说好给我回电，结果一直没人联系我。",
                "客服：您先别急，请问您是说哪个工单？",
                "客户：就是洗衣机漏水那个，我都打了三次电话了。",
                "客服：这个问题我们会处理的，您等通知吧。",
                "客户：你这是什么态度？我要投诉。",
                "客服：抱歉，我马上为您加急派单，今天下午师傅会联系您。",
            ],
            &[
                "客户：退货申请提交五天了还没审核。",
                "客服：您好，我看一下……您的申请缺少商品照片，所以暂未通过。",
                "客户：没人告诉我要照片啊。",
                "客服：非常抱歉没有提前告知，您现在上传后我为您优先审核。",
                "客户：好吧，那我现在传。",
            ],
        ],
        "praise" => &[&[
            "客户：上次帮我改地址的客服很耐心，想表扬一下。",
            "客服：谢谢您的认可！请问还记得是哪一天的服务吗？",
            "客户：上周三下午，订单是 SO20261102。",
            "客服：好的，我已经记录下来，会转达给同事。祝您生活愉快！",
        ]],
        "suggestion" => &[&[
            "客户：建议你们的 App 能直接查看维修进度。",
            "客服：感谢您的建议！目前进度可以在“我的工单”里查看。",
            "客户：那个入口太深了，找了半天。",
            "客服：明白，我会把您的建议反馈给产品团队。",
        ]],
        _ => &[
            &[
                "客户：你好，会员积分可以抵扣运费吗？",
                "客服：您好，可以的，每 100 积分抵扣 1 元，结算页勾选“积分抵扣”即可。",
                "客户：那积分什么时候过期？",
                "客服：积分有效期为获得后的 12 个月，您可以在“我的积分”查看明细。",
                "客户：好的，谢谢。",
                "客服：不客气，还有其他可以帮您的吗？",
            ],
            &[
                "客户：我想改一下收货地址，订单已经付款了。",
                "客服：您好，请问订单号是多少？",
                "客户：SO20261108。",
                "客服：订单还未出库，已经为您改好了，您可以在订单详情里确认。",
                "客户：看到了，谢谢！",
            ],
            &[
                "客服：您好，这里是售后回访，请问上周维修的空调现在使用正常吗？",
                "客户：正常的，制冷效果挺好。",
                "客服：好的，如果后续有任何问题可以随时联系我们。",
                "客户：好，师傅挺专业的。",
                "客服：感谢您的认可，祝您生活愉快。",
            ],
        ],
    }
}

/// Gives a share of the recent online records a transcript (after the records are written).
pub(super) async fn insert(conn: &mut Conn, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let since = to_db(now - Duration::days(61));
    let records: Vec<(i64, String)> = sql::query_as(
        "SELECT id, category FROM service_records
         WHERE ended_at >= ? AND service_type IN ('online_chat', 'phone_follow_up')
         ORDER BY id",
    )
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut rng = ChaCha8Rng::seed_from_u64(20_261_207);
    for (id, category) in records {
        if !rng.random_bool(SHARE) {
            continue;
        }
        let Some(lines) = conversations(&category).choose(&mut rng) else {
            continue;
        };
        sql::query("UPDATE service_records SET transcript = ? WHERE id = ?")
            .bind(lines.join("\n"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingjia_domain::records::conversation::parse_transcript;

    #[test]
    fn every_demo_conversation_is_a_valid_transcript() {
        for category in ["complaint", "praise", "suggestion", "consultation"] {
            for lines in conversations(category) {
                let mut errors = Vec::new();
                let read = parse_transcript(&mut errors, "transcript", &lines.join("\n"));
                assert!(errors.is_empty());
                assert_eq!(read.len(), lines.len());
            }
        }
    }
}
