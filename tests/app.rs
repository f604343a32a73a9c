//! The whole app in a real browser: the not-found page for unknown addresses, client-side
//! navigation home, the skip link, and the home page not loading ECharts.
#![cfg(target_arch = "wasm32")]

#[path = "components/common/mod.rs"]
mod common;

use common::*;
use leptos::prelude::document;
use pingjia::App;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn unknown_addresses_show_the_not_found_page_with_a_way_home() {
    forget_locale();
    let history = web_sys::window().unwrap().history().unwrap();
    history
        .push_state_with_url(&JsValue::NULL, "", Some("/no/such-page"))
        .unwrap();
    let root = fresh_container();
    let _mounted = leptos::mount::mount_to(root.clone(), App);

    wait_until("the not-found page is shown", || {
        text(&root, "main h1") == "页面未找到"
    })
    .await;
    assert_eq!(text(&root, "main code.path"), "/no/such-page");
    wait_until("the document title names the page", || {
        document().title().starts_with("页面未找到")
    })
    .await;

    let home_link = find(&root, "main a[href='/']").expect("a link home");
    assert_eq!(home_link.text_content().unwrap().trim(), "返回首页");
    home_link.unchecked_into::<web_sys::HtmlElement>().click();
    wait_until("the home page is shown", || {
        text(&root, "main h1") == "让每一次服务都被听见"
    })
    .await;
    assert_eq!(
        web_sys::window().unwrap().location().pathname().unwrap(),
        "/"
    );

    // The home page never loads ECharts: only a mounted chart inserts its script, from an
    // effect that has run by the next frame.
    next_frame().await;
    assert!(
        find(
            &document().document_element().unwrap(),
            "script[src*='echarts']"
        )
        .is_none()
    );
    assert_eq!(fetched("/vendor/echarts.min.js"), 0);
}

#[wasm_bindgen_test]
async fn the_skip_link_moves_focus_to_the_main_content() {
    forget_locale();
    let root = fresh_container();
    let _mounted = leptos::mount::mount_to(root.clone(), App);

    let skip = find(&root, "a.skip-link").expect("a skip link");
    assert_eq!(skip.text_content().unwrap().trim(), "跳到主要内容");
    assert!(find(&root, "header nav[aria-label='主导航']").is_some());
    assert!(find(&root, "footer").is_some());
    skip.unchecked_into::<web_sys::HtmlElement>().click();
    let focused = document().active_element().expect("something has focus");
    assert_eq!(focused.tag_name(), "MAIN");
}
