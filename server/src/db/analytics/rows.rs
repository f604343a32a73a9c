//! The evaluations behind a chart as rows: the select, its per-dimension scores and the
//! mapping onto the wire type.

use crate::db::sql::{Conn, QueryBuilder};
use futures_util::stream::BoxStream;
use pingjia_domain::analytics::{AnalyticsEvaluation, AnalyticsScore, DimensionName};
use pingjia_domain::anomalies::AnomalyRule;
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Channel, CustomerType};

use super::{
    Drill, Kept, Scope, kept_counts, kept_counts_query, overall_columns, push_drill,
    push_evaluation_filters, push_evaluation_scope, push_kept_own,
};
use crate::db::push_page;
use crate::time::from_db;

// ---------------------------------------------------------------------------------------------
// The evaluations behind a chart

const ROW_COLUMNS: &str = "SELECT e.id, e.number, e.submitted_at, a.employee_no AS agent_no, \
     a.display_name AS agent_name, tm.name AS team_name, tm.name_en AS team_name_en, e.service_type, \
     st.name_zh AS type_name_zh, st.name_en AS type_name_en, e.channel, e.customer_type, \
     e.total_score, e.overall, e.suggestion, e.status, \
     (SELECT group_concat(s.position || ':' || s.dimension || ':' || COALESCE(CAST(s.score AS TEXT), ''), ',') \
      FROM evaluation_scores s WHERE s.evaluation_id = e.id) AS scores, \
     (SELECT group_concat(f.rule, ',') FROM evaluation_flags f WHERE f.evaluation_id = e.id) \
      AS flags";

const ROW_JOINS: &str = " JOIN users a ON a.id = e.agent_id \
     LEFT JOIN teams tm ON tm.id = a.team_id \
     JOIN service_types st ON st.code = e.service_type \
     WHERE";

/// The evaluations under `scope` narrowed by `drill` as [`Row`]s, newest first. With a word,
/// driven by the word's index range of the period read backwards (`evaluation_terms_term`: the
/// word, day, submission time and evaluation, migration 0031), so that a page reads about its
/// own rows rather than every evaluation of the word's newest day.
fn rows_query(scope: &Scope, drill: &Drill, settings: &Settings) -> QueryBuilder<'static> {
    let Some(word) = &drill.word else {
        let mut q = QueryBuilder::new(format!("{ROW_COLUMNS} FROM evaluations e{ROW_JOINS}"));
        push_evaluation_scope(&mut q, scope, scope.period);
        push_drill(&mut q, drill, scope.period, settings);
        q.push(" ORDER BY e.submitted_at DESC, e.id DESC");
        return q;
    };
    let mut q = QueryBuilder::new(format!(
        "{ROW_COLUMNS} FROM evaluation_terms t CROSS JOIN evaluations e{ROW_JOINS} \
         e.id = t.evaluation_id AND"
    ));
    // The period is the word's range: the evaluation's day copied beside the word.
    push_term_range(&mut q, word, None, scope);
    push_evaluation_filters(&mut q, scope);
    let rest = Drill {
        word: None,
        ..drill.clone()
    };
    push_drill(&mut q, &rest, scope.period, settings);
    q.push(" ORDER BY t.submitted_day DESC, t.submitted_at DESC, t.evaluation_id DESC");
    q
}

/// The scores of an evaluation as the rows' select concatenates them (`position:code:score,…`):
/// `(dimension code, score)` in the evaluation's order.
pub(crate) fn parse_scores(concat: Option<&str>) -> Vec<(String, Option<u8>)> {
    let mut scores: Vec<(i64, String, Option<u8>)> = concat
        .unwrap_or_default()
        .split(',')
        .filter_map(|part| {
            let mut fields = part.splitn(3, ':');
            let position = fields.next()?.parse().ok()?;
            let code = fields.next()?.to_owned();
            let score = fields.next()?.parse().ok();
            Some((position, code, score))
        })
        .collect();
    scores.sort_by_key(|s| s.0);
    scores
        .into_iter()
        .map(|(_, code, score)| (code, score))
        .collect()
}

/// [`parse_scores`] with the dimensions' names.
pub(crate) fn named_scores(
    concat: Option<&str>,
    names: &[(DimensionName, i64)],
) -> Vec<AnalyticsScore> {
    parse_scores(concat)
        .into_iter()
        .map(|(code, score)| {
            let name = names.iter().find(|(d, _)| d.code == code).map(|(d, _)| d);
            AnalyticsScore {
                name_zh: name.map_or_else(|| code.clone(), |d| d.name_zh.clone()),
                name_en: name.map_or_else(|| code.clone(), |d| d.name_en.clone()),
                dimension: code,
                score,
            }
        })
        .collect()
}

/// The SQL of [`parse_scores`]' input for the evaluation `e`.
pub(crate) const SCORES_CONCAT: &str = "(SELECT group_concat(s.position || ':' || s.dimension \
     || ':' || COALESCE(CAST(s.score AS TEXT), ''), ',') FROM evaluation_scores s WHERE s.evaluation_id = e.id)";

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    pub(crate) id: i64,
    pub(crate) number: String,
    pub(crate) submitted_at: String,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) team_name: Option<String>,
    pub(crate) team_name_en: Option<String>,
    pub(crate) service_type: String,
    pub(crate) type_name_zh: String,
    pub(crate) type_name_en: String,
    pub(crate) channel: Option<String>,
    pub(crate) customer_type: Option<String>,
    pub(crate) total_score: f64,
    pub(crate) overall: i64,
    pub(crate) suggestion: Option<String>,
    pub(crate) status: String,
    pub(crate) scores: Option<String>,
    pub(crate) flags: Option<String>,
}

impl Row {
    /// `(dimension code, score)` in the evaluation's order.
    pub(crate) fn scores(&self) -> Vec<(String, Option<u8>)> {
        parse_scores(self.scores.as_deref())
    }

    pub(crate) fn flags(&self) -> Vec<AnomalyRule> {
        let mut flags: Vec<AnomalyRule> = self
            .flags
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(AnomalyRule::parse)
            .collect();
        flags.sort();
        flags.dedup();
        flags
    }

    pub(crate) fn into_evaluation(
        self,
        names: &[(DimensionName, i64)],
    ) -> Result<AnalyticsEvaluation, sqlx::Error> {
        let scores = named_scores(self.scores.as_deref(), names);
        let flags = self.flags();
        let channel = self
            .channel
            .as_deref()
            .and_then(Channel::parse)
            .ok_or_else(|| sqlx::Error::Decode(format!("channel of {}", self.number).into()))?;
        Ok(AnalyticsEvaluation {
            id: self.id,
            submitted_at: from_db(&self.submitted_at)?,
            agent_no: self.agent_no.unwrap_or_default(),
            agent_name: self.agent_name,
            team_name: self.team_name,
            team_name_en: self.team_name_en,
            service_type: self.service_type,
            service_type_name_zh: self.type_name_zh,
            service_type_name_en: self.type_name_en,
            channel,
            customer_type: self.customer_type.as_deref().and_then(CustomerType::parse),
            total_score: self.total_score,
            overall: u8::try_from(self.overall).unwrap_or(0),
            scores,
            suggestion: self.suggestion,
            flags,
            status: self.status,
            number: self.number,
        })
    }
}

/// The evaluations under `scope` narrowed by `drill`, newest first: built once, read as a
/// stream (the CSV) with [`DrillQuery::rows`].
pub(crate) struct DrillQuery(QueryBuilder<'static>);

impl DrillQuery {
    pub(crate) fn new(scope: &Scope, drill: &Drill, settings: &Settings) -> DrillQuery {
        DrillQuery(rows_query(scope, drill, settings))
    }

    /// The rows, as they are read.
    pub(crate) fn rows<'q>(
        &'q mut self,
        conn: &'q mut Conn,
    ) -> BoxStream<'q, Result<Row, sqlx::Error>> {
        self.0.build_query_as::<Row>().fetch(conn)
    }
}

/// How many evaluations are under `scope` narrowed by `drill`, and one page of them, newest
/// first.
pub(crate) async fn drill_page(
    conn: &mut Conn,
    scope: &Scope,
    drill: &Drill,
    settings: &Settings,
    page: u32,
    per_page: u32,
) -> Result<(i64, Vec<Row>), sqlx::Error> {
    let total: i64 = match kept_total(scope, drill, settings) {
        Some(mut q) => q.build_query_scalar().fetch_one(&mut *conn).await?,
        None => {
            let mut q = QueryBuilder::new("SELECT COUNT(*) FROM evaluations e WHERE");
            push_evaluation_scope(&mut q, scope, scope.period);
            push_drill(&mut q, drill, scope.period, settings);
            q.build_query_scalar().fetch_one(&mut *conn).await?
        }
    };
    let mut q = rows_query(scope, drill, settings);
    push_page(&mut q, page, per_page);
    let rows: Vec<Row> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok((total, rows))
}

/// How many evaluations a drill-down has, from the kept sums when they can tell: none narrowed,
/// or by an overall score or a sentiment (the per-overall-score counts), or by a dimension and
/// its score alone (the per-score counts), or by a word with or without them (the word counts,
/// of the organisation, an agent or a team). A complaint tag, a dimension with an overall score
/// or a word with a dimension or in a group: `None` (counted over the evaluations).
fn kept_total(scope: &Scope, drill: &Drill, settings: &Settings) -> Option<QueryBuilder<'static>> {
    if drill.complaint_tag.is_some() || (drill.word.is_some() && drill.dimension.is_some()) {
        return None;
    }
    if let Some(dimension) = &drill.dimension {
        if drill.overall.is_some() || drill.sentiment.is_some() {
            return None;
        }
        let column = match drill.score {
            Some(score) if (1..=5).contains(&score) => format!("k.c{score}"),
            Some(_) => return None,
            None => "k.answered".to_owned(),
        };
        let mut q = QueryBuilder::new(format!("SELECT COALESCE(SUM({column}), 0)"));
        push_kept_own(&mut q, Kept::Scores, scope);
        q.push(" AND k.dimension = ").push_bind(dimension.clone());
        return Some(q);
    }
    let (mut low, mut high) = (1u8, 10u8);
    if let Some(overall) = drill.overall {
        (low, high) = (low.max(overall), high.min(overall));
    }
    if let Some(sentiment) = drill.sentiment {
        let (from, to) = sentiment.overall_range(settings);
        (low, high) = (low.max(from), high.min(to));
    }
    if let Some(word) = &drill.word {
        let table = kept_counts(scope, "term_sums", "agent_term_sums")?;
        let mut q = kept_counts_query("COALESCE(SUM(k.evaluations), 0)", table, scope);
        q.push(" AND k.term = ")
            .push_bind(word.clone())
            .push(" AND k.overall BETWEEN ")
            .push_bind(i64::from(low))
            .push(" AND ")
            .push_bind(i64::from(high));
        return Some(q);
    }
    let mut q = QueryBuilder::new(format!(
        "SELECT COALESCE(SUM({}), 0)",
        overall_columns("o", low, high)
    ));
    push_kept_own(&mut q, Kept::Evaluations, scope);
    Some(q)
}

/// Up to `limit` evaluations under `scope` whose suggestion has `term` and whose overall score
/// is in `low..=high`: the lowest scores first, then the newest, as `(number, overall,
/// suggestion)`. Score by score, each an index range of the word's copied score and day
/// (migration 0027), so that the cost follows the period and the limit, not every evaluation
/// with the word: the newest by the index's own order (day, then the latest filed), so the walk
/// stops at the limit instead of sorting a whole day's evaluations with the word (which grew
/// with the evaluations a day: issue 22's 5,000,000 run).
pub(crate) async fn term_examples(
    conn: &mut Conn,
    scope: &Scope,
    term: &str,
    (low, high): (u8, u8),
    limit: usize,
) -> Result<Vec<(String, i64, String)>, sqlx::Error> {
    let mut out = Vec::with_capacity(limit);
    for overall in low..=high {
        if out.len() >= limit {
            break;
        }
        let mut q = QueryBuilder::new(
            "SELECT e.number, e.overall, e.suggestion FROM evaluation_terms t \
             CROSS JOIN evaluations e WHERE e.id = t.evaluation_id AND",
        );
        push_term_range(&mut q, term, Some(overall), scope);
        push_evaluation_scope(&mut q, scope, scope.period);
        q.push(
            " AND e.suggestion IS NOT NULL \
             ORDER BY t.submitted_day DESC, t.evaluation_id DESC LIMIT ",
        )
        .push_bind((limit - out.len()) as i64);
        let rows: Vec<(String, i64, String)> = q.build_query_as().fetch_all(&mut *conn).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// ` t.term = … [AND t.overall = …] AND t.submitted_day BETWEEN … AND`: the index range of a
/// word's evaluations `t` in the scope's period (of one overall score when given), followed by
/// an `AND` for the conditions on the evaluation.
fn push_term_range(q: &mut QueryBuilder<'_>, term: &str, overall: Option<u8>, scope: &Scope) {
    q.push(" t.term = ").push_bind(term.to_owned());
    if let Some(overall) = overall {
        q.push(" AND t.overall = ").push_bind(i64::from(overall));
    }
    q.push(" AND t.submitted_day BETWEEN ")
        .push_bind(scope.period.from.to_string())
        .push(" AND ")
        .push_bind(scope.period.to.to_string())
        .push(" AND");
}
