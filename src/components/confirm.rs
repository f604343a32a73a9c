//! Asking before an action that cannot be taken back.

use leptos::html;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::dialog::{Modal, close_dialog};
use crate::components::form::failure::AlertFailure;
use crate::i18n::{t, use_i18n};

/// A request started for a dialog, not yet answered.
pub type Pending = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ApiError>>>>;

/// Asks before an action that cannot be taken back (delete, revoke); runs `on_confirm` and
/// shows its error in the dialog, or closes it.
#[component]
pub fn ConfirmDialog(
    /// The question, as the dialog's heading.
    title: AnyView,
    /// What happens.
    body: AnyView,
    /// The confirming button's text.
    confirm: AnyView,
    /// The action: `Ok` closes the dialog, an error is shown in it.
    on_confirm: Callback<(), Pending>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let failure = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(move |()| {
        let run = on_confirm.run(());
        async move {
            match run.await {
                Ok(()) => close_dialog(node),
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    view! {
        <Modal node_ref=node labelled_by="confirm-title" on_close>
            <h2 id="confirm-title">{title}</h2>
            <p>{body}</p>
            <AlertFailure failure />
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-danger"
                    aria-disabled=move || action.pending().get().then_some("true")
                    on:click=move |_| {
                        if !action.pending().get_untracked() {
                            failure.set(None);
                            action.dispatch_local(());
                        }
                    }
                >
                    {confirm}
                </button>
                <button
                    type="button"
                    class="button button-secondary"
                    on:click=move |_| close_dialog(node)
                >
                    {t!(i18n, dialogs.cancel)}
                </button>
            </div>
        </Modal>
    }
}
