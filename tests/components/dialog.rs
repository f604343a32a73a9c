//! The dialog family in a real browser: a form dialog opens as a modal named by its heading,
//! its submit button is marked while the request is under way, cancel closes it and tells
//! the page, and a refusal is explained beside the buttons; the confirmation builds on the
//! same modal.
use crate::common::*;
use leptos::html;
use leptos::prelude::*;
use pingjia::api::ApiError;
use pingjia::components::confirm::{ConfirmDialog, Pending};
use pingjia::components::dialog::FormDialog;
use pingjia::components::form::failure::FormFailure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn a_form_dialog_is_a_named_modal_with_its_buttons() {
    let closed = RwSignal::new(0u32);
    let submitted = RwSignal::new(0u32);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let (root, _mounted) = mount(move || {
        let node = NodeRef::<html::Dialog>::new();
        view! {
            <FormDialog
                node_ref=node
                title_id="fruit-title"
                title=view! { "编辑水果" }.into_any()
                form_id="fruit-form"
                on_submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    submitted.update(|n| *n += 1);
                }
                on_close=Callback::new(move |()| closed.update(|n| *n += 1))
                submit=Signal::derive(|| "保存")
                pending=pending
            >
                <input id="fruit-name" />
                <FormFailure
                    failure
                    explain=|_, e: &ApiError| matches!(e, ApiError::Forbidden).then_some("已有同名水果")
                />
            </FormDialog>
        }
    });
    next_frame().await;

    let dialog: web_sys::HtmlDialogElement = find(&root, "dialog.modal")
        .expect("a dialog")
        .unchecked_into();
    assert!(dialog.open(), "mounting opens it");
    assert_eq!(
        dialog.get_attribute("aria-labelledby").as_deref(),
        Some("fruit-title")
    );
    assert_eq!(
        text(&root, "form#fruit-form.form h2#fruit-title"),
        "编辑水果"
    );
    assert!(
        find(
            &root,
            "form#fruit-form[novalidate] #fruit-name + .form-actions"
        )
        .is_some(),
        "the fields, then the buttons: no notice while nothing failed"
    );
    let submit = find(
        &root,
        "#fruit-form .form-actions button[type='submit'].button",
    )
    .expect("submit");
    assert_eq!(submit.text_content().as_deref(), Some("保存"));
    assert_eq!(submit.get_attribute("aria-disabled"), None);
    assert!(!submit.class_list().contains("button-danger"));

    pending.set(true);
    next_frame().await;
    assert_eq!(
        submit.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(
        !submit.has_attribute("disabled"),
        "marked, not disabled: it keeps its focus"
    );

    failure.set(Some(ApiError::Forbidden));
    next_frame().await;
    let notice = find(&root, ".notice.notice-error.form-error[role='alert']").expect("a notice");
    assert_eq!(notice.text_content().as_deref(), Some("已有同名水果"));

    click(&root, "#fruit-form .form-actions button.button-secondary");
    wait_until("the page is told the dialog closed", || {
        closed.get_untracked() > 0
    })
    .await;
    assert!(!dialog.open());
    assert_eq!(closed.get_untracked(), 1, "the page is told once");
    assert_eq!(submitted.get_untracked(), 0);
}

#[wasm_bindgen_test]
async fn a_dialog_about_a_record_shows_it_before_the_form() {
    let (root, _mounted) = mount(move || {
        let node = NodeRef::<html::Dialog>::new();
        view! {
            <FormDialog
                node_ref=node
                title_id="call-title"
                title=view! { "记录回访" }.into_any()
                outside=true
                about=view! { <p class="record-meta">"PJ-1"</p> }.into_any()
                on_submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()
                on_close=Callback::new(|()| ())
                submit=Signal::derive(|| "提交")
                pending=Signal::derive(|| true)
                disable=true
                danger=true
            >
                <FormFailure failure=RwSignal::new(None::<ApiError>) region=true />
            </FormDialog>
        }
    });
    next_frame().await;

    assert!(find(&root, "dialog > h2#call-title + p.record-meta + form.form").is_some());
    assert!(find(&root, "form h2").is_none());
    assert!(
        find(&root, "form > div[role='alert']:empty").is_some(),
        "the alert region waits"
    );
    let submit = find(&root, "button[type='submit']").unwrap();
    assert!(submit.has_attribute("disabled"));
    assert_eq!(submit.get_attribute("aria-disabled"), None);
    assert!(submit.class_list().contains("button-danger"));
}

#[wasm_bindgen_test]
async fn a_confirmation_shows_its_refusal_and_stays_open() {
    let closed = RwSignal::new(false);
    let (root, _mounted) = mount(move || {
        view! {
            <ConfirmDialog
                title=view! { "删除水果？" }.into_any()
                body=view! { "删除后无法恢复。" }.into_any()
                confirm=view! { "删除" }.into_any()
                on_confirm=Callback::new(|()| -> Pending {
                    Box::pin(async { Err(ApiError::Forbidden) })
                })
                on_close=Callback::new(move |()| closed.set(true))
            />
        }
    });
    next_frame().await;

    let dialog: web_sys::HtmlDialogElement = find(&root, "dialog.modal").unwrap().unchecked_into();
    assert!(dialog.open());
    assert_eq!(text(&root, "h2#confirm-title"), "删除水果？");
    assert!(find(&root, "div[role='alert']:empty").is_some());
    click(&root, "button.button-danger");
    wait_until("the refusal shows", || {
        find(&root, "div[role='alert'] p.notice.notice-error").is_some()
    })
    .await;
    assert!(dialog.open(), "a refused action keeps the dialog open");
    assert!(!closed.get_untracked());
}

/// A busy server (503 with `Retry-After`) is explained in words with the wait, not by its
/// status code; other server errors keep their general message.
#[wasm_bindgen_test]
async fn a_busy_server_says_when_to_try_again() {
    use pingjia::components::error_panel::ErrorPanel;
    let (root, _mounted) = mount(move || {
        view! {
            <div id="busy">
                <ErrorPanel
                    error=ApiError::Server { status: 503, problem: None, retry_after_secs: Some(2) }
                    on_retry=Callback::new(|()| {})
                />
            </div>
            <div id="broken">
                <ErrorPanel
                    error=ApiError::Server { status: 500, problem: None, retry_after_secs: None }
                    on_retry=Callback::new(|()| {})
                />
            </div>
        }
    });
    next_frame().await;
    let busy = text(&root, "#busy .notice");
    assert!(busy.contains("服务器繁忙，请在 2 秒后重试。"), "{busy}");
    assert!(!busy.contains("503"), "{busy}");
    assert!(text(&root, "#broken .notice").contains("服务器暂时出现问题"));
}

/// Someone else's record says it is not theirs, with no button to try again (the answer would
/// be the same); a failure a retry can mend keeps its button.
#[wasm_bindgen_test]
async fn a_refusal_offers_no_useless_retry() {
    use pingjia::components::error_panel::ErrorPanel;
    let (root, _mounted) = mount(move || {
        view! {
            <div id="forbidden">
                <ErrorPanel error=ApiError::Forbidden on_retry=Callback::new(|()| {}) />
            </div>
            <div id="network">
                <ErrorPanel error=ApiError::Network("offline".into()) on_retry=Callback::new(|()| {}) />
            </div>
        }
    });
    next_frame().await;
    assert!(text(&root, "#forbidden .notice").contains("这不是您可以查看的内容"));
    assert!(find(&root, "#forbidden button").is_none());
    assert!(find(&root, "#network button").is_some());
}

/// A blank sender address (`empty`, from the mail settings' address check) reads as a required
/// field in the page's language, not as the server's English detail.
#[wasm_bindgen_test]
async fn an_empty_address_reads_as_a_required_field() {
    use pingjia::components::form::field_error_text;
    use pingjia::i18n::use_i18n;
    use pingjia_domain::FieldError;
    let (root, _mounted) = mount(move || {
        let i18n = use_i18n();
        let error = FieldError::new("from_address", "empty", "the sender's e-mail address");
        view! { <p id="address-error">{field_error_text(i18n, &error)}</p> }
    });
    next_frame().await;
    assert_eq!(text(&root, "#address-error"), "此项必填。");
}
