//! A short text to copy, such as an evaluation number, with a copy button that says whether
//! it worked.

use crate::locale::tr;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::i18n::{td_string, use_i18n};

/// Copies `text` to the clipboard (`navigator.clipboard.writeText`); `false` when the browser
/// has no clipboard here (an insecure context) or refuses.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let write = || -> Option<js_sys::Promise> {
        let navigator = js_sys::Reflect::get(&window(), &JsValue::from_str("navigator")).ok()?;
        let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok()?;
        let function = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        function
            .call1(&clipboard, &JsValue::from_str(text))
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()
    };
    match write() {
        Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
        None => false,
    }
}

/// Selects the text of `element`, so that the user can copy it themselves.
fn select_text(element: &web_sys::Element) -> bool {
    window()
        .get_selection()
        .ok()
        .flatten()
        .is_some_and(|selection| selection.select_all_children(element).is_ok())
}

/// What the last press of the button did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    /// The text is on the clipboard.
    Yes,
    /// The clipboard refused; the text is selected instead.
    Selected,
}

/// `text` in a monospaced box with a copy button; the outcome is announced.
#[component]
pub fn CopyText(
    /// The text to copy.
    #[prop(into)]
    text: String,
    /// The id of the text's box; the button is named by it and the button's label.
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<Copied>);
    let node = NodeRef::<html::Code>::new();
    let button_id = format!("{id}-copy");
    let copy = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move {
            let outcome = if copy_to_clipboard(&text).await {
                Copied::Yes
            } else {
                if let Some(element) = node.get_untracked() {
                    select_text(&element);
                }
                Copied::Selected
            };
            copied.set(Some(outcome));
        }
    });
    let to_copy = text.clone();
    view! {
        <div class="copy-text">
            <code id=id class="copy-value" node_ref=node>
                {text}
            </code>
            <button
                type="button"
                id=button_id.clone()
                class="button button-secondary"
                aria-labelledby=format!("{button_id} {id}")
                on:click=move |_| {
                    copied.set(None);
                    copy.dispatch_local(to_copy.clone());
                }
            >
                {tr(i18n, |l| td_string!(l, rating.copy))}
            </button>
            <p class="copy-status" role="status" aria-live="polite">
                {move || {
                    copied
                        .get()
                        .map(|outcome| match outcome {
                            Copied::Yes => tr(i18n, |l| td_string!(l, rating.copied)).into_any(),
                            Copied::Selected => tr(i18n, |l| td_string!(l, rating.copy_selected)).into_any(),
                        })
                }}
            </p>
        </div>
    }
}
