//! The admin's configuration: dimensions and service types (`/dimensions`, `/service-types`),
//! service records and their CSV import (`/service-records`), settings (`/settings`), the
//! working-day calendar (`/calendar`) and the helpdesk's API keys (`/api-keys`).

use chrono::NaiveDate;
use gloo_net::http::Method;
use pingjia_domain::calendar::{CalendarBulk, CalendarDay, CalendarYear, DayEntry};
use pingjia_domain::catalog::{
    DimensionPatch, NewDimension, NewServiceType, ServiceTypeOrder, ServiceTypePatch,
};
use pingjia_domain::invitations::{InvitationState, RecordSelection};
use pingjia_domain::records::{RecordImportReport, RecordPage};
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{
    ApiKey, Catalog, Channel, CreatedApiKey, Dimension, NewApiKey, ServiceType,
};
use serde::{Deserialize, Serialize};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;
use super::query;

/// `PUT`/`DELETE`/`POST` with an optional JSON body, for the signed-in user.
async fn send<T: serde::de::DeserializeOwned>(
    method: Method,
    path: &str,
    body: Body,
) -> Result<T, ApiError> {
    client::request(method, path, body, Unauthorized::EndsSession).await
}

/// `POST /dimensions`: adds a dimension to the library.
pub async fn create_dimension(dimension: &NewDimension) -> Result<Dimension, ApiError> {
    client::post("/dimensions", dimension).await
}

/// `PATCH /dimensions/{code}`: renames, redescribes, archives or restores a dimension.
pub async fn update_dimension(code: &str, patch: &DimensionPatch) -> Result<Dimension, ApiError> {
    client::patch(&format!("/dimensions/{code}"), patch).await
}

/// `DELETE /dimensions/{code}`: 409 while a service type or an evaluation uses it.
pub async fn delete_dimension(code: &str) -> Result<(), ApiError> {
    send(Method::DELETE, &format!("/dimensions/{code}"), Body::Empty).await
}

/// `POST /service-types`: adds a service type with its ordered dimensions.
pub async fn create_service_type(service_type: &NewServiceType) -> Result<ServiceType, ApiError> {
    client::post("/service-types", service_type).await
}

/// `PATCH /service-types/{code}`: renames a type, changes its dimensions, archives it.
pub async fn update_service_type(
    code: &str,
    patch: &ServiceTypePatch,
) -> Result<ServiceType, ApiError> {
    client::patch(&format!("/service-types/{code}"), patch).await
}

/// `PUT /service-types/order`: the order the types are offered in.
pub async fn order_service_types(codes: Vec<String>) -> Result<Catalog, ApiError> {
    let body = Body::json(&ServiceTypeOrder { codes })?;
    send(Method::PUT, "/service-types/order", body).await
}

/// `DELETE /service-types/{code}`: 409 while a service record uses it.
pub async fn delete_service_type(code: &str) -> Result<(), ApiError> {
    send(
        Method::DELETE,
        &format!("/service-types/{code}"),
        Body::Empty,
    )
    .await
}

/// The filters and page of `GET /service-records`; `None` filters match every record. Its serde
/// fields are the filters as the list's address and the API carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordQuery {
    /// First day of the period (China time), inclusive.
    pub from: Option<NaiveDate>,
    /// Last day of the period, inclusive.
    pub to: Option<NaiveDate>,
    pub agent_id: Option<i64>,
    pub team_id: Option<i64>,
    #[serde(skip_serializing_if = "query::is_blank")]
    pub service_type: Option<String>,
    pub channel: Option<Channel>,
    pub rated: Option<bool>,
    /// Where the records stand with their rating invitation.
    pub invitation: Option<InvitationState>,
    /// From 1.
    #[serde(skip_serializing)]
    pub page: u32,
}

impl RecordQuery {
    /// The records these filters match, as a selection to send invitations to.
    pub fn selection(&self) -> RecordSelection {
        RecordSelection {
            from: self.from,
            to: self.to,
            agent_id: self.agent_id,
            team_id: self.team_id,
            service_type: self.service_type.clone().filter(|t| !t.trim().is_empty()),
            channel: self.channel,
            rated: self.rated,
            invitation: self.invitation,
        }
    }
}

/// `GET /service-records`: one page of the records matching the filters, newest first.
pub async fn list_records(query: &RecordQuery) -> Result<RecordPage, ApiError> {
    let paging = query::Paging {
        page: Some(query.page.max(1)),
        per_page: None,
    };
    client::get(&query::paged_href("/service-records", query, paging)).await
}

/// `POST /service-records/import?dry_run=`: the file's bytes as chosen (UTF-8 or GBK). A dry
/// run reports every row and writes nothing; a real import writes every new row, or nothing
/// (422 listing every bad cell).
pub async fn import_records(csv: Vec<u8>, dry_run: bool) -> Result<RecordImportReport, ApiError> {
    send(
        Method::POST,
        &format!("/service-records/import?dry_run={dry_run}"),
        Body::CsvBytes(csv),
    )
    .await
}

/// `GET /settings`.
pub async fn settings() -> Result<Settings, ApiError> {
    client::get("/settings").await
}

/// `PUT /settings`: every setting at once; 422 names the fields out of range.
pub async fn save_settings(settings: &Settings) -> Result<Settings, ApiError> {
    send(Method::PUT, "/settings", Body::json(settings)?).await
}

/// `GET /calendar?year=`: a year's holidays and make-up workdays.
pub async fn calendar(year: i32) -> Result<CalendarYear, ApiError> {
    client::get(&format!("/calendar?year={year}")).await
}

/// `PUT /calendar/{date}`: makes a date a holiday or a make-up workday.
pub async fn set_day(date: NaiveDate, entry: &DayEntry) -> Result<CalendarDay, ApiError> {
    send(
        Method::PUT,
        &format!("/calendar/{date}"),
        Body::json(entry)?,
    )
    .await
}

/// `DELETE /calendar/{date}`: the date is an ordinary day again.
pub async fn remove_day(date: NaiveDate) -> Result<(), ApiError> {
    send(Method::DELETE, &format!("/calendar/{date}"), Body::Empty).await
}

/// `POST /calendar/bulk`: replaces a year's days.
pub async fn replace_year(bulk: &CalendarBulk) -> Result<CalendarYear, ApiError> {
    client::post("/calendar/bulk", bulk).await
}

/// `GET /api-keys`: every key, revoked ones included.
pub async fn api_keys() -> Result<Vec<ApiKey>, ApiError> {
    client::get("/api-keys").await
}

/// `POST /api-keys`: a new key; the answer holds its secret, shown this once.
pub async fn create_api_key(key: &NewApiKey) -> Result<CreatedApiKey, ApiError> {
    client::post("/api-keys", key).await
}

/// `POST /api-keys/{id}/revoke`: the key is refused from now on.
pub async fn revoke_api_key(id: i64) -> Result<ApiKey, ApiError> {
    send(Method::POST, &format!("/api-keys/{id}/revoke"), Body::Empty).await
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn only_the_filters_that_are_set_are_sent() {
        assert!(query::to_query(&RecordQuery::default()).is_empty());
        let query = RecordQuery {
            from: NaiveDate::from_ymd_opt(2026, 11, 1),
            service_type: Some("online_chat".into()),
            channel: Some(Channel::Offline),
            rated: Some(false),
            invitation: Some(InvitationState::OptedOut),
            page: 2,
            ..RecordQuery::default()
        };
        assert_eq!(
            query::to_query(&query),
            "from=2026-11-01&service_type=online_chat&channel=offline&rated=false&invitation=opted_out"
        );
        let selection = query.selection();
        assert_eq!(selection.invitation, Some(InvitationState::OptedOut));
        assert_eq!(selection.service_type.as_deref(), Some("online_chat"));
        assert_eq!(selection.from, query.from);
        assert_eq!(
            RecordQuery {
                service_type: Some(" ".into()),
                ..RecordQuery::default()
            }
            .selection(),
            RecordSelection::default()
        );
    }
}
