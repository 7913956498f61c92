//! Coordinated Entry: the CoC's local assessment questions (each answer choice worth
//! points; the score is their sum), the priority list entry of each CE enrollment (the
//! latest assessment's score, prioritization status and the facts the list filters and
//! breaks ties on, written with the assessment in one transaction), and which project a
//! referral (a HUD 4.20 event) sends a household to — Event.csv has no column for it.
//! None of these are HUD tables: the HMIS CSV export reads the HUD rows they sit beside.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CeQuestions {
    Table,
    QuestionId,
    Position,
    Question,
    Choices,
    Active,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum CePriority {
    Table,
    EnrollmentId,
    HouseholdId,
    PersonalId,
    AssessmentId,
    AssessmentDate,
    Score,
    Placed,
    HomelessSince,
    HouseholdType,
    Chronic,
    Veteran,
    HeadDob,
    ProjectTypeSought,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CeReferrals {
    Table,
    EventId,
    EnrollmentId,
    PersonalId,
    HouseholdId,
    ProjectId,
    OrganizationId,
    ReferredOn,
    CreatedAt,
    CreatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CeQuestions::Table)
                    .col(string_len(CeQuestions::QuestionId, 32).primary_key())
                    .col(integer(CeQuestions::Position))
                    .col(string_len(CeQuestions::Question, 500))
                    // JSON: [{"label": "...", "points": 3}, ...]
                    .col(text(CeQuestions::Choices))
                    .col(boolean(CeQuestions::Active).default(true))
                    .col(timestamp_with_time_zone(CeQuestions::CreatedAt))
                    .col(timestamp_with_time_zone(CeQuestions::UpdatedAt))
                    .col(string_len_null(CeQuestions::CreatedBy, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CePriority::Table)
                    .col(string_len(CePriority::EnrollmentId, 32).primary_key())
                    .col(string_len(CePriority::HouseholdId, 32))
                    .col(string_len(CePriority::PersonalId, 32))
                    .col(string_len(CePriority::AssessmentId, 32))
                    .col(date(CePriority::AssessmentDate))
                    .col(integer(CePriority::Score))
                    .col(boolean(CePriority::Placed))
                    .col(date_null(CePriority::HomelessSince))
                    .col(integer(CePriority::HouseholdType))
                    .col(boolean(CePriority::Chronic))
                    .col(boolean(CePriority::Veteran))
                    .col(date_null(CePriority::HeadDob))
                    .col(integer_null(CePriority::ProjectTypeSought))
                    .col(timestamp_with_time_zone(CePriority::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // The list's order: score (highest first), then the tie-breakers.
        manager
            .create_index(
                Index::create()
                    .name("ix_ce_priority_rank")
                    .table(CePriority::Table)
                    .col(CePriority::Placed)
                    .col((CePriority::Score, IndexOrder::Desc))
                    .col(CePriority::HomelessSince)
                    .col(CePriority::AssessmentDate)
                    .col(CePriority::EnrollmentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CeReferrals::Table)
                    .col(string_len(CeReferrals::EventId, 32).primary_key())
                    .col(string_len(CeReferrals::EnrollmentId, 32))
                    .col(string_len(CeReferrals::PersonalId, 32))
                    .col(string_len(CeReferrals::HouseholdId, 32))
                    .col(string_len(CeReferrals::ProjectId, 32))
                    .col(string_len(CeReferrals::OrganizationId, 32))
                    .col(date(CeReferrals::ReferredOn))
                    .col(timestamp_with_time_zone(CeReferrals::CreatedAt))
                    .col(string_len_null(CeReferrals::CreatedBy, 32))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "ix_ce_referrals_enrollment",
                [CeReferrals::EnrollmentId, CeReferrals::ReferredOn],
            ),
            (
                "ix_ce_referrals_organization",
                [CeReferrals::OrganizationId, CeReferrals::ReferredOn],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(CeReferrals::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CeReferrals::Table.into_iden(),
            CePriority::Table.into_iden(),
            CeQuestions::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
