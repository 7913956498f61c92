//! `hearth bench auto-exit`: the sweep over every open household, with its memory.

use std::time::{Duration, Instant};

use super::client_count;
use app::db::statement;
use app::state::AppState;
use sea_orm::{ConnectionTrait, DbErr};

/// `hearth bench auto-exit`: the sweep over every open household of the database. Every
/// project but Coordinated Entry is given an auto-exit setting of `exit_days` for the run
/// (the settings are put back afterwards), then a dry run reads every open head of
/// household started before the cutoff, and with `write` a real sweep exits the due
/// ones. Memory is read from the kernel (resident set) before and during each sweep.
pub struct AutoExitReport {
    pub backend: &'static str,
    pub clients: i64,
    pub exit_days: i32,
    pub runs: Vec<SweepRun>,
}

pub struct SweepRun {
    pub kind: &'static str,
    pub elapsed: Duration,
    pub examined: u64,
    pub households: u64,
    pub enrollments: u64,
    pub skipped: u64,
    /// Resident set before the sweep and the most seen while it ran, in MiB.
    pub rss_before: f64,
    pub rss_peak: f64,
}

impl std::fmt::Display for AutoExitReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Auto-exit sweep on {} with {} clients, every project set to exit after {} days",
            self.backend, self.clients, self.exit_days
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "| Sweep | Time | Heads of household read | Households (would) exit | Enrollments | Skipped (CE referral) | Households/s read | RSS before | RSS peak |"
        )?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
        for r in &self.runs {
            writeln!(
                f,
                "| {} | {:.1} s | {} | {} | {} | {} | {:.0} | {:.0} MiB | {:.0} MiB |",
                r.kind,
                r.elapsed.as_secs_f64(),
                r.examined,
                r.households,
                r.enrollments,
                r.skipped,
                r.examined as f64 / r.elapsed.as_secs_f64().max(1e-9),
                r.rss_before,
                r.rss_peak
            )?;
        }
        Ok(())
    }
}

/// This process's resident set in MiB (Linux; 0 elsewhere).
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub async fn auto_exit_bench(state: &AppState, exit_days: i32, write: bool) -> Result<AutoExitReport, DbErr> {
    use app::features::auto_exit::sweep::{SweepOptions, sweep};
    let db = &state.db;
    let backend = db.get_database_backend();
    let clients = client_count(state).await?;
    // Remember the settings, then set every project's for the run.
    let saved = db
        .query_all_raw(statement(
            backend,
            "SELECT project_id, auto_exit_days, auto_alert_days FROM projects",
            vec![],
        ))
        .await?;
    db.execute_raw(statement(
        backend,
        "UPDATE projects SET auto_exit_days = ?, auto_alert_days = NULL WHERE project_type IS NULL OR project_type <> 14",
        vec![exit_days.into()],
    ))
    .await?;
    let actor = app::db::audit::Actor::system("hearth bench auto-exit");
    let clock = || state.now();
    let mut runs = Vec::new();
    let kinds: &[(&'static str, bool)] = if write {
        &[("Dry run (read only)", true), ("Sweep (exits written)", false)]
    } else {
        &[("Dry run (read only)", true)]
    };
    let mut outcome = Ok(());
    for (kind, dry_run) in kinds {
        let rss_before = rss_mib();
        let mut rss_peak = rss_before;
        let mut progress =
            |_: app::features::auto_exit::sweep::SweepProgress| rss_peak = rss_peak.max(rss_mib());
        let started = Instant::now();
        let options = SweepOptions {
            dry_run: *dry_run,
            ..Default::default()
        };
        match sweep(db, state.today(), &clock, &actor, &options, &mut progress).await {
            Ok(report) => runs.push(SweepRun {
                kind,
                elapsed: started.elapsed(),
                examined: report.examined,
                households: report.households_exited,
                enrollments: report.enrollments_exited,
                skipped: report.skipped_count,
                rss_before,
                rss_peak: rss_peak.max(rss_mib()),
            }),
            Err(e) => {
                outcome = Err(DbErr::Custom(e.to_string()));
                break;
            }
        }
    }
    for row in saved {
        let id: String = row.try_get("", "project_id")?;
        let exit: Option<i32> = row.try_get("", "auto_exit_days")?;
        let alert: Option<i32> = row.try_get("", "auto_alert_days")?;
        db.execute_raw(statement(
            backend,
            "UPDATE projects SET auto_exit_days = ?, auto_alert_days = ? WHERE project_id = ?",
            vec![exit.into(), alert.into(), id.into()],
        ))
        .await?;
    }
    outcome?;
    Ok(AutoExitReport {
        backend: app::db::backend_name(db),
        clients,
        exit_days,
        runs,
    })
}
