//! One finding of an import job's report: a cell or row of the uploaded export that
//! breaks the HMIS CSV specification, and what the import did about it. Written once,
//! when the job ends; removed with its job.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_findings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job_run_id: String,
    /// Its place in the job's report (0, 1, …).
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// The CSV file (`Client.csv`).
    pub file: String,
    /// The line in the file (1 is the header).
    pub line: i64,
    pub column_name: Option<String>,
    /// The value as read.
    pub value: Option<String>,
    /// `FindingKind::as_str`.
    pub kind: String,
    /// `FindingAction::as_str`.
    pub action: String,
    pub message: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
