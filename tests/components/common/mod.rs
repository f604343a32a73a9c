//! Helpers shared by the browser tests: a fresh mount point, waiting for the UI to settle and
//! reading the DOM the way a user would see it, and a stand-in for `fetch` that answers as the
//! server would and records what was sent. app.rs and echart.rs use only some of them.
#![allow(dead_code)]

use std::time::Duration;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::Router;
use pingjia::locale::LocaleProvider;
use pingjia::session::provide_session;
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
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

pub fn session_storage() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
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
/// The trimmed text of every element `selector` finds in `root`, in document order.
pub fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.text_content())
        .map(|t| t.trim().to_owned())
        .collect()
}

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

/// Replaces `fetch` (once per page) with a stand-in that answers from `window.__pjRoutes`
/// (`{method, path, status, body}` matched on the end of the path, or `network: true` for a
/// failure) and records each request (method, path, body, idempotency key) in
/// `window.__pjCalls`. Anything else answers 404.
const FETCH_STAND_IN: &str = r#"
if (!window.__pjFetchMocked) {
  window.__pjFetchMocked = true;
  window.__pjRoutes = [];
  window.__pjCalls = [];
  window.fetch = function (input, init) {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url, location.href);
    const call = {
      method: request.method,
      path: url.pathname + url.search,
      key: request.headers.get('Idempotency-Key'),
      body: null,
    };
    // Recorded once its body is read: a test that sees the call sees its body.
    return request.clone().text().then(function (body) {
      call.body = body;
      window.__pjCalls.push(call);
      const route = window.__pjRoutes.find(function (r) {
        return r.method === call.method && url.pathname.endsWith(r.path);
      });
      if (!route) {
        return new Response('', { status: 404 });
      }
      if (route.network) {
        throw new TypeError('Failed to fetch');
      }
      const type = route.status >= 400 ? 'application/problem+json' : 'application/json';
      return new Response(route.body, { status: route.status, headers: { 'content-type': type } });
    });
  };
}
"#;

/// Installs the stand-in with these routes and forgets earlier requests.
pub fn answer(routes: Value) {
    js_sys::Function::new_no_args(FETCH_STAND_IN)
        .call0(&JsValue::NULL)
        .unwrap();
    let window = web_sys::window().unwrap();
    let routes = js_sys::JSON::parse(&routes.to_string()).unwrap();
    js_sys::Reflect::set(&window, &"__pjRoutes".into(), &routes).unwrap();
    js_sys::Reflect::set(&window, &"__pjCalls".into(), &js_sys::Array::new()).unwrap();
}

/// A route: `method` on a path ending in `path` answers `status` with `body`.
pub fn route(method: &str, path: &str, status: u16, body: Value) -> Value {
    json!({ "method": method, "path": path, "status": status, "body": body.to_string() })
}

/// The requests made so far whose path contains `path`.
pub fn calls_to(path: &str) -> Vec<Value> {
    let window = web_sys::window().unwrap();
    let calls = js_sys::Reflect::get(&window, &"__pjCalls".into()).unwrap();
    let text = js_sys::JSON::stringify(&calls)
        .unwrap()
        .as_string()
        .unwrap();
    let all: Vec<Value> = serde_json::from_str(&text).unwrap();
    all.into_iter()
        .filter(|c| c["path"].as_str().is_some_and(|p| p.contains(path)))
        .collect()
}

/// Mounts `content` inside the language, session and router contexts.
pub fn mount<V: IntoView + 'static>(
    content: impl Fn() -> V + Clone + Send + 'static,
) -> (web_sys::HtmlElement, impl Sized) {
    forget_locale();
    let root = fresh_container();
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_session();
        let content = content.clone();
        view! {
            <LocaleProvider>
                <Router>{content()}</Router>
            </LocaleProvider>
        }
    });
    (root, mounted)
}

/// Types into the textarea `selector` as a person would.
pub fn type_text(root: &web_sys::Element, selector: &str, value: &str) {
    let area: web_sys::HtmlTextAreaElement = find(root, selector)
        .unwrap_or_else(|| panic!("no textarea {selector}"))
        .unchecked_into();
    area.set_value(value);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

pub fn input_value(root: &web_sys::Element, selector: &str) -> String {
    find(root, selector)
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
