//! A modal dialog on the native `<dialog>` element: the browser keeps focus inside it, makes
//! the rest of the page inert, closes it on Escape and returns focus to where it was.

use leptos::html;
use leptos::prelude::*;

/// A modal dialog, open while it is mounted: the parent mounts it to open it and closes it
/// with [`close_dialog`] (or the user with Escape); `on_close` then lets the parent unmount it.
#[component]
pub fn Modal(
    /// The dialog element, for [`close_dialog`].
    node_ref: NodeRef<html::Dialog>,
    /// The id of the dialog's heading, which names it.
    labelled_by: &'static str,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// The content: a heading with id `labelled_by`, then a form or text and buttons.
    children: Children,
) -> impl IntoView {
    Effect::new(move || {
        if let Some(dialog) = node_ref.get()
            && !dialog.open()
        {
            // Fails only when the element is not connected, and then there is nothing to show.
            let _ = dialog.show_modal();
        }
    });
    view! {
        <dialog
            node_ref=node_ref
            class="modal"
            aria-labelledby=labelled_by
            on:close=move |_| on_close.run(())
        >
            {children()}
        </dialog>
    }
}

/// Closes a dialog opened by [`Modal`]; its `on_close` follows.
pub fn close_dialog(node_ref: NodeRef<html::Dialog>) {
    if let Some(dialog) = node_ref.get_untracked() {
        dialog.close();
    }
}
