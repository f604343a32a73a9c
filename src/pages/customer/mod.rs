//! The customer's pages, the rating flow: their services awaiting a rating (`/customer`), the
//! rating form (`/customer/rate/:id`), an evaluation (`/customer/evaluations/:number`), and
//! the look-up and history of their evaluations (`/customer/evaluations`), and the rating
//! link's opt-out (`/r/:token/opt-out`, no sign-in; the link's own page `/r/:token` is the
//! tiny build in `link/`).
//!
//! These pages ship in the light customer bundle: they use no charts and nothing of the staff
//! pages.

pub mod appeals;
pub mod evaluation;
pub mod evaluations;
pub mod home;
pub mod link;
pub mod opt_out;
pub mod rate;

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::outbox;
use crate::session::use_session;

/// Where the customer's evaluations are listed and looked up.
pub const EVALUATIONS_PATH: &str = "/customer/evaluations";

/// The address of the rating form of a record.
pub fn rate_href(record_id: i64) -> String {
    format!("/customer/rate/{record_id}")
}

/// The address of an evaluation.
pub fn evaluation_href(number: &str) -> String {
    format!("{EVALUATIONS_PATH}/{number}")
}

/// The time now, on the server's clock when `server_now` is given (the client's clock may be
/// off), refreshed every 20 seconds while the calling view lives: what "time left" texts read so
/// they count down on an open page.
pub fn ticking_now(server_now: Option<DateTime<Utc>>) -> Signal<DateTime<Utc>> {
    let skew = server_now.map_or_else(chrono::Duration::zero, |server| server - Utc::now());
    let now = RwSignal::new(Utc::now() + skew);
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(Utc::now() + skew),
        std::time::Duration::from_secs(20),
    ) {
        on_cleanup(move || handle.clear());
    }
    now.into()
}

/// How long is left until a deadline, in its two largest units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLeft {
    Days {
        days: i64,
        hours: i64,
    },
    Hours {
        hours: i64,
        minutes: i64,
    },
    /// Under an hour; at least one minute.
    Minutes(i64),
}

/// The time left from `now` (the server's clock) until `until`; `None` once it has passed.
pub fn time_left(now: DateTime<Utc>, until: DateTime<Utc>) -> Option<TimeLeft> {
    let left = until - now;
    if left <= chrono::Duration::zero() {
        return None;
    }
    let minutes = left.num_minutes();
    let (days, hours) = (minutes / (24 * 60), minutes / 60 % 24);
    Some(if days > 0 {
        TimeLeft::Days { days, hours }
    } else if hours > 0 {
        TimeLeft::Hours {
            hours,
            minutes: minutes % 60,
        }
    } else {
        TimeLeft::Minutes(minutes.max(1))
    })
}

/// An amount with its unit, e.g. "3 天" / "3 days" / "1 day".
fn amount(n: i64, one: &'static str, many: &'static str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The time left in words, e.g. "3 天 4 小时" / "3 days 4 hours".
pub fn time_left_words(locale: Locale, left: TimeLeft) -> String {
    let days = |n| {
        amount(
            n,
            td_string!(locale, rating.unit_day),
            td_string!(locale, rating.unit_days),
        )
    };
    let hours = |n| {
        amount(
            n,
            td_string!(locale, rating.unit_hour),
            td_string!(locale, rating.unit_hours),
        )
    };
    let minutes = |n| {
        amount(
            n,
            td_string!(locale, rating.unit_minute),
            td_string!(locale, rating.unit_minutes),
        )
    };
    match left {
        TimeLeft::Days { days: d, hours: 0 } => days(d),
        TimeLeft::Days { days: d, hours: h } => format!("{} {}", days(d), hours(h)),
        TimeLeft::Hours {
            hours: h,
            minutes: 0,
        } => hours(h),
        TimeLeft::Hours {
            hours: h,
            minutes: m,
        } => format!("{} {}", hours(h), minutes(m)),
        TimeLeft::Minutes(m) => minutes(m),
    }
}

/// The signed-in customer's id, and their outbox sent on (after a reload or a sign-in): every
/// customer page calls this first.
pub fn use_customer() -> Signal<Option<i64>> {
    let session = use_session();
    let user_id = Memo::new(move |_| session.me().map(|me| me.id));
    Effect::new(move || {
        if let Some(user_id) = user_id.get() {
            outbox::resume(user_id);
        }
    });
    user_id.into()
}

/// "Evaluations saved on this device wait to be sent", while any do.
#[component]
pub fn PendingBanner(
    /// The customer.
    user_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || outbox::waiting_count(user_id);
    view! {
        <div class="pending-banner" role="status" aria-live="polite">
            {move || {
                let count = count();
                (count > 0)
                    .then(|| {
                        view! {
                            <p class="notice notice-warn">{t!(i18n, rating.pending_banner, n = count)}</p>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_time_left_is_counted_from_the_servers_clock() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap();
        let left = |d: Duration| time_left(now, now + d);
        assert_eq!(
            left(Duration::days(3) + Duration::hours(4) + Duration::minutes(59)),
            Some(TimeLeft::Days { days: 3, hours: 4 })
        );
        assert_eq!(
            left(Duration::hours(5) + Duration::minutes(7)),
            Some(TimeLeft::Hours {
                hours: 5,
                minutes: 7
            })
        );
        assert_eq!(left(Duration::seconds(20)), Some(TimeLeft::Minutes(1)));
        assert_eq!(left(Duration::zero()), None);
        assert_eq!(left(-Duration::hours(1)), None);
    }

    #[test]
    fn the_time_left_reads_in_both_languages() {
        let left = TimeLeft::Days { days: 3, hours: 4 };
        assert_eq!(time_left_words(Locale::zh_CN, left), "3 天 4 小时");
        assert_eq!(time_left_words(Locale::en, left), "3 days 4 hours");
        assert_eq!(
            time_left_words(Locale::en, TimeLeft::Days { days: 1, hours: 1 }),
            "1 day 1 hour"
        );
        assert_eq!(
            time_left_words(
                Locale::en,
                TimeLeft::Hours {
                    hours: 2,
                    minutes: 0
                }
            ),
            "2 hours"
        );
        assert_eq!(
            time_left_words(Locale::zh_CN, TimeLeft::Minutes(5)),
            "5 分钟"
        );
    }
}
