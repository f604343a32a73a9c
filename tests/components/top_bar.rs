//! The top bar in a real browser: Chinese first, the language switch, `<html lang>` and the
//! remembered choice; signed out (this test server has no API), the navigation of a visitor
//! and a way to sign in.
use crate::common::*;
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::components::Router;
use pingjia::components::top_bar::TopBar;
use pingjia::locale::{LocaleProvider, STORAGE_KEY};
use pingjia::session::provide_session;
use wasm_bindgen_test::*;

fn mount_top_bar() -> (web_sys::HtmlElement, impl Drop) {
    let container = fresh_container();
    let mounted = leptos::mount::mount_to(container.clone(), || {
        provide_session();
        view! {
            <LocaleProvider>
                <Router>
                    <TopBar />
                </Router>
            </LocaleProvider>
        }
    });
    (container, mounted)
}

fn pressed(root: &web_sys::Element, lang: &str) -> String {
    find(root, &format!("button[lang='{lang}']"))
        .and_then(|b| b.get_attribute("aria-pressed"))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn switching_language_changes_the_text_and_html_lang_and_is_remembered() {
    forget_locale();
    let (root, _mounted) = mount_top_bar();
    next_frame().await;

    let group = find(&root, "[role=group]").expect("the language switch is a labelled group");
    assert_eq!(
        group.get_attribute("aria-label").as_deref(),
        Some("界面语言")
    );
    assert_eq!(text(&root, "nav a[href='/']"), "首页");
    assert!(
        find(&root, "nav a[href='/admin']").is_none(),
        "a visitor sees no role's pages"
    );
    wait_until("the sign-in link shows once the session is known", || {
        text(&root, ".account a[href='/login']") == "登录"
    })
    .await;
    assert_eq!(text(&root, ".brand-name"), "评价 Pingjia");
    assert_eq!(pressed(&root, "zh-CN"), "true");
    assert_eq!(pressed(&root, "en"), "false");
    wait_until("<html lang> is zh-CN", || html_lang() == "zh-CN").await;

    click_button(&root, "English");
    wait_until("the navigation is in English", || {
        text(&root, "nav a[href='/']") == "Home"
    })
    .await;
    wait_until("<html lang> is en", || html_lang() == "en").await;
    assert_eq!(text(&root, ".account a[href='/login']"), "Sign in");
    assert_eq!(
        group.get_attribute("aria-label").as_deref(),
        Some("Interface language")
    );
    assert_eq!(pressed(&root, "en"), "true");
    assert_eq!(pressed(&root, "zh-CN"), "false");
    assert_eq!(
        local_storage().get_item(STORAGE_KEY).unwrap().as_deref(),
        Some("en")
    );

    click_button(&root, "中文");
    wait_until("the navigation is back in Chinese", || {
        text(&root, "nav a[href='/']") == "首页"
    })
    .await;
    wait_until("<html lang> is zh-CN again", || html_lang() == "zh-CN").await;
    assert_eq!(
        local_storage().get_item(STORAGE_KEY).unwrap().as_deref(),
        Some("zh-CN")
    );
    forget_locale();
}

#[wasm_bindgen_test]
async fn a_remembered_choice_applies_on_the_next_visit() {
    local_storage().set_item(STORAGE_KEY, "en").unwrap();
    let (root, _mounted) = mount_top_bar();

    assert_eq!(text(&root, "nav a[href='/']"), "Home");
    assert_eq!(text(&root, ".brand-name"), "Pingjia");
    assert_eq!(pressed(&root, "en"), "true");
    wait_until("<html lang> is en", || html_lang() == "en").await;
    forget_locale();
}

#[wasm_bindgen_test]
async fn an_unknown_remembered_value_falls_back_to_the_browser_language_or_chinese() {
    local_storage().set_item(STORAGE_KEY, "fr").unwrap();
    let (root, _mounted) = mount_top_bar();

    // The test browser's own language decides, as it would for a first visit.
    let (home, lang) = match pingjia::locale::browser_locale().map(|l| l.as_str()) {
        Some("en") => ("Home", "en"),
        _ => ("首页", "zh-CN"),
    };
    assert_eq!(text(&root, "nav a[href='/']"), home);
    wait_until("<html lang> follows", || html_lang() == lang).await;
    forget_locale();
}
