//! The command line (every option also reads a `PINGJIA_*` environment variable).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::db::Location;

/// Pingjia (评价) reference backend: serves the JSON API and the built app.
#[derive(Debug, Parser)]
#[command(name = "pingjia-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address to listen on.
    #[arg(long, env = "PINGJIA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,

    /// SQLite database file (it and its directory are created when missing), or a PostgreSQL
    /// database's URL (`postgres://user:password@host:port/name`).
    #[arg(long, env = "PINGJIA_DATABASE", default_value = "data/pingjia.db")]
    pub database: Location,

    /// Directory of the built app (`trunk build` output).
    #[arg(long, env = "PINGJIA_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Seed the demo organisation when the database has no users yet.
    #[arg(long, env = "PINGJIA_SEED_DEMO")]
    pub seed_demo: bool,

    /// The URL users reach the server at; when it is `https://...` responses carry HSTS.
    #[arg(long, env = "PINGJIA_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Several instances on one PostgreSQL database: seconds a job or message an instance
    /// took stays its own before another instance takes it over (when the first was killed).
    /// Keep it well above the longest send (a send gives up after 20 s).
    #[arg(long, env = "PINGJIA_LEASE_SECONDS", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub lease_seconds: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the OpenAPI document to stdout and exit.
    Openapi,
    /// The kept sums the reports read (per day and group): check or recompute them.
    Sums {
        #[command(subcommand)]
        action: SumsAction,
    },
    /// Copy an SQLite installation into a new, empty PostgreSQL database, then check the copy
    /// table by table (rows and checksums) and exit; 1 when anything differs. The SQLite file
    /// is brought to this version first, as starting the server would.
    MigrateSqliteToPostgres {
        /// The SQLite database file.
        from: PathBuf,
        /// The PostgreSQL database's URL (`postgres://user:password@host:port/name`).
        to: String,
    },
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum SumsAction {
    /// Recompute them from the evaluations and list every table that differs; exits with 1
    /// when one does.
    Verify,
    /// Recompute them from the evaluations and keep the recomputation.
    Rebuild,
}

impl Cli {
    /// Whether the server is reached over HTTPS, so browsers may be told to stay on it.
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .and_then(|url| url.get(..8))
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_and_options() {
        let cli = Cli::try_parse_from(["pingjia-server"]).unwrap();
        assert_eq!(cli.listen, "127.0.0.1:8080");
        assert_eq!(
            cli.database,
            Location::Sqlite(PathBuf::from("data/pingjia.db"))
        );
        assert_eq!(cli.dist, PathBuf::from("dist"));
        assert!(!cli.seed_demo && !cli.https() && cli.command.is_none());

        let cli = Cli::try_parse_from([
            "pingjia-server",
            "--seed-demo",
            "--public-url",
            "HTTPS://pingjia.example.com",
        ])
        .unwrap();
        assert!(cli.seed_demo && cli.https());

        let cli = Cli::try_parse_from(["pingjia-server", "--public-url", "http://x"]).unwrap();
        assert!(!cli.https());

        let cli = Cli::try_parse_from(["pingjia-server", "openapi"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Openapi)));
    }
}
