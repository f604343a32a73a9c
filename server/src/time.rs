//! Time: the organisation's zone, the one format times are stored in, and the clock.

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc,
};

/// The organisation's time zone, Asia/Shanghai: UTC+8 all year (China has no daylight saving).
/// Days in statistics and evaluation numbers are days in this zone (the domain's, which the app
/// reads too).
pub use pingjia_domain::calendar::ORG_UTC_OFFSET_SECONDS;

/// The organisation's time zone as a chrono offset.
pub fn org_zone() -> FixedOffset {
    FixedOffset::east_opt(ORG_UTC_OFFSET_SECONDS).expect("UTC+8 is a valid offset")
}

/// The SQLite date modifier that shifts a stored UTC time into the organisation's zone,
/// e.g. `date(started_at, '+28800 seconds')`.
pub fn org_sqlite_modifier() -> String {
    format!("{ORG_UTC_OFFSET_SECONDS:+} seconds")
}

/// The organisation's calendar day of an instant.
pub use pingjia_domain::calendar::org_day;

/// The instant a day starts (00:00) in the organisation's zone, in UTC.
pub fn org_day_start(day: NaiveDate) -> DateTime<Utc> {
    org_local(day.and_time(NaiveTime::MIN))
}

/// A wall-clock time in the organisation's zone, in UTC (the zone is a fixed offset, so every
/// local time maps to exactly one instant).
pub fn org_local(local: NaiveDateTime) -> DateTime<Utc> {
    org_zone()
        .from_local_datetime(&local)
        .single()
        .expect("a fixed offset maps every local time to one instant")
        .with_timezone(&Utc)
}

/// A time as stored in the database: UTC, whole seconds, `2026-11-22T03:04:05Z`. Every stored
/// time has this exact shape, so text order is time order.
pub fn to_db(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A time read back from the database (the shape [`to_db`] writes).
pub fn from_db(text: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| sqlx::Error::Decode(format!("stored time {text:?}: {e}").into()))
}

/// Where "now" comes from: the system clock in production, a fixed instant in tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }

    /// Waits this many seconds; a fixed clock (tests) stands still and does not wait.
    pub async fn wait_seconds(self, seconds: u64) {
        if seconds > 0 && self == Clock::System {
            tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_are_whole_seconds_utc_with_z() {
        let t = Utc.with_ymd_and_hms(2026, 11, 22, 3, 4, 5).unwrap()
            + chrono::Duration::milliseconds(678);
        assert_eq!(to_db(t), "2026-11-22T03:04:05Z");
        let early = Utc.with_ymd_and_hms(2026, 11, 22, 3, 4, 59).unwrap();
        let late = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        assert!(to_db(early) < to_db(late), "text order is time order");
        assert_eq!(from_db(&to_db(early)).unwrap(), early);
        assert!(from_db("yesterday").is_err());
    }

    #[test]
    fn shanghai_days_start_at_16_utc_the_day_before() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(to_db(org_day_start(day)), "2026-11-21T16:00:00Z");
        assert_eq!(
            org_day(Utc.with_ymd_and_hms(2026, 11, 21, 15, 59, 59).unwrap()),
            day.pred_opt().unwrap()
        );
        assert_eq!(
            org_day(Utc.with_ymd_and_hms(2026, 11, 21, 16, 0, 0).unwrap()),
            day
        );
        assert_eq!(org_sqlite_modifier(), "+28800 seconds");
    }
}
