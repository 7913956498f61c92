//! Access: organizations (HUD 2.01, extended by the data-model migration), users,
//! their access rows (user × organization × workgroup), sessions kept in the database
//! so several servers share them, and the append-only audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    OrganizationId,
    OrganizationName,
    VictimServiceProvider,
    CoordinatedEntry,
    CreatedAt,
    UpdatedAt,
    DateDeleted,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    UserId,
    Username,
    FirstName,
    LastName,
    Email,
    PasswordHash,
    IsActive,
    MustChangePassword,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)] // HUD-style column names: user_access_id
enum UserAccess {
    Table,
    UserAccessId,
    UserId,
    OrganizationId,
    Workgroup,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    SessionId,
    UserId,
    CreatedAt,
    LastSeenAt,
    OrganizationId,
    Workgroup,
    BackDate,
    Ip,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    AuditId,
    At,
    UserId,
    Username,
    Ip,
    OrganizationId,
    Workgroup,
    Action,
    EntityType,
    EntityId,
    PersonalId,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(string_len(Organizations::OrganizationId, 32).primary_key())
                    .col(string_len(Organizations::OrganizationName, 200))
                    .col(boolean(Organizations::VictimServiceProvider).default(false))
                    .col(boolean(Organizations::CoordinatedEntry).default(false))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Organizations::DateDeleted))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(string_len(Users::UserId, 32).primary_key())
                    .col(string_len_uniq(Users::Username, 64))
                    .col(string_len(Users::FirstName, 50))
                    .col(string_len(Users::LastName, 50))
                    .col(string_len_null(Users::Email, 320))
                    .col(string_len(Users::PasswordHash, 200))
                    .col(boolean(Users::IsActive).default(true))
                    .col(boolean(Users::MustChangePassword).default(false))
                    .col(integer(Users::FailedLogins).default(0))
                    .col(timestamp_with_time_zone_null(Users::LockedUntil))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserAccess::Table)
                    .col(string_len(UserAccess::UserAccessId, 32).primary_key())
                    .col(string_len(UserAccess::UserId, 32))
                    .col(string_len(UserAccess::OrganizationId, 32))
                    .col(string_len(UserAccess::Workgroup, 32))
                    .col(timestamp_with_time_zone(UserAccess::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserAccess::Table, UserAccess::UserId)
                            .to(Users::Table, Users::UserId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserAccess::Table, UserAccess::OrganizationId)
                            .to(Organizations::Table, Organizations::OrganizationId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_user_access_user_org_workgroup")
                    .table(UserAccess::Table)
                    .col(UserAccess::UserId)
                    .col(UserAccess::OrganizationId)
                    .col(UserAccess::Workgroup)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    // SHA-256 of the cookie token: a stolen database holds no usable session.
                    .col(string_len(Sessions::SessionId, 64).primary_key())
                    .col(string_len(Sessions::UserId, 32))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(string_len_null(Sessions::OrganizationId, 32))
                    .col(string_len_null(Sessions::Workgroup, 32))
                    .col(date_null(Sessions::BackDate))
                    .col(string_len_null(Sessions::Ip, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::UserId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_user")
                    .table(Sessions::Table)
                    .col(Sessions::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::AuditId))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(string_len_null(AuditLog::UserId, 32))
                    .col(string_len_null(AuditLog::Username, 64))
                    .col(string_len_null(AuditLog::Ip, 64))
                    .col(string_len_null(AuditLog::OrganizationId, 32))
                    .col(string_len_null(AuditLog::Workgroup, 32))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len_null(AuditLog::EntityType, 64))
                    .col(string_len_null(AuditLog::EntityId, 64))
                    .col(string_len_null(AuditLog::PersonalId, 32))
                    .col(text_null(AuditLog::Detail))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_audit_log_at", vec![AuditLog::At]),
            ("ix_audit_log_user_at", vec![AuditLog::UserId, AuditLog::At]),
            (
                "ix_audit_log_personal_at",
                vec![AuditLog::PersonalId, AuditLog::At],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditLog::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            Sessions::Table.into_iden(),
            UserAccess::Table.into_iden(),
            Users::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
