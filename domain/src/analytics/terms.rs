//! The key a word of a suggestion is counted under in the word cloud and the reports' frequent
//! problems: the forms of an English word (delay, delays, delayed, delaying) are one term.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// The key of `word` (lower case, as segmented): an English word's stem (Snowball's Porter2:
/// "delays" and "delayed" are "delay", "replies" and "replied" "repli"), any other word as it
/// is. A key is never shown: the form shown for it is the one its suggestions use most.
pub fn term_key(word: &str) -> String {
    if word.len() > 2 && word.bytes().all(|b| b.is_ascii_lowercase()) {
        ENGLISH.stem(word).into_owned()
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::term_key;

    #[test]
    fn the_forms_of_an_english_word_have_one_key() {
        for forms in [
            &["delay", "delays", "delayed", "delaying"][..],
            &["reply", "replies", "replied"],
            &["refund", "refunds", "refunded"],
            &["wait", "waits", "waited", "waiting"],
            &["agent", "agents"],
        ] {
            let keys: Vec<String> = forms.iter().map(|w| term_key(w)).collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{forms:?}: {keys:?}");
        }
        assert_ne!(term_key("rude"), term_key("refund"));
    }

    #[test]
    fn other_words_are_their_own_key() {
        for word in ["物流", "态度", "ok", "e-mail", "don't", "24h", "café"] {
            assert_eq!(term_key(word), word);
        }
    }
}
