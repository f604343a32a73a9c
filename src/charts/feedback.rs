//! The agent's feedback charts: their score trend against the team's, the distribution of
//! their overall satisfaction scores and a radar of their dimensions against the team's.
//! ECharts options built with charming from the server's summary and the localized labels,
//! as pure functions tested without a browser; the `EChart` component renders them.
//!
//! No option sets a tooltip formatter, so ECharts escapes every name it shows.

use charming::Chart;
use charming::component::{Grid, Legend, RadarCoordinate};
use charming::datatype::CompositeValue;
use charming::element::{AreaStyle, ItemStyle, Label, LabelPosition, LineStyle, Trigger};
use charming::series::{Bar, Line, Radar};
use pingjia_domain::analytics::{DimensionName, Granularity, Period};
use pingjia_domain::feedback::{AgentSummary, Figures};

use super::{
    PALETTE, bucket_label, category_axis, dimension_name, plot_grid, round2, titled, value_axis,
};
use crate::i18n::Locale;

/// The agent's series and the team's.
const MINE_COLOUR: &str = PALETTE[0];
const TEAM_COLOUR: &str = PALETTE[1];
/// Where the plot starts under the title, subtitle and legend.
const PLOT_TOP: i64 = 104;

/// The texts every chart here has: its title, a subtitle (period and units) and the names of
/// the agent's series and the team's.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedbackChartText {
    pub title: String,
    pub subtitle: String,
    /// The agent's series, e.g. "我的".
    pub mine: String,
    /// The team's series, e.g. "团队平均".
    pub team: String,
}

/// The localized texts of a chart with axes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AxisLabels {
    pub text: FeedbackChartText,
    pub x_axis: String,
    pub y_axis: String,
}

fn grid() -> Grid {
    plot_grid(24, PLOT_TOP, 32)
}

fn means(values: &[Option<f64>]) -> Vec<CompositeValue> {
    values
        .iter()
        .map(|v| CompositeValue::from(v.map(round2)))
        .collect()
}

/// Whether the agent has no evaluation in any bucket of the trend.
pub fn trend_is_empty(summary: &AgentSummary) -> bool {
    summary.trend_counts.iter().all(|&c| c == 0)
}

/// The bucket names of the trend's axis.
pub fn trend_categories(buckets: &[Period], granularity: Granularity) -> Vec<String> {
    buckets
        .iter()
        .map(|b| bucket_label(*b, granularity))
        .collect()
}

/// The agent's mean total score per bucket (series 0) and the team's (series 1, when the agent
/// has a team), from 1 to 5; a bucket without evaluations is a gap.
pub fn trend_chart(summary: &AgentSummary, labels: &AxisLabels) -> Chart {
    let line = |name: &str, values: &[Option<f64>], colour: &str, width: i32| {
        Line::new()
            .name(name)
            .connect_nulls(false)
            .item_style(ItemStyle::new().color(colour))
            .line_style(LineStyle::new().color(colour).width(width))
            .data(means(values))
    };
    let mut chart = titled(&labels.text.title, &labels.text.subtitle, Trigger::Axis)
        .legend(Legend::new().top(52).left(0))
        .grid(grid())
        .x_axis(
            category_axis(
                labels.x_axis.as_str(),
                28,
                trend_categories(&summary.buckets, summary.granularity),
            )
            .boundary_gap(false),
        )
        .y_axis(value_axis(labels.y_axis.as_str()).min(1).max(5))
        .series(line(&labels.text.mine, &summary.trend, MINE_COLOUR, 3));
    if summary.team.is_some() {
        chart = chart.series(line(&labels.text.team, &summary.team_trend, TEAM_COLOUR, 2));
    }
    chart
}

/// Whether no evaluation gave an overall score.
pub fn distribution_is_empty(distribution: &[u64]) -> bool {
    distribution.iter().all(|&c| c == 0)
}

/// How many of the agent's evaluations gave each overall score 1-10 (`distribution[0]` is
/// score 1); a score the answer leaves out counts zero.
pub fn distribution_chart(distribution: &[u64], labels: &AxisLabels) -> Chart {
    let scores: Vec<String> = (1..=10u8).map(|s| s.to_string()).collect();
    let counts: Vec<i64> = (0..10)
        .map(|i| {
            let count = distribution.get(i).copied().unwrap_or(0);
            i64::try_from(count).unwrap_or(i64::MAX)
        })
        .collect();
    titled(&labels.text.title, &labels.text.subtitle, Trigger::Item)
        .legend(Legend::new().top(52).left(0))
        .grid(grid())
        .x_axis(category_axis(labels.x_axis.as_str(), 28, scores))
        .y_axis(value_axis(labels.y_axis.as_str()).min_interval(1))
        .series(
            Bar::new()
                .name(labels.text.mine.as_str())
                .item_style(ItemStyle::new().color(MINE_COLOUR))
                .label(Label::new().show(true).position(LabelPosition::Top))
                .data(counts),
        )
}

/// Whether the radar has nothing to draw: no dimension, or no mean of the agent's.
pub fn radar_is_empty(dimensions: &[DimensionName], mine: &Figures) -> bool {
    dimensions.is_empty() || mine.dimensions.iter().all(Option::is_none)
}

/// The agent's mean per dimension (series 0) against the team's (series 1, when given), from
/// 0 to 5; a dimension without answers counts 0.
pub fn radar_chart(
    dimensions: &[DimensionName],
    mine: &Figures,
    team: Option<&Figures>,
    locale: Locale,
    text: &FeedbackChartText,
) -> Chart {
    let names: Vec<String> = dimensions
        .iter()
        .map(|d| dimension_name(locale, d))
        .collect();
    let indicators: Vec<(&str, f64, f64)> = names.iter().map(|n| (n.as_str(), 0.0, 5.0)).collect();
    let values = |figures: &Figures| -> Vec<f64> {
        (0..dimensions.len())
            .map(|i| round2(figures.dimensions.get(i).copied().flatten().unwrap_or(0.0)))
            .collect()
    };
    let mut lines = vec![(text.mine.clone(), values(mine), MINE_COLOUR)];
    if let Some(team) = team {
        lines.push((text.team.clone(), values(team), TEAM_COLOUR));
    }
    let legend: Vec<String> = lines.iter().map(|(name, ..)| name.clone()).collect();
    let colours: Vec<&str> = lines.iter().map(|(.., colour)| *colour).collect();
    lines
        .into_iter()
        .fold(
            titled(&text.title, &text.subtitle, Trigger::Item),
            |chart, (name, values, colour)| {
                chart.series(
                    Radar::new()
                        .name(name.as_str())
                        .line_style(LineStyle::new().color(colour).width(2))
                        .area_style(AreaStyle::new().opacity(0.12))
                        .data(vec![(values, name)]),
                )
            },
        )
        .color(colours)
        .legend(Legend::new().data(legend).bottom(0).left(0))
        .radar(
            RadarCoordinate::new()
                .indicator(indicators)
                .radius("58%")
                .center(vec!["50%", "55%"]),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use serde_json::{Value, json};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn dimension(code: &str, zh: &str, en: &str) -> DimensionName {
        DimensionName {
            code: code.into(),
            name_zh: zh.into(),
            name_en: en.into(),
        }
    }

    fn figures(dimensions: Vec<Option<f64>>) -> Figures {
        Figures {
            count: 3,
            average_total: Some(4.2),
            average_overall: Some(8.0),
            attainment_rate: Some(0.66),
            dimensions,
        }
    }

    fn summary(team: bool) -> AgentSummary {
        AgentSummary {
            period: Period {
                from: day(2),
                to: day(15),
            },
            granularity: Granularity::Week,
            agent_no: "E1001".into(),
            name: "张伟".into(),
            team_name: team.then(|| "一组".into()),
            team_name_en: None,
            dimensions: vec![
                dimension("attitude", "服务态度", "Attitude"),
                dimension("speed", "响应速度", "Responsiveness"),
            ],
            mine: figures(vec![Some(4.456), None]),
            team: team.then(|| figures(vec![Some(4.0), Some(3.5)])),
            buckets: vec![
                Period {
                    from: day(2),
                    to: day(8),
                },
                Period {
                    from: day(9),
                    to: day(15),
                },
            ],
            trend: vec![Some(4.333), None],
            trend_counts: vec![3, 0],
            team_trend: vec![Some(4.1), Some(3.9)],
            distribution: vec![0, 0, 0, 0, 1, 0, 0, 1, 1, 0],
            unread: 1,
            open_plans: 0,
            overdue_plans: 0,
        }
    }

    fn labels() -> AxisLabels {
        AxisLabels {
            text: FeedbackChartText {
                title: "平均总分趋势".into(),
                subtitle: "2026-11-02 至 2026-11-15 · 分（1–5）".into(),
                mine: "我的".into(),
                team: "团队平均".into(),
            },
            x_axis: "周".into(),
            y_axis: "平均总分（分）".into(),
        }
    }

    fn json_of(chart: Chart) -> Value {
        serde_json::to_value(chart).unwrap()
    }

    #[test]
    fn the_trend_draws_mine_against_the_team_with_gaps_for_empty_buckets() {
        let option = json_of(trend_chart(&summary(true), &labels()));
        assert_eq!(option["title"][0]["text"], "平均总分趋势");
        assert_eq!(
            option["title"][0]["subtext"],
            "2026-11-02 至 2026-11-15 · 分（1–5）"
        );
        assert_eq!(option["xAxis"]["name"], "周");
        assert_eq!(option["yAxis"]["name"], "平均总分（分）");
        assert_eq!(
            option["xAxis"]["data"],
            json!(["11-02–11-08", "11-09–11-15"])
        );
        let series = option["series"].as_array().unwrap();
        assert_eq!(series.len(), 2);
        assert_eq!(series[0]["name"], "我的");
        assert_eq!(series[0]["data"], json!([4.33, null]));
        assert_eq!(series[1]["name"], "团队平均");
        assert_eq!(series[1]["data"], json!([4.1, 3.9]));
        assert!(!trend_is_empty(&summary(true)));
    }

    #[test]
    fn without_a_team_only_the_agents_line_is_drawn() {
        let option = json_of(trend_chart(&summary(false), &labels()));
        assert_eq!(option["series"].as_array().unwrap().len(), 1);
        let mut nothing = summary(false);
        nothing.trend_counts = vec![0, 0];
        assert!(trend_is_empty(&nothing));
    }

    #[test]
    fn the_distribution_has_ten_bars_whatever_the_answer_holds() {
        let option = json_of(distribution_chart(&[2, 0, 1], &labels()));
        assert_eq!(
            option["xAxis"]["data"],
            json!(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"])
        );
        assert_eq!(
            option["series"][0]["data"],
            json!([2, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(option["series"][0]["name"], "我的");
        assert!(distribution_is_empty(&[0; 10]));
        assert!(!distribution_is_empty(&summary(true).distribution));
    }

    #[test]
    fn the_radar_names_dimensions_in_the_interface_language() {
        let s = summary(true);
        let text = labels().text;
        let option = json_of(radar_chart(
            &s.dimensions,
            &s.mine,
            s.team.as_ref(),
            Locale::en,
            &text,
        ));
        let indicators = option["radar"][0]["indicator"].as_array().unwrap();
        assert_eq!(indicators[0]["name"], "Attitude");
        assert_eq!(indicators[1]["name"], "Responsiveness");
        assert_eq!(indicators[0]["max"], 5.0);
        let series = option["series"].as_array().unwrap();
        assert_eq!(series.len(), 2);
        assert_eq!(series[0]["data"][0]["value"], json!([4.46, 0.0]));
        assert_eq!(series[1]["data"][0]["value"], json!([4.0, 3.5]));
        assert_eq!(
            option["legend"]["data"],
            json!([{ "name": "我的" }, { "name": "团队平均" }])
        );

        let zh = json_of(radar_chart(
            &s.dimensions,
            &s.mine,
            None,
            Locale::zh_CN,
            &text,
        ));
        assert_eq!(zh["radar"][0]["indicator"][0]["name"], "服务态度");
        assert_eq!(zh["series"].as_array().unwrap().len(), 1);
        assert!(!radar_is_empty(&s.dimensions, &s.mine));
        assert!(radar_is_empty(&s.dimensions, &figures(vec![None, None])));
    }
}
