//! Running an interrupted job again (server only).

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::JobState;
use crate::db::audit::{self, Event};
use crate::db::entities::job_run;
use crate::error::AppError;
use crate::session::CurrentSession;
use crate::state::AppState;

/// Queues an interrupted job again, in one statement (two admins clicking at once
/// queue it once), audited.
pub async fn run_again(state: &AppState, session: &CurrentSession, job_run_id: &str) -> Result<(), AppError> {
    let txn = crate::db::begin_write(&state.db).await?;
    let queued = job_run::Entity::update_many()
        .col_expr(job_run::Column::Status, Expr::value(JobState::Queued.code()))
        .col_expr(job_run::Column::Message, Expr::value("Waiting to run again"))
        .col_expr(
            job_run::Column::FinishedAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .col_expr(job_run::Column::Worker, Expr::value(Option::<String>::None))
        .col_expr(
            job_run::Column::HeartbeatAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(job_run::Column::JobRunId.eq(job_run_id))
        .filter(job_run::Column::Status.eq(JobState::Interrupted.code()))
        .exec(&txn)
        .await?;
    if queued.rows_affected == 0 {
        let exists = job_run::Entity::find_by_id(job_run_id.to_string())
            .one(&txn)
            .await?
            .is_some();
        return Err(if exists {
            AppError::Conflict("Only an interrupted job can be run again.".into())
        } else {
            AppError::NotFound
        });
    }
    audit::record(
        &txn,
        state.now(),
        &session.actor(),
        Event::new("job.run_again").on("job_run", job_run_id),
    )
    .await?;
    txn.commit().await?;
    state.jobs.wake.notify_one();
    Ok(())
}
