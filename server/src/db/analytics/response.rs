//! The response rate's queries (issue 19): the invitations sent in a period under the filter
//! bar, counted as the rule of `pingjia_domain::analytics::ResponseFunnel` says (invited = sent
//! in the period; opened = link opened or record rated; rated; opted out), in total and per
//! group. One index range of `invitations (sent_at)` (migration 0016), each invitation's record
//! by its primary key; aggregated in SQL.

use std::collections::BTreeMap;

use crate::db::sql::{Conn, QueryBuilder};
use chrono::NaiveDate;
use pingjia_domain::Lang;
use pingjia_domain::analytics::{
    Granularity, Period, ResponseCounts, ResponseGroup, ResponseRow, rank_response_rows,
};
use pingjia_domain::invitations::InvitationChannel;
use pingjia_domain::wire::Channel;

use super::lookups::count;
use super::scope::{Scope, bounds, push_record_filters};
use crate::time::org_sqlite_modifier;

/// The four counts of the rule, as columns `invited, opened, rated, opted_out`.
const COUNTS: &str = "COUNT(*) AS invited, \
     COALESCE(SUM(CASE WHEN i.opened_at IS NOT NULL OR i.rated_at IS NOT NULL \
                       THEN 1 ELSE 0 END), 0) AS opened, \
     COUNT(i.rated_at) AS rated, COUNT(i.opted_out_at) AS opted_out";

/// Appends the invitations `i` sent in `period` whose record `r` is in the scope (the FROM and
/// WHERE clauses): invitations first, by their `sent_at` range.
fn push_sent_in(q: &mut QueryBuilder<'_>, scope: &Scope, period: Period, joins: &str) {
    let (start, end) = bounds(period);
    q.push(" FROM invitations i CROSS JOIN service_records r ")
        .push(joins)
        .push(" WHERE r.id = i.service_record_id AND i.sent_at >= ")
        .push_bind(start)
        .push(" AND i.sent_at < ")
        .push_bind(end);
    push_record_filters(q, scope);
}

#[derive(sqlx::FromRow)]
struct CountsRow {
    invited: i64,
    opened: i64,
    rated: i64,
    opted_out: i64,
}

impl CountsRow {
    fn counts(&self) -> ResponseCounts {
        ResponseCounts {
            invited: count(self.invited),
            opened: count(self.opened),
            rated: count(self.rated),
            opted_out: count(self.opted_out),
        }
    }
}

/// The counts of the invitations sent in `period` under the scope's filters (not its period:
/// the dashboard asks for the previous period too).
pub(crate) async fn response_counts(
    conn: &mut Conn,
    scope: &Scope,
    period: Period,
) -> Result<ResponseCounts, sqlx::Error> {
    let mut q = QueryBuilder::new(format!("SELECT {COUNTS}"));
    push_sent_in(&mut q, scope, period, "");
    let row: CountsRow = q.build_query_as().fetch_one(conn).await?;
    Ok(row.counts())
}

/// Per agent of the scope over its period: `(agent id, counts)`.
pub(crate) async fn response_counts_by_agent(
    conn: &mut Conn,
    scope: &Scope,
) -> Result<Vec<(i64, ResponseCounts)>, sqlx::Error> {
    let mut q = QueryBuilder::new(format!("SELECT r.agent_id AS key, {COUNTS}"));
    push_sent_in(&mut q, scope, scope.period, "");
    q.push(" GROUP BY r.agent_id");
    let rows: Vec<KeyedRow<i64>> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.key, r.counts.counts()))
        .collect())
}

#[derive(sqlx::FromRow)]
struct KeyedRow<K> {
    key: K,
    #[sqlx(flatten)]
    counts: CountsRow,
}

#[derive(sqlx::FromRow)]
struct NamedRow {
    key: String,
    name_zh: String,
    name_en: String,
    #[sqlx(flatten)]
    counts: CountsRow,
}

/// The funnel of the scope over its period per `group`: groups with invitations, most invited
/// first; or, by day, week or month, every bucket of the period in time order.
pub(crate) async fn response_breakdown(
    conn: &mut Conn,
    scope: &Scope,
    group: ResponseGroup,
) -> Result<Vec<ResponseRow>, sqlx::Error> {
    let granularity = match group {
        ResponseGroup::Day => Some(Granularity::Day),
        ResponseGroup::Week => Some(Granularity::Week),
        ResponseGroup::Month => Some(Granularity::Month),
        _ => None,
    };
    if let Some(granularity) = granularity {
        return buckets(conn, scope, granularity).await;
    }
    // (the key, its names, the joins they need, the grouping)
    let (select, joins, group_by) = match group {
        ResponseGroup::Agent => (
            "COALESCE(u.employee_no, '') AS key, \
             u.display_name || '（' || COALESCE(u.employee_no, '') || '）' AS name_zh, \
             u.display_name || ' (' || COALESCE(u.employee_no, '') || ')' AS name_en",
            "JOIN users u ON u.id = r.agent_id",
            // The user's key: their other columns follow from it on PostgreSQL too.
            "u.id",
        ),
        ResponseGroup::Team => (
            "COALESCE(CAST(t.id AS TEXT), '') AS key, \
             COALESCE(t.name, '无团队') AS name_zh, COALESCE(t.name, 'No team') AS name_en",
            "JOIN users u ON u.id = r.agent_id LEFT JOIN teams t ON t.id = u.team_id",
            "t.id",
        ),
        ResponseGroup::ServiceType => (
            "st.code AS key, st.name_zh AS name_zh, st.name_en AS name_en",
            "JOIN service_types st ON st.code = r.service_type",
            "st.code",
        ),
        // Closed lists: named below from the domain's labels.
        ResponseGroup::Channel => (
            "r.channel AS key, '' AS name_zh, '' AS name_en",
            "",
            "r.channel",
        ),
        _ => (
            "COALESCE(i.channel, '') AS key, '' AS name_zh, '' AS name_en",
            "",
            "i.channel",
        ),
    };
    let mut q = QueryBuilder::new(format!("SELECT {select}, {COUNTS}"));
    push_sent_in(&mut q, scope, scope.period, joins);
    q.push(format_args!(" GROUP BY {group_by}"));
    let rows: Vec<NamedRow> = q.build_query_as().fetch_all(conn).await?;
    let label = |key: &str, lang: Lang| -> Option<&'static str> {
        match group {
            ResponseGroup::Channel => Channel::parse(key).map(|c| c.label(lang)),
            ResponseGroup::InvitationChannel => {
                InvitationChannel::parse(key).map(|c| c.label(lang))
            }
            _ => None,
        }
    };
    let rows = rows
        .into_iter()
        .map(|row| ResponseRow {
            name_zh: label(&row.key, Lang::Zh).map_or(row.name_zh, str::to_owned),
            name_en: label(&row.key, Lang::En).map_or(row.name_en, str::to_owned),
            key: row.key,
            period: None,
            funnel: row.counts.counts().funnel(),
        })
        .collect();
    Ok(rank_response_rows(rows))
}

/// Per bucket of the scope's period: counted per day (the organisation's) in SQL, the days
/// added into their week or month.
async fn buckets(
    conn: &mut Conn,
    scope: &Scope,
    granularity: Granularity,
) -> Result<Vec<ResponseRow>, sqlx::Error> {
    let mut q = QueryBuilder::new("SELECT date(i.sent_at, ");
    q.push_bind(org_sqlite_modifier())
        .push(format_args!(") AS key, {COUNTS}"));
    push_sent_in(&mut q, scope, scope.period, "");
    q.push(" GROUP BY 1");
    let rows: Vec<KeyedRow<String>> = q.build_query_as().fetch_all(conn).await?;
    let days: BTreeMap<NaiveDate, ResponseCounts> = rows
        .into_iter()
        .filter_map(|r| {
            let day = NaiveDate::parse_from_str(&r.key, "%Y-%m-%d").ok()?;
            Some((day, r.counts.counts()))
        })
        .collect();
    Ok(scope
        .period
        .buckets(granularity)
        .into_iter()
        .map(|bucket| {
            let mut sum = ResponseCounts::default();
            for (_, c) in days.range(bucket.from..=bucket.to) {
                sum.invited += c.invited;
                sum.opened += c.opened;
                sum.rated += c.rated;
                sum.opted_out += c.opted_out;
            }
            let name = if bucket.from == bucket.to {
                bucket.from.to_string()
            } else {
                format!("{} – {}", bucket.from, bucket.to)
            };
            ResponseRow {
                key: bucket.from.to_string(),
                name_zh: name.clone(),
                name_en: name,
                period: Some(bucket),
                funnel: sum.funnel(),
            }
        })
        .collect())
}
