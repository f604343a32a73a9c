//! `pingjia-server migrate-sqlite-to-postgres FROM TO` (issue 23): a team that started on the
//! SQLite file moves to PostgreSQL without losing anything. Run with the suite on PostgreSQL
//! (`PINGJIA_TEST_POSTGRES`); on SQLite alone there is no server to copy to.

use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use pingjia_server::db::{self, Location, sql};

fn migrate(from: &std::path::Path, to: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pingjia-server"))
        .args(["migrate-sqlite-to-postgres"])
        .arg(from)
        .arg(to)
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

async fn count(pool: &db::Pool, table: &str) -> i64 {
    sql::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

/// What the evaluations add up to, read the same way on both databases.
async fn figures(pool: &db::Pool) -> (i64, i64, String, String, i64, String) {
    sql::query_as(
        "SELECT COUNT(*), SUM(overall), MIN(number), MAX(number),
                (SELECT COUNT(*) FROM evaluation_scores WHERE score >= 4),
                (SELECT MAX(submitted_at) FROM evaluations WHERE status = 'active')
         FROM evaluations",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_demo_installation_is_copied_whole_into_an_empty_postgresql_database() {
    let Some(server) = crate::postgres::server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pingjia.db");
    let sqlite = db::open(&Location::Sqlite(file.clone())).await.unwrap();
    let now: DateTime<Utc> = "2026-11-20T02:00:00Z".parse().unwrap();
    pingjia_server::demo::seed_if_empty(&sqlite, now)
        .await
        .unwrap()
        .unwrap();
    let (postgres, scratch) = crate::postgres::database(&server, false).await;

    let copied = migrate(&file, &scratch.url());
    let stdout = String::from_utf8_lossy(&copied.stdout);
    let stderr = String::from_utf8_lossy(&copied.stderr);
    assert!(copied.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("every table's rows and checksum equal its source's"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the copy's kept sums equal their recomputation"),
        "{stdout}"
    );
    for table in [
        "users",
        "service_records",
        "evaluations",
        "evaluation_scores",
        "audit_log",
    ] {
        assert_eq!(
            count(&postgres, table).await,
            count(&sqlite, table).await,
            "{table}"
        );
    }
    assert_eq!(figures(&postgres).await, figures(&sqlite).await);
    // New rows get ids after the copied ones.
    let largest: i64 = sql::query_scalar("SELECT MAX(id) FROM events")
        .fetch_one(&postgres)
        .await
        .unwrap();
    let next: i64 = sql::query_scalar(
        "INSERT INTO events (type, dedupe_key, subject_kind, subject_id, created_at)
         VALUES ('report.ready', 'after-the-copy', 'report', 1, '2026-11-20T02:00:00.000Z')
         RETURNING id",
    )
    .fetch_one(&postgres)
    .await
    .unwrap();
    assert!(next > largest, "{next} after {largest}");

    // A second copy into the same database is refused and changes nothing.
    let evaluations = count(&postgres, "evaluations").await;
    let again = migrate(&file, &scratch.url());
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("already has"), "{said}");
    assert_eq!(count(&postgres, "evaluations").await, evaluations);

    // A path that is no database is said as such.
    let missing = migrate(&dir.path().join("nope.db"), &scratch.url());
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("is not a file"));
    postgres.close().await;
}
