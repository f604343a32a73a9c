//! The admin analytics charts: ECharts options built from the reports and the localized
//! labels, as pure functions tested without a browser, and what a click on each chart's
//! elements drills down to.
//!
//! Every option has a title, named axes with their units, a legend and the toolbox's "save as
//! image" button (its title and file name localized: charming's `SaveAsImage` has no title, so
//! it is set on the JSON). No option sets a tooltip formatter, so ECharts escapes every name
//! it shows; the word cloud, which shows customers' words, draws its tooltip as rich text.

use charming::Chart;
use charming::component::{
    Axis, Feature, Grid, Legend, LegendType, RadarAxisName, RadarCoordinate, SaveAsImage,
    SaveAsImageType, Title, Toolbox,
};
use charming::datatype::{CompositeValue, DataPointItem};
use charming::element::{
    AreaStyle, AxisType, ItemStyle, Label, LabelPosition, LineStyle, NameLocation, TextStyle,
    Tooltip, Trigger,
};
use charming::series::{Bar, Line, Pie, Radar};
use chrono::Datelike;
use pingjia_domain::analytics::{
    AgentReport, AgentStat, AnalyticsFilter, DimensionName, DimensionReport, DistributionReport,
    DrillFilter, Granularity, Period, SegmentReport, SegmentSeries, Sentiment, TeamAverages,
    TrendReport, TrendSeries, WordReport,
};
use pingjia_domain::wire::{Channel, CustomerType};
use serde_json::{Value, json};

use crate::i18n::Locale;
use crate::labels::in_language;

/// Series colours, each with at least 3:1 contrast against the white chart background.
pub const PALETTE: [&str; 8] = [
    "#1f5fbf", "#b54708", "#146c3a", "#7a3db8", "#a11d5a", "#0e7490", "#4a5565", "#8a6d00",
];
/// The bars of dimensions that are not weak.
const STRONG_COLOUR: &str = "#1f5fbf";
/// The bars of weak dimensions (under 3).
const WEAK_COLOUR: &str = "#b42318";
/// Overall scores that open a callback, middle ones and satisfied ones.
const LOW_COLOUR: &str = "#b42318";
const MIDDLE_COLOUR: &str = "#8a6d00";
const HIGH_COLOUR: &str = "#146c3a";
/// Secondary text with at least 4.5:1 contrast on white.
const MUTED_TEXT: &str = "#4a5565";
/// Where the plot starts under the title, subtitle and legend.
const PLOT_TOP: i64 = 116;

/// The localized texts every chart has: its title, a subtitle (period, units) and the "save
/// as image" button's title and file name (without extension).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartText {
    pub title: String,
    pub subtitle: String,
    pub save_title: String,
    pub file_name: String,
}

/// A mean rounded to two decimals for the chart's labels and tooltips.
fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn title(text: &ChartText) -> Title {
    Title::new()
        .text(text.title.as_str())
        .subtext(text.subtitle.as_str())
        .subtext_style(TextStyle::new().color(MUTED_TEXT))
        .left(0)
        .top(0)
}

/// The chart as an ECharts option, with the toolbox's "save as image" button.
fn exportable(chart: Chart, text: &ChartText) -> Value {
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
fn wrap_labels(option: &mut Value, axis: &str, width: u32, slant: bool) {
    let label = &mut option[axis]["axisLabel"];
    label["width"] = json!(width);
    label["overflow"] = json!("break");
    label["interval"] = json!(0);
    if slant {
        label["rotate"] = json!(30);
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Score trend

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

/// The localized texts of the trend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrendLabels {
    pub text: ChartText,
    pub x_axis: String,
    pub y_axis: String,
    /// The overall line's name.
    pub overall: String,
    /// The name of the line of agents without a team.
    pub no_team: String,
}

/// Whether the trend has no evaluation in any bucket.
pub fn trend_is_empty(report: &TrendReport) -> bool {
    report.overall.counts.iter().all(|&c| c == 0)
}

/// A team line's name: the team's, or the "no team" label.
pub fn team_series_name(series: &TrendSeries, labels: &TrendLabels) -> String {
    if series.name.is_empty() {
        labels.no_team.clone()
    } else {
        series.name.clone()
    }
}

/// The average total score per bucket: the overall line (series 0, thicker) and one line per
/// team; a bucket without evaluations is a gap.
pub fn trend_chart(report: &TrendReport, labels: &TrendLabels) -> Value {
    let categories: Vec<String> = report
        .buckets
        .iter()
        .map(|b| bucket_label(*b, report.granularity))
        .collect();
    let line = |name: String, averages: &[Option<f64>], colour: &str, width: i32| {
        let data: Vec<CompositeValue> = averages
            .iter()
            .map(|a| CompositeValue::from(a.map(round2)))
            .collect();
        Line::new()
            .name(name)
            .item_style(ItemStyle::new().color(colour))
            .line_style(LineStyle::new().color(colour).width(width))
            .data(data)
    };
    let mut chart = Chart::new()
        .title(title(&labels.text))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().type_(LegendType::Scroll).top(48).left(0))
        .grid(
            Grid::new()
                .left(8)
                .right(24)
                .top(PLOT_TOP)
                .bottom(32)
                .contain_label(true),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .boundary_gap(false)
                .name(labels.x_axis.as_str())
                .name_location(NameLocation::Middle)
                .name_gap(28)
                .data(categories),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(1)
                .max(5)
                .name(labels.y_axis.as_str())
                .name_location(NameLocation::End)
                .name_text_style(TextStyle::new().align("left")),
        )
        .series(line(
            labels.overall.clone(),
            &report.overall.averages,
            PALETTE[0],
            3,
        ));
    for (i, team) in report.teams.iter().enumerate() {
        let colour = PALETTE[1 + i % (PALETTE.len() - 1)];
        chart = chart.series(line(
            team_series_name(team, labels),
            &team.averages,
            colour,
            2,
        ));
    }
    exportable(chart, &labels.text)
}

/// A click on the trend: the bucket's period, and the team of a team's line.
pub fn trend_drill(
    report: &TrendReport,
    filter: &AnalyticsFilter,
    series_index: usize,
    data_index: usize,
) -> Option<(AnalyticsFilter, DrillFilter)> {
    let bucket = report.buckets.get(data_index)?;
    let mut narrowed = AnalyticsFilter {
        from: Some(bucket.from),
        to: Some(bucket.to),
        ..filter.clone()
    };
    if series_index > 0 {
        let team = report.teams.get(series_index - 1)?;
        if let Some(id) = team.team_id {
            narrowed.team = Some(id);
        }
    }
    Some((narrowed, DrillFilter::default()))
}

// ---------------------------------------------------------------------------------------------
// 2. Dimension ranking

/// The localized texts of the dimension ranking.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DimensionLabels {
    pub text: ChartText,
    pub value_axis: String,
    /// The series of dimensions at or above 3.
    pub strong: String,
    /// The series of dimensions under 3.
    pub weak: String,
    /// Appended to a weak dimension's name, e.g. "（低于 3 分）".
    pub weak_suffix: String,
}

/// A dimension's name in the interface language.
pub fn dimension_name(locale: Locale, dimension: &DimensionName) -> String {
    in_language(locale, &dimension.name_zh, &dimension.name_en).to_owned()
}

/// The ranking as horizontal bars, strongest at the top: the weak ones (under 3) in another
/// colour, in their own legend entry, and said in their name.
pub fn dimension_chart(
    report: &DimensionReport,
    locale: Locale,
    labels: &DimensionLabels,
) -> Value {
    let names: Vec<String> = report
        .dimensions
        .iter()
        .map(|d| {
            let name = dimension_name(locale, &d.dimension);
            if d.weak {
                format!("{name}{}", labels.weak_suffix)
            } else {
                name
            }
        })
        .collect();
    let part = |weak: bool| -> Vec<CompositeValue> {
        report
            .dimensions
            .iter()
            .map(|d| CompositeValue::from((d.weak == weak).then(|| round2(d.average))))
            .collect()
    };
    let bar = |name: &str, weak: bool, colour: &str| {
        Bar::new()
            .name(name)
            .stack("dimension")
            .item_style(ItemStyle::new().color(colour))
            .label(Label::new().show(true).position(LabelPosition::Right))
            .data(part(weak))
    };
    let chart = Chart::new()
        .title(title(&labels.text))
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().top(48).left(0))
        .grid(
            Grid::new()
                .left(8)
                .right(40)
                .top(PLOT_TOP)
                .bottom(32)
                .contain_label(true),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(0)
                .max(5)
                .name(labels.value_axis.as_str())
                .name_location(NameLocation::Middle)
                .name_gap(28),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .inverse(true)
                .data(names),
        )
        .series(bar(&labels.strong, false, STRONG_COLOUR))
        .series(bar(&labels.weak, true, WEAK_COLOUR));
    let mut option = exportable(chart, &labels.text);
    wrap_labels(&mut option, "yAxis", 96, false);
    option
}

/// A click on a dimension's bar: that dimension.
pub fn dimension_drill(report: &DimensionReport, data_index: usize) -> Option<DrillFilter> {
    let stat = report.dimensions.get(data_index)?;
    Some(DrillFilter {
        dimension: Some(stat.dimension.code.clone()),
        ..DrillFilter::default()
    })
}

// ---------------------------------------------------------------------------------------------
// 3. Segments

/// Which split of the evaluations the segment chart compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SegmentKind {
    /// New, returning and member customers.
    #[default]
    CustomerType,
    /// Online and offline.
    Channel,
}

impl SegmentKind {
    pub const ALL: [SegmentKind; 2] = [SegmentKind::CustomerType, SegmentKind::Channel];

    /// The report's series of this split.
    pub fn series(self, report: &SegmentReport) -> &[SegmentSeries] {
        match self {
            SegmentKind::CustomerType => &report.customer_types,
            SegmentKind::Channel => &report.channels,
        }
    }
}

/// The localized texts of the segment chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SegmentLabels {
    pub text: ChartText,
    pub x_axis: String,
    pub y_axis: String,
}

/// Whether the split has no evaluation in any group.
pub fn segments_are_empty(report: &SegmentReport, kind: SegmentKind) -> bool {
    kind.series(report).iter().all(|s| s.count == 0) || report.dimensions.is_empty()
}

/// One group's mean per dimension as grouped bars; `segment_name` names a group by its code
/// (`new`, `online`…).
pub fn segment_chart(
    report: &SegmentReport,
    kind: SegmentKind,
    locale: Locale,
    labels: &SegmentLabels,
    segment_name: impl Fn(&str) -> String,
) -> Value {
    let names: Vec<String> = report
        .dimensions
        .iter()
        .map(|d| dimension_name(locale, d))
        .collect();
    let mut chart = Chart::new()
        .title(title(&labels.text))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(48).left(0))
        .grid(
            Grid::new()
                .left(8)
                .right(24)
                .top(PLOT_TOP)
                .bottom(40)
                .contain_label(true),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .name(labels.x_axis.as_str())
                .name_location(NameLocation::Middle)
                .name_gap(48)
                .data(names),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(0)
                .max(5)
                .name(labels.y_axis.as_str())
                .name_location(NameLocation::End)
                .name_text_style(TextStyle::new().align("left")),
        );
    for (i, series) in kind.series(report).iter().enumerate() {
        let data: Vec<CompositeValue> = series
            .averages
            .iter()
            .map(|a| CompositeValue::from(a.map(round2)))
            .collect();
        let colour = PALETTE[i % PALETTE.len()];
        chart = chart.series(
            Bar::new()
                .name(segment_name(&series.segment))
                .item_style(ItemStyle::new().color(colour))
                .data(data),
        );
    }
    let mut option = exportable(chart, &labels.text);
    wrap_labels(&mut option, "xAxis", 72, report.dimensions.len() > 4);
    option
}

/// A click on a group's bar: its dimension, and the group as the filter's customer type or
/// channel.
pub fn segment_drill(
    report: &SegmentReport,
    kind: SegmentKind,
    filter: &AnalyticsFilter,
    series_index: usize,
    data_index: usize,
) -> Option<(AnalyticsFilter, DrillFilter)> {
    let dimension = report.dimensions.get(data_index)?;
    let segment = kind.series(report).get(series_index)?;
    let mut narrowed = filter.clone();
    match kind {
        SegmentKind::CustomerType => {
            narrowed.customer_type = Some(CustomerType::parse(&segment.segment)?);
        }
        SegmentKind::Channel => {
            narrowed.channel = Some(Channel::parse(&segment.segment)?);
        }
    }
    let drill = DrillFilter {
        dimension: Some(dimension.code.clone()),
        ..DrillFilter::default()
    };
    Some((narrowed, drill))
}

// ---------------------------------------------------------------------------------------------
// 4. Overall score distribution and complaints by tag

/// The localized texts of the overall score distribution.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DistributionLabels {
    pub text: ChartText,
    pub x_axis: String,
    pub y_axis: String,
    /// The scores at or under the callback threshold, e.g. "需回访（≤6 分）".
    pub low: String,
    /// The scores between the thresholds.
    pub middle: String,
    /// The scores at or above the satisfaction threshold, e.g. "满意（≥8 分）".
    pub high: String,
    /// Overall 1-10 at or under this opens a callback.
    pub callback_threshold: u8,
    /// Overall 1-10 at or above this is satisfied.
    pub satisfaction_threshold: u8,
}

/// Whether no evaluation gave an overall score.
pub fn distribution_is_empty(report: &DistributionReport) -> bool {
    report.overall.iter().all(|&c| c == 0)
}

/// How many evaluations gave each overall score 1-10, coloured (and in the legend) by the
/// band it falls in.
pub fn distribution_chart(report: &DistributionReport, labels: &DistributionLabels) -> Value {
    let scores: Vec<String> = (1..=10).map(|s: u8| s.to_string()).collect();
    let band = |score: u8| {
        if score <= labels.callback_threshold {
            0
        } else if score >= labels.satisfaction_threshold {
            2
        } else {
            1
        }
    };
    let part = |which: u8| -> Vec<CompositeValue> {
        (1..=10u8)
            .map(|score| {
                let count = report
                    .overall
                    .get(usize::from(score - 1))
                    .copied()
                    .unwrap_or(0);
                let count = i64::try_from(count).unwrap_or(i64::MAX);
                CompositeValue::from((band(score) == which).then_some(count))
            })
            .collect()
    };
    let bar = |name: &str, which: u8, colour: &str| {
        Bar::new()
            .name(name)
            .stack("overall")
            .item_style(ItemStyle::new().color(colour))
            .label(Label::new().show(true).position(LabelPosition::Top))
            .data(part(which))
    };
    let chart = Chart::new()
        .title(title(&labels.text))
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().top(48).left(0))
        .grid(
            Grid::new()
                .left(8)
                .right(24)
                .top(PLOT_TOP)
                .bottom(32)
                .contain_label(true),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .name(labels.x_axis.as_str())
                .name_location(NameLocation::Middle)
                .name_gap(28)
                .data(scores),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min_interval(1)
                .name(labels.y_axis.as_str())
                .name_location(NameLocation::End)
                .name_text_style(TextStyle::new().align("left")),
        )
        .series(bar(&labels.low, 0, LOW_COLOUR))
        .series(bar(&labels.middle, 1, MIDDLE_COLOUR))
        .series(bar(&labels.high, 2, HIGH_COLOUR));
    exportable(chart, &labels.text)
}

/// A click on a score's bar: that overall score.
pub fn distribution_drill(data_index: usize) -> Option<DrillFilter> {
    let overall = u8::try_from(data_index + 1).ok().filter(|s| *s <= 10)?;
    Some(DrillFilter {
        overall: Some(overall),
        ..DrillFilter::default()
    })
}

/// The localized texts of the complaint pie.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComplaintLabels {
    pub text: ChartText,
    /// The series' name (what a slice counts), e.g. "投诉（条）".
    pub series: String,
    /// The slice of complaints without a tag.
    pub untagged: String,
}

/// A tag's name, or the "untagged" label for "".
pub fn tag_name(tag: &str, untagged: &str) -> String {
    if tag.is_empty() {
        untagged.to_owned()
    } else {
        tag.to_owned()
    }
}

/// Whether there is no complaint to share out.
pub fn complaints_are_empty(report: &DistributionReport) -> bool {
    report.complaint_tags.iter().all(|t| t.count == 0)
}

/// The complaints' share by tag, largest first, each slice labelled with its share.
pub fn complaint_pie(report: &DistributionReport, labels: &ComplaintLabels) -> Value {
    let data: Vec<DataPointItem> = report
        .complaint_tags
        .iter()
        .enumerate()
        .map(|(i, t)| {
            DataPointItem::new(i64::try_from(t.count).unwrap_or(i64::MAX))
                .name(tag_name(&t.tag, &labels.untagged))
                .item_style(ItemStyle::new().color(PALETTE[i % PALETTE.len()]))
        })
        .collect();
    let chart = Chart::new()
        .title(title(&labels.text))
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().type_(LegendType::Scroll).bottom(0).left(0))
        .series(
            Pie::new()
                .name(labels.series.as_str())
                .radius(vec!["30%", "58%"])
                .center(vec!["50%", "55%"])
                .label(Label::new().show(true).formatter("{b}\n{d}%"))
                .data(data),
        );
    exportable(chart, &labels.text)
}

/// A click on a tag's slice: that tag ("" for the untagged).
pub fn complaint_drill(report: &DistributionReport, data_index: usize) -> Option<DrillFilter> {
    let tag = report.complaint_tags.get(data_index)?;
    Some(DrillFilter {
        complaint_tag: Some(tag.tag.clone()),
        ..DrillFilter::default()
    })
}

// ---------------------------------------------------------------------------------------------
// 5. Agent radar

/// The localized texts of the agent radar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RadarLabels {
    pub text: ChartText,
    /// The team line's name, `%s` standing for the team's name, e.g. "%s 平均".
    pub team_average: String,
    /// The name of the team of agents without one.
    pub no_team: String,
}

/// The radar's agent: the one asked for when the report has them, else the first of the
/// leaderboard.
pub fn radar_agent<'a>(report: &'a AgentReport, wanted: Option<&str>) -> Option<&'a AgentStat> {
    wanted
        .and_then(|no| report.agents.iter().find(|a| a.agent_no == no))
        .or_else(|| report.agents.first())
}

/// The averages of the agent's team, if the report has them.
pub fn agent_team<'a>(report: &'a AgentReport, agent: &AgentStat) -> Option<&'a TeamAverages> {
    report.teams.iter().find(|t| t.team_id == agent.team_id)
}

/// An agent as the interface names them: name and employee number.
pub fn agent_label(agent: &AgentStat) -> String {
    format!("{} {}", agent.name, agent.agent_no)
}

/// The agent's mean per dimension (series 0) against their team's (series 1), from 0 to 5; a
/// dimension nobody answered counts 0.
pub fn radar_chart(
    report: &AgentReport,
    agent: &AgentStat,
    locale: Locale,
    labels: &RadarLabels,
) -> Value {
    let indicators: Vec<(String, f64, f64)> = report
        .dimensions
        .iter()
        .map(|d| (dimension_name(locale, d), 0.0, 5.0))
        .collect();
    let indicators: Vec<(&str, f64, f64)> = indicators
        .iter()
        .map(|(n, min, max)| (n.as_str(), *min, *max))
        .collect();
    let values = |means: &[Option<f64>]| -> Vec<f64> {
        (0..report.dimensions.len())
            .map(|i| round2(means.get(i).copied().flatten().unwrap_or(0.0)))
            .collect()
    };
    let mut lines = vec![(agent_label(agent), values(&agent.dimensions))];
    if let Some(team) = agent_team(report, agent) {
        let team_name = if team.name.is_empty() {
            labels.no_team.as_str()
        } else {
            team.name.as_str()
        };
        lines.push((
            labels.team_average.replace("%s", team_name),
            values(&team.dimensions),
        ));
    }
    let legend: Vec<String> = lines.iter().map(|(name, _)| name.clone()).collect();
    let chart = lines
        .into_iter()
        .zip(PALETTE)
        .fold(Chart::new(), |chart, ((name, values), colour)| {
            chart.series(
                Radar::new()
                    .name(name.as_str())
                    .line_style(LineStyle::new().color(colour).width(2))
                    .area_style(AreaStyle::new().opacity(0.12))
                    .data(vec![(values, name)]),
            )
        })
        .color(vec![PALETTE[0], PALETTE[1]])
        .title(title(&labels.text))
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().data(legend).bottom(0).left(0))
        .radar(
            RadarCoordinate::new()
                .indicator(indicators)
                .radius("58%")
                .center(vec!["50%", "55%"])
                // Long names ("Environment & convenience") wrap instead of leaving the canvas
                // at phone width.
                .name_gap(6)
                .axis_name(
                    RadarAxisName::new()
                        .width(72)
                        .overflow("break")
                        .font_size(11),
                ),
        );
    exportable(chart, &labels.text)
}

/// A click on the radar: the agent's line drills to the agent, the team's to the team.
pub fn radar_drill(
    report: &AgentReport,
    agent: &AgentStat,
    filter: &AnalyticsFilter,
    series_index: usize,
) -> AnalyticsFilter {
    let mut narrowed = filter.clone();
    match (
        series_index,
        agent_team(report, agent).and_then(|t| t.team_id),
    ) {
        (1, Some(team)) => {
            narrowed.team = Some(team);
            narrowed.agent = None;
        }
        _ => narrowed.agent = Some(agent.agent_no.clone()),
    }
    narrowed
}

// ---------------------------------------------------------------------------------------------
// Word cloud

/// The localized texts of the word cloud.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordLabels {
    pub text: ChartText,
    /// The series' name (what a word's size counts), e.g. "提及的评价数".
    pub series: String,
}

/// The word cloud: raw JSON (charming has no word-cloud series), each term sized by the
/// evaluations that mention it, its tooltip drawn as rich text (customers' words are never
/// HTML).
pub fn word_cloud(report: &WordReport, labels: &WordLabels) -> Value {
    let data: Vec<Value> = report
        .terms
        .iter()
        .enumerate()
        .map(|(i, term)| {
            json!({
                "name": term.term,
                "value": term.count,
                "textStyle": { "color": PALETTE[i % PALETTE.len()] },
            })
        })
        .collect();
    let text = &labels.text;
    json!({
        "title": [{
            "text": text.title,
            "subtext": text.subtitle,
            "subtextStyle": { "color": MUTED_TEXT },
            "left": 0,
            "top": 0,
        }],
        "toolbox": {
            "right": 0,
            "top": 0,
            "feature": {
                "saveAsImage": {
                    "type": "png",
                    "name": text.file_name,
                    "title": text.save_title,
                    "backgroundColor": "#ffffff",
                },
            },
        },
        "tooltip": { "show": true, "renderMode": "richText" },
        "series": [{
            "type": "wordCloud",
            "name": labels.series,
            "shape": "circle",
            "left": "center",
            "top": 84,
            "width": "96%",
            "height": "78%",
            "sizeRange": [14, 44],
            "rotationRange": [0, 0],
            "gridSize": 8,
            "drawOutOfBound": false,
            "layoutAnimation": false,
            "textStyle": { "fontWeight": "bold" },
            "emphasis": { "focus": "self" },
            "data": data,
        }],
    })
}

/// A click on a word: the evaluations whose suggestion contains it, in the cloud's sentiment.
pub fn word_drill(word: &str, sentiment: Sentiment) -> DrillFilter {
    DrillFilter {
        word: Some(word.to_owned()),
        sentiment: Some(sentiment),
        ..DrillFilter::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingjia_domain::analytics::{DimensionStat, TagCount, TermCount};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    fn period(from: &str, to: &str) -> Period {
        Period {
            from: day(from),
            to: day(to),
        }
    }

    fn text(title: &str) -> ChartText {
        ChartText {
            title: title.into(),
            subtitle: "2026-11-01 – 2026-11-30".into(),
            save_title: "保存为图片".into(),
            file_name: "pingjia-chart".into(),
        }
    }

    fn name(code: &str, zh: &str, en: &str) -> DimensionName {
        DimensionName {
            code: code.into(),
            name_zh: zh.into(),
            name_en: en.into(),
        }
    }

    fn trend() -> TrendReport {
        TrendReport {
            period: period("2026-10-29", "2026-11-10"),
            granularity: Granularity::Week,
            buckets: vec![
                period("2026-10-29", "2026-11-01"),
                period("2026-11-02", "2026-11-08"),
                period("2026-11-09", "2026-11-10"),
            ],
            overall: TrendSeries {
                team_id: None,
                name: String::new(),
                averages: vec![Some(4.333_33), None, Some(3.5)],
                counts: vec![3, 0, 2],
            },
            teams: vec![
                TrendSeries {
                    team_id: Some(7),
                    name: "一组".into(),
                    averages: vec![Some(4.5), None, Some(3.5)],
                    counts: vec![2, 0, 2],
                },
                TrendSeries {
                    team_id: None,
                    name: String::new(),
                    averages: vec![Some(4.0), None, None],
                    counts: vec![1, 0, 0],
                },
            ],
        }
    }

    fn trend_labels() -> TrendLabels {
        TrendLabels {
            text: text("评分趋势"),
            x_axis: "周".into(),
            y_axis: "平均综合得分（分）".into(),
            overall: "全部".into(),
            no_team: "未分组".into(),
        }
    }

    #[test]
    fn buckets_are_named_by_their_granularity() {
        let week = period("2026-11-02", "2026-11-08");
        assert_eq!(bucket_label(week, Granularity::Day), "11-02");
        assert_eq!(bucket_label(week, Granularity::Week), "11-02–11-08");
        assert_eq!(
            bucket_label(period("2026-11-10", "2026-11-10"), Granularity::Week),
            "11-10"
        );
        assert_eq!(
            bucket_label(period("2026-10-29", "2026-10-31"), Granularity::Month),
            "2026-10"
        );
    }

    #[test]
    fn the_trend_draws_overall_then_each_team_with_gaps_and_a_save_button() {
        let option = trend_chart(&trend(), &trend_labels());
        assert_eq!(option["title"][0]["text"], "评分趋势");
        assert_eq!(option["xAxis"]["name"], "周");
        assert_eq!(option["yAxis"]["name"], "平均综合得分（分）");
        assert_eq!(
            option["xAxis"]["data"],
            json!(["10-29–11-01", "11-02–11-08", "11-09–11-10"])
        );
        let series = option["series"].as_array().unwrap();
        let names: Vec<&str> = series.iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["全部", "一组", "未分组"]);
        assert_eq!(series[0]["type"], "line");
        assert_eq!(series[0]["data"], json!([4.33, null, 3.5]));
        assert!(option["legend"].is_object());
        let save = &option["toolbox"]["feature"]["saveAsImage"];
        assert_eq!(save["title"], "保存为图片");
        assert_eq!(save["name"], "pingjia-chart");
        assert_eq!(save["type"], "png");
        assert!(option["tooltip"].get("formatter").is_none());
        assert!(!trend_is_empty(&trend()));
        let mut empty = trend();
        empty.overall.counts = vec![0, 0, 0];
        assert!(trend_is_empty(&empty));
    }

    #[test]
    fn a_trend_point_drills_to_its_bucket_and_team() {
        let filter = AnalyticsFilter {
            channel: Some(Channel::Online),
            ..AnalyticsFilter::default()
        };
        let (overall, drill) = trend_drill(&trend(), &filter, 0, 1).unwrap();
        assert_eq!(overall.from, Some(day("2026-11-02")));
        assert_eq!(overall.to, Some(day("2026-11-08")));
        assert_eq!(overall.team, None);
        assert_eq!(overall.channel, Some(Channel::Online));
        assert_eq!(drill, DrillFilter::default());
        let (team, _) = trend_drill(&trend(), &filter, 1, 2).unwrap();
        assert_eq!(team.team, Some(7));
        assert_eq!(team.to, Some(day("2026-11-10")));
        // The line of agents without a team cannot be filtered by team: the period only.
        let (no_team, _) = trend_drill(&trend(), &filter, 2, 0).unwrap();
        assert_eq!(no_team.team, None);
        assert!(trend_drill(&trend(), &filter, 0, 9).is_none());
        assert!(trend_drill(&trend(), &filter, 5, 0).is_none());
    }

    fn dimensions() -> DimensionReport {
        let stat = |code: &str, zh: &str, en: &str, average: f64| DimensionStat {
            dimension: name(code, zh, en),
            average,
            count: 4,
            weak: average < 3.0,
        };
        DimensionReport {
            period: period("2026-11-01", "2026-11-30"),
            dimensions: vec![
                stat("attitude", "服务态度", "Attitude", 4.625),
                stat("resolution", "问题解决", "Resolution", 3.0),
                stat("compliance", "服务规范性", "Compliance", 2.5),
            ],
        }
    }

    fn dimension_labels() -> DimensionLabels {
        DimensionLabels {
            text: text("维度排名"),
            value_axis: "平均分（1-5 分）".into(),
            strong: "3 分及以上".into(),
            weak: "低于 3 分".into(),
            weak_suffix: "（低于 3 分）".into(),
        }
    }

    #[test]
    fn the_ranking_marks_weak_dimensions_in_name_colour_and_legend() {
        let option = dimension_chart(&dimensions(), Locale::zh_CN, &dimension_labels());
        assert_eq!(
            option["yAxis"]["data"],
            json!(["服务态度", "问题解决", "服务规范性（低于 3 分）"])
        );
        assert_eq!(option["yAxis"]["inverse"], true, "strongest at the top");
        assert_eq!(option["xAxis"]["name"], "平均分（1-5 分）");
        let series = option["series"].as_array().unwrap();
        assert_eq!(series[0]["name"], "3 分及以上");
        assert_eq!(series[0]["data"], json!([4.63, 3.0, null]));
        assert_eq!(series[0]["itemStyle"]["color"], STRONG_COLOUR);
        assert_eq!(series[1]["name"], "低于 3 分");
        assert_eq!(series[1]["data"], json!([null, null, 2.5]));
        assert_eq!(series[1]["itemStyle"]["color"], WEAK_COLOUR);
        assert_ne!(STRONG_COLOUR, WEAK_COLOUR);
        let english = dimension_chart(&dimensions(), Locale::en, &dimension_labels());
        assert_eq!(english["yAxis"]["data"][0], "Attitude");
        assert_eq!(
            dimension_drill(&dimensions(), 2)
                .unwrap()
                .dimension
                .as_deref(),
            Some("compliance")
        );
        assert!(dimension_drill(&dimensions(), 3).is_none());
    }

    fn segments() -> SegmentReport {
        let series = |segment: &str, averages: Vec<Option<f64>>, count| SegmentSeries {
            segment: segment.into(),
            averages,
            count,
        };
        SegmentReport {
            period: period("2026-11-01", "2026-11-30"),
            dimensions: vec![
                name("attitude", "服务态度", "Attitude"),
                name("speed", "响应速度", "Speed"),
            ],
            customer_types: vec![
                series("new", vec![Some(4.0), Some(3.0)], 2),
                series("returning", vec![None, None], 0),
                series("member", vec![Some(5.0), Some(4.5)], 1),
            ],
            channels: vec![
                series("online", vec![Some(4.5), Some(3.75)], 3),
                series("offline", vec![None, None], 0),
            ],
        }
    }

    #[test]
    fn segments_group_each_dimension_by_customer_type_or_channel() {
        let labels = SegmentLabels {
            text: text("客户类型对比"),
            x_axis: "评价维度".into(),
            y_axis: "平均分（分）".into(),
        };
        let named = |code: &str| format!("[{code}]");
        let option = segment_chart(
            &segments(),
            SegmentKind::CustomerType,
            Locale::zh_CN,
            &labels,
            named,
        );
        assert_eq!(option["xAxis"]["data"], json!(["服务态度", "响应速度"]));
        let series = option["series"].as_array().unwrap();
        let names: Vec<&str> = series.iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["[new]", "[returning]", "[member]"]);
        assert_eq!(series[1]["data"], json!([null, null]));
        assert_eq!(series[2]["data"], json!([5.0, 4.5]));
        let channels = segment_chart(
            &segments(),
            SegmentKind::Channel,
            Locale::en,
            &labels,
            named,
        );
        assert_eq!(channels["series"].as_array().unwrap().len(), 2);
        assert_eq!(channels["xAxis"]["data"][1], "Speed");

        let (filter, drill) = segment_drill(
            &segments(),
            SegmentKind::CustomerType,
            &AnalyticsFilter::default(),
            2,
            1,
        )
        .unwrap();
        assert_eq!(filter.customer_type, Some(CustomerType::Member));
        assert_eq!(drill.dimension.as_deref(), Some("speed"));
        let (filter, _) = segment_drill(
            &segments(),
            SegmentKind::Channel,
            &AnalyticsFilter::default(),
            1,
            0,
        )
        .unwrap();
        assert_eq!(filter.channel, Some(Channel::Offline));
        assert!(!segments_are_empty(&segments(), SegmentKind::Channel));
        let mut none = segments();
        none.channels.iter_mut().for_each(|s| s.count = 0);
        assert!(segments_are_empty(&none, SegmentKind::Channel));
    }

    fn distribution() -> DistributionReport {
        DistributionReport {
            period: period("2026-11-01", "2026-11-30"),
            overall: vec![1, 0, 0, 2, 0, 1, 3, 4, 0, 5],
            complaints: 5,
            complaint_tags: vec![
                TagCount {
                    tag: "物流延误".into(),
                    count: 3,
                },
                TagCount {
                    tag: String::new(),
                    count: 2,
                },
            ],
        }
    }

    #[test]
    fn the_distribution_bands_scores_by_the_thresholds() {
        let labels = DistributionLabels {
            text: text("总体满意度分布"),
            x_axis: "总体满意度（分）".into(),
            y_axis: "评价数（条）".into(),
            low: "需回访（≤6 分）".into(),
            middle: "一般".into(),
            high: "满意（≥8 分）".into(),
            callback_threshold: 6,
            satisfaction_threshold: 8,
        };
        let option = distribution_chart(&distribution(), &labels);
        assert_eq!(
            option["xAxis"]["data"],
            json!(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"])
        );
        let series = option["series"].as_array().unwrap();
        assert_eq!(series[0]["name"], "需回访（≤6 分）");
        assert_eq!(
            series[0]["data"],
            json!([1, 0, 0, 2, 0, 1, null, null, null, null])
        );
        assert_eq!(
            series[1]["data"],
            json!([null, null, null, null, null, null, 3, null, null, null])
        );
        assert_eq!(
            series[2]["data"],
            json!([null, null, null, null, null, null, null, 4, 0, 5])
        );
        assert_eq!(distribution_drill(9).unwrap().overall, Some(10));
        assert!(distribution_drill(10).is_none());
        assert!(!distribution_is_empty(&distribution()));
    }

    #[test]
    fn the_complaint_pie_names_untagged_complaints() {
        let labels = ComplaintLabels {
            text: text("投诉标签占比"),
            series: "投诉（条）".into(),
            untagged: "未标记".into(),
        };
        let option = complaint_pie(&distribution(), &labels);
        let pie = &option["series"][0];
        assert_eq!(pie["type"], "pie");
        assert_eq!(pie["data"][0]["name"], "物流延误");
        assert_eq!(pie["data"][0]["value"], 3);
        assert_eq!(pie["data"][1]["name"], "未标记");
        assert_eq!(
            complaint_drill(&distribution(), 1).unwrap().complaint_tag,
            Some(String::new())
        );
        assert!(!complaints_are_empty(&distribution()));
        let mut none = distribution();
        none.complaint_tags.clear();
        assert!(complaints_are_empty(&none));
    }

    fn agents() -> AgentReport {
        let agent = |no: &str, name: &str, team: Option<i64>, dims: Vec<Option<f64>>| AgentStat {
            agent_no: no.into(),
            name: name.into(),
            team_id: team,
            team_name: team.map(|_| "一组".into()),
            count: 3,
            average_total: Some(4.0),
            average_overall: Some(8.0),
            attainment_rate: Some(0.5),
            dimensions: dims,
        };
        AgentReport {
            period: period("2026-11-01", "2026-11-30"),
            dimensions: vec![
                name("attitude", "服务态度", "Attitude"),
                name("speed", "响应速度", "Speed"),
            ],
            agents: vec![
                agent("E1001", "王小明", Some(7), vec![Some(4.5), None]),
                agent("E1002", "李华", None, vec![Some(3.0), Some(2.0)]),
            ],
            teams: vec![TeamAverages {
                team_id: Some(7),
                name: "一组".into(),
                dimensions: vec![Some(4.0), Some(3.5)],
            }],
        }
    }

    #[test]
    fn the_radar_compares_the_agent_with_their_team() {
        let report = agents();
        assert_eq!(radar_agent(&report, Some("E1002")).unwrap().name, "李华");
        assert_eq!(radar_agent(&report, Some("E9999")).unwrap().name, "王小明");
        assert_eq!(radar_agent(&report, None).unwrap().agent_no, "E1001");
        let labels = RadarLabels {
            text: text("服务人员雷达图"),
            team_average: "%s 平均".into(),
            no_team: "未分组".into(),
        };
        let agent = radar_agent(&report, None).unwrap();
        let option = radar_chart(&report, agent, Locale::zh_CN, &labels);
        assert_eq!(option["radar"][0]["indicator"][0]["name"], "服务态度");
        assert_eq!(option["radar"][0]["indicator"][1]["max"], 5.0);
        let series = option["series"].as_array().unwrap();
        assert_eq!(series[0]["name"], "王小明 E1001");
        assert_eq!(series[0]["data"][0]["value"], json!([4.5, 0.0]));
        assert_eq!(series[1]["name"], "一组 平均");
        assert_eq!(series[1]["data"][0]["value"], json!([4.0, 3.5]));
        assert_eq!(
            option["legend"]["data"],
            json!([{ "name": "王小明 E1001" }, { "name": "一组 平均" }])
        );

        let filter = AnalyticsFilter::default();
        assert_eq!(
            radar_drill(&report, agent, &filter, 0).agent.as_deref(),
            Some("E1001")
        );
        let team = radar_drill(&report, agent, &filter, 1);
        assert_eq!((team.team, team.agent), (Some(7), None));
        // An agent without a team has no comparison line.
        let loner = radar_agent(&report, Some("E1002")).unwrap();
        let option = radar_chart(&report, loner, Locale::en, &labels);
        assert_eq!(option["series"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn the_word_cloud_is_raw_json_with_a_rich_text_tooltip() {
        let report = WordReport {
            period: period("2026-11-01", "2026-11-30"),
            sentiment: Sentiment::Complaints,
            evaluations: 9,
            terms: vec![
                TermCount {
                    term: "<img src=x onerror=alert(1)>".into(),
                    count: 4,
                },
                TermCount {
                    term: "态度".into(),
                    count: 2,
                },
            ],
        };
        let labels = WordLabels {
            text: text("投诉词云"),
            series: "提及的评价数".into(),
        };
        let option = word_cloud(&report, &labels);
        assert_eq!(option["series"][0]["type"], "wordCloud");
        assert_eq!(option["series"][0]["name"], "提及的评价数");
        assert_eq!(
            option["series"][0]["data"][0]["name"],
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(option["series"][0]["data"][1]["value"], 2);
        assert_eq!(option["tooltip"]["renderMode"], "richText");
        assert!(option["tooltip"].get("formatter").is_none());
        assert_eq!(option["title"][0]["text"], "投诉词云");
        assert_eq!(
            option["toolbox"]["feature"]["saveAsImage"]["title"],
            "保存为图片"
        );
        let drill = word_drill("态度", Sentiment::Praise);
        assert_eq!(drill.word.as_deref(), Some("态度"));
        assert_eq!(drill.sentiment, Some(Sentiment::Praise));
    }
}
