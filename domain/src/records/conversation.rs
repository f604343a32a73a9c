//! The conversation of a service record as the helpdesk sends it (issue 24): links to its
//! transcript and its recording at the helpdesk, and the transcript's text, one speaker turn
//! per line (`客户：…` / `客服：…`), which the QA inspector reads beside the checklist and
//! quotes a finding from.

use serde::{Deserialize, Serialize};

use crate::problem::{FieldError, Lines, control_error};

/// Longest link to a transcript or a recording.
pub const MAX_MEDIA_URL_LEN: usize = 2048;
/// Longest transcript, in characters (its lines and the line breaks between them).
pub const MAX_TRANSCRIPT_CHARS: usize = 20_000;
/// Longest line (speaker turn) of a transcript.
pub const MAX_TRANSCRIPT_LINE_CHARS: usize = 2_000;

/// A record's conversation as the inspection sheet shows it; every part may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    /// The transcript at the helpdesk (absolute http(s) link), opened in a new tab.
    pub transcript_url: Option<String>,
    /// The recording at the helpdesk (absolute http(s) link), played in the page.
    pub recording_url: Option<String>,
    /// The transcript's text, one speaker turn per line (`客户：…`); empty when none was sent.
    pub lines: Vec<String>,
}

impl Conversation {
    /// Whether the record came with nothing to read or hear.
    pub fn is_empty(&self) -> bool {
        self.transcript_url.is_none() && self.recording_url.is_none() && self.lines.is_empty()
    }
}

/// A link to a transcript or a recording: trimmed, empty = none; else an absolute `http://` or
/// `https://` URL with a host, without spaces or control characters, at most
/// [`MAX_MEDIA_URL_LEN`] characters (error `invalid_url` or `too_long` on `field`).
pub fn parse_media_url(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<String> {
    let url = text.trim();
    if url.is_empty() {
        return None;
    }
    if url.chars().count() > MAX_MEDIA_URL_LEN {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("use a link of at most {MAX_MEDIA_URL_LEN} characters"),
        ));
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let host_ok = host.is_some_and(|h| {
        let h = h.rsplit('@').next().unwrap_or("");
        !h.is_empty() && !h.starts_with(':')
    });
    if !host_ok || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.push(FieldError::new(
            field,
            "invalid_url",
            "use an absolute link starting with https:// or http://",
        ));
        return None;
    }
    Some(url.to_owned())
}

/// A transcript's text read as lines: line breaks (`\n`, `\r\n`, `\r`) separate speaker
/// turns, each line trimmed, blank lines dropped. At most [`MAX_TRANSCRIPT_CHARS`]
/// characters in all and [`MAX_TRANSCRIPT_LINE_CHARS`] a line, no control character but line
/// breaks and tabs (errors `too_long`, `line_too_long`, `control_character` on `field`).
pub fn parse_transcript(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Vec<String> {
    let before = errors.len();
    if text.chars().count() > MAX_TRANSCRIPT_CHARS {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("use a transcript of at most {MAX_TRANSCRIPT_CHARS} characters"),
        ));
    }
    errors.extend(control_error(field, text, Lines::Multi));
    let lines: Vec<String> = text
        .split(['\n', '\r'])
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    if lines
        .iter()
        .any(|l| l.chars().count() > MAX_TRANSCRIPT_LINE_CHARS)
    {
        errors.push(FieldError::new(
            field,
            "line_too_long",
            format!(
                "a line (one speaker's turn) holds at most {MAX_TRANSCRIPT_LINE_CHARS} characters"
            ),
        ));
    }
    if errors.len() > before {
        Vec::new()
    } else {
        lines
    }
}

/// The stored form of a transcript's lines (joined by line feeds), `None` when it has none.
pub fn join_transcript(lines: &[String]) -> Option<String> {
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The lines of a stored transcript.
pub fn split_transcript(stored: Option<&str>) -> Vec<String> {
    stored
        .map(|t| t.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Whether `quote` (trimmed) is one of the transcript's `lines`.
pub fn is_transcript_line(lines: &[String], quote: &str) -> bool {
    let quote = quote.trim();
    !quote.is_empty() && lines.iter().any(|l| l == quote)
}

/// Who speaks a line of a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// 客户, 顾客, 用户, customer.
    Customer,
    /// 客服, 坐席, 专员, agent.
    Agent,
    /// Another name before the colon (a system message, a third party).
    Other,
}

/// A line read as a speaker turn: the speaker's name before the first `：` or `:` (at most 12
/// characters, as the helpdesk writes `客户：…`), who that is, and what was said; a line
/// without such a name is said by nobody in particular.
pub fn speaker_turn(line: &str) -> (Option<(&str, Speaker)>, &str) {
    let Some(at) = line.find(['：', ':']) else {
        return (None, line);
    };
    let name = line[..at].trim();
    let colon = line[at..].chars().next().map_or(1, char::len_utf8);
    if name.is_empty() || name.chars().count() > 12 {
        return (None, line);
    }
    let lower = name.to_lowercase();
    let speaker = if ["客户", "顾客", "用户", "customer"]
        .iter()
        .any(|w| lower.starts_with(w))
    {
        Speaker::Customer
    } else if ["客服", "坐席", "专员", "agent"]
        .iter()
        .any(|w| lower.starts_with(w))
    {
        Speaker::Agent
    } else {
        Speaker::Other
    };
    (Some((name, speaker)), line[at + colon..].trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Result<Option<String>, String> {
        let mut errors = Vec::new();
        let url = parse_media_url(&mut errors, "recording_url", text);
        match errors.as_slice() {
            [] => Ok(url),
            [e] => Err(e.code.clone()),
            _ => panic!("one error at most"),
        }
    }

    #[test]
    fn links_are_absolute_http_and_of_sane_length() {
        assert_eq!(url("  "), Ok(None));
        assert_eq!(
            url(" https://helpdesk.example.com/calls/9.ogg "),
            Ok(Some("https://helpdesk.example.com/calls/9.ogg".to_owned()))
        );
        assert_eq!(
            url("HTTP://127.0.0.1:8080/r.wav"),
            Ok(Some("HTTP://127.0.0.1:8080/r.wav".to_owned()))
        );
        for bad in [
            "/calls/9.ogg",
            "helpdesk.example.com/9",
            "javascript:alert(1)",
            "ftp://example.com/a",
            "https://",
            "https:///path",
            "https://exa mple.com/",
            "data:audio/ogg;base64,AAAA",
        ] {
            assert_eq!(url(bad), Err("invalid_url".to_owned()), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_MEDIA_URL_LEN));
        assert_eq!(url(&long), Err("too_long".to_owned()));
    }

    #[test]
    fn a_transcript_is_kept_as_its_speaker_turns() {
        let mut errors = Vec::new();
        let lines = parse_transcript(
            &mut errors,
            "transcript",
            "客户：我的快递三天没动了\r\n\n  客服：您好，我帮您查一下 \r客户：好的",
        );
        assert!(errors.is_empty());
        assert_eq!(
            lines,
            [
                "客户：我的快递三天没动了",
                "客服：您好，我帮您查一下",
                "客户：好的"
            ]
        );
        assert_eq!(split_transcript(join_transcript(&lines).as_deref()), lines);
        assert_eq!(join_transcript(&[]), None);
        assert!(is_transcript_line(&lines, " 客户：好的 "));
        assert!(!is_transcript_line(&lines, "客户：好"));
        assert!(!is_transcript_line(&lines, ""));
    }

    #[test]
    fn a_transcript_has_limits() {
        let codes = |text: &str| {
            let mut errors = Vec::new();
            let lines = parse_transcript(&mut errors, "transcript", text);
            assert!(errors.is_empty() || lines.is_empty());
            errors.into_iter().map(|e| e.code).collect::<Vec<_>>()
        };
        assert_eq!(codes(&"客".repeat(MAX_TRANSCRIPT_CHARS)), ["line_too_long"]);
        let many = "客户：好的\n".repeat(MAX_TRANSCRIPT_CHARS / 6 + 1);
        assert_eq!(codes(&many), ["too_long"]);
        assert_eq!(codes("客户：好\u{7}的"), ["control_character"]);
        assert!(codes("客户：\t好的").is_empty());
    }

    #[test]
    fn a_line_names_its_speaker_before_the_colon() {
        assert_eq!(
            speaker_turn("客户：快递没到"),
            (Some(("客户", Speaker::Customer)), "快递没到")
        );
        assert_eq!(
            speaker_turn("客服 小王: 您好"),
            (Some(("客服 小王", Speaker::Agent)), "您好")
        );
        assert_eq!(
            speaker_turn("Customer: hi"),
            (Some(("Customer", Speaker::Customer)), "hi")
        );
        assert_eq!(
            speaker_turn("系统：会话已转接"),
            (Some(("系统", Speaker::Other)), "会话已转接")
        );
        assert_eq!(speaker_turn("好的，谢谢"), (None, "好的，谢谢"));
        assert_eq!(speaker_turn("：开头"), (None, "：开头"));
        let long = "这是一句很长很长很长的话里面有冒号：后面";
        assert_eq!(speaker_turn(long), (None, long));
    }
}
