//! The agent's evaluations as listed to them: the customer masked, with the scores.

use pingjia_domain::analytics::DimensionName;
use pingjia_domain::feedback::{Assessment, FeedbackItem};
use pingjia_domain::wire::{Channel, CustomerType};
use sqlx::SqliteConnection;

use crate::db::analytics::{SCORES_CONCAT, named_scores};
use crate::time::from_db;

// ---------------------------------------------------------------------------------------------
// The agent's evaluations

/// A customer number with its middle hidden: `C000123` → `C0***23`.
pub fn mask_customer_no(no: &str) -> String {
    let chars: Vec<char> = no.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 4))
}

pub(crate) const ITEM_SELECT: &str = "SELECT e.id, e.number, e.submitted_at, c.customer_no, e.customer_type, \
     e.service_type, st.name_zh AS type_name_zh, st.name_en AS type_name_en, e.channel, \
     r.started_at, r.ended_at, r.order_no, e.total_score, e.overall, e.suggestion, \
     e.agent_read_at, a.reasonable, a.reason, a.assessed_at, p.id AS plan_id, e.agent_id, \
     e.status, ";

pub(crate) const ITEM_FROM: &str = " AS scores FROM evaluations e \
     JOIN users c ON c.id = e.customer_id \
     JOIN service_types st ON st.code = e.service_type \
     JOIN service_records r ON r.id = e.service_record_id \
     LEFT JOIN suggestion_assessments a ON a.evaluation_id = e.id \
     LEFT JOIN improvement_plans p ON p.evaluation_id = e.id \
     WHERE";

#[derive(sqlx::FromRow)]
pub(crate) struct ItemRow {
    pub(crate) number: String,
    pub(crate) submitted_at: String,
    pub(crate) customer_no: Option<String>,
    pub(crate) customer_type: Option<String>,
    pub(crate) service_type: String,
    pub(crate) type_name_zh: String,
    pub(crate) type_name_en: String,
    pub(crate) channel: Option<String>,
    pub(crate) started_at: String,
    pub(crate) ended_at: String,
    pub(crate) order_no: Option<String>,
    pub(crate) total_score: f64,
    pub(crate) overall: i64,
    pub(crate) suggestion: Option<String>,
    pub(crate) agent_read_at: Option<String>,
    pub(crate) reasonable: Option<bool>,
    pub(crate) reason: Option<String>,
    pub(crate) assessed_at: Option<String>,
    pub(crate) plan_id: Option<i64>,
    pub(crate) agent_id: i64,
    pub(crate) status: String,
    pub(crate) scores: Option<String>,
}

impl ItemRow {
    pub(crate) fn into_item(
        self,
        names: &[(DimensionName, i64)],
    ) -> Result<FeedbackItem, sqlx::Error> {
        let assessment = match (self.reasonable, &self.assessed_at) {
            (Some(reasonable), Some(at)) => Some(Assessment {
                reasonable,
                reason: self.reason.clone(),
                assessed_at: from_db(at)?,
            }),
            _ => None,
        };
        Ok(FeedbackItem {
            scores: named_scores(self.scores.as_deref(), names),
            submitted_at: from_db(&self.submitted_at)?,
            customer: mask_customer_no(self.customer_no.as_deref().unwrap_or_default()),
            customer_type: self.customer_type.as_deref().and_then(CustomerType::parse),
            service_type: self.service_type,
            service_type_name_zh: self.type_name_zh,
            service_type_name_en: self.type_name_en,
            channel: self
                .channel
                .as_deref()
                .and_then(Channel::parse)
                .unwrap_or(Channel::Online),
            service_started_at: from_db(&self.started_at)?,
            service_ended_at: from_db(&self.ended_at)?,
            order_no: self.order_no,
            total_score: self.total_score,
            overall: u8::try_from(self.overall).unwrap_or(0),
            suggestion: self.suggestion,
            read: self.agent_read_at.is_some(),
            assessment,
            plan_id: self.plan_id,
            number: self.number,
        })
    }
}

pub(crate) async fn load_item(
    conn: &mut SqliteConnection,
    number: &str,
) -> Result<Option<ItemRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ITEM_SELECT}{SCORES_CONCAT}{ITEM_FROM} e.number = ?"
    ))
    .bind(number)
    .fetch_optional(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn customer_numbers_are_masked_in_the_middle() {
        assert_eq!(mask_customer_no("C000123"), "C0***23");
        assert_eq!(mask_customer_no("C12"), "***");
    }
}
