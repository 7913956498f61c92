//! Exits the system writes (auto-exit and administrative exits): each household whole in
//! its own savepoint, 50 households a commit, case assignments ended, audited.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};

use crate::db::audit::{self, Actor, Event};
use crate::db::entities::exit_reason;
use crate::db::{begin_write, new_id, statement};
use crate::domain::auto_exit::{EXIT_METHOD_AUTO, NO_EXIT_INTERVIEW};
use crate::error::AppError;

use super::inactivity::*;
use super::sweep::*;

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
pub(super) const HOUSEHOLDS_PER_COMMIT: usize = 50;

/// Exits a group of households (their open members, each household on its own date)
/// in one commit, and tallies them in `report`. The households before an error stay
/// exited.
pub(super) async fn write_group(
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

pub(super) fn tally(report: &mut SweepReport, exited: &[u64]) {
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
pub(super) async fn in_savepoint(
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
