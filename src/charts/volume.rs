//! The admin's home chart: service records per channel and day, today's partial day marked.

use charming::Chart;
use charming::component::Legend;
use charming::element::{ItemStyle, LineStyle, Tooltip, Trigger};
use charming::series::Line;
use pingjia_domain::calendar::org_day;
use pingjia_domain::wire::{Channel, ServiceVolume};
use serde_json::{Value, json};

use super::{MUTED_TEXT, PALETTE, category_axis, plot_grid, title, value_axis};

/// The channels' series.
const ONLINE_COLOUR: &str = PALETTE[0];
const OFFLINE_COLOUR: &str = PALETTE[1];
/// The band behind today's partial day.
const TODAY_BAND: &str = "rgba(74, 85, 101, 0.10)";
/// How much of a line's colour its segment into today keeps.
const TODAY_ALPHA: f64 = 0.4;

/// The localized texts of the service-volume chart.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeLabels {
    pub title: String,
    pub subtitle: String,
    pub x_axis: String,
    pub y_axis: String,
    pub online: String,
    pub offline: String,
    /// The name of today's band while the day runs, e.g. "今天（未结束）".
    pub today: String,
}

/// Records per channel over the whole period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChannelTotals {
    pub online: u64,
    pub offline: u64,
}

/// Sums each channel's daily counts.
pub fn channel_totals(volume: &ServiceVolume) -> ChannelTotals {
    volume
        .series
        .iter()
        .fold(ChannelTotals::default(), |mut totals, series| {
            let sum: u64 = series.counts.iter().sum();
            match series.channel {
                Channel::Online => totals.online += sum,
                Channel::Offline => totals.offline += sum,
            }
            totals
        })
}

/// The period's last day when it is today in the organisation's calendar (UTC+8, the day of
/// the answer's `generated_at`, as the server counts its days): a day still running, whose
/// counts are partial.
pub fn partial_today(volume: &ServiceVolume) -> Option<chrono::NaiveDate> {
    volume
        .days
        .last()
        .copied()
        .filter(|last| *last == org_day(volume.generated_at))
}

/// A day as the axis names it.
fn day_label(day: chrono::NaiveDate) -> String {
    day.format("%m-%d").to_string()
}

/// A line per channel of service records per day, with title, axis names and legend; when the
/// last day is today, it is marked as partial ([`mark_today`]).
pub fn service_volume_chart(volume: &ServiceVolume, labels: &VolumeLabels) -> Value {
    let days: Vec<String> = volume.days.iter().copied().map(day_label).collect();
    let chart = Chart::new()
        .title(title(&labels.title, &labels.subtitle).left("center"))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(52))
        .grid(plot_grid(24, 112, 32))
        .x_axis(category_axis(labels.x_axis.as_str(), 28, days).boundary_gap(false))
        .y_axis(value_axis(labels.y_axis.as_str()).min_interval(1))
        .series(channel_line(
            volume,
            Channel::Online,
            &labels.online,
            ONLINE_COLOUR,
        ))
        .series(channel_line(
            volume,
            Channel::Offline,
            &labels.offline,
            OFFLINE_COLOUR,
        ));
    let mut option = serde_json::to_value(&chart).expect("a charming chart serialises to JSON");
    if partial_today(volume).is_some() {
        mark_today(&mut option, volume.days.len(), labels);
    }
    option
}

/// Today's partial day, so that its lower count does not read as a drop: the segment of each
/// line into today drawn in a lighter shade of its colour (a hidden piecewise visual map per
/// line over the day's index, as ECharts colours the sections of a line), over a grey band
/// named "今天（未结束）" (charming has no visual map: set on the JSON).
fn mark_today(option: &mut Value, days: usize, labels: &VolumeLabels) {
    let Some(last) = days.checked_sub(1) else {
        return;
    };
    let from = last.saturating_sub(1);
    let category = |i: usize| option["xAxis"]["data"][i].clone();
    let band = json!({
        "silent": true,
        "itemStyle": { "color": TODAY_BAND },
        "label": {
            "show": true,
            "position": "insideTopRight",
            "color": MUTED_TEXT,
            "backgroundColor": "rgba(255, 255, 255, 0.85)",
            "padding": [2, 4],
        },
        "data": [[
            { "name": labels.today, "xAxis": category(from) },
            { "xAxis": category(last) },
        ]],
    });
    option["series"][0]["markArea"] = band;
    if last == 0 {
        // One day: no segment leads into it.
        return;
    }
    // Both pieces bounded: ECharts fails to draw a line whose pieces run to infinity.
    let maps: Vec<Value> = [ONLINE_COLOUR, OFFLINE_COLOUR]
        .into_iter()
        .enumerate()
        .map(|(series, colour)| {
            json!({
                "show": false,
                "type": "piecewise",
                "dimension": 0,
                "seriesIndex": series,
                "pieces": [
                    { "gte": 0, "lte": from, "color": colour },
                    { "gt": from, "lte": last, "color": faded(colour, TODAY_ALPHA) },
                ],
            })
        })
        .collect();
    option["visualMap"] = Value::Array(maps);
    // A line's own stroke colour would win over the visual map's: the lines take their colour
    // from it (the legend and the tooltip keep the series' item colour).
    for series in 0..2 {
        if let Some(style) = option["series"][series]["lineStyle"].as_object_mut() {
            style.remove("color");
        }
    }
}

/// A `#rrggbb` colour with some transparency, as `rgba(…)`.
fn faded(hex: &str, alpha: f64) -> String {
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    format!(
        "rgba({}, {}, {}, {alpha})",
        channel(1),
        channel(3),
        channel(5)
    )
}

/// One channel's daily counts as a line; a channel the answer leaves out counts zero.
fn channel_line(volume: &ServiceVolume, channel: Channel, name: &str, colour: &str) -> Line {
    let counts: Vec<i64> = volume
        .series
        .iter()
        .find(|s| s.channel == channel)
        .map(|s| {
            s.counts
                .iter()
                .map(|&c| i64::try_from(c).unwrap_or(i64::MAX))
                .collect()
        })
        .unwrap_or_else(|| vec![0; volume.days.len()]);
    Line::new()
        .name(name)
        .show_symbol(false)
        .item_style(ItemStyle::new().color(colour))
        .line_style(LineStyle::new().color(colour).width(2))
        .data(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use pingjia_domain::wire::ChannelSeries;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn volume() -> ServiceVolume {
        let first = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        ServiceVolume {
            days: first.iter_days().take(3).collect(),
            series: vec![
                ChannelSeries {
                    channel: Channel::Offline,
                    counts: vec![1, 0, 2],
                },
                ChannelSeries {
                    channel: Channel::Online,
                    counts: vec![4, 5, 6],
                },
            ],
            total: 18,
            // 16:00 in Shanghai on 11-22, the last day: today, still running.
            generated_at: Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap(),
        }
    }

    fn labels() -> VolumeLabels {
        VolumeLabels {
            title: "每日服务记录量".into(),
            subtitle: "近 90 天 · 按渠道".into(),
            x_axis: "日期".into(),
            y_axis: "服务记录（条）".into(),
            online: "线上".into(),
            offline: "线下".into(),
            today: "今天（未结束）".into(),
        }
    }

    #[test]
    fn totals_are_summed_per_channel() {
        assert_eq!(
            channel_totals(&volume()),
            ChannelTotals {
                online: 15,
                offline: 3
            }
        );
    }

    #[test]
    fn chart_names_everything_in_the_given_language() {
        let option = service_volume_chart(&volume(), &labels());
        assert_eq!(option["title"][0]["text"], "每日服务记录量");
        assert_eq!(option["title"][0]["subtext"], "近 90 天 · 按渠道");
        assert_eq!(option["xAxis"]["name"], "日期");
        assert_eq!(option["yAxis"]["name"], "服务记录（条）");
        assert_eq!(
            option["xAxis"]["data"],
            serde_json::json!(["11-20", "11-21", "11-22"])
        );
        let series = option["series"].as_array().unwrap();
        assert_eq!(series.len(), 2);
        assert_eq!(series[0]["name"], "线上");
        assert_eq!(series[0]["data"], serde_json::json!([4, 5, 6]));
        assert_eq!(series[1]["name"], "线下");
        assert_eq!(series[1]["data"], serde_json::json!([1, 0, 2]));
    }

    #[test]
    fn today_is_marked_as_a_partial_day_in_the_organisations_calendar() {
        let option = service_volume_chart(&volume(), &labels());
        assert_eq!(
            partial_today(&volume()),
            NaiveDate::from_ymd_opt(2026, 11, 22)
        );
        // A band from the day before to today, named, on the first line.
        let band = &option["series"][0]["markArea"];
        assert_eq!(
            band["data"],
            serde_json::json!([[{ "name": "今天（未结束）", "xAxis": "11-21" }, { "xAxis": "11-22" }]])
        );
        assert_eq!(band["label"]["show"], true);
        // Each line's segment into today (day index 1 to 2) in a lighter shade of its colour.
        let maps = option["visualMap"].as_array().unwrap();
        assert_eq!(maps.len(), 2);
        for (i, colour) in [(0, "#1f5fbf"), (1, "#b54708")] {
            let map = &maps[i];
            assert_eq!(map["seriesIndex"], i);
            assert_eq!(map["show"], false);
            assert_eq!(map["dimension"], 0);
            assert_eq!(
                map["pieces"][0],
                serde_json::json!({ "gte": 0, "lte": 1, "color": colour })
            );
            assert_eq!(map["pieces"][1]["gt"], 1);
            assert_eq!(map["pieces"][1]["lte"], 2);
        }
        assert_eq!(maps[0]["pieces"][1]["color"], "rgba(31, 95, 191, 0.4)");
        // The lines take their colour from the maps; the legend keeps the series' colour.
        assert!(option["series"][0]["lineStyle"].get("color").is_none());
        assert_eq!(option["series"][0]["lineStyle"]["width"], 2.0);
        assert_eq!(option["series"][1]["itemStyle"]["color"], "#b54708");
        // The counts themselves are untouched: the tooltip tells today's real figure.
        assert_eq!(option["series"][0]["data"], serde_json::json!([4, 5, 6]));
    }

    #[test]
    fn a_period_that_ends_before_today_has_no_partial_day() {
        let mut volume = volume();
        // 11-23 00:30 in Shanghai: 11-22 is over.
        volume.generated_at = Utc.with_ymd_and_hms(2026, 11, 22, 16, 30, 0).unwrap();
        assert_eq!(partial_today(&volume), None);
        let option = service_volume_chart(&volume, &labels());
        assert!(option.get("visualMap").is_none());
        assert!(option["series"][0].get("markArea").is_none());
    }
}
