//! The dashboard's charts: trend, dimension ranking, segments, distribution, agents, word
//! cloud.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use chrono::NaiveDate;
use pingjia_domain::analytics::{
    AgentReport, AgentStat, AnalyticsFilter, DimensionReport, DimensionStat, DistributionReport,
    Granularity, MAX_TERMS, SegmentReport, SegmentSeries, Sentiment, TeamAverages, TrendReport,
    TrendSeries, WordReport, mean, rank_dimensions, rate,
};
use pingjia_domain::wire::{Channel, CustomerType};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::AppError;
use crate::http::extract::{Json, Query};
use crate::http::state::AppState;

use crate::db::analytics::{
    agent_dimension_sums, agent_teams, agent_totals, complaint_tags, count, day_agent_sums,
    dimension_names, dimension_sums, named, overall_distribution, resolve, round, segment_counts,
    segment_sums, staff, suggestions_read, team_names, team_names_en, top_terms,
};

// ---------------------------------------------------------------------------------------------
// Trend

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// `day` (default), `week` (Monday to Sunday) or `month`.
    granularity: Option<Granularity>,
}

/// The score trend.
///
/// Mean total score per day, week or month of the period, overall and per team; buckets at
/// the ends are cut to the period.
#[utoipa::path(
    get,
    path = "/analytics/trend",
    tag = "analytics",
    operation_id = "analytics_trend",
    params(AnalyticsFilter, TrendParams),
    responses(
        (status = 200, description = "The trend", body = TrendReport),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter is invalid"),
    )
)]
pub(super) async fn trend(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(params): Query<TrendParams>,
) -> Result<Json<TrendReport>, AppError> {
    let granularity = params.granularity.unwrap_or_default();
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let buckets = scope.period.buckets(granularity);
    let rows = day_agent_sums(&mut conn, &scope).await?;
    let names = team_names(&mut conn).await?;
    let names_en = team_names_en(&mut conn).await?;
    let agent_teams = agent_teams(&mut conn).await?;

    let n = buckets.len();
    let mut overall = (vec![0u64; n], vec![0f64; n]);
    let mut teams: BTreeMap<i64, (Vec<u64>, Vec<f64>)> = BTreeMap::new();
    for (day, agent, evaluations, sum) in rows {
        let team = agent_teams.get(&agent).copied().flatten();
        let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|e| AppError::Internal(format!("trend day {day}: {e}")))?;
        let Some(index) = buckets.iter().position(|b| b.from <= day && day <= b.to) else {
            continue;
        };
        overall.0[index] += count(evaluations);
        overall.1[index] += sum;
        if let Some(team) = team {
            let slot = teams
                .entry(team)
                .or_insert_with(|| (vec![0; n], vec![0.0; n]));
            slot.0[index] += count(evaluations);
            slot.1[index] += sum;
        }
    }
    let series =
        |team_id: Option<i64>, name: String, (counts, sums): (Vec<u64>, Vec<f64>)| TrendSeries {
            team_id,
            name_en: team_id.and_then(|id| names_en.get(&id).cloned()),
            name,
            averages: counts
                .iter()
                .zip(&sums)
                .map(|(&c, &s)| round(mean(s, c), 2))
                .collect(),
            counts,
        };
    let mut team_series: Vec<TrendSeries> = teams
        .into_iter()
        .map(|(id, data)| series(Some(id), names.get(&id).cloned().unwrap_or_default(), data))
        .collect();
    team_series.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Json(TrendReport {
        period: scope.period,
        granularity,
        buckets,
        overall: series(None, String::new(), overall),
        teams: team_series,
    }))
}

// ---------------------------------------------------------------------------------------------
// Dimensions and segments

/// The dimension ranking.
///
/// Mean score of each dimension answered in the period, strongest first; `weak` under 3.
#[utoipa::path(
    get,
    path = "/analytics/dimensions",
    tag = "analytics",
    operation_id = "analytics_dimensions",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The ranking", body = DimensionReport),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter is invalid"),
    )
)]
pub(super) async fn dimensions(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<DimensionReport>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let rows = dimension_sums(&mut conn, &scope, scope.agent_id).await?;
    let names = dimension_names(&mut conn).await?;
    let stats = rows
        .into_iter()
        .filter_map(|(code, answered, sum)| {
            let (dimension, _) = names.iter().find(|(d, _)| d.code == code)?;
            Some(DimensionStat {
                dimension: dimension.clone(),
                average: round(mean(sum as f64, count(answered)), 2)?,
                count: count(answered),
                weak: false,
            })
        })
        .collect();
    Ok(Json(DimensionReport {
        period: scope.period,
        dimensions: rank_dimensions(stats),
    }))
}

/// Customer types and channels per dimension.
///
/// Mean score of each dimension for new, returning and member customers, and for online and
/// offline service; the customer's type as it was when they rated.
#[utoipa::path(
    get,
    path = "/analytics/segments",
    tag = "analytics",
    operation_id = "analytics_segments",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The segments", body = SegmentReport),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter is invalid"),
    )
)]
pub(super) async fn segments(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<SegmentReport>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let rows = segment_sums(&mut conn, &scope).await?;
    let counts = segment_counts(&mut conn, &scope).await?;
    let names = dimension_names(&mut conn).await?;
    let dims = named(&names, |code| rows.iter().any(|r| r.2 == code));

    // (segment, dimension) → (answered, sum)
    let mut sums: HashMap<(&str, &str), (u64, f64)> = HashMap::new();
    for (kind, channel, dimension, answered, sum) in &rows {
        for segment in [kind.as_deref(), channel.as_deref()].into_iter().flatten() {
            let slot = sums.entry((segment, dimension.as_str())).or_default();
            slot.0 += count(*answered);
            slot.1 += *sum as f64;
        }
    }
    let mut evaluations: HashMap<&str, u64> = HashMap::new();
    for (kind, channel, n) in &counts {
        for segment in [kind.as_deref(), channel.as_deref()].into_iter().flatten() {
            *evaluations.entry(segment).or_default() += count(*n);
        }
    }
    let series = |segment: &str| SegmentSeries {
        segment: segment.to_owned(),
        averages: dims
            .iter()
            .map(|d| {
                let (answered, sum) = sums
                    .get(&(segment, d.code.as_str()))
                    .copied()
                    .unwrap_or_default();
                round(mean(sum, answered), 2)
            })
            .collect(),
        count: evaluations.get(segment).copied().unwrap_or(0),
    };
    Ok(Json(SegmentReport {
        period: scope.period,
        customer_types: CustomerType::ALL
            .iter()
            .map(|k| series(k.as_str()))
            .collect(),
        channels: Channel::ALL.iter().map(|c| series(c.as_str())).collect(),
        dimensions: dims,
    }))
}

// ---------------------------------------------------------------------------------------------
// Distribution

/// The score distribution and the complaints by tag.
///
/// How many evaluations gave each overall score (1-10), and the evaluations of complaint
/// records (category 投诉) by the record's tags: a complaint with two tags counts in both, one
/// without a tag under "".
#[utoipa::path(
    get,
    path = "/analytics/distribution",
    tag = "analytics",
    operation_id = "analytics_distribution",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The distribution", body = DistributionReport),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter is invalid"),
    )
)]
pub(super) async fn distribution(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<DistributionReport>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let overall = overall_distribution(&mut conn, &scope, scope.period).await?;
    let (complaints, complaint_tags) = complaint_tags(&mut conn, &scope).await?;
    Ok(Json(DistributionReport {
        period: scope.period,
        overall,
        complaints,
        complaint_tags,
    }))
}

// ---------------------------------------------------------------------------------------------
// Agents

/// The agent leaderboard and radars.
///
/// Every agent with evaluations under the filter (only the chosen one with an agent filter),
/// best mean total score first, with their per-dimension means; and each of their teams'
/// per-dimension means over all the team's agents (the agent filter does not narrow those).
#[utoipa::path(
    get,
    path = "/analytics/agents",
    tag = "analytics",
    operation_id = "analytics_agents",
    params(AnalyticsFilter),
    responses(
        (status = 200, description = "The agents", body = AgentReport),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter is invalid"),
    )
)]
pub(super) async fn agents(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
) -> Result<Json<AgentReport>, AppError> {
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let totals = agent_totals(&mut conn, &scope, None, settings.satisfaction_threshold).await?;
    let dims_rows = agent_dimension_sums(&mut conn, &scope, None).await?;
    let people = staff(&mut conn).await?;
    let teams = team_names(&mut conn).await?;
    let teams_en = team_names_en(&mut conn).await?;
    let names = dimension_names(&mut conn).await?;
    let dims = named(&names, |code| dims_rows.iter().any(|r| r.1 == code));
    let index: HashMap<&str, usize> = dims
        .iter()
        .enumerate()
        .map(|(i, d)| (d.code.as_str(), i))
        .collect();

    // agent → per dimension (answered, sum); team → the same over its agents.
    let mut agent_dims: HashMap<i64, Vec<(u64, f64)>> = HashMap::new();
    let mut team_dims: BTreeMap<i64, Vec<(u64, f64)>> = BTreeMap::new();
    for (agent, code, answered, sum) in &dims_rows {
        let Some(&i) = index.get(code.as_str()) else {
            continue;
        };
        let slot = agent_dims
            .entry(*agent)
            .or_insert_with(|| vec![(0, 0.0); dims.len()]);
        slot[i].0 += count(*answered);
        slot[i].1 += *sum as f64;
        if let Some(team) = people.get(agent).and_then(|p| p.2) {
            let slot = team_dims
                .entry(team)
                .or_insert_with(|| vec![(0, 0.0); dims.len()]);
            slot[i].0 += count(*answered);
            slot[i].1 += *sum as f64;
        }
    }
    let means = |sums: Option<&Vec<(u64, f64)>>| -> Vec<Option<f64>> {
        (0..dims.len())
            .map(|i| {
                sums.and_then(|s| s.get(i))
                    .and_then(|&(answered, sum)| round(mean(sum, answered), 2))
            })
            .collect()
    };
    let mut agents: Vec<AgentStat> = totals
        .iter()
        .filter(|(agent, ..)| scope.agent_id.is_none_or(|only| only == *agent))
        .map(|&(agent, n, total_sum, overall_sum, attained)| {
            let (no, name, team) = people.get(&agent).cloned().unwrap_or_default();
            AgentStat {
                agent_no: no,
                name,
                team_id: team,
                team_name: team.and_then(|t| teams.get(&t).cloned()),
                team_name_en: team.and_then(|t| teams_en.get(&t).cloned()),
                count: count(n),
                average_total: round(mean(total_sum, count(n)), 2),
                average_overall: round(mean(overall_sum as f64, count(n)), 2),
                attainment_rate: round(rate(count(attained), count(n)), 4),
                dimensions: means(agent_dims.get(&agent)),
            }
        })
        .collect();
    agents.sort_by(|a, b| {
        b.average_total
            .unwrap_or(0.0)
            .total_cmp(&a.average_total.unwrap_or(0.0))
            .then(b.count.cmp(&a.count))
            .then_with(|| a.agent_no.cmp(&b.agent_no))
    });
    let shown_teams: Vec<i64> = {
        let mut ids: Vec<i64> = agents.iter().filter_map(|a| a.team_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    Ok(Json(AgentReport {
        period: scope.period,
        teams: shown_teams
            .into_iter()
            .map(|id| TeamAverages {
                team_id: Some(id),
                name: teams.get(&id).cloned().unwrap_or_default(),
                name_en: teams_en.get(&id).cloned(),
                dimensions: means(team_dims.get(&id)),
            })
            .collect(),
        agents,
        dimensions: dims,
    }))
}

// ---------------------------------------------------------------------------------------------
// Words

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WordParams {
    /// `complaints` (default: overall at or below the callback threshold, 6) or `praise`
    /// (at or above the satisfaction threshold, 8).
    sentiment: Option<Sentiment>,
}

/// The word cloud.
///
/// The most frequent terms of the suggestions under the filter, counted once per evaluation:
/// Chinese segmented with jieba-rs, English words lower-cased, single characters, numbers,
/// the built-in stop words and the admins' stop words left out.
#[utoipa::path(
    get,
    path = "/analytics/words",
    tag = "analytics",
    operation_id = "analytics_words",
    params(AnalyticsFilter, WordParams),
    responses(
        (status = 200, description = "The terms", body = WordReport),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter is invalid"),
    )
)]
pub(super) async fn words(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(params): Query<WordParams>,
) -> Result<Json<WordReport>, AppError> {
    let sentiment = params.sentiment.unwrap_or_default();
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let terms = top_terms(&mut conn, &scope, sentiment, &settings, MAX_TERMS).await?;
    let read = suggestions_read(&mut conn, &scope, sentiment, &settings).await?;
    Ok(Json(WordReport {
        period: scope.period,
        sentiment,
        evaluations: count(read),
        terms,
    }))
}
