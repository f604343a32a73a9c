//! Sending rating invitations (issue 19): their settings and templates
//! (`/settings/invitations`) and sending by hand (`/invitations/send`). The records list's
//! filter by invitation state is [`super::admin_config::RecordQuery::invitation`]; the link's
//! opt-out is [`super::links::opt_out`].

use gloo_net::http::Method;
use pingjia_domain::invitations::{InvitationSettings, SendInvitations, SendReport};

use super::client::{self, Body, Unauthorized};
use super::error::ApiError;

/// `GET /settings/invitations`.
pub async fn settings() -> Result<InvitationSettings, ApiError> {
    client::get("/settings/invitations").await
}

/// `PUT /settings/invitations`: every setting and the eight templates at once; 422 names the
/// fields that break a rule (`delay_minutes`, `channel_order`, `templates[3].body`, …).
pub async fn save_settings(settings: &InvitationSettings) -> Result<InvitationSettings, ApiError> {
    client::request(
        Method::PUT,
        "/settings/invitations",
        Body::json(settings)?,
        Unauthorized::EndsSession,
    )
    .await
}

/// `POST /invitations/send`: sends (or resends) the invitations of some records now.
pub async fn send(request: &SendInvitations) -> Result<SendReport, ApiError> {
    client::post("/invitations/send", request).await
}
