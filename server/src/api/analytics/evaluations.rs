//! The evaluations behind a chart element, a page at a time or all of them as CSV.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::Response;
use futures_util::TryStreamExt;
use pingjia_domain::Lang;
use pingjia_domain::analytics::{
    AnalyticsEvaluationPage, AnalyticsFilter, DEFAULT_PER_PAGE, DimensionName, DrillFilter,
    MAX_PER_PAGE,
};
use pingjia_domain::moderation::ModerationStatus;
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Channel, CustomerType};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::download::csv_attachment;
use crate::csvfile::safe_cell;
use crate::error::AppError;
use crate::http::extract::{Json, Query};
use crate::http::state::AppState;
use crate::services::jobs::isolated;
use crate::time::{from_db, org_zone};

use crate::db::Conn;
use crate::db::analytics::{
    Drill, DrillQuery, Scope, check_drill, count, dimension_names, drill_page, resolve,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 25)]
    per_page: Option<u32>,
}

/// The evaluations behind a chart element.
///
/// The evaluations under the filter narrowed by what was clicked (a dimension and score, an
/// overall score, a complaint tag, a word), newest first, a page at a time.
#[utoipa::path(
    get,
    path = "/analytics/evaluations",
    tag = "analytics",
    operation_id = "analytics_evaluations",
    params(AnalyticsFilter, DrillFilter, PageParams),
    responses(
        (status = 200, description = "A page of evaluations", body = AnalyticsEvaluationPage),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter, drill-down or paging is invalid"),
    )
)]
pub(super) async fn evaluations(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(drill): Query<DrillFilter>,
    Query(paging): Query<PageParams>,
) -> Result<Json<AnalyticsEvaluationPage>, AppError> {
    let page = paging.page.unwrap_or(1);
    let per_page = paging.per_page.unwrap_or(DEFAULT_PER_PAGE);
    crate::http::paging::check_paging(page, per_page, MAX_PER_PAGE, None, None)?;
    let drill = check_drill(&drill)?;
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let (total, rows) = drill_page(&mut conn, &scope, &drill, &settings, page, per_page).await?;
    let names = dimension_names(&mut conn).await?;
    let evaluations = rows
        .into_iter()
        .map(|row| row.into_evaluation(&names))
        .collect::<Result<_, _>>()?;
    Ok(Json(AnalyticsEvaluationPage {
        evaluations,
        total: count(total),
        page,
        per_page,
    }))
}

/// A stored channel's Chinese name for the CSV; empty when there is none.
fn channel_label(channel: Option<&str>) -> &'static str {
    channel
        .and_then(Channel::parse)
        .map_or("", |channel| channel.label(Lang::Zh))
}

/// A stored customer type's Chinese name for the CSV; empty when there is none.
fn customer_type_label(kind: Option<&str>) -> &'static str {
    kind.and_then(CustomerType::parse)
        .map_or("", |kind| kind.label(Lang::Zh))
}

/// A stored moderation status's Chinese name for the CSV (有效, 待审核): never the code.
fn status_label(status: &str) -> &'static str {
    ModerationStatus::parse(status).map_or("", |status| status.label(Lang::Zh))
}

/// Rows sent per chunk of the CSV.
const CSV_CHUNK_ROWS: usize = 500;

/// The evaluations as CSV.
///
/// Every evaluation under the filter and drill-down, newest first, one row each: number,
/// time (organisation zone), agent, team, service type, channel, customer type, a column per
/// dimension, total, overall, suggestion, flags and status (flags and status in words, never
/// their codes). UTF-8 with a BOM (Excel reads the
/// Chinese), streamed as it is read; cells starting with `=`, `+`, `-`, `@` or a tab are
/// neutralised against formula injection.
#[utoipa::path(
    get,
    path = "/analytics/evaluations.csv",
    tag = "analytics",
    operation_id = "analytics_evaluations_csv",
    params(AnalyticsFilter, DrillFilter),
    responses(
        (status = 200, description = "The evaluations", content_type = "text/csv"),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "The filter or drill-down is invalid"),
    )
)]
pub(super) async fn evaluations_csv(
    State(state): State<AppState>,
    Query(filter): Query<AnalyticsFilter>,
    Query(drill): Query<DrillFilter>,
) -> Result<Response, AppError> {
    let drill = check_drill(&drill)?;
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let scope = resolve(state.today(), &mut conn, &filter).await?;
    let names = dimension_names(&mut conn).await?;
    let filename = format!(
        "pingjia-evaluations-{}-{}.csv",
        scope.period.from, scope.period.to
    );
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        // A panic while writing ends the download with an error too, not a short file that
        // looks complete.
        let sent = isolated(
            "the evaluations CSV",
            write_csv(&mut conn, &scope, &drill, &settings, &names, &sender),
        )
        .await
        .unwrap_or_else(|panic| Err(anyhow::anyhow!("panicked: {panic}")));
        if let Err(error) = sent {
            tracing::error!(%error, "streaming the evaluations CSV failed");
            // Ends the body with an error, so the download is seen to fail, not cut short.
            let _ = sender
                .send(Err(std::io::Error::other(error.to_string())))
                .await;
        }
    });
    // Fused: the compression layer may poll once more after the end.
    let stream = futures_util::StreamExt::fuse(futures_util::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|chunk| (chunk, receiver)) },
    ));
    Ok(csv_attachment(Body::from_stream(stream), &filename))
}

async fn write_csv(
    conn: &mut Conn,
    scope: &Scope,
    drill: &Drill,
    settings: &Settings,
    names: &[(DimensionName, i64)],
    sender: &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header: Vec<String> = [
        "评价编号 Number",
        "提交时间 Submitted",
        "工号 Agent no",
        "服务人员 Agent",
        "团队 Team",
        "服务类型 Service type",
        "渠道 Channel",
        "客户类型 Customer type",
    ]
    .map(String::from)
    .to_vec();
    header.extend(
        names
            .iter()
            .map(|(d, _)| format!("{} {}", d.name_zh, d.name_en)),
    );
    header.extend(
        [
            "总分 Total",
            "总体满意度 Overall",
            "建议 Suggestion",
            "异常标记 Flags",
            "状态 Status",
        ]
        .map(String::from),
    );
    writer.write_record(&header)?;
    let mut query = DrillQuery::new(scope, drill, settings);
    let mut rows = query.rows(conn);
    let mut pending = 0;
    while let Some(row) = rows.try_next().await? {
        let scores: HashMap<String, Option<u8>> = row.scores().into_iter().collect();
        let submitted = from_db(&row.submitted_at)?
            .with_timezone(&org_zone())
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        let mut record = vec![
            safe_cell(&row.number),
            submitted,
            safe_cell(row.agent_no.as_deref().unwrap_or_default()),
            safe_cell(&row.agent_name),
            safe_cell(row.team_name.as_deref().unwrap_or_default()),
            safe_cell(&row.type_name_zh),
            channel_label(row.channel.as_deref()).to_owned(),
            customer_type_label(row.customer_type.as_deref()).to_owned(),
        ];
        record.extend(names.iter().map(|(d, _)| {
            scores
                .get(&d.code)
                .copied()
                .flatten()
                .map(|s| s.to_string())
                .unwrap_or_default()
        }));
        record.extend([
            format!("{:.1}", row.total_score),
            row.overall.to_string(),
            safe_cell(row.suggestion.as_deref().unwrap_or_default()),
            row.flags()
                .iter()
                .map(|f| f.label(Lang::Zh))
                .collect::<Vec<_>>()
                .join("；"),
            status_label(&row.status).to_owned(),
        ]);
        writer.write_record(&record)?;
        pending += 1;
        if pending == CSV_CHUNK_ROWS {
            pending = 0;
            let full = std::mem::replace(&mut writer, csv::Writer::from_writer(Vec::new()));
            let chunk = full.into_inner().map_err(|e| anyhow::anyhow!("CSV: {e}"))?;
            if sender.send(Ok(Bytes::from(chunk))).await.is_err() {
                return Ok(()); // the client went away
            }
        }
    }
    let rest = writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("CSV: {e}"))?;
    let _ = sender.send(Ok(Bytes::from(rest))).await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
