//! Pingjia's reference backend: the JSON API under `/api/v1` (axum, SQLite through sqlx) and
//! the built single-page app, from one process.

use std::io::IsTerminal;
use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use axum::http::{HeaderValue, header};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing_subscriber::EnvFilter;

pub mod api;
pub mod cli;
pub mod csvfile;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod services;
pub mod time;

use cli::{Cli, Command};
use http::state::AppState;
use http::web::{self, Web};
use services::{analytics, password, reports};

/// The whole application: API, app files, compression, security headers, request tracing
/// (rating links' tokens redacted, [`web::redacted_uri`]); a
/// handler that panics is answered 500 ([`error::panic_response`]).
pub fn app(state: AppState) -> Router {
    let hsts = state.web.hsts().then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(web::HSTS),
        )
    });
    let mut router = api::router(&state)
        .merge(web::router())
        .layer(error::catch_panic())
        .layer(CompressionLayer::new());
    for (name, value) in web::security_headers() {
        router = router.layer(SetResponseHeaderLayer::overriding(name, value));
    }
    router
        .layer(ServiceBuilder::new().option_layer(hsts))
        .layer(TraceLayer::new_for_http().make_span_with(web::request_span::<axum::body::Body>))
        .with_state(state)
}

/// Runs the command line: prints the OpenAPI document, or serves until Ctrl-C or SIGTERM.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Openapi) = cli.command {
        print!("{}", api::openapi_json());
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            // PostgreSQL's notices (a migration's "already exists, skipping") are not news.
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx::postgres::notice=warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    if let Some(Command::Sums { action }) = cli.command {
        return sums(&cli, action).await;
    }
    if let Some(Command::MigrateSqliteToPostgres { from, to }) = &cli.command {
        return migrate_sqlite_to_postgres(from, to).await;
    }
    serve(cli).await
}

/// `pingjia-server sums verify|rebuild`: on the database, then exits.
async fn sums(cli: &Cli, action: cli::SumsAction) -> anyhow::Result<()> {
    let pool = db::open(&cli.database).await?;
    let mut tx = db::begin_write(&pool).await?;
    match action {
        cli::SumsAction::Verify => {
            let differences = db::sums::verify(&mut tx).await?;
            tx.rollback().await?;
            if differences.is_empty() {
                println!("the kept sums equal their recomputation from the evaluations");
                return Ok(());
            }
            for d in &differences {
                println!(
                    "{}: {} kept row(s) not recomputed, {} recomputed row(s) not kept (e.g. {})",
                    d.table, d.kept_only, d.recomputed_only, d.example
                );
            }
            anyhow::bail!(
                "{} kept table(s) differ from the evaluations: run `pingjia-server sums rebuild`",
                differences.len()
            )
        }
        cli::SumsAction::Rebuild => {
            db::sums::rebuild(&mut tx).await?;
            tx.commit().await?;
            println!("the kept sums were recomputed from the evaluations");
            Ok(())
        }
    }
}

/// `pingjia-server migrate-sqlite-to-postgres FROM TO`: copies the SQLite installation `FROM`
/// (brought to this version's schema first, as a start of the server would) into the empty
/// PostgreSQL database `TO` (`db::copy`), then proves the copy: each table's rows and checksum
/// read again on both sides, and the copy's kept sums against their recomputation.
async fn migrate_sqlite_to_postgres(from: &std::path::Path, to: &str) -> anyhow::Result<()> {
    if !from.is_file() {
        anyhow::bail!(
            "{} is not a file: name the SQLite database to copy",
            from.display()
        );
    }
    if !(to.starts_with("postgres://") || to.starts_with("postgresql://")) {
        anyhow::bail!("{to} is not a PostgreSQL URL (postgres://user:password@host:port/name)");
    }
    let source = db::open(&db::Location::Sqlite(from.to_owned()))
        .await
        .with_context(|| format!("opening {}", from.display()))?;
    let target = db::open_postgres(to)
        .await
        .with_context(|| format!("opening {to}"))?;
    let (db::Pool::Sqlite(sqlite), db::Pool::Postgres(postgres)) = (&source, &target) else {
        anyhow::bail!("the source must be SQLite and the target PostgreSQL");
    };
    let copied = db::copy::sqlite_to_postgres(sqlite, postgres).await?;
    let rows: u64 = copied.iter().map(|t| t.rows).sum();
    println!("copied {rows} rows of {} tables", copied.len());
    let (sums, mismatches) = db::copy::verify(sqlite, postgres).await?;
    for sum in &sums {
        println!(
            "  {:<32} {:>10} rows  checksum {}",
            sum.table, sum.rows, sum.checksum
        );
    }
    if !mismatches.is_empty() {
        for m in &mismatches {
            println!(
                "{}: {} rows (checksum {}) copied as {} rows (checksum {})",
                m.source.table, m.source.rows, m.source.checksum, m.copy.rows, m.copy.checksum
            );
        }
        anyhow::bail!("{} table(s) differ from their source", mismatches.len());
    }
    println!("every table's rows and checksum equal its source's");
    let mut tx = db::begin_write(&target).await?;
    let differences = db::sums::verify(&mut tx).await?;
    tx.rollback().await?;
    if !differences.is_empty() {
        anyhow::bail!(
            "the copy's kept sums differ from their recomputation in {} table(s)",
            differences.len()
        );
    }
    println!("the copy's kept sums equal their recomputation from the evaluations");
    Ok(())
}

async fn serve(cli: Cli) -> anyhow::Result<()> {
    let pool = db::open(&cli.database)
        .await
        .with_context(|| format!("opening the database {}", cli.database))?;
    tracing::info!(database = %cli.database, "database ready");
    if cli.seed_demo {
        match demo::seed_if_empty(&pool, chrono::Utc::now()).await? {
            Some(s) => tracing::info!(
                teams = s.teams,
                users = s.users,
                records = s.records,
                evaluations = s.evaluations,
                suggestions = s.suggestions,
                "seeded the demo organisation"
            ),
            None => tracing::info!("the database already has users: demo data not seeded"),
        }
    }
    tokio::task::spawn_blocking(password::warm_up).await?;
    tokio::task::spawn_blocking(analytics::warm_up).await?;
    let forgotten = analytics::forget_stop_words(&mut pool.acquire().await?).await?;
    if forgotten > 0 {
        tracing::info!(terms = forgotten, "removed stop words from the word counts");
    }
    let mut tx = db::begin_write(&pool).await?;
    let keyed = analytics::key_stored_terms(&mut tx).await?;
    tx.commit().await?;
    if keyed > 0 {
        tracing::info!(
            terms = keyed,
            "counted the English words' forms as one term"
        );
    }
    let segmented = analytics::catch_up(&mut pool.acquire().await?).await?;
    if segmented > 0 {
        tracing::info!(
            suggestions = segmented,
            "segmented suggestions for the word cloud"
        );
    }
    let mut state = AppState::new(pool.clone(), Web::load(&cli.dist, cli.https()))
        .with_public_url(cli.public_url.as_deref());
    state.lease = chrono::Duration::seconds(i64::from(cli.lease_seconds));
    let listener = tokio::net::TcpListener::bind(&cli.listen)
        .await
        .with_context(|| format!("listening on {}", cli.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, dist = %cli.dist.display(), "listening");
    println!("Pingjia is running at {}", local_url(address));
    if let Some(public) = &cli.public_url {
        println!("Public URL: {public}");
    }
    if cli.seed_demo {
        print!("{}", demo::logins_table());
    }
    state
        .mailer
        .set_default_link_base(cli.public_url.as_deref().unwrap_or(&local_url(address)));
    services::cluster::listen(state.clone());
    reports::spawn_worker(state.clone());
    services::delivery::spawn_worker(state.clone());
    services::events::spawn_fan_out(state.clone());
    services::sending::spawn_worker(state.clone());
    http::serve::serve(listener, app(state), shutdown_signal()).await?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The URL to open on this machine; a wildcard address is reached through the loopback.
fn local_url(address: SocketAddr) -> String {
    let ip = match address.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_owned(),
        ip if ip.is_unspecified() => "[::1]".to_owned(),
        ip if ip.is_ipv6() => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("http://{ip}:{}/", address.port())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls_open_in_a_browser() {
        assert_eq!(
            local_url("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            local_url("0.0.0.0:80".parse().unwrap()),
            "http://127.0.0.1:80/"
        );
        assert_eq!(
            local_url("[::]:8080".parse().unwrap()),
            "http://[::1]:8080/"
        );
        assert_eq!(
            local_url("[::1]:8080".parse().unwrap()),
            "http://[::1]:8080/"
        );
    }
}
