//! A modal dialog on the native `<dialog>` element: the browser keeps focus inside it, makes
//! the rest of the page inert, closes it on Escape and returns focus to where it was. The
//! dialogs around a form and their foot build on it, as does the confirmation (`confirm.rs`).

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::i18n::{td_string, use_i18n};
use crate::locale::tr;

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

/// A modal dialog around a form: its heading, its fields and notices (`children`), and at its
/// foot the submit button and cancel ([`DialogActions`]). The heading stands in the form, or
/// before it with `outside` (then `about`, what the dialog is about, follows it).
#[component]
pub fn FormDialog(
    /// The dialog element, for [`close_dialog`].
    node_ref: NodeRef<html::Dialog>,
    /// The heading's id, which names the dialog.
    title_id: &'static str,
    /// The heading.
    title: AnyView,
    /// Whether the heading stands before the form rather than in it.
    #[prop(optional)]
    outside: bool,
    /// What the dialog is about, between an outside heading and the form.
    #[prop(optional)]
    about: Option<AnyView>,
    /// The form's id, for focusing its first invalid field.
    #[prop(optional)]
    form_id: Option<&'static str>,
    /// The form's classes (`form` by default).
    #[prop(optional)]
    form_class: Option<&'static str>,
    /// Called when the form is submitted.
    on_submit: impl FnMut(SubmitEvent) + Send + 'static,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// The submit button's text.
    #[prop(into)]
    submit: Signal<&'static str>,
    /// Whether the request is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// See [`DialogActions`].
    #[prop(optional)]
    disable: bool,
    /// See [`DialogActions`].
    #[prop(optional, into)]
    danger: Signal<bool>,
    /// The fields and notices.
    children: Children,
) -> impl IntoView {
    let (before, inside) = if outside {
        (Some(view! { <h2 id=title_id>{title}</h2> {about} }), None)
    } else {
        (None, Some(view! { <h2 id=title_id>{title}</h2> }))
    };
    view! {
        <Modal node_ref labelled_by=title_id on_close>
            {before}
            <form
                id=form_id
                class=form_class.unwrap_or("form")
                novalidate
                on:submit=on_submit
            >
                {inside}
                {children()}
                <DialogActions node=node_ref submit pending disable danger />
            </form>
        </Modal>
    }
}

/// The foot of a dialog's form: the submit button (marked `aria-disabled` while the request is
/// under way, or `disabled` with `disable`; red with `danger`) and cancel, which closes it.
#[component]
pub fn DialogActions(
    /// The dialog to close on cancel.
    node: NodeRef<html::Dialog>,
    /// The submit button's text.
    #[prop(into)]
    submit: Signal<&'static str>,
    /// Whether the request is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// Whether the submit button is disabled while the request is under way.
    #[prop(optional)]
    disable: bool,
    /// Whether the action cannot be taken back (a red button).
    #[prop(optional, into)]
    danger: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-actions">
            <button
                type="submit"
                class="button"
                class:button-danger=move || danger.get()
                disabled=move || disable && pending.get()
                aria-disabled=move || (!disable && pending.get()).then_some("true")
            >
                {move || submit.get()}
            </button>
            <button
                type="button"
                class="button button-secondary"
                on:click=move |_| close_dialog(node)
            >
                {tr(i18n, |l| td_string!(l, dialogs.cancel))}
            </button>
        </div>
    }
}
