//! The analytics charts' tests.

use super::*;
use pingjia_domain::Lang;
use pingjia_domain::analytics::{DimensionName, Granularity, Period};
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
            name_en: None,
            averages: vec![Some(4.333_33), None, Some(3.5)],
            counts: vec![3, 0, 2],
        },
        teams: vec![
            TrendSeries {
                team_id: Some(7),
                name: "一组".into(),
                name_en: Some("Team One".into()),
                averages: vec![Some(4.5), None, Some(3.5)],
                counts: vec![2, 0, 2],
            },
            TrendSeries {
                team_id: None,
                name: String::new(),
                name_en: None,
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
        english: false,
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
                name_en: None,
                count: 3,
            },
            TagCount {
                tag: String::new(),
                name_en: None,
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
        lang: Lang::Zh,
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
        team_name_en: team.map(|_| "Team One".into()),
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
            name_en: Some("Team One".into()),
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

#[test]
fn team_lines_take_their_english_names_on_english_pages() {
    let report = trend();
    let labels = trend_labels();
    assert_eq!(team_series_name(&report.teams[0], &labels), "一组");
    let english = TrendLabels {
        english: true,
        ..trend_labels()
    };
    assert_eq!(team_series_name(&report.teams[0], &english), "Team One");
    assert_eq!(team_series_name(&report.teams[1], &english), "未分组");
}
