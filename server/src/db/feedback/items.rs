//! The agent's evaluations as listed to them: the customer masked, with the scores.

use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, Utc};
use pingjia_domain::analytics::DimensionName;
use pingjia_domain::feedback::{Assessment, FeedbackItem, FeedbackQuery};
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Channel, CustomerType};

use crate::db::analytics::{SCORES_CONCAT, named_scores, overall_columns};
use crate::db::push_page;
use crate::time::{from_db, to_db};

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
    conn: &mut Conn,
    number: &str,
) -> Result<Option<ItemRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{ITEM_SELECT}{SCORES_CONCAT}{ITEM_FROM} e.number = ?"
    ))
    .bind(number)
    .fetch_optional(conn)
    .await
}

/// How many of an agent's evaluations (not deleted) `query` selects, and its page of them,
/// newest first (score bands as `settings` draws them).
pub(crate) async fn agent_items(
    conn: &mut Conn,
    agent_id: i64,
    query: &FeedbackQuery,
    settings: &Settings,
    page: u32,
    per_page: u32,
) -> Result<(i64, Vec<ItemRow>), sqlx::Error> {
    let push_where = |q: &mut QueryBuilder<'_>| {
        q.push(" e.agent_id = ")
            .push_bind(agent_id)
            .push(" AND e.status <> 'deleted'");
        if let Some(from) = query.from {
            q.push(" AND e.submitted_day >= ")
                .push_bind(from.to_string());
        }
        if let Some(to) = query.to {
            q.push(" AND e.submitted_day <= ").push_bind(to.to_string());
        }
        if let Some(code) = query.service_type.as_deref().filter(|c| !c.is_empty()) {
            q.push(" AND e.service_type = ").push_bind(code.to_owned());
        }
        if let Some(band) = query.band {
            let (low, high) = band.overall_range(settings);
            q.push(" AND e.overall BETWEEN ")
                .push_bind(i64::from(low))
                .push(" AND ")
                .push_bind(i64::from(high));
        }
        if query.with_suggestion == Some(true) {
            q.push(" AND e.suggestion IS NOT NULL");
        }
        if query.unread == Some(true) {
            q.push(" AND e.agent_read_at IS NULL");
        }
    };
    // The total from the agent's kept sums (`db::sums`), or their kept unread count when only
    // the unread ones are asked for: an agent's years of evaluations are not counted one by
    // one for a page.
    let only_unread = query.from.is_none()
        && query.to.is_none()
        && query.service_type.as_deref().is_none_or(str::is_empty)
        && query.band.is_none()
        && query.with_suggestion != Some(true);
    let total: i64 = if query.unread == Some(true) && only_unread {
        i64::try_from(super::unread_count(&mut *conn, agent_id).await?).unwrap_or(i64::MAX)
    } else if query.unread == Some(true) {
        let mut q = QueryBuilder::new("SELECT COUNT(*) FROM evaluations e WHERE");
        push_where(&mut q);
        q.build_query_scalar().fetch_one(&mut *conn).await?
    } else {
        let (low, high) = query
            .band
            .map_or((1, 10), |band| band.overall_range(settings));
        let prefix = if query.with_suggestion == Some(true) {
            "s"
        } else {
            "o"
        };
        // Per agent and day unless narrowed by a service type (migrations 0022, 0030).
        let service_type = query.service_type.as_deref().filter(|c| !c.is_empty());
        let table = if service_type.is_some() {
            "agent_evaluation_sums"
        } else {
            "agent_day_sums"
        };
        let mut q = QueryBuilder::new(format!(
            "SELECT COALESCE(SUM({}), 0) FROM {table} k WHERE k.agent_id = ",
            overall_columns(prefix, low, high)
        ));
        q.push_bind(agent_id);
        if let Some(from) = query.from {
            q.push(" AND k.day >= ").push_bind(from.to_string());
        }
        if let Some(to) = query.to {
            q.push(" AND k.day <= ").push_bind(to.to_string());
        }
        if let Some(code) = service_type {
            q.push(" AND k.service_type = ").push_bind(code.to_owned());
        }
        q.build_query_scalar().fetch_one(&mut *conn).await?
    };
    let mut q = QueryBuilder::new(format!("{ITEM_SELECT}{SCORES_CONCAT}{ITEM_FROM}"));
    push_where(&mut q);
    q.push(" ORDER BY e.submitted_at DESC, e.id DESC");
    push_page(&mut q, page, per_page);
    let rows: Vec<ItemRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok((total, rows))
}

/// Marks the evaluation numbered `number` read by its agent at `now` (once).
pub(crate) async fn mark_number_read(
    conn: &mut Conn,
    number: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE evaluations SET agent_read_at = ? WHERE number = ? AND agent_read_at IS NULL",
    )
    .bind(to_db(now))
    .bind(number)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks every evaluation of an agent read at `now`.
pub(crate) async fn mark_agent_read(
    conn: &mut Conn,
    agent_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE evaluations SET agent_read_at = ? WHERE agent_id = ? AND agent_read_at IS NULL",
    )
    .bind(to_db(now))
    .bind(agent_id)
    .execute(conn)
    .await?;
    Ok(())
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
