//! Security and crash safety (issue 20). `sign_in_limits` counts sign-in attempts per
//! client address in one atomic statement (the audit log cannot: parallel attempts all
//! read the same count). `job_runs` gains the worker that runs a job and its heartbeat,
//! so a job whose worker died (`kill -9`, a crashed server) is seen as interrupted.
//! Not HUD tables.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignInLimits {
    Table,
    Ip,
    WindowStart,
    Attempts,
}

#[derive(DeriveIden)]
enum JobRuns {
    Table,
    Worker,
    HeartbeatAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SignInLimits::Table)
                    // An IPv6 address is at most 45 characters.
                    .col(string_len(SignInLimits::Ip, 64).primary_key())
                    .col(timestamp_with_time_zone(SignInLimits::WindowStart))
                    .col(integer(SignInLimits::Attempts))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(JobRuns::Table)
                    .add_column(string_len_null(JobRuns::Worker, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(JobRuns::Table)
                    .add_column(timestamp_with_time_zone_null(JobRuns::HeartbeatAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [JobRuns::HeartbeatAt, JobRuns::Worker] {
            manager
                .alter_table(
                    Table::alter()
                        .table(JobRuns::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(SignInLimits::Table).to_owned())
            .await
    }
}
