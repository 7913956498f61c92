//! One run of a long job (export, import, auto-exit, bulk admin exit): its status and
//! progress, so a user can leave the page and come back.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_runs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job_run_id: String,
    pub kind: String,
    pub status: String,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub progress: i32,
    pub total: Option<i32>,
    pub message: Option<String>,
    pub created_by: Option<String>,
    /// What the job was asked to do (JSON).
    pub params: Option<String>,
    /// What it found (JSON), e.g. an import's problems.
    pub result: Option<String>,
    /// The worker (one per server process) running it.
    pub worker: Option<String>,
    /// When that worker last said it is still running it.
    pub heartbeat_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
