//! Chart options built from API data: pure functions of the data and the localized labels, so
//! they are tested without a browser; the `EChart` component renders them. One file per area,
//! and here the style they share: the palette, the title, the rounding and the image export.

pub mod analytics;
pub mod feedback;
pub mod reports;
pub mod response;
pub mod volume;

use charming::Chart;
use charming::component::{Axis, Feature, Grid, SaveAsImage, SaveAsImageType, Title, Toolbox};
use charming::element::{AxisType, NameLocation, TextStyle, Tooltip, Trigger};
use chrono::Datelike;
use pingjia_domain::Lang;
use pingjia_domain::analytics::{DimensionName, Granularity, Period, TagCount, tag_in};
use serde_json::{Value, json};

use crate::i18n::Locale;
use crate::labels::in_language;

/// Series colours, each with at least 3:1 contrast against the white chart background.
pub const PALETTE: [&str; 8] = [
    "#1f5fbf", "#b54708", "#146c3a", "#7a3db8", "#a11d5a", "#0e7490", "#4a5565", "#8a6d00",
];
/// The bars of dimensions that are not weak.
pub const STRONG_COLOUR: &str = "#1f5fbf";
/// The bars of weak dimensions (under 3).
pub const WEAK_COLOUR: &str = "#b42318";
/// Overall scores that open a callback, middle ones and satisfied ones.
pub const LOW_COLOUR: &str = "#b42318";
pub const MIDDLE_COLOUR: &str = "#8a6d00";
pub const HIGH_COLOUR: &str = "#146c3a";
/// Secondary text with at least 4.5:1 contrast on white.
pub const MUTED_TEXT: &str = "#4a5565";

/// The localized texts every chart has: its title, a subtitle (period, units) and the "save
/// as image" button's title and file name (without extension).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartText {
    pub title: String,
    pub subtitle: String,
    pub save_title: String,
    pub file_name: String,
}

/// A value rounded to `decimals` places for a chart's labels and tooltips.
pub fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}

/// A mean rounded to two decimals for a chart's labels and tooltips.
pub fn round2(value: f64) -> f64 {
    round(value, 2)
}

/// A chart's title with its subtitle (period, units) under it, at the top left.
pub fn title(title: &str, subtitle: &str) -> Title {
    Title::new()
        .text(title)
        .subtext(subtitle)
        .subtext_style(TextStyle::new().color(MUTED_TEXT))
        .left(0)
        .top(0)
}

/// A chart with its title and subtitle and a tooltip on `trigger` (an axis or an item).
pub fn titled(text: &str, subtitle: &str, trigger: Trigger) -> Chart {
    Chart::new()
        .title(title(text, subtitle))
        .tooltip(Tooltip::new().trigger(trigger))
}

/// The plot's area: `top` under the title and legend, `bottom` above the axis name, room
/// for the labels.
pub fn plot_grid(right: i64, top: i64, bottom: i64) -> Grid {
    Grid::new()
        .left(8)
        .right(right)
        .top(top)
        .bottom(bottom)
        .contain_label(true)
}

/// A category axis with its name centred `gap` pixels under (or beside) it.
pub fn category_axis(name: &str, gap: i32, data: Vec<String>) -> Axis {
    Axis::new()
        .type_(AxisType::Category)
        .name(name)
        .name_location(NameLocation::Middle)
        .name_gap(gap)
        .data(data)
}

/// A value axis with its name at its end, aligned left (its unit above the axis).
pub fn value_axis(name: &str) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .name(name)
        .name_location(NameLocation::End)
        .name_text_style(TextStyle::new().align("left"))
}

/// The chart as an ECharts option, with the toolbox's "save as image" button.
pub fn exportable(chart: Chart, text: &ChartText) -> Value {
    let chart = chart.toolbox(
        Toolbox::new().right(0).top(0).feature(
            Feature::new().save_as_image(
                SaveAsImage::new()
                    .type_(SaveAsImageType::Png)
                    .name(text.file_name.as_str())
                    .background_color("#ffffff"),
            ),
        ),
    );
    let mut option = serde_json::to_value(&chart).expect("a charming chart serialises to JSON");
    option["toolbox"]["feature"]["saveAsImage"]["title"] = json!(text.save_title);
    option
}

/// Shows every label of a category axis, wrapped instead of running off a phone's screen
/// (and slanted when there are many).
pub fn wrap_labels(option: &mut Value, axis: &str, width: u32, slant: bool) {
    let label = &mut option[axis]["axisLabel"];
    label["width"] = json!(width);
    label["overflow"] = json!("break");
    label["interval"] = json!(0);
    if slant {
        label["rotate"] = json!(30);
    }
}

/// How a bucket of a trend is named on the axis: `11-02` (a day), `11-02–11-08` (a week),
/// `2026-11` (a month).
pub fn bucket_label(bucket: Period, granularity: Granularity) -> String {
    match granularity {
        Granularity::Day => bucket.from.format("%m-%d").to_string(),
        Granularity::Week if bucket.from == bucket.to => bucket.from.format("%m-%d").to_string(),
        Granularity::Week => format!(
            "{}–{}",
            bucket.from.format("%m-%d"),
            bucket.to.format("%m-%d")
        ),
        Granularity::Month => format!("{}-{:02}", bucket.from.year(), bucket.from.month()),
    }
}

/// A dimension's name in the interface language.
pub fn dimension_name(locale: Locale, dimension: &DimensionName) -> String {
    in_language(locale, &dimension.name_zh, &dimension.name_en).to_owned()
}

/// A tag's name in `lang` (its English name on English pages when an admin gave it one), or
/// the "untagged" label for "".
pub fn tag_name(lang: Lang, tag: &TagCount, untagged: &str) -> String {
    if tag.tag.is_empty() {
        untagged.to_owned()
    } else {
        tag_in(lang, &tag.tag, tag.name_en.as_deref()).to_owned()
    }
}
