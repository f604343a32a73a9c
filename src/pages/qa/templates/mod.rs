//! Checklist templates (检查表模板): the list (`/qa/templates`), the editor of a whole template
//! (`/qa/templates/new`, optionally `?copy={id}`, and `/qa/templates/:id`): names, description,
//! dimensions with their items (name and standard) and optional rubric level texts for scores
//! 1-5. A template a plan uses is shown read-only, with a way to copy it into a new one.

use leptos::either::{Either, EitherOf3};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use pingjia_domain::FieldError;
use pingjia_domain::qa::{ChecklistTemplate, NewTemplate, NewTemplateDimension, NewTemplateItem};

use crate::api::{self, ApiError};
use crate::components::data_table::{Column, DataTable, Loaded};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::form::fields::{InputField, TextAreaField};
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::outbox;
use crate::pages::qa::{
    NEW_TEMPLATE_PATH, QaErrors, TEMPLATES_PATH, copy_template_href, template_href,
};

mod editor;
use crate::components::form::focus_invalid_in;
use editor::DimensionEditor;

mod rows;
use rows::{DimensionRow, Uids};

/// The id of the template form.
const FORM_ID: &str = "template-form";

/// A template as the form edits it (the wire form of the one it was loaded from).
pub fn to_new_template(template: &ChecklistTemplate) -> NewTemplate {
    NewTemplate {
        name_zh: template.name_zh.clone(),
        name_en: template.name_en.clone(),
        description_zh: template.description_zh.clone(),
        description_en: template.description_en.clone(),
        dimensions: template
            .dimensions
            .iter()
            .map(|d| NewTemplateDimension {
                name_zh: d.name_zh.clone(),
                name_en: d.name_en.clone(),
                levels: d.levels.clone(),
                items: d
                    .items
                    .iter()
                    .map(|i| NewTemplateItem {
                        name_zh: i.name_zh.clone(),
                        name_en: i.name_en.clone(),
                        standard_zh: i.standard_zh.clone(),
                        standard_en: i.standard_en.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A field of `sent` as the form names it: the levels sent are only the filled ones, so
/// `dimensions.{i}.levels.{k}.text_zh` becomes `dimensions.{i}.level{score}.text_zh`.
pub fn form_field(field: &str, sent: &NewTemplate) -> String {
    let parts: Vec<&str> = field.split('.').collect();
    if let ["dimensions", i, "levels", k, rest @ ..] = parts.as_slice()
        && let (Ok(i), Ok(k)) = (i.parse::<usize>(), k.parse::<usize>())
        && let Some(level) = sent.dimensions.get(i).and_then(|d| d.levels.get(k))
    {
        let mut named = format!("dimensions.{i}.level{}", level.score);
        for part in rest {
            named.push('.');
            named.push_str(part);
        }
        return named;
    }
    field.to_owned()
}

/// The list of templates.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let templates = LocalResource::new(api::qa::templates);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.templates_title)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, qa.templates_title))}</h1>
            <p class="page-actions">
                <A href=NEW_TEMPLATE_PATH attr:class="button">{tr(i18n, |l| td_string!(l, qa.new_template))}</A>
            </p>
        </div>
        <Loaded
            resource=templates
            view=move |list| view! { <TemplateTable templates=list /> }
        />
    }
}

/// The templates as a table.
#[component]
fn TemplateTable(
    /// The templates.
    templates: Vec<ChecklistTemplate>,
) -> impl IntoView {
    let i18n = use_i18n();
    if templates.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.templates_empty))}</p>
        });
    }
    let columns = vec![
        Column::new(|l| td_string!(l, qa.template_name), move |t: &ChecklistTemplate| {
            let (zh, en) = (t.name_zh.clone(), t.name_en.clone());
            view! {
                <A href=template_href(t.id)>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</A>
            }
        })
        .row_header(None),
        Column::new(|l| td_string!(l, qa.dimensions), |t: &ChecklistTemplate| t.dimensions.len()),
        Column::new(|l| td_string!(l, qa.items), |t: &ChecklistTemplate| {
            t.dimensions.iter().map(|d| d.items.len()).sum::<usize>()
        }),
        Column::new(|l| td_string!(l, qa.status), move |t: &ChecklistTemplate| {
            if t.in_use {
                Either::Left(view! { <span class="badge badge-off">{tr(i18n, |l| td_string!(l, qa.in_use))}</span> })
            } else {
                Either::Right(view! { <span class="badge">{tr(i18n, |l| td_string!(l, qa.editable))}</span> })
            }
        }),
        Column::new(|l| td_string!(l, qa.updated), |t: &ChecklistTemplate| local_time(t.updated_at)),
    ];
    Either::Right(view! {
        <div class="table-scroll">
            <DataTable
                class="data-table qa-table"
                testid="qa-template-table"
                caption=|l| td_string!(l, qa.templates_title)
                columns
                rows=templates
            />
        </div>
    })
}

/// A new template (`/qa/templates/new`), empty or a copy of `?copy={id}`.
#[component]
pub fn NewTemplatePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let copy = query.with_untracked(|q| q.get("copy").and_then(|c| c.parse::<i64>().ok()));
    let source = LocalResource::new(move || async move {
        match copy {
            Some(id) => api::qa::template(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.new_template)) />
        <p class="breadcrumb"><A href=TEMPLATES_PATH>{tr(i18n, |l| td_string!(l, qa.templates_title))}</A></p>
        <h1>{tr(i18n, |l| td_string!(l, qa.new_template))}</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match source.await {
                    Ok(source) => {
                        let initial = match source {
                            Some(template) => {
                                let mut copy = to_new_template(&template);
                                let suffix = td_string!(i18n.get_locale_untracked(), qa.copy_suffix);
                                copy.name_zh = format!("{}{suffix}", copy.name_zh);
                                copy.name_en = format!("{} (copy)", copy.name_en);
                                copy
                            }
                            None => blank_template(),
                        };
                        Either::Left(view! { <TemplateEditor initial updating=None /> })
                    }
                    Err(error) => Either::Right(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| source.refetch()) />
                    }),
                }
            })}
        </Transition>
    }
}

/// An empty template: one dimension with one item.
fn blank_template() -> NewTemplate {
    NewTemplate {
        dimensions: vec![NewTemplateDimension {
            items: vec![NewTemplateItem::default()],
            ..NewTemplateDimension::default()
        }],
        ..NewTemplate::default()
    }
}

/// A template (`/qa/templates/:id`): the editor, or read-only once a plan uses it.
#[component]
pub fn TemplatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let template = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::qa::template(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.template)) />
        <p class="breadcrumb"><A href=TEMPLATES_PATH>{tr(i18n, |l| td_string!(l, qa.templates_title))}</A></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match template.await {
                    Ok(t) if t.in_use => EitherOf3::A(view! { <TemplateReadOnly template=t /> }),
                    Ok(t) => {
                        let (zh, en) = (t.name_zh.clone(), t.name_en.clone());
                        let initial = to_new_template(&t);
                        EitherOf3::B(view! {
                            <h1>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</h1>
                            <TemplateEditor initial updating=Some(t.id) />
                        })
                    }
                    Err(error) => EitherOf3::C(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| template.refetch()) />
                    }),
                }
            })}
        </Transition>
    }
}

/// A template a plan uses: read-only, with "copy as a new template".
#[component]
pub fn TemplateReadOnly(
    /// The template.
    template: ChecklistTemplate,
) -> impl IntoView {
    let i18n = use_i18n();
    let (zh, en) = (template.name_zh.clone(), template.name_en.clone());
    let (dzh, den) = (
        template.description_zh.clone(),
        template.description_en.clone(),
    );
    let dimensions = template
        .dimensions
        .iter()
        .map(|d| {
            let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
            let items = d
                .items
                .iter()
                .map(|item| {
                    let (zh, en) = (item.name_zh.clone(), item.name_en.clone());
                    let (szh, sen) = (item.standard_zh.clone(), item.standard_en.clone());
                    view! {
                        <li>
                            <strong>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</strong>
                            <p class="suggestion-text">{move || in_language(i18n.get_locale(), &szh, &sen).to_owned()}</p>
                        </li>
                    }
                })
                .collect_view();
            let levels = d
                .levels
                .iter()
                .map(|l| {
                    let (zh, en) = (l.text_zh.clone(), l.text_en.clone());
                    let score = l.score;
                    view! {
                        <li>
                            <strong>{move || td_string!(i18n.get_locale(), qa.points, points = score.to_string())}</strong>
                            " " {move || in_language(i18n.get_locale(), &zh, &en).to_owned()}
                        </li>
                    }
                })
                .collect_view();
            let has_levels = !d.levels.is_empty();
            view! {
                <section class="panel">
                    <h2>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</h2>
                    <ul class="brief-list">{items}</ul>
                    {has_levels.then(|| view! {
                        <h3>{tr(i18n, |l| td_string!(l, qa.rubric_levels))}</h3>
                        <ul class="plain-list">{levels}</ul>
                    })}
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="page-head">
            <h1>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</h1>
            <p class="page-actions">
                <A href=copy_template_href(template.id) attr:class="button" attr:data-testid="qa-copy-template">
                    {tr(i18n, |l| td_string!(l, qa.copy_template))}
                </A>
            </p>
        </div>
        <p class="notice notice-warn">{tr(i18n, |l| td_string!(l, qa.template_in_use))}</p>
        <p>{move || in_language(i18n.get_locale(), &dzh, &den).to_owned()}</p>
        {dimensions}
    }
}

/// The editor of a whole template: creates one (`updating` = `None`) or replaces template
/// `updating`; when that one turns out to be in use, it offers to save the edits as a copy.
#[component]
pub fn TemplateEditor(
    /// What the form starts with.
    initial: NewTemplate,
    /// The template replaced, or `None` for a new one.
    updating: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let uids = Uids(StoredValue::new(0));
    let updating = RwSignal::new(updating);
    let name_zh = RwSignal::new(initial.name_zh.clone());
    let name_en = RwSignal::new(initial.name_en.clone());
    let description_zh = RwSignal::new(initial.description_zh.clone());
    let description_en = RwSignal::new(initial.description_en.clone());
    let dimensions = RwSignal::new(
        initial
            .dimensions
            .iter()
            .map(|d| DimensionRow::new(uids, d))
            .collect::<Vec<_>>(),
    );
    let errors = QaErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let in_use = RwSignal::new(false);
    // Refused because a calibration session scores with it (its answers refer to the items).
    let in_calibration = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let sent = StoredValue::new(None::<(String, NewTemplate)>);

    let save = Action::new_local(move |(key, body): &(Option<String>, NewTemplate)| {
        let (key, body) = (key.clone(), body.clone());
        let navigate = navigate.clone();
        async move {
            let result = match (updating.get_untracked(), key) {
                (Some(id), _) => api::qa::update_template(id, &body).await,
                (None, Some(key)) => api::qa::create_template(&key, &body).await,
                (None, None) => return,
            };
            match result {
                Ok(template) => {
                    if updating.get_untracked().is_some() {
                        saved.set(true);
                    } else {
                        navigate(&template_href(template.id), Default::default());
                    }
                }
                Err(error) if error.code() == Some(api::qa::TEMPLATE_IN_USE) => in_use.set(true),
                Err(error) if error.code() == Some(api::calibration::TEMPLATE_IN_CALIBRATION) => {
                    in_calibration.set(true)
                }
                Err(error) => {
                    if let Some(problem) = error.problem().filter(|p| !p.errors.is_empty()) {
                        errors.set(
                            problem
                                .errors
                                .iter()
                                .map(|e| FieldError {
                                    field: form_field(&e.field, &body),
                                    ..e.clone()
                                })
                                .collect(),
                        );
                        focus_invalid_in(FORM_ID.to_owned());
                    } else {
                        failure.set(Some(error));
                    }
                }
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        failure.set(None);
        saved.set(false);
        let body = NewTemplate {
            name_zh: name_zh.get_untracked(),
            name_en: name_en.get_untracked(),
            description_zh: description_zh.get_untracked(),
            description_en: description_en.get_untracked(),
            dimensions: dimensions
                .get_untracked()
                .into_iter()
                .map(DimensionRow::value)
                .collect(),
        };
        match body.check() {
            Ok(()) => {
                errors.set(Vec::new());
                let key = updating.get_untracked().is_none().then(|| {
                    sent.with_value(|sent| {
                        sent.as_ref()
                            .filter(|(_, last)| *last == body)
                            .map(|(key, _)| key.clone())
                    })
                    .unwrap_or_else(outbox::new_key)
                });
                if let Some(key) = &key {
                    sent.set_value(Some((key.clone(), body.clone())));
                }
                save.dispatch_local((key, body));
            }
            Err(found) => {
                errors.set(
                    found
                        .into_iter()
                        .map(|e| FieldError {
                            field: form_field(&e.field, &body),
                            ..e
                        })
                        .collect(),
                );
                focus_invalid_in(FORM_ID.to_owned());
            }
        }
    };
    let copy_instead = move |_| {
        in_use.set(false);
        in_calibration.set(false);
        updating.set(None);
        let suffix = td_string!(i18n.get_locale_untracked(), qa.copy_suffix);
        name_zh.update(|n| n.push_str(suffix));
    };
    let label = move |f: fn(Locale) -> &'static str| {
        Signal::derive(move || f(i18n.get_locale()).to_owned())
    };
    let add_dimension = move |_| {
        dimensions.update(|d| {
            d.push(DimensionRow::new(
                uids,
                &NewTemplateDimension {
                    items: vec![NewTemplateItem::default()],
                    ..NewTemplateDimension::default()
                },
            ))
        })
    };
    let dimension_list = move || {
        let rows = dimensions.get();
        let count = rows.len();
        rows.into_iter()
            .enumerate()
            .map(
                |(index, row)| view! { <DimensionEditor index count row dimensions errors uids /> },
            )
            .collect_view()
    };
    let dimensions_error = errors.of("dimensions".into());
    view! {
        <form id=FORM_ID class="form qa-form qa-template-form" novalidate on:submit=on_submit data-testid="qa-template-form">
            <div class="qa-pair">
                <InputField id="tpl-name-zh" label=label(|l| td_string!(l, qa.name_zh)) value=name_zh error=errors.of("name_zh".into()) required=true />
                <InputField id="tpl-name-en" label=label(|l| td_string!(l, qa.name_en)) value=name_en error=errors.of("name_en".into()) optional=true />
            </div>
            <div class="qa-pair">
                <TextAreaField id="tpl-description-zh" label=label(|l| td_string!(l, qa.description_zh)) value=description_zh error=errors.of("description_zh".into()) optional=true />
                <TextAreaField id="tpl-description-en" label=label(|l| td_string!(l, qa.description_en)) value=description_en error=errors.of("description_en".into()) optional=true />
            </div>
            <h2>{tr(i18n, |l| td_string!(l, qa.dimensions))}</h2>
            {move || dimensions_error.get().map(|text| view! { <p class="field-error">{text}</p> })}
            <ol class="qa-dimension-list">{dimension_list}</ol>
            <p>
                <button type="button" class="button button-secondary" on:click=add_dimension>
                    {tr(i18n, |l| td_string!(l, qa.add_dimension))}
                </button>
            </p>
            {move || (in_use.get() || in_calibration.get()).then(|| view! {
                <div class="notice notice-warn" role="alert" data-testid="qa-template-refused">
                    <p>
                        {move || if in_calibration.get() {
                            t_string!(i18n, qa.template_in_calibration)
                        } else {
                            t_string!(i18n, qa.template_in_use)
                        }}
                    </p>
                    <button type="button" class="button" on:click=copy_instead>{tr(i18n, |l| td_string!(l, qa.copy_template))}</button>
                </div>
            })}
            <div role="alert">
                {move || failure.get().map(|error| view! {
                    <div class="notice notice-error form-error"><p>{error_message(i18n, &error)}</p></div>
                })}
            </div>
            <p class="status" role="status">
                {move || saved.get().then(|| tr(i18n, |l| td_string!(l, qa.template_saved)))}
            </p>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || save.pending().get() data-testid="qa-template-submit">
                    {move || if updating.get().is_some() { t_string!(i18n, qa.save_template) } else { t_string!(i18n, qa.create_template) }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::rows::shift;
    use super::*;
    use pingjia_domain::qa::RubricLevel;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn level_errors_are_named_by_their_score() {
        let sent = NewTemplate {
            dimensions: vec![NewTemplateDimension {
                levels: vec![
                    RubricLevel {
                        score: 2,
                        text_zh: "慢".into(),
                        text_en: String::new(),
                    },
                    RubricLevel {
                        score: 5,
                        text_zh: String::new(),
                        text_en: "fast".into(),
                    },
                ],
                ..NewTemplateDimension::default()
            }],
            ..NewTemplate::default()
        };
        assert_eq!(
            form_field("dimensions.0.levels.1.text_zh", &sent),
            "dimensions.0.level5.text_zh"
        );
        assert_eq!(
            form_field("dimensions.0.items.3.name_zh", &sent),
            "dimensions.0.items.3.name_zh"
        );
        assert_eq!(form_field("name_zh", &sent), "name_zh");
    }

    #[test]
    fn rows_move_within_their_bounds() {
        let mut list = vec![1, 2, 3];
        shift(&mut list, 0, true);
        assert_eq!(list, [1, 2, 3]);
        shift(&mut list, 2, true);
        assert_eq!(list, [1, 3, 2]);
        shift(&mut list, 2, false);
        assert_eq!(list, [1, 3, 2]);
        shift(&mut list, 0, false);
        assert_eq!(list, [3, 1, 2]);
    }
}
