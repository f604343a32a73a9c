//! Closed lists: enums whose values have a stable code (stored in the database, sent on the
//! wire, written in CSV files) and, for those people read, one name in Chinese and one in
//! English. `closed_list!` writes each list once: the enum, `ALL`, `as_str`, `parse` and,
//! when the values have names, `label`.

/// The language of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Simplified Chinese (zh-CN), the default.
    #[default]
    Zh,
    /// English.
    En,
}

/// An enum with a code per value, and optionally a Chinese and an English name per value:
///
/// ```ignore
/// closed_list! {
///     /// 服务渠道.
///     #[derive(PartialOrd, Ord)]
///     pub enum Channel {
///         /// 线上
///         Online = "online" ("线上", "Online"),
///         Offline = "offline" ("线下", "Offline"),
///     }
/// }
/// ```
///
/// gives the enum with its attributes and what every closed list derives (`Debug`, `Clone`,
/// `Copy`, `PartialEq`, `Eq`, `Hash`, serde as `snake_case` strings, and the OpenAPI schema
/// with the `openapi` feature), `Channel::ALL` (every value in order), `as_str` (the code),
/// `parse` (a code back to its value) and `label(Lang)` (the name). Without the names in
/// parentheses there is no `label`. The serde names must be the codes; the tests check it.
macro_rules! closed_list {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ($zh:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        closed_list! {
            $(#[$meta])*
            $vis enum $name { $( $(#[$vmeta])* $variant = $code ),+ }
        }

        impl $name {
            /// The name people read in `lang`: the one the app, the CSV files and the reports
            /// show.
            pub fn label(self, lang: $crate::closed_list::Lang) -> &'static str {
                match (self, lang) {
                    $(
                        ($name::$variant, $crate::closed_list::Lang::Zh) => $zh,
                        ($name::$variant, $crate::closed_list::Lang::En) => $en,
                    )+
                }
            }
        }

        impl $crate::closed_list::Labelled for $name {
            fn all() -> &'static [Self] {
                &$name::ALL
            }

            fn code(self) -> &'static str {
                self.as_str()
            }

            fn name(self, lang: $crate::closed_list::Lang) -> &'static str {
                self.label(lang)
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The stable code stored in the database and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// The value of a code; `None` for any other text.
            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.as_str() == code)
            }
        }
    };
}

/// A closed list whose values have names: what generic code (imports, messages) needs.
pub trait Labelled: Copy + 'static {
    /// Every value, in order.
    fn all() -> &'static [Self];
    /// The value's code.
    fn code(self) -> &'static str;
    /// The value's name in `lang`.
    fn name(self, lang: Lang) -> &'static str;
}

/// The value whose code or Chinese name is `text` (trimmed, any case): how import files may
/// write a closed list (`线上` or `online`).
pub(crate) fn parse_code_or_chinese<T: Labelled>(text: &str) -> Option<T> {
    let text = text.trim().to_lowercase();
    T::all()
        .iter()
        .copied()
        .find(|v| v.code() == text || v.name(Lang::Zh) == text)
}

/// The codes and the Chinese names of a list as a message offers them: `high, normal or low
/// (高/中/低)`.
pub(crate) fn choices<T: Labelled>() -> String {
    let codes: Vec<&str> = T::all().iter().map(|v| v.code()).collect();
    let names: Vec<&str> = T::all().iter().map(|v| v.name(Lang::Zh)).collect();
    let codes = match codes.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("{codes} ({})", names.join("/"))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::Lang;
    use crate::analytics::{Granularity, Sentiment};
    use crate::anomalies::AnomalyRule;
    use crate::appeals::AppealStatus;
    use crate::calendar::DayKind;
    use crate::feedback::{CallbackOutcome, PlanStatus, ScoreBand};
    use crate::moderation::{Decision, ModerationStatus, QueueStatus};
    use crate::qa::{
        ItemResult, RectificationResult, RectificationStatus, SampleStatus, StratumKey,
    };
    use crate::records::RowOutcome;
    use crate::reports::{DeliveryStatus, ReportKind, ReportMetric, ReportTable, SmtpSecurity};
    use crate::wire::{Category, Channel, CustomerType, Role, Urgency};

    /// Each value's serde name is its code, `parse` reads the code back, and the codes of a
    /// list differ.
    macro_rules! check_codes {
        ($($list:ty),+ $(,)?) => {$(
            let mut codes = HashSet::new();
            for v in <$list>::ALL {
                let code = v.as_str();
                assert!(codes.insert(code), "{code} twice in {}", stringify!($list));
                assert_eq!(serde_json::to_value(v).unwrap(), code, "{}", stringify!($list));
                assert_eq!(serde_json::from_value::<$list>(code.into()).unwrap(), v);
                assert_eq!(<$list>::parse(code), Some(v));
            }
            assert_eq!(<$list>::parse("nonsense"), None);
        )+};
    }

    /// The codes as above, and each value has a name in both languages, no two values of a
    /// list sharing one.
    macro_rules! check_labelled {
        ($($list:ty),+ $(,)?) => {$(
            check_codes!($list);
            for lang in [Lang::Zh, Lang::En] {
                let mut names = HashSet::new();
                for v in <$list>::ALL {
                    let name = v.label(lang);
                    assert!(!name.trim().is_empty(), "{} {:?}", stringify!($list), v);
                    assert!(names.insert(name), "{name} twice in {}", stringify!($list));
                }
            }
        )+};
    }

    #[test]
    fn codes_are_the_wire_names_and_read_back() {
        check_codes!(Sentiment, ScoreBand, ReportTable);
    }

    #[test]
    fn every_labelled_value_has_a_distinct_name_in_each_language() {
        check_labelled!(
            Role,
            CustomerType,
            Channel,
            Urgency,
            Category,
            Granularity,
            AnomalyRule,
            AppealStatus,
            DayKind,
            PlanStatus,
            CallbackOutcome,
            ModerationStatus,
            QueueStatus,
            Decision,
            ItemResult,
            RectificationResult,
            RectificationStatus,
            StratumKey,
            SampleStatus,
            RowOutcome,
            ReportKind,
            ReportMetric,
            DeliveryStatus,
            SmtpSecurity,
            crate::delivery::DeliveryChannel,
            crate::delivery::Purpose,
            crate::delivery::DeliveryState,
            crate::delivery::GatewayMethod,
            crate::delivery::GatewayContentType,
        );
    }

    #[test]
    fn names_are_the_ones_users_already_see() {
        // The app's locales and the server's reports show these texts today.
        assert_eq!(Channel::Online.label(Lang::Zh), "线上");
        assert_eq!(CustomerType::Returning.label(Lang::Zh), "老客");
        assert_eq!(CustomerType::Member.label(Lang::En), "Member");
        assert_eq!(Urgency::Normal.label(Lang::Zh), "中");
        assert_eq!(Category::Complaint.label(Lang::Zh), "投诉");
        assert_eq!(Role::TeamLead.label(Lang::En), "Team lead");
        assert_eq!(AppealStatus::Rejected.label(Lang::Zh), "已驳回");
        assert_eq!(PlanStatus::Open.label(Lang::En), "To write");
        assert_eq!(CallbackOutcome::Appeased.label(Lang::Zh), "已安抚");
        assert_eq!(
            RectificationStatus::Reported.label(Lang::En),
            "Awaiting re-check"
        );
        assert_eq!(ItemResult::Partly.label(Lang::Zh), "部分符合");
        assert_eq!(DayKind::Workday.label(Lang::Zh), "调休上班");
        assert_eq!(ReportMetric::OnTimeRate.label(Lang::Zh), "响应及时率");
        assert_eq!(DeliveryStatus::Retrying.label(Lang::En), "Retrying");
        assert_eq!(SmtpSecurity::Tls.label(Lang::Zh), "TLS（通常为 465 端口）");
    }

    #[test]
    fn imports_read_codes_and_chinese_names() {
        use crate::records::{parse_category, parse_channel, parse_urgency};
        assert_eq!(parse_channel(" 线下 "), Some(Channel::Offline));
        assert_eq!(parse_channel("ONLINE"), Some(Channel::Online));
        assert_eq!(parse_urgency("中"), Some(Urgency::Normal));
        assert_eq!(parse_category("表扬"), Some(Category::Praise));
        assert_eq!(parse_category("Praise!"), None);
        assert_eq!(super::choices::<Channel>(), "online or offline (线上/线下)");
        assert_eq!(
            super::choices::<Category>(),
            "consultation, complaint, suggestion or praise (咨询/投诉/建议/表扬)"
        );
    }
}
