//! Sign-in hardening: the optional TOTP second factor per user (its seed sealed with
//! the data key, never in plain text), sessions that wait for the code, and an index
//! for counting recent failed sign-ins per address.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    /// The enrolled seed, sealed (`crypto::DataKey::seal`).
    TotpSecret,
    /// A seed shown for enrolment, not yet confirmed with a code.
    TotpPendingSecret,
    TotpEnabledAt,
    /// The last 30-second step a code was accepted for: a code works once.
    TotpLastStep,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    /// Password checked, authenticator code still to come: not signed in yet.
    PendingSecondFactor,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Ip,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [
            text_null(Users::TotpSecret),
            text_null(Users::TotpPendingSecret),
            timestamp_with_time_zone_null(Users::TotpEnabledAt),
            big_integer_null(Users::TotpLastStep),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(boolean(Sessions::PendingSecondFactor).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_ip_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::Ip)
                    .col(AuditLog::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_audit_log_ip_at")
                    .table(AuditLog::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::PendingSecondFactor)
                    .to_owned(),
            )
            .await?;
        for column in [
            Users::TotpLastStep,
            Users::TotpEnabledAt,
            Users::TotpPendingSecret,
            Users::TotpSecret,
        ] {
            manager
                .alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
