//! The demo's channels and invitations: what a newcomer sees in the delivery log and the
//! response rate at first start.

use crate::demo::{count, seeded};

#[tokio::test]
async fn the_demo_channels_point_at_this_machine() {
    let app = seeded().await;
    let pool = &app.state.pool;
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM smtp_settings WHERE host = '127.0.0.1' AND port = 2525"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM sms_gateway WHERE url = 'http://127.0.0.1:9925/sms'"
        )
        .await,
        1
    );
    let customers = count(pool, "SELECT COUNT(*) FROM users WHERE role = 'customer'").await;
    let reachable = count(
        pool,
        "SELECT COUNT(*) FROM users WHERE role = 'customer' AND email LIKE '%@demo.localhost'",
    )
    .await;
    assert!(
        reachable * 6 > customers && reachable * 4 < customers,
        "{reachable} of {customers}"
    );
}

#[tokio::test]
async fn the_demo_has_invitations_of_the_last_weeks_in_every_state() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let state = |sql: &'static str| count(pool, sql);
    let invited = state("SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL").await;
    let rated = state("SELECT COUNT(*) FROM invitations WHERE rated_at IS NOT NULL").await;
    let opened =
        state("SELECT COUNT(*) FROM invitations WHERE opened_at IS NOT NULL AND rated_at IS NULL")
            .await;
    let opted_out = state("SELECT COUNT(*) FROM invitations WHERE opted_out_at IS NOT NULL").await;
    let revoked = state("SELECT COUNT(*) FROM invitations WHERE revoked_at IS NOT NULL").await;
    let failed = state("SELECT COUNT(*) FROM invitations i JOIN deliveries d ON d.id = i.delivery_id WHERE d.status = 'failed'").await;
    let by_mail = state("SELECT COUNT(*) FROM invitations WHERE channel = 'email'").await;
    let reminders =
        state("SELECT COUNT(*) FROM deliveries WHERE purpose = 'reminder' AND status = 'sent'")
            .await;
    assert!(invited > 300, "{invited} invited");
    for (what, n) in [
        ("rated", rated),
        ("opened", opened),
        ("opted out", opted_out),
        ("revoked", revoked),
        ("failed", failed),
        ("by e-mail", by_mail),
        ("reminded", reminders),
    ] {
        assert!(n > 0 && n < invited, "{n} {what} of {invited}");
    }
    // Every invitation's message is in the log with its link left to be filled: no token.
    assert_eq!(
        state("SELECT COUNT(*) FROM invitations WHERE delivery_id IS NULL").await,
        0
    );
    assert_eq!(
        state("SELECT COUNT(*) FROM deliveries WHERE purpose IN ('invitation', 'reminder') AND content NOT LIKE '%{{link}}%'").await,
        0
    );
    // The log shows where the links go, never a placeholder.
    assert_eq!(
        state("SELECT COUNT(*) FROM deliveries WHERE summary LIKE '%{{%'").await,
        0
    );
    assert!(
        state("SELECT COUNT(*) FROM deliveries WHERE channel = 'sms' AND summary LIKE '%/r/…%'")
            .await
            > 0
    );
    // Nobody is invited twice within the 7 days' suppression, and no rating precedes its
    // invitation.
    assert_eq!(
        state("SELECT COUNT(*) FROM invitations a JOIN invitations b ON b.customer_id = a.customer_id AND b.id > a.id AND julianday(b.created_at) - julianday(a.created_at) < 7").await,
        0
    );
    assert_eq!(
        state("SELECT COUNT(*) FROM invitations WHERE rated_at < sent_at OR opened_at < sent_at")
            .await,
        0
    );
    // The customers who opted out are told apart, and the records list agrees with the rows.
    assert!(
        state("SELECT COUNT(*) FROM users WHERE invitations_opted_out_at IS NOT NULL").await
            >= opted_out.min(1)
    );
}
