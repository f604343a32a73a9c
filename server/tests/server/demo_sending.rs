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
