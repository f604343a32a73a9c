//! `EChart` in a real browser: ECharts loads only when a chart mounts, once for all charts,
//! and a failed load (this test server does not serve `/vendor`) becomes a visible error.
#![cfg(target_arch = "wasm32")]

#[path = "components/common/mod.rs"]
mod common;

use common::*;
use leptos::prelude::*;
use pingjia::components::echart::{ChartOption, EChart};
use pingjia::locale::LocaleProvider;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn charts_share_one_lazy_load_and_show_a_load_failure() {
    forget_locale();
    assert_eq!(
        fetched("/vendor/echarts.min.js"),
        0,
        "nothing loads ECharts up front"
    );

    let root = fresh_container();
    let option = || {
        ChartOption::from(serde_json::json!({
            "series": [{ "type": "wordCloud", "data": [{ "name": "耐心", "value": 3 }] }]
        }))
    };
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <LocaleProvider>
                <EChart option=Signal::derive(option) label="词云" />
                <EChart option=Signal::derive(option) label="第二个图表" />
            </LocaleProvider>
        }
    });

    let charts = root.query_selector_all("[role=img]").unwrap();
    assert_eq!(charts.length(), 2);
    let first: web_sys::Element = charts.item(0).unwrap().unchecked_into();
    assert_eq!(first.get_attribute("aria-label").as_deref(), Some("词云"));
    assert_eq!(text(&root, "[role=status]"), "正在加载…");

    wait_until("both charts report the failed load", || {
        root.query_selector_all("[role=alert]").unwrap().length() == 2
    })
    .await;
    assert_eq!(
        text(&root, "[role=alert]"),
        "图表组件加载失败，请刷新页面重试。"
    );
    assert!(
        first.has_attribute("hidden"),
        "a chart that cannot draw is hidden"
    );
    assert_eq!(
        fetched("/vendor/echarts.min.js"),
        1,
        "both charts shared one load"
    );
    assert_eq!(
        fetched("/vendor/echarts-wordcloud.min.js"),
        0,
        "the extension waits for ECharts"
    );
    assert!(
        document()
            .query_selector("script[src*='echarts']")
            .unwrap()
            .is_none(),
        "a failed script is removed so a later chart can try again"
    );
}
