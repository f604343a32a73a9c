//! Rectification tracking (整改跟踪): which rectifications a page of the list holds, in which
//! order, and how many each tab has.

use serde::{Deserialize, Serialize};

use super::{Person, Rectification, RectificationCounts};

/// Rectifications a page when the request does not say.
pub const DEFAULT_RECTIFICATIONS_PER_PAGE: u32 = 20;
/// The most rectifications a page.
pub const MAX_RECTIFICATIONS_PER_PAGE: u32 = 100;

closed_list! {
    /// The tabs of the list besides "all": a status, or still open past the deadline
    /// ([`super::rectification_overdue`]).
    pub enum RectificationState {
        Open = "open" ("整改中", "Open"),
        Reported = "reported" ("待复查", "Awaiting re-check"),
        Closed = "closed" ("已关闭", "Closed"),
        Overdue = "overdue" ("已逾期", "Overdue"),
    }
}

/// `GET /qa/rectifications`: one page of the list and the count of each tab under the same
/// other filters (agent, team, plan, period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationPage {
    /// What needs action first (reported, overdue, open, closed), then by deadline.
    pub rectifications: Vec<Rectification>,
    /// Rectifications matching every filter.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
    /// Per tab, under the other filters.
    pub counts: RectificationCounts,
    /// What the agent filter offers: every agent with a rectification, by employee number.
    pub agents: Vec<Person>,
    /// What the team filter offers: the teams of those agents, by name.
    pub teams: Vec<TeamChoice>,
    /// What the plan filter offers: every plan with a rectification, newest first.
    #[serde(default)]
    pub plans: Vec<super::PlanChoice>,
}

/// A team to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamChoice {
    pub id: i64,
    pub name: String,
}

impl RectificationCounts {
    /// Every rectification (the overdue ones are open).
    pub fn all(&self) -> u64 {
        self.open + self.reported + self.closed
    }

    /// The count of a tab; `None` is "all".
    pub fn of(&self, state: Option<RectificationState>) -> u64 {
        match state {
            None => self.all(),
            Some(RectificationState::Open) => self.open,
            Some(RectificationState::Reported) => self.reported,
            Some(RectificationState::Closed) => self.closed,
            Some(RectificationState::Overdue) => self.overdue,
        }
    }
}

/// Sorts the rectifications a person sees on their own QA page (`/me/qa`) by what asks for
/// their action: first those they own that are open (overdue ones first, then soonest
/// deadline), then those awaiting the inspector's re-check, then open ones owned by someone else
/// (their lead), then closed ones (latest deadline first).
pub fn sort_for_owner(rectifications: &mut [Rectification], me: i64) {
    use super::RectificationStatus::{Closed, Open, Reported};
    rectifications.sort_by(|a, b| {
        let rank = |r: &Rectification| match r.status {
            Open if r.owner.id == me => 0,
            Reported => 1,
            Open => 2,
            Closed => 3,
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| b.overdue.cmp(&a.overdue))
            .then_with(|| {
                if a.status == Closed {
                    b.deadline.cmp(&a.deadline)
                } else {
                    a.deadline.cmp(&b.deadline)
                }
            })
            .then_with(|| a.id.cmp(&b.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::RectificationStatus;
    use crate::qa::fixtures::rectification;
    use chrono::NaiveDate;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn what_needs_the_owners_report_comes_before_closed_ones() {
        let me = 7;
        let mut list = vec![
            rectification(1, RectificationStatus::Closed, me, day(20), false),
            rectification(2, RectificationStatus::Closed, me, day(25), false),
            rectification(3, RectificationStatus::Open, 99, day(10), false),
            rectification(4, RectificationStatus::Reported, me, day(5), false),
            rectification(5, RectificationStatus::Open, me, day(28), false),
            rectification(6, RectificationStatus::Open, me, day(3), true),
            rectification(7, RectificationStatus::Open, me, day(27), false),
        ];
        sort_for_owner(&mut list, me);
        let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
        assert_eq!(ids, [6, 7, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn a_tab_count_reads_its_own_number() {
        let counts = RectificationCounts {
            open: 4,
            reported: 2,
            closed: 3,
            overdue: 1,
        };
        assert_eq!(counts.of(None), 9);
        assert_eq!(counts.of(Some(RectificationState::Overdue)), 1);
        assert_eq!(counts.of(Some(RectificationState::Open)), 4);
        assert_eq!(
            RectificationState::ALL
                .map(|s| counts.of(Some(s)))
                .iter()
                .sum::<u64>()
                - counts.overdue,
            counts.all()
        );
    }
}
