//! The rating link's page (`/r/:token`), from the invitation's message, with no sign-in: the
//! record's rating form at once (the same form as `/customer/rate/:id`, sent through the
//! link); once rated, the evaluation and its appeal action, the appeal form in place. A link
//! that does not work (unknown, expired, revoked) says so and offers to sign in.

use crate::locale::tr;
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;
use pingjia_domain::evaluations::{RatingForm, RatingState};
use pingjia_domain::invitations::{LINK_EXPIRED, LINK_REVOKED, link_path};

use super::RecordFacts;
use super::appeals::{AppealForm, AppealStatusPanel};
use super::evaluation::EvaluationDetails;
use super::rate::RatingFormView;
use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::outbox;

#[derive(Debug, Clone, PartialEq, Params)]
struct LinkParams {
    token: Option<String>,
}

/// The address of the opt-out page (`/r/:token/opt-out`) of the link carrying `token`.
pub fn opt_out_path(token: &str) -> String {
    format!("{}/opt-out", link_path(token))
}

/// Why a rating link does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Nobody issued it (or it was cut short).
    Unknown,
    /// The time to rate (and to appeal) is over.
    Expired,
    /// Withdrawn, or replaced by a newer link.
    Revoked,
    /// Too many links were opened from this address.
    TooMany,
}

/// The link problem an error of the link's endpoints means, if it means one.
pub fn link_problem(error: &ApiError) -> Option<LinkProblem> {
    match error {
        ApiError::NotFound => Some(LinkProblem::Unknown),
        ApiError::RateLimited { .. } => Some(LinkProblem::TooMany),
        _ => match error.code() {
            Some(LINK_EXPIRED) => Some(LinkProblem::Expired),
            Some(LINK_REVOKED) => Some(LinkProblem::Revoked),
            _ => None,
        },
    }
}

/// What a link that does not work says, and the way to sign in instead.
#[component]
pub fn LinkProblemNotice(
    /// Why the link does not work.
    problem: LinkProblem,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match problem {
        LinkProblem::Unknown => td_string!(i18n.get_locale(), link.unknown),
        LinkProblem::Expired => td_string!(i18n.get_locale(), link.expired),
        LinkProblem::Revoked => td_string!(i18n.get_locale(), link.revoked),
        LinkProblem::TooMany => td_string!(i18n.get_locale(), link.too_many),
    };
    view! {
        <div class="notice notice-warn link-problem" role="alert">
            <p>{text}</p>
            <p>
                <A href="/login" attr:class="button">{tr(i18n, |l| td_string!(l, link.sign_in))}</A>
            </p>
        </div>
    }
}

/// The rating link's page.
#[component]
pub fn RatingLinkPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params::<LinkParams>();
    let token = Memo::new(move |_| params.with(|p| p.as_ref().ok().and_then(|p| p.token.clone())));
    let form = LocalResource::new(move || {
        let token = token.get();
        async move {
            match token {
                Some(token) => api::links::form(&token).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    let just_rated = RwSignal::new(false);
    let just_filed = RwSignal::new(false);
    let refresh = Callback::new(move |()| form.refetch());
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, link.title)) />
        <h1>{tr(i18n, |l| td_string!(l, link.title))}</h1>
        <p class="field-hint">{tr(i18n, |l| td_string!(l, link.intro))}</p>
        <div role="status">
            {move || just_rated.get().then(|| view! {
                <p class="notice notice-success">{tr(i18n, |l| td_string!(l, link.thanks))}</p>
            })}
            {move || just_filed.get().then(|| view! {
                <p class="notice notice-success">{tr(i18n, |l| td_string!(l, link.appeal_filed))}</p>
            })}
        </div>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match (form.await, token.get_untracked()) {
                    (Ok(form), Some(token)) => {
                        let on_rated = Callback::new(move |()| {
                            just_rated.set(true);
                            refresh.run(());
                        });
                        let on_filed = Callback::new(move |()| {
                            just_filed.set(true);
                            refresh.run(());
                        });
                        view! { <LinkPanel form token on_rated on_filed /> }.into_any()
                    }
                    (Err(error), _) => match link_problem(&error) {
                        Some(problem) => view! { <LinkProblemNotice problem /> }.into_any(),
                        None => view! { <ErrorPanel error on_retry=refresh /> }.into_any(),
                    },
                    (Ok(_), None) => view! { <LinkProblemNotice problem=LinkProblem::Unknown /> }
                        .into_any(),
                }
            })}
        </Transition>
        {move || token.get().map(|token| view! {
            <p class="link-opt-out">
                <A href=opt_out_path(&token)>{tr(i18n, |l| td_string!(l, opt_out.link))}</A>
            </p>
        })}
    }
}

/// The form while the record awaits its rating; then its evaluation with the appeal action;
/// else why it cannot be rated.
#[component]
fn LinkPanel(
    form: RatingForm,
    token: String,
    on_rated: Callback<()>,
    on_filed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let until = local_time(form.rate_until);
    let outbox_id = outbox::link_outbox(form.record.id);
    match (form.state, form.evaluation.clone()) {
        (RatingState::Awaiting, _) => {
            // A submission kept on this device (sent before a reload) goes out again.
            if !outbox::entries(outbox_id).is_empty() {
                outbox::resume(outbox_id);
            }
            EitherOf4::A(view! {
                <RatingFormView form user_id=outbox_id link=token on_rated />
            })
        }
        (RatingState::Rated, Some(evaluation)) => {
            let appealing = RwSignal::new(false);
            let on_appeal = Callback::new(move |()| appealing.set(true));
            let panel = {
                let evaluation = evaluation.clone();
                move || {
                    let evaluation = evaluation.clone();
                    if appealing.get() && evaluation.can_appeal {
                        view! {
                            <AppealForm evaluation link=token.clone() on_filed />
                        }
                        .into_any()
                    } else {
                        view! { <AppealStatusPanel evaluation on_appeal /> }.into_any()
                    }
                }
            };
            EitherOf4::B(view! {
                {panel}
                <EvaluationDetails evaluation />
            })
        }
        (RatingState::NotEnded, _) => EitherOf4::C(view! {
            <p class="notice notice-warn" role="status">{t!(i18n, rating.not_ended_notice, until = until.clone())}</p>
            <RecordFacts record=form.record />
        }),
        _ => EitherOf4::D(view! {
            <p class="notice notice-warn" role="status">{t!(i18n, rating.expired_notice, until)}</p>
            <RecordFacts record=form.record />
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingjia_domain::Problem;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn gone(code: &str) -> ApiError {
        let mut problem = Problem::new(410, "Gone");
        problem.code = Some(code.to_owned());
        ApiError::Unexpected {
            status: 410,
            problem: Some(problem),
        }
    }

    #[test]
    fn the_opt_out_page_sits_under_the_link() {
        assert_eq!(opt_out_path("abc"), "/r/abc/opt-out");
    }

    #[test]
    fn the_links_problems_are_told_apart_by_their_codes() {
        assert_eq!(
            link_problem(&ApiError::NotFound),
            Some(LinkProblem::Unknown)
        );
        assert_eq!(
            link_problem(&gone("link_expired")),
            Some(LinkProblem::Expired)
        );
        assert_eq!(
            link_problem(&gone("link_revoked")),
            Some(LinkProblem::Revoked)
        );
        assert_eq!(
            link_problem(&ApiError::RateLimited {
                retry_after_secs: Some(60)
            }),
            Some(LinkProblem::TooMany)
        );
        assert_eq!(link_problem(&ApiError::Network("offline".into())), None);
    }
}
