//! The import panel of service records: choose a file, check it, preview it, import it, and the report of its bad cells.

use leptos::either::{Either, EitherOf3};
use leptos::ev::{Event, SubmitEvent};
use leptos::prelude::*;
use pingjia_domain::records::{RECORD_COLUMNS, RecordImportReport, RecordPreview, RowOutcome};
use pingjia_domain::wire::Catalog;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::labels::{TEMPLATE_PATH, column_name, type_name};
use crate::api::{self, ApiError};
use crate::components::data_table::{Column, DataTable};
use crate::components::error_panel::error_message;
use crate::components::form::config::config_error_text;
use crate::components::import_report::{ImportErrorReport, bad_rows};
use crate::format::local_time;
use crate::i18n::{t, t_string, td_string, use_i18n};

/// A file the admin chose, as bytes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Chosen {
    name: String,
    bytes: Vec<u8>,
}

/// The import: the template, the file, its dry run's report, and the import itself.
#[component]
pub(super) fn ImportPanel(
    /// The service types' names, for the preview.
    catalog: Signal<Option<Catalog>>,
    /// Called after records were imported, to reload the list.
    on_imported: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<Chosen>);
    let unreadable = RwSignal::new(false);
    let checked = RwSignal::new(None::<Result<RecordImportReport, ApiError>>);
    let result = RwSignal::new(None::<Result<RecordImportReport, ApiError>>);
    let check = Action::new_local(move |bytes: &Vec<u8>| {
        let bytes = bytes.clone();
        async move {
            checked.set(Some(api::admin_config::import_records(bytes, true).await));
        }
    });
    let import = Action::new_local(move |bytes: &Vec<u8>| {
        let bytes = bytes.clone();
        async move {
            let answer = api::admin_config::import_records(bytes, false).await;
            if answer.is_ok() {
                on_imported.run(());
                checked.set(None);
            }
            result.set(Some(answer));
        }
    });
    let on_change = move |ev: Event| {
        checked.set(None);
        result.set(None);
        unreadable.set(false);
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            chosen.set(None);
            return;
        };
        let name = file.name();
        leptos::task::spawn_local(async move {
            match read_bytes(file).await {
                Some(bytes) => {
                    chosen.set(Some(Chosen {
                        name,
                        bytes: bytes.clone(),
                    }));
                    check.dispatch_local(bytes);
                }
                None => {
                    chosen.set(None);
                    unreadable.set(true);
                }
            }
        });
    };
    let importable = move || {
        checked
            .with(|c| matches!(c, Some(Ok(report)) if report.errors.is_empty() && report.new > 0))
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if import.pending().get_untracked() || !importable() {
            return;
        }
        if let Some(file) = chosen.get_untracked() {
            result.set(None);
            import.dispatch_local(file.bytes);
        }
    };
    view! {
        <section class="panel config-section" aria-labelledby="records-import-heading">
            <h2 id="records-import-heading">{t!(i18n, config.import_heading)}</h2>
            <p>{t!(i18n, config.import_intro)}</p>
            <p><code class="columns">{RECORD_COLUMNS.join(",")}</code></p>
            <ul class="plain-list">
                <li>{t!(i18n, config.import_format_people)}</li>
                <li>{t!(i18n, config.import_format_customers)}</li>
                <li>{t!(i18n, config.import_format_times)}</li>
                <li>{t!(i18n, config.import_format_lists)}</li>
                <li>{t!(i18n, config.import_format_do_not_invite)}</li>
            </ul>
            <p>
                <a href=TEMPLATE_PATH download="pingjia-service-records-template.csv" class="button button-secondary">
                    {t!(i18n, config.import_template)}
                </a>
            </p>
            <form id="records-import-form" class="form" novalidate on:submit=on_submit>
                <div class="field" class:field-invalid=move || unreadable.get()>
                    <label for="records-file">{t!(i18n, config.import_file)}</label>
                    <p id="records-file-hint" class="field-hint">{t!(i18n, config.import_file_hint)}</p>
                    <input
                        id="records-file"
                        name="file"
                        type="file"
                        accept=".csv,text/csv"
                        aria-describedby=move || if unreadable.get() { "records-file-hint records-file-error" } else { "records-file-hint" }
                        aria-invalid=move || unreadable.get().then_some("true")
                        on:change=on_change
                    />
                    {move || unreadable.get().then(|| view! { <p id="records-file-error" class="field-error">{t!(i18n, import.unreadable)}</p> })}
                </div>
                <div role="status">
                    {move || check.pending().get().then(|| view! { <p class="status">{t!(i18n, config.import_checking)}</p> })}
                    {move || {
                        checked.get().map(|answer| match answer {
                            Ok(report) => EitherOf3::A(view! { <CheckSummary report=report.clone() /> }),
                            Err(ApiError::Validation(problem)) => EitherOf3::B(view! {
                                <div class="notice notice-error">
                                    <p class="notice-title">{t!(i18n, config.import_unreadable_file)}</p>
                                    {problem.detail.map(|d| view! { <p>{d}</p> })}
                                </div>
                            }),
                            Err(error) => EitherOf3::C(view! { <p class="notice notice-error">{error_message(i18n, &error)}</p> }),
                        })
                    }}
                </div>
                {move || {
                    checked.get().and_then(Result::ok).map(|report| {
                        if report.errors.is_empty() {
                            Either::Left(view! { <Preview rows=report.preview catalog /> })
                        } else {
                            Either::Right(view! { <ImportErrorReport errors=report.errors column_name error_text=config_error_text /> })
                        }
                    })
                }}
                {move || {
                    checked.get().and_then(Result::err).and_then(|e| e.problem().cloned()).filter(|p| !p.errors.is_empty()).map(|p| view! { <ImportErrorReport errors=p.errors column_name error_text=config_error_text /> })
                }}
                {move || {
                    importable().then(|| view! {
                        <div class="form-actions">
                            <button type="submit" class="button" aria-disabled=move || import.pending().get().then_some("true")>
                                {move || if import.pending().get() { t_string!(i18n, config.importing) } else { t_string!(i18n, config.import_button) }}
                            </button>
                        </div>
                    })
                }}
            </form>
            <div class="import-outcome" role="status">
                {move || {
                    result.get().map(|answer| match answer {
                        Ok(report) => {
                            let count = report.imported;
                            let unchanged = report.unchanged;
                            Either::Left(view! {
                                <div class="notice notice-success">
                                    <p class="notice-title">{t!(i18n, config.import_done, count = move || count, unchanged = move || unchanged)}</p>
                                </div>
                            })
                        }
                        Err(error) => Either::Right(view! {
                            <div class="notice notice-error">
                                <p class="notice-title">{t!(i18n, config.import_refused)}</p>
                                <p>{error_message(i18n, &error)}</p>
                            </div>
                        }),
                    })
                }}
            </div>
            {move || {
                result.get().and_then(Result::err).and_then(|e| e.problem().cloned()).filter(|p| !p.errors.is_empty()).map(|p| view! { <ImportErrorReport errors=p.errors column_name error_text=config_error_text /> })
            }}
        </section>
    }
}

/// What the dry run found: rows, new and existing, the conversion, the problems.
#[component]
pub(super) fn CheckSummary(
    /// The dry run's report.
    report: RecordImportReport,
) -> impl IntoView {
    let i18n = use_i18n();
    let RecordImportReport {
        converted_from,
        rows,
        new,
        unchanged,
        errors,
        new_customers,
        kept,
        ..
    } = report;
    let bad = bad_rows(&errors);
    let failed = !errors.is_empty();
    view! {
        <div class="notice" class:notice-error=failed class:notice-success=!failed>
            <p class="notice-title">
                {if failed {
                    t!(i18n, config.import_check_failed, rows = bad).into_any()
                } else {
                    t!(i18n, config.import_check_ok, rows = move || rows, new = move || new, unchanged = move || unchanged).into_any()
                }}
            </p>
            {failed.then(|| view! { <p>{t!(i18n, config.import_nothing_written)}</p> })}
            {converted_from.map(|encoding| view! { <p>{t!(i18n, config.import_converted, encoding)}</p> })}
            {(!failed && new_customers > 0).then(|| view! { <p>{t!(i18n, config.import_new_customers, count = move || new_customers)}</p> })}
        </div>
        {(!failed && !kept.is_empty()).then(|| view! {
            <p>{t!(i18n, config.import_kept_heading)}</p>
            <ImportErrorReport errors=kept column_name error_text=config_error_text />
        })}
    }
}

/// The first valid rows of the file, as read.
#[component]
pub(super) fn Preview(
    /// The rows.
    rows: Vec<RecordPreview>,
    /// The service types' names.
    catalog: Signal<Option<Catalog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let columns = vec![
        Column::new(
            |l| td_string!(l, import.row),
            |row: &RecordPreview| row.line,
        ),
        Column::new(
            |l| td_string!(l, config.external_id),
            |row: &RecordPreview| {
                view! { <span class="mono">{row.external_id.clone()}</span> }
            },
        )
        .row_header(None),
        Column::new(
            |l| td_string!(l, config.time),
            |row: &RecordPreview| local_time(row.started_at),
        ),
        Column::new(
            |l| td_string!(l, config.customer),
            move |row: &RecordPreview| {
                let number = (!row.customer_no.is_empty()).then(|| row.customer_no.clone());
                let generated = number.is_none();
                let new_customer = row.new_customer;
                let do_not_invite = row.do_not_invite;
                view! {
                    {number.map(|n| view! { <span class="mono">{n}</span> })}
                    {generated.then(|| view! { <span class="muted">{t!(i18n, config.generated_on_import)}</span> })}
                    {new_customer.then(|| view! { " " <span class="badge">{t!(i18n, config.new_customer)}</span> })}
                    {do_not_invite.then(|| view! { " " <span class="badge badge-off">{t!(i18n, config.do_not_invite)}</span> })}
                }
            },
        ),
        Column::new(
            |l| td_string!(l, config.agent),
            |row: &RecordPreview| {
                view! { <span class="mono">{row.agent_no.clone()}</span> }
            },
        ),
        Column::new(
            |l| td_string!(l, config.service_type),
            move |row: &RecordPreview| {
                let code = row.service_type.clone();
                move || type_name(&catalog.get(), i18n.get_locale(), &code)
            },
        ),
        Column::new(
            |l| td_string!(l, config.import_outcome),
            move |row: &RecordPreview| {
                let outcome = row.outcome;
                move || match outcome {
                    RowOutcome::New => t_string!(i18n, config.outcome_new),
                    RowOutcome::Unchanged => t_string!(i18n, config.outcome_unchanged),
                }
            },
        ),
    ];
    view! {
        <DataTable
            class="data-table preview-table"
            caption=|l| td_string!(l, config.import_preview)
            caption_shown=true
            roles=true
            columns
            rows
        />
    }
}

/// Reads a chosen file's bytes.
async fn read_bytes(file: web_sys::File) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}
