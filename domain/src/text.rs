//! Texts as the rules compare them: the form in which what looks the same to a person is the
//! same string.
//!
//! A customer can hide a word from a plain substring match without changing how it looks: a
//! zero-width space inside it (`傻\u{200B}逼`), a soft hyphen, a joiner, a full-width or
//! compatibility form (`ｉｄｉｏｔ`), or a Cyrillic or Greek letter drawn like a Latin one
//! (`idiоt` with a Cyrillic `о`). [`normalize_for_matching`] undoes all of these; the
//! abusive-word rule and the duplicate-text rule ([`crate::anomalies`]) both compare in this
//! form, and so do the lexicon's terms.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// `text` in the form the rules compare texts in:
///
/// 1. Unicode NFKC: full-width and compatibility forms become their plain characters
///    (`ｉｄｉｏｔ` → `idiot`, `①` → `1`, the ideographic space → a space), composed accents
///    are one character;
/// 2. invisible characters removed: every format character (general category Cf: the
///    zero-width space U+200B, joiners U+200C/U+200D, the soft hyphen U+00AD, the word joiner
///    U+2060, the byte order mark, bidirectional controls, …) and the other default-ignorable
///    code points people can type (variation selectors, the combining grapheme joiner, the
///    Hangul fillers);
/// 3. Cyrillic and Greek letters drawn like Latin ones replaced by those ([`latin_lookalike`]);
/// 4. lower-cased.
///
/// Letters, digits, spaces and punctuation are otherwise kept: each rule decides what else it
/// ignores.
pub fn normalize_for_matching(text: &str) -> String {
    text.nfkc()
        .filter(|&c| !invisible(c))
        .map(|c| latin_lookalike(c).unwrap_or(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A character that shows nothing: a format character (Cf) or another default-ignorable code
/// point.
fn invisible(c: char) -> bool {
    c.general_category() == GeneralCategory::Format
        || matches!(
            c,
            '\u{034F}'                      // combining grapheme joiner
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
            | '\u{180B}'..='\u{180D}' | '\u{180F}' // Mongolian variation selectors
            | '\u{FE00}'..='\u{FE0F}'       // variation selectors
            | '\u{E0100}'..='\u{E01EF}' // variation selectors supplement
        )
}

/// The Latin letter a Cyrillic or Greek letter looks exactly like in common fonts, if any
/// (`о` U+043E → `o`, `Α` U+0391 → `A`). Letters that only resemble one (`п`, `и`, `λ`) are
/// left alone.
pub fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic capitals
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'Ѕ' => 'S',
        'І' => 'I',
        'Ј' => 'J',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'У' => 'Y',
        'Х' => 'X',
        'Ү' => 'Y',
        'Һ' => 'H',
        'Ԁ' => 'D',
        'Ԛ' => 'Q',
        'Ԝ' => 'W',
        'Ӏ' => 'I',
        // Cyrillic small letters
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'ѕ' => 's',
        'і' => 'i',
        'ј' => 'j',
        'һ' => 'h',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ӏ' => 'l',
        'ү' => 'y',
        // Greek capitals
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        // Greek small letters
        'ο' => 'o',
        'ν' => 'v',
        'ι' => 'i',
        'κ' => 'k',
        'ρ' => 'p',
        'υ' => 'u',
        'χ' => 'x',
        'α' => 'a',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_removed() {
        for hidden in [
            "客服是傻\u{200B}逼",
            "客服是傻\u{200D}逼",
            "客服是傻\u{00AD}逼",
            "客服是傻\u{2060}逼",
            "客服是\u{FEFF}傻\u{200C}逼",
            "客服是傻\u{FE0F}逼",
        ] {
            assert_eq!(normalize_for_matching(hidden), "客服是傻逼", "{hidden:?}");
        }
        assert_eq!(normalize_for_matching("idi\u{200B}ot"), "idiot");
    }

    #[test]
    fn look_alike_letters_become_latin() {
        assert_eq!(normalize_for_matching("idiоt"), "idiot", "Cyrillic о");
        assert_eq!(
            normalize_for_matching("ІDІОТ"),
            "idiot",
            "Cyrillic capitals"
        );
        assert_eq!(normalize_for_matching("ΙDΙΟΤ"), "idiot", "Greek capitals");
        assert_eq!(normalize_for_matching("sсаm"), "scam", "Cyrillic с and а");
        assert_eq!(latin_lookalike('п'), None);
    }

    #[test]
    fn compatibility_forms_are_folded_and_case_ignored() {
        assert_eq!(normalize_for_matching("ＩＤＩＯＴ！"), "idiot!");
        assert_eq!(normalize_for_matching("服务很好，　谢谢"), "服务很好, 谢谢");
        assert_eq!(normalize_for_matching("①ｆｉ"), "1fi");
        assert_eq!(normalize_for_matching("Great Service"), "great service");
        assert_eq!(normalize_for_matching("客服很好"), "客服很好");
    }
}
