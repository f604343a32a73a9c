//! The complaint tags' English names (issue 24: every word in the reader's language). A tag is
//! the helpdesk's own word on a service record, Chinese as imported; an admin may give it an
//! English name, which English pages show instead, and the report's mail and CSV (both languages
//! at once) beside it.

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::problem::{FieldError, Lines, control_error};

/// Longest English name of a tag, in characters.
pub const TAG_NAME_EN_MAX_CHARS: usize = 50;
/// Tags per page of the tags' list.
pub const DEFAULT_TAGS_PER_PAGE: u32 = 20;
pub const MAX_TAGS_PER_PAGE: u32 = 100;

/// A complaint tag and its English name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagName {
    /// The helpdesk's tag.
    pub tag: String,
    /// Counted complaints carrying it, ever.
    pub complaints: u64,
    pub name_en: Option<String>,
}

/// `GET /analytics/tags`: one page of the complaint tags, most used first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagNamePage {
    pub tags: Vec<TagName>,
    /// Tags matching the filters.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
    /// Tags (under the search) still without an English name.
    pub unnamed: u64,
}

/// `PUT /analytics/tags/{tag}`: a tag's English name; blank or `null` clears it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagNamePatch {
    pub name_en: Option<String>,
}

impl TagNamePatch {
    /// The name as stored (trimmed; `None` clears it), or what is wrong with it.
    pub fn check(&self) -> Result<Option<String>, Vec<FieldError>> {
        let Some(name) = self
            .name_en
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        else {
            return Ok(None);
        };
        if let Some(error) = control_error("name_en", name, Lines::Single) {
            return Err(vec![error]);
        }
        if name.chars().count() > TAG_NAME_EN_MAX_CHARS {
            return Err(vec![FieldError::new(
                "name_en",
                "too_long",
                format!("at most {TAG_NAME_EN_MAX_CHARS} characters"),
            )]);
        }
        Ok(Some(name.to_owned()))
    }
}

/// A tag in `lang`: its English name on English pages when it has one, else the tag itself.
pub fn tag_in<'a>(lang: Lang, tag: &'a str, name_en: Option<&'a str>) -> &'a str {
    match (lang, name_en) {
        (Lang::En, Some(en)) if !en.is_empty() => en,
        _ => tag,
    }
}

/// A name in both languages at once (a report's mail and CSV): `服务态度 (Attitude)`, or the
/// Chinese alone when there is no English name.
pub fn both_names(zh: &str, en: Option<&str>) -> String {
    match en.map(str::trim).filter(|en| !en.is_empty() && *en != zh) {
        Some(en) => format!("{zh} ({en})"),
        None => zh.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_reads_in_english_only_when_named() {
        assert_eq!(tag_in(Lang::En, "服务态度", Some("Attitude")), "Attitude");
        assert_eq!(tag_in(Lang::Zh, "服务态度", Some("Attitude")), "服务态度");
        assert_eq!(tag_in(Lang::En, "服务态度", None), "服务态度");
        assert_eq!(
            both_names("服务态度", Some("Attitude")),
            "服务态度 (Attitude)"
        );
        assert_eq!(both_names("服务态度", None), "服务态度");
        assert_eq!(both_names("VIP", Some("VIP")), "VIP");
    }

    #[test]
    fn an_english_name_is_trimmed_one_line_and_short() {
        let patch = |n: &str| TagNamePatch {
            name_en: Some(n.into()),
        };
        assert_eq!(patch("  Attitude ").check(), Ok(Some("Attitude".into())));
        assert_eq!(patch("   ").check(), Ok(None));
        assert_eq!(TagNamePatch { name_en: None }.check(), Ok(None));
        assert_eq!(
            patch(&"x".repeat(51)).check().unwrap_err()[0].code,
            "too_long"
        );
        assert_eq!(
            patch("a\nb").check().unwrap_err()[0].code,
            "control_character"
        );
    }
}
