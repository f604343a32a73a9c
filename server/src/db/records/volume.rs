//! The volume of service records per organisation day and channel (the charts' figures).

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Days, NaiveDate, Utc};
use pingjia_domain::wire::{Channel, ChannelSeries, ServiceVolume};

use crate::time::{org_day, org_day_start, org_sqlite_modifier, to_db};

#[derive(sqlx::FromRow)]
struct VolumeRow {
    day: String,
    channel: String,
    records: i64,
}

/// Counts the records started on each of the `days` organisation days ending with the day of
/// `now`, per channel.
pub(crate) async fn volume(
    conn: &mut Conn,
    now: DateTime<Utc>,
    days: u64,
) -> Result<ServiceVolume, sqlx::Error> {
    let today = org_day(now);
    let first = today - Days::new(days.saturating_sub(1));
    let period: Vec<NaiveDate> = first.iter_days().take(days as usize).collect();
    let rows: Vec<VolumeRow> = sql::query_as(
        "SELECT date(started_at, ?) AS day, channel, COUNT(*) AS records
         FROM service_records
         WHERE started_at >= ? AND started_at < ?
         GROUP BY day, channel",
    )
    .bind(org_sqlite_modifier())
    .bind(to_db(org_day_start(first)))
    .bind(to_db(org_day_start(today + Days::new(1))))
    .fetch_all(conn)
    .await?;

    let mut series: Vec<ChannelSeries> = Channel::ALL
        .into_iter()
        .map(|channel| ChannelSeries {
            channel,
            counts: vec![0; period.len()],
        })
        .collect();
    for row in rows {
        let day = NaiveDate::parse_from_str(&row.day, "%Y-%m-%d")
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let index = usize::try_from((day - first).num_days())
            .ok()
            .filter(|&i| i < period.len());
        let channel = Channel::parse(&row.channel);
        let (Some(index), Some(channel)) = (index, channel) else {
            return Err(sqlx::Error::Decode(
                format!("unexpected volume row {} {}", row.day, row.channel).into(),
            ));
        };
        let slot = series
            .iter_mut()
            .find(|s| s.channel == channel)
            .expect("one series per channel");
        slot.counts[index] = u64::try_from(row.records).unwrap_or_default();
    }
    let total = series.iter().flat_map(|s| &s.counts).sum();
    Ok(ServiceVolume {
        days: period,
        series,
        total,
        generated_at: now,
    })
}
