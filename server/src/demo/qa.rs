//! Demo QA: one finished inspection plan over the month before last, so the QA pages, the
//! report and its before/after comparison show real figures from the first start.
//!
//! The plan is drawn exactly as `POST /qa/plans` draws one (stratified by service type, a fixed
//! seed) and inspected by `Q0001` with the seed-002 checklist. Items are found wanting more
//! often for agents whose customers rate them lower, so QA and customer scores agree the way
//! they do in real teams; most rectifications are closed, some await a re-check and a few are
//! overdue.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::qa::{
    DimensionScore, ItemAnswer, ItemResult, NewInspection, NewPlan, RectificationAssignment,
    StratumKey,
};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::db::qa::{insert_plan, load_template, write_inspection};
use crate::error::AppError;
use crate::time::{org_day, org_day_start, to_db};

/// The demo's QA inspector (`Q0001`).
const INSPECTOR: i64 = 2;

/// Problem descriptions by item id (seed-002 checklist), as an inspector writes them.
fn problems(item: i64) -> &'static [&'static str] {
    match item {
        1 => &[
            "接通后未使用规范问候语，直接询问订单号",
            "开场语气生硬，未报工号",
        ],
        2 => &[
            "客户描述退货原因时三次打断客户",
            "未等客户说完即给出方案，遗漏客户真实诉求",
        ],
        3 => &[
            "客户质疑运费时回复“这不是我们的责任”",
            "客户情绪激动时语速加快、语气不耐烦",
        ],
        4 => &["到店接待未佩戴工牌", "接待时坐姿随意，缺少眼神交流"],
        5 => &[
            "承诺“明天一定到货”，超出物流时效",
            "退换货政策解释与公司口径不一致",
        ],
        6 => &["询问客户与业务无关的家庭住址", "在通话中复述客户完整手机号"],
        7 => &["在线咨询首次响应用时 6 分钟", "投诉来电 15 分钟后才回复"],
        8 => &["未当场解决且未告知处理时限", "同一问题客户二次来电"],
        9 => &["工单未记录处理过程即关闭", "未按流程派单给售后"],
        10 => &[
            "将产品使用问题误判为质量问题",
            "未识别客户的投诉诉求，按咨询处理",
        ],
        11 => &[
            "仅回复“请看说明书”，未给出具体操作步骤",
            "方案笼统，客户需再次来电",
        ],
        12 => &[
            "超出权限问题未上报主管，让客户自行联系",
            "上报后未告知客户答复时间",
        ],
        13 => &["服务结束未邀请客户评价", "引导客户给出好评"],
        _ => &["投诉解决后超过 48 小时才回访", "回访未记录客户反馈"],
    }
}

const HIGHLIGHTS: &[&str] = &[
    "主动提醒客户会员权益，客户当场续费",
    "耐心安抚情绪激动的投诉客户，最终客户致谢",
    "一次性讲清退换货流程并发送图文指引",
    "主动回访确认维修效果，客户满意",
];

fn failed(error: AppError) -> sqlx::Error {
    sqlx::Error::Protocol(format!("demo QA: {error}"))
}

/// Draws, inspects and partly rectifies the demo plan (after the records and evaluations).
pub(super) async fn insert(conn: &mut Conn, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let today = org_day(now);
    let (from, to) = (today - Duration::days(60), today - Duration::days(31));
    let plan = NewPlan {
        name: format!("{} 月例行巡检", to.format("%-m")),
        goal: "日常质量监控：覆盖各服务类型，识别服务短板".to_owned(),
        from,
        to,
        template_id: 1,
        service_types: Vec::new(),
        channels: Vec::new(),
        customer_types: Vec::new(),
        strata: vec![StratumKey::ServiceType],
        inspector_ids: vec![INSPECTOR],
        seed: Some(20_261_001),
    };
    let created = org_day_start(to + Duration::days(1)) + Duration::hours(9);
    let drawn = insert_plan(conn, &plan, INSPECTOR, created)
        .await
        .map_err(failed)?;
    let template = load_template(conn, 1)
        .await?
        .ok_or_else(|| sqlx::Error::Protocol("demo QA: the seeded checklist".to_owned()))?;
    // Each agent's mean customer score: their quality as the customers see it.
    // (sample, agent, channel, mean customer score, transcript)
    type Drawn = (i64, i64, String, Option<f64>, Option<String>);
    let samples: Vec<Drawn> = sql::query_as(
        "SELECT s.id, r.agent_id, r.channel,
                (SELECT AVG(e.total_score) FROM evaluations e WHERE e.agent_id = r.agent_id),
                r.transcript
         FROM qa_samples s JOIN service_records r ON r.id = s.service_record_id
         WHERE s.plan_id = ? ORDER BY s.id",
    )
    .bind(drawn.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut rng = ChaCha8Rng::seed_from_u64(20_261_001);
    // Quotes draw from a stream of their own: the findings stay as they were without them.
    let mut quotes = ChaCha8Rng::seed_from_u64(20_261_207);
    for (n, (sample_id, agent_id, channel, quality, transcript)) in samples.into_iter().enumerate()
    {
        // The agent's turns of the conversation, which a finding may quote.
        let mut unquoted: Vec<&str> = transcript
            .as_deref()
            .map(|t| t.lines().filter(|l| l.starts_with("客服")).collect())
            .unwrap_or_default();
        let quality = quality.unwrap_or(4.0);
        let wanting_chance = (0.03 + (4.6 - quality) * 0.18).clamp(0.02, 0.4);
        let submitted =
            created + Duration::hours(n as i64 / 12 * 24) + Duration::minutes(n as i64 % 12 * 25);
        let deadline = org_day(submitted) + Duration::days(5);
        let mut answers = Vec::new();
        let mut rectifications = Vec::new();
        let mut scores = Vec::new();
        for d in &template.dimensions {
            let mut wanting = 0;
            for item in &d.items {
                let result = if item.id == 4 && channel == "online" {
                    ItemResult::NotApplicable
                } else if rng.random_bool(wanting_chance) {
                    if rng.random_bool(0.5) {
                        ItemResult::Partly
                    } else {
                        ItemResult::NonCompliant
                    }
                } else {
                    ItemResult::Compliant
                };
                let problem = result.wanting().then(|| {
                    wanting += 1;
                    rectifications.push(RectificationAssignment {
                        item_id: item.id,
                        owner_id: agent_id,
                        deadline,
                    });
                    (*problems(item.id).choose(&mut rng).unwrap_or(&"")).to_owned()
                });
                // Most findings on a conversation rest on a line of it, each on another line.
                let quote = (problem.is_some() && !unquoted.is_empty() && quotes.random_bool(0.7))
                    .then(|| {
                        let line = quotes.random_range(0..unquoted.len());
                        unquoted.swap_remove(line).to_owned()
                    });
                answers.push(ItemAnswer {
                    item_id: item.id,
                    result,
                    problem,
                    quote,
                });
            }
            let base = quality.round() as i64 + rng.random_range(0..=1);
            scores.push(DimensionScore {
                dimension_id: d.id,
                score: (base - wanting).clamp(1, 5) as u8,
            });
        }
        let highlights = rng
            .random_bool(0.08)
            .then(|| (*HIGHLIGHTS.choose(&mut rng).unwrap_or(&"")).to_owned());
        let body = NewInspection {
            answers,
            scores,
            highlights,
            rectifications,
        };
        write_inspection(conn, sample_id, INSPECTOR, None, &body, submitted)
            .await
            .map_err(failed)?;
        // Where the rectifications stand: most closed after a re-check, some reported, a few
        // left open past their deadline.
        let ids: Vec<i64> = sql::query_scalar(
            "SELECT x.id FROM qa_rectifications x JOIN qa_inspections i ON i.id = x.inspection_id
             WHERE i.sample_id = ?",
        )
        .bind(sample_id)
        .fetch_all(&mut *conn)
        .await?;
        for id in ids {
            let roll: f64 = rng.random();
            let reported = submitted + Duration::days(2);
            let checked = submitted + Duration::days(3);
            let (status, result, note) = match roll {
                r if r < 0.8 => ("closed", "rectified", "已完成专项培训并通过模拟演练"),
                r if r < 0.9 => ("reported", "ongoing", "已培训，仍需持续练习"),
                _ => ("open", "", ""),
            };
            if status == "open" {
                continue;
            }
            sql::query(
                "UPDATE qa_rectifications SET status = ?, result = ?, owner_note = ?,
                        reported_at = ?, check_note = ?, checked_by = ?, checked_at = ?
                 WHERE id = ?",
            )
            .bind(status)
            .bind(result)
            .bind(note)
            .bind(to_db(reported))
            .bind((status == "closed").then_some("复查通过"))
            .bind((status == "closed").then_some(INSPECTOR))
            .bind((status == "closed").then(|| to_db(checked)))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}
