//! The HTTP application: health checks, server functions, pages and static files.

use std::net::SocketAddr;
use std::sync::Arc;

use app::features::admin::csv::AuditCsv;
use app::features::annual::csv::AnnualCsv;
use app::features::auto_exit::csv::ApproachingCsv;
use app::features::coordinated_entry::csv::PriorityCsv;
use app::features::data_quality::csv::DataQualityCsv;
use app::features::hmis_import::csv::ImportReportCsv;
use app::features::reports::csv::MilestonesCsv;
use app::report::csv::CsvReport;
use app::state::{AppState, Clock};
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::serve::ListenerExt;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::trace::TraceLayer;

use crate::assets::Assets;
use crate::config::Config;
use crate::downloads::csv;
use crate::security::{SecurityHeaders, protect};
use app::features::access::middleware::load_session;
use tower_http::limit::RequestBodyLimitLayer;

/// Builds the whole router for `state`, serving compiled assets from `site_root`.
pub fn app_router(
    state: AppState,
    leptos_options: LeptosOptions,
    assets: &Assets,
    limits: crate::boundary::FieldLimits,
) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let pages = Router::new()
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context(context, shell))
        .with_state(leptos_options);
    let health = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(AuditCsv::PATH, get(csv::<AuditCsv>))
        .route(AnnualCsv::PATH, get(csv::<AnnualCsv>))
        .route(MilestonesCsv::PATH, get(csv::<MilestonesCsv>))
        .route(DataQualityCsv::PATH, get(csv::<DataQualityCsv>))
        .route(ApproachingCsv::PATH, get(csv::<ApproachingCsv>))
        .route(PriorityCsv::PATH, get(csv::<PriorityCsv>))
        .route(ImportReportCsv::PATH, get(csv::<ImportReportCsv>))
        .route(
            &format!("{}/{{job_run_id}}/download", app::routes::ADMIN_EXPORTS),
            get(crate::downloads::export_zip),
        )
        .with_state(Arc::new(state.clone()));
    // The import upload has its own, larger body limit; everything else is small.
    let uploads = Router::new()
        .route(
            app::routes::ADMIN_IMPORTS,
            axum::routing::post(crate::uploads::import_upload),
        )
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(
            app::features::hmis_import::api::MAX_UPLOAD_BYTES,
        ))
        .with_state(Arc::new(state.clone()));
    let secure = state.security.secure_cookies;
    health
        .merge(pages)
        .merge(assets.router())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(uploads)
        .layer(axum::middleware::from_fn(crate::boundary::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), load_session))
        // Every value is checked before the session is even loaded.
        .layer(axum::middleware::from_fn_with_state(
            limits,
            crate::boundary::bounded_input,
        ))
        .layer(axum::middleware::from_fn_with_state(
            SecurityHeaders { tls: secure },
            protect,
        ))
        .layer(TraceLayer::new_for_http())
        // Pages, server functions and CSV files compressed for browsers that accept it
        // (Brotli, else gzip); precompressed assets and zips pass as they are.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/zip"))),
        )
}

/// Request bodies larger than this are refused (413). Forms are small; the HMIS CSV
/// import will get its own, larger limit on its own route.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
async fn readyz(State(state): State<Arc<AppState>>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// The site's options: pages link the compiled assets under their versioned
/// directory (`assets::Assets`).
pub fn leptos_options(site_root: &std::path::Path, addr: SocketAddr, assets: &Assets) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("hearth")
        .site_root(site_root.display().to_string())
        .site_pkg_dir(assets.pkg_dir())
        .site_addr(addr)
        .build()
}

/// A bound, not yet running server.
pub struct Server {
    listener: TcpListener,
    router: Router,
    views: app::db::audit::ViewLog,
}

impl Server {
    pub async fn bind(
        config: &Config,
        db: DatabaseConnection,
        data_key: app::crypto::DataKey,
    ) -> std::io::Result<Self> {
        let state = AppState {
            db: db.clone(),
            security: config.security,
            time_zone: config.time_zone,
            clock: Clock::System,
            data_key,
            jobs: app::jobs::Jobs::new(config.data_dir.join("jobs")),
            views: app::db::audit::ViewLog::start(db.clone()),
        };
        Self::bind_with_state(config, state).await
    }

    pub async fn bind_with_state(config: &Config, state: AppState) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let limits = crate::boundary::FieldLimits::read(&state.db)
            .await
            .map_err(std::io::Error::other)?;
        crate::jobs::spawn_runner(state.clone(), config.auto_exit_at);
        if config.keep_summaries {
            crate::jobs::spawn_keepers(state.clone());
        }
        let views = state.views.clone();
        let assets = Assets::read(&config.site_root);
        let router = app_router(
            state,
            leptos_options(&config.site_root, addr, &assets),
            &assets,
            limits,
        );
        Ok(Server {
            listener,
            router,
            views,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes in-flight requests.
    pub async fn run_until_shutdown(self) -> std::io::Result<()> {
        self.run(shutdown_signal()).await
    }

    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        // Nagle's algorithm + delayed ACKs add ~40 ms to every response (BUILD-NOTES).
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(
            listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        // Every request has finished: write the views still queued (a clean stop
        // leaves no view unaudited).
        self.views.flush().await;
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
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
