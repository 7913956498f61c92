//! Background sweeps (auto-exit) take a named lease in `sweep_locks`, so that with
//! several servers on one database only one sweep runs at a time; a lease whose holder
//! stopped renewing it (a crashed server) can be taken over. Referrals are also found
//! by client, for the sweep's "open CE referral" check. Not HUD tables.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SweepLocks {
    Table,
    Name,
    Holder,
    AcquiredAt,
    RenewedAt,
}

#[derive(DeriveIden)]
enum CeReferrals {
    Table,
    PersonalId,
}

const REFERRALS_BY_CLIENT: &str = "ix_ce_referrals_personal";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SweepLocks::Table)
                    .col(string_len(SweepLocks::Name, 32).primary_key())
                    .col(string_len(SweepLocks::Holder, 32))
                    .col(timestamp_with_time_zone(SweepLocks::AcquiredAt))
                    .col(timestamp_with_time_zone(SweepLocks::RenewedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(REFERRALS_BY_CLIENT)
                    .table(CeReferrals::Table)
                    .col(CeReferrals::PersonalId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(REFERRALS_BY_CLIENT)
                    .table(CeReferrals::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(SweepLocks::Table).to_owned())
            .await
    }
}
