use std::process::ExitCode;

use clap::Parser;

use hearth_server::cli::{self, Cli};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    hearth_server::telemetry::init();
    match cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One clear line for the person at the terminal; the chain is in the log.
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
