//! SQLite's templates: the database every test app starts from, made once per run.

use std::path::Path;
use std::sync::LazyLock;

use pingjia_server::db::{self, sql};

/// SQLite's file as a fresh server leaves it (migrated, its presets written), or with the demo
/// seeded at `crate::demo::now()` too: made once per run in the target's scratch folder and
/// copied for each app. A copy takes a millisecond; migrating a new file takes a tenth of a
/// second and seeding the demo seconds, for each of hundreds of tests.
async fn template(demo: bool) -> &'static Path {
    static MIGRATED: tokio::sync::OnceCell<std::path::PathBuf> = tokio::sync::OnceCell::const_new();
    static DEMO: tokio::sync::OnceCell<std::path::PathBuf> = tokio::sync::OnceCell::const_new();
    // This run's folder; those of runs whose process is gone are removed.
    static FOLDER: LazyLock<std::path::PathBuf> = LazyLock::new(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sqlite-templates");
        for old in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            let pid = old.file_name().to_string_lossy().into_owned();
            if !Path::new("/proc").join(&pid).exists() {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
        let folder = root.join(std::process::id().to_string());
        std::fs::create_dir_all(&folder).unwrap();
        folder
    });
    let make = |name: &'static str, demo: bool| async move {
        let path = FOLDER.join(name);
        let _ = std::fs::remove_file(&path);
        let pool = db::open_with(&path, db::BUSY_TIMEOUT).await.unwrap();
        if demo {
            pingjia_server::demo::seed_if_empty(&pool, crate::demo::now())
                .await
                .unwrap()
                .unwrap();
        }
        // Everything in the file itself: the copies are of it alone.
        sql::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        path
    };
    if demo {
        DEMO.get_or_init(|| make("demo.db", true)).await
    } else {
        MIGRATED.get_or_init(|| make("migrated.db", false)).await
    }
}

/// A copy of the template at `path` (its folder made): `path`.
pub async fn copy_template(demo: bool, path: std::path::PathBuf) -> std::path::PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::copy(template(demo).await, &path).unwrap();
    path
}
