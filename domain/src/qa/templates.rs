//! Checklist templates: dimensions, their items and standards, and their rubric levels.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{MAX_DIMENSIONS, MAX_ITEMS, NAME_MAX_CHARS, TEXT_MAX_CHARS, check_text};
use crate::problem::{FieldError, checked};

/// A rubric level of a dimension: what a score means (seed 003: "1分(超24小时)-5分(≤15分钟)").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RubricLevel {
    /// 1 to 5.
    pub score: u8,
    pub text_zh: String,
    pub text_en: String,
}

/// A checklist item (检查项目) and its standard (检查标准).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateItem {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub standard_zh: String,
    pub standard_en: String,
}

/// A dimension (检查维度) of a template: its items and its rubric levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateDimension {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    /// Level descriptions, by score; may be empty or cover only some scores.
    pub levels: Vec<RubricLevel>,
    /// In order; may be empty for a rubric-only dimension.
    pub items: Vec<TemplateItem>,
}

/// A checklist template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistTemplate {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub dimensions: Vec<TemplateDimension>,
    /// A plan uses it: it can no longer be edited (past inspections refer to its items), only
    /// copied into a new template.
    pub in_use: bool,
    pub updated_at: DateTime<Utc>,
}

impl ChecklistTemplate {
    /// Whether a plan can inspect with it: it has at least one check item (a dimension may
    /// be rubric-only, not every one).
    pub fn usable(&self) -> bool {
        self.dimensions.iter().any(|d| !d.items.is_empty())
    }

    /// Every item, with the dimension it belongs to, in order.
    pub fn items(&self) -> impl Iterator<Item = (&TemplateDimension, &TemplateItem)> {
        self.dimensions
            .iter()
            .flat_map(|d| d.items.iter().map(move |i| (d, i)))
    }
}

/// An item as a user writes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTemplateItem {
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    pub standard_zh: String,
    #[serde(default)]
    pub standard_en: String,
}

/// A dimension as a user writes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTemplateDimension {
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub levels: Vec<RubricLevel>,
    #[serde(default)]
    pub items: Vec<NewTemplateItem>,
}

/// `POST /qa/templates` and `PUT /qa/templates/{id}`: a whole template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTemplate {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name_zh: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name_en: String,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub description_en: String,
    pub dimensions: Vec<NewTemplateDimension>,
}

impl NewTemplate {
    /// Names required in Chinese (English falls back to it), at least one dimension, lengths in
    /// bounds, level scores 1-5 and each at most once. Fields are named
    /// `dimensions.{i}.items.{j}.name_zh` etc.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "name_zh", &self.name_zh, true, NAME_MAX_CHARS);
        check_text(&mut errors, "name_en", &self.name_en, false, NAME_MAX_CHARS);
        check_text(
            &mut errors,
            "description_zh",
            &self.description_zh,
            false,
            TEXT_MAX_CHARS,
        );
        check_text(
            &mut errors,
            "description_en",
            &self.description_en,
            false,
            TEXT_MAX_CHARS,
        );
        if self.dimensions.is_empty() {
            errors.push(FieldError::new(
                "dimensions",
                "required",
                "a template needs at least one dimension",
            ));
        } else if self.dimensions.len() > MAX_DIMENSIONS {
            errors.push(FieldError::new(
                "dimensions",
                "too_many",
                format!("at most {MAX_DIMENSIONS} dimensions"),
            ));
            return Err(errors);
        } else if self.dimensions.iter().all(|d| d.items.is_empty()) {
            errors.push(FieldError::new(
                "dimensions",
                "no_items",
                "a template needs at least one check item",
            ));
        }
        for (i, d) in self.dimensions.iter().enumerate() {
            if d.items.len() > MAX_ITEMS || d.levels.len() > 5 {
                errors.push(FieldError::new(
                    format!("dimensions.{i}.items"),
                    "too_many",
                    format!("at most {MAX_ITEMS} items and 5 levels a dimension"),
                ));
                continue;
            }
            let at = format!("dimensions.{i}");
            check_text(
                &mut errors,
                &format!("{at}.name_zh"),
                &d.name_zh,
                true,
                NAME_MAX_CHARS,
            );
            check_text(
                &mut errors,
                &format!("{at}.name_en"),
                &d.name_en,
                false,
                NAME_MAX_CHARS,
            );
            let mut seen = [false; 6];
            for (k, level) in d.levels.iter().enumerate() {
                let field = format!("{at}.levels.{k}");
                if !(1..=5).contains(&level.score) {
                    errors.push(FieldError::new(
                        format!("{field}.score"),
                        "out_of_range",
                        "a level is a score from 1 to 5",
                    ));
                } else if std::mem::replace(&mut seen[usize::from(level.score)], true) {
                    errors.push(FieldError::new(
                        format!("{field}.score"),
                        "duplicate",
                        "each score has one description",
                    ));
                }
                check_text(
                    &mut errors,
                    &format!("{field}.text_zh"),
                    &level.text_zh,
                    true,
                    TEXT_MAX_CHARS,
                );
                check_text(
                    &mut errors,
                    &format!("{field}.text_en"),
                    &level.text_en,
                    false,
                    TEXT_MAX_CHARS,
                );
            }
            for (j, item) in d.items.iter().enumerate() {
                let field = format!("{at}.items.{j}");
                check_text(
                    &mut errors,
                    &format!("{field}.name_zh"),
                    &item.name_zh,
                    true,
                    NAME_MAX_CHARS,
                );
                check_text(
                    &mut errors,
                    &format!("{field}.name_en"),
                    &item.name_en,
                    false,
                    NAME_MAX_CHARS,
                );
                check_text(
                    &mut errors,
                    &format!("{field}.standard_zh"),
                    &item.standard_zh,
                    true,
                    TEXT_MAX_CHARS,
                );
                check_text(
                    &mut errors,
                    &format!("{field}.standard_en"),
                    &item.standard_en,
                    false,
                    TEXT_MAX_CHARS,
                );
            }
        }
        checked(errors, ())
    }

    /// The template as sent, trimmed, with the English falling back to the Chinese where
    /// it was left empty, and levels in score order.
    pub fn normalized(&self) -> NewTemplate {
        fn or_zh(en: &str, zh: &str) -> String {
            let en = en.trim();
            if en.is_empty() { zh.trim() } else { en }.to_owned()
        }
        NewTemplate {
            name_zh: self.name_zh.trim().to_owned(),
            name_en: or_zh(&self.name_en, &self.name_zh),
            description_zh: self.description_zh.trim().to_owned(),
            description_en: or_zh(&self.description_en, &self.description_zh),
            dimensions: self
                .dimensions
                .iter()
                .map(|d| {
                    let mut levels: Vec<RubricLevel> = d
                        .levels
                        .iter()
                        .map(|l| RubricLevel {
                            score: l.score,
                            text_zh: l.text_zh.trim().to_owned(),
                            text_en: or_zh(&l.text_en, &l.text_zh),
                        })
                        .collect();
                    levels.sort_by_key(|l| l.score);
                    NewTemplateDimension {
                        name_zh: d.name_zh.trim().to_owned(),
                        name_en: or_zh(&d.name_en, &d.name_zh),
                        levels,
                        items: d
                            .items
                            .iter()
                            .map(|i| NewTemplateItem {
                                name_zh: i.name_zh.trim().to_owned(),
                                name_en: or_zh(&i.name_en, &i.name_zh),
                                standard_zh: i.standard_zh.trim().to_owned(),
                                standard_en: or_zh(&i.standard_en, &i.standard_zh),
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::codes;
    use super::*;

    #[test]
    fn a_template_needs_names_and_valid_levels() {
        let t = NewTemplate {
            name_zh: "模板".into(),
            dimensions: vec![NewTemplateDimension {
                name_zh: "响应及时性".into(),
                levels: vec![
                    RubricLevel {
                        score: 1,
                        text_zh: "超24小时".into(),
                        text_en: String::new(),
                    },
                    RubricLevel {
                        score: 1,
                        text_zh: "重复".into(),
                        text_en: String::new(),
                    },
                    RubricLevel {
                        score: 6,
                        text_zh: "x".into(),
                        text_en: String::new(),
                    },
                ],
                items: vec![NewTemplateItem {
                    name_zh: "响应速度".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            codes(t.check()),
            vec![
                ("dimensions.0.levels.1.score".into(), "duplicate".into()),
                ("dimensions.0.levels.2.score".into(), "out_of_range".into()),
                ("dimensions.0.items.0.standard_zh".into(), "required".into()),
            ]
        );
        assert_eq!(
            codes(NewTemplate::default().check()),
            vec![
                ("name_zh".into(), "required".into()),
                ("dimensions".into(), "required".into()),
            ]
        );
        let huge = NewTemplate {
            name_zh: "模板".into(),
            dimensions: vec![NewTemplateDimension::default(); MAX_DIMENSIONS + 1],
            ..Default::default()
        };
        assert_eq!(
            codes(huge.check()),
            vec![("dimensions".into(), "too_many".into())]
        );
        let rubric_only = NewTemplate {
            name_zh: "模板".into(),
            dimensions: vec![NewTemplateDimension {
                name_zh: "维度".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            codes(rubric_only.check()),
            vec![("dimensions".into(), "no_items".into())],
            "nothing to inspect"
        );
        let crowded = NewTemplate {
            name_zh: "模板".into(),
            dimensions: vec![NewTemplateDimension {
                name_zh: "维度".into(),
                items: vec![NewTemplateItem::default(); MAX_ITEMS + 1],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            codes(crowded.check()),
            vec![("dimensions.0.items".into(), "too_many".into())]
        );
        let normal = NewTemplate {
            name_zh: " 模板 ".into(),
            ..Default::default()
        }
        .normalized();
        assert_eq!(
            (normal.name_zh.as_str(), normal.name_en.as_str()),
            ("模板", "模板")
        );
    }
}
