//! Loads the vendored ECharts scripts, only when the first chart mounts.
//!
//! `echarts.min.js` then `echarts-wordcloud.min.js` (which registers itself on the global
//! `echarts`) are inserted as `<script src>` elements. The load is memoised as one promise, so
//! charts mounting at the same time share it; a failed load is forgotten so a later chart tries
//! again.

use std::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::HtmlScriptElement;

/// Where Trunk copies ECharts (see `index.html`).
pub const ECHARTS_SRC: &str = "/vendor/echarts.min.js";
/// Where Trunk copies the word-cloud extension.
pub const WORDCLOUD_SRC: &str = "/vendor/echarts-wordcloud.min.js";

thread_local! {
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Resolves once ECharts and its word-cloud extension are loaded; the error says which script
/// failed.
pub async fn ensure_loaded() -> Result<(), String> {
    let promise = LOADING.with(|cell| cell.borrow_mut().get_or_insert_with(load_all).clone());
    match JsFuture::from(promise.clone()).await {
        Ok(_) => Ok(()),
        Err(error) => {
            LOADING.with(|cell| {
                let mut cell = cell.borrow_mut();
                if cell
                    .as_ref()
                    .is_some_and(|current| <JsValue as PartialEq>::eq(current, &promise))
                {
                    *cell = None;
                }
            });
            Err(error
                .as_string()
                .unwrap_or_else(|| "the chart scripts could not be loaded".to_owned()))
        }
    }
}

fn load_all() -> Promise {
    future_to_promise(async {
        JsFuture::from(load_script(ECHARTS_SRC)).await?;
        JsFuture::from(load_script(WORDCLOUD_SRC)).await?;
        Ok(JsValue::UNDEFINED)
    })
}

/// Inserts `<script src>` into `<head>`; the promise settles on its `load` or `error` event.
fn load_script(src: &'static str) -> Promise {
    Promise::new(&mut |resolve: Function, reject: Function| {
        if let Err(error) = insert_script(src, resolve, reject.clone()) {
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        }
    })
}

fn insert_script(src: &'static str, resolve: Function, reject: Function) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let head = document
        .head()
        .ok_or_else(|| JsValue::from_str("no <head>"))?;
    let script: HtmlScriptElement = document.create_element("script")?.unchecked_into();
    script.set_src(src);
    let on_load = Closure::once_into_js(move || resolve.call0(&JsValue::UNDEFINED));
    let failed = script.clone();
    let on_error = Closure::once_into_js(move || {
        failed.remove();
        reject.call1(
            &JsValue::UNDEFINED,
            &JsValue::from_str(&format!("could not load {src}")),
        )
    });
    script.set_onload(Some(on_load.unchecked_ref()));
    script.set_onerror(Some(on_error.unchecked_ref()));
    head.append_child(&script)?;
    Ok(())
}
