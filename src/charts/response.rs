//! The response funnel (参评率, issue 19): the invitations sent in a period, opened and rated,
//! as an ECharts funnel (the dashboard's and the reports'). Opted out is not a stage after
//! rated: the table beside the chart lists it.

use charming::datatype::DataPointItem;
use charming::element::{Color, ItemStyle, Label, LabelPosition, Trigger};
use charming::series::Funnel;
use pingjia_domain::analytics::{ResponseFunnel, ResponseStage};
use serde_json::{Value, json};

use super::{ChartText, PALETTE, exportable, titled};

/// The stages the funnel draws, widest first.
pub const FUNNEL_STAGES: [ResponseStage; 3] = [
    ResponseStage::Invited,
    ResponseStage::Opened,
    ResponseStage::Rated,
];

/// The localized texts of the funnel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunnelLabels {
    pub text: ChartText,
    /// The series' name (the tooltip's heading).
    pub series: String,
    /// Each of [`FUNNEL_STAGES`] as the funnel names it, with its share of the invited, e.g.
    /// "已打开（66.7%）".
    pub stages: [String; 3],
}

/// Whether nothing was invited (an empty funnel is said in words instead).
pub fn funnel_is_empty(funnel: &ResponseFunnel) -> bool {
    funnel.invited == 0
}

/// The funnel: one trapezoid per stage, as wide as its count against the invited, named with
/// its share and labelled with its count.
pub fn response_funnel(funnel: &ResponseFunnel, labels: &FunnelLabels) -> Value {
    let data: Vec<DataPointItem> = FUNNEL_STAGES
        .iter()
        .zip(&labels.stages)
        .enumerate()
        .map(|(i, (stage, name))| {
            DataPointItem::new(i64::try_from(stage.count(funnel)).unwrap_or(i64::MAX))
                .name(name.as_str())
                .item_style(ItemStyle::new().color(PALETTE[i % PALETTE.len()]))
        })
        .collect();
    let max = funnel.invited.max(1) as f64;
    let chart = titled(&labels.text.title, &labels.text.subtitle, Trigger::Item).series(
        Funnel::new()
            .name(labels.series.as_str())
            .min(0.0)
            .max(max)
            .min_size("24%")
            .gap(2.0)
            .left("4%")
            .right("4%")
            .top(72)
            .bottom(8)
            .label(
                Label::new()
                    .show(true)
                    .position(LabelPosition::Inside)
                    .color(Color::from("#ffffff"))
                    .formatter("{b}: {c}"),
            )
            .data(data),
    );
    let mut option = exportable(chart, &labels.text);
    // The stages keep their order (charming writes `Sort::None` as null, which ECharts reads
    // as its default, descending).
    option["series"][0]["sort"] = json!("none");
    option
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingjia_domain::analytics::ResponseCounts;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_funnel_draws_invited_opened_and_rated_against_the_invited() {
        let funnel = ResponseCounts {
            invited: 8,
            opened: 6,
            rated: 3,
            opted_out: 1,
        }
        .funnel();
        let labels = FunnelLabels {
            text: ChartText {
                title: "参评漏斗".into(),
                save_title: "保存为图片".into(),
                ..ChartText::default()
            },
            series: "邀请".into(),
            stages: [
                "已邀请".into(),
                "已打开（75.0%）".into(),
                "已评价（37.5%）".into(),
            ],
        };
        let option = response_funnel(&funnel, &labels);
        let series = &option["series"][0];
        assert_eq!(series["type"], "funnel");
        assert_eq!(series["sort"], "none");
        assert_eq!(series["max"], 8.0);
        let data = series["data"].as_array().unwrap();
        let got: Vec<(i64, &str)> = data
            .iter()
            .map(|d| (d["value"].as_i64().unwrap(), d["name"].as_str().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (8, "已邀请"),
                (6, "已打开（75.0%）"),
                (3, "已评价（37.5%）")
            ]
        );
        assert_eq!(
            option["toolbox"]["feature"]["saveAsImage"]["title"],
            "保存为图片"
        );
        assert!(!funnel_is_empty(&funnel));
        assert!(funnel_is_empty(&ResponseCounts::default().funnel()));
    }
}
