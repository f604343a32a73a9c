//! The names of the domain's enumerations in the interface language: the domain's labels of
//! its closed lists (one definition, shared with the server's CSV files and mails).

use pingjia_domain::Lang;
use pingjia_domain::wire::{Channel, CustomerType, Role};

use crate::i18n::Locale;

/// The domain's label language for the interface language.
pub fn lang(locale: Locale) -> Lang {
    match locale {
        Locale::en => Lang::En,
        _ => Lang::Zh,
    }
}

/// A role's name, e.g. 客服主管 / Team lead.
pub fn role_name(locale: Locale, role: Role) -> &'static str {
    role.label(lang(locale))
}

/// A customer type's name, e.g. 会员 / Member.
pub fn customer_type_name(locale: Locale, kind: CustomerType) -> &'static str {
    kind.label(lang(locale))
}

/// A channel's name, e.g. 线上 / Online.
pub fn channel_name(locale: Locale, channel: Channel) -> &'static str {
    channel.label(lang(locale))
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
    rule.label(lang(locale))
}

/// An event's name, e.g. 新回访任务 / Callback opened (a notification's kind).
pub fn event_name(locale: Locale, event: pingjia_domain::events::EventType) -> &'static str {
    event.label(lang(locale))
}

/// A team's name in the interface language: its English name on English pages when it has one,
/// else its Chinese name.
pub fn team_name(locale: Locale, zh: &str, en: Option<&str>) -> String {
    pingjia_domain::users::team_name_in(lang(locale), zh, en).to_owned()
}

/// A team's name in the interface language (see [`team_name`]).
pub fn team_label(locale: Locale, team: &pingjia_domain::users::Team) -> String {
    team.name_in(lang(locale)).to_owned()
}

/// A stored delivery error in the interface language: the sender writes them in both
/// (`短信网关无法连接 / the SMS gateway could not be reached: …`), a reader sees one.
pub fn stored_error(locale: Locale, text: &str) -> String {
    pingjia_domain::delivery::error_in(text, lang(locale))
}
