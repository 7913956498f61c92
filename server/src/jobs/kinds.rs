//! What each job kind does when the runner hands it a job: the HMIS CSV import and
//! export, the auto-exit sweep and administrative exits, each with its progress and
//! result written back to its row.

use app::db::entities::job_run;
use app::features::hmis_export::api::ExportParams;
use app::jobs::Jobs;
use app::state::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::hmis_csv::{self, ExportOptions, export::ExportProgress};

use super::*;

/// An import's progress as the pages show it: a bar in thousandths, the file and rows.
pub(super) fn shown(progress: &hmis_csv::import::ImportProgress) -> app::jobs::LiveProgress {
    app::jobs::LiveProgress {
        progress: progress.permille(),
        total: 1000,
        message: progress.message(),
    }
}

/// Runs an import job: imports the uploaded file and keeps its report with the job (the
/// counts in the job's result, the findings one by one in `import_findings`); an export
/// refused as a whole keeps the problems that refused it.
pub(super) async fn run_import(state: &AppState, job: &job_run::Model) -> Result<String, JobError> {
    use app::features::hmis_import::api::{ImportProblem, ImportResult};
    use hmis_csv::import::{self, ImportError, ImportOptions};
    let path = state.jobs.import_path(&job.job_run_id);
    let outcome = async {
        set_progress(state, &job.job_run_id, 0, "Reading and importing every file").await;
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        let mut archive = match zip::ZipArchive::new(std::io::BufReader::new(file)) {
            Ok(archive) => archive,
            Err(_) => {
                return Err(JobError::Refused(
                    "The file is not a zip: upload the export's .zip file.".into(),
                ));
            }
        };
        let options = ImportOptions {
            time_zone: state.time_zone,
            data_key: state.data_key.clone(),
        };
        // Progress by file and row: in memory for this server's pages; on PostgreSQL in
        // the row too, for the other servers' (SQLite's one writer is the import's).
        let reporter = (state.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres).then(|| {
            Reporter::start(state, &job.job_run_id, |p: &import::ImportProgress| {
                let shown = shown(p);
                (shown.progress, Some(shown.total), shown.message)
            })
        });
        let live = &state.jobs.live;
        let mut progress = |p: &import::ImportProgress| {
            live.set(&job.job_run_id, shown(p));
            if let Some(reporter) = &reporter {
                reporter.send(p.clone());
            }
        };
        let imported = import::import(&state.db, &mut archive, &options, &mut progress).await;
        if let Some(reporter) = reporter {
            reporter.finish().await;
        }
        live.clear(&job.job_run_id);
        match imported {
            Ok(summary) => {
                let result = ImportResult {
                    version: Some(summary.version.clone()),
                    source: Some(summary.source.clone()),
                    scope: Some(summary.scope.clone()),
                    files: summary.files.clone(),
                    findings: summary.report.counts(),
                    findings_total: summary.report.total(),
                    findings_kept: summary.report.kept().len() as u64,
                    ..Default::default()
                };
                app::features::hmis_import::service::store_findings(
                    &state.db,
                    &job.job_run_id,
                    summary.report.kept(),
                )
                .await
                .map_err(|e| JobError::Failed(format!("the import report could not be stored: {e}")))?;
                store_result(state, &job.job_run_id, &result).await;
                let findings = match summary.report.total() {
                    0 => "nothing to report".to_string(),
                    1 => "1 finding in the report".to_string(),
                    n => format!("{n} findings in the report"),
                };
                let (imported, read) = summary.rows();
                Ok(format!("Imported {imported} of {read} rows ({findings})."))
            }
            Err(ImportError::Invalid { problems, total }) => {
                let result = ImportResult {
                    problems: problems
                        .into_iter()
                        .map(|p| ImportProblem {
                            file: p.file,
                            line: p.line,
                            column: p.column,
                            message: p.message,
                        })
                        .collect(),
                    total,
                    ..Default::default()
                };
                store_result(state, &job.job_run_id, &result).await;
                Err(JobError::Refused(format!(
                    "{total} problem(s) found; nothing was imported."
                )))
            }
            Err(ImportError::Refused(message)) => Err(JobError::Refused(format!("{message}."))),
            Err(ImportError::Zip(_)) => Err(JobError::Refused(
                "The file is not a readable zip: upload the export's .zip file.".into(),
            )),
            Err(e) => Err(JobError::Failed(e.to_string())),
        }
    }
    .await;
    // The upload is not kept: it holds client data.
    let _ = std::fs::remove_file(&path);
    if outcome.is_ok() {
        set_progress(
            state,
            &job.job_run_id,
            app::features::hmis_import::service::STEPS,
            "",
        )
        .await;
    }
    outcome
}

/// Keeps what an import found in its job row.
pub(super) async fn store_result(
    state: &AppState,
    job_run_id: &str,
    result: &app::features::hmis_import::api::ImportResult,
) {
    let stored = job_run::Entity::update_many()
        .col_expr(
            job_run::Column::Result,
            Expr::value(app::features::hmis_import::service::result_json(result)),
        )
        .filter(job_run::Column::JobRunId.eq(job_run_id))
        .exec(&state.db)
        .await;
    if let Err(e) = stored {
        tracing::error!(job = %job_run_id, error = %e, "the import's result could not be stored");
    }
}

/// Runs an auto-exit sweep: its counts and the households it skipped go to the job's
/// result, its progress to the row as it works.
pub(super) async fn run_auto_exit(state: &AppState, job: &job_run::Model) -> Result<String, JobError> {
    use app::features::auto_exit::sweep::{SweepError, SweepOptions, SweepProgress, sweep};
    let mut options: SweepOptions = job
        .params
        .as_deref()
        .and_then(|p| serde_json::from_str::<app::features::auto_exit::api::SweepParams>(p).ok())
        .map(Into::into)
        .unwrap_or_default();
    options.lease_holder = Some(job.job_run_id.clone());
    let actor = match &job.created_by {
        Some(user_id) => app::db::audit::Actor {
            user_id: Some(user_id.clone()),
            username: Some("auto-exit sweep".into()),
            ..Default::default()
        },
        None => app::db::audit::Actor::system("auto-exit sweep"),
    };
    let reporter = Reporter::start(state, &job.job_run_id, |p: &SweepProgress| {
        (
            i32::try_from(p.done).unwrap_or(i32::MAX),
            Some(i32::try_from(p.total).unwrap_or(i32::MAX)),
            format!("{} of {} households looked at", p.done, p.total),
        )
    });
    let mut progress = |p: SweepProgress| {
        reporter.send(p);
        test_pace();
    };
    let clock = || state.now();
    let outcome = sweep(&state.db, state.today(), &clock, &actor, &options, &mut progress).await;
    reporter.finish().await;
    let report = match outcome {
        Ok(report) => report,
        Err(SweepError::Busy) => {
            return Err(JobError::Refused(
                "Another auto-exit sweep was running; this one did nothing.".into(),
            ));
        }
        Err(e) => return Err(JobError::Failed(e.to_string())),
    };
    let _ = job_run::Entity::update_many()
        .col_expr(
            job_run::Column::Result,
            Expr::value(serde_json::to_string(&report).unwrap_or_default()),
        )
        .filter(job_run::Column::JobRunId.eq(&job.job_run_id))
        .exec(&state.db)
        .await;
    // Another sweep still marked running whose server died is marked interrupted by
    // the reaper (`interrupt_orphans`), as every job kind is.
    Ok(report.summary())
}

/// Runs a previewed administrative exit: exactly the planned households, each checked
/// again; what it did goes to the job's result.
pub(super) async fn run_admin_exit(state: &AppState, job: &job_run::Model) -> Result<String, JobError> {
    use app::features::admin_exits::api::AdminExitPlan;
    use app::features::admin_exits::run::{RunProgress, execute};
    let plan: AdminExitPlan = job
        .params
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or("administrative exit plan missing or unreadable")?;
    let actor = match &job.created_by {
        Some(user_id) => app::db::audit::Actor {
            user_id: Some(user_id.clone()),
            username: Some("administrative exit".into()),
            ..Default::default()
        },
        None => app::db::audit::Actor::system("administrative exit"),
    };
    let reporter = Reporter::start(state, &job.job_run_id, |p: &RunProgress| {
        (
            i32::try_from(p.done).unwrap_or(i32::MAX),
            Some(i32::try_from(p.total).unwrap_or(i32::MAX)),
            format!("{} of {} households", p.done, p.total),
        )
    });
    let mut progress = |p: RunProgress| {
        reporter.send(p);
        test_pace();
    };
    let clock = || state.now();
    let outcome = execute(&state.db, &plan, &clock, &actor, &mut progress).await;
    reporter.finish().await;
    let result = outcome.map_err(|e| JobError::Failed(e.to_string()))?;
    let _ = job_run::Entity::update_many()
        .col_expr(
            job_run::Column::Result,
            Expr::value(serde_json::to_string(&result).unwrap_or_default()),
        )
        .filter(job_run::Column::JobRunId.eq(&job.job_run_id))
        .exec(&state.db)
        .await;
    Ok(format!(
        "Exited {} household(s) ({} enrollment(s)); {} not exited.",
        result.households_exited,
        result.enrollments_exited,
        result.not_exited.len()
    ))
}

/// Runs an export job; answers the message to show when it is done.
pub(super) async fn run_export(state: &AppState, job: &job_run::Model) -> Result<String, JobError> {
    let params: ExportParams = job
        .params
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or("export parameters missing or unreadable")?;
    let implementation_id = hmis_csv::implementation_id(&state.db)
        .await
        .map_err(|e| e.to_string())?;
    let options = ExportOptions {
        from: params.from,
        to: params.to,
        projects: params.projects,
        hash_pii: params.hash_pii,
        time_zone: state.time_zone,
        now: state.now(),
        export_id: job.job_run_id.clone(),
        implementation_id,
        data_key: state.data_key.clone(),
    };
    std::fs::create_dir_all(&state.jobs.dir).map_err(|e| e.to_string())?;
    let path = Jobs::export_path(&state.jobs, &job.job_run_id);
    // Progress goes to the row from its own task; the latest value wins.
    let reporter = Reporter::start(state, &job.job_run_id, |p: &ExportProgress| {
        (
            i32::try_from(p.files_done).unwrap_or(i32::MAX),
            None,
            format!("Writing {} ({} rows)", p.file, p.rows),
        )
    });
    let mut progress = |p: &ExportProgress| reporter.send(p.clone());
    let result = hmis_csv::export_to_path(&state.db, &path, &options, &mut progress).await;
    reporter.finish().await;
    let summary = result.map_err(|e| e.to_string())?;
    let rows: u64 = summary.files.iter().map(|(_, n)| n).sum();
    Ok(format!("{rows} rows in {} files", summary.files.len()))
}
