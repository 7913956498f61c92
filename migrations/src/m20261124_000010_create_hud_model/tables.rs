//! The tables this migration creates, in creation order (dropped in reverse).

use super::generated::*;
use super::idents::{
    AssessmentEvents, CaseAssignments, ClientContacts, ClientNotes, EmergencyContacts, ExitReasons, JobRuns,
    Organizations, OutreachInfo, ResidenceHistory, Users, WorkflowDrafts,
};
use super::{fk, metadata, table, to_enrollment};
use sea_orm_migration::{prelude::*, schema::*};

pub(super) fn tables() -> Vec<TableCreateStatement> {
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
