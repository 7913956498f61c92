//! Logging with `tracing`, filtered by `RUST_LOG` (default: info for Hearth, warn
//! for libraries). Client data never goes into a log line: IDs only.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,hearth=info,hearth_server=info,app=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
