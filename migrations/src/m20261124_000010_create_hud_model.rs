//! The HUD data model (HMIS CSV FY2026) and the local tables around it.
//!
//! The HUD tables' columns come from `generated.rs`, made by `scripts/gen-hud-model.py`
//! from the project's copy of the spec (`server/src/hmis_csv/spec`); the script also
//! writes `columns.csv`, the CSV column → database column map the exporter and importer
//! use. This file is hand-written: the organizations columns Organization.csv needs, foreign
//! keys, indexes, the local tables and the seeded exit reasons.
//!
//! HUD data is soft-deleted (`date_deleted`): no foreign key cascades on it. The importer
//! must take real-world data as it is (two heads in one household, overlapping
//! enrollments, an exit before the entry), so there are no check constraints and no unique
//! indexes beyond the primary keys and one live exit per enrollment.

mod generated;
mod idents;
mod indexes;
mod tables;

use generated::*;
use idents::{ExitReasons, Meta, Organizations, SYSTEM_USER_ID, Users};
use indexes::indexes;
use sea_orm_migration::{prelude::*, schema::*};
use tables::tables;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The seeded exit reasons: (id, name, is_system, sort_order). The IDs never change:
/// `app::db::entities::exit_reason` names the system ones.
#[rustfmt::skip]
const EXIT_REASONS: [(&str, &str, bool, i32); 11] = [
    ("exitreason0000000000000000000001", "Administrative Exit", true, 900),
    ("exitreason0000000000000000000002", "Auto Exit", true, 910),
    ("exitreason0000000000000000000003", "Completed program", false, 10),
    ("exitreason0000000000000000000004", "Left for housing opportunity", false, 20),
    ("exitreason0000000000000000000005", "Non-compliance with program", false, 30),
    ("exitreason0000000000000000000006", "Reached maximum time allowed", false, 40),
    ("exitreason0000000000000000000007", "Disagreement with rules/persons", false, 50),
    ("exitreason0000000000000000000008", "Criminal activity / violence", false, 60),
    ("exitreason0000000000000000000009", "Death", false, 70),
    ("exitreason0000000000000000000010", "Unknown/disappeared", false, 80),
    ("exitreason0000000000000000000011", "Other", false, 90),
];

/// created_at, updated_at, created_by (and date_deleted when `soft_delete`).
fn metadata(soft_delete: bool) -> Vec<ColumnDef> {
    let mut columns = vec![
        timestamp_with_time_zone(Meta::CreatedAt),
        timestamp_with_time_zone(Meta::UpdatedAt),
        string_len_null(Meta::CreatedBy, 32),
    ];
    if soft_delete {
        columns.push(timestamp_with_time_zone_null(Meta::DateDeleted));
    }
    columns
}

/// A CREATE TABLE with `columns` and the foreign keys `references`:
/// (column, referenced table, referenced column).
fn table<T: IntoIden>(
    name: T,
    columns: Vec<ColumnDef>,
    references: Vec<(DynIden, DynIden, DynIden)>,
) -> TableCreateStatement {
    let name = name.into_iden();
    let mut statement = Table::create();
    statement.table(name.clone());
    for column in columns {
        statement.col(column);
    }
    for (column, to_table, to_column) in references {
        statement.foreign_key(
            ForeignKey::create()
                .from(name.clone(), column)
                .to(to_table, to_column),
        );
    }
    statement.take()
}

/// A foreign key: (column, referenced table, referenced column).
fn fk(
    column: impl IntoIden,
    to_table: impl IntoIden,
    to_column: impl IntoIden,
) -> (DynIden, DynIden, DynIden) {
    (column.into_iden(), to_table.into_iden(), to_column.into_iden())
}

/// The enrollment foreign key every enrollment-level HUD table has.
fn to_enrollment(column: impl IntoIden) -> (DynIden, DynIden, DynIden) {
    fk(column, Enrollments::Table, Enrollments::EnrollmentId)
}

/// A plain (non-unique) index.
fn index(name: &str, table: impl IntoIden, columns: Vec<DynIden>) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column);
    }
    statement.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for mut column in [
            string_len_null(Organizations::OrganizationCommonName, 200),
            string_len_null(Organizations::CreatedBy, 32),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organizations::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        for statement in tables() {
            manager.create_table(statement).await?;
        }
        // One exit per enrollment. Soft-deleted exits (a re-entered enrollment, a delta
        // import's DateDeleted rows) do not count, so the index is partial.
        manager
            .create_index(
                Index::create()
                    .name("ux_exits_enrollment_live")
                    .table(Exits::Table)
                    .col(Exits::EnrollmentId)
                    .unique()
                    .and_where(Expr::col(Exits::DateDeleted).is_null())
                    .to_owned(),
            )
            .await?;
        // The plain index serves joins that do not filter out deleted exits.
        manager
            .create_index(index(
                "ix_exits_enrollment",
                Exits::Table,
                vec![Exits::EnrollmentId.into_iden()],
            ))
            .await?;
        for statement in indexes() {
            manager.create_index(statement).await?;
        }
        let mut insert = Query::insert();
        insert.into_table(ExitReasons::Table).columns([
            ExitReasons::ExitReasonId,
            ExitReasons::Name,
            ExitReasons::IsSystem,
            ExitReasons::SortOrder,
            ExitReasons::Active,
        ]);
        for (id, name, is_system, sort_order) in EXIT_REASONS {
            insert
                .values([
                    id.into(),
                    name.into(),
                    is_system.into(),
                    sort_order.into(),
                    true.into(),
                ])
                .map_err(|e| DbErr::Migration(format!("exit reason {name}: {e}")))?;
        }
        manager.exec_stmt(insert).await?;
        let mut system = Query::insert();
        system
            .into_table(Users::Table)
            .columns([
                Users::UserId,
                Users::Username,
                Users::FirstName,
                Users::LastName,
                Users::PasswordHash,
                Users::IsActive,
                Users::MustChangePassword,
                Users::FailedLogins,
                Users::CreatedAt,
                Users::UpdatedAt,
            ])
            .values([
                SYSTEM_USER_ID.into(),
                SYSTEM_USER_ID.into(),
                "Hearth".into(),
                "System".into(),
                // Not a password hash: nothing verifies against it.
                "!".into(),
                false.into(),
                false.into(),
                0.into(),
                Expr::current_timestamp(),
                Expr::current_timestamp(),
            ])
            .map_err(|e| DbErr::Migration(format!("system user: {e}")))?;
        manager.exec_stmt(system).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Users::Table)
                    .and_where(Expr::col(Users::UserId).eq(SYSTEM_USER_ID))
                    .to_owned(),
            )
            .await?;
        // Dropping a table drops its indexes.
        for statement in tables().into_iter().rev() {
            let Some(name) = statement.get_table_name() else {
                continue;
            };
            manager
                .drop_table(Table::drop().table(name.clone()).to_owned())
                .await?;
        }
        for column in [Organizations::CreatedBy, Organizations::OrganizationCommonName] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organizations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
