//! The response panel (参评率, issue 19): the funnel of the invitations sent in the filter's
//! period against the period before, and the same per invitation channel, agent, team,
//! service type or service channel.

use pingjia_domain::analytics::{ResponseBreakdown, ResponseGroup, ResponseReport, ResponseStage};

use super::*;
use crate::components::response_funnel::{ResponseFunnelView, stage_name};
use crate::labels::in_language;

/// The groups the breakdown offers, in their order.
const GROUPS: [ResponseGroup; 5] = [
    ResponseGroup::InvitationChannel,
    ResponseGroup::Agent,
    ResponseGroup::Team,
    ResponseGroup::ServiceType,
    ResponseGroup::Channel,
];

/// The funnel and its breakdown.
#[component]
pub fn ResponsePanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let report = LocalResource::new(move || {
        let filter = filter.get();
        async move { api::analytics::response(&filter).await }
    });
    let group = RwSignal::new(ResponseGroup::InvitationChannel);
    let breakdown = LocalResource::new(move || {
        let (filter, group) = (filter.get(), group.get());
        async move { api::analytics::response_breakdown(&filter, group).await }
    });
    let choices = GROUPS
        .into_iter()
        .map(|g| {
            let name = Signal::derive(move || {
                let locale = i18n.get_locale();
                match g {
                    ResponseGroup::InvitationChannel => {
                        td_string!(locale, analytics.response_by_invitation_channel)
                    }
                    ResponseGroup::Agent => td_string!(locale, analytics.response_by_agent),
                    ResponseGroup::Team => td_string!(locale, analytics.response_by_team),
                    ResponseGroup::ServiceType => {
                        td_string!(locale, analytics.response_by_service_type)
                    }
                    _ => td_string!(locale, analytics.response_by_channel),
                }
                .to_owned()
            });
            (g, name)
        })
        .collect();
    view! {
        <section class="panel analytics-panel analytics-wide" aria-labelledby="response-title">
            <h2 id="response-title">{tr(i18n, |l| td_string!(l, analytics.response_heading))}</h2>
            <p class="muted">{tr(i18n, |l| td_string!(l, analytics.response_rule))}</p>
            <div class="chart-pair">
                <div class="chart-cell">
                    {loaded!(report, |report| view! { <FunnelCell report /> })}
                </div>
                <div class="chart-cell">
                    <Switch label=|l| td_string!(l, analytics.response_group) choices value=group />
                    {loaded!(breakdown, |breakdown| view! { <BreakdownTable breakdown /> })}
                </div>
            </div>
        </section>
    }
}

/// The funnel of one report.
#[component]
fn FunnelCell(report: ResponseReport) -> impl IntoView {
    let i18n = use_i18n();
    let period = report.period;
    let subtitle = Signal::derive(move || period_words(i18n.get_locale(), period));
    view! { <ResponseFunnelView funnel=report.funnel previous=report.previous subtitle /> }
}

/// The funnel per group, most invited first.
#[component]
fn BreakdownTable(breakdown: ResponseBreakdown) -> impl IntoView {
    let i18n = use_i18n();
    if breakdown.rows.is_empty() {
        return Either::Left(view! { <Empty text=|l| td_string!(l, analytics.response_empty) /> });
    }
    let rows = StoredValue::new(breakdown.rows);
    let body = move || {
        let locale = i18n.get_locale();
        rows.with_value(|rows| {
            rows.iter()
                .map(|row| {
                    let name = in_language(locale, &row.name_zh, &row.name_en).to_owned();
                    let f = row.funnel;
                    view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td class="num">{f.invited}</td>
                            <td class="num">{f.opened}</td>
                            <td class="num">{f.rated}</td>
                            <td class="num">{f.opted_out}</td>
                            <td class="num">{percent_text(f.response_rate)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let stage = |s: ResponseStage| move || stage_name(i18n.get_locale(), s);
    Either::Right(view! {
        <div class="table-scroll">
            <table class="compact-table response-table" data-testid="response-breakdown-table">
                <caption>{tr(i18n, |l| td_string!(l, analytics.response_breakdown_caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.response_col_group))}</th>
                        <th scope="col" class="num">{stage(ResponseStage::Invited)}</th>
                        <th scope="col" class="num">{stage(ResponseStage::Opened)}</th>
                        <th scope="col" class="num">{stage(ResponseStage::Rated)}</th>
                        <th scope="col" class="num">{stage(ResponseStage::OptedOut)}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.kpi_response))}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    })
}
