//! The sign-in form in a real browser: the login's label follows the kind chosen, submitting
//! waits until both fields are filled and says what is missing; and the return address a
//! sign-in accepts.
use crate::common::*;
use leptos::prelude::*;
use leptos_router::components::Router;
use pingjia::locale::LocaleProvider;
use pingjia::pages::login::{LoginForm, retry_minutes};
use pingjia::session::{after_login, login_path, provide_session, safe_next};
use pingjia_domain::wire::Role;
use wasm_bindgen_test::*;

/// The form with what it needs around it: language, router and session.
#[component]
fn Harness() -> impl IntoView {
    provide_session();
    view! {
        <LocaleProvider>
            <Router>
                <LoginForm />
            </Router>
        </LocaleProvider>
    }
}

fn mount_form() -> (web_sys::HtmlElement, impl Drop) {
    forget_locale();
    let container = fresh_container();
    let mounted = leptos::mount::mount_to(container.clone(), Harness);
    (container, mounted)
}

fn attribute(root: &web_sys::Element, selector: &str, name: &str) -> Option<String> {
    find(root, selector).and_then(|el| el.get_attribute(name))
}

#[wasm_bindgen_test]
async fn the_login_label_follows_the_kind_chosen() {
    let (root, _mounted) = mount_form();
    next_frame().await;

    assert_eq!(text(&root, "fieldset legend"), "登录身份");
    assert_eq!(text(&root, "label[for='login']"), "手机号或会员号");
    assert_eq!(
        attribute(&root, "#login", "autocomplete").as_deref(),
        Some("username")
    );
    assert_eq!(
        attribute(&root, "#password", "autocomplete").as_deref(),
        Some("current-password")
    );
    assert_eq!(
        attribute(&root, "#password", "type").as_deref(),
        Some("password")
    );

    click(&root, "#login-kind-staff");
    wait_until("the label asks for the employee number", || {
        text(&root, "label[for='login']") == "工号"
    })
    .await;
    click(&root, "#login-kind-customer");
    wait_until("the label asks for a phone or member number again", || {
        text(&root, "label[for='login']") == "手机号或会员号"
    })
    .await;

    // The password can be shown and hidden again.
    click(&root, "button[aria-controls='password']");
    wait_until("the password shows", || {
        attribute(&root, "#password", "type").as_deref() == Some("text")
    })
    .await;
    assert_eq!(
        attribute(&root, "button[aria-controls='password']", "aria-pressed").as_deref(),
        Some("true")
    );
    click(&root, "button[aria-controls='password']");
    wait_until("the password hides", || {
        attribute(&root, "#password", "type").as_deref() == Some("password")
    })
    .await;
}

#[wasm_bindgen_test]
async fn submitting_waits_for_both_fields_and_names_what_is_missing() {
    let (root, _mounted) = mount_form();
    next_frame().await;
    let submit = "button[type='submit']";
    assert_eq!(
        attribute(&root, submit, "aria-disabled").as_deref(),
        Some("true")
    );

    // Trying anyway says, beside each field, what is missing.
    click(&root, submit);
    wait_until("both fields say what is missing", || {
        text(&root, "#login-error") == "请输入手机号或会员号。"
            && text(&root, "#password-error") == "请输入密码。"
    })
    .await;
    assert_eq!(
        attribute(&root, "#login", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        attribute(&root, "#login", "aria-describedby").as_deref(),
        Some("login-hint login-error")
    );

    type_into(&root, "#login", "13800000001");
    wait_until("the login's message goes", || {
        find(&root, "#login-error").is_none()
    })
    .await;
    assert_eq!(
        attribute(&root, submit, "aria-disabled").as_deref(),
        Some("true"),
        "still no password"
    );

    type_into(&root, "#password", "Pingjia-Demo-2026");
    wait_until("the form can be submitted", || {
        attribute(&root, submit, "aria-disabled").is_none()
    })
    .await;

    // Emptying the login again blocks it again.
    type_into(&root, "#login", "  ");
    wait_until("blank is empty", || {
        attribute(&root, submit, "aria-disabled").as_deref() == Some("true")
    })
    .await;
}

#[wasm_bindgen_test]
fn only_paths_of_this_site_are_accepted_as_return_addresses() {
    for safe in [
        "/admin",
        "/admin/users?q=E1001&page=2",
        "/",
        "/customer#top",
    ] {
        assert_eq!(safe_next(safe), Some(safe), "{safe}");
    }
    for unsafe_next in [
        "//evil.example",
        "//evil.example/admin",
        "https://evil.example",
        "http://evil.example/admin",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "admin",
        "",
        "/login",
        "/login?next=/admin",
    ] {
        assert_eq!(safe_next(unsafe_next), None, "{unsafe_next:?}");
    }

    assert_eq!(
        login_path("/admin/users?q=E1001"),
        "/login?next=%2Fadmin%2Fusers%3Fq%3DE1001"
    );
    assert_eq!(login_path("//evil.example"), "/login");
    assert_eq!(login_path("/"), "/login");

    assert_eq!(
        after_login(Some("/admin/users"), Role::Admin),
        "/admin/users"
    );
    assert_eq!(
        after_login(Some("https://evil.example"), Role::Agent),
        "/agent"
    );
    assert_eq!(after_login(None, Role::Customer), "/customer");
}

#[wasm_bindgen_test]
fn retry_after_becomes_whole_minutes() {
    assert_eq!(retry_minutes(900), 15);
    assert_eq!(retry_minutes(61), 2);
    assert_eq!(retry_minutes(5), 1);
    assert_eq!(retry_minutes(0), 1);
}
