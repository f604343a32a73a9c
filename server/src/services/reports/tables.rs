//! A report's tables as CSV.

use pingjia_domain::Lang;
use pingjia_domain::analytics::{ResponseStage, both_names, rate};
use pingjia_domain::reports::{Direction, Report, ReportTable};

use crate::csvfile::safe_cell;
use crate::time::to_db;

use super::{figure, metric_name};

// ---------------------------------------------------------------------------------------------
// CSV

pub(crate) fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}", v * 100.0)).unwrap_or_default()
}

pub(crate) fn num(v: Option<f64>, places: usize) -> String {
    v.map(|v| format!("{v:.places$}")).unwrap_or_default()
}

/// One table of a report as CSV (UTF-8 with a BOM, so spreadsheets read the Chinese).
pub fn table_csv(report: &Report, table: ReportTable) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let cells = |row: Vec<String>| row.into_iter().map(|c| safe_cell(&c)).collect::<Vec<_>>();
    match table {
        ReportTable::Summary => {
            w.write_record([
                "指标 Metric",
                "本期 This period",
                "上期 Previous",
                "变化 Direction",
            ])?;
            for c in &report.summary {
                let (zh, en) = metric_name(c.metric);
                w.write_record(cells(vec![
                    format!("{zh} {en}"),
                    figure(c.metric, Some(c.value)),
                    figure(c.metric, Some(c.previous)),
                    match c.direction {
                        Direction::Improved => "改善 improved",
                        Direction::Worsened => "变差 worse",
                        Direction::Changed => "变化 changed",
                        Direction::Unchanged => "持平 unchanged",
                    }
                    .to_owned(),
                ]))?;
            }
        }
        ReportTable::Trend => {
            w.write_record([
                "周期 Period",
                "开始 From",
                "结束 To",
                "评价数 Evaluations",
                "平均综合得分 Average total",
                "满意度达成率% Attainment %",
                "响应及时率% On time %",
                "首次解决率% First contact %",
                "参评率% Response rate %",
            ])?;
            for p in &report.trend {
                w.write_record(cells(vec![
                    p.key.clone(),
                    p.period.from.to_string(),
                    p.period.to.to_string(),
                    p.evaluations.to_string(),
                    num(p.average_total, 2),
                    pct(p.attainment_rate),
                    pct(p.on_time_rate),
                    pct(p.first_contact_rate),
                    pct(p.response_rate),
                ]))?;
            }
        }
        ReportTable::Complaints => {
            w.write_record(["标签 Tag", "投诉数 Complaints", "占比% Share %"])?;
            let total: u64 = report.complaint_tags.iter().map(|t| t.count).sum();
            for t in &report.complaint_tags {
                w.write_record(cells(vec![
                    if t.tag.is_empty() {
                        "未分类 Untagged".to_owned()
                    } else {
                        both_names(&t.tag, t.name_en.as_deref())
                    },
                    t.count.to_string(),
                    pct(rate(t.count, total)),
                ]))?;
            }
        }
        ReportTable::Problems => {
            w.write_record([
                "问题词 Term",
                "投诉评价数 Complaints",
                "评价编号 Number",
                "总体满意度 Overall",
                "建议 Suggestion",
            ])?;
            for p in &report.problems {
                if p.examples.is_empty() {
                    w.write_record(cells(vec![
                        p.term.clone(),
                        p.count.to_string(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]))?;
                }
                for e in &p.examples {
                    w.write_record(cells(vec![
                        p.term.clone(),
                        p.count.to_string(),
                        e.number.clone(),
                        e.overall.to_string(),
                        e.suggestion.clone(),
                    ]))?;
                }
            }
        }
        ReportTable::Agents => {
            w.write_record([
                "排名 Rank",
                "工号 Agent no",
                "服务人员 Agent",
                "团队 Team",
                "评价数 Evaluations",
                "平均综合得分 Average total",
                "平均满意度 Average overall",
                "满意度达成率% Attainment %",
                "服务记录 Records",
                "首次解决率% First contact %",
                "邀请数 Invited",
                "参评率% Response rate %",
            ])?;
            for a in &report.agents {
                w.write_record(cells(vec![
                    a.rank.to_string(),
                    a.agent_no.clone(),
                    a.name.clone(),
                    a.team_name
                        .as_deref()
                        .map(|zh| both_names(zh, a.team_name_en.as_deref()))
                        .unwrap_or_default(),
                    a.evaluations.to_string(),
                    num(a.average_total, 2),
                    num(a.average_overall, 2),
                    pct(a.attainment_rate),
                    a.records.to_string(),
                    pct(a.first_contact_rate),
                    a.invited.to_string(),
                    pct(a.response_rate),
                ]))?;
            }
        }
        ReportTable::Appeals => {
            w.write_record([
                "评价编号 Number",
                "工号 Agent no",
                "服务人员 Agent",
                "提交时间 Filed",
                "已等待天数 Days open",
            ])?;
            for a in &report.open_appeals {
                w.write_record(cells(vec![
                    a.evaluation_number.clone(),
                    a.agent_no.clone(),
                    a.agent_name.clone(),
                    to_db(a.filed_at),
                    a.days_open.to_string(),
                ]))?;
            }
        }
        ReportTable::Plans => {
            w.write_record([
                "计划 Plan",
                "评价编号 Number",
                "工号 Agent no",
                "服务人员 Agent",
                "截止 Due",
                "逾期天数 Days overdue",
            ])?;
            for p in &report.overdue_plans {
                w.write_record(cells(vec![
                    p.id.to_string(),
                    p.evaluation_number.clone(),
                    p.agent_no.clone(),
                    p.agent_name.clone(),
                    to_db(p.due_at),
                    p.days_overdue.to_string(),
                ]))?;
            }
        }
        ReportTable::Response => {
            // The funnel of the invitations sent in the period, and in the one before.
            w.write_record([
                "阶段 Stage",
                "本期 This period",
                "占邀请% Share of invited %",
                "上期 Previous",
                "上期占邀请% Previous share %",
            ])?;
            let (now, before) = (&report.response, &report.response_previous);
            for stage in ResponseStage::ALL {
                w.write_record(cells(vec![
                    format!("{} {}", stage.label(Lang::Zh), stage.label(Lang::En)),
                    stage.count(now).to_string(),
                    pct(stage.share(now)),
                    stage.count(before).to_string(),
                    pct(stage.share(before)),
                ]))?;
            }
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
