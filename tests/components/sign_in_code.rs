//! The sign-in page with one-time codes (issue 19), against a stand-in `fetch`: it opens on the
//! code when a channel is set up, asks for the address, then the code (filled from the SMS by
//! the browser: `one-time-code`), counts the minute down before a new code, says beside the
//! field why a code was refused, and keeps the password form one click away; without a
//! channel the password form is the page.
use crate::common::*;
use leptos::prelude::*;
use pingjia::pages::login::Login;
use serde_json::json;
use wasm_bindgen_test::*;

fn attribute(root: &web_sys::Element, selector: &str, name: &str) -> Option<String> {
    find(root, selector).and_then(|el| el.get_attribute(name))
}

#[wasm_bindgen_test]
async fn the_page_opens_on_the_code_and_says_why_a_code_is_refused() {
    answer(json!([
        route(
            "GET",
            "/auth/methods",
            200,
            json!({ "password": true, "code_sms": true, "code_email": false }),
        ),
        route(
            "POST",
            "/auth/codes",
            202,
            json!({ "channel": "sms", "valid_seconds": 300, "resend_after_seconds": 60 }),
        ),
        route(
            "POST",
            "/auth/codes/verify",
            401,
            json!({ "title": "Unauthorized", "status": 401, "code": "code_wrong", "reference": "4" }),
        ),
    ]));
    let (root, _mounted) = mount(|| view! { <Login /> });
    wait_until("the code form shows", || {
        find(&root, "#code-address").is_some()
    })
    .await;
    assert_eq!(text(&root, "label[for='code-address']"), "手机号");
    assert!(find(&root, "#password").is_none(), "no password form yet");

    // Nothing typed: said beside the field.
    click(&root, "#code-form button[type='submit']");
    wait_until("the address is asked for", || {
        text(&root, "#code-address-error") == "请输入手机号或邮箱。"
    })
    .await;

    type_into(&root, "#code-address", "138 0000 0002");
    click(&root, "#code-form button[type='submit']");
    wait_until("the code is asked for", || {
        find(&root, "#sign-in-code").is_some()
    })
    .await;
    let sent = calls_to("/auth/codes");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(sent[0]["body"].as_str().unwrap()).unwrap(),
        json!({ "address": "138 0000 0002" })
    );
    assert_eq!(
        attribute(&root, "#sign-in-code", "autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(
        attribute(&root, "#sign-in-code", "inputmode").as_deref(),
        Some("numeric")
    );
    assert!(text(&root, "#code-form [role='status']").contains("138 0000 0002"));
    let resend = "#code-form .code-actions .button-secondary";
    assert!(
        text(&root, resend).ends_with("秒后可重新获取"),
        "{}",
        text(&root, resend)
    );
    assert_eq!(
        attribute(&root, resend, "aria-disabled").as_deref(),
        Some("true")
    );

    type_into(&root, "#sign-in-code", "123 456");
    click(&root, "#code-form button[type='submit']");
    wait_until("the refusal is said beside the code", || {
        text(&root, "#sign-in-code-error") == "验证码错误，还可尝试 4 次。"
    })
    .await;
    let verify = calls_to("/auth/codes/verify");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(verify[0]["body"].as_str().unwrap()).unwrap(),
        json!({ "address": "138 0000 0002", "code": "123456" })
    );

    // The password form is one click away.
    click_button(&root, "改用密码登录（员工请由此登录）");
    wait_until("the password form shows", || {
        find(&root, "#password").is_some()
    })
    .await;
    assert!(find(&root, "#code-form").is_none());
}

#[wasm_bindgen_test]
async fn without_a_channel_the_password_form_is_the_page() {
    answer(json!([route(
        "GET",
        "/auth/methods",
        200,
        json!({ "password": true, "code_sms": false, "code_email": false }),
    )]));
    let (root, _mounted) = mount(|| view! { <Login /> });
    wait_until("the password form shows", || {
        find(&root, "#password").is_some()
    })
    .await;
    assert!(find(&root, "#code-form").is_none());
    assert!(find(&root, ".login-switch").is_none(), "no way to a code");
}
