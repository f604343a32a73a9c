//! Sending rating invitations by hand from the records list: a row's "send invitation" (or
//! "resend", asked first), the records matching the filters at once (asked first; at most
//! [`MAX_SEND_SELECTION`]), and what came of it in words.

use leptos::prelude::*;
use pingjia_domain::invitations::{
    InvitationState, MAX_SEND_SELECTION, SendInvitations, SendReport,
};
use pingjia_domain::records::ServiceRecord;

use crate::api::admin_config::RecordQuery;
use crate::api::{self, ApiError};
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::error_panel::error_message;
use crate::i18n::{t, td_string, use_i18n};
use crate::labels::lang;
use crate::locale::tr;

/// What a row offers for its record's invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSend {
    /// Not invited yet: send.
    Send,
    /// Already invited: send again with a new link (asked first).
    Resend,
}

/// The row's offer for a record in `state`; none for a record that is rated, opted out or
/// marked "do not invite" (the server would skip it).
pub fn row_send(state: InvitationState) -> Option<RowSend> {
    match state {
        InvitationState::NotInvited => Some(RowSend::Send),
        InvitationState::Queued
        | InvitationState::Sent
        | InvitationState::Failed
        | InvitationState::Opened
        | InvitationState::Revoked => Some(RowSend::Resend),
        InvitationState::Rated | InvitationState::OptedOut | InvitationState::DoNotInvite => None,
    }
}

/// The badge's look of a state: warned when it failed, grey when nothing will come of it.
pub fn state_class(state: InvitationState) -> &'static str {
    match state {
        InvitationState::Failed => "badge badge-warn",
        InvitationState::NotInvited
        | InvitationState::DoNotInvite
        | InvitationState::OptedOut
        | InvitationState::Revoked => "badge badge-off",
        _ => "badge",
    }
}

/// What is asked before sending.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    /// Resend one record's invitation.
    Resend { id: i64, external_id: String },
    /// Send to the records matching the filters.
    Selection { count: u64, resend: bool },
}

/// The sending of the records page: the last report, its failure, the question open, and
/// the list to refresh after sending.
#[derive(Clone, Copy)]
pub struct Sending {
    pub report: RwSignal<Option<SendReport>>,
    pub failure: RwSignal<Option<ApiError>>,
    pub asking: RwSignal<Option<Ask>>,
    /// Counts the sends, for the list to load again.
    pub sent: RwSignal<u32>,
    action: Action<SendInvitations, ()>,
}

impl Sending {
    pub fn create() -> Sending {
        let report = RwSignal::new(None::<SendReport>);
        let failure = RwSignal::new(None::<ApiError>);
        let sent = RwSignal::new(0u32);
        let action = Action::new_local(move |request: &SendInvitations| {
            let request = request.clone();
            async move {
                match api::invitations::send(&request).await {
                    Ok(done) => {
                        report.set(Some(done));
                        sent.update(|n| *n += 1);
                    }
                    Err(error) => failure.set(Some(error)),
                }
            }
        });
        Sending {
            report,
            failure,
            asking: RwSignal::new(None),
            sent,
            action,
        }
    }

    /// Sends one record's first invitation now.
    fn send_one(self, id: i64) {
        if self.action.pending().get_untracked() {
            return;
        }
        self.report.set(None);
        self.failure.set(None);
        self.action.dispatch_local(SendInvitations {
            record_ids: Some(vec![id]),
            filter: None,
            resend: false,
        });
    }

    /// What the question asks for, sent: `Ok` closes the dialog.
    fn confirmed(self, ask: &Ask, query: &RecordQuery) -> Pending {
        let request = match ask {
            Ask::Resend { id, .. } => SendInvitations {
                record_ids: Some(vec![*id]),
                filter: None,
                resend: true,
            },
            Ask::Selection { resend, .. } => SendInvitations {
                record_ids: None,
                filter: Some(query.selection()),
                resend: *resend,
            },
        };
        self.report.set(None);
        self.failure.set(None);
        Box::pin(async move {
            let done = api::invitations::send(&request).await?;
            self.report.set(Some(done));
            self.sent.update(|n| *n += 1);
            Ok(())
        })
    }
}

/// A row's button: send, or resend (asked first).
pub fn row_button(sending: Sending, record: &ServiceRecord) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = record.id;
    let external_id = record.external_id.clone();
    row_send(record.invitation_state).map(|offer| {
        let label_id = external_id.clone();
        let label = move || match offer {
            RowSend::Send => td_string!(i18n.get_locale(), invitations.send_one, record = label_id.clone()),
            RowSend::Resend => td_string!(i18n.get_locale(), invitations.resend_one, record = label_id.clone()),
        };
        view! {
            <button
                type="button"
                class="button button-small button-secondary"
                aria-label=label
                aria-disabled=move || sending.action.pending().get().then_some("true")
                on:click=move |_| match offer {
                    RowSend::Send => sending.send_one(id),
                    RowSend::Resend => {
                        sending.report.set(None);
                        sending.asking.set(Some(Ask::Resend { id, external_id: external_id.clone() }));
                    }
                }
            >
                {move || match offer {
                    RowSend::Send => td_string!(i18n.get_locale(), invitations.send),
                    RowSend::Resend => td_string!(i18n.get_locale(), invitations.resend),
                }}
            </button>
        }
    })
}

/// Sending to every record the filters match, above the list: disabled (and says why) when
/// there are none or more than [`MAX_SEND_SELECTION`].
#[component]
pub fn SendSelection(
    /// Records matching the filters.
    total: u64,
    sending: Sending,
) -> impl IntoView {
    let i18n = use_i18n();
    let resend = RwSignal::new(false);
    let too_many = total > u64::from(MAX_SEND_SELECTION);
    let usable = total > 0 && !too_many;
    view! {
        <div class="send-selection">
            <button
                type="button"
                class="button button-secondary"
                aria-disabled=(!usable).then_some("true")
                aria-describedby=too_many.then_some("send-selection-why")
                on:click=move |_| {
                    if usable {
                        sending.report.set(None);
                        sending.asking.set(Some(Ask::Selection { count: total, resend: resend.get_untracked() }));
                    }
                }
            >
                {t!(i18n, invitations.send_selection, count = total)}
            </button>
            <label class="checkbox" for="send-selection-resend">
                <input type="checkbox" id="send-selection-resend" bind:checked=resend />
                {tr(i18n, |l| td_string!(l, invitations.send_selection_resend))}
            </label>
            {too_many.then(|| view! {
                <p class="field-hint" id="send-selection-why">{t!(i18n, invitations.send_selection_too_many, max = MAX_SEND_SELECTION)}</p>
            })}
        </div>
    }
}

/// The report of the last sending, in words, and the failure of a row's sending.
#[component]
pub fn SendOutcome(sending: Sending) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="status" class="outcome">
            {move || sending.report.get().map(|report| {
                let SendReport { selected, queued, skipped } = report;
                let skipped = (!skipped.is_empty()).then(|| view! {
                    <p>{tr(i18n, |l| td_string!(l, invitations.skipped))}</p>
                    <ul class="send-skipped">
                        {skipped.into_iter().map(|s| {
                            let reason = s.reason;
                            let count = s.count;
                            view! {
                                <li>{move || td_string!(i18n.get_locale(), invitations.skipped_reason, reason = reason.label(lang(i18n.get_locale())), count = count)}</li>
                            }
                        }).collect_view()}
                    </ul>
                });
                view! {
                    <div class="notice notice-success send-report" data-testid="send-report">
                        <p>{t!(i18n, invitations.report, queued, selected)}</p>
                        {skipped}
                    </div>
                }
            })}
        </div>
        <div role="alert">
            {move || sending.failure.get().map(|error| view! {
                <p class="notice notice-error">{error_message(i18n, &error)}</p>
            })}
        </div>
    }
}

/// The question before a resend or a sending to the selection, while one is open.
#[component]
pub fn SendConfirm(
    sending: Sending,
    /// The filters in the address.
    query: Memo<RecordQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        sending.asking.get().map(|ask| {
            let (title, body, confirm) = match &ask {
                Ask::Resend { external_id, .. } => (
                    t!(i18n, invitations.resend_title, record = external_id.clone()).into_any(),
                    tr(i18n, |l| td_string!(l, invitations.resend_body)).into_any(),
                    tr(i18n, |l| td_string!(l, invitations.resend)).into_any(),
                ),
                Ask::Selection { count, resend } => (
                    t!(i18n, invitations.selection_title, count = *count).into_any(),
                    if *resend {
                        tr(i18n, |l| td_string!(l, invitations.selection_body_resend)).into_any()
                    } else {
                        tr(i18n, |l| td_string!(l, invitations.selection_body)).into_any()
                    },
                    tr(i18n, |l| td_string!(l, invitations.send)).into_any(),
                ),
            };
            let on_confirm =
                Callback::new(move |()| sending.confirmed(&ask, &query.get_untracked()));
            view! {
                <ConfirmDialog
                    title
                    body
                    confirm
                    on_confirm
                    on_close=Callback::new(move |()| sending.asking.set(None))
                />
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_row_offers_send_resend_or_nothing_by_its_state() {
        assert_eq!(row_send(InvitationState::NotInvited), Some(RowSend::Send));
        for state in [
            InvitationState::Queued,
            InvitationState::Sent,
            InvitationState::Failed,
            InvitationState::Opened,
            InvitationState::Revoked,
        ] {
            assert_eq!(row_send(state), Some(RowSend::Resend), "{state:?}");
        }
        for state in [
            InvitationState::Rated,
            InvitationState::OptedOut,
            InvitationState::DoNotInvite,
        ] {
            assert_eq!(row_send(state), None, "{state:?}");
        }
    }
}
