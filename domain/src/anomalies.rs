//! Anomalous evaluations (异常评价): the rules that flag an evaluation for an admin's review
//! when it is submitted, and what each finding says in words.
//!
//! - **extreme**: every answered dimension at 1 star, or every one at 5 (at least 2 answered).
//! - **inconsistent**: the overall score (1-10) and twice the mean of the answered dimensions
//!   (1-5 → 2-10) differ by at least `inconsistency_gap`.
//! - **brushing_burst**: with this one, the customer's evaluations of the same agent within
//!   the last `brushing_window_minutes` reach `brushing_count`.
//! - **brushing_duplicate_text**: the same normalised suggestion ([`normalize_text`]) was
//!   submitted by at least one other customer in the last [`DUPLICATE_TEXT_DAYS`] days; texts
//!   shorter than [`DUPLICATE_TEXT_MIN_CHARS`] once normalised ("很好") never count.
//! - **too_fast**: the form was open fewer than `anomaly_min_form_seconds` seconds.
//! - **abusive**: the suggestion contains a term of the admins' lexicon ([`lexicon_matches`]).
//!
//! [`detect`] is pure: the server looks up what the rules need from earlier evaluations (how
//! many there are in the burst window, how many other customers wrote the same text) and
//! passes it in an [`AnomalyContext`].

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::settings::Settings;
use crate::text::normalize_for_matching;

/// Days back in which the same suggestion from another customer counts as a duplicate.
pub const DUPLICATE_TEXT_DAYS: u32 = 30;

/// Normalised suggestions shorter than this (in characters) are never duplicates: "很好",
/// "谢谢", "good" are what many people write.
pub const DUPLICATE_TEXT_MIN_CHARS: usize = 6;

closed_list! {
    /// A rule that flags an evaluation.
    #[derive(PartialOrd, Ord)]
    pub enum AnomalyRule {
        /// All answered dimensions at the minimum (1) or all at the maximum (5).
        Extreme = "extreme" ("极端评分", "Extreme scores"),
        /// The overall score and the dimension scores disagree strongly.
        Inconsistent = "inconsistent" ("评分自相矛盾", "Inconsistent scores"),
        /// Suspected brushing (刷单): a burst of evaluations of one agent by one customer.
        BrushingBurst = "brushing_burst" ("疑似刷单：短时间内集中评价", "Suspected brushing: a burst of evaluations"),
        /// Suspected brushing: the same suggestion text from several customers.
        BrushingDuplicateText = "brushing_duplicate_text" ("疑似刷单：多位客户内容相同", "Suspected brushing: same text from several customers"),
        /// Suspected brushing: the form was filled implausibly fast.
        TooFast = "too_fast" ("疑似刷单：填写过快", "Suspected brushing: filled in too fast"),
        /// Malicious: abusive words from the lexicon.
        Abusive = "abusive" ("恶意评价：含不当用语", "Abusive: words from the lexicon"),
    }
}

/// What a rule found, with the numbers that make it readable; stored as JSON with the flag
/// and sent to admins. `rule` is the tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Finding {
    /// Every one of `answered` dimensions at `score` (1 or 5).
    Extreme { score: u8, answered: u32 },
    /// `overall` (1-10) against `dimension_mean` (1-5, two decimals): twice the mean differs
    /// from the overall score by `gap`, at least `threshold`.
    Inconsistent {
        overall: u8,
        dimension_mean: f64,
        gap: f64,
        threshold: u8,
    },
    /// `evaluations` evaluations of the agent `agent_no` by one customer within
    /// `window_minutes` minutes (this one included).
    BrushingBurst {
        evaluations: u32,
        agent_no: String,
        window_minutes: u32,
    },
    /// The same suggestion as `other_customers` other customers within `days` days.
    BrushingDuplicateText { other_customers: u32, days: u32 },
    /// The form was open `form_seconds` seconds, fewer than `min_seconds`.
    TooFast { form_seconds: u32, min_seconds: u32 },
    /// The lexicon terms found in the suggestion.
    Abusive { terms: Vec<String> },
}

impl Finding {
    pub fn rule(&self) -> AnomalyRule {
        match self {
            Finding::Extreme { .. } => AnomalyRule::Extreme,
            Finding::Inconsistent { .. } => AnomalyRule::Inconsistent,
            Finding::BrushingBurst { .. } => AnomalyRule::BrushingBurst,
            Finding::BrushingDuplicateText { .. } => AnomalyRule::BrushingDuplicateText,
            Finding::TooFast { .. } => AnomalyRule::TooFast,
            Finding::Abusive { .. } => AnomalyRule::Abusive,
        }
    }

    /// The finding in English words, e.g. "3 evaluations of E1003 by this customer within 60
    /// minutes".
    pub fn detail_en(&self) -> String {
        self.detail(false)
    }

    /// The finding in Chinese, e.g. "该客户 60 分钟内对 E1003 提交了 3 条评价".
    pub fn detail_zh(&self) -> String {
        self.detail(true)
    }

    /// The finding in Chinese (`zh`) or English words.
    fn detail(&self, zh: bool) -> String {
        match self {
            Finding::Extreme { score, answered } => {
                if zh {
                    format!("全部 {answered} 个已评维度均为 {score} 星")
                } else {
                    let stars = if *score == 1 { "1 star" } else { "5 stars" };
                    format!("all {answered} answered dimensions at {stars}")
                }
            }
            Finding::Inconsistent {
                overall,
                dimension_mean,
                gap,
                threshold,
            } => {
                if zh {
                    format!(
                        "总体满意度 {overall}/10，维度平均 {dimension_mean:.1}/5（差距 {gap:.1}，阈值 {threshold}）"
                    )
                } else {
                    format!(
                        "overall {overall}/10 but dimensions average {dimension_mean:.1}/5 \
                         (gap {gap:.1}, threshold {threshold})"
                    )
                }
            }
            Finding::BrushingBurst {
                evaluations,
                agent_no,
                window_minutes,
            } => {
                if zh {
                    format!(
                        "该客户 {window_minutes} 分钟内对 {agent_no} 提交了 {evaluations} 条评价"
                    )
                } else {
                    format!(
                        "{evaluations} evaluations of {agent_no} by this customer within \
                         {window_minutes} minutes"
                    )
                }
            }
            Finding::BrushingDuplicateText {
                other_customers,
                days,
            } => {
                if zh {
                    format!("与另外 {other_customers} 位客户 {days} 天内的建议内容相同")
                } else if *other_customers == 1 {
                    format!("same text as 1 other customer within {days} days")
                } else {
                    format!("same text as {other_customers} other customers within {days} days")
                }
            }
            Finding::TooFast {
                form_seconds,
                min_seconds,
            } => {
                if zh {
                    format!("表单仅用 {form_seconds} 秒填写（少于 {min_seconds} 秒）")
                } else {
                    format!("form filled in {form_seconds} s (less than {min_seconds} s)")
                }
            }
            Finding::Abusive { terms } => {
                if zh {
                    format!("含不当用语：{}", terms.join("、"))
                } else {
                    format!("abusive words: {}", terms.join(", "))
                }
            }
        }
    }
}

/// The submission being checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnomalyInput<'a> {
    /// One entry per form dimension, `None` for an optional one left unanswered.
    pub scores: &'a [Option<u8>],
    /// 1 to 10.
    pub overall: u8,
    /// Trimmed, `None` when blank.
    pub suggestion: Option<&'a str>,
    pub form_seconds: Option<u32>,
}

/// What the server looked up about earlier evaluations for the rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnomalyContext {
    /// The agent's number, for the burst's words.
    pub agent_no: String,
    /// The customer's earlier evaluations of the same agent submitted in the burst window
    /// ([`brushing_window_start`] to now), this one not included.
    pub earlier_in_window: u32,
    /// Other customers (distinct) who submitted the same normalised suggestion in the last
    /// [`DUPLICATE_TEXT_DAYS`] days (see [`duplicate_key`]).
    pub other_customers_same_text: u32,
}

/// The earliest submission time counted in a burst ending at `now` (inclusive).
pub fn brushing_window_start(now: DateTime<Utc>, settings: &Settings) -> DateTime<Utc> {
    now - Duration::minutes(i64::from(settings.brushing_window_minutes))
}

/// The earliest submission time whose suggestion counts as a duplicate at `now` (inclusive).
pub fn duplicate_window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(i64::from(DUPLICATE_TEXT_DAYS))
}

/// A suggestion as compared across customers: in the form the rules compare texts in
/// ([`normalize_for_matching`]: compatibility and full-width forms folded, invisible characters
/// removed, look-alike letters made Latin, lower-cased), and everything but letters and digits
/// (whitespace, ASCII and CJK punctuation, symbols, emoji) removed. "服务很好，  谢谢！" and
/// "服务很好谢谢" are the same text.
pub fn normalize_text(text: &str) -> String {
    normalize_for_matching(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The key duplicates of `suggestion` are looked up by: its [`normalize_text`], or `None`
/// when that is shorter than [`DUPLICATE_TEXT_MIN_CHARS`] characters.
pub fn duplicate_key(suggestion: &str) -> Option<String> {
    let key = normalize_text(suggestion);
    (key.chars().count() >= DUPLICATE_TEXT_MIN_CHARS).then_some(key)
}

/// The lexicon terms `text` contains, case-insensitively, in the lexicon's order (each once),
/// both compared as they look ([`normalize_for_matching`]: a zero-width space, a soft hyphen or
/// a Cyrillic `о` inside a word does not hide it).
/// A term of ASCII letters and digits only (`idiot`, `scam`) must start a word: it matches
/// "Idiots!" and "scammer" but not "class" for `ass`; any other term (`垃圾`, `f*ck`) matches
/// anywhere. Blank terms never match.
pub fn lexicon_matches<S: AsRef<str>>(text: &str, lexicon: &[S]) -> Vec<String> {
    let text = normalize_for_matching(text);
    let mut found: Vec<String> = Vec::new();
    for term in lexicon {
        let term = term.as_ref().trim();
        let matched = normalize_for_matching(term);
        if matched.is_empty() {
            continue;
        }
        let lowered: String = term.chars().flat_map(char::to_lowercase).collect();
        let word = matched.chars().all(|c| c.is_ascii_alphanumeric());
        let hit = text.match_indices(&matched).any(|(at, _)| {
            !word
                || !text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        });
        if hit && !found.contains(&lowered) {
            found.push(lowered);
        }
    }
    found
}

/// Every finding of a submission, in [`AnomalyRule::ALL`]'s order.
pub fn findings<S: AsRef<str>>(
    input: &AnomalyInput<'_>,
    context: &AnomalyContext,
    settings: &Settings,
    lexicon: &[S],
) -> Vec<Finding> {
    let mut found = Vec::new();
    let answered: Vec<u8> = input.scores.iter().flatten().copied().collect();
    let n = answered.len() as u32;
    if n >= 2 {
        for extreme in [1, 5] {
            if answered.iter().all(|&s| s == extreme) {
                found.push(Finding::Extreme {
                    score: extreme,
                    answered: n,
                });
            }
        }
    }
    if n >= 1 {
        // |overall − 2 × sum / n| ≥ gap, in integers: |overall × n − 2 × sum| ≥ gap × n.
        let sum: i64 = answered.iter().map(|&s| i64::from(s)).sum();
        let n64 = i64::from(n);
        let difference = (i64::from(input.overall) * n64 - 2 * sum).abs();
        if difference >= i64::from(settings.inconsistency_gap) * n64 {
            let mean = sum as f64 / n as f64;
            found.push(Finding::Inconsistent {
                overall: input.overall,
                dimension_mean: (mean * 100.0).round() / 100.0,
                gap: ((difference as f64 / n as f64) * 100.0).round() / 100.0,
                threshold: settings.inconsistency_gap,
            });
        }
    }
    let evaluations = context.earlier_in_window.saturating_add(1);
    if evaluations >= settings.brushing_count {
        found.push(Finding::BrushingBurst {
            evaluations,
            agent_no: context.agent_no.clone(),
            window_minutes: settings.brushing_window_minutes,
        });
    }
    let suggestion = input.suggestion.map(str::trim).filter(|s| !s.is_empty());
    if context.other_customers_same_text >= 1 && suggestion.and_then(duplicate_key).is_some() {
        found.push(Finding::BrushingDuplicateText {
            other_customers: context.other_customers_same_text,
            days: DUPLICATE_TEXT_DAYS,
        });
    }
    if let Some(seconds) = input.form_seconds
        && seconds < settings.anomaly_min_form_seconds
    {
        found.push(Finding::TooFast {
            form_seconds: seconds,
            min_seconds: settings.anomaly_min_form_seconds,
        });
    }
    if let Some(text) = suggestion {
        let terms = lexicon_matches(text, lexicon);
        if !terms.is_empty() {
            found.push(Finding::Abusive { terms });
        }
    }
    found
}

/// The rules a submission matches, in [`AnomalyRule::ALL`]'s order; empty when it is not
/// anomalous.
pub fn detect<S: AsRef<str>>(
    input: &AnomalyInput<'_>,
    context: &AnomalyContext,
    settings: &Settings,
    lexicon: &[S],
) -> Vec<AnomalyRule> {
    findings(input, context, settings, lexicon)
        .iter()
        .map(Finding::rule)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_TERMS: [&str; 0] = [];

    fn input(scores: &[Option<u8>], overall: u8) -> AnomalyInput<'_> {
        AnomalyInput {
            scores,
            overall,
            suggestion: None,
            form_seconds: Some(60),
        }
    }

    fn rules(input: &AnomalyInput<'_>) -> Vec<AnomalyRule> {
        detect(
            input,
            &AnomalyContext::default(),
            &Settings::default(),
            &NO_TERMS,
        )
    }

    #[test]
    fn an_ordinary_evaluation_matches_nothing() {
        let scores = [Some(5), Some(5), Some(4), Some(5), Some(5), None];
        assert!(rules(&input(&scores, 9)).is_empty());
    }

    #[test]
    fn extreme_needs_every_answered_dimension_at_one_end_and_two_of_them() {
        let all_five = [Some(5), Some(5), Some(5), None];
        assert_eq!(rules(&input(&all_five, 10)), [AnomalyRule::Extreme]);
        let all_one = [Some(1), Some(1), Some(1), Some(1), Some(1)];
        assert_eq!(rules(&input(&all_one, 2)), [AnomalyRule::Extreme]);
        let almost = [Some(5), Some(5), Some(4)];
        assert!(rules(&input(&almost, 10)).is_empty());
        let two = [Some(1), Some(1)];
        assert_eq!(rules(&input(&two, 2)), [AnomalyRule::Extreme]);
        let one = [Some(5), None];
        assert!(
            rules(&input(&one, 10)).is_empty(),
            "one answer is not enough"
        );
        let found = findings(
            &input(&all_one, 2),
            &AnomalyContext::default(),
            &Settings::default(),
            &NO_TERMS,
        );
        assert_eq!(
            found,
            [Finding::Extreme {
                score: 1,
                answered: 5
            }]
        );
        assert_eq!(found[0].detail_en(), "all 5 answered dimensions at 1 star");
    }

    #[test]
    fn inconsistent_at_exactly_the_gap_and_not_below() {
        // Default gap 5. Dimensions mean 1 → 2; overall 7 differs by 5: flagged.
        let ones = [Some(1), Some(1), Some(2), Some(1)]; // mean 1.25 → 2.5
        assert!(rules(&input(&ones, 7)).is_empty(), "gap 4.5");
        assert_eq!(
            rules(&input(&ones, 8)),
            [AnomalyRule::Inconsistent],
            "gap 5.5"
        );
        let threes = [Some(3), Some(3), Some(3)]; // → 6
        assert!(rules(&input(&threes, 10)).is_empty(), "gap 4");
        assert!(rules(&input(&threes, 2)).is_empty(), "gap 4 the other way");
        assert_eq!(
            rules(&input(&threes, 1)),
            [AnomalyRule::Inconsistent],
            "gap 5"
        );
        let fours = [Some(4), Some(4)]; // → 8
        assert_eq!(
            rules(&input(&fours, 3)),
            [AnomalyRule::Inconsistent],
            "gap 5"
        );
        assert!(rules(&input(&fours, 4)).is_empty(), "gap 4");
        // Other threshold.
        let settings = Settings {
            inconsistency_gap: 3,
            ..Settings::default()
        };
        let found = findings(
            &input(&threes, 9),
            &AnomalyContext::default(),
            &settings,
            &NO_TERMS,
        );
        assert_eq!(
            found,
            [Finding::Inconsistent {
                overall: 9,
                dimension_mean: 3.0,
                gap: 3.0,
                threshold: 3
            }]
        );
        assert_eq!(
            found[0].detail_en(),
            "overall 9/10 but dimensions average 3.0/5 (gap 3.0, threshold 3)"
        );
    }

    #[test]
    fn extreme_and_inconsistent_together() {
        let all_five = [Some(5), Some(5), Some(5)];
        assert_eq!(
            rules(&input(&all_five, 1)),
            [AnomalyRule::Extreme, AnomalyRule::Inconsistent]
        );
    }

    fn with_context(context: &AnomalyContext, settings: &Settings) -> Vec<AnomalyRule> {
        let scores = [Some(4), Some(4), Some(5)];
        let input = AnomalyInput {
            scores: &scores,
            overall: 9,
            suggestion: Some("非常满意这次的服务体验"),
            form_seconds: Some(60),
        };
        detect(&input, context, settings, &NO_TERMS)
    }

    #[test]
    fn a_burst_reaches_the_count_with_this_evaluation() {
        let settings = Settings::default(); // 3 within 60 minutes
        let earlier = |n| AnomalyContext {
            agent_no: "E1003".to_owned(),
            earlier_in_window: n,
            ..AnomalyContext::default()
        };
        assert!(with_context(&earlier(0), &settings).is_empty());
        assert!(with_context(&earlier(1), &settings).is_empty(), "2 of 3");
        assert_eq!(
            with_context(&earlier(2), &settings),
            [AnomalyRule::BrushingBurst],
            "3 of 3"
        );
        assert_eq!(
            with_context(&earlier(7), &settings),
            [AnomalyRule::BrushingBurst]
        );
        let two = Settings {
            brushing_count: 2,
            ..Settings::default()
        };
        assert_eq!(
            with_context(&earlier(1), &two),
            [AnomalyRule::BrushingBurst]
        );
        let scores = [Some(4)];
        let found = findings(&input(&scores, 8), &earlier(2), &settings, &NO_TERMS);
        assert_eq!(
            found[0].detail_en(),
            "3 evaluations of E1003 by this customer within 60 minutes"
        );
        assert_eq!(
            found[0].detail_zh(),
            "该客户 60 分钟内对 E1003 提交了 3 条评价"
        );
    }

    #[test]
    fn the_burst_window_includes_its_first_instant() {
        let now: DateTime<Utc> = "2026-11-22T03:00:00Z".parse().unwrap();
        let settings = Settings::default();
        assert_eq!(
            brushing_window_start(now, &settings),
            "2026-11-22T02:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            duplicate_window_start(now),
            "2026-10-23T03:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn duplicate_text_needs_another_customer_and_a_long_enough_text() {
        let settings = Settings::default();
        let others = |n| AnomalyContext {
            other_customers_same_text: n,
            ..AnomalyContext::default()
        };
        assert!(with_context(&others(0), &settings).is_empty());
        assert_eq!(
            with_context(&others(1), &settings),
            [AnomalyRule::BrushingDuplicateText]
        );
        let scores = [Some(4), Some(4)];
        let short = AnomalyInput {
            scores: &scores,
            overall: 8,
            suggestion: Some("很好！"),
            form_seconds: None,
        };
        assert!(
            detect(&short, &others(5), &settings, &NO_TERMS).is_empty(),
            "too short to compare"
        );
        let found = findings(
            &AnomalyInput {
                suggestion: Some("服务很好，谢谢你们"),
                ..short
            },
            &others(2),
            &settings,
            &NO_TERMS,
        );
        assert_eq!(
            found[0].detail_en(),
            "same text as 2 other customers within 30 days"
        );
    }

    #[test]
    fn texts_are_normalised_before_they_are_compared() {
        assert_eq!(normalize_text(" 服务很好，  谢谢！ "), "服务很好谢谢");
        assert_eq!(
            normalize_text("Great   service!!! Thanks."),
            "greatservicethanks"
        );
        assert_eq!(
            normalize_text("ＧＲＥＡＴ　ｓｅｒｖｉｃｅ１２３。"),
            "greatservice123"
        );
        assert_eq!(normalize_text("《好》【评】“赞”……—～·"), "好评赞");
        assert_eq!(normalize_text("👍👍👍"), "");
        assert_eq!(
            normalize_text("服务很\u{200B}好，谢\u{00AD}谢您"),
            normalize_text("服务很好谢谢您")
        );
        assert_eq!(normalize_text("Gооd jоb, thanks"), "goodjobthanks");
        // Six characters is the shortest that counts.
        assert_eq!(duplicate_key("很好"), None);
        assert_eq!(duplicate_key("服务很好，谢"), None, "5 characters");
        assert_eq!(
            duplicate_key("服务很好谢谢"),
            Some("服务很好谢谢".to_owned())
        );
        assert_eq!(duplicate_key("Good!!"), None, "4 characters");
        assert_eq!(duplicate_key("good job"), Some("goodjob".to_owned()));
    }

    #[test]
    fn too_fast_below_the_minimum_only() {
        let settings = Settings::default(); // 10 s
        let scores = [Some(4), Some(3)];
        let at = |form_seconds| AnomalyInput {
            scores: &scores,
            overall: 7,
            suggestion: None,
            form_seconds,
        };
        let none = AnomalyContext::default();
        assert_eq!(
            detect(&at(Some(9)), &none, &settings, &NO_TERMS),
            [AnomalyRule::TooFast]
        );
        assert_eq!(
            detect(&at(Some(0)), &none, &settings, &NO_TERMS),
            [AnomalyRule::TooFast]
        );
        assert!(detect(&at(Some(10)), &none, &settings, &NO_TERMS).is_empty());
        assert!(
            detect(&at(None), &none, &settings, &NO_TERMS).is_empty(),
            "unknown time"
        );
        let off = Settings {
            anomaly_min_form_seconds: 0,
            ..Settings::default()
        };
        assert!(detect(&at(Some(0)), &none, &off, &NO_TERMS).is_empty());
        assert_eq!(
            findings(&at(Some(3)), &none, &settings, &NO_TERMS)[0].detail_en(),
            "form filled in 3 s (less than 10 s)"
        );
    }

    #[test]
    fn abusive_words_in_chinese_and_english_case_insensitively() {
        let lexicon = ["垃圾", "骗子", "idiot", "f*ck", "scam", "ass"];
        assert_eq!(lexicon_matches("什么垃圾服务", &lexicon), ["垃圾"]);
        assert_eq!(
            lexicon_matches("You IDIOT, a scam!", &lexicon),
            ["idiot", "scam"]
        );
        assert_eq!(lexicon_matches("Idiots everywhere", &lexicon), ["idiot"]);
        assert_eq!(lexicon_matches("scammers", &lexicon), ["scam"]);
        assert_eq!(lexicon_matches("F*CK this", &lexicon), ["f*ck"]);
        assert_eq!(
            lexicon_matches("ｉｄｉｏｔ", &lexicon),
            ["idiot"],
            "full width"
        );
        assert!(lexicon_matches("first class service", &lexicon).is_empty());
        // Invisible characters and look-alike letters do not hide a term.
        let chinese = ["傻逼"];
        for hidden in [
            "客服是傻\u{200B}逼",
            "客服是傻\u{200D}逼",
            "客服是傻\u{00AD}逼",
            "客服是傻\u{2060}逼",
        ] {
            assert_eq!(lexicon_matches(hidden, &chinese), ["傻逼"], "{hidden:?}");
        }
        assert_eq!(lexicon_matches("idi\u{200B}ot", &lexicon), ["idiot"]);
        assert_eq!(lexicon_matches("idiоt", &lexicon), ["idiot"], "Cyrillic о");
        assert_eq!(lexicon_matches("what an idiot", &["idiоt"]), ["idiоt"]);
        assert!(lexicon_matches("很好", &lexicon).is_empty());
        assert_eq!(lexicon_matches("垃圾垃圾", &lexicon), ["垃圾"], "once");
        assert!(lexicon_matches("anything", &["", "  "]).is_empty());
        let scores = [Some(3), Some(3)];
        let said = |text| AnomalyInput {
            scores: &scores,
            overall: 6,
            suggestion: Some(text),
            form_seconds: None,
        };
        let settings = Settings::default();
        let none = AnomalyContext::default();
        assert_eq!(
            detect(&said("骗子公司"), &none, &settings, &lexicon),
            [AnomalyRule::Abusive]
        );
        assert!(detect(&said("还不错"), &none, &settings, &lexicon).is_empty());
        let found = findings(&said("垃圾，骗子"), &none, &settings, &lexicon);
        assert_eq!(found[0].detail_zh(), "含不当用语：垃圾、骗子");
    }

    #[test]
    fn every_rule_at_once_in_order() {
        let scores = [Some(5), Some(5)];
        let input = AnomalyInput {
            scores: &scores,
            overall: 1,
            suggestion: Some("垃圾客服，全都是骗子"),
            form_seconds: Some(2),
        };
        let context = AnomalyContext {
            agent_no: "E1001".to_owned(),
            earlier_in_window: 2,
            other_customers_same_text: 1,
        };
        assert_eq!(
            detect(&input, &context, &Settings::default(), &["垃圾"]),
            AnomalyRule::ALL
        );
    }

    #[test]
    fn rules_and_findings_round_trip_as_json() {
        for rule in AnomalyRule::ALL {
            assert_eq!(AnomalyRule::parse(rule.as_str()), Some(rule));
            assert_eq!(
                serde_json::to_value(rule).unwrap(),
                serde_json::json!(rule.as_str())
            );
        }
        let finding = Finding::BrushingBurst {
            evaluations: 3,
            agent_no: "E1001".to_owned(),
            window_minutes: 60,
        };
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["rule"], "brushing_burst");
        assert_eq!(serde_json::from_value::<Finding>(json).unwrap(), finding);
    }
}
