//! What every page shows: its document title, the greeting of the signed-in user, and the
//! pages the router falls back to (no page here, no access).

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use leptos_router::params::Params;
use pingjia_domain::wire::Role;

use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::components::loading::Loading;
use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::labels::role_name;
use crate::locale::tr;
use crate::session::{home_path, use_session};

/// Sets the document title to the page's name followed by the product name.
#[component]
pub fn PageTitle(
    /// The page's localized name.
    #[prop(into)]
    page: Signal<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title text=move || format!("{} · {}", page.get(), t_string!(i18n, app.title_suffix)) /> }
}

/// "Hello, name" for the signed-in user.
#[component]
pub fn Greeting() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.me().map(|me| {
            let name = me.display_name;
            view! { <p class="lead">{t!(i18n, homes.greeting, name)}</p> }
        })
    }
}

/// Says that no page lives at the current address, shows the address and links home.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, not_found.title)) />
        <section class="not-found" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p>
                <code class="path">{move || location.pathname.get()}</code>
            </p>
            <p>
                <A href="/" attr:class="button">
                    {t!(i18n, not_found.home_link)}
                </A>
            </p>
        </section>
    }
}

/// Access denied (403): why, what to do, and a link to the user's own home.
#[component]
pub fn Forbidden(
    /// The signed-in user's role.
    role: Role,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, forbidden.title)) />
        <section class="forbidden" aria-labelledby="forbidden-title">
            <h1 id="forbidden-title">{t!(i18n, forbidden.title)}</h1>
            <p class="lead">
                {t!(i18n, forbidden.body, role = move || role_name(i18n.get_locale(), role))}
            </p>
            <p>{t!(i18n, forbidden.what_to_do)}</p>
            <p>
                <A href=home_path(role) attr:class="button">
                    {t!(i18n, forbidden.home_link)}
                </A>
            </p>
        </section>
    }
}

/// The id in a page's address (`/coaching/:id`), `None` when it is not a number.
#[derive(Debug, Clone, PartialEq, Params)]
struct IdParams {
    id: Option<i64>,
}

/// A page of one thing named by the id in its address: the document title, the link back to
/// its list, and the thing once `load` has it (`show`), or the page's heading and the error
/// with a retry (a bad id is a not-found).
#[component]
pub fn RecordPage<T, Fut, S, V>(
    /// The page's name, its title and the heading of an error.
    title: fn(Locale) -> &'static str,
    /// The list it belongs to, and the link's words.
    back: (String, fn(Locale) -> &'static str),
    /// Loads the thing of an id.
    load: fn(i64) -> Fut,
    /// What to show of it.
    show: S,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    S: Fn(T) -> V + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, ApiError>> + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let params = leptos_router::hooks::use_params::<IdParams>();
    let id = Memo::new(move |_| params.with(|p| p.as_ref().ok().and_then(|p| p.id)));
    let record = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => load(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    let (back_href, back_label) = back;
    view! {
        <PageTitle page=Signal::derive(move || title(i18n.get_locale())) />
        <p class="breadcrumb">
            <A href=back_href>{tr(i18n, back_label)}</A>
        </p>
        <Transition fallback=Loading>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match record.await {
                        Ok(record) => Either::Left(show(record)),
                        Err(error) => Either::Right(view! {
                            <h1>{tr(i18n, title)}</h1>
                            <ErrorPanel error on_retry=Callback::new(move |()| record.refetch()) />
                        }),
                    }
                })
            }}
        </Transition>
    }
}
