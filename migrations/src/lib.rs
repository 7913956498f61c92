//! Hearth's schema, one file per change (`mYYYYMMDD_HHMMSS_verb_noun.rs`).
//! Every migration runs on SQLite and PostgreSQL; `tests/` proves it on both.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_settings;
mod m20261124_000002_create_access;
mod m20261124_000003_add_second_factor;
mod m20261124_000010_create_hud_model;
mod m20261130_000011_add_session_location;
mod m20261130_000012_add_enrollment_exit_date;
mod m20261130_000013_create_coordinated_entry;
mod m20261130_000014_create_sweep_locks;
mod m20261130_000015_add_ce_priority_open;
mod m20261201_000016_index_exits_by_method;
mod m20261205_000017_harden_sign_in_and_jobs;
mod m20261205_000018_index_for_scale;
mod m20261205_000019_index_reports;
mod m20261206_000020_import_findings_and_user_contact;
mod m20261206_000021_import_sources;
mod m20261207_000022_rank_priority_in_index_order;
mod m20261208_000023_keep_annual_due;
mod m20261209_000024_keep_dq_facts;
mod m20261210_000025_cover_sweep_reads;
mod m20261211_000026_retired_elements;
mod m20261212_000027_short_client_id;
mod plain_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_settings::Migration),
            Box::new(m20261124_000002_create_access::Migration),
            Box::new(m20261124_000003_add_second_factor::Migration),
            Box::new(m20261124_000010_create_hud_model::Migration),
            Box::new(m20261130_000011_add_session_location::Migration),
            Box::new(m20261130_000012_add_enrollment_exit_date::Migration),
            Box::new(m20261130_000013_create_coordinated_entry::Migration),
            Box::new(m20261130_000014_create_sweep_locks::Migration),
            Box::new(m20261130_000015_add_ce_priority_open::Migration),
            Box::new(m20261201_000016_index_exits_by_method::Migration),
            Box::new(m20261205_000017_harden_sign_in_and_jobs::Migration),
            Box::new(m20261205_000018_index_for_scale::Migration),
            Box::new(m20261205_000019_index_reports::Migration),
            Box::new(m20261206_000020_import_findings_and_user_contact::Migration),
            Box::new(m20261206_000021_import_sources::Migration),
            Box::new(m20261207_000022_rank_priority_in_index_order::Migration),
            Box::new(m20261208_000023_keep_annual_due::Migration),
            Box::new(m20261209_000024_keep_dq_facts::Migration),
            Box::new(m20261210_000025_cover_sweep_reads::Migration),
            Box::new(m20261211_000026_retired_elements::Migration),
            Box::new(m20261212_000027_short_client_id::Migration),
        ]
    }
}
