//! The opt-out page of a rating link (`/r/:token/opt-out`), from the link every invitation
//! carries, with no sign-in: it asks, and only the button changes anything (a `GET` never
//! does: mail scanners follow links); then it says since when no invitations are sent. A
//! link that does not work says so as the link's page does.

use crate::locale::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;
use pingjia_domain::invitations::{OptOut, is_link_token, link_path};

use super::link::{LinkProblem, LinkProblemNotice, link_problem};
use crate::api::{self, ApiError};
use crate::components::error_panel::error_message;
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{t, t_string, td_string, use_i18n};

#[derive(Debug, Clone, PartialEq, Params)]
struct OptOutParams {
    token: Option<String>,
}

/// How the request went.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(OptOut),
    Problem(LinkProblem),
    Failed(ApiError),
}

/// The opt-out page.
#[component]
pub fn OptOutPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params::<OptOutParams>();
    let token = Memo::new(move |_| params.with(|p| p.as_ref().ok().and_then(|p| p.token.clone())));
    let outcome = RwSignal::new(None::<Outcome>);
    let action = Action::new_local(move |token: &String| {
        let token = token.clone();
        async move {
            outcome.set(Some(match api::links::opt_out(&token).await {
                Ok(done) => Outcome::Done(done),
                Err(error) => match link_problem(&error) {
                    Some(problem) => Outcome::Problem(problem),
                    None => Outcome::Failed(error),
                },
            }));
        }
    });
    let on_click = move |_| {
        if action.pending().get_untracked() {
            return;
        }
        match token.get_untracked().filter(|t| is_link_token(t)) {
            Some(token) => {
                outcome.set(None);
                action.dispatch_local(token);
            }
            None => outcome.set(Some(Outcome::Problem(LinkProblem::Unknown))),
        }
    };
    let asking = move || !matches!(outcome.get(), Some(Outcome::Done(_) | Outcome::Problem(_)));
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, opt_out.title)) />
        <h1>{tr(i18n, |l| td_string!(l, opt_out.title))}</h1>
        {move || asking().then(|| view! {
            <p>{tr(i18n, |l| td_string!(l, opt_out.body))}</p>
            <div class="form-actions">
                <button
                    type="button"
                    class="button"
                    aria-disabled=move || action.pending().get().then_some("true")
                    on:click=on_click
                >
                    {move || if action.pending().get() {
                        td_string!(i18n.get_locale(), opt_out.sending)
                    } else {
                        td_string!(i18n.get_locale(), opt_out.confirm)
                    }}
                </button>
                // The link's page is its own build, which the server serves: a whole page load
                // (`rel="external"`), not a route of this app.
                {move || token.get().filter(|t| is_link_token(t)).map(|token| view! {
                    <a href=link_path(&token) rel="external" class="button button-secondary">{tr(i18n, |l| td_string!(l, opt_out.back))}</a>
                })}
            </div>
        })}
        <div role="status">
            {move || match outcome.get() {
                Some(Outcome::Done(done)) => {
                    let since = local_time(done.opted_out_at);
                    Some(view! {
                        <p class="notice notice-success" data-testid="opted-out">{t!(i18n, opt_out.done, since)}</p>
                    })
                }
                _ => None,
            }}
        </div>
        {move || match outcome.get() {
            Some(Outcome::Problem(problem)) => Some(view! { <LinkProblemNotice problem /> }),
            _ => None,
        }}
        <div role="alert">
            {move || match outcome.get() {
                Some(Outcome::Failed(error)) => Some(view! {
                    <p class="notice notice-error">{error_message(i18n, &error)}</p>
                }),
                _ => None,
            }}
        </div>
    }
}
