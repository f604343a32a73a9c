use clap::Parser;
use pingjia_server::cli::Cli;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    pingjia_server::run(Cli::parse()).await
}
