//! The response rate (参评率, issue 19): how many of the customers invited to rate a service
//! opened their invitation, rated, or asked for no more invitations.
//!
//! **The rule**, written once here and applied by every query (`server/src/db/analytics/
//! response.rs`), the dashboard, the reports and their CSV files:
//!
//! - An invitation belongs to a period by when it was **sent** (`sent_at`, the day in the
//!   organisation's zone); one never sent (queued, suppressed, failed) is not counted at all.
//! - **Invited** = the invitations sent in the period (a revoked one included: it reached the
//!   customer).
//! - Among those, as they stand now (a cohort: an invitation sent on the 30th and rated on the
//!   2nd counts as rated in the period it was sent):
//!   - **opened** = its link was opened, or its record was rated (a customer who rated signed
//!     in has seen the invitation too), so that opened ⊇ rated;
//!   - **rated** = its record was rated (through the link or signed in);
//!   - **opted out** = its customer asked for no more invitations from its message.
//! - **Response rate** (参评率) = rated / invited; open rate = opened / invited; opt-out rate
//!   = opted out / invited; each `None` when nothing was invited.
//! - The filters and the breakdowns are the service record's (agent, the agent's team now,
//!   service type, service channel, customer type now) and the invitation's channel.

use serde::{Deserialize, Serialize};

use super::{Period, rate};

/// The counts of a group of invitations, as SQL sums them ([`ResponseCounts::funnel`] adds the
/// rates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResponseCounts {
    /// Invitations sent in the period.
    pub invited: u64,
    /// Of them, opened (the link opened, or the record rated).
    pub opened: u64,
    /// Of them, rated.
    pub rated: u64,
    /// Of them, opted out.
    pub opted_out: u64,
}

impl ResponseCounts {
    /// Response rate (参评率) = rated / invited.
    pub fn response_rate(&self) -> Option<f64> {
        rate(self.rated, self.invited)
    }

    /// Open rate = opened / invited.
    pub fn open_rate(&self) -> Option<f64> {
        rate(self.opened, self.invited)
    }

    /// Opt-out rate = opted out / invited.
    pub fn opt_out_rate(&self) -> Option<f64> {
        rate(self.opted_out, self.invited)
    }

    /// The counts with their rates, rounded to four places (a tenth of a percent and better).
    pub fn funnel(&self) -> ResponseFunnel {
        let round = |v: Option<f64>| v.map(|v| (v * 10_000.0).round() / 10_000.0);
        ResponseFunnel {
            invited: self.invited,
            opened: self.opened,
            rated: self.rated,
            opted_out: self.opted_out,
            open_rate: round(self.open_rate()),
            response_rate: round(self.response_rate()),
            opt_out_rate: round(self.opt_out_rate()),
        }
    }
}

/// The response funnel of a group of invitations: invited → opened → rated, and opted out.
///
/// Invited = invitations **sent** in the period (by `sent_at`, the organisation's days;
/// unsent ones are not counted, revoked ones are). Opened, rated and opted out count those
/// invitations as they stand now: opened = the link was opened or the record rated; rated =
/// the record was rated (through the link or signed in); opted out = the customer asked for no
/// more invitations. Rates are fractions of the invited (0-1), `null` when none was invited.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseFunnel {
    /// Invitations sent in the period.
    pub invited: u64,
    /// Of them, opened (the link opened, or the record rated).
    pub opened: u64,
    /// Of them, rated.
    pub rated: u64,
    /// Of them, whose customer opted out of invitations.
    pub opted_out: u64,
    /// opened / invited.
    pub open_rate: Option<f64>,
    /// Response rate (参评率) = rated / invited.
    pub response_rate: Option<f64>,
    /// opted out / invited.
    pub opt_out_rate: Option<f64>,
}

impl ResponseFunnel {
    /// Whether nothing was invited.
    pub fn is_empty(&self) -> bool {
        self.invited == 0
    }
}

/// `GET /analytics/response`: the funnel of the period and of the period of the same length
/// before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseReport {
    pub period: Period,
    pub previous_period: Period,
    pub funnel: ResponseFunnel,
    /// The same over the previous period.
    pub previous: ResponseFunnel,
}

closed_list! {
    /// A stage of the response funnel (opted out is beside it, not after rated).
    pub enum ResponseStage {
        Invited = "invited" ("已邀请", "Invited"),
        Opened = "opened" ("已打开", "Opened"),
        Rated = "rated" ("已评价", "Rated"),
        OptedOut = "opted_out" ("已退订", "Opted out"),
    }
}

impl ResponseStage {
    /// The stage's count in `funnel`.
    pub fn count(self, funnel: &ResponseFunnel) -> u64 {
        match self {
            ResponseStage::Invited => funnel.invited,
            ResponseStage::Opened => funnel.opened,
            ResponseStage::Rated => funnel.rated,
            ResponseStage::OptedOut => funnel.opted_out,
        }
    }

    /// The stage's share of the invited in `funnel` (1 for the invited themselves), `None`
    /// when nothing was invited.
    pub fn share(self, funnel: &ResponseFunnel) -> Option<f64> {
        match self {
            ResponseStage::Invited => rate(funnel.invited, funnel.invited),
            ResponseStage::Opened => funnel.open_rate,
            ResponseStage::Rated => funnel.response_rate,
            ResponseStage::OptedOut => funnel.opt_out_rate,
        }
    }
}

closed_list! {
    /// What the response breakdown groups invitations by.
    pub enum ResponseGroup {
        /// The record's agent.
        Agent = "agent" ("服务人员", "Agent"),
        /// The agent's team now.
        Team = "team" ("团队", "Team"),
        ServiceType = "service_type" ("服务类型", "Service type"),
        /// The record's service channel (online, offline).
        Channel = "channel" ("服务渠道", "Service channel"),
        /// How the invitation was sent (SMS, e-mail, webhook).
        InvitationChannel = "invitation_channel" ("邀请渠道", "Invitation channel"),
        /// The day it was sent.
        Day = "day" ("按日", "By day"),
        /// The ISO week (Monday to Sunday) it was sent, cut to the period.
        Week = "week" ("按周", "By week"),
        /// The month it was sent, cut to the period.
        Month = "month" ("按月", "By month"),
    }
}

/// One group of the response breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseRow {
    /// The group's code: the agent's employee number, the team's id, the service type's code,
    /// `online`/`offline`, `sms`/`email`/`webhook`, or the first day of the period bucket.
    /// `""` for agents without a team.
    pub key: String,
    /// Its name, in Chinese and in English (the agent's name with their number, the team's
    /// name, …; for a bucket its first and last day).
    pub name_zh: String,
    pub name_en: String,
    /// The bucket, when grouped by day, week or month.
    pub period: Option<Period>,
    pub funnel: ResponseFunnel,
}

/// `GET /analytics/response/breakdown`: the funnel per group; groups that were invited only,
/// largest first (ties by key), except buckets, in time order, every bucket of the period
/// listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseBreakdown {
    pub period: Period,
    pub group: ResponseGroup,
    pub rows: Vec<ResponseRow>,
}

/// Orders breakdown rows: most invited first, then by key.
pub fn rank_response_rows(mut rows: Vec<ResponseRow>) -> Vec<ResponseRow> {
    rows.sort_by(|a, b| {
        b.funnel
            .invited
            .cmp(&a.funnel.invited)
            .then_with(|| a.key.cmp(&b.key))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_fractions_of_the_invited() {
        let c = ResponseCounts {
            invited: 8,
            opened: 6,
            rated: 3,
            opted_out: 1,
        };
        assert_eq!(c.response_rate(), Some(0.375));
        assert_eq!(c.open_rate(), Some(0.75));
        assert_eq!(c.opt_out_rate(), Some(0.125));
        let f = c.funnel();
        assert_eq!((f.invited, f.opened, f.rated, f.opted_out), (8, 6, 3, 1));
        assert_eq!(f.response_rate, Some(0.375));
        // Nothing invited: no rate, not zero.
        let none = ResponseCounts::default().funnel();
        assert!(none.is_empty());
        assert_eq!(
            (none.response_rate, none.open_rate, none.opt_out_rate),
            (None, None, None)
        );
        // Rounded to four places.
        let third = ResponseCounts {
            invited: 3,
            opened: 1,
            rated: 1,
            opted_out: 0,
        }
        .funnel();
        assert_eq!(third.response_rate, Some(0.3333));
        assert_eq!(ResponseStage::Invited.share(&f), Some(1.0));
        assert_eq!(ResponseStage::OptedOut.count(&f), 1);
        assert_eq!(ResponseStage::Rated.share(&none), None);
    }

    #[test]
    fn rows_rank_by_invited_then_key() {
        let row = |key: &str, invited| ResponseRow {
            key: key.into(),
            name_zh: key.into(),
            name_en: key.into(),
            period: None,
            funnel: ResponseCounts {
                invited,
                ..ResponseCounts::default()
            }
            .funnel(),
        };
        let ranked = rank_response_rows(vec![row("b", 2), row("c", 5), row("a", 2)]);
        let keys: Vec<&str> = ranked.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["c", "a", "b"]);
    }
}
