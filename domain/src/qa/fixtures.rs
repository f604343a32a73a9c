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
            },
            ItemAnswer {
                item_id: 101,
                result: results[1],
                problem: None,
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
