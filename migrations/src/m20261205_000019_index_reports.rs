//! Indexes the two whole-organization reports need at a Continuum of Care's size
//! (issue 21): the data-quality report's per-enrollment checks (income at entry and
//! exit, overlapping enrollments, the household's heads) answered from an index alone,
//! and the caseload dashboard's open case assignments by organization. Not a HUD change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[crate::plain_indexes::PlainIndex] = &[
    // An organization's open case assignments (the caseload dashboard).
    (
        "ix_case_assignments_organization_open",
        "case_assignments",
        &["organization_id", "end_date", "user_id"],
    ),
    // A household's heads: how many, their first and last exit, their start (the
    // data-quality checks, missing annuals, the caseloads' annual windows).
    (
        "ix_enrollments_household_head",
        "enrollments",
        &[
            "household_id",
            "relationship_to_hoh",
            "date_deleted",
            "exit_date",
            "entry_date",
        ],
    ),
    // A client's other enrollments in the same project (overlapping enrollments).
    (
        "ix_enrollments_personal_project",
        "enrollments",
        &[
            "personal_id",
            "project_id",
            "entry_date",
            "exit_date",
            "date_deleted",
            "enrollment_id",
        ],
    ),
    // 4.02 Income from any source at entry (1) and exit (3) of an enrollment.
    (
        "ix_income_benefits_enrollment_stage",
        "income_benefits",
        &[
            "enrollment_id",
            "data_collection_stage",
            "date_deleted",
            "income_from_any_source",
        ],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::plain_indexes::create(manager, INDEXES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::plain_indexes::drop(manager, INDEXES).await
    }
}
