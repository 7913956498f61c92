//! The auto-exit sweep: every open household of a project with an auto-exit setting
//! whose last activity is at least that many days old exits together, each household
//! whole in one commit (50 households a commit), so a sweep stopped halfway (a crash, a
//! deploy) leaves whole households exited or untouched, and the next sweep finishes the
//! rest. Households with
//! an open Coordinated Entry referral are skipped and listed. Memory stays flat: heads
//! of household are read in keyset batches.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};

use crate::db::audit::Actor;
use crate::db::lease::Lease;
use crate::db::new_id;
use crate::domain::auto_exit::{MemberActivity, Setting, Standing, due_cutoff};
use crate::error::AppError;

use super::inactivity::*;
use super::system_exit::*;

/// The lease every sweep takes.
pub const LEASE: &str = "auto_exit";
/// A holder that has not renewed its lease for this long is taken to have crashed.
pub const STALE_AFTER_MINUTES: i64 = 1;
/// Heads of household read at a time.
pub const BATCH: u64 = 500;
/// Skipped households kept in a run's record (the count is always whole).
const SKIPPED_KEPT: usize = 1000;
/// Households a dry run queued from the page keeps in its record, to be listed there
/// (the counts are always whole; `hearth auto-exit --dry-run` lists every one).
pub const LISTED_KEPT: usize = 10_000;

/// What to sweep.
#[derive(Clone, Debug, Default)]
pub struct SweepOptions {
    /// Find and count, change nothing.
    pub dry_run: bool,
    /// One project only.
    pub project_id: Option<String>,
    /// A dry run lists up to this many households (those it would exit and those it
    /// would skip) in its report.
    pub keep_listed: usize,
    /// Who holds the lease: the job's ID when a job runs the sweep (so a job marked
    /// interrupted gives its lease back at once); a new ID otherwise.
    pub lease_holder: Option<String>,
}

/// A household as a dry run lists it: what the sweep would do with it, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub project_name: String,
    pub household_id: String,
    pub head_personal_id: String,
    /// Every open member, head first.
    pub member_ids: Vec<String>,
    /// The household's latest service (other than bed nights), 4.12 contact and 4.14
    /// bed night.
    pub last_service: Option<NaiveDate>,
    pub last_contact: Option<NaiveDate>,
    pub last_bed_night: Option<NaiveDate>,
    /// The exit date the sweep would write.
    pub exit_date: Option<NaiveDate>,
    /// Why the sweep would leave it open; None when it would exit it.
    pub skipped: Option<String>,
}

impl Listed {
    fn of(
        project: &Project,
        household: &Inactive,
        exit_date: Option<NaiveDate>,
        skipped: Option<&str>,
    ) -> Self {
        let latest = |pick: fn(&MemberActivity) -> Option<NaiveDate>| {
            household.members.iter().filter_map(|m| pick(&m.activity)).max()
        };
        let head = household.head().map(|h| h.personal_id.clone());
        let others = household
            .members
            .iter()
            .map(|m| m.personal_id.clone())
            .filter(|id| Some(id) != head.as_ref());
        let member_ids: Vec<String> = head.clone().into_iter().chain(others).collect();
        Listed {
            project_name: project.name.clone(),
            household_id: household.household_id.clone(),
            head_personal_id: member_ids.first().cloned().unwrap_or_default(),
            member_ids,
            last_service: latest(|a| a.last_service),
            last_contact: latest(|a| a.last_contact),
            last_bed_night: latest(|a| a.last_bed_night),
            exit_date,
            skipped: skipped.map(str::to_string),
        }
    }
}

/// The names of the clients of `listed` (PersonalID → "First Last").
pub async fn names_of_listed(
    db: &DatabaseConnection,
    listed: &[Listed],
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let ids: Vec<&str> = listed
        .iter()
        .flat_map(|l| l.member_ids.iter().map(String::as_str))
        .collect();
    crate::report::names_of(db, ids).await
}

/// A household the sweep left open, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub project_name: String,
    pub household_id: String,
    pub head_personal_id: String,
    pub reason: String,
}

/// What a sweep did (or, dry, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepReport {
    pub dry_run: bool,
    pub projects: u64,
    /// Heads of household looked at (those started long enough ago to be due).
    pub examined: u64,
    pub households_exited: u64,
    pub enrollments_exited: u64,
    /// Exited by someone else while the sweep ran.
    pub already_exited: u64,
    pub skipped_count: u64,
    pub skipped: Vec<Skipped>,
    /// A dry run: the households it would exit or skip, in sweep order, up to the
    /// options' `keep_listed`.
    #[serde(default)]
    pub listed: Vec<Listed>,
}

impl SweepReport {
    /// One line for people: the job's message and the CLI's summary.
    pub fn summary(&self) -> String {
        let verb = if self.dry_run { "would exit" } else { "exited" };
        format!(
            "{} project(s): {verb} {} household(s) ({} enrollment(s)); {} skipped with an open CE referral.",
            self.projects, self.households_exited, self.enrollments_exited, self.skipped_count
        )
    }
}

/// Why a sweep did not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("another auto-exit sweep is running; this one did nothing")]
    Busy,
    #[error("the sweep lost its lease to another server and stopped")]
    LeaseLost,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sea_orm::DbErr> for SweepError {
    fn from(e: sea_orm::DbErr) -> Self {
        SweepError::App(e.into())
    }
}

/// Progress as heads of household are looked at.
#[derive(Clone, Copy, Debug, Default)]
pub struct SweepProgress {
    pub done: u64,
    pub total: u64,
}

/// A project with an auto-exit setting.
pub(crate) struct Project {
    pub id: String,
    pub name: String,
    pub setting: Setting,
    pub night_by_night: bool,
}

/// One open member of a household.
pub(crate) struct Member {
    pub enrollment_id: String,
    pub personal_id: String,
    pub head: bool,
    pub activity: MemberActivity,
}

/// Runs a sweep for `today`. Changes take the lease first (`Busy` when another sweep
/// holds it); a dry run reads only.
pub async fn sweep(
    db: &DatabaseConnection,
    today: NaiveDate,
    clock: &(dyn Fn() -> DateTime<Utc> + Sync),
    actor: &Actor,
    options: &SweepOptions,
    progress: &mut (dyn FnMut(SweepProgress) + Send),
) -> Result<SweepReport, SweepError> {
    let lease = if options.dry_run {
        None
    } else {
        let holder = options.lease_holder.clone().unwrap_or_else(new_id);
        let stale = chrono::Duration::minutes(STALE_AFTER_MINUTES);
        Some(
            Lease::acquire(db, LEASE, &holder, clock(), stale)
                .await?
                .ok_or(SweepError::Busy)?,
        )
    };
    let outcome = run(db, today, clock, actor, options, lease.as_ref(), progress).await;
    if let Some(lease) = lease {
        // A lost lease is someone else's now; giving back ours is harmless.
        if let Err(err) = lease.release(db).await {
            tracing::warn!(error = %err, "auto-exit lease could not be released; it expires on its own");
        }
    }
    outcome
}

async fn run(
    db: &DatabaseConnection,
    today: NaiveDate,
    clock: &(dyn Fn() -> DateTime<Utc> + Sync),
    actor: &Actor,
    options: &SweepOptions,
    lease: Option<&Lease>,
    progress: &mut (dyn FnMut(SweepProgress) + Send),
) -> Result<SweepReport, SweepError> {
    let projects = projects(db, options.project_id.as_slice()).await?;
    let mut report = SweepReport {
        dry_run: options.dry_run,
        projects: projects.len() as u64,
        ..Default::default()
    };
    let mut counts = SweepProgress::default();
    for project in &projects {
        counts.total += count_heads(db, project, due_cutoff(today, project.setting.exit_days)).await?;
    }
    progress(counts);
    for project in &projects {
        let cutoff = due_cutoff(today, project.setting.exit_days);
        let mut after = None;
        while let Some(batch) = next_batch(db, project, cutoff, after.as_ref(), today, Standing::Due).await? {
            // Households to exit, written HOUSEHOLDS_PER_COMMIT at a time.
            let mut group: Vec<(Inactive, NaiveDate)> = Vec::new();
            for household in batch.households {
                let listing = options.dry_run && report.listed.len() < options.keep_listed;
                if household.referred {
                    if listing {
                        let reason = "open Coordinated Entry referral";
                        report
                            .listed
                            .push(Listed::of(project, &household, None, Some(reason)));
                    }
                    report.skipped_count += 1;
                    if report.skipped.len() < SKIPPED_KEPT {
                        report.skipped.push(Skipped {
                            project_name: project.name.clone(),
                            head_personal_id: household
                                .head()
                                .map(|m| m.personal_id.clone())
                                .unwrap_or_default(),
                            household_id: household.household_id,
                            reason: "open Coordinated Entry referral".into(),
                        });
                    }
                    continue;
                }
                let Some(on) = household.exit_date(project.night_by_night) else {
                    continue;
                };
                if options.dry_run {
                    if listing {
                        report
                            .listed
                            .push(Listed::of(project, &household, Some(on), None));
                    }
                    report.households_exited += 1;
                    report.enrollments_exited += household.members.len() as u64;
                    continue;
                }
                group.push((household, on));
                if group.len() == HOUSEHOLDS_PER_COMMIT {
                    write_group(db, &group, clock(), actor, &mut report).await?;
                    group.clear();
                }
            }
            if !group.is_empty() {
                write_group(db, &group, clock(), actor, &mut report).await?;
            }
            counts.done += batch.read as u64;
            progress(counts);
            after = Some(batch.next);
            if let Some(lease) = lease
                && !lease.renew(db, clock()).await?
            {
                return Err(SweepError::LeaseLost);
            }
        }
    }
    report.examined = counts.done;
    Ok(report)
}
