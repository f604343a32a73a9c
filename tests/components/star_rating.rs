//! The star rating in a real browser: five native radios in a labelled group, nothing chosen
//! until the customer chooses, and the chosen value spelled out as it changes by click or by
//! keyboard.
use crate::common::*;
use leptos::prelude::*;
use pingjia::components::star_rating::StarRating;
use pingjia::locale::LocaleProvider;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

fn mount(value: RwSignal<Option<u8>>, optional: bool) -> (web_sys::HtmlElement, impl Drop) {
    forget_locale();
    let container = fresh_container();
    let mounted = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <LocaleProvider>
                <StarRating
                    name="score-attitude"
                    legend=Signal::derive(|| "服务态度".to_owned())
                    description=Signal::derive(|| Some("服务人员是否热情、耐心".to_owned()))
                    optional
                    value
                />
            </LocaleProvider>
        }
    });
    (container, mounted)
}

fn radio(root: &web_sys::Element, score: u8) -> HtmlInputElement {
    find(root, &format!("#score-attitude-{score}"))
        .unwrap_or_else(|| panic!("no radio for {score}"))
        .unchecked_into()
}

fn checked(root: &web_sys::Element) -> Vec<u8> {
    (1..=5).filter(|s| radio(root, *s).checked()).collect()
}

fn lit(root: &web_sys::Element) -> u32 {
    root.query_selector_all(".star.star-on").unwrap().length()
}

#[wasm_bindgen_test]
async fn five_labelled_native_radios_and_no_default() {
    let value = RwSignal::new(None);
    let (root, _mounted) = mount(value, false);
    next_frame().await;

    assert_eq!(text(&root, "fieldset legend"), "服务态度");
    assert_eq!(
        text(&root, "#score-attitude-description"),
        "服务人员是否热情、耐心"
    );
    for score in 1..=5 {
        let input = radio(&root, score);
        assert_eq!(input.type_(), "radio");
        assert_eq!(
            input.name(),
            "score-attitude",
            "one group, so arrows move within it"
        );
        assert_eq!(input.value(), score.to_string());
    }
    assert_eq!(
        text(&root, "label[for='score-attitude-4']"),
        "★4 星：满意",
        "each star is named by its score and meaning"
    );
    assert!(
        checked(&root).is_empty(),
        "nothing is chosen for the customer"
    );
    assert_eq!(lit(&root), 0);
    assert_eq!(value.get_untracked(), None);
    assert_eq!(text(&root, ".star-value"), "尚未选择");
    let described = find(&root, "fieldset")
        .and_then(|f| f.get_attribute("aria-describedby"))
        .unwrap_or_default();
    assert!(described.contains("score-attitude-description"));
    assert!(described.contains("score-attitude-value"));
    assert!(find(&root, ".field-optional").is_none());
}

#[wasm_bindgen_test]
async fn an_optional_dimension_says_so() {
    let (root, _mounted) = mount(RwSignal::new(None), true);
    next_frame().await;
    assert_eq!(text(&root, "fieldset legend"), "服务态度（选填）");
}

#[wasm_bindgen_test]
async fn clicking_a_star_chooses_it_and_names_the_choice() {
    let value = RwSignal::new(None);
    let (root, _mounted) = mount(value, false);
    next_frame().await;

    click(&root, "label[for='score-attitude-4']");
    wait_until("the label names 4 stars", || {
        text(&root, ".star-value") == "已选：4 星，满意"
    })
    .await;
    assert_eq!(value.get_untracked(), Some(4));
    assert_eq!(checked(&root), [4]);
    assert_eq!(lit(&root), 4, "the stars up to the choice are lit");

    click(&root, "#score-attitude-1");
    wait_until("the label names 1 star", || {
        text(&root, ".star-value") == "已选：1 星，非常不满意"
    })
    .await;
    assert_eq!(value.get_untracked(), Some(1));
    assert_eq!(checked(&root), [1]);
    assert_eq!(lit(&root), 1);
}

/// Script cannot press keys with the browser's own effect, so this does what Chromium does
/// for ArrowRight / ArrowLeft on a focused radio: focus and check the next radio of the group
/// and fire `change` on it.
fn arrow_to(root: &web_sys::Element, score: u8) {
    let input = radio(root, score);
    input.focus().unwrap();
    input.set_checked(true);
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_keyboard_moves_the_choice_and_the_label_follows() {
    let value = RwSignal::new(None);
    let (root, _mounted) = mount(value, false);
    next_frame().await;

    // Tab lands on the group: its radios can take focus (hidden only visually).
    radio(&root, 1).focus().unwrap();
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some("score-attitude-1".to_owned())
    );
    assert_eq!(value.get_untracked(), None, "focus alone chooses nothing");

    arrow_to(&root, 2);
    wait_until("the label names 2 stars", || {
        text(&root, ".star-value") == "已选：2 星，不满意"
    })
    .await;
    assert_eq!(value.get_untracked(), Some(2));
    arrow_to(&root, 3);
    wait_until("the label names 3 stars", || {
        text(&root, ".star-value") == "已选：3 星，一般"
    })
    .await;
    assert_eq!(value.get_untracked(), Some(3));
    assert_eq!(checked(&root), [3]);
    assert_eq!(lit(&root), 3);

    // A value set from outside (a restored draft) shows as well.
    value.set(Some(5));
    wait_until("5 stars show", || {
        text(&root, ".star-value") == "已选：5 星，非常满意"
    })
    .await;
    assert_eq!(checked(&root), [5]);
}
