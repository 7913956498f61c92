//! Indexes the hot pages need at a Continuum of Care's size (1,000,000 clients): each
//! found by `server/tests/query_plans.rs`, which fails on a full scan of a large table
//! in the statements of the pages `hearth bench pages` measures. Not a HUD change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[crate::plain_indexes::PlainIndex] = &[
    // A client's stage records, newest last: the dashboard's assessments and every
    // "Default Last" (the member's latest records, whatever the enrollment).
    (
        "ix_assessment_events_personal_date",
        "assessment_events",
        &["personal_id", "information_date"],
    ),
    (
        "ix_income_benefits_personal_date",
        "income_benefits",
        &["personal_id", "information_date"],
    ),
    (
        "ix_health_and_dvs_personal_date",
        "health_and_dvs",
        &["personal_id", "information_date"],
    ),
    (
        "ix_disabilities_personal_date",
        "disabilities",
        &["personal_id", "information_date"],
    ),
    (
        "ix_employment_educations_personal_date",
        "employment_educations",
        &["personal_id", "information_date"],
    ),
    (
        "ix_youth_education_statuses_personal_date",
        "youth_education_statuses",
        &["personal_id", "information_date"],
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
