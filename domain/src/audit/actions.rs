//! The audit log's actions: the stable dotted names the server stores (`auth.login`,
//! `evaluation.deleted`, ...) and their names in words in either language (issue 24: an action's
//! code never reaches a person). The one table both the server (which writes the codes) and the
//! app (which shows the words) use, so a new action cannot go without its words.

use crate::Lang;

/// Declares the actions once: each variant with its stored name and its words in Chinese and in
/// English, so none can go without them.
macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $zh:literal, $en:literal;)*) => {
        /// What happened. The stored names are stable: reports and filters rely on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($(#[$doc])* $variant,)*
        }

        impl AuditAction {
            /// Every action.
            pub const ALL: &[AuditAction] = &[$(AuditAction::$variant,)*];

            /// The stored dotted name, e.g. `auth.login`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $code,)*
                }
            }

            /// The action in words, e.g. 登录 / Signed in.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((AuditAction::$variant, Lang::Zh) => $zh,
                    (AuditAction::$variant, Lang::En) => $en,)*
                }
            }
        }
    };
}

actions! {
    /// A successful login.
    Login => "auth.login", "登录", "Signed in";
    /// A failed login (unknown login, wrong password, disabled, no password).
    LoginFailed => "auth.login_failed", "登录失败", "Sign-in failed";
    /// A login refused by throttling, before any password check.
    LoginThrottled => "auth.login_throttled", "登录被限流", "Sign-in throttled";
    Logout => "auth.logout", "退出登录", "Signed out";
    /// A user changed their own password.
    PasswordChanged => "auth.password_changed", "修改自己的密码", "Changed own password";
    UserCreated => "user.created", "创建用户", "User created";
    UserUpdated => "user.updated", "修改用户", "User changed";
    /// An admin set a user's password.
    UserPasswordReset => "user.password_reset", "重置用户密码", "User password reset";
    /// Users created from an import file.
    UsersImported => "users.imported", "导入用户", "Users imported";
    TeamCreated => "team.created", "创建团队", "Team created";
    TeamUpdated => "team.updated", "修改团队", "Team changed";
    DimensionCreated => "dimension.created", "新增评价维度", "Dimension added";
    DimensionUpdated => "dimension.updated", "修改评价维度", "Dimension changed";
    DimensionDeleted => "dimension.deleted", "删除评价维度", "Dimension deleted";
    ServiceTypeCreated => "service_type.created", "新增服务类型", "Service type added";
    ServiceTypeUpdated => "service_type.updated", "修改服务类型", "Service type changed";
    ServiceTypesReordered => "service_types.reordered", "调整服务类型顺序", "Service types reordered";
    ServiceTypeDeleted => "service_type.deleted", "删除服务类型", "Service type deleted";
    /// Service records created from an import file.
    RecordsImported => "service_records.imported", "导入服务记录", "Service records imported";
    /// A service record from the helpdesk created its customer or completed their details.
    CustomerFromRecord => "customer.from_record", "服务记录新建或补全客户", "Customer created or completed by a service record";
    ApiKeyCreated => "api_key.created", "创建 API 密钥", "API key created";
    ApiKeyRevoked => "api_key.revoked", "吊销 API 密钥", "API key revoked";
    /// One setting changed (one entry per key, with the old and new value).
    SettingChanged => "setting.changed", "修改设置", "Setting changed";
    /// A day of the working-day calendar set or changed.
    CalendarDaySet => "calendar.day_set", "设置日历日期", "Calendar day set";
    CalendarDayDeleted => "calendar.day_deleted", "移除日历日期", "Calendar day removed";
    /// A year of the calendar replaced at once.
    CalendarYearReplaced => "calendar.year_replaced", "替换全年日历", "Calendar year replaced";
    /// A customer submitted an evaluation.
    EvaluationSubmitted => "evaluation.submitted", "提交评价", "Evaluation submitted";
    /// A customer appealed their evaluation.
    AppealFiled => "appeal.filed", "提交申诉", "Appeal filed";
    /// An admin approved an appeal: the evaluation has a new version.
    AppealApproved => "appeal.approved", "通过申诉", "Appeal approved";
    /// An admin rejected an appeal.
    AppealRejected => "appeal.rejected", "驳回申诉", "Appeal rejected";
    /// The anomaly rules flagged an evaluation for review (no actor: the system).
    EvaluationFlagged => "evaluation.flagged", "标记异常评价", "Evaluation flagged";
    /// An admin kept a flagged evaluation.
    EvaluationKept => "evaluation.kept", "保留评价", "Evaluation kept";
    /// An admin deleted an evaluation: hidden from statistics, never erased.
    EvaluationDeleted => "evaluation.deleted", "删除评价", "Evaluation deleted";
    /// An admin restored a deleted evaluation.
    EvaluationRestored => "evaluation.restored", "恢复评价", "Evaluation restored";
    /// A term added to the abusive-word lexicon.
    AbusiveTermAdded => "abusive_term.added", "添加不当用语", "Abusive term added";
    /// A term removed from the abusive-word lexicon.
    AbusiveTermRemoved => "abusive_term.removed", "移除不当用语", "Abusive term removed";
    /// A QA checklist template created or replaced.
    QaTemplateSaved => "qa_template.saved", "保存检查表模板", "Checklist template saved";
    /// An inspection plan created and its sample drawn.
    QaPlanCreated => "qa_plan.created", "创建检测计划并抽样", "Inspection plan created and sampled";
    /// An inspection of a sampled record submitted or replaced.
    InspectionSubmitted => "qa_inspection.submitted", "提交质检结果", "Inspection submitted";
    /// The owner of a rectification reported its result.
    RectificationReported => "qa_rectification.reported", "上报整改结果", "Rectification reported";
    /// An inspector re-checked a rectification (closed or sent back).
    RectificationRechecked => "qa_rectification.rechecked", "复查整改", "Rectification re-checked";
    /// An agent or their team lead disputed items of an inspection.
    QaDisputeFiled => "qa_dispute.filed", "提交质检申诉", "QA dispute filed";
    /// A reviewer upheld or changed the disputed items of an inspection.
    QaDisputeDecided => "qa_dispute.decided", "裁定质检申诉", "QA dispute decided";
    /// A word added to the word cloud's stop words.
    StopWordAdded => "stop_word.added", "添加停用词", "Stop word added";
    /// A word removed from the word cloud's stop words.
    StopWordRemoved => "stop_word.removed", "移除停用词", "Stop word removed";
    /// A lead or admin recorded a coaching session with an agent.
    CoachingRecorded => "coaching.recorded", "记录辅导", "Coaching recorded";
    /// The agent acknowledged a coaching session.
    CoachingAcknowledged => "coaching.acknowledged", "确认辅导", "Coaching acknowledged";
    /// The lead recorded a coaching session's follow-up.
    CoachingFollowedUp => "coaching.followed_up", "辅导已跟进", "Coaching followed up";
    /// A QA lead started a calibration session.
    CalibrationStarted => "qa_calibration.started", "发起校准", "Calibration started";
    /// An inspector submitted their calibration answers.
    CalibrationScored => "qa_calibration.scored", "提交校准评分", "Calibration scored";
    /// The lead closed a calibration session.
    CalibrationClosed => "qa_calibration.closed", "结束校准", "Calibration closed";
    /// The lead recorded a calibration's agreed answers (and the items' guidance).
    CalibrationAgreed => "qa_calibration.agreed", "记录校准结论", "Calibration agreed answers recorded";
    /// A complaint tag's English name set, changed or cleared.
    TagNamed => "tag.named", "设置标签英文名", "Tag's English name set";
    /// An agent judged a suggestion reasonable (a plan opened) or not.
    SuggestionAssessed => "suggestion.assessed", "判断建议", "Suggestion judged";
    /// An agent submitted the measures of an improvement plan.
    ImprovementPlanSubmitted => "improvement_plan.submitted", "提交改进计划", "Improvement plan submitted";
    /// A lead or admin acknowledged a plan or sent it back.
    ImprovementPlanReviewed => "improvement_plan.reviewed", "审阅改进计划", "Improvement plan reviewed";
    /// A lead recorded a low-score callback.
    CallbackRecorded => "callback.recorded", "记录回访", "Callback recorded";
    /// Addresses subscribed to a weekly or monthly report.
    ReportSubscriptionCreated => "report_subscription.created", "新建报告订阅", "Report subscription created";
    ReportSubscriptionUpdated => "report_subscription.updated", "修改报告订阅", "Report subscription changed";
    ReportSubscriptionRemoved => "report_subscription.removed", "删除报告订阅", "Report subscription removed";
    /// A report mail tried again by hand.
    ReportDeliveryRetried => "report_delivery.retried", "重试报告邮件", "Report mail retried";
    /// The mail server's settings changed (never the password itself).
    SmtpSettingsChanged => "smtp_settings.changed", "修改邮件服务器", "Mail server changed";
    /// A test mail sent through the mail server.
    SmtpTestMailSent => "smtp_settings.test_mail", "发送测试邮件", "Test mail sent";
    /// The SMS gateway's settings changed (never the secret itself).
    SmsGatewayChanged => "sms_gateway.changed", "修改短信网关", "SMS gateway changed";
    /// The webhook channel changed (its URL, or a new secret made).
    WebhookChannelChanged => "webhook_channel.changed", "修改 Webhook", "Webhook changed";
    /// An endpoint that receives events registered (issue 21).
    WebhookEndpointCreated => "webhook_endpoint.created", "新增事件接收端", "Event endpoint added";
    /// An endpoint changed (its address, events, filters, enabled).
    WebhookEndpointChanged => "webhook_endpoint.changed", "修改事件接收端", "Event endpoint changed";
    /// An endpoint deleted.
    WebhookEndpointDeleted => "webhook_endpoint.deleted", "删除事件接收端", "Event endpoint deleted";
    /// An endpoint's signing secret made anew.
    WebhookEndpointSecretRotated => "webhook_endpoint.secret_rotated", "更换接收端签名密钥", "Endpoint signing secret renewed";
    /// A test message sent through a channel.
    ChannelTestSent => "channel.test_sent", "发送测试消息", "Test message sent";
    /// A delivery of the log tried again by hand.
    DeliveryRetried => "delivery.retried", "重试消息", "Message retried";
    /// A record's rating link issued (or issued again) by hand; never the link itself.
    InvitationIssued => "invitation.issued", "签发评价链接", "Rating link issued";
    /// A record's invitation revoked.
    InvitationRevoked => "invitation.revoked", "撤回评价邀请", "Invitation revoked";
    /// The invitation settings or templates changed.
    InvitationSettingsChanged => "invitation_settings.changed", "修改邀请设置", "Invitation settings changed";
    /// Invitations sent by hand to a selection of records (counts, never links).
    InvitationsSent => "invitations.sent", "批量发送评价邀请", "Invitations sent";
    /// A customer opted out of invitations through a link (never the link).
    InvitationOptedOut => "invitation.opted_out", "客户退订评价邀请", "Customer opted out of invitations";
}

impl AuditAction {
    /// The action of a stored name, if it is one.
    pub fn parse(code: &str) -> Option<AuditAction> {
        AuditAction::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == code)
    }
}

/// A stored action's name in words; `None` for a name this build does not know.
pub fn action_label(code: &str, lang: Lang) -> Option<&'static str> {
    AuditAction::parse(code).map(|action| action.label(lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_action_has_a_distinct_code_and_words_in_both_languages() {
        let mut codes = HashSet::new();
        for lang in [Lang::Zh, Lang::En] {
            let mut labels = HashSet::new();
            for &action in AuditAction::ALL {
                let label = action.label(lang);
                assert!(!label.is_empty() && label != action.as_str(), "{action:?}");
                assert!(labels.insert(label), "two actions read {label}");
                assert_eq!(AuditAction::parse(action.as_str()), Some(action));
                codes.insert(action.as_str());
            }
        }
        assert_eq!(codes.len(), AuditAction::ALL.len());
        for &action in AuditAction::ALL {
            assert!(
                !action
                    .label(Lang::En)
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{action:?}"
            );
        }
        assert_eq!(action_label("auth.login", Lang::En), Some("Signed in"));
        assert_eq!(action_label("auth.login", Lang::Zh), Some("登录"));
        assert_eq!(action_label("robot.dance", Lang::En), None);
    }
}
