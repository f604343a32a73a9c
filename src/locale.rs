//! The interface language: which locale is active, where the choice is remembered and the
//! `<html lang>` attribute that follows it.
//!
//! leptos_i18n's own provider picks the browser's language and can only persist the choice in a
//! cookie; Pingjia starts in Chinese (zh-CN) unless the user chose otherwise on an earlier visit,
//! and remembers that choice in `localStorage`.

use leptos::prelude::*;
use leptos_i18n::context::init_i18n_subcontext;
use leptos_i18n::{I18nContext, Locale as _};
use leptos_meta::{Html, provide_meta_context};

use crate::i18n::Locale;

/// The `localStorage` key holding the chosen locale (`zh-CN` or `en`).
pub const STORAGE_KEY: &str = "pingjia.locale";

/// Provides the i18n context (and the document metadata context) to its children, starting in
/// the remembered locale, else the browser's language when it is one we ship (an English
/// browser gets English), else zh-CN, and keeps `<html lang>` in sync with the active locale.
#[component]
pub fn LocaleProvider(
    /// The part of the app that speaks the chosen language.
    children: Children,
) -> impl IntoView {
    provide_meta_context();
    let initial = remembered_locale()
        .or_else(browser_locale)
        .unwrap_or_default();
    let i18n: I18nContext<Locale> = init_i18n_subcontext(Some(Signal::stored(initial)));
    provide_context(i18n);
    view! {
        <Html attr:lang=move || i18n.get_locale().as_str() />
        {children()}
    }
}

/// Switches the interface to `locale` and remembers the choice for the next visit.
pub fn choose_locale(i18n: I18nContext<Locale>, locale: Locale) {
    i18n.set_locale(locale);
    if let Some(storage) = local_storage() {
        // A full or disabled storage only costs the memory of the choice, not the switch.
        let _ = storage.set_item(STORAGE_KEY, locale.as_str());
    }
}

/// The locale chosen on an earlier visit, if any and still supported.
pub fn remembered_locale() -> Option<Locale> {
    let stored = local_storage()?.get_item(STORAGE_KEY).ok()??;
    parse_locale(&stored)
}

/// The browser's preferred language, when this build ships it: `en-US` → English, `zh-*` →
/// Chinese.
pub fn browser_locale() -> Option<Locale> {
    let language = web_sys::window()?.navigator().language()?;
    locale_for_language(&language)
}

/// The locale for a BCP 47 language tag by its primary language.
pub fn locale_for_language(tag: &str) -> Option<Locale> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    Locale::get_all()
        .iter()
        .copied()
        .find(|locale| locale.as_str().split('-').next() == Some(primary.as_str()))
}

/// Reads a stored locale tag, ignoring anything this build does not ship.
pub fn parse_locale(tag: &str) -> Option<Locale> {
    Locale::get_all()
        .iter()
        .copied()
        .find(|locale| locale.as_str() == tag.trim())
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A translated text that follows the interface language, for views:
/// `{tr(i18n, |l| td_string!(l, section.key))}`. Every call shares one rendering path, where
/// each `t!` call site instantiates its own reactive view code (about a kilobyte of wasm
/// each, which the light customer app cannot afford). Texts with arguments keep `t!`.
pub fn tr(
    i18n: I18nContext<Locale>,
    text: fn(Locale) -> &'static str,
) -> impl leptos::prelude::IntoView + Copy + use<> {
    move || text(i18n.get_locale())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_browser_language_picks_the_locale_we_ship() {
        assert_eq!(locale_for_language("en-US"), Some(Locale::en));
        assert_eq!(locale_for_language("en"), Some(Locale::en));
        assert_eq!(locale_for_language("zh-TW"), Some(Locale::zh_CN));
        assert_eq!(locale_for_language("zh_CN"), Some(Locale::zh_CN));
        assert_eq!(locale_for_language("fr-FR"), None);
    }
}
