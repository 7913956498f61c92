//! The tables the generator fills, the counters their IDs come from, the caseloads
//! filled so far, and the records' timestamps.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};

/// How many tables the generator fills.
pub const TABLES: usize = 15;

/// The tables the generator fills, in insert order (parents before children).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Clients,
    Enrollments,
    CaseAssignments,
    Exits,
    AssessmentEvents,
    IncomeBenefits,
    Disabilities,
    HealthAndDvs,
    EmploymentEducations,
    Services,
    CurrentLivingSituations,
    Assessments,
    AssessmentQuestions,
    AssessmentResults,
    Events,
}

impl Table {
    pub const ALL: [Table; TABLES] = [
        Table::Clients,
        Table::Enrollments,
        Table::CaseAssignments,
        Table::Exits,
        Table::AssessmentEvents,
        Table::IncomeBenefits,
        Table::Disabilities,
        Table::HealthAndDvs,
        Table::EmploymentEducations,
        Table::Services,
        Table::CurrentLivingSituations,
        Table::Assessments,
        Table::AssessmentQuestions,
        Table::AssessmentResults,
        Table::Events,
    ];

    /// The database table name.
    pub fn name(self) -> &'static str {
        match self {
            Table::Clients => "clients",
            Table::Enrollments => "enrollments",
            Table::CaseAssignments => "case_assignments",
            Table::Exits => "exits",
            Table::AssessmentEvents => "assessment_events",
            Table::IncomeBenefits => "income_benefits",
            Table::Disabilities => "disabilities",
            Table::HealthAndDvs => "health_and_dvs",
            Table::EmploymentEducations => "employment_educations",
            Table::Services => "services",
            Table::CurrentLivingSituations => "current_living_situations",
            Table::Assessments => "assessments",
            Table::AssessmentQuestions => "assessment_questions",
            Table::AssessmentResults => "assessment_results",
            Table::Events => "events",
        }
    }
}

/// The ID kinds: one counter each.
#[derive(Clone, Copy)]
pub(super) enum IdKind {
    Client = 1,
    Household,
    Enrollment,
    Exit,
    AssessmentEvent,
    IncomeBenefit,
    Disability,
    HealthAndDv,
    EmploymentEducation,
    Service,
    CurrentLivingSituation,
    Assessment,
    Event,
    CaseAssignment,
    AssessmentQuestion,
    AssessmentResult,
}

/// The most households one case manager carries in one organization: a caseload a
/// person can hold, however many clients are generated (the first households
/// assigned fill it; the others are nobody's case).
pub const CASELOAD_HOUSEHOLDS: u32 = 40;

/// Per-kind counters, and the households on each case manager's caseload so far. An ID
/// is `de` (demo), the kind as two hex digits and the counter as 28: `de01000…0001` is
/// the first client. UUID v7 IDs the app makes start with the time (`019…`), so they
/// never meet these.
#[derive(Default)]
pub struct Ids {
    counters: [u64; 17],
    /// Households per case manager (an index into `World::case_managers`).
    caseloads: Vec<u32>,
}

impl Ids {
    pub(super) fn next(&mut self, kind: IdKind) -> String {
        let counter = &mut self.counters[kind as usize];
        *counter += 1;
        format!("de{:02x}{:028x}", kind as u8, *counter)
    }

    /// Takes a household onto case manager `case_manager`'s caseload, if it has room.
    pub(super) fn take_case(&mut self, case_manager: usize) -> bool {
        if self.caseloads.len() <= case_manager {
            self.caseloads.resize(case_manager + 1, 0);
        }
        let load = &mut self.caseloads[case_manager];
        let room = *load < CASELOAD_HOUSEHOLDS;
        if room {
            *load += 1;
        }
        room
    }
}

/// Record timestamps (5.01 DateCreated, 5.02 DateUpdated): the record's date during
/// office hours in the central US (14:00-22:00 UTC), varied by a counter, so they are
/// deterministic too.
pub(super) fn stamp(date: NaiveDate, n: u64) -> DateTime<Utc> {
    let afternoon = NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default();
    let minutes = i64::try_from(n.wrapping_mul(37) % 480).unwrap_or(0);
    date.and_time(afternoon).and_utc() + TimeDelta::minutes(minutes)
}
