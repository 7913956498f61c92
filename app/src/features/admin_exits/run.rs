//! Running a previewed administrative exit (the job's work).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::api::{AdminExitPlan, AdminExitResult, PlanSkip, PlannedHousehold};
use crate::db::audit::Actor;
use crate::db::begin_write;
use crate::db::entities::exit_reason;
use crate::domain::auto_exit::{EXIT_METHOD_ADMIN, MemberActivity, last_activity};
use crate::error::AppError;
use crate::features::auto_exit::{Member, SystemExit, exit_members, members};

/// The exits this feature writes.
pub(crate) const ADMIN: SystemExit = SystemExit {
    reason_id: exit_reason::ADMINISTRATIVE_EXIT,
    method: EXIT_METHOD_ADMIN,
    action: "enrollment.admin_exit",
};

/// Progress of a run, in households.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunProgress {
    pub done: u64,
    pub total: u64,
}

/// Writes a plan's exits (the job's work): each planned household in its own
/// transaction, only when its open members are exactly the planned ones and nothing
/// was recorded after the activity seen at the preview. What was not exited is listed
/// with the reason.
pub async fn execute(
    db: &DatabaseConnection,
    plan: &AdminExitPlan,
    clock: &(dyn Fn() -> DateTime<Utc> + Sync),
    actor: &Actor,
    progress: &mut (dyn FnMut(RunProgress) + Send),
) -> Result<AdminExitResult, AppError> {
    let mut result = AdminExitResult::default();
    let mut counts = RunProgress {
        done: 0,
        total: plan.households.len() as u64,
    };
    progress(counts);
    for planned in &plan.households {
        match exit_planned(db, planned, clock(), actor).await? {
            Ok(n) => {
                result.households_exited += 1;
                result.enrollments_exited += n;
            }
            Err(reason) => result.not_exited.push(PlanSkip {
                household_id: planned.household_id.clone(),
                head_personal_id: planned
                    .members
                    .first()
                    .map(|m| m.personal_id.clone())
                    .unwrap_or_default(),
                head_name: String::new(),
                project_name: planned.project_name.clone(),
                reason: reason.into(),
            }),
        }
        counts.done += 1;
        progress(counts);
    }
    Ok(result)
}

/// One planned household: Ok(enrollments exited), or why it was left.
async fn exit_planned(
    db: &DatabaseConnection,
    planned: &PlannedHousehold,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Result<u64, &'static str>, AppError> {
    let txn = begin_write(db).await?;
    let open: Vec<Member> = members(&txn, &planned.project_id, &[planned.household_id.as_str()])
        .await?
        .into_values()
        .flatten()
        .collect();
    if open.is_empty() {
        return Ok(Err("already exited"));
    }
    let now_ids: HashSet<&str> = open.iter().map(|m| m.enrollment_id.as_str()).collect();
    let planned_ids: HashSet<&str> = planned.members.iter().map(|m| m.enrollment_id.as_str()).collect();
    if now_ids != planned_ids {
        return Ok(Err("the household's open members changed after the preview"));
    }
    let activity: Vec<MemberActivity> = open.iter().map(|m| m.activity).collect();
    if last_activity(&activity).is_some_and(|last| last > planned.last_activity) {
        return Ok(Err("a service or contact was recorded after the preview"));
    }
    match exit_members(&txn, &open, planned.exit_date, now, actor, &ADMIN).await? {
        Some(n) if n == open.len() as u64 => {
            txn.commit().await?;
            Ok(Ok(n))
        }
        _ => Ok(Err("exited by someone else meanwhile")),
    }
}
