//! The dimension library and the service types with their ordered dimensions
//! (`/admin/catalog`).

use leptos::prelude::*;
use pingjia_domain::catalog::{DimensionPatch, ServiceTypePatch};
use pingjia_domain::wire::{Catalog, Dimension, ServiceType, TypeDimension};

use super::{Message, Move, Outcome, OutcomeMessage, localized, move_item, refusal};
use crate::api::{self, ApiError};
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::data_table::Loaded;
use crate::components::page::PageTitle;
use crate::i18n::{t, t_string, use_i18n};

mod dialogs;
mod model;
use dialogs::{DimensionDialog, ServiceTypeDialog};
pub use model::add_dimension;
use model::{replace_dimension, replace_type};

/// The open dialog.
#[derive(Debug, Clone)]
enum Dialog {
    Dimension(Option<Dimension>),
    ServiceType(Option<ServiceType>),
    DeleteDimension(Dimension),
    DeleteServiceType(ServiceType),
}

/// The catalogue page: loads the catalogue, then [`CatalogEditor`] keeps it.
#[component]
pub fn AdminCatalog() -> impl IntoView {
    let i18n = use_i18n();
    let catalog = LocalResource::new(api::catalog);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, config.catalog_title)) />
        <h1>{t!(i18n, config.catalog_title)}</h1>
        <p class="lead">{t!(i18n, config.catalog_intro)}</p>
        <Loaded resource=catalog view=|initial| view! { <CatalogEditor initial /> } />
    }
}

/// The dimensions and service types; every change updates the catalogue from the server's
/// answer, so rows keep their place and focus.
#[component]
fn CatalogEditor(
    /// The catalogue as loaded.
    initial: Catalog,
) -> impl IntoView {
    let i18n = use_i18n();
    let catalog = RwSignal::new(initial);
    let outcome = RwSignal::new(None::<Outcome>);
    let dialog = RwSignal::new(None::<Dialog>);
    let open = move |d: Dialog| {
        outcome.set(None);
        dialog.set(Some(d));
    };
    let on_close = Callback::new(move |()| dialog.set(None));
    // Announces an archived (or restored) dimension or service type by its name.
    let archived_done = move |archived: bool, name_zh: &str, name_en: &str| {
        let name = localized(i18n.get_locale_untracked(), name_zh, name_en).to_owned();
        outcome.set(Some(Outcome::Done(if archived {
            Message::Archived(name)
        } else {
            Message::Restored(name)
        })));
    };

    let archive_dimension = Action::new_local(move |(code, archived): &(String, bool)| {
        let (code, archived) = (code.clone(), *archived);
        async move {
            let patch = DimensionPatch {
                archived: Some(archived),
                ..DimensionPatch::default()
            };
            match api::admin_config::update_dimension(&code, &patch).await {
                Ok(saved) => {
                    archived_done(archived, &saved.name_zh, &saved.name_en);
                    catalog.update(|c| replace_dimension(c, saved));
                }
                Err(error) => outcome.set(Some(refusal(error))),
            }
        }
    });
    let archive_type = Action::new_local(move |(code, archived): &(String, bool)| {
        let (code, archived) = (code.clone(), *archived);
        async move {
            let patch = ServiceTypePatch {
                archived: Some(archived),
                ..ServiceTypePatch::default()
            };
            match api::admin_config::update_service_type(&code, &patch).await {
                Ok(saved) => {
                    archived_done(archived, &saved.name_zh, &saved.name_en);
                    catalog.update(|c| replace_type(c, saved));
                }
                Err(error) => outcome.set(Some(refusal(error))),
            }
        }
    });
    let reorder = Action::new_local(move |codes: &Vec<String>| {
        let codes = codes.clone();
        async move {
            match api::admin_config::order_service_types(codes).await {
                Ok(saved) => {
                    catalog.set(saved);
                    outcome.set(Some(Outcome::Done(Message::OrderSaved)));
                }
                Err(error) => outcome.set(Some(refusal(error))),
            }
        }
    });
    let move_type = move |code: String, direction: Move| {
        if reorder.pending().get_untracked() {
            return;
        }
        let mut codes: Vec<String> =
            catalog.with_untracked(|c| c.service_types.iter().map(|t| t.code.clone()).collect());
        if let Some(index) = codes.iter().position(|c| *c == code)
            && move_item(&mut codes, index, direction)
        {
            outcome.set(None);
            reorder.dispatch_local(codes);
        }
    };

    let dimension_codes = move || {
        catalog.with(|c| {
            c.dimensions
                .iter()
                .map(|d| d.code.clone())
                .collect::<Vec<_>>()
        })
    };
    let type_codes = move || {
        catalog.with(|c| {
            c.service_types
                .iter()
                .map(|t| t.code.clone())
                .collect::<Vec<_>>()
        })
    };
    let type_count = move || catalog.with(|c| c.service_types.len());

    view! {
        <OutcomeMessage outcome />
        <section class="panel config-section" aria-labelledby="types-heading">
            <div class="section-head">
                <h2 id="types-heading">{t!(i18n, config.types_heading)}</h2>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| open(Dialog::ServiceType(None))
                >
                    {t!(i18n, config.new_type)}
                </button>
            </div>
            <p class="field-hint">{t!(i18n, config.types_intro)}</p>
            <table class="data-table" role="table">
                <caption class="visually-hidden">{t!(i18n, config.types_heading)}</caption>
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">{t!(i18n, config.name)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, config.code)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, config.dimensions)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, config.status)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, config.actions)}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    <For each=type_codes key=|code| code.clone() let:code>
                        {
                            let row_code = code.clone();
                            let service_type = Memo::new(move |_| {
                                catalog
                                    .with(|c| {
                                        c.service_types.iter().find(|t| t.code == row_code).cloned()
                                    })
                            });
                            let position = {
                                let code = code.clone();
                                Memo::new(move |_| {
                                    catalog
                                        .with(|c| {
                                            c.service_types.iter().position(|t| t.code == code)
                                        })
                                        .unwrap_or(0)
                                })
                            };
                            let up = code.clone();
                            let down = code.clone();
                            let toggle = code.clone();
                            let name_id = format!("type-{code}-name");
                            let labelled = move |action: &str| format!("type-{code}-{action} type-{code}-name");
                            view! {
                                <tr
                                    role="row"
                                    class:row-disabled=move || {
                                        service_type.with(|t| t.as_ref().is_some_and(|t| t.archived))
                                    }
                                >
                                    <th
                                        role="rowheader"
                                        scope="row"
                                        id=name_id
                                        data-label=move || t_string!(i18n, config.name)
                                    >
                                        {move || {
                                            service_type
                                                .with(|t| {
                                                    t.as_ref()
                                                        .map(|t| {
                                                            localized(i18n.get_locale(), &t.name_zh, &t.name_en)
                                                                .to_owned()
                                                        })
                                                })
                                        }}
                                    </th>
                                    <td role="cell" data-label=move || t_string!(i18n, config.code)>
                                        <span class="mono">
                                            {move || service_type.with(|t| t.as_ref().map(|t| t.code.clone()))}
                                        </span>
                                    </td>
                                    <td role="cell" data-label=move || t_string!(i18n, config.dimensions)>
                                        {move || {
                                            let locale = i18n.get_locale();
                                            let optional = t_string!(i18n, config.optional_mark);
                                            service_type
                                                .get()
                                                .map(|t| {
                                                    catalog
                                                        .with(|c| dimension_summary(c, &t.dimensions, locale, optional))
                                                })
                                        }}
                                    </td>
                                    <td role="cell" data-label=move || t_string!(i18n, config.status)>
                                        <StatusBadge archived=Signal::derive(move || {
                                            service_type.with(|t| t.as_ref().is_some_and(|t| t.archived))
                                        }) />
                                    </td>
                                    <td role="cell" data-label=move || t_string!(i18n, config.actions)>
                                        <div class="row-actions">
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                id=format!("type-{}-up", up)
                                                aria-labelledby=labelled("up")
                                                aria-disabled=move || (position.get() == 0).then_some("true")
                                                on:click=move |_| move_type(up.clone(), Move::Up)
                                            >
                                                {t!(i18n, config.move_up)}
                                            </button>
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                id=format!("type-{}-down", down)
                                                aria-labelledby=labelled("down")
                                                aria-disabled=move || {
                                                    (position.get() + 1 >= type_count()).then_some("true")
                                                }
                                                on:click=move |_| move_type(down.clone(), Move::Down)
                                            >
                                                {t!(i18n, config.move_down)}
                                            </button>
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                id=format!("type-{}-edit", toggle)
                                                aria-labelledby=labelled("edit")
                                                on:click=move |_| {
                                                    if let Some(t) = service_type.get_untracked() {
                                                        open(Dialog::ServiceType(Some(t)));
                                                    }
                                                }
                                            >
                                                {t!(i18n, config.edit)}
                                            </button>
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                id=format!("type-{}-archive", toggle)
                                                aria-labelledby=labelled("archive")
                                                on:click=move |_| {
                                                    if let Some(t) = service_type.get_untracked() {
                                                        outcome.set(None);
                                                        archive_type.dispatch_local((t.code, !t.archived));
                                                    }
                                                }
                                            >
                                                {move || {
                                                    if service_type.with(|t| t.as_ref().is_some_and(|t| t.archived)) {
                                                        t_string!(i18n, config.restore)
                                                    } else {
                                                        t_string!(i18n, config.archive)
                                                    }
                                                }}
                                            </button>
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                id=format!("type-{}-delete", toggle)
                                                aria-labelledby=labelled("delete")
                                                on:click=move |_| {
                                                    if let Some(t) = service_type.get_untracked() {
                                                        open(Dialog::DeleteServiceType(t));
                                                    }
                                                }
                                            >
                                                {t!(i18n, config.delete)}
                                            </button>
                                        </div>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
        <section class="panel config-section" aria-labelledby="dimensions-heading">
            <div class="section-head">
                <h2 id="dimensions-heading">{t!(i18n, config.dimensions_heading)}</h2>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| open(Dialog::Dimension(None))
                >
                    {t!(i18n, config.new_dimension)}
                </button>
            </div>
            <table class="data-table" role="table">
                <caption class="visually-hidden">{t!(i18n, config.dimensions_heading)}</caption>
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">{t!(i18n, config.name)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, config.code)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, config.description)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, config.status)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, config.actions)}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    <For each=dimension_codes key=|code| code.clone() let:code>
                        {
                            let row_code = code.clone();
                            let dimension = Memo::new(move |_| {
                                catalog
                                    .with(|c| c.dimensions.iter().find(|d| d.code == row_code).cloned())
                            });
                            let archived = Signal::derive(move || {
                                dimension.with(|d| d.as_ref().is_some_and(|d| d.archived))
                            });
                            let text = move |zh: fn(&Dimension) -> &str, en: fn(&Dimension) -> &str| {
                                move || {
                                    dimension
                                        .with(|d| {
                                            d.as_ref()
                                                .map(|d| localized(i18n.get_locale(), zh(d), en(d)).to_owned())
                                        })
                                }
                            };
                            let name_id = format!("dimension-{code}-name");
                            let labelled = {
                                let code = code.clone();
                                move |action: &str| {
                                    format!("dimension-{code}-{action} dimension-{code}-name")
                                }
                            };
                            view! {
                                <tr role="row" class:row-disabled=archived>
                                    <th
                                        role="rowheader"
                                        scope="row"
                                        id=name_id
                                        data-label=move || t_string!(i18n, config.name)
                                    >
                                        {text(|d| &d.name_zh, |d| &d.name_en)}
                                    </th>
                                    <td role="cell" data-label=move || t_string!(i18n, config.code)>
                                        <span class="mono">{code.clone()}</span>
                                    </td>
                                    <td role="cell" data-label=move || t_string!(i18n, config.description)>
                                        {text(|d| &d.description_zh, |d| &d.description_en)}
                                    </td>
                                    <td role="cell" data-label=move || t_string!(i18n, config.status)>
                                        <StatusBadge archived />
                                    </td>
                                    <td role="cell" data-label=move || t_string!(i18n, config.actions)>
                                        <div class="row-actions">
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                id=format!("dimension-{code}-edit")
                                                aria-labelledby=labelled("edit")
                                                on:click=move |_| {
                                                    if let Some(d) = dimension.get_untracked() {
                                                        open(Dialog::Dimension(Some(d)));
                                                    }
                                                }
                                            >
                                                {t!(i18n, config.edit)}
                                            </button>
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                id=format!("dimension-{code}-archive")
                                                aria-labelledby=labelled("archive")
                                                on:click=move |_| {
                                                    if let Some(d) = dimension.get_untracked() {
                                                        outcome.set(None);
                                                        archive_dimension.dispatch_local((d.code, !d.archived));
                                                    }
                                                }
                                            >
                                                {move || {
                                                    if archived.get() {
                                                        t_string!(i18n, config.restore)
                                                    } else {
                                                        t_string!(i18n, config.archive)
                                                    }
                                                }}
                                            </button>
                                            <button
                                                type="button"
                                                class="button button-secondary button-small"
                                                id=format!("dimension-{code}-delete")
                                                aria-labelledby=labelled("delete")
                                                on:click=move |_| {
                                                    if let Some(d) = dimension.get_untracked() {
                                                        open(Dialog::DeleteDimension(d));
                                                    }
                                                }
                                            >
                                                {t!(i18n, config.delete)}
                                            </button>
                                        </div>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
        {move || {
            dialog
                .get()
                .map(|d| match d {
                    Dialog::Dimension(existing) => {
                        view! { <DimensionDialog existing catalog outcome on_close /> }.into_any()
                    }
                    Dialog::ServiceType(existing) => {
                        view! { <ServiceTypeDialog existing catalog outcome on_close /> }
                            .into_any()
                    }
                    Dialog::DeleteDimension(d) => {
                        let locale = i18n.get_locale_untracked();
                        let name = localized(locale, &d.name_zh, &d.name_en).to_owned();
                        let code = d.code.clone();
                        let done_name = name.clone();
                        let on_confirm = Callback::new(move |()| -> Pending {
                            let code = code.clone();
                            let name = done_name.clone();
                            Box::pin(async move {
                                delete_outcome(
                                    api::admin_config::delete_dimension(&code).await,
                                    outcome,
                                    Message::Deleted(name),
                                    || catalog.update(|c| c.dimensions.retain(|d| d.code != code)),
                                )
                            })
                        });
                        view! {
                            <ConfirmDialog
                                title=t!(i18n, config.delete_named, name = name.clone()).into_any()
                                body=t!(i18n, config.delete_dimension_body).into_any()
                                confirm=t!(i18n, config.delete).into_any()
                                on_confirm
                                on_close
                            />
                        }
                            .into_any()
                    }
                    Dialog::DeleteServiceType(t) => {
                        let locale = i18n.get_locale_untracked();
                        let name = localized(locale, &t.name_zh, &t.name_en).to_owned();
                        let code = t.code.clone();
                        let done_name = name.clone();
                        let on_confirm = Callback::new(move |()| -> Pending {
                            let code = code.clone();
                            let name = done_name.clone();
                            Box::pin(async move {
                                delete_outcome(
                                    api::admin_config::delete_service_type(&code).await,
                                    outcome,
                                    Message::Deleted(name),
                                    || {
                                        catalog
                                            .update(|c| c.service_types.retain(|t| t.code != code))
                                    },
                                )
                            })
                        });
                        view! {
                            <ConfirmDialog
                                title=t!(i18n, config.delete_named, name = name.clone()).into_any()
                                body=t!(i18n, config.delete_type_body).into_any()
                                confirm=t!(i18n, config.delete).into_any()
                                on_confirm
                                on_close
                            />
                        }
                            .into_any()
                    }
                })
        }}
    }
}

/// What a delete answered: done (the catalogue updated), refused with the server's reason
/// (409: still used; the dialog closes and the page says why), or another error for the
/// dialog to show.
fn delete_outcome(
    result: Result<(), ApiError>,
    outcome: RwSignal<Option<Outcome>>,
    done: Message,
    remove: impl FnOnce(),
) -> Result<(), ApiError> {
    match result {
        Ok(()) => {
            remove();
            outcome.set(Some(Outcome::Done(done)));
            Ok(())
        }
        Err(error @ ApiError::Conflict(_)) => {
            outcome.set(Some(refusal(error)));
            Ok(())
        }
        Err(error) => Err(error),
    }
}

/// A type's dimensions by name, in order, optional ones marked.
fn dimension_summary(
    catalog: &Catalog,
    dimensions: &[TypeDimension],
    locale: crate::i18n::Locale,
    optional: &str,
) -> String {
    dimensions
        .iter()
        .map(|td| {
            let name = catalog
                .dimensions
                .iter()
                .find(|d| d.code == td.code)
                .map_or(td.code.as_str(), |d| {
                    localized(locale, &d.name_zh, &d.name_en)
                });
            if td.optional {
                format!("{name} ({optional})")
            } else {
                name.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// In use or archived.
#[component]
fn StatusBadge(
    /// Whether the entry is archived.
    archived: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="badge" class:badge-off=archived>
            {move || {
                if archived.get() {
                    t_string!(i18n, config.archived)
                } else {
                    t_string!(i18n, config.active)
                }
            }}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_dimension_is_added_once_at_the_end_and_required() {
        let mut picked = vec![TypeDimension {
            code: "attitude".into(),
            optional: true,
        }];
        assert!(add_dimension(&mut picked, "resolution"));
        assert!(!add_dimension(&mut picked, "attitude"));
        assert!(!add_dimension(&mut picked, ""));
        assert_eq!(picked.len(), 2);
        assert_eq!(picked[1].code, "resolution");
        assert!(!picked[1].optional);
    }
}
