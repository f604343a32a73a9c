//! A service record's conversation (issue 24): the panel the QA inspector reads beside the
//! checklist (the recording in the browser's own player, the transcript as speaker turns, the
//! helpdesk's transcript in a new tab), and a finding's quoted line wherever findings appear.

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::records::conversation::{Conversation, Speaker, speaker_turn};

use crate::i18n::{td_string, use_i18n};
use crate::locale::tr;

/// The class of a speaker's turns.
fn turn_class(speaker: Option<Speaker>) -> &'static str {
    match speaker {
        Some(Speaker::Customer) => "turn turn-customer",
        Some(Speaker::Agent) => "turn turn-agent",
        _ => "turn turn-other",
    }
}

/// The conversation panel: sticky beside the checklist at desktop width (its transcript
/// scrolls inside it), above it on a phone; a clear notice when the record has none.
#[component]
pub fn ConversationPanel(
    /// The record's conversation.
    conversation: Conversation,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = if conversation.is_empty() {
        Either::Left(view! {
            <p class="notice notice-empty" data-testid="conversation-empty">
                {tr(i18n, |l| td_string!(l, qa.conversation_empty))}
            </p>
        })
    } else {
        let Conversation {
            transcript_url,
            recording_url,
            lines,
        } = conversation;
        let recording = recording_url.map(|url| {
            let link = url.clone();
            view! {
                <figure class="conversation-recording">
                    <figcaption id="conversation-recording-label">
                        {tr(i18n, |l| td_string!(l, qa.recording))}
                    </figcaption>
                    <audio
                        controls
                        preload="none"
                        src=url
                        aria-labelledby="conversation-recording-label"
                        data-testid="conversation-audio"
                    >
                        {tr(i18n, |l| td_string!(l, qa.recording_fallback))}
                        <a href=link>{tr(i18n, |l| td_string!(l, qa.recording_download))}</a>
                    </audio>
                </figure>
            }
        });
        let link = transcript_url.map(|url| {
            view! {
                <p class="conversation-link">
                    <a href=url target="_blank" rel="noopener noreferrer" data-testid="conversation-link">
                        {tr(i18n, |l| td_string!(l, qa.open_transcript))}
                        <span aria-hidden="true">" ↗"</span>
                    </a>
                </p>
            }
        });
        let transcript = if lines.is_empty() {
            Either::Left(view! {
                <p class="muted">{tr(i18n, |l| td_string!(l, qa.no_transcript_text))}</p>
            })
        } else {
            let turns = lines
                .into_iter()
                .map(|line| {
                    let (speaker, said) = speaker_turn(&line);
                    let class = turn_class(speaker.map(|(_, s)| s));
                    let name = speaker.map(|(name, _)| {
                        view! { <span class="turn-speaker">{name.to_owned()}</span> }
                    });
                    let said = said.to_owned();
                    view! { <li class=class>{name}<span class="turn-said">{said}</span></li> }
                })
                .collect_view();
            Either::Right(view! {
                <ol
                    class="transcript"
                    tabindex="0"
                    aria-labelledby="conversation-transcript-label"
                    data-testid="conversation-transcript"
                >
                    {turns}
                </ol>
            })
        };
        Either::Right(view! {
            {recording}
            {link}
            <h3 id="conversation-transcript-label" class="conversation-subheading">
                {tr(i18n, |l| td_string!(l, qa.transcript_lines))}
            </h3>
            {transcript}
        })
    };
    view! {
        <section class="panel conversation-panel" aria-labelledby="conversation-title" data-testid="qa-conversation">
            <h2 id="conversation-title">{tr(i18n, |l| td_string!(l, qa.conversation_heading))}</h2>
            {body}
        </section>
    }
}

/// A finding's quoted line of the conversation.
#[component]
pub fn QuotedLine(
    /// The line, as the transcript has it.
    quote: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <figure class="quoted-line" data-testid="quoted-line">
            <figcaption>{tr(i18n, |l| td_string!(l, qa.quoted))}</figcaption>
            <blockquote>{quote}</blockquote>
        </figure>
    }
}
