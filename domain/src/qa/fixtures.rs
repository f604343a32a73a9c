//! What the QA tests build on: a template, an inspection of it, and the codes of errors.

use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::problem::FieldError;

pub fn template() -> ChecklistTemplate {
    ChecklistTemplate {
        id: 1,
        name_zh: "检查表".into(),
        name_en: "Checklist".into(),
        description_zh: String::new(),
        description_en: String::new(),
        dimensions: vec![
            TemplateDimension {
                id: 10,
                name_zh: "服务态度".into(),
                name_en: "Attitude".into(),
                levels: vec![],
                items: vec![
                    TemplateItem {
                        id: 100,
                        name_zh: "主动问候客户".into(),
                        name_en: "Greets".into(),
                        standard_zh: "规范话术".into(),
                        standard_en: "Standard".into(),
                    },
                    TemplateItem {
                        id: 101,
                        name_zh: "耐心倾听".into(),
                        name_en: "Listens".into(),
                        standard_zh: "不打断".into(),
                        standard_en: "No interrupting".into(),
                    },
                ],
            },
            TemplateDimension {
                id: 11,
                name_zh: "响应及时性".into(),
                name_en: "Timeliness".into(),
                levels: vec![],
                items: vec![],
            },
        ],
        in_use: false,
        updated_at: DateTime::<Utc>::from_timestamp(0, 0).unwrap(),
    }
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn inspection(results: [ItemResult; 2]) -> NewInspection {
    NewInspection {
        answers: vec![
            ItemAnswer {
                item_id: 100,
                result: results[0],
                problem: None,
                quote: None,
            },
            ItemAnswer {
                item_id: 101,
                result: results[1],
                problem: None,
                quote: None,
            },
        ],
        scores: vec![
            DimensionScore {
                dimension_id: 10,
                score: 4,
            },
            DimensionScore {
                dimension_id: 11,
                score: 3,
            },
        ],
        highlights: None,
        rectifications: vec![],
    }
}

pub fn codes(result: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
    result
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

/// A rectification `id` of `status` owned by user `owner`, due on `deadline`.
pub fn rectification(
    id: i64,
    status: RectificationStatus,
    owner: i64,
    deadline: NaiveDate,
    overdue: bool,
) -> Rectification {
    let person = |id: i64| Person {
        id,
        no: format!("E{id}"),
        name: format!("Person {id}"),
    };
    Rectification {
        id,
        plan_id: 1,
        plan_name: "Plan".into(),
        sample_id: id,
        record_id: id,
        external_id: format!("R{id}"),
        agent: person(owner),
        item_id: 100,
        item_name_zh: "耐心倾听".into(),
        item_name_en: "Listens".into(),
        dimension_name_zh: "服务态度".into(),
        dimension_name_en: "Attitude".into(),
        result_found: ItemResult::NonCompliant,
        problem: "打断客户".into(),
        quote: None,
        owner: person(owner),
        deadline,
        status,
        overdue,
        result: None,
        owner_note: None,
        reported_at: None,
        check_note: None,
        checked_by: None,
        checked_at: None,
        inspector: person(1),
    }
}
