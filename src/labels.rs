//! The names of the domain's enumerations in the interface language.

use pingjia_domain::wire::{Channel, CustomerType, Role};

use crate::i18n::{Locale, td_string};

/// A role's name, e.g. 客服主管 / Team lead.
pub fn role_name(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Customer => td_string!(locale, roles.customer),
        Role::Agent => td_string!(locale, roles.agent),
        Role::TeamLead => td_string!(locale, roles.team_lead),
        Role::QaInspector => td_string!(locale, roles.qa_inspector),
        Role::Admin => td_string!(locale, roles.admin),
    }
}

/// A customer type's name, e.g. 会员 / Member.
pub fn customer_type_name(locale: Locale, kind: CustomerType) -> &'static str {
    match kind {
        CustomerType::New => td_string!(locale, customer_types.new),
        CustomerType::Returning => td_string!(locale, customer_types.returning),
        CustomerType::Member => td_string!(locale, customer_types.member),
    }
}

/// A channel's name, e.g. 线上 / Online.
pub fn channel_name(locale: Locale, channel: Channel) -> &'static str {
    match channel {
        Channel::Online => td_string!(locale, rating.channel_online),
        Channel::Offline => td_string!(locale, rating.channel_offline),
    }
}

/// One of two names by the interface language: `zh` in Chinese, `en` in English.
pub fn in_language<'a>(locale: Locale, zh: &'a str, en: &'a str) -> &'a str {
    match locale {
        Locale::en => en,
        _ => zh,
    }
}

#[cfg(feature = "staff")]
/// A rule's name, e.g. 疑似刷单：短时间集中评价 / Suspected brushing: a burst.
pub fn rule_name(locale: Locale, rule: pingjia_domain::anomalies::AnomalyRule) -> &'static str {
    match rule {
        pingjia_domain::anomalies::AnomalyRule::Extreme => {
            td_string!(locale, moderation.rule_extreme)
        }
        pingjia_domain::anomalies::AnomalyRule::Inconsistent => {
            td_string!(locale, moderation.rule_inconsistent)
        }
        pingjia_domain::anomalies::AnomalyRule::BrushingBurst => {
            td_string!(locale, moderation.rule_brushing_burst)
        }
        pingjia_domain::anomalies::AnomalyRule::BrushingDuplicateText => {
            td_string!(locale, moderation.rule_brushing_duplicate_text)
        }
        pingjia_domain::anomalies::AnomalyRule::TooFast => {
            td_string!(locale, moderation.rule_too_fast)
        }
        pingjia_domain::anomalies::AnomalyRule::Abusive => {
            td_string!(locale, moderation.rule_abusive)
        }
    }
}
