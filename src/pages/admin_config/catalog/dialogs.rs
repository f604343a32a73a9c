//! The catalogue's dialogs: a dimension, a service type, and their failure line and buttons.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use pingjia_domain::catalog::{
    DimensionPatch, NewDimension, NewServiceType, ServiceTypePatch, check_type_dimensions,
};
use pingjia_domain::wire::{Catalog, Dimension, ServiceType};

use super::model::{add_dimension, replace_dimension, replace_type};
use crate::api::{self, ApiError};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::form::config::ConfigField;
use crate::components::form::failure::{AlertFailure, refused};
use crate::components::form::{FieldErrors, focus_first_invalid};
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::admin_config::{Message, Move, Outcome, localized, move_item};

/// Create a dimension, or edit one's names and descriptions in both languages.
#[component]
pub(super) fn DimensionDialog(
    /// The dimension to edit; `None` to create one.
    existing: Option<Dimension>,
    /// The catalogue, updated with the saved dimension.
    catalog: RwSignal<Catalog>,
    /// Where the page announces what was done.
    outcome: RwSignal<Option<Outcome>>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
) -> impl IntoView {
    const FORM_ID: &str = "dimension-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let editing = existing.clone();
    let text =
        |f: fn(&Dimension) -> String| RwSignal::new(existing.as_ref().map(f).unwrap_or_default());
    let code = text(|d| d.code.clone());
    let name_zh = text(|d| d.name_zh.clone());
    let name_en = text(|d| d.name_en.clone());
    let description_zh = text(|d| d.description_zh.clone());
    let description_en = text(|d| d.description_en.clone());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let is_new = existing.is_none();
    let action = Action::new_local(move |form: &NewDimension| {
        let form = form.clone();
        let editing = editing.clone();
        async move {
            let result = match &editing {
                None => api::admin_config::create_dimension(&form).await,
                Some(_) => {
                    let patch = DimensionPatch {
                        name_zh: Some(form.name_zh.clone()),
                        name_en: Some(form.name_en.clone()),
                        description_zh: Some(form.description_zh.clone()),
                        description_en: Some(form.description_en.clone()),
                        archived: None,
                    };
                    api::admin_config::update_dimension(&form.code, &patch).await
                }
            };
            match result {
                Ok(saved) => {
                    let name =
                        localized(i18n.get_locale_untracked(), &saved.name_zh, &saved.name_en)
                            .to_owned();
                    outcome.set(Some(Outcome::Done(Message::Saved(name))));
                    catalog.update(|c| replace_dimension(c, saved));
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let form = NewDimension {
            code: code.get_untracked().trim().to_owned(),
            name_zh: name_zh.get_untracked().trim().to_owned(),
            name_en: name_en.get_untracked().trim().to_owned(),
            description_zh: description_zh.get_untracked().trim().to_owned(),
            description_en: description_en.get_untracked().trim().to_owned(),
        };
        let problems = form.validate();
        if problems.is_empty() {
            errors.clear();
            action.dispatch_local(form);
        } else {
            errors.set(problems);
            focus_first_invalid(FORM_ID);
        }
    };
    view! {
        <FormDialog
            node_ref=node
            title_id="dimension-dialog-title"
            title=if is_new {
                t!(i18n, config.new_dimension).into_any()
            } else {
                t!(i18n, config.edit_dimension).into_any()
            }
            form_id=FORM_ID
            on_submit
            on_close
            submit=Signal::derive(move || t_string!(i18n, dialogs.save))
            pending=action.pending()
        >
                {is_new
                    .then(|| {
                        view! {
                            <ConfigField
                                id="dimension-code"
                                label=Signal::derive(move || t_string!(i18n, config.code))
                                hint=Signal::derive(move || Some(t_string!(i18n, config.code_hint).to_owned()))
                                value=code
                                error=errors.of("code")
                            />
                        }
                    })}
                <ConfigField
                    id="dimension-name-zh"
                    label=Signal::derive(move || t_string!(i18n, config.name_zh))
                    value=name_zh
                    error=errors.of("name_zh")
                />
                <ConfigField
                    id="dimension-name-en"
                    label=Signal::derive(move || t_string!(i18n, config.name_en))
                    value=name_en
                    error=errors.of("name_en")
                />
                <ConfigField
                    id="dimension-description-zh"
                    label=Signal::derive(move || t_string!(i18n, config.description_zh))
                    hint=Signal::derive(move || Some(t_string!(i18n, config.description_hint).to_owned()))
                    value=description_zh
                    multiline=true
                    error=errors.of("description_zh")
                />
                <ConfigField
                    id="dimension-description-en"
                    label=Signal::derive(move || t_string!(i18n, config.description_en))
                    value=description_en
                    multiline=true
                    error=errors.of("description_en")
                />
                <AlertFailure failure />
        </FormDialog>
    }
}

/// Create a service type, or edit one's names and ordered dimensions.
#[component]
pub(super) fn ServiceTypeDialog(
    /// The type to edit; `None` to create one.
    existing: Option<ServiceType>,
    /// The catalogue: the dimensions to pick from, updated with the saved type.
    catalog: RwSignal<Catalog>,
    /// Where the page announces what was done.
    outcome: RwSignal<Option<Outcome>>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
) -> impl IntoView {
    const FORM_ID: &str = "service-type-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let is_new = existing.is_none();
    let code = RwSignal::new(
        existing
            .as_ref()
            .map(|t| t.code.clone())
            .unwrap_or_default(),
    );
    let name_zh = RwSignal::new(
        existing
            .as_ref()
            .map(|t| t.name_zh.clone())
            .unwrap_or_default(),
    );
    let name_en = RwSignal::new(
        existing
            .as_ref()
            .map(|t| t.name_en.clone())
            .unwrap_or_default(),
    );
    let picked = RwSignal::new(
        existing
            .as_ref()
            .map(|t| t.dimensions.clone())
            .unwrap_or_default(),
    );
    let to_add = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(move |form: &NewServiceType| {
        let form = form.clone();
        async move {
            let result = if is_new {
                api::admin_config::create_service_type(&form).await
            } else {
                let patch = ServiceTypePatch {
                    name_zh: Some(form.name_zh.clone()),
                    name_en: Some(form.name_en.clone()),
                    dimensions: Some(form.dimensions.clone()),
                    archived: None,
                };
                api::admin_config::update_service_type(&form.code, &patch).await
            };
            match result {
                Ok(saved) => {
                    let name =
                        localized(i18n.get_locale_untracked(), &saved.name_zh, &saved.name_en)
                            .to_owned();
                    outcome.set(Some(Outcome::Done(Message::Saved(name))));
                    catalog.update(|c| replace_type(c, saved));
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let form = NewServiceType {
            code: code.get_untracked().trim().to_owned(),
            name_zh: name_zh.get_untracked().trim().to_owned(),
            name_en: name_en.get_untracked().trim().to_owned(),
            dimensions: picked.get_untracked(),
        };
        let problems = if is_new {
            form.validate()
        } else {
            ServiceTypePatch {
                name_zh: Some(form.name_zh.clone()),
                name_en: Some(form.name_en.clone()),
                dimensions: Some(form.dimensions.clone()),
                archived: None,
            }
            .validate()
        };
        if problems.is_empty() {
            errors.clear();
            action.dispatch_local(form);
        } else {
            errors.set(problems);
            focus_first_invalid(FORM_ID);
        }
    };
    let dimension_name = move |code: &str| {
        let locale = i18n.get_locale();
        catalog.with(|c| {
            c.dimensions
                .iter()
                .find(|d| d.code == code)
                .map_or(code.to_owned(), |d| {
                    localized(locale, &d.name_zh, &d.name_en).to_owned()
                })
        })
    };
    let addable = move || {
        let locale = i18n.get_locale();
        catalog.with(|c| {
            picked.with(|p| {
                c.dimensions
                    .iter()
                    .filter(|d| !d.archived && !p.iter().any(|td| td.code == d.code))
                    .map(|d| {
                        (
                            d.code.clone(),
                            localized(locale, &d.name_zh, &d.name_en).to_owned(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let add = move |_| {
        let code = to_add.get_untracked();
        let code = if code.is_empty() {
            addable()
                .first()
                .map(|(c, _)| c.clone())
                .unwrap_or_default()
        } else {
            code
        };
        if picked
            .try_update(|p| add_dimension(p, &code))
            .unwrap_or(false)
        {
            to_add.set(String::new());
            errors.set(
                check_type_dimensions(&picked.get_untracked())
                    .into_iter()
                    .filter(|e| e.code != "required")
                    .collect(),
            );
        }
    };
    let dimensions_error = errors.of("dimensions");
    view! {
        <FormDialog
            node_ref=node
            title_id="type-dialog-title"
            title=if is_new {
                t!(i18n, config.new_type).into_any()
            } else {
                t!(i18n, config.edit_type).into_any()
            }
            form_id=FORM_ID
            on_submit
            on_close
            submit=Signal::derive(move || t_string!(i18n, dialogs.save))
            pending=action.pending()
        >
                {is_new
                    .then(|| {
                        view! {
                            <ConfigField
                                id="type-code"
                                label=Signal::derive(move || t_string!(i18n, config.code))
                                hint=Signal::derive(move || Some(t_string!(i18n, config.code_hint).to_owned()))
                                value=code
                                error=errors.of("code")
                            />
                        }
                    })}
                <ConfigField
                    id="type-name-zh"
                    label=Signal::derive(move || t_string!(i18n, config.name_zh))
                    value=name_zh
                    error=errors.of("name_zh")
                />
                <ConfigField
                    id="type-name-en"
                    label=Signal::derive(move || t_string!(i18n, config.name_en))
                    value=name_en
                    error=errors.of("name_en")
                />
                <fieldset
                    class="field dimension-picker"
                    class:field-invalid=move || dimensions_error.with(Option::is_some)
                    aria-describedby="type-dimensions-hint"
                >
                    <legend>{t!(i18n, config.type_dimensions)}</legend>
                    <p id="type-dimensions-hint" class="field-hint">
                        {t!(i18n, config.type_dimensions_hint)}
                    </p>
                    <ol class="picked-dimensions">
                        {move || {
                            let count = picked.with(Vec::len);
                            picked
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(index, td)| {
                                    let name = dimension_name(&td.code);
                                    let optional_id = format!("type-dimension-{}-optional", td.code);
                                    let label_for = optional_id.clone();
                                    view! {
                                        <li class="picked-dimension">
                                            <span class="picked-name">{name.clone()}</span>
                                            <label class="checkbox" for=label_for>
                                                <input
                                                    type="checkbox"
                                                    id=optional_id
                                                    prop:checked=td.optional
                                                    on:change=move |ev| {
                                                        let checked = event_target_checked(&ev);
                                                        picked.update(|p| {
                                                            if let Some(d) = p.get_mut(index) {
                                                                d.optional = checked;
                                                            }
                                                        });
                                                    }
                                                />
                                                <span class="visually-hidden">{name.clone()} " "</span>
                                                {t!(i18n, config.optional)}
                                            </label>
                                            <span class="row-actions">
                                                <button
                                                    type="button"
                                                    class="button button-secondary button-small"
                                                    aria-disabled=(index == 0).then_some("true")
                                                    on:click=move |_| {
                                                        picked.update(|p| {
                                                            move_item(p, index, Move::Up);
                                                        })
                                                    }
                                                >
                                                    <span aria-hidden="true">"↑"</span>
                                                    <span class="visually-hidden">
                                                        {t!(i18n, config.move_up_named, name = name.clone())}
                                                    </span>
                                                </button>
                                                <button
                                                    type="button"
                                                    class="button button-secondary button-small"
                                                    aria-disabled=(index + 1 == count).then_some("true")
                                                    on:click=move |_| {
                                                        picked.update(|p| {
                                                            move_item(p, index, Move::Down);
                                                        })
                                                    }
                                                >
                                                    <span aria-hidden="true">"↓"</span>
                                                    <span class="visually-hidden">
                                                        {t!(i18n, config.move_down_named, name = name.clone())}
                                                    </span>
                                                </button>
                                                <button
                                                    type="button"
                                                    class="button button-secondary button-small"
                                                    on:click=move |_| {
                                                        picked.update(|p| {
                                                            if index < p.len() {
                                                                p.remove(index);
                                                            }
                                                        })
                                                    }
                                                >
                                                    <span aria-hidden="true">{t!(i18n, config.remove)}</span>
                                                    <span class="visually-hidden">
                                                        {t!(i18n, config.remove_named, name = name.clone())}
                                                    </span>
                                                </button>
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ol>
                    {move || {
                        picked
                            .with(Vec::is_empty)
                            .then(|| view! { <p class="muted">{t!(i18n, config.no_dimensions)}</p> })
                    }}
                    <div class="add-dimension">
                        <div class="field">
                            <label for="type-add-dimension">{t!(i18n, config.add_dimension_label)}</label>
                            <select
                                id="type-add-dimension"
                                on:change=move |ev| to_add.set(event_target_value(&ev))
                            >
                                {move || {
                                    addable()
                                        .into_iter()
                                        .map(|(code, name)| {
                                            let chosen = code.clone();
                                            view! {
                                                <option value=code prop:selected=move || to_add.get() == chosen>
                                                    {name}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </div>
                        <button type="button" class="button button-secondary" on:click=add>
                            {t!(i18n, config.add_dimension)}
                        </button>
                    </div>
                    {move || {
                        dimensions_error
                            .get()
                            .map(|error| {
                                view! {
                                    <p id="type-dimensions-error" class="field-error" role="alert">
                                        {crate::components::form::config::config_error_text(i18n, &error)}
                                    </p>
                                }
                            })
                    }}
                </fieldset>
                <AlertFailure failure />
        </FormDialog>
    }
}
