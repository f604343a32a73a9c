//! An audit entry's details in words (issue 24: no code reaches a person): the server stores a
//! JSON object of named values (`{"changes": {"name_en": {"old": null, "new": "East"}}}`); a
//! reader sees each name in their language and each value as text, a change as `old → new`.

use serde_json::Value;

use crate::Lang;
use crate::anomalies::{AnomalyRule, Finding};
use crate::wire::Role;

/// The words of every detail the server writes, by its stored name.
const DETAILS: &[(&str, &str, &str)] = &[
    ("active", "启用", "Active"),
    ("address", "地址", "Address"),
    ("after", "改后", "After"),
    ("api_key_id", "API 密钥", "API key"),
    ("appeal", "申诉", "Appeal"),
    ("archived", "已归档", "Archived"),
    ("attempt", "第几次", "Attempt"),
    ("batch", "批量条数", "Batch size"),
    ("before", "改前", "Before"),
    ("by", "方式", "By"),
    ("by_link", "通过评价链接", "Through the rating link"),
    ("changed", "改判的项", "Items changed"),
    ("changes", "修改", "Changes"),
    ("channel", "渠道", "Channel"),
    ("closed", "已关闭", "Closed"),
    ("code", "编码", "Code"),
    ("comment", "意见", "Comment"),
    ("content_type", "内容类型", "Content type"),
    ("converted_from", "原文件编码", "Converted from"),
    ("count", "数量", "Count"),
    ("created", "新建", "Created"),
    ("customer_no", "客户编号", "Customer number"),
    ("customer_type", "客户类型", "Customer type"),
    ("customers_created", "新建客户", "Customers created"),
    ("customers_updated", "更新客户", "Customers updated"),
    ("date", "日期", "Date"),
    ("days", "日期", "Days"),
    ("days_before", "原来的日期", "Days before"),
    ("decision", "处理结果", "Decision"),
    ("delayed_seconds", "延迟（秒）", "Delayed (seconds)"),
    ("details", "详情", "Details"),
    ("dimensions", "评价维度", "Dimensions"),
    ("disabled", "已停用", "Disabled"),
    ("display_name", "姓名", "Name"),
    ("email", "邮箱", "E-mail"),
    ("employee_no", "工号", "Employee number"),
    ("enabled", "启用", "Enabled"),
    ("endpoint", "接收端", "Endpoint"),
    ("error", "错误", "Error"),
    ("evaluation", "评价", "Evaluation"),
    ("evaluation_id", "评价", "Evaluation"),
    ("events", "事件", "Events"),
    ("external_id", "服务单号", "Record number"),
    ("filter", "筛选条件", "Filter"),
    ("findings", "异常情况", "Findings"),
    ("first", "首次", "First"),
    ("has_password", "已设密码", "Has a password"),
    ("headers", "请求头", "Headers"),
    ("host", "服务器", "Host"),
    ("imported", "导入", "Imported"),
    ("items", "检查项", "Items"),
    ("kind", "类型", "Kind"),
    ("lead_user_id", "组长", "Lead"),
    ("link_base", "链接地址", "Link address"),
    ("login", "登录账号", "Login"),
    ("member_no", "会员号", "Member number"),
    ("method", "方法", "Method"),
    ("name", "名称", "Name"),
    ("name_en", "英文名", "English name"),
    ("name_zh", "中文名", "Chinese name"),
    ("new", "新值", "New"),
    ("new_status", "新状态", "New status"),
    ("note", "备注", "Note"),
    ("ok", "成功", "Succeeded"),
    ("old", "原值", "Old"),
    ("old_status", "原状态", "Old status"),
    ("outcome", "结果", "Outcome"),
    ("overall", "总体满意度", "Overall"),
    ("phone", "手机号", "Phone"),
    ("plan", "检测计划", "Inspection plan"),
    ("plan_id", "改进计划", "Improvement plan"),
    ("population", "总体数量", "Population"),
    ("port", "端口", "Port"),
    ("prefix", "密钥前缀", "Key prefix"),
    ("purpose", "用途", "Purpose"),
    ("qa_score", "质检得分", "QA score"),
    ("qa_score_after", "改判后质检得分", "QA score after"),
    ("qa_score_before", "改判前质检得分", "QA score before"),
    ("queued", "已排队", "Queued"),
    ("reason", "原因", "Reason"),
    ("reasonable", "合理", "Reasonable"),
    ("recipients", "收件人", "Recipients"),
    ("record", "服务单号", "Record number"),
    ("record_ids", "服务记录", "Records"),
    ("replaced", "覆盖原结果", "Replaced"),
    ("reply", "服务器回复", "Server reply"),
    ("requested", "请求", "Requested"),
    ("resend", "重新发送", "Send again"),
    ("result", "结果", "Result"),
    ("retry_after", "可重试时间（秒）", "Retry after (seconds)"),
    ("role", "角色", "Role"),
    ("rows", "行数", "Rows"),
    ("rules", "规则", "Rules"),
    ("sample", "样本", "Sample"),
    ("secret_made", "已生成新密钥", "New secret made"),
    ("security", "加密方式", "Security"),
    ("seed", "抽样种子", "Sampling seed"),
    ("selected", "已选", "Selected"),
    ("service_record_id", "服务记录", "Service record"),
    ("sessions_ended", "结束的会话", "Sessions ended"),
    ("skipped", "跳过", "Skipped"),
    ("target_date", "目标日期", "Target date"),
    ("team", "团队", "Team"),
    ("team_id", "团队", "Team"),
    ("template", "检查模板", "Checklist template"),
    ("templates_changed", "修改的模板", "Templates changed"),
    ("to", "收件人", "To"),
    ("total_score", "综合得分", "Total score"),
    ("unchanged", "未变", "Unchanged"),
    ("updated", "更新", "Updated"),
    ("url", "地址", "Address"),
    ("user", "用户", "User"),
    ("user_ids", "用户", "Users"),
    ("username", "用户名", "Username"),
    ("value", "值", "Value"),
    ("version", "版本", "Version"),
    ("wanting", "待整改项", "Items wanting"),
    ("was", "原状态", "Was"),
];

/// A detail's name in `lang`; one the table does not know reads as its words (`sessions
/// ended`), never with underscores.
pub fn detail_label(key: &str, lang: Lang) -> String {
    DETAILS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| match lang {
            Lang::Zh => (*zh).to_owned(),
            Lang::En => (*en).to_owned(),
        })
        .unwrap_or_else(|| key.replace(['_', '.'], " "))
}

/// The words of a coded value of detail `key` (a role, an anomaly rule), if it is one.
fn coded(key: &str, code: &str, lang: Lang) -> Option<&'static str> {
    match key {
        "role" => Role::parse(code).map(|r| r.label(lang)),
        "rules" => AnomalyRule::parse(code).map(|r| r.label(lang)),
        _ => None,
    }
}

/// The value of detail `key` as text: a string as it is (a code in words), yes/no, "—" for
/// none, a list joined.
fn value_text(key: &str, value: &Value, lang: Lang) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => if lang == Lang::Zh { "是" } else { "yes" }.to_owned(),
        Value::Bool(false) => if lang == Lang::Zh { "否" } else { "no" }.to_owned(),
        Value::String(s) => coded(key, s, lang).map_or_else(|| s.clone(), str::to_owned),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|v| value_text(key, v, lang))
            .collect::<Vec<_>>()
            .join(", "),
        // An anomaly rule's finding (its numbers, tagged by rule), in the reader's words.
        Value::Object(_) if key == "findings" => {
            match serde_json::from_value::<Finding>(value.clone()) {
                Ok(finding) if lang == Lang::Zh => finding.detail_zh(),
                Ok(finding) => finding.detail_en(),
                Err(_) => value.to_string(),
            }
        }
        Value::Object(map) => match (map.get("old"), map.get("new")) {
            (Some(old), Some(new)) if map.len() == 2 => format!(
                "{} → {}",
                value_text(key, old, lang),
                value_text(key, new, lang)
            ),
            _ => map
                .iter()
                .map(|(k, v)| format!("{}: {}", detail_label(k, lang), value_text(k, v, lang)))
                .collect::<Vec<_>>()
                .join("; "),
        },
    }
}

/// An entry's details as lines of a name and a value, in `lang`: a change list (`changes`,
/// `before`/`after` objects) opens into a line per field, named `Changes · English name`.
pub fn detail_lines(details: &Value, lang: Lang) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    match details {
        Value::Object(map) => {
            for (key, value) in map {
                let label = detail_label(key, lang);
                match value {
                    Value::Object(fields)
                        if !(fields.len() == 2
                            && fields.contains_key("old")
                            && fields.contains_key("new")) =>
                    {
                        for (field, value) in fields {
                            lines.push((
                                format!("{label} · {}", detail_label(field, lang)),
                                value_text(field, value, lang),
                            ));
                        }
                    }
                    _ => lines.push((label, value_text(key, value, lang))),
                }
            }
        }
        Value::Null => {}
        other => lines.push((
            detail_label("value", lang),
            value_text("value", other, lang),
        )),
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn details_read_in_words_with_changes_as_old_to_new() {
        let details = json!({
            "changes": { "name_en": { "old": null, "new": "East China 1" }, "disabled": { "old": false, "new": true } },
            "sessions_ended": 2,
            "recipients": ["a@example.com", "b@example.com"],
        });
        assert_eq!(
            detail_lines(&details, Lang::En),
            [
                ("Changes · Disabled".to_owned(), "no → yes".to_owned()),
                (
                    "Changes · English name".to_owned(),
                    "— → East China 1".to_owned()
                ),
                (
                    "Recipients".to_owned(),
                    "a@example.com, b@example.com".to_owned()
                ),
                ("Sessions ended".to_owned(), "2".to_owned()),
            ]
        );
        assert_eq!(
            detail_lines(
                &json!({ "changes": { "disabled": { "old": false, "new": true } } }),
                Lang::Zh
            ),
            [("修改 · 已停用".to_owned(), "否 → 是".to_owned())]
        );
        assert_eq!(
            detail_lines(&json!(3), Lang::En),
            [("Value".to_owned(), "3".to_owned())]
        );
        let coded = json!({ "changes": { "role": { "old": "agent", "new": "team_lead" } }, "rules": ["brushing_burst"] });
        let lines = detail_lines(&coded, Lang::En);
        assert_eq!(lines[0].1, "Agent → Team lead");
        assert!(!lines[1].1.contains('_'), "{lines:?}");
        assert!(detail_lines(&Value::Null, Lang::En).is_empty());
    }

    #[test]
    fn an_anomaly_finding_reads_in_the_readers_language() {
        let finding = Finding::BrushingBurst {
            evaluations: 3,
            agent_no: "E1001".to_owned(),
            window_minutes: 60,
        };
        let details = json!({ "rules": ["brushing_burst"], "findings": [finding] });
        assert_eq!(
            detail_lines(&details, Lang::Zh),
            [
                (
                    "异常情况".to_owned(),
                    "该客户 60 分钟内对 E1001 提交了 3 条评价".to_owned()
                ),
                ("规则".to_owned(), "疑似刷单：短时间内集中评价".to_owned()),
            ]
        );
        assert_eq!(
            detail_lines(&details, Lang::En)[0].1,
            "3 evaluations of E1001 by this customer within 60 minutes"
        );
    }

    #[test]
    fn every_name_is_listed_once_with_words_and_no_code_reads_as_one() {
        let mut keys: Vec<&str> = DETAILS.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let sorted: Vec<&str> = DETAILS.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(keys, sorted, "alphabetical");
        keys.dedup();
        assert_eq!(keys.len(), DETAILS.len(), "once");
        assert!(
            DETAILS
                .iter()
                .all(|(_, zh, en)| !zh.is_empty() && !en.is_empty())
        );
        assert_eq!(detail_label("not_listed_yet", Lang::En), "not listed yet");
    }
}
