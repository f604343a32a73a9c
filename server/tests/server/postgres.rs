//! The suite on PostgreSQL (issue 23): the server the run started, and a fresh database on it
//! for each test app.

use pingjia_server::db;

/// The PostgreSQL server the suite runs on instead of SQLite files (`scripts/test.sh` starts one
/// and runs the suite again with it): `PINGJIA_TEST_POSTGRES`, e.g.
/// `postgres://postgres@127.0.0.1:55432`, a role that may create databases.
pub fn server() -> Option<String> {
    std::env::var("PINGJIA_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// An instance's listener for the others (`services::cluster::listen`), aborted when dropped
/// with its app.
pub struct Listening(pub tokio::task::JoinHandle<()>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A test app's database, dropped with it (a run of 250 tests would otherwise leave
/// gigabytes behind).
pub struct Scratch {
    server: String,
    name: String,
}

impl Scratch {
    /// The database's URL.
    pub fn url(&self) -> String {
        format!("{}/{}", self.server, self.name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // On a thread of its own: the app is dropped inside the test's runtime.
        let dropping = std::thread::spawn(move || {
            use sqlx::{Connection, PgConnection};
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                if let Ok(mut conn) = PgConnection::connect(&format!("{server}/postgres")).await {
                    // FORCE: the app's pool and workers may still hold connections.
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(&drop).execute(&mut conn).await;
                }
            });
        });
        let _ = dropping.join();
    }
}

/// A fresh PostgreSQL database for one app: a copy of a template migrated once per run (a
/// copy takes a fraction of a migration's time); with `demo`, of a template the demo was seeded
/// into once per run (seeding it takes half a minute on PostgreSQL, a copy a second).
pub async fn database(server: &str, demo: bool) -> (db::Pool, Scratch) {
    use sqlx::{Connection, PgConnection};
    use std::sync::atomic::{AtomicU32, Ordering};
    static MIGRATED: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    static DEMO: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    static COPIES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let server = server.trim_end_matches('/');
    let admin = || async {
        PgConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap()
    };
    let process = std::process::id();
    // `CREATE DATABASE name [TEMPLATE template]`, one at a time (a template must have no
    // other session while it is copied).
    let create = |name: String, template: Option<String>| async move {
        let _one_at_a_time = COPIES.lock().await;
        let mut conn = admin().await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let from = template
            .map(|t| format!(" TEMPLATE {t}"))
            .unwrap_or_default();
        sqlx::query(&format!("CREATE DATABASE {name}{from}"))
            .execute(&mut conn)
            .await
            .unwrap();
        name
    };
    let migrated = MIGRATED
        .get_or_init(|| async {
            let name = create(format!("pingjia_template_{process}"), None).await;
            let pool = db::open_postgres(&format!("{server}/{name}"))
                .await
                .unwrap();
            pool.close().await;
            name
        })
        .await;
    let template = if demo {
        DEMO.get_or_init(|| async {
            let name = format!("pingjia_demo_{process}");
            let name = create(name, Some(migrated.clone())).await;
            let pool = db::open_postgres(&format!("{server}/{name}"))
                .await
                .unwrap();
            pingjia_server::demo::seed_if_empty(&pool, crate::demo::now())
                .await
                .unwrap()
                .unwrap();
            pool.close().await;
            name
        })
        .await
    } else {
        migrated
    };
    let name = format!(
        "pingjia_test_{process}_{}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let name = create(name, Some(template.clone())).await;
    let pool = db::open_postgres(&format!("{server}/{name}"))
        .await
        .unwrap();
    let scratch = Scratch {
        server: server.to_owned(),
        name,
    };
    (pool, scratch)
}
