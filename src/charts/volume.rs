//! The admin's home chart: service records per channel and day.

use charming::Chart;
use charming::component::Legend;
use charming::element::{ItemStyle, LineStyle, Tooltip, Trigger};
use charming::series::Line;
use pingjia_domain::wire::{Channel, ServiceVolume};

use super::{PALETTE, category_axis, plot_grid, title, value_axis};

/// The channels' series.
const ONLINE_COLOUR: &str = PALETTE[0];
const OFFLINE_COLOUR: &str = PALETTE[1];

/// The localized texts of the service-volume chart.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeLabels {
    pub title: String,
    pub subtitle: String,
    pub x_axis: String,
    pub y_axis: String,
    pub online: String,
    pub offline: String,
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

/// A line per channel of service records per day, with title, axis names and legend.
pub fn service_volume_chart(volume: &ServiceVolume, labels: &VolumeLabels) -> Chart {
    let days: Vec<String> = volume
        .days
        .iter()
        .map(|day| day.format("%m-%d").to_string())
        .collect();
    Chart::new()
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
        ))
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
        let option = serde_json::to_value(service_volume_chart(&volume(), &labels())).unwrap();
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
}
