//! The auto-exit sweep: every open household of a project with an auto-exit setting
//! whose last activity is at least that many days old exits together, each household
//! whole in one commit (50 households a commit), so a sweep stopped halfway (a crash, a
//! deploy) leaves whole households exited or untouched, and the next sweep finishes the
//! rest. Households with
//! an open Coordinated Entry referral are skipped and listed. Memory stays flat: heads
//! of household are read in keyset batches.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
use serde::{Deserialize, Serialize};

use crate::db::audit::{self, Actor, Event};
use crate::db::entities::exit_reason;
use crate::db::lease::Lease;
use crate::db::marks;
use crate::db::{begin_write, new_id, statement};
use crate::domain::auto_exit::{
    EXIT_METHOD_AUTO, MemberActivity, NO_EXIT_INTERVIEW, Setting, Standing, due_cutoff, exit_date,
    last_activity, standing,
};
use crate::domain::codes::ProjectType;
use crate::error::AppError;

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

/// An open household of one batch at the standing asked for.
pub(crate) struct Inactive {
    pub household_id: String,
    pub members: Vec<Member>,
    pub last_activity: NaiveDate,
    /// A member's CE referral is still waiting for its result: the sweep leaves it.
    pub referred: bool,
}

impl Inactive {
    /// The head of household (the first member when none is marked).
    pub fn head(&self) -> Option<&Member> {
        self.members.iter().find(|m| m.head).or(self.members.first())
    }

    fn exit_date(&self, night_by_night: bool) -> Option<NaiveDate> {
        let activity: Vec<MemberActivity> = self.members.iter().map(|m| m.activity).collect();
        exit_date(&activity, night_by_night)
    }
}

/// One keyset batch of a project's open heads of household who started on or before
/// `cutoff` (after `after`): how many were read, where the next batch starts, and the
/// households at `at_least` standing on `today`. None when no heads are left.
pub(crate) struct Batch {
    pub read: usize,
    pub next: (NaiveDate, String),
    pub households: Vec<Inactive>,
}

/// The households `ids` of a project whose members' last activity puts them at
/// `at_least` standing on `today`, with their open members (`referred` not read).
async fn standing_at_least(
    db: &DatabaseConnection,
    project: &Project,
    ids: &[&str],
    today: NaiveDate,
    at_least: Standing,
) -> Result<Vec<Inactive>, AppError> {
    let mut households = Vec::new();
    for (household_id, members) in members(db, &project.id, ids).await? {
        let activity: Vec<MemberActivity> = members.iter().map(|m| m.activity).collect();
        if let Some(last) = last_activity(&activity)
            && standing(last, today, project.setting) >= at_least
        {
            households.push(Inactive {
                household_id,
                members,
                last_activity: last,
                referred: false,
            });
        }
    }
    Ok(households)
}

pub(crate) async fn next_batch(
    db: &DatabaseConnection,
    project: &Project,
    cutoff: NaiveDate,
    after: Option<&(NaiveDate, String)>,
    today: NaiveDate,
    at_least: Standing,
) -> Result<Option<Batch>, AppError> {
    let heads = heads(db, project, cutoff, after).await?;
    let Some(last) = heads.last() else {
        return Ok(None);
    };
    let next = (last.entry_date, last.enrollment_id.clone());
    let ids: Vec<&str> = heads.iter().map(|h| h.household_id.as_str()).collect();
    let mut households = standing_at_least(db, project, &ids, today, at_least).await?;
    let clients: Vec<(&str, &str)> = households
        .iter()
        .flat_map(|h| {
            h.members
                .iter()
                .map(move |m| (h.household_id.as_str(), m.personal_id.as_str()))
        })
        .collect();
    let referred = open_referrals(db, &clients).await?;
    for household in &mut households {
        household.referred = referred.contains(&household.household_id);
    }
    Ok(Some(Batch {
        read: heads.len(),
        next,
        households,
    }))
}

/// The households among `households` (a caseload's) of a project at `at_least`
/// standing on `today`: the reads of `next_batch` (open heads who started on or before
/// `cutoff`, then their open members) for these households only, a batch at a time.
/// `referred` is not read (false): the callers ask only who stands where.
pub(crate) async fn among(
    db: &DatabaseConnection,
    project: &Project,
    cutoff: NaiveDate,
    households: &[&str],
    today: NaiveDate,
    at_least: Standing,
) -> Result<Vec<Inactive>, AppError> {
    let mut out = Vec::new();
    for chunk in households.chunks(BATCH as usize) {
        let mut values: Vec<Value> = vec![project.id.clone().into(), cutoff.into()];
        values.extend(chunk.iter().map(|h| Value::from(h.to_string())));
        let rows = db
            .query_all_raw(statement(
                db.get_database_backend(),
                &format!(
                    "SELECT DISTINCT household_id FROM enrollments WHERE {HEADS_WHERE} AND household_id IN ({})",
                    marks(chunk.len())
                ),
                values,
            ))
            .await?;
        let ids = rows
            .iter()
            .map(|r| r.try_get::<String>("", "household_id"))
            .collect::<Result<Vec<_>, _>>()?;
        if ids.is_empty() {
            continue;
        }
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        out.extend(standing_at_least(db, project, &ids, today, at_least).await?);
    }
    Ok(out)
}

/// The projects with an auto-exit setting, all or `only` these (Coordinated Entry
/// never auto-exits).
pub(crate) async fn projects(db: &DatabaseConnection, only: &[String]) -> Result<Vec<Project>, AppError> {
    load_projects(db, only, None).await
}

/// Every project, all or `only` these, read as if each had an auto-exit setting of
/// `inactive_days` (administrative exits). Coordinated Entry is left out: its
/// enrollments leave through the CE exit, which also takes them off the priority list.
pub(crate) async fn inactive_for(
    db: &DatabaseConnection,
    only: &[String],
    inactive_days: i32,
) -> Result<Vec<Project>, AppError> {
    load_projects(db, only, Some(inactive_days)).await
}

async fn load_projects(
    db: &DatabaseConnection,
    only: &[String],
    inactive_days: Option<i32>,
) -> Result<Vec<Project>, AppError> {
    let mut sql = String::from(
        "SELECT project_id, project_name, project_type, auto_exit_days, auto_alert_days FROM projects \
         WHERE date_deleted IS NULL",
    );
    if inactive_days.is_none() {
        sql.push_str(" AND auto_exit_days IS NOT NULL");
    }
    let mut values: Vec<Value> = Vec::new();
    if !only.is_empty() {
        sql.push_str(&format!(" AND project_id IN ({})", marks(only.len())));
        values.extend(only.iter().map(|id| Value::from(id.clone())));
    }
    sql.push_str(" ORDER BY project_name, project_id");
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let project_type = row
            .try_get::<Option<i32>>("", "project_type")?
            .and_then(ProjectType::from_code);
        if project_type.is_some_and(|t| !crate::domain::auto_exit::allowed(t)) {
            continue;
        }
        let setting = match inactive_days {
            Some(days) => Setting {
                exit_days: days,
                alert_days: None,
            },
            None => Setting {
                exit_days: row.try_get("", "auto_exit_days")?,
                alert_days: row.try_get("", "auto_alert_days")?,
            },
        };
        out.push(Project {
            id: row.try_get("", "project_id")?,
            name: row.try_get("", "project_name")?,
            setting,
            night_by_night: project_type == Some(ProjectType::EsNightByNight),
        });
    }
    Ok(out)
}

/// Open heads of household that started on or before the cutoff (later starts cannot
/// be due), from the heads-by-project index.
const HEADS_WHERE: &str = "project_id = ? AND relationship_to_hoh = 1 AND exit_date IS NULL \
     AND date_deleted IS NULL AND entry_date <= ?";

async fn count_heads(db: &DatabaseConnection, project: &Project, cutoff: NaiveDate) -> Result<u64, AppError> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            &format!("SELECT COUNT(*) AS n FROM enrollments WHERE {HEADS_WHERE}"),
            vec![project.id.clone().into(), cutoff.into()],
        ))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// An open head of household: the batch's keyset is (entry date, enrollment ID).
struct Head {
    entry_date: NaiveDate,
    enrollment_id: String,
    household_id: String,
}

/// The next batch of heads who started on or before `cutoff`, after `after` (entry
/// date, enrollment ID).
async fn heads(
    db: &DatabaseConnection,
    project: &Project,
    cutoff: NaiveDate,
    after: Option<&(NaiveDate, String)>,
) -> Result<Vec<Head>, AppError> {
    let mut sql =
        format!("SELECT entry_date, enrollment_id, household_id FROM enrollments WHERE {HEADS_WHERE}");
    let mut values: Vec<Value> = vec![project.id.clone().into(), cutoff.into()];
    if let Some((date, id)) = after {
        sql.push_str(" AND (entry_date > ? OR (entry_date = ? AND enrollment_id > ?))");
        values.extend([(*date).into(), (*date).into(), id.clone().into()]);
    }
    sql.push_str(&format!(" ORDER BY entry_date, enrollment_id LIMIT {BATCH}"));
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(Head {
            entry_date: row.try_get("", "entry_date")?,
            enrollment_id: row.try_get("", "enrollment_id")?,
            household_id: row.try_get("", "household_id")?,
        });
    }
    Ok(out)
}

/// The open members of a project's households with their latest service, bed night and
/// contact (4.12 Current Living Situation, or an update or annual assessment).
pub(crate) async fn members(
    db: &impl ConnectionTrait,
    project_id: &str,
    households: &[&str],
) -> Result<BTreeMap<String, Vec<Member>>, AppError> {
    let mut values: Vec<Value> = vec![project_id.into()];
    values.extend(households.iter().map(|h| Value::from(h.to_string())));
    let sql = format!(
        "SELECT m.household_id, m.enrollment_id, m.personal_id, m.entry_date, m.relationship_to_hoh, \
         (SELECT MAX(s.date_provided) FROM services s WHERE s.enrollment_id = m.enrollment_id \
          AND s.date_deleted IS NULL AND s.record_type <> 200) AS last_service, \
         (SELECT MAX(s.date_provided) FROM services s WHERE s.enrollment_id = m.enrollment_id \
          AND s.date_deleted IS NULL AND s.record_type = 200) AS last_bed_night, \
         (SELECT MAX(c.information_date) FROM current_living_situations c \
          WHERE c.enrollment_id = m.enrollment_id AND c.date_deleted IS NULL) AS last_contact, \
         (SELECT MAX(a.information_date) FROM assessment_events a WHERE a.enrollment_id = m.enrollment_id \
          AND a.date_deleted IS NULL AND a.data_collection_stage IN (2, 5)) AS last_assessment \
         FROM enrollments m WHERE m.project_id = ? AND m.household_id IN ({}) \
         AND m.exit_date IS NULL AND m.date_deleted IS NULL",
        marks(households.len())
    );
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out: BTreeMap<String, Vec<Member>> = BTreeMap::new();
    for row in rows {
        let contact: Option<NaiveDate> = row.try_get("", "last_contact")?;
        let assessed: Option<NaiveDate> = row.try_get("", "last_assessment")?;
        out.entry(row.try_get("", "household_id")?)
            .or_default()
            .push(Member {
                enrollment_id: row.try_get("", "enrollment_id")?,
                personal_id: row.try_get("", "personal_id")?,
                head: row.try_get::<Option<i32>>("", "relationship_to_hoh")? == Some(1),
                activity: MemberActivity {
                    entry_date: row.try_get("", "entry_date")?,
                    last_service: row.try_get("", "last_service")?,
                    last_bed_night: row.try_get("", "last_bed_night")?,
                    last_contact: contact.max(assessed),
                },
            });
    }
    Ok(out)
}

/// The households among `clients` (household ID, personal ID) with a member whose
/// open CE enrollment has a referral still waiting for its result.
async fn open_referrals(
    db: &DatabaseConnection,
    clients: &[(&str, &str)],
) -> Result<HashSet<String>, AppError> {
    if clients.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT DISTINCT r.personal_id FROM ce_referrals r \
         JOIN events ev ON ev.event_id = r.event_id AND ev.date_deleted IS NULL \
         JOIN enrollments ce ON ce.enrollment_id = r.enrollment_id \
         WHERE r.personal_id IN ({}) AND ev.referral_result IS NULL \
         AND ce.exit_date IS NULL AND ce.date_deleted IS NULL",
        marks(clients.len())
    );
    let values: Vec<Value> = clients.iter().map(|(_, p)| Value::from(p.to_string())).collect();
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut referred_clients = HashSet::new();
    for row in rows {
        referred_clients.insert(row.try_get::<String>("", "personal_id")?);
    }
    Ok(clients
        .iter()
        .filter(|(_, p)| referred_clients.contains(*p))
        .map(|(h, _)| h.to_string())
        .collect())
}

/// Which exit the system writes: its local reason, its exit method and its audit action.
pub(crate) struct SystemExit {
    pub reason_id: &'static str,
    pub method: &'static str,
    pub action: &'static str,
}

/// The sweep's exits.
pub(crate) const AUTO: SystemExit = SystemExit {
    reason_id: exit_reason::AUTO_EXIT,
    method: EXIT_METHOD_AUTO,
    action: "enrollment.auto_exit",
};

/// Households exited per commit, with one statement of each kind (exits, case
/// assignments, audit) in a savepoint; when the group fails (a concurrent exit, a
/// household that cannot be written), each household is written in a savepoint of its
/// own, so that one is left untouched and the rest exit. One commit and three
/// statements for 50 households save a flush per household and about 350 round trips
/// per group (52,000 households at 1M clients: docs/PERFORMANCE.md), and hold the
/// write lock for milliseconds at a time.
const HOUSEHOLDS_PER_COMMIT: usize = 50;

/// Exits a group of households (their open members, each household on its own date)
/// in one commit, and tallies them in `report`. The households before an error stay
/// exited.
async fn write_group(
    db: &DatabaseConnection,
    group: &[(Inactive, NaiveDate)],
    now: DateTime<Utc>,
    actor: &Actor,
    report: &mut SweepReport,
) -> Result<(), SweepError> {
    let households: Vec<(&[Member], NaiveDate)> =
        group.iter().map(|(h, on)| (h.members.as_slice(), *on)).collect();
    let txn = begin_write(db).await?;
    let exited = match in_savepoint(&txn, &households, now, actor, &AUTO).await {
        Ok(Some(exited)) => exited,
        // A concurrent exit, or a household that cannot be written: one by one, so the
        // households before the one that fails stay exited.
        outcome => {
            if let Err(e) = outcome {
                tracing::debug!(error = %e, "auto-exit group refused; writing its households one by one");
            }
            let mut exited = Vec::with_capacity(households.len());
            for household in &households {
                match in_savepoint(&txn, std::slice::from_ref(household), now, actor, &AUTO).await {
                    Ok(n) => exited.push(n.map_or(0, |n| n[0])),
                    Err(e) => {
                        txn.commit().await?;
                        tally(report, &exited);
                        return Err(e.into());
                    }
                }
            }
            exited
        }
    };
    txn.commit().await?;
    tally(report, &exited);
    Ok(())
}

fn tally(report: &mut SweepReport, exited: &[u64]) {
    for n in exited {
        match n {
            0 => report.already_exited += 1,
            n => {
                report.households_exited += 1;
                report.enrollments_exited += n;
            }
        }
    }
}

/// `exit_households` in a savepoint of `txn`: None (and nothing written) when a
/// concurrent exit got there first.
async fn in_savepoint(
    txn: &sea_orm::DatabaseTransaction,
    households: &[(&[Member], NaiveDate)],
    now: DateTime<Utc>,
    actor: &Actor,
    kind: &SystemExit,
) -> Result<Option<Vec<u64>>, AppError> {
    use sea_orm::TransactionTrait;
    let savepoint = txn.begin().await?;
    match exit_households(&savepoint, households, now, actor, kind).await {
        Ok(Some(exited)) => {
            savepoint.commit().await?;
            Ok(Some(exited))
        }
        Ok(None) => {
            savepoint.rollback().await?;
            Ok(None)
        }
        Err(e) => {
            savepoint.rollback().await?;
            Err(e)
        }
    }
}

/// Writes the exits of `members` still open inside the caller's transaction. None when
/// a concurrent exit won (the caller rolls back).
pub(crate) async fn exit_members(
    txn: &impl ConnectionTrait,
    members: &[Member],
    on: NaiveDate,
    now: DateTime<Utc>,
    actor: &Actor,
    kind: &SystemExit,
) -> Result<Option<u64>, AppError> {
    Ok(exit_households(txn, &[(members, on)], now, actor, kind)
        .await?
        .map(|exited| exited[0]))
}

/// Exits the members still open of several households inside the caller's
/// transaction, one statement of each kind for all: the exit (3.11 on the household's
/// date, 3.12 destination 30, the reason of `kind`), the end of their open case
/// assignments, the audit. Answers how many members of each household it exited; None
/// when a concurrent exit won (the caller rolls back: on PostgreSQL the transaction
/// cannot go on).
pub(crate) async fn exit_households(
    txn: &impl ConnectionTrait,
    households: &[(&[Member], NaiveDate)],
    now: DateTime<Utc>,
    actor: &Actor,
    kind: &SystemExit,
) -> Result<Option<Vec<u64>>, AppError> {
    let backend = txn.get_database_backend();
    let members: Vec<(usize, &Member, NaiveDate)> = households
        .iter()
        .enumerate()
        .flat_map(|(i, (members, on))| members.iter().map(move |m| (i, m, *on)))
        .collect();
    let mut exited = vec![0u64; households.len()];
    if members.is_empty() {
        return Ok(Some(exited));
    }
    let mut values: Vec<Value> = Vec::with_capacity(members.len() * 3 + 6);
    for (_, m, on) in &members {
        values.extend([m.enrollment_id.clone().into(), new_id().into(), (*on).into()]);
    }
    values.extend([
        NO_EXIT_INTERVIEW.into(),
        kind.reason_id.into(),
        kind.method.into(),
        now.into(),
        now.into(),
        crate::db::SYSTEM_USER_ID.into(),
    ]);
    let sql = format!(
        "WITH v(eid, xid, on_date) AS (VALUES {}) \
         INSERT INTO exits (exit_id, enrollment_id, personal_id, exit_date, destination, \
         exit_reason_id, exit_method, created_at, updated_at, created_by) \
         SELECT v.xid, e.enrollment_id, e.personal_id, v.on_date, ?, ?, ?, ?, ?, ? \
         FROM v JOIN enrollments e ON e.enrollment_id = v.eid \
         WHERE e.exit_date IS NULL AND e.date_deleted IS NULL RETURNING enrollment_id",
        vec!["(?, ?, ?)"; members.len()].join(", ")
    );
    let inserted = match txn.query_all_raw(statement(backend, &sql, values)).await {
        Ok(rows) => rows,
        // Exited by someone else between our read and this write.
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let inserted: HashSet<String> = inserted
        .iter()
        .map(|row| row.try_get("", "enrollment_id"))
        .collect::<Result<_, _>>()?;
    let done: Vec<&(usize, &Member, NaiveDate)> = members
        .iter()
        .filter(|(_, m, _)| inserted.contains(&m.enrollment_id))
        .collect();
    if done.is_empty() {
        return Ok(Some(exited));
    }
    let mut values: Vec<Value> = Vec::with_capacity(done.len() * 2 + 1);
    for (_, m, on) in &done {
        values.extend([m.enrollment_id.clone().into(), (*on).into()]);
    }
    values.push(now.into());
    let sql = format!(
        "WITH v(eid, on_date) AS (VALUES {}) \
         UPDATE case_assignments SET end_date = (SELECT CASE WHEN case_assignments.start_date > v.on_date \
         THEN case_assignments.start_date ELSE v.on_date END FROM v WHERE v.eid = case_assignments.enrollment_id), \
         updated_at = ? WHERE enrollment_id IN (SELECT eid FROM v) AND end_date IS NULL",
        vec!["(?, ?)"; done.len()].join(", ")
    );
    txn.execute_raw(statement(backend, &sql, values)).await?;
    let details: Vec<String> = done
        .iter()
        .map(|(_, _, on)| format!("exit date {on}, destination {NO_EXIT_INTERVIEW}"))
        .collect();
    let events = done
        .iter()
        .zip(&details)
        .map(|((_, m, _), detail)| {
            Event::new(kind.action)
                .on("enrollment", &m.enrollment_id)
                .client(&m.personal_id)
                .detail(detail.as_str())
        })
        .collect();
    audit::record_all(txn, now, actor, events).await?;
    for (i, _, _) in done {
        exited[*i] += 1;
    }
    Ok(Some(exited))
}
