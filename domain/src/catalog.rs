//! The preset dimension library and service types from the specification (seed 000, 004),
//! which the server seeds into a new database, and what admins send to add and change
//! dimensions and service types, with the rules checked before any database is asked.

use serde::{Deserialize, Serialize};

use crate::problem::{FieldError, name_length_error};
use crate::wire::TypeDimension;

/// Longest code of a dimension or service type.
pub const MAX_CODE_LEN: usize = 40;
/// Longest name of a dimension or service type.
pub const MAX_CATALOG_NAME_LEN: usize = 50;
/// Longest description of a dimension.
pub const MAX_DESCRIPTION_LEN: usize = 300;
/// Most dimensions of one service type.
pub const MAX_TYPE_DIMENSIONS: usize = 12;

/// A code: 2 to [`MAX_CODE_LEN`] lower-case ASCII letters, digits and `_`, starting with a
/// letter, e.g. `online_chat`.
pub fn check_code(field: &str, code: &str) -> Option<FieldError> {
    let ok = (2..=MAX_CODE_LEN).contains(&code.len())
        && code.as_bytes()[0].is_ascii_lowercase()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    (!ok).then(|| {
        FieldError::new(
            field,
            "invalid",
            format!(
                "use 2 to {MAX_CODE_LEN} lower-case letters, digits and _, starting with a letter"
            ),
        )
    })
}

/// A required text of at most `max` characters, trimmed.
fn check_text(errors: &mut Vec<FieldError>, field: &str, text: &str, max: usize) {
    errors.extend(name_length_error(
        field,
        text.trim(),
        "this field is required",
        max,
    ));
}

/// `POST /dimensions`: a new dimension of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDimension {
    /// Stable code, e.g. `empathy`; cannot change later.
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name_zh: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name_en: String,
    /// Shown to the customer under the dimension's name.
    pub description_zh: String,
    pub description_en: String,
}

/// The code and the two names every catalog entry has; field names `code`, `name_zh`, `name_en`.
fn check_code_and_names(code: &str, name_zh: &str, name_en: &str) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = check_code("code", code.trim()).into_iter().collect();
    check_text(&mut errors, "name_zh", name_zh, MAX_CATALOG_NAME_LEN);
    check_text(&mut errors, "name_en", name_en, MAX_CATALOG_NAME_LEN);
    errors
}

impl NewDimension {
    /// Code, names and descriptions; field names are this type's.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = check_code_and_names(&self.code, &self.name_zh, &self.name_en);
        check_text(
            &mut errors,
            "description_zh",
            &self.description_zh,
            MAX_DESCRIPTION_LEN,
        );
        check_text(
            &mut errors,
            "description_en",
            &self.description_en,
            MAX_DESCRIPTION_LEN,
        );
        errors
    }
}

/// `PATCH /dimensions/{code}`: the fields to change; absent fields stay as they are. An
/// archived dimension stays in the types that use it but cannot be added to another.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl DimensionPatch {
    /// The fields present; field names are this type's.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let texts = [
            ("name_zh", &self.name_zh, MAX_CATALOG_NAME_LEN),
            ("name_en", &self.name_en, MAX_CATALOG_NAME_LEN),
            ("description_zh", &self.description_zh, MAX_DESCRIPTION_LEN),
            ("description_en", &self.description_en, MAX_DESCRIPTION_LEN),
        ];
        for (field, value, max) in texts {
            if let Some(value) = value {
                check_text(&mut errors, field, value, max);
            }
        }
        errors
    }
}

/// A service type's ordered dimension set: 1 to [`MAX_TYPE_DIMENSIONS`] dimensions, none
/// twice, at least one required. Whether the codes exist is the server's to check.
pub fn check_type_dimensions(dimensions: &[TypeDimension]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if dimensions.is_empty() {
        errors.push(FieldError::new(
            "dimensions",
            "required",
            "choose at least one dimension",
        ));
    } else if dimensions.len() > MAX_TYPE_DIMENSIONS {
        errors.push(FieldError::new(
            "dimensions",
            "too_many",
            format!("use at most {MAX_TYPE_DIMENSIONS} dimensions"),
        ));
    } else if dimensions.iter().all(|d| d.optional) {
        errors.push(FieldError::new(
            "dimensions",
            "all_optional",
            "at least one dimension must be required",
        ));
    }
    for (index, d) in dimensions.iter().enumerate() {
        if dimensions[..index].iter().any(|e| e.code == d.code) {
            errors.push(FieldError::new(
                format!("dimensions[{index}]"),
                "duplicate",
                format!("{} is listed twice", d.code),
            ));
        }
    }
    errors
}

/// `POST /service-types`: a new service type, last in the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewServiceType {
    /// Stable code, e.g. `video_call`; cannot change later.
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name_zh: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name_en: String,
    /// In the order the rating form asks them.
    pub dimensions: Vec<TypeDimension>,
}

impl NewServiceType {
    /// Code, names and the dimension set's shape; field names are this type's.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = check_code_and_names(&self.code, &self.name_zh, &self.name_en);
        errors.extend(check_type_dimensions(&self.dimensions));
        errors
    }
}

/// `PATCH /service-types/{code}`: the fields to change; absent fields stay as they are. A new
/// dimension set applies to evaluations submitted from then on: submitted evaluations keep
/// the dimensions they were given. An archived type takes no new service records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceTypePatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Vec<TypeDimension>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl ServiceTypePatch {
    /// The fields present; field names are this type's.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(name) = &self.name_zh {
            check_text(&mut errors, "name_zh", name, MAX_CATALOG_NAME_LEN);
        }
        if let Some(name) = &self.name_en {
            check_text(&mut errors, "name_en", name, MAX_CATALOG_NAME_LEN);
        }
        if let Some(dimensions) = &self.dimensions {
            errors.extend(check_type_dimensions(dimensions));
        }
        errors
    }
}

/// `PUT /service-types/order`: every service type's code, in the new order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceTypeOrder {
    pub codes: Vec<String>,
}

/// A preset dimension: code, Chinese and English name, Chinese and English description.
pub struct PresetDimension {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub description_zh: &'static str,
    pub description_en: &'static str,
}

/// A preset service type with its ordered dimensions (`code`, optional).
pub struct PresetServiceType {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub dimensions: &'static [(&'static str, bool)],
}

pub const DIMENSIONS: &[PresetDimension] = &[
    PresetDimension {
        code: "attitude",
        name_zh: "服务态度",
        name_en: "Attitude",
        description_zh: "服务人员是否热情、耐心,有无礼貌用语",
        description_en: "Was the staff member warm and patient, and did they speak politely?",
    },
    PresetDimension {
        code: "professionalism",
        name_zh: "专业能力",
        name_en: "Professionalism",
        description_zh: "对业务知识、产品信息的掌握程度,能否准确解答客户疑问",
        description_en: "How well they knew the business and the products, and whether they answered your questions accurately.",
    },
    PresetDimension {
        code: "responsiveness",
        name_zh: "响应速度",
        name_en: "Responsiveness",
        description_zh: "需求响应的及时性(如电话接通时长、在线客服回复时长)",
        description_en: "How quickly your request was answered (time to pick up the phone, time to reply online).",
    },
    PresetDimension {
        code: "resolution",
        name_zh: "问题解决",
        name_en: "Resolution",
        description_zh: "问题解决的彻底性,有无重复沟通或遗留问题",
        description_en: "Was the problem solved completely, without repeated contacts or loose ends?",
    },
    PresetDimension {
        code: "compliance",
        name_zh: "服务规范性",
        name_en: "Compliance",
        description_zh: "是否遵守企业服务流程(如隐私保护、操作规范)",
        description_en: "Did they follow the service procedures (privacy protection, correct handling)?",
    },
    PresetDimension {
        code: "added_value",
        name_zh: "附加价值",
        name_en: "Added value",
        description_zh: "是否主动提供超出预期的服务(如提醒注意事项、推荐合适产品)",
        description_en: "Did they go beyond what you expected (useful reminders, suitable recommendations)?",
    },
    PresetDimension {
        code: "environment",
        name_zh: "服务环境与便捷性",
        name_en: "Environment & convenience",
        description_zh: "服务渠道是否便捷、流程是否简便,服务场所是否整洁舒适或线上平台是否稳定顺畅",
        description_en: "Was the channel easy to use and the process simple; was the venue clean and comfortable, or the online platform stable?",
    },
];

pub const SERVICE_TYPES: &[PresetServiceType] = &[
    PresetServiceType {
        code: "online_chat",
        name_zh: "在线客服咨询",
        name_en: "Online chat support",
        dimensions: &[
            ("attitude", false),
            ("professionalism", false),
            ("responsiveness", false),
            ("resolution", false),
            ("compliance", false),
            ("added_value", true),
        ],
    },
    PresetServiceType {
        code: "phone_follow_up",
        name_zh: "电话回访服务",
        name_en: "Phone follow-up",
        dimensions: &[
            ("attitude", false),
            ("professionalism", false),
            ("responsiveness", false),
            ("resolution", false),
            ("added_value", true),
        ],
    },
    PresetServiceType {
        code: "in_store",
        name_zh: "到店业务办理",
        name_en: "In-store service",
        dimensions: &[
            ("attitude", false),
            ("professionalism", false),
            ("responsiveness", false),
            ("resolution", false),
            ("compliance", false),
            ("environment", false),
            ("added_value", true),
        ],
    },
    PresetServiceType {
        code: "delivery",
        name_zh: "物流配送服务",
        name_en: "Delivery",
        dimensions: &[
            ("attitude", false),
            ("responsiveness", false),
            ("resolution", false),
            ("compliance", false),
            ("added_value", true),
        ],
    },
    PresetServiceType {
        code: "after_sales_repair",
        name_zh: "售后维修服务",
        name_en: "After-sales repair",
        dimensions: &[
            ("attitude", false),
            ("professionalism", false),
            ("responsiveness", false),
            ("resolution", false),
            ("compliance", false),
            ("environment", true),
            ("added_value", true),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(code: &str, optional: bool) -> TypeDimension {
        TypeDimension {
            code: code.to_owned(),
            optional,
        }
    }

    #[test]
    fn codes_are_lower_snake_case() {
        assert!(check_code("code", "video_call2").is_none());
        for bad in ["", "a", "Video", "2d", "video-call", &"x".repeat(41)] {
            assert!(check_code("code", bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn a_dimension_set_needs_a_required_dimension_and_no_repeats() {
        assert!(
            check_type_dimensions(&[dim("attitude", false), dim("added_value", true)]).is_empty()
        );
        let codes = |set: &[TypeDimension]| -> Vec<(String, String)> {
            check_type_dimensions(set)
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect()
        };
        assert_eq!(
            codes(&[]),
            [("dimensions".to_owned(), "required".to_owned())]
        );
        assert_eq!(
            codes(&[dim("added_value", true), dim("added_value", true)]),
            [
                ("dimensions".to_owned(), "all_optional".to_owned()),
                ("dimensions[1]".to_owned(), "duplicate".to_owned()),
            ]
        );
        let new = NewDimension {
            code: "empathy".to_owned(),
            name_zh: "同理心".to_owned(),
            name_en: " ".to_owned(),
            description_zh: "是否理解客户的处境".to_owned(),
            description_en: "x".repeat(301),
        };
        let fields: Vec<String> = new.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name_en", "description_en"]);
    }

    #[test]
    fn every_preset_type_uses_known_dimensions_once() {
        for t in SERVICE_TYPES {
            let mut seen = std::collections::HashSet::new();
            for (code, _) in t.dimensions {
                assert!(
                    DIMENSIONS.iter().any(|d| d.code == *code),
                    "{} uses unknown {code}",
                    t.code
                );
                assert!(seen.insert(code), "{} lists {code} twice", t.code);
            }
            assert!(
                t.dimensions.iter().any(|(_, optional)| !optional),
                "{} has no required dimension",
                t.code
            );
        }
    }
}
