//! The page's texts in both languages (generated from `locales/*.json` by build.rs), the
//! interface language and where its choice is remembered (the same key and rule as the app's
//! `src/locale.rs`, so a choice made here carries over to the app and back).

use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/texts.rs"));

/// The `localStorage` key of the chosen language (the app's `locale::STORAGE_KEY`).
const STORAGE_KEY: &str = "pingjia.locale";

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The BCP 47 tag, as `<html lang>` and the stored choice spell it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The same language, as the domain's closed lists name it.
    pub fn domain(self) -> pingjia_domain::Lang {
        match self {
            Lang::Zh => pingjia_domain::Lang::Zh,
            Lang::En => pingjia_domain::Lang::En,
        }
    }

    /// One of two names by the language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

thread_local! {
    // Reference-counted, not owned by whichever view reads it first (that owner's cleanup
    // would dispose of it).
    static LANG: ArcRwSignal<Lang> = ArcRwSignal::new(initial());
}

/// The interface language now (tracked): the remembered choice, else the browser's language
/// when it is one we ship, else Chinese.
pub fn lang() -> Lang {
    LANG.with(|l| l.get())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn initial() -> Lang {
    let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    match stored.as_deref().map(str::trim) {
        Some("en") => return Lang::En,
        Some("zh-CN") => return Lang::Zh,
        _ => {}
    }
    let browser = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if browser.starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// Switches to `lang` and remembers the choice.
pub fn choose(lang: Lang) {
    LANG.with(|l| l.set(lang));
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, lang.tag());
    }
}

/// The text `key` in `lang`.
pub fn text(lang: Lang, key: usize) -> &'static str {
    match lang {
        Lang::Zh => ZH[key],
        Lang::En => EN[key],
    }
}

/// The text `key` in the current language (tracked).
pub fn t(key: usize) -> &'static str {
    text(lang(), key)
}

/// A view of the text `key` that follows the language.
pub fn tr(key: usize) -> impl Fn() -> &'static str + Copy + 'static {
    move || t(key)
}

/// The text `key` with its `{{ name }}` placeholders filled with `args`.
pub fn tf(key: usize, args: &[(&str, &str)]) -> String {
    fill(t(key), args)
}

/// `text` with each `{{ name }}` replaced by the value of `name` in `args` (left as it is when
/// `args` has no such name).
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            rest = &rest[start..];
            break;
        };
        let name = after[..end].trim();
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}
