//! Helpers shared by the browser tests: a fresh mount point, waiting for the UI to settle and
//! reading the DOM the way a user would see it. Each test binary uses only some of them.
#![allow(dead_code)]

use std::time::Duration;

use leptos::prelude::document;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement};

/// A new, empty `<div>` appended to `<body>`, to mount one test's view into.
pub fn fresh_container() -> HtmlElement {
    let document = document();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    container
}

/// Starts in Chinese whatever the test browser's language: as a first visit from a Chinese
/// browser, or a remembered choice of Chinese.
pub fn forget_locale() {
    local_storage()
        .set_item(pingjia::locale::STORAGE_KEY, "zh-CN")
        .unwrap();
}

pub fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Waits `duration` (lets effects, timers and network callbacks run).
pub async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let millis = i32::try_from(duration.as_millis()).unwrap();
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Waits for the next animation frame: every task and effect queued so far (they run as
/// microtasks) has run by then, as it always has before a person can click anything.
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        web_sys::window()
            .unwrap()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Types `value` into the input `selector` as a person would: sets it and fires `input`.
pub fn type_into(root: &Element, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = find(root, selector)
        .unwrap_or_else(|| panic!("no input {selector}"))
        .unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

/// Clicks the first element matching `selector` inside `root`.
pub fn click(root: &Element, selector: &str) {
    find(root, selector)
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

/// Polls `condition` until it holds, failing the test with `what` after five seconds.
pub async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..250 {
        if condition() {
            return;
        }
        sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting until {what}");
}

/// The first element matching `selector` inside `root`, if any.
pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

/// The trimmed text of the first element matching `selector`, or "" when there is none.
pub fn text(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|el| el.text_content())
        .map(|t| t.trim().to_owned())
        .unwrap_or_default()
}

/// How many resources the page fetched from a URL ending in `path` (scripts included).
pub fn fetched(path: &str) -> usize {
    web_sys::window()
        .unwrap()
        .performance()
        .unwrap()
        .get_entries_by_type("resource")
        .iter()
        .filter_map(|entry| entry.dyn_into::<web_sys::PerformanceEntry>().ok())
        .filter(|entry| entry.name().ends_with(path))
        .count()
}

/// The `lang` attribute of `<html>`.
pub fn html_lang() -> String {
    document()
        .document_element()
        .unwrap()
        .get_attribute("lang")
        .unwrap_or_default()
}

/// Clicks the first `<button>` inside `root` whose text is `label`.
pub fn click_button(root: &Element, label: &str) {
    let buttons = root.query_selector_all("button").unwrap();
    let button = (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().is_some_and(|t| t.trim() == label))
        .unwrap_or_else(|| panic!("no button labelled {label:?}"));
    button.unchecked_into::<HtmlElement>().click();
}
