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

use generated::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Existing table (access migration); Organization.csv adds two columns.
#[derive(DeriveIden)]
enum Organizations {
    Table,
    OrganizationId,
    /// 2.01 OrganizationCommonName.
    OrganizationCommonName,
    /// HUD UserID of the record (5.07); no foreign key, like every `created_by`.
    CreatedBy,
}

#[derive(DeriveIden)]
enum Users {
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
const SYSTEM_USER_ID: &str = "hearth-system";

/// Record metadata shared by the local tables.
#[derive(DeriveIden)]
enum Meta {
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    DateDeleted,
}

/// The "master assessment": one data collection (entry 1, update 2, exit 3, annual 5,
/// post-exit 6) of one enrollment on one date. The HUD stage rows (income, health/DV,
/// disabilities, employment/education, youth education) hang off it.
#[derive(DeriveIden)]
enum AssessmentEvents {
    Table,
    AssessmentEventId,
    EnrollmentId,
    PersonalId,
    DataCollectionStage,
    InformationDate,
}

/// The local list of reasons for leaving, chosen on an exit.
#[derive(DeriveIden)]
enum ExitReasons {
    Table,
    ExitReasonId,
    Name,
    /// Set by Hearth itself (Administrative Exit, Auto Exit): not editable, not offered.
    IsSystem,
    SortOrder,
    Active,
}

#[derive(DeriveIden)]
enum CaseAssignments {
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
enum ClientContacts {
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
enum EmergencyContacts {
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
enum ResidenceHistory {
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
enum OutreachInfo {
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
enum ClientNotes {
    Table,
    ClientNoteId,
    PersonalId,
    OrganizationId,
    NoteDate,
    Note,
}

#[derive(DeriveIden)]
enum WorkflowDrafts {
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
enum JobRuns {
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

/// Every index this migration makes, except the unique ones made with their tables.
fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        index(
            "ix_projects_organization",
            Projects::Table,
            vec![Projects::OrganizationId.into_iden()],
        ),
        index(
            "ix_funders_project",
            Funders::Table,
            vec![Funders::ProjectId.into_iden()],
        ),
        index(
            "ix_project_cocs_project",
            ProjectCocs::Table,
            vec![ProjectCocs::ProjectId.into_iden()],
        ),
        index(
            "ix_inventories_project",
            Inventories::Table,
            vec![Inventories::ProjectId.into_iden()],
        ),
        index(
            "ix_affiliations_project",
            Affiliations::Table,
            vec![Affiliations::ProjectId.into_iden()],
        ),
        index(
            "ix_hmis_participations_project",
            HmisParticipations::Table,
            vec![HmisParticipations::ProjectId.into_iden()],
        ),
        index(
            "ix_ce_participations_project",
            CeParticipations::Table,
            vec![CeParticipations::ProjectId.into_iden()],
        ),
        // Dedup search: first three letters of last + first name, DOB, SSN last four.
        index(
            "ix_clients_name_keys",
            Clients::Table,
            vec![
                Clients::LastNameKey.into_iden(),
                Clients::FirstNameKey.into_iden(),
            ],
        ),
        index(
            "ix_clients_first_name_key",
            Clients::Table,
            vec![Clients::FirstNameKey.into_iden()],
        ),
        index("ix_clients_dob", Clients::Table, vec![Clients::Dob.into_iden()]),
        index(
            "ix_clients_ssn_last4",
            Clients::Table,
            vec![Clients::SsnLast4.into_iden()],
        ),
        index(
            "ix_enrollments_personal",
            Enrollments::Table,
            vec![Enrollments::PersonalId.into_iden()],
        ),
        // Also serves "enrollments of a project" (open ones: anti-join on exits).
        index(
            "ix_enrollments_project_entry",
            Enrollments::Table,
            vec![
                Enrollments::ProjectId.into_iden(),
                Enrollments::EntryDate.into_iden(),
            ],
        ),
        index(
            "ix_enrollments_household",
            Enrollments::Table,
            vec![Enrollments::HouseholdId.into_iden()],
        ),
        index(
            "ix_assessment_events_enrollment_stage_date",
            AssessmentEvents::Table,
            vec![
                AssessmentEvents::EnrollmentId.into_iden(),
                AssessmentEvents::DataCollectionStage.into_iden(),
                AssessmentEvents::InformationDate.into_iden(),
            ],
        ),
        index(
            "ix_income_benefits_assessment_event",
            IncomeBenefits::Table,
            vec![IncomeBenefits::AssessmentEventId.into_iden()],
        ),
        index(
            "ix_income_benefits_enrollment",
            IncomeBenefits::Table,
            vec![IncomeBenefits::EnrollmentId.into_iden()],
        ),
        index(
            "ix_health_and_dvs_assessment_event",
            HealthAndDvs::Table,
            vec![HealthAndDvs::AssessmentEventId.into_iden()],
        ),
        index(
            "ix_health_and_dvs_enrollment",
            HealthAndDvs::Table,
            vec![HealthAndDvs::EnrollmentId.into_iden()],
        ),
        index(
            "ix_disabilities_assessment_event",
            Disabilities::Table,
            vec![Disabilities::AssessmentEventId.into_iden()],
        ),
        index(
            "ix_disabilities_enrollment",
            Disabilities::Table,
            vec![Disabilities::EnrollmentId.into_iden()],
        ),
        index(
            "ix_employment_educations_assessment_event",
            EmploymentEducations::Table,
            vec![EmploymentEducations::AssessmentEventId.into_iden()],
        ),
        index(
            "ix_employment_educations_enrollment",
            EmploymentEducations::Table,
            vec![EmploymentEducations::EnrollmentId.into_iden()],
        ),
        index(
            "ix_youth_education_statuses_assessment_event",
            YouthEducationStatuses::Table,
            vec![YouthEducationStatuses::AssessmentEventId.into_iden()],
        ),
        index(
            "ix_youth_education_statuses_enrollment",
            YouthEducationStatuses::Table,
            vec![YouthEducationStatuses::EnrollmentId.into_iden()],
        ),
        index(
            "ix_services_enrollment_date",
            Services::Table,
            vec![
                Services::EnrollmentId.into_iden(),
                Services::DateProvided.into_iden(),
            ],
        ),
        index(
            "ix_services_personal",
            Services::Table,
            vec![Services::PersonalId.into_iden()],
        ),
        index(
            "ix_current_living_situations_enrollment_date",
            CurrentLivingSituations::Table,
            vec![
                CurrentLivingSituations::EnrollmentId.into_iden(),
                CurrentLivingSituations::InformationDate.into_iden(),
            ],
        ),
        index(
            "ix_assessments_enrollment",
            Assessments::Table,
            vec![Assessments::EnrollmentId.into_iden()],
        ),
        index(
            "ix_assessments_personal",
            Assessments::Table,
            vec![Assessments::PersonalId.into_iden()],
        ),
        index(
            "ix_assessment_questions_assessment",
            AssessmentQuestions::Table,
            vec![AssessmentQuestions::AssessmentId.into_iden()],
        ),
        index(
            "ix_assessment_results_assessment",
            AssessmentResults::Table,
            vec![AssessmentResults::AssessmentId.into_iden()],
        ),
        index(
            "ix_events_enrollment",
            Events::Table,
            vec![Events::EnrollmentId.into_iden()],
        ),
        index(
            "ix_events_personal",
            Events::Table,
            vec![Events::PersonalId.into_iden()],
        ),
        index(
            "ix_case_assignments_personal",
            CaseAssignments::Table,
            vec![CaseAssignments::PersonalId.into_iden()],
        ),
        index(
            "ix_case_assignments_user",
            CaseAssignments::Table,
            vec![CaseAssignments::UserId.into_iden()],
        ),
        index(
            "ix_client_contacts_personal",
            ClientContacts::Table,
            vec![ClientContacts::PersonalId.into_iden()],
        ),
        index(
            "ix_emergency_contacts_personal",
            EmergencyContacts::Table,
            vec![EmergencyContacts::PersonalId.into_iden()],
        ),
        index(
            "ix_residence_history_personal",
            ResidenceHistory::Table,
            vec![ResidenceHistory::PersonalId.into_iden()],
        ),
        index(
            "ix_outreach_info_personal",
            OutreachInfo::Table,
            vec![OutreachInfo::PersonalId.into_iden()],
        ),
        index(
            "ix_client_notes_personal",
            ClientNotes::Table,
            vec![ClientNotes::PersonalId.into_iden()],
        ),
        index(
            "ix_workflow_drafts_user",
            WorkflowDrafts::Table,
            vec![WorkflowDrafts::UserId.into_iden()],
        ),
        index(
            "ix_workflow_drafts_personal",
            WorkflowDrafts::Table,
            vec![WorkflowDrafts::PersonalId.into_iden()],
        ),
        index(
            "ix_job_runs_kind_started",
            JobRuns::Table,
            vec![JobRuns::Kind.into_iden(), JobRuns::StartedAt.into_iden()],
        ),
    ]
}

/// The tables this migration creates, in creation order (dropped in reverse).
fn tables() -> Vec<TableCreateStatement> {
    let org = |column: DynIden| fk(column, Organizations::Table, Organizations::OrganizationId);
    let client = |column: DynIden| fk(column, Clients::Table, Clients::PersonalId);
    let project = |column: DynIden| fk(column, Projects::Table, Projects::ProjectId);
    let event = |column: DynIden| {
        fk(
            column,
            AssessmentEvents::Table,
            AssessmentEvents::AssessmentEventId,
        )
    };
    vec![
        table(
            ExitReasons::Table,
            vec![
                string_len(ExitReasons::ExitReasonId, 32).primary_key().take(),
                string_len_uniq(ExitReasons::Name, 100),
                boolean(ExitReasons::IsSystem).default(false).take(),
                integer(ExitReasons::SortOrder).default(0).take(),
                boolean(ExitReasons::Active).default(true).take(),
            ],
            vec![],
        ),
        table(
            Projects::Table,
            projects(),
            vec![org(Projects::OrganizationId.into_iden())],
        ),
        table(
            Funders::Table,
            funders(),
            vec![project(Funders::ProjectId.into_iden())],
        ),
        table(
            ProjectCocs::Table,
            project_cocs(),
            vec![project(ProjectCocs::ProjectId.into_iden())],
        ),
        table(
            Inventories::Table,
            inventories(),
            vec![project(Inventories::ProjectId.into_iden())],
        ),
        // ResProjectID names a residential project that may not be in this HMIS: no FK.
        table(
            Affiliations::Table,
            affiliations(),
            vec![project(Affiliations::ProjectId.into_iden())],
        ),
        table(
            HmisParticipations::Table,
            hmis_participations(),
            vec![project(HmisParticipations::ProjectId.into_iden())],
        ),
        table(
            CeParticipations::Table,
            ce_participations(),
            vec![project(CeParticipations::ProjectId.into_iden())],
        ),
        table(Clients::Table, clients(), vec![]),
        table(
            Enrollments::Table,
            enrollments(),
            vec![
                client(Enrollments::PersonalId.into_iden()),
                project(Enrollments::ProjectId.into_iden()),
            ],
        ),
        table(
            AssessmentEvents::Table,
            [
                vec![
                    string_len(AssessmentEvents::AssessmentEventId, 32)
                        .primary_key()
                        .take(),
                    string_len(AssessmentEvents::EnrollmentId, 32),
                    string_len(AssessmentEvents::PersonalId, 32),
                    integer(AssessmentEvents::DataCollectionStage),
                    date(AssessmentEvents::InformationDate),
                ],
                metadata(true),
            ]
            .concat(),
            vec![to_enrollment(AssessmentEvents::EnrollmentId)],
        ),
        table(
            Exits::Table,
            exits(),
            vec![
                to_enrollment(Exits::EnrollmentId),
                fk(Exits::ExitReasonId, ExitReasons::Table, ExitReasons::ExitReasonId),
            ],
        ),
        // The stage rows keep the spec's InformationDate and DataCollectionStage next to
        // assessment_event_id: the app writes them equal to the event's, while imported
        // files may disagree and are stored as they are.
        table(
            IncomeBenefits::Table,
            income_benefits(),
            vec![
                to_enrollment(IncomeBenefits::EnrollmentId),
                event(IncomeBenefits::AssessmentEventId.into_iden()),
            ],
        ),
        table(
            HealthAndDvs::Table,
            health_and_dvs(),
            vec![
                to_enrollment(HealthAndDvs::EnrollmentId),
                event(HealthAndDvs::AssessmentEventId.into_iden()),
            ],
        ),
        table(
            Disabilities::Table,
            disabilities(),
            vec![
                to_enrollment(Disabilities::EnrollmentId),
                event(Disabilities::AssessmentEventId.into_iden()),
            ],
        ),
        table(
            EmploymentEducations::Table,
            employment_educations(),
            vec![
                to_enrollment(EmploymentEducations::EnrollmentId),
                event(EmploymentEducations::AssessmentEventId.into_iden()),
            ],
        ),
        table(
            YouthEducationStatuses::Table,
            youth_education_statuses(),
            vec![
                to_enrollment(YouthEducationStatuses::EnrollmentId),
                event(YouthEducationStatuses::AssessmentEventId.into_iden()),
            ],
        ),
        table(
            Services::Table,
            services(),
            vec![to_enrollment(Services::EnrollmentId)],
        ),
        table(
            CurrentLivingSituations::Table,
            current_living_situations(),
            vec![to_enrollment(CurrentLivingSituations::EnrollmentId)],
        ),
        table(
            Assessments::Table,
            assessments(),
            vec![to_enrollment(Assessments::EnrollmentId)],
        ),
        // AssessmentID is not marked FK in the spec (questions/results are optional,
        // locally defined): indexed, not enforced.
        table(
            AssessmentQuestions::Table,
            assessment_questions(),
            vec![to_enrollment(AssessmentQuestions::EnrollmentId)],
        ),
        table(
            AssessmentResults::Table,
            assessment_results(),
            vec![to_enrollment(AssessmentResults::EnrollmentId)],
        ),
        table(Events::Table, events(), vec![to_enrollment(Events::EnrollmentId)]),
        table(
            CaseAssignments::Table,
            [
                vec![
                    string_len(CaseAssignments::CaseAssignmentId, 32)
                        .primary_key()
                        .take(),
                    string_len(CaseAssignments::PersonalId, 32),
                    string_len_null(CaseAssignments::EnrollmentId, 32),
                    string_len(CaseAssignments::UserId, 32),
                    string_len(CaseAssignments::OrganizationId, 32),
                    date(CaseAssignments::StartDate),
                    date_null(CaseAssignments::EndDate),
                ],
                metadata(false),
            ]
            .concat(),
            vec![
                client(CaseAssignments::PersonalId.into_iden()),
                to_enrollment(CaseAssignments::EnrollmentId),
                fk(CaseAssignments::UserId, Users::Table, Users::UserId),
                org(CaseAssignments::OrganizationId.into_iden()),
            ],
        ),
        table(
            ClientContacts::Table,
            [
                vec![
                    string_len(ClientContacts::ClientContactId, 32)
                        .primary_key()
                        .take(),
                    string_len(ClientContacts::PersonalId, 32),
                    string_len(ClientContacts::OrganizationId, 32),
                    string_len_null(ClientContacts::Phone, 20),
                    string_len_null(ClientContacts::AltPhone, 20),
                    string_len_null(ClientContacts::Email, 320),
                    string_len_null(ClientContacts::Address1, 100),
                    string_len_null(ClientContacts::Address2, 100),
                    string_len_null(ClientContacts::City, 50),
                    string_len_null(ClientContacts::State, 2),
                    string_len_null(ClientContacts::Zip, 10),
                    // phone, text, email, mail, in_person
                    string_len_null(ClientContacts::PreferredContact, 16),
                    boolean_null(ClientContacts::OkToLeaveMessage),
                ],
                metadata(true),
            ]
            .concat(),
            vec![
                client(ClientContacts::PersonalId.into_iden()),
                org(ClientContacts::OrganizationId.into_iden()),
            ],
        ),
        table(
            EmergencyContacts::Table,
            [
                vec![
                    string_len(EmergencyContacts::EmergencyContactId, 32)
                        .primary_key()
                        .take(),
                    string_len(EmergencyContacts::PersonalId, 32),
                    string_len(EmergencyContacts::OrganizationId, 32),
                    string_len(EmergencyContacts::Name, 100),
                    string_len_null(EmergencyContacts::Relationship, 50),
                    string_len_null(EmergencyContacts::Phone, 20),
                    string_len_null(EmergencyContacts::Email, 320),
                    text_null(EmergencyContacts::Notes),
                ],
                metadata(true),
            ]
            .concat(),
            vec![
                client(EmergencyContacts::PersonalId.into_iden()),
                org(EmergencyContacts::OrganizationId.into_iden()),
            ],
        ),
        table(
            ResidenceHistory::Table,
            [
                vec![
                    string_len(ResidenceHistory::ResidenceHistoryId, 32)
                        .primary_key()
                        .take(),
                    string_len(ResidenceHistory::PersonalId, 32),
                    string_len(ResidenceHistory::OrganizationId, 32),
                    string_len_null(ResidenceHistory::Address1, 100),
                    string_len_null(ResidenceHistory::Address2, 100),
                    string_len_null(ResidenceHistory::City, 50),
                    string_len_null(ResidenceHistory::State, 2),
                    string_len_null(ResidenceHistory::Zip, 10),
                    // A 3.917 living-situation code.
                    integer_null(ResidenceHistory::LivingSituation),
                    date_null(ResidenceHistory::FromDate),
                    date_null(ResidenceHistory::ToDate),
                    text_null(ResidenceHistory::Notes),
                ],
                metadata(true),
            ]
            .concat(),
            vec![
                client(ResidenceHistory::PersonalId.into_iden()),
                org(ResidenceHistory::OrganizationId.into_iden()),
            ],
        ),
        table(
            OutreachInfo::Table,
            [
                vec![
                    string_len(OutreachInfo::OutreachInfoId, 32).primary_key().take(),
                    string_len(OutreachInfo::PersonalId, 32),
                    string_len(OutreachInfo::OrganizationId, 32),
                    string_len_null(OutreachInfo::LastKnownLocation, 250),
                    date_null(OutreachInfo::LastSeenDate),
                    string_len_null(OutreachInfo::BestTimeToFind, 100),
                    text_null(OutreachInfo::OutreachWorkerNotes),
                ],
                metadata(true),
            ]
            .concat(),
            vec![
                client(OutreachInfo::PersonalId.into_iden()),
                org(OutreachInfo::OrganizationId.into_iden()),
            ],
        ),
        table(
            ClientNotes::Table,
            [
                vec![
                    string_len(ClientNotes::ClientNoteId, 32).primary_key().take(),
                    string_len(ClientNotes::PersonalId, 32),
                    string_len(ClientNotes::OrganizationId, 32),
                    date(ClientNotes::NoteDate),
                    text(ClientNotes::Note),
                ],
                metadata(true),
            ]
            .concat(),
            vec![
                client(ClientNotes::PersonalId.into_iden()),
                org(ClientNotes::OrganizationId.into_iden()),
            ],
        ),
        table(
            WorkflowDrafts::Table,
            vec![
                string_len(WorkflowDrafts::DraftId, 32).primary_key().take(),
                string_len(WorkflowDrafts::Kind, 32),
                string_len(WorkflowDrafts::UserId, 32),
                string_len(WorkflowDrafts::OrganizationId, 32),
                // No FKs: a draft may name a client or enrollment that "Finish" creates.
                string_len_null(WorkflowDrafts::PersonalId, 32),
                string_len_null(WorkflowDrafts::EnrollmentId, 32),
                string_len_null(WorkflowDrafts::HouseholdId, 32),
                string_len(WorkflowDrafts::Step, 64),
                text(WorkflowDrafts::Payload),
                timestamp_with_time_zone(WorkflowDrafts::CreatedAt),
                timestamp_with_time_zone(WorkflowDrafts::UpdatedAt),
            ],
            vec![
                fk(WorkflowDrafts::UserId, Users::Table, Users::UserId),
                org(WorkflowDrafts::OrganizationId.into_iden()),
            ],
        ),
        table(
            JobRuns::Table,
            vec![
                string_len(JobRuns::JobRunId, 32).primary_key().take(),
                string_len(JobRuns::Kind, 32),
                string_len(JobRuns::Status, 16),
                timestamp_with_time_zone(JobRuns::StartedAt),
                timestamp_with_time_zone_null(JobRuns::FinishedAt),
                integer(JobRuns::Progress).default(0).take(),
                integer_null(JobRuns::Total),
                text_null(JobRuns::Message),
                string_len_null(JobRuns::CreatedBy, 32),
                text_null(JobRuns::Params),
                text_null(JobRuns::Result),
            ],
            vec![],
        ),
    ]
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
