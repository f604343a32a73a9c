//! The admin analytics charts: ECharts options built from the reports and the localized
//! labels, as pure functions tested without a browser, and what a click on each chart's
//! elements drills down to.
//!
//! Every option has a title, named axes with their units, a legend and the toolbox's "save as
//! image" button (its title and file name localized: charming's `SaveAsImage` has no title, so
//! it is set on the JSON). No option sets a tooltip formatter, so ECharts escapes every name
//! it shows; the word cloud, which shows customers' words, draws its tooltip as rich text.

use charming::component::{Axis, Legend, LegendType, RadarAxisName, RadarCoordinate};
use charming::datatype::{CompositeValue, DataPointItem};
use charming::element::{
    AreaStyle, AxisType, ItemStyle, Label, LabelPosition, LineStyle, NameLocation, Trigger,
};
use charming::series::{Bar, Line, Pie, Radar};
use pingjia_domain::Lang;
use pingjia_domain::analytics::{
    AgentReport, AgentStat, AnalyticsFilter, DimensionReport, DistributionReport, DrillFilter,
    SegmentReport, SegmentSeries, Sentiment, TeamAverages, TrendReport, TrendSeries, WordReport,
};
use pingjia_domain::users::team_name_in;
use pingjia_domain::wire::{Channel, CustomerType};
use serde_json::{Value, json};

use super::{
    ChartText, HIGH_COLOUR, LOW_COLOUR, MIDDLE_COLOUR, MUTED_TEXT, PALETTE, STRONG_COLOUR,
    WEAK_COLOUR, bucket_label, category_axis, dimension_name, exportable, plot_grid, round2,
    tag_name, titled, value_axis, wrap_labels,
};
use crate::i18n::{Locale, td_string};
use crate::labels::lang;

/// Where the plot starts under the title, subtitle and legend.
const PLOT_TOP: i64 = 116;

// ---------------------------------------------------------------------------------------------
// 1. Score trend

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
    /// Whether the teams' lines take their English names (where set).
    pub english: bool,
}

/// Whether the trend has no evaluation in any bucket.
pub fn trend_is_empty(report: &TrendReport) -> bool {
    report.overall.counts.iter().all(|&c| c == 0)
}

/// A team line's name: the team's, or the "no team" label.
pub fn team_series_name(series: &TrendSeries, labels: &TrendLabels) -> String {
    if series.name.is_empty() {
        labels.no_team.clone()
    } else if labels.english {
        series
            .name_en
            .clone()
            .unwrap_or_else(|| series.name.clone())
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
    let mut chart = titled(&labels.text.title, &labels.text.subtitle, Trigger::Axis)
        .legend(Legend::new().type_(LegendType::Scroll).top(48).left(0))
        .grid(plot_grid(24, PLOT_TOP, 32))
        .x_axis(category_axis(labels.x_axis.as_str(), 28, categories).boundary_gap(false))
        .y_axis(value_axis(labels.y_axis.as_str()).min(1).max(5))
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
    let chart = titled(&labels.text.title, &labels.text.subtitle, Trigger::Item)
        .legend(Legend::new().top(48).left(0))
        .grid(plot_grid(40, PLOT_TOP, 32))
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
    let mut chart = titled(&labels.text.title, &labels.text.subtitle, Trigger::Axis)
        .legend(Legend::new().top(48).left(0))
        .grid(plot_grid(24, PLOT_TOP, 40))
        .x_axis(category_axis(labels.x_axis.as_str(), 48, names))
        .y_axis(value_axis(labels.y_axis.as_str()).min(0).max(5));
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
    let chart = titled(&labels.text.title, &labels.text.subtitle, Trigger::Item)
        .legend(Legend::new().top(48).left(0))
        .grid(plot_grid(24, PLOT_TOP, 32))
        .x_axis(category_axis(labels.x_axis.as_str(), 28, scores))
        .y_axis(value_axis(labels.y_axis.as_str()).min_interval(1))
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
    /// The language of the tags' names.
    pub lang: Lang,
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
                .name(tag_name(labels.lang, t, &labels.untagged))
                .item_style(ItemStyle::new().color(PALETTE[i % PALETTE.len()]))
        })
        .collect();
    let chart = titled(&labels.text.title, &labels.text.subtitle, Trigger::Item)
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
            team_name_in(lang(locale), &team.name, team.name_en.as_deref())
        };
        lines.push((
            td_string!(locale, analytics.team_average, team = team_name),
            values(&team.dimensions),
        ));
    }
    let legend: Vec<String> = lines.iter().map(|(name, _)| name.clone()).collect();
    let chart = lines
        .into_iter()
        .zip(PALETTE)
        .fold(
            titled(&labels.text.title, &labels.text.subtitle, Trigger::Item),
            |chart, ((name, values), colour)| {
                chart.series(
                    Radar::new()
                        .name(name.as_str())
                        .line_style(LineStyle::new().color(colour).width(2))
                        .area_style(AreaStyle::new().opacity(0.12))
                        .data(vec![(values, name)]),
                )
            },
        )
        .color(vec![PALETTE[0], PALETTE[1]])
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
mod tests;
