//! Query strings: serde structs written and read with `serde_urlencoded`, the crate axum's
//! `Query` reads them with on the server.
//!
//! Written as `encodeURIComponent` writes a value (`%20` for a space, `!'()~` as they are), so
//! the addresses the app shows and the tests name read as they always did; the server decodes
//! both spellings alike.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// `value`'s fields as a query string without the `?`, in the order of the fields; `None`
/// fields are left out.
pub fn to_query<T: Serialize + ?Sized>(value: &T) -> String {
    let encoded = serde_urlencoded::to_string(value).unwrap_or_default();
    as_uri_component(&encoded)
}

/// [`to_query`] with the parameters in the alphabetical order of their names: the order the
/// domain's query types (`AnalyticsFilter`, `FeedbackQuery`, …) have always been sent in.
pub fn to_sorted_query<T: Serialize + ?Sized>(value: &T) -> String {
    let encoded = to_query(value);
    let mut pairs: Vec<&str> = encoded.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort_by_key(|pair| pair.split_once('=').map_or(*pair, |(name, _)| name));
    pairs.join("&")
}

/// `path?query`, or `path` alone when the query is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// The query strings that are not empty, joined.
pub fn joined(queries: &[String]) -> String {
    queries
        .iter()
        .filter(|q| !q.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("&")
}

/// The page (from 1) and the page size of a list, as query parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Paging {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl Paging {
    /// `page` alone, left out when it is the first (a page's address).
    pub fn after_first(page: u32) -> Paging {
        Paging {
            page: (page > 1).then_some(page),
            per_page: None,
        }
    }
}

/// `path?filters&paging`, `path` alone when nothing is set.
pub fn paged_href<T: Serialize>(path: &str, filters: &T, paging: Paging) -> String {
    with_query(path, &joined(&[to_query(filters), to_query(&paging)]))
}

/// Reads `T` from an address's parameters (name, decoded value) field by field: each value is
/// trimmed and a blank one left out (except the parameters named in `keep_blank`), and a
/// parameter `T` cannot take (a bad date, an unknown channel) is left out alone, so one bad
/// value never discards the others. `T`'s fields must all have defaults.
pub fn from_pairs<'a, K: AsRef<str>, T: DeserializeOwned + Default>(
    pairs: impl IntoIterator<Item = (K, &'a str)>,
    keep_blank: &[&str],
) -> T {
    let pairs: Vec<(K, &str)> = pairs
        .into_iter()
        .map(|(name, value)| (name, value.trim()))
        .filter(|(name, value)| !value.is_empty() || keep_blank.contains(&name.as_ref()))
        .collect();
    let readable: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(name, value)| (name.as_ref(), *value))
        .filter(|pair| read::<T>(&[*pair]).is_some())
        .collect();
    read(&readable).unwrap_or_default()
}

fn read<T: DeserializeOwned>(pairs: &[(&str, &str)]) -> Option<T> {
    let encoded = serde_urlencoded::to_string(pairs).ok()?;
    serde_urlencoded::from_str(&encoded).ok()
}

/// For `skip_serializing_if`: no text, or only spaces.
pub fn is_blank(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(|t| t.trim().is_empty())
}

/// For `serialize_with`: the text without its surrounding spaces.
pub fn trimmed<S: serde::Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    text.as_deref().map(str::trim).serialize(s)
}

/// `application/x-www-form-urlencoded` as `encodeURIComponent` writes it: `+` (a space) as
/// `%20`, and `!'()~` unescaped.
fn as_uri_component(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(at) = rest.find(['+', '%']) {
        out.push_str(&rest[..at]);
        if rest[at..].starts_with('+') {
            out.push_str("%20");
            rest = &rest[at + 1..];
            continue;
        }
        let escape = rest.get(at..at + 3).unwrap_or(&rest[at..]);
        match escape {
            "%21" => out.push('!'),
            "%27" => out.push('\''),
            "%28" => out.push('('),
            "%29" => out.push(')'),
            "%7E" => out.push('~'),
            other => out.push_str(other),
        }
        rest = &rest[at + escape.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[derive(Debug, Default, PartialEq, Serialize, serde::Deserialize)]
    #[serde(default)]
    struct Sample {
        word: Option<String>,
        day: Option<chrono::NaiveDate>,
        count: Option<u32>,
    }

    #[test]
    fn values_are_written_as_encode_uri_component_writes_them() {
        let sample = Sample {
            word: Some("a b!'()~*+&=/态".into()),
            day: None,
            count: Some(3),
        };
        assert_eq!(
            to_query(&sample),
            "word=a%20b!'()~*%2B%26%3D%2F%E6%80%81&count=3"
        );
        assert_eq!(
            to_sorted_query(&sample),
            "count=3&word=a%20b!'()~*%2B%26%3D%2F%E6%80%81"
        );
        assert_eq!(to_query(&Sample::default()), "");
        assert_eq!(with_query("/x", ""), "/x");
    }

    #[test]
    fn a_bad_value_loses_only_its_own_field() {
        let read: Sample = from_pairs(
            [
                ("word", " 态度 "),
                ("day", "yesterday"),
                ("count", "7"),
                ("other", "1"),
            ],
            &[],
        );
        assert_eq!(
            read,
            Sample {
                word: Some("态度".into()),
                day: None,
                count: Some(7)
            }
        );
        let blank: Sample = from_pairs([("word", "  ")], &[]);
        assert_eq!(blank.word, None);
        let kept: Sample = from_pairs([("word", "")], &["word"]);
        assert_eq!(kept.word.as_deref(), Some(""));
    }
}
