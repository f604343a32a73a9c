//! The charts of a weekly or monthly report: the core KPI trend over the last periods and the
//! complaints' share by tag, as ECharts options built from the report and the localized
//! labels (pure functions, tested without a browser). No option sets a tooltip formatter
//! function, so ECharts escapes every name it shows; the axis labels use ECharts' plain
//! `{value}` templates.

use charming::component::{Axis, Legend, LegendType};
use charming::datatype::{CompositeValue, DataPointItem};
use charming::element::{
    AxisLabel, AxisType, ItemStyle, Label, LineStyle, NameLocation, TextStyle, Trigger,
};
use charming::series::{Line, Pie};
use pingjia_domain::Lang;
use pingjia_domain::analytics::TagCount;
use pingjia_domain::reports::{ReportKind, ReportTrendPoint};
use serde_json::{Value, json};

use super::{PALETTE, category_axis, plot_grid, round, tag_name, titled, value_axis};

/// How a period of the trend is named on the axis: `W42` (a week) or `2026-06` (a month).
pub fn period_label(kind: ReportKind, key: &str) -> String {
    match kind {
        ReportKind::Week => key
            .split_once('-')
            .map_or_else(|| key.to_owned(), |(_, week)| week.to_owned()),
        ReportKind::Month => key.to_owned(),
    }
}

/// The localized texts of the KPI trend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrendLabels {
    pub title: String,
    pub subtitle: String,
    pub x_axis: String,
    /// The left axis: the average total score (1-5).
    pub score_axis: String,
    /// The right axis: the rates (%).
    pub rate_axis: String,
    pub average_total: String,
    pub attainment: String,
    pub on_time: String,
    pub first_contact: String,
}

/// Whether no period of the trend has an evaluation or a known rate.
pub fn trend_is_empty(trend: &[ReportTrendPoint]) -> bool {
    trend.iter().all(|p| {
        p.evaluations == 0
            && p.average_total.is_none()
            && p.attainment_rate.is_none()
            && p.on_time_rate.is_none()
            && p.first_contact_rate.is_none()
    })
}

/// The core KPIs per period: the average total score (1-5, left axis, thicker) and the
/// attainment, on-time and first-contact rates (%, right axis); an unknown value is a gap.
pub fn trend_chart(kind: ReportKind, trend: &[ReportTrendPoint], labels: &TrendLabels) -> Value {
    let categories: Vec<String> = trend.iter().map(|p| period_label(kind, &p.key)).collect();
    let line = |name: &str, values: Vec<Option<f64>>, colour: &str, axis: f64, width: i32| {
        let data: Vec<CompositeValue> = values.into_iter().map(CompositeValue::from).collect();
        Line::new()
            .name(name)
            .y_axis_index(axis)
            .connect_nulls(false)
            .item_style(ItemStyle::new().color(colour))
            .line_style(LineStyle::new().color(colour).width(width))
            .data(data)
    };
    let rate = |get: fn(&ReportTrendPoint) -> Option<f64>| -> Vec<Option<f64>> {
        trend
            .iter()
            .map(|p| get(p).map(|r| round(r * 100.0, 1)))
            .collect()
    };
    let chart = titled(&labels.title, &labels.subtitle, Trigger::Axis)
        .legend(Legend::new().type_(LegendType::Scroll).top(48).left(0))
        .grid(plot_grid(8, 116, 32))
        .x_axis(category_axis(labels.x_axis.as_str(), 28, categories))
        .y_axis(value_axis(labels.score_axis.as_str()).min(1).max(5))
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .position("right")
                .min(0)
                .max(100)
                .name(labels.rate_axis.as_str())
                .name_location(NameLocation::End)
                .name_text_style(TextStyle::new().align("right"))
                .axis_label(AxisLabel::new().formatter("{value}%")),
        )
        .series(line(
            &labels.average_total,
            trend
                .iter()
                .map(|p| p.average_total.map(|a| round(a, 2)))
                .collect(),
            PALETTE[0],
            0.0,
            3,
        ))
        .series(line(
            &labels.attainment,
            rate(|p| p.attainment_rate),
            PALETTE[1],
            1.0,
            2,
        ))
        .series(line(
            &labels.on_time,
            rate(|p| p.on_time_rate),
            PALETTE[2],
            1.0,
            2,
        ))
        .series(line(
            &labels.first_contact,
            rate(|p| p.first_contact_rate),
            PALETTE[3],
            1.0,
            2,
        ));
    let mut option = serde_json::to_value(&chart).expect("a charming chart serialises to JSON");
    // Printed as an image: drawn at once, without the opening animation.
    option["animation"] = json!(false);
    option
}

/// The localized texts of the complaint pie.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComplaintLabels {
    pub title: String,
    pub subtitle: String,
    /// What a slice counts, e.g. "投诉（条）".
    pub series: String,
    /// The slice of complaints without a tag.
    pub untagged: String,
    /// The language of the tags' names.
    pub lang: Lang,
}

/// Whether there is no complaint to share out.
pub fn complaints_are_empty(tags: &[TagCount]) -> bool {
    tags.iter().all(|t| t.count == 0)
}

/// The complaints' share by tag, largest first, each slice labelled with its name and share.
pub fn complaint_pie(tags: &[TagCount], labels: &ComplaintLabels) -> Value {
    let data: Vec<DataPointItem> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| {
            DataPointItem::new(i64::try_from(t.count).unwrap_or(i64::MAX))
                .name(tag_name(labels.lang, t, &labels.untagged))
                .item_style(ItemStyle::new().color(PALETTE[i % PALETTE.len()]))
        })
        .collect();
    let chart = titled(&labels.title, &labels.subtitle, Trigger::Item)
        .legend(Legend::new().type_(LegendType::Scroll).bottom(0).left(0))
        .series(
            Pie::new()
                .name(labels.series.as_str())
                .radius(vec!["30%", "58%"])
                .center(vec!["50%", "55%"])
                .label(Label::new().show(true).formatter("{b}\n{d}%"))
                .data(data),
        );
    let mut option = serde_json::to_value(&chart).expect("a charming chart serialises to JSON");
    // Printed as an image: drawn at once, without the opening animation.
    option["animation"] = json!(false);
    option
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingjia_domain::analytics::Period;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn point(key: &str, total: Option<f64>, rate: Option<f64>) -> ReportTrendPoint {
        let day = "2026-11-16".parse().unwrap();
        ReportTrendPoint {
            key: key.into(),
            period: Period { from: day, to: day },
            evaluations: u64::from(total.is_some()),
            average_total: total,
            attainment_rate: rate,
            on_time_rate: rate,
            first_contact_rate: None,
            response_rate: None,
        }
    }

    #[test]
    fn periods_are_named_short_on_the_axis() {
        assert_eq!(period_label(ReportKind::Week, "2026-W42"), "W42");
        assert_eq!(period_label(ReportKind::Month, "2026-06"), "2026-06");
    }

    #[test]
    fn the_trend_puts_scores_left_and_rates_right_in_percent() {
        let trend = vec![
            point("2026-W46", None, None),
            point("2026-W47", Some(4.256), Some(0.8)),
        ];
        let labels = TrendLabels {
            average_total: "平均综合得分".into(),
            attainment: "满意度达标率".into(),
            ..TrendLabels::default()
        };
        let option = trend_chart(ReportKind::Week, &trend, &labels);
        assert_eq!(option["xAxis"]["data"], json!(["W46", "W47"]));
        assert_eq!(option["yAxis"][1]["position"], "right");
        let series = option["series"].as_array().unwrap();
        assert_eq!(series.len(), 4);
        assert_eq!(series[0]["name"], "平均综合得分");
        assert_eq!(series[0]["data"], json!([null, 4.26]));
        assert_eq!(series[1]["yAxisIndex"], 1.0);
        assert_eq!(series[1]["data"], json!([null, 80.0]));
        assert!(!trend_is_empty(&trend));
        assert!(trend_is_empty(&trend[..1]));
    }

    #[test]
    fn the_pie_names_untagged_complaints() {
        let tags = vec![
            TagCount {
                tag: "态度".into(),
                name_en: Some("Attitude".into()),
                count: 3,
            },
            TagCount {
                tag: String::new(),
                name_en: None,
                count: 1,
            },
        ];
        let labels = ComplaintLabels {
            untagged: "未分类".into(),
            ..ComplaintLabels::default()
        };
        let option = complaint_pie(&tags, &labels);
        assert_eq!(option["series"][0]["data"][0]["name"], "态度");
        assert_eq!(option["series"][0]["data"][1]["name"], "未分类");
        let english = ComplaintLabels {
            untagged: "Untagged".into(),
            lang: Lang::En,
            ..ComplaintLabels::default()
        };
        let option = complaint_pie(&tags, &english);
        assert_eq!(option["series"][0]["data"][0]["name"], "Attitude");
        assert_eq!(option["series"][0]["data"][1]["name"], "Untagged");
        assert!(!complaints_are_empty(&tags));
        assert!(complaints_are_empty(&[]));
    }
}
