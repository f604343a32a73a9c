//! The demo suggestions: hand-written phrases, in Chinese and English, combined one to three
//! at a time. What they say follows the evaluation: complaints about what went wrong on low
//! scores, praise of what went well on high ones, both on middling ones; a share are the
//! identical stock phrases ("很好", "Great service") real customers type.

use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// The language a customer writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// How the customer felt, from the total score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Negative,
    Mixed,
    Positive,
}

/// What a phrase is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    Speed,
    Resolution,
    Attitude,
    Knowledge,
    Explanation,
    FollowUp,
    Logistics,
    Refund,
    Repair,
    /// Waiting on the phone.
    Hold,
    /// Waiting in the store.
    Queue,
    Environment,
    General,
}

/// What the suggestion reacts to.
#[derive(Debug, Clone)]
pub struct Cause {
    pub tone: Tone,
    pub service_type: &'static str,
    /// The first response missed its SLA.
    pub late: bool,
    /// Not resolved at first contact.
    pub unresolved: bool,
    /// Served by one of the weak agents.
    pub weak_agent: bool,
    /// The record is about a return or a refund.
    pub refund: bool,
    /// All-5 or all-1 evaluations: mostly a stock phrase.
    pub extreme: bool,
    /// Dimensions scored 1 or 2.
    pub low: Vec<&'static str>,
    /// Dimensions scored 5.
    pub high: Vec<&'static str>,
}

/// A suggestion for `cause`, at most a few dozen characters (always ≤ 500).
pub fn compose(rng: &mut ChaCha8Rng, lang: Lang, cause: &Cause) -> String {
    let stock_share = if cause.extreme { 0.5 } else { 0.14 };
    if rng.random_bool(stock_share) {
        // The first stock phrase ("很好", "Great service") is the most common one.
        let phrases = stock(lang, cause.tone);
        return if rng.random_bool(0.3) {
            phrases[0]
        } else {
            pick(rng, phrases)
        }
        .to_owned();
    }
    let mut parts: Vec<(&'static str, Link)> = Vec::new();
    match cause.tone {
        Tone::Negative => {
            for topic in choose_topics(rng, &negative_topics(cause), 0.6) {
                parts.push((pick(rng, complaints(lang, topic)), link_of(topic)));
            }
            if rng.random_bool(0.35) {
                let topic = negative_topics(cause)[0];
                parts.push((pick(rng, wishes(lang, topic)), Link::Wish));
            }
        }
        Tone::Positive => {
            for topic in choose_topics(rng, &positive_topics(cause), 0.2) {
                parts.push((pick(rng, praise(lang, topic)), link_of(topic)));
            }
        }
        Tone::Mixed => {
            let good = pick_topic(rng, &positive_topics(cause), 0.2);
            // What went wrong, leaving out what would contradict the praise.
            let bad: Vec<Topic> = negative_topics(cause)
                .into_iter()
                .filter(|&bad| !contradicts(good, bad) && bad != Topic::General)
                .collect();
            let bad = if bad.is_empty() {
                Topic::General
            } else {
                pick_topic(rng, &bad, 0.6)
            };
            match rng.random_range(0..10) {
                0..=5 if bad != Topic::General => {
                    parts.push((pick(rng, praise(lang, good)), Link::Same));
                    parts.push((pick(rng, complaints(lang, bad)), Link::Contrast));
                }
                0..=7 => {
                    parts.push((pick(rng, so_so(lang)), Link::Same));
                    parts.push((pick(rng, wishes(lang, bad)), Link::Wish));
                }
                _ => {
                    parts.push((pick(rng, praise(lang, good)), Link::Same));
                    parts.push((pick(rng, wishes(lang, bad)), Link::Wish));
                }
            }
        }
    }
    let text = join(rng, lang, cause.tone, &parts);
    debug_assert!(text.chars().count() <= pingjia_domain::evaluations::SUGGESTION_MAX_CHARS);
    text
}

/// How a phrase attaches to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// Another point of the same tone.
    Same,
    /// A closing remark ("非常满意", "very disappointing").
    Close,
    Contrast,
    Wish,
}

fn link_of(topic: Topic) -> Link {
    if topic == Topic::General {
        Link::Close
    } else {
        Link::Same
    }
}

/// Whether praising `good` and complaining about `bad` in one breath would contradict.
fn contradicts(good: Topic, bad: Topic) -> bool {
    use Topic::*;
    good == bad
        || matches!(
            (good, bad),
            (Speed, Hold | Queue) | (Environment, Queue) | (Explanation, Knowledge)
        )
}

fn pick(rng: &mut ChaCha8Rng, phrases: &'static [&'static str]) -> &'static str {
    phrases.choose(rng).expect("every pool has phrases")
}

/// A topic, the first (the strongest cause) with an extra chance `first`.
fn pick_topic(rng: &mut ChaCha8Rng, topics: &[Topic], first: f64) -> Topic {
    if rng.random_bool(first) {
        topics[0]
    } else {
        *topics.choose(rng).expect("topics are never empty")
    }
}

/// One to three distinct topics, the first with an extra chance `first` to lead.
fn choose_topics(rng: &mut ChaCha8Rng, topics: &[Topic], first: f64) -> Vec<Topic> {
    let n = match rng.random::<f64>() {
        x if x < 0.45 => 1,
        x if x < 0.85 => 2,
        _ => 3,
    };
    let mut chosen = vec![pick_topic(rng, topics, first)];
    let mut rest: Vec<Topic> = topics
        .iter()
        .copied()
        .filter(|t| !chosen.contains(t))
        .collect();
    if !chosen.contains(&Topic::General) && !rest.contains(&Topic::General) {
        rest.push(Topic::General);
    }
    while chosen.len() < n && !rest.is_empty() {
        let index = rng.random_range(0..rest.len());
        chosen.push(rest.remove(index));
    }
    // A general remark ("非常满意") closes.
    if let Some(index) = chosen.iter().position(|&t| t == Topic::General) {
        let general = chosen.remove(index);
        chosen.push(general);
    }
    chosen
}

/// What went wrong, the strongest cause first; never empty.
fn negative_topics(cause: &Cause) -> Vec<Topic> {
    let low = |code| cause.low.contains(&code);
    let mut topics = Vec::new();
    if cause.late || low("responsiveness") {
        topics.push(Topic::Speed);
    }
    if cause.unresolved || low("resolution") {
        topics.push(Topic::Resolution);
    }
    if cause.weak_agent || low("attitude") {
        topics.push(Topic::Attitude);
    }
    if cause.refund {
        topics.push(Topic::Refund);
    }
    match cause.service_type {
        "delivery" => topics.push(Topic::Logistics),
        "after_sales_repair" => topics.push(Topic::Repair),
        "phone_follow_up" => topics.push(Topic::Hold),
        "in_store" => topics.push(Topic::Queue),
        _ => {}
    }
    if low("professionalism") {
        topics.push(Topic::Knowledge);
    }
    if topics.is_empty() {
        topics.push(Topic::General);
    }
    topics
}

/// What went well, the most telling first; never empty.
fn positive_topics(cause: &Cause) -> Vec<Topic> {
    let high = |code| cause.high.contains(&code);
    let mut topics = Vec::new();
    if high("responsiveness") && !cause.late {
        topics.push(Topic::Speed);
    }
    if high("resolution") && !cause.unresolved {
        topics.push(Topic::Resolution);
    }
    if high("attitude") {
        topics.push(Topic::Attitude);
    }
    if high("professionalism") {
        topics.push(Topic::Knowledge);
        topics.push(Topic::Explanation);
    }
    if high("added_value") || cause.service_type == "phone_follow_up" {
        topics.push(Topic::FollowUp);
    }
    match cause.service_type {
        "delivery" => topics.push(Topic::Logistics),
        "after_sales_repair" => topics.push(Topic::Repair),
        "in_store" => topics.push(Topic::Environment),
        _ => topics.push(Topic::Explanation),
    }
    topics.dedup();
    topics
}

/// The phrases joined with natural connectors and closing punctuation.
fn join(rng: &mut ChaCha8Rng, lang: Lang, tone: Tone, parts: &[(&str, Link)]) -> String {
    let mut text = String::new();
    for (index, &(phrase, link)) in parts.iter().enumerate() {
        if index > 0 {
            let connectors: &[&str] = match (lang, link) {
                (Lang::Zh, Link::Same) => &["，", "，", "，而且", "，另外", "。"],
                (Lang::Zh, Link::Close) => &["，", "。", "！"],
                (Lang::Zh, Link::Contrast) => &["，但是", "，不过", "，就是", "。但是"],
                (Lang::Zh, Link::Wish) => &["，", "。", "。"],
                (Lang::En, Link::Same) => &[", ", ", and ", ". ", "; "],
                (Lang::En, Link::Close) => &[", ", ". ", "! "],
                (Lang::En, Link::Contrast) => &[", but ", ". But ", ". However, "],
                (Lang::En, Link::Wish) => &[". ", ". ", "; "],
            };
            text.push_str(connectors.choose(rng).expect("connectors"));
        }
        text.push_str(phrase);
    }
    let endings: &[&str] = match (lang, tone) {
        (Lang::Zh, Tone::Mixed) => &["。", "。", ""],
        (Lang::Zh, _) => &["。", "。", "。", "。", "！", "！", "", "", "！！"],
        (Lang::En, Tone::Mixed) => &[".", ".", ""],
        (Lang::En, _) => &[".", ".", ".", "!", ""],
    };
    text.push_str(endings.choose(rng).expect("endings"));
    if lang == Lang::En {
        text = capitalise_sentences(&text);
    }
    text
}

/// Upper-cases the first letter of the text and of every sentence after ". " or "! ".
fn capitalise_sentences(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    let mut previous = ' ';
    for c in text.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            start = false;
        } else {
            out.push(c);
            if c.is_alphanumeric() {
                start = false;
            }
        }
        if c == ' ' && matches!(previous, '.' | '!') {
            start = true;
        }
        previous = c;
    }
    out
}

/// Identical short answers many customers give.
fn stock(lang: Lang, tone: Tone) -> &'static [&'static str] {
    match (lang, tone) {
        (Lang::Zh, Tone::Positive) => &["很好", "满意", "非常满意", "好评", "服务很好", "谢谢"],
        (Lang::Zh, Tone::Mixed) => &["一般", "还行", "还可以"],
        (Lang::Zh, Tone::Negative) => &["差评", "不满意", "太慢了", "很差"],
        (Lang::En, Tone::Positive) => &["Great service", "Very satisfied", "Thank you!", "Good"],
        (Lang::En, Tone::Mixed) => &["OK", "Average", "It was fine"],
        (Lang::En, Tone::Negative) => &["Bad service", "Too slow", "Not satisfied"],
    }
}

/// Openers of a lukewarm suggestion.
fn so_so(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &["总体还行", "还可以吧", "一般般", "整体还算满意", "马马虎虎"],
        Lang::En => &[
            "it was OK overall",
            "not bad",
            "overall fine",
            "average experience",
        ],
    }
}

fn complaints(lang: Lang, topic: Topic) -> &'static [&'static str] {
    match lang {
        Lang::Zh => match topic {
            Topic::Speed => &[
                "回复太慢了",
                "等了半天才有人回复",
                "消息发出去很久才有回应",
                "响应速度太慢，每句话都要等好几分钟",
                "第一次联系等了两个多小时才有人处理",
                "反应太慢，耽误了我的事情",
                "提交问题后一直没人理",
            ],
            Topic::Resolution => &[
                "问题到现在还没有解决",
                "说好的处理方案一直没有落实",
                "问题没有解决，还得再联系一次",
                "反复沟通了好几次，问题还是没解决",
                "只是记录了问题，没有给出解决办法",
                "答应回电话结果一直没有回",
            ],
            Topic::Attitude => &[
                "客服态度很差",
                "态度冷淡，感觉很不耐烦",
                "说话语气生硬，让人很不舒服",
                "回答敷衍，一直在推卸责任",
                "还没说完就被打断了",
                "服务人员爱答不理的",
            ],
            Topic::Knowledge | Topic::Explanation => &[
                "客服对产品不熟悉，一问三不知",
                "回答前后矛盾，不够专业",
                "解释不清楚，听完还是不明白",
                "给的信息是错的，害我白跑一趟",
            ],
            Topic::Logistics => &[
                "物流太慢了，比承诺的时间晚了两天",
                "快递延迟送达，也没有提前通知",
                "配送员没打电话就把货放在门口",
                "包装破损，东西都压坏了",
                "送货时间一改再改",
            ],
            Topic::Refund => &[
                "退款到现在还没到账",
                "退换货流程太麻烦了",
                "申请退货好几天了没人处理",
                "退款要提交一大堆材料，太繁琐",
            ],
            Topic::Repair => &[
                "维修周期太长了，等了一个多星期",
                "修好没几天又坏了",
                "维修师傅迟到了一个小时",
                "维修费用和之前说的不一样",
            ],
            Topic::Hold => &[
                "电话等待时间太长",
                "打了好几次电话才接通",
                "电话一直在转接，转来转去没人负责",
            ],
            Topic::Queue => &[
                "排队时间太长了",
                "门店人太多，只开了一个窗口",
                "取号之后等了四十分钟",
            ],
            Topic::FollowUp | Topic::Environment | Topic::General => {
                &["体验很差", "非常失望", "很不满意", "下次不会再来了"]
            }
        },
        Lang::En => match topic {
            Topic::Speed => &[
                "the reply took far too long",
                "I waited ages for anyone to answer",
                "it took over an hour to get a first response",
                "every message took several minutes to answer",
            ],
            Topic::Resolution => &[
                "my problem is still not solved",
                "I had to contact you again because nothing was fixed",
                "they logged the issue but offered no solution",
                "nobody called me back as promised",
            ],
            Topic::Attitude => &[
                "the agent was rude",
                "the staff seemed impatient and uninterested",
                "I was interrupted before I could finish",
                "the answers felt dismissive",
            ],
            Topic::Knowledge | Topic::Explanation => &[
                "the agent did not know the product",
                "the answers contradicted each other",
                "the explanation was confusing",
            ],
            Topic::Logistics => &[
                "the delivery arrived two days late",
                "the courier left the parcel at the door without calling",
                "the box was damaged on arrival",
                "the delivery time kept changing",
            ],
            Topic::Refund => &[
                "the refund still has not arrived",
                "returning the item was far too complicated",
                "my return request was ignored for days",
            ],
            Topic::Repair => &[
                "the repair took more than a week",
                "it broke again a few days after the repair",
                "the technician was an hour late",
            ],
            Topic::Hold => &[
                "I was on hold for a long time",
                "I was transferred three times on the phone",
            ],
            Topic::Queue => &[
                "the queue in the store was very long",
                "only one counter was open",
            ],
            Topic::FollowUp | Topic::Environment | Topic::General => &[
                "very disappointing",
                "a poor experience overall",
                "not satisfied at all",
            ],
        },
    }
}

fn praise(lang: Lang, topic: Topic) -> &'static [&'static str] {
    match lang {
        Lang::Zh => match topic {
            Topic::Speed | Topic::Hold | Topic::Queue => &[
                "回复很及时",
                "响应速度很快，几分钟就处理好了",
                "一联系就有人回复，效率很高",
                "处理得又快又好",
            ],
            Topic::Resolution | Topic::Refund => &[
                "问题一次就解决了",
                "很快帮我解决了问题",
                "处理得很彻底，没有留下麻烦",
                "困扰我好几天的问题终于解决了",
            ],
            Topic::Attitude => &[
                "客服态度很好，非常耐心",
                "服务热情周到",
                "说话很客气，让人感觉很舒服",
                "耐心听我说完，一点也不着急",
                "客服非常有礼貌，服务很贴心",
            ],
            Topic::Explanation => &[
                "解释得很清楚",
                "讲解细致，一听就明白",
                "把流程讲得清清楚楚",
                "每一步都讲得很明白",
            ],
            Topic::Knowledge => &[
                "业务很熟练，很专业",
                "对产品非常了解，专业知识扎实",
                "给了很实用的建议",
            ],
            Topic::FollowUp => &[
                "事后还主动回访，很贴心",
                "主动跟进处理进度，很负责",
                "第二天还打电话确认问题是否解决了",
            ],
            Topic::Logistics => &[
                "配送准时，快递员很有礼貌",
                "送货很快，包装也很仔细",
                "提前打电话约时间，很方便",
            ],
            Topic::Repair => &[
                "维修师傅很专业，修得很快",
                "上门准时，修完还把现场清理干净了",
                "维修后用得很好，跟新的一样",
            ],
            Topic::Environment => &[
                "门店环境干净整洁",
                "店里布置得很舒适，办理也方便",
                "店员很热情，环境也舒服",
            ],
            Topic::General => &[
                "非常满意",
                "感谢你们的服务",
                "给你们点赞",
                "下次还会再来",
                "值得推荐",
            ],
        },
        Lang::En => match topic {
            Topic::Speed | Topic::Hold | Topic::Queue => &[
                "quick response",
                "they answered within minutes",
                "fast and efficient",
            ],
            Topic::Resolution | Topic::Refund => &[
                "the problem was solved on the first call",
                "my issue was fixed right away",
                "everything was sorted out",
            ],
            Topic::Attitude => &[
                "the agent was friendly and patient",
                "very polite and helpful staff",
                "they listened carefully and never rushed me",
            ],
            Topic::Explanation => &[
                "clear explanations",
                "everything was explained step by step",
                "the process was explained clearly",
            ],
            Topic::Knowledge => &[
                "very knowledgeable about the product",
                "professional and well informed",
                "gave me really useful advice",
            ],
            Topic::FollowUp => &[
                "they called back the next day to check",
                "great follow-up after the service",
                "they kept me updated on the progress",
            ],
            Topic::Logistics => &[
                "the delivery was on time",
                "the courier was polite and careful",
                "they called ahead to arrange the time",
            ],
            Topic::Repair => &[
                "the technician was skilled and quick",
                "the repair was done well",
                "they cleaned up after the repair",
            ],
            Topic::Environment => &[
                "the store was clean and comfortable",
                "the store was tidy and easy to find",
            ],
            Topic::General => &[
                "excellent service",
                "thank you very much",
                "highly recommended",
                "will come again",
            ],
        },
    }
}

/// What the customer asks to improve.
fn wishes(lang: Lang, topic: Topic) -> &'static [&'static str] {
    match lang {
        Lang::Zh => match topic {
            Topic::Speed => &["希望能加快回复速度", "建议增加客服人手"],
            Topic::Resolution => &["希望尽快给我一个解决方案", "希望有专人跟进到底"],
            Topic::Attitude => &["希望加强客服的服务培训", "希望客服能多一点耐心"],
            Topic::Knowledge | Topic::Explanation => &["建议加强产品知识培训"],
            Topic::Logistics => &["希望送货前能提前通知", "建议换一家靠谱的快递"],
            Topic::Refund => &["建议简化退款流程", "希望退款能快一点"],
            Topic::Repair => &["希望能缩短维修周期", "希望维修前先把费用说清楚"],
            Topic::Hold => &["希望能减少电话等待时间", "建议增加人工客服线路"],
            Topic::Queue => &["建议高峰期多开几个窗口", "希望能支持线上预约"],
            Topic::FollowUp | Topic::Environment | Topic::General => {
                &["希望以后能改进", "希望下次能做得更好"]
            }
        },
        Lang::En => match topic {
            Topic::Speed => &["please reply faster", "you need more staff at busy times"],
            Topic::Resolution => &[
                "please give me a solution soon",
                "someone should follow this up",
            ],
            Topic::Attitude => &[
                "staff need better service training",
                "please be more patient with customers",
            ],
            Topic::Knowledge | Topic::Explanation => &["more product training would help"],
            Topic::Logistics => &["please notify me before delivery"],
            Topic::Refund => &["please simplify the refund process"],
            Topic::Repair => &["repairs should be quicker"],
            Topic::Hold => &["please shorten the waiting time on the phone"],
            Topic::Queue => &[
                "please open more counters at peak times",
                "online booking would help",
            ],
            Topic::FollowUp | Topic::Environment | Topic::General => {
                &["hope it improves next time"]
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn cause(tone: Tone) -> Cause {
        Cause {
            tone,
            service_type: "delivery",
            late: true,
            unresolved: true,
            weak_agent: false,
            refund: true,
            extreme: false,
            low: vec!["responsiveness"],
            high: vec!["attitude"],
        }
    }

    #[test]
    fn suggestions_are_short_and_well_formed() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for tone in [Tone::Negative, Tone::Mixed, Tone::Positive] {
            for lang in [Lang::Zh, Lang::En] {
                for _ in 0..200 {
                    let text = compose(&mut rng, lang, &cause(tone));
                    assert!(!text.trim().is_empty() && text.chars().count() <= 500);
                    assert_eq!(text.trim(), text);
                    if lang == Lang::En {
                        assert!(text.starts_with(|c: char| c.is_uppercase()), "{text}");
                        for sentence in text.replace("! ", ". ").split(". ").skip(1) {
                            assert!(sentence.starts_with(|c: char| c.is_uppercase()), "{text}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn sentences_are_capitalised() {
        assert_eq!(
            capitalise_sentences("quick response. the store was clean."),
            "Quick response. The store was clean."
        );
        assert_eq!(capitalise_sentences("I waited"), "I waited");
    }
}
