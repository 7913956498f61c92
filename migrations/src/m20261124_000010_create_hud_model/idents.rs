//! The local tables' columns (the HUD tables' are in `generated.rs`), and the
//! existing tables this migration refers to.

use sea_orm_migration::prelude::*;

/// Existing table (access migration); Organization.csv adds two columns.
#[derive(DeriveIden)]
pub(super) enum Organizations {
    Table,
    OrganizationId,
    /// 2.01 OrganizationCommonName.
    OrganizationCommonName,
    /// HUD UserID of the record (5.07); no foreign key, like every `created_by`.
    CreatedBy,
}

#[derive(DeriveIden)]
pub(super) enum Users {
    Table,
    UserId,
    Username,
    FirstName,
    LastName,
    PasswordHash,
    IsActive,
    MustChangePassword,
    FailedLogins,
    CreatedAt,
    UpdatedAt,
}

/// The UserID of what Hearth records by itself (demo data, jobs, records made before a
/// user was known): an account nobody can sign in to. HUD requires a UserID on every
/// record of the export. Same value as `app::db::SYSTEM_USER_ID`.
pub(super) const SYSTEM_USER_ID: &str = "hearth-system";

/// Record metadata shared by the local tables.
#[derive(DeriveIden)]
pub(super) enum Meta {
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    DateDeleted,
}

/// The "master assessment": one data collection (entry 1, update 2, exit 3, annual 5,
/// post-exit 6) of one enrollment on one date. The HUD stage rows (income, health/DV,
/// disabilities, employment/education, youth education) hang off it.
#[derive(DeriveIden)]
pub(super) enum AssessmentEvents {
    Table,
    AssessmentEventId,
    EnrollmentId,
    PersonalId,
    DataCollectionStage,
    InformationDate,
}

/// The local list of reasons for leaving, chosen on an exit.
#[derive(DeriveIden)]
pub(super) enum ExitReasons {
    Table,
    ExitReasonId,
    Name,
    /// Set by Hearth itself (Administrative Exit, Auto Exit): not editable, not offered.
    IsSystem,
    SortOrder,
    Active,
}

#[derive(DeriveIden)]
pub(super) enum CaseAssignments {
    Table,
    CaseAssignmentId,
    PersonalId,
    EnrollmentId,
    UserId,
    OrganizationId,
    StartDate,
    EndDate,
}

#[derive(DeriveIden)]
pub(super) enum ClientContacts {
    Table,
    ClientContactId,
    PersonalId,
    OrganizationId,
    Phone,
    AltPhone,
    Email,
    Address1,
    Address2,
    City,
    State,
    Zip,
    PreferredContact,
    OkToLeaveMessage,
}

#[derive(DeriveIden)]
pub(super) enum EmergencyContacts {
    Table,
    EmergencyContactId,
    PersonalId,
    OrganizationId,
    Name,
    Relationship,
    Phone,
    Email,
    Notes,
}

#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)] // residence_history_id
pub(super) enum ResidenceHistory {
    Table,
    ResidenceHistoryId,
    PersonalId,
    OrganizationId,
    Address1,
    Address2,
    City,
    State,
    Zip,
    LivingSituation,
    FromDate,
    ToDate,
    Notes,
}

#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)] // outreach_info_id
pub(super) enum OutreachInfo {
    Table,
    OutreachInfoId,
    PersonalId,
    OrganizationId,
    LastKnownLocation,
    LastSeenDate,
    BestTimeToFind,
    OutreachWorkerNotes,
}

#[derive(DeriveIden)]
pub(super) enum ClientNotes {
    Table,
    ClientNoteId,
    PersonalId,
    OrganizationId,
    NoteDate,
    Note,
}

#[derive(DeriveIden)]
pub(super) enum WorkflowDrafts {
    Table,
    DraftId,
    Kind,
    UserId,
    OrganizationId,
    PersonalId,
    EnrollmentId,
    HouseholdId,
    Step,
    Payload,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub(super) enum JobRuns {
    Table,
    JobRunId,
    Kind,
    Status,
    StartedAt,
    FinishedAt,
    Progress,
    Total,
    Message,
    CreatedBy,
    /// What the job was asked to do (JSON), e.g. an export's period and projects.
    Params,
    /// What it found (JSON), e.g. an import's problems.
    Result,
}
