//! The preset dimension library and service types from the specification (seed 000, 004).
//! The server seeds them into a new database; admins add their own later.

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
