//! Types that cross the wire between the app and any backend implementing the contract.
//!
//! Times are RFC 3339 in UTC; enums are `snake_case` strings.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

closed_list! {
    /// Who a user is, which decides what they may see and do.
    pub enum Role {
        /// 客户: rates the services they received.
        Customer = "customer" ("客户", "Customer"),
        /// 服务人员: reads their own feedback.
        Agent = "agent" ("服务人员", "Agent"),
        /// 客服主管: sees their team, calls back low scores.
        TeamLead = "team_lead" ("客服主管", "Team lead"),
        /// 质检专员: samples and inspects services.
        QaInspector = "qa_inspector" ("质检专员", "QA inspector"),
        /// 管理员: configures, reviews and reads everything.
        Admin = "admin" ("管理员", "Admin"),
    }
}

closed_list! {
    /// 客户类型.
    pub enum CustomerType {
        /// 新客
        New = "new" ("新客", "New"),
        /// 老客
        Returning = "returning" ("老客", "Returning"),
        /// 会员
        Member = "member" ("会员", "Member"),
    }
}

closed_list! {
    /// 服务渠道.
    #[derive(PartialOrd, Ord)]
    pub enum Channel {
        /// 线上
        Online = "online" ("线上", "Online"),
        /// 线下
        Offline = "offline" ("线下", "Offline"),
    }
}

closed_list! {
    /// How urgent a request was; decides its response SLA.
    pub enum Urgency {
        High = "high" ("高", "High"),
        Normal = "normal" ("中", "Normal"),
        Low = "low" ("低", "Low"),
    }
}

closed_list! {
    /// What the customer came for (咨询 / 投诉 / 建议 / 表扬).
    pub enum Category {
        Consultation = "consultation" ("咨询", "Consultation"),
        Complaint = "complaint" ("投诉", "Complaint"),
        Suggestion = "suggestion" ("建议", "Suggestion"),
        Praise = "praise" ("表扬", "Praise"),
    }
}

/// `GET /health`: what is running and whether its database answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when every part answers, `degraded` otherwise.
    pub status: HealthStatus,
    /// The server's version (its crate version).
    pub version: String,
    pub database: DatabaseHealth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    Degraded,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatabaseHealth {
    /// Whether a trivial query succeeded.
    pub ok: bool,
    /// The latest applied schema migration, when known.
    pub schema_version: Option<i64>,
    /// The error seen when the database did not answer.
    pub error: Option<String>,
}

/// A dimension customers score from 1 to 5 (评价维度).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dimension {
    /// Stable code, e.g. `attitude`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Shown to the customer under the dimension's name.
    pub description_zh: String,
    pub description_en: String,
    pub archived: bool,
}

/// One dimension of a service type, in the type's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TypeDimension {
    pub code: String,
    /// An optional dimension may be left unanswered and is then left out of the total.
    pub optional: bool,
}

/// A service type (评价类型) with its ordered dimension set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceType {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub dimensions: Vec<TypeDimension>,
    pub archived: bool,
}

/// `GET /catalog`: the catalogue the rating form is built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub dimensions: Vec<Dimension>,
    pub service_types: Vec<ServiceType>,
}

/// `GET /stats/service-volume`: service records started per day, per channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceVolume {
    /// Every day of the period, oldest first, in the organisation's time zone.
    pub days: Vec<NaiveDate>,
    /// One series per channel, with one count per day of `days`.
    pub series: Vec<ChannelSeries>,
    /// All records in the period.
    pub total: u64,
    /// When the figures were computed.
    pub generated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelSeries {
    pub channel: Channel,
    pub counts: Vec<u64>,
}

/// A key the helpdesk authenticates with (`Authorization: Bearer <key>`), as listed: the
/// secret itself is never shown again after its creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to recognise it, e.g. `pj_3fA9x`.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// A revoked key is refused.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// `POST /api-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApiKey {
    /// What the key is for, e.g. `helpdesk`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name: String,
}

/// The answer to `POST /api-keys`: the key and, this once, its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    pub key: ApiKey,
    /// The whole key to configure in the helpdesk; the server keeps only its SHA-256 and
    /// cannot show it again.
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_wire_strings() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for c in CustomerType::ALL {
            assert_eq!(CustomerType::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.as_str()), Some(u));
            assert_eq!(serde_json::to_value(u).unwrap(), u.as_str());
        }
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        assert_eq!(Role::parse("root"), None);
    }
}
