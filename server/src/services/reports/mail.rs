//! Report mails: composing them (subject, text and HTML with the figures and a link); the
//! delivery queue sends them (`services::delivery`).

use pingjia_domain::Lang;
use pingjia_domain::analytics::{both_names, duration_words_both};
use pingjia_domain::reports::{Direction, Report, ReportChange, ReportKind, ReportMetric};

pub use crate::services::delivery::email::{Mail, send};

/// The page of a report in the app.
pub fn report_link(base: &str, report: &Report) -> String {
    let mut link = format!(
        "{}/reports/{}/{}",
        base.trim_end_matches('/'),
        report.kind.as_str(),
        report.key
    );
    if let Some(team) = report.team_id {
        link.push_str(&format!("?team={team}"));
    }
    link
}

/// The metric's name, in Chinese and English.
/// A figure's name in Chinese and in English.
pub(crate) fn metric_name(metric: ReportMetric) -> (&'static str, &'static str) {
    (metric.label(Lang::Zh), metric.label(Lang::En))
}

/// A figure as people read it: rates as percents, scores with two decimals, the handling time
/// in minutes or hours and minutes in both languages (as the dashboard and the report's page
/// say it: `analytics::duration_words`).
pub fn figure(metric: ReportMetric, value: Option<f64>) -> String {
    let Some(v) = value else {
        return "—".to_owned();
    };
    match metric {
        ReportMetric::AttainmentRate
        | ReportMetric::OnTimeRate
        | ReportMetric::FirstContactRate
        | ReportMetric::ResponseRate => format!("{:.1}%", v * 100.0),
        ReportMetric::AverageTotal => format!("{v:.2}"),
        ReportMetric::AverageHandlingMinutes => duration_words_both(v),
        ReportMetric::Evaluations | ReportMetric::Flagged => format!("{v:.0}"),
    }
}

/// The title of a report: `客户服务周报 2026-W47（11-16 至 11-22）· 华东一组`.
pub fn title(report: &Report) -> String {
    let kind = match report.kind {
        ReportKind::Week => "客户服务周报",
        ReportKind::Month => "客户服务月报",
    };
    format!(
        "{kind} {} ({} – {}) · {}",
        report.key,
        report.period.from,
        report.period.to,
        report.team_name.as_deref().map_or_else(
            || "全公司 Company".to_owned(),
            |zh| both_names(zh, report.team_name_en.as_deref())
        )
    )
}

/// The mail of a report: the key figures against the previous period, what improved and what
/// got worse, and a link to the whole report.
pub fn compose(report: &Report, link_base: &str) -> Mail {
    let link = report_link(link_base, report);
    let title = title(report);
    let esc = |s: &str| html_escape::encode_text(s).into_owned();
    let mut text = format!(
        "{title}\n客户服务响应及满意度分析报告 / Customer service response and satisfaction report\n\n"
    );
    let mut rows = String::new();
    for metric in ReportMetric::ALL {
        let kpi = metric.of(&report.kpis);
        let (zh, en) = metric_name(metric);
        let now = figure(metric, kpi.value);
        let before = figure(metric, kpi.previous);
        text.push_str(&format!("{zh} {en}: {now} (上期 previous {before})\n"));
        rows.push_str(&format!(
            "<tr><th scope=\"row\" style=\"text-align:left;padding:4px 12px 4px 0\">{zh}<br>\
             <small style=\"color:#555\">{en}</small></th>\
             <td style=\"padding:4px 12px;font-size:18px\"><b>{}</b></td>\
             <td style=\"padding:4px 0;color:#555\">上期 {}</td></tr>",
            esc(&now),
            esc(&before)
        ));
    }
    let line = |c: &ReportChange| {
        let (zh, en) = metric_name(c.metric);
        format!(
            "{zh} {en}: {} → {}",
            figure(c.metric, Some(c.previous)),
            figure(c.metric, Some(c.value))
        )
    };
    let mut changes = String::new();
    for (direction, heading) in [
        (Direction::Improved, "改善 Improved"),
        (Direction::Worsened, "变差 Got worse"),
    ] {
        let lines: Vec<String> = report
            .summary
            .iter()
            .filter(|c| c.direction == direction)
            .map(line)
            .collect();
        if lines.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{heading}\n"));
        changes.push_str(&format!("<h3>{heading}</h3><ul>"));
        for l in lines {
            text.push_str(&format!("- {l}\n"));
            changes.push_str(&format!("<li>{}</li>", esc(&l)));
        }
        changes.push_str("</ul>");
    }
    text.push_str(&format!(
        "\n待处理申诉 Open appeals: {}\n逾期改进计划 Overdue improvement plans: {}\n\n\
         查看完整报告 Read the whole report: {link}\n",
        report.open_appeal_count, report.overdue_plan_count
    ));
    let html = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:sans-serif;color:#1a1a1a;max-width:640px\">\
         <h1 style=\"font-size:20px\">{t}</h1>\
         <p>客户服务响应及满意度分析报告 · Customer service response and satisfaction report</p>\
         <table style=\"border-collapse:collapse\">{rows}</table>{changes}\
         <p>待处理申诉 Open appeals: <b>{appeals}</b> · 逾期改进计划 Overdue improvement plans: \
         <b>{plans}</b></p>\
         <p><a href=\"{href}\" style=\"display:inline-block;padding:8px 16px;background:#1d4ed8;\
         color:#fff;text-decoration:none;border-radius:4px\">查看完整报告 Read the whole report</a></p>\
         </body></html>",
        t = esc(&title),
        appeals = report.open_appeal_count,
        plans = report.overdue_plan_count,
        href = html_escape::encode_double_quoted_attribute(&link),
    );
    Mail {
        subject: format!("【评价 Pingjia】{title}"),
        text,
        html,
    }
}

/// The test mail of the SMTP settings page.
pub fn test_mail(link_base: &str) -> Mail {
    Mail {
        subject: "【评价 Pingjia】测试邮件 Test mail".to_owned(),
        text: format!(
            "邮件服务器设置正确：报告邮件会这样送达。\nThe mail server works: report mails \
             will arrive like this one.\n\n{link_base}\n"
        ),
        html: format!(
            "<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><p>邮件服务器设置正确：\
             报告邮件会这样送达。</p><p>The mail server works: report mails will arrive like \
             this one.</p><p><a href=\"{0}\">{1}</a></p></body></html>",
            html_escape::encode_double_quoted_attribute(link_base),
            html_escape::encode_text(link_base)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handling_time_is_said_in_minutes_or_hours_and_minutes() {
        let handling = |v| figure(ReportMetric::AverageHandlingMinutes, Some(v));
        assert_eq!(handling(42.26), "42 分钟 / 42 min");
        assert_eq!(handling(65.0), "1 小时 5 分钟 / 1 h 5 min");
        assert_eq!(figure(ReportMetric::AverageHandlingMinutes, None), "—");
        assert_eq!(figure(ReportMetric::OnTimeRate, Some(0.825)), "82.5%");
    }
}
