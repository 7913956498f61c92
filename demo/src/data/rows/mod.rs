//! Households to table rows: the entity models of one transaction's worth of
//! households, with IDs from per-table counters (deterministic, 32 lowercase hex
//! digits, so valid HUD S32 IDs).

mod income;
#[cfg(test)]
mod tests;

use app::crypto::DataKey;
use app::db::entities::{
    assessment, assessment_event, client, current_living_situation, disability, employment_education,
    enrollment, event, exit, health_and_dv, income_benefit, service,
};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};

use super::household::{DISABILITY_TYPES, Household, Stage, Stay, World};
use app::domain::dedup::search_key;
use income::income_row;

/// The tables the generator fills, in insert order (parents before children).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Clients,
    Enrollments,
    Exits,
    AssessmentEvents,
    IncomeBenefits,
    Disabilities,
    HealthAndDvs,
    EmploymentEducations,
    Services,
    CurrentLivingSituations,
    Assessments,
    Events,
}

impl Table {
    pub const ALL: [Table; 12] = [
        Table::Clients,
        Table::Enrollments,
        Table::Exits,
        Table::AssessmentEvents,
        Table::IncomeBenefits,
        Table::Disabilities,
        Table::HealthAndDvs,
        Table::EmploymentEducations,
        Table::Services,
        Table::CurrentLivingSituations,
        Table::Assessments,
        Table::Events,
    ];

    /// The database table name.
    pub fn name(self) -> &'static str {
        match self {
            Table::Clients => "clients",
            Table::Enrollments => "enrollments",
            Table::Exits => "exits",
            Table::AssessmentEvents => "assessment_events",
            Table::IncomeBenefits => "income_benefits",
            Table::Disabilities => "disabilities",
            Table::HealthAndDvs => "health_and_dvs",
            Table::EmploymentEducations => "employment_educations",
            Table::Services => "services",
            Table::CurrentLivingSituations => "current_living_situations",
            Table::Assessments => "assessments",
            Table::Events => "events",
        }
    }
}

/// The ID kinds: one counter each.
#[derive(Clone, Copy)]
enum IdKind {
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
}

/// Per-kind counters. An ID is `de` (demo), the kind as two hex digits and the counter
/// as 28: `de01000…0001` is the first client. UUID v7 IDs the app makes start with the
/// time (`019…`), so they never meet these.
#[derive(Default)]
pub struct Ids {
    counters: [u64; 14],
}

impl Ids {
    fn next(&mut self, kind: IdKind) -> String {
        let counter = &mut self.counters[kind as usize];
        *counter += 1;
        format!("de{:02x}{:028x}", kind as u8, *counter)
    }
}

/// Record timestamps (5.01 DateCreated, 5.02 DateUpdated): the record's date during
/// office hours in the central US (14:00-22:00 UTC), varied by a counter, so they are
/// deterministic too.
fn stamp(date: NaiveDate, n: u64) -> DateTime<Utc> {
    let afternoon = NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default();
    let minutes = i64::try_from(n.wrapping_mul(37) % 480).unwrap_or(0);
    date.and_time(afternoon).and_utc() + TimeDelta::minutes(minutes)
}

/// The rows of some households, per table.
#[derive(Default)]
pub struct Rows {
    pub households: u64,
    pub clients: Vec<client::Model>,
    pub enrollments: Vec<enrollment::Model>,
    pub exits: Vec<exit::Model>,
    pub assessment_events: Vec<assessment_event::Model>,
    pub income_benefits: Vec<income_benefit::Model>,
    pub disabilities: Vec<disability::Model>,
    pub health_and_dvs: Vec<health_and_dv::Model>,
    pub employment_educations: Vec<employment_education::Model>,
    pub services: Vec<service::Model>,
    pub current_living_situations: Vec<current_living_situation::Model>,
    pub assessments: Vec<assessment::Model>,
    pub events: Vec<event::Model>,
}

impl Rows {
    /// How many rows of `table` these are.
    pub fn count(&self, table: Table) -> usize {
        match table {
            Table::Clients => self.clients.len(),
            Table::Enrollments => self.enrollments.len(),
            Table::Exits => self.exits.len(),
            Table::AssessmentEvents => self.assessment_events.len(),
            Table::IncomeBenefits => self.income_benefits.len(),
            Table::Disabilities => self.disabilities.len(),
            Table::HealthAndDvs => self.health_and_dvs.len(),
            Table::EmploymentEducations => self.employment_educations.len(),
            Table::Services => self.services.len(),
            Table::CurrentLivingSituations => self.current_living_situations.len(),
            Table::Assessments => self.assessments.len(),
            Table::Events => self.events.len(),
        }
    }

    /// Adds a household's rows. SSNs are sealed with `data_key` (bound to the client's
    /// ID, as the app does); without a key no SSN is stored, only its last four digits.
    pub fn add(&mut self, household: &Household, world: &World, ids: &mut Ids, data_key: Option<&DataKey>) {
        self.households += 1;
        let first_entry = household.episodes[0].stays[0].entry;
        let mut personal_ids = Vec::with_capacity(household.members.len());
        for member in &household.members {
            let personal_id = ids.next(IdKind::Client);
            let at = stamp(first_entry, self.clients.len() as u64);
            let ssn_encrypted = match (&member.ssn, data_key) {
                (Some(ssn), Some(key)) => {
                    Some(key.seal(ssn.as_bytes(), &app::crypto::ssn_context(&personal_id)))
                }
                _ => None,
            };
            let service = member.service.as_ref();
            let theater = |i: usize| service.map(|s| s.theaters[i]);
            let race = &member.race;
            self.clients.push(client::Model {
                personal_id: personal_id.clone(),
                first_name: member.first_name.map(str::to_string),
                middle_name: member.middle_name.map(str::to_string),
                last_name: member.last_name.map(str::to_string),
                name_suffix: member.name_suffix.map(str::to_string),
                name_data_quality: member.name_data_quality,
                ssn_encrypted,
                ssn_last4: member.ssn.as_ref().map(|ssn| ssn[5..].to_string()),
                ssn_data_quality: member.ssn_data_quality,
                dob: member.dob,
                dob_data_quality: member.dob_data_quality,
                sex: Some(member.sex),
                am_ind_ak_native: race.am_ind_ak_native,
                asian: race.asian,
                black_af_american: race.black_af_american,
                hispanic_latinao: race.hispanic_latinao,
                mid_east_n_african: race.mid_east_n_african,
                native_hi_pacific: race.native_hi_pacific,
                white: race.white,
                race_none: race.race_none,
                additional_race_ethnicity: race.additional.map(str::to_string),
                veteran_status: member.veteran_status,
                year_entered_service: service.map(|s| s.year_entered),
                year_separated: service.map(|s| s.year_separated),
                world_war_ii: theater(0),
                korean_war: theater(1),
                vietnam_war: theater(2),
                desert_storm: theater(3),
                afghanistan_oef: theater(4),
                iraq_oif: theater(5),
                iraq_ond: theater(6),
                other_theater: theater(7),
                military_branch: service.map(|s| s.branch),
                discharge_status: service.map(|s| s.discharge),
                created_at: at,
                updated_at: at,
                created_by: None,
                date_deleted: None,
                first_name_key: member.first_name.map(search_key),
                last_name_key: member.last_name.map(search_key),
            });
            personal_ids.push(personal_id);
        }
        for episode in &household.episodes {
            let project = &world.projects[episode.project];
            let household_id = ids.next(IdKind::Household);
            for stay in &episode.stays {
                let personal_id = &personal_ids[stay.member];
                let relationship = household.members[stay.member].relationship;
                let enrollment_id = ids.next(IdKind::Enrollment);
                let coc = (relationship == 1).then(|| project.coc_code.clone());
                self.enrollment(
                    stay,
                    &enrollment_id,
                    personal_id,
                    &project.project_id,
                    &household_id,
                    relationship,
                    coc,
                );
                if let Some(exit) = &stay.exit {
                    let at = stamp(exit.date, self.exits.len() as u64);
                    self.exits.push(exit::Model {
                        exit_id: ids.next(IdKind::Exit),
                        enrollment_id: enrollment_id.clone(),
                        personal_id: personal_id.clone(),
                        exit_date: exit.date,
                        destination: exit.destination,
                        destination_subsidy_type: exit.subsidy_type,
                        other_destination: exit.other_destination.map(str::to_string),
                        housing_assessment: None,
                        subsidy_information: None,
                        project_completion_status: None,
                        early_exit_reason: None,
                        exchange_for_sex: None,
                        exchange_for_sex_past_three_months: None,
                        count_of_exchange_for_sex: None,
                        asked_or_forced_to_exchange_for_sex: None,
                        asked_or_forced_to_exchange_for_sex_past_three_months: None,
                        workplace_violence_threats: None,
                        workplace_promise_difference: None,
                        coerced_to_continue_work: None,
                        labor_exploit_past_three_months: None,
                        counseling_received: None,
                        individual_counseling: None,
                        family_counseling: None,
                        group_counseling: None,
                        session_count_at_exit: None,
                        post_exit_counseling_plan: None,
                        sessions_in_plan: None,
                        destination_safe_client: None,
                        destination_safe_worker: None,
                        pos_adult_connections: None,
                        pos_peer_connections: None,
                        pos_community_connections: None,
                        aftercare_date: None,
                        aftercare_provided: None,
                        email_social_media: None,
                        telephone: None,
                        in_person_individual: None,
                        in_person_group: None,
                        cm_exit_reason: None,
                        created_at: at,
                        updated_at: at,
                        created_by: None,
                        date_deleted: None,
                        exit_reason_id: Some(exit.exit_reason_id.to_string()),
                        exit_method: exit.exit_method.to_string(),
                    });
                }
                for stage in &stay.stages {
                    self.stage(stage, ids, &enrollment_id, personal_id);
                }
                self.activity(stay, ids, &enrollment_id, personal_id);
            }
        }
    }

    #[allow(clippy::too_many_arguments)] // the enrollment's keys, each from a different place
    fn enrollment(
        &mut self,
        stay: &Stay,
        enrollment_id: &str,
        personal_id: &str,
        project_id: &str,
        household_id: &str,
        relationship: i32,
        enrollment_coc: Option<String>,
    ) {
        let at = stamp(stay.entry, self.enrollments.len() as u64);
        let prior = stay.prior.as_ref();
        self.enrollments.push(enrollment::Model {
            enrollment_id: enrollment_id.to_string(),
            personal_id: personal_id.to_string(),
            project_id: project_id.to_string(),
            entry_date: stay.entry,
            household_id: household_id.to_string(),
            relationship_to_hoh: Some(relationship),
            enrollment_coc,
            living_situation: prior.map(|p| p.living_situation),
            rental_subsidy_type: prior.and_then(|p| p.rental_subsidy_type),
            length_of_stay: prior.and_then(|p| p.length_of_stay),
            los_under_threshold: prior.and_then(|p| p.los_under_threshold),
            previous_street_essh: prior.and_then(|p| p.previous_street_essh),
            date_to_street_essh: prior.and_then(|p| p.date_to_street_essh),
            times_homeless_past_three_years: prior.and_then(|p| p.times_homeless),
            months_homeless_past_three_years: prior.and_then(|p| p.months_homeless),
            disabling_condition: Some(stay.disabling_condition),
            date_of_engagement: stay.engagement,
            move_in_date: stay.move_in,
            date_of_path_status: None,
            client_enrolled_in_path: None,
            reason_not_enrolled: None,
            percent_ami: None,
            referral_source: None,
            count_outreach_referral_approaches: None,
            date_of_bcp_status: None,
            eligible_for_rhy: None,
            reason_no_services: None,
            runaway_youth: None,
            former_ward_child_welfare: None,
            child_welfare_years: None,
            child_welfare_months: None,
            former_ward_juvenile_justice: None,
            juvenile_justice_years: None,
            juvenile_justice_months: None,
            unemployment_fam: None,
            mental_health_disorder_fam: None,
            physical_disability_fam: None,
            alcohol_drug_use_disorder_fam: None,
            insufficient_income: None,
            incarcerated_parent: None,
            vamc_station: None,
            target_screen_reqd: None,
            time_to_housing_loss: None,
            annual_percent_ami: None,
            literal_homeless_history: None,
            client_leaseholder: None,
            hoh_leaseholder: None,
            subsidy_at_risk: None,
            eviction_history: None,
            criminal_record: None,
            incarcerated_adult: None,
            prison_discharge: None,
            sex_offender: None,
            disabled_hoh: None,
            current_pregnant: None,
            single_parent: None,
            dependent_under6: None,
            hh5_plus: None,
            coc_prioritized: None,
            hp_screening_score: None,
            threshold_score: None,
            mental_health_consultation: None,
            created_at: at,
            updated_at: at,
            created_by: None,
            date_deleted: None,
        });
    }

    /// One data collection: the assessment event and the stage records hung off it.
    fn stage(&mut self, stage: &Stage, ids: &mut Ids, enrollment_id: &str, personal_id: &str) {
        let event_id = ids.next(IdKind::AssessmentEvent);
        let at = stamp(stage.date, self.assessment_events.len() as u64);
        self.assessment_events.push(assessment_event::Model {
            assessment_event_id: event_id.clone(),
            enrollment_id: enrollment_id.to_string(),
            personal_id: personal_id.to_string(),
            data_collection_stage: stage.stage,
            information_date: stage.date,
            created_at: at,
            updated_at: at,
            created_by: None,
            date_deleted: None,
        });
        let id = ids.next(IdKind::IncomeBenefit);
        self.income_benefits.push(income_row(
            &stage.finances,
            id,
            enrollment_id,
            personal_id,
            stage,
            &event_id,
            at,
        ));
        if let Some(disabilities) = &stage.disabilities {
            for (i, disability_type) in DISABILITY_TYPES.into_iter().enumerate() {
                self.disabilities.push(disability::Model {
                    disabilities_id: ids.next(IdKind::Disability),
                    enrollment_id: enrollment_id.to_string(),
                    personal_id: personal_id.to_string(),
                    information_date: stage.date,
                    disability_type,
                    disability_response: disabilities.responses[i],
                    indefinite_and_impairs: disabilities.indefinite[i],
                    t_cell_count_available: None,
                    t_cell_count: None,
                    t_cell_source: None,
                    viral_load_available: None,
                    viral_load: None,
                    viral_load_source: None,
                    anti_retroviral: None,
                    data_collection_stage: stage.stage,
                    created_at: at,
                    updated_at: at,
                    created_by: None,
                    date_deleted: None,
                    assessment_event_id: event_id.clone(),
                });
            }
        }
        if let Some(dv) = &stage.domestic_violence {
            self.health_and_dvs.push(health_and_dv::Model {
                health_and_dv_id: ids.next(IdKind::HealthAndDv),
                enrollment_id: enrollment_id.to_string(),
                personal_id: personal_id.to_string(),
                information_date: stage.date,
                domestic_violence_survivor: Some(dv.survivor),
                when_occurred: dv.when_occurred,
                currently_fleeing: dv.currently_fleeing,
                general_health_status: None,
                dental_health_status: None,
                mental_health_status: None,
                pregnancy_status: None,
                due_date: None,
                data_collection_stage: stage.stage,
                created_at: at,
                updated_at: at,
                created_by: None,
                date_deleted: None,
                assessment_event_id: event_id.clone(),
            });
        }
        if let Some(employment) = &stage.employment {
            self.employment_educations.push(employment_education::Model {
                employment_education_id: ids.next(IdKind::EmploymentEducation),
                enrollment_id: enrollment_id.to_string(),
                personal_id: personal_id.to_string(),
                information_date: stage.date,
                last_grade_completed: Some(employment.last_grade_completed),
                school_status: Some(employment.school_status),
                employed: Some(employment.employed),
                employment_type: employment.employment_type,
                not_employed_reason: employment.not_employed_reason,
                data_collection_stage: stage.stage,
                created_at: at,
                updated_at: at,
                created_by: None,
                date_deleted: None,
                assessment_event_id: event_id,
            });
        }
    }

    /// Services, current living situations, CE assessments and events of a stay.
    fn activity(&mut self, stay: &Stay, ids: &mut Ids, enrollment_id: &str, personal_id: &str) {
        for service in &stay.services {
            let at = stamp(service.date, self.services.len() as u64);
            self.services.push(service::Model {
                services_id: ids.next(IdKind::Service),
                enrollment_id: enrollment_id.to_string(),
                personal_id: personal_id.to_string(),
                date_provided: service.date,
                record_type: service.record_type,
                type_provided: service.type_provided,
                other_type_provided: None,
                moving_on_other_type: service.moving_on_other_type.map(str::to_string),
                sub_type_provided: None,
                fa_amount: None,
                fa_start_date: None,
                fa_end_date: None,
                referral_outcome: None,
                created_at: at,
                updated_at: at,
                created_by: None,
                date_deleted: None,
            });
        }
        for contact in &stay.contacts {
            let at = stamp(contact.date, self.current_living_situations.len() as u64);
            let follow_up = |i: usize| contact.follow_up.map(|answers| answers[i]);
            self.current_living_situations
                .push(current_living_situation::Model {
                    current_living_sit_id: ids.next(IdKind::CurrentLivingSituation),
                    enrollment_id: enrollment_id.to_string(),
                    personal_id: personal_id.to_string(),
                    information_date: contact.date,
                    current_living_situation: contact.situation,
                    cls_subsidy_type: contact.subsidy_type,
                    verified_by: None,
                    leave_situation14_days: contact.leave_within_14_days,
                    subsequent_residence: follow_up(0),
                    resources_to_obtain: follow_up(1),
                    lease_own60_day: follow_up(2),
                    moved_two_or_more: follow_up(3),
                    location_details: contact.location_details.map(str::to_string),
                    created_at: at,
                    updated_at: at,
                    created_by: None,
                    date_deleted: None,
                });
        }
        for a in &stay.assessments {
            let at = stamp(a.date, self.assessments.len() as u64);
            self.assessments.push(assessment::Model {
                assessment_id: ids.next(IdKind::Assessment),
                enrollment_id: enrollment_id.to_string(),
                personal_id: personal_id.to_string(),
                assessment_date: a.date,
                assessment_location: a.location.to_string(),
                assessment_type: a.assessment_type,
                assessment_level: a.level,
                prioritization_status: a.prioritization,
                created_at: at,
                updated_at: at,
                created_by: None,
                date_deleted: None,
            });
        }
        for e in &stay.events {
            let at = stamp(e.date, self.events.len() as u64);
            self.events.push(event::Model {
                event_id: ids.next(IdKind::Event),
                enrollment_id: enrollment_id.to_string(),
                personal_id: personal_id.to_string(),
                event_date: e.date,
                event: e.event,
                prob_sol_div_rr_result: e.problem_solving_result,
                referral_case_manage_after: e.case_management_after,
                location_crisis_or_ph_housing: e.location.clone(),
                referral_result: e.referral_result,
                result_date: e.result_date,
                created_at: at,
                updated_at: at,
                created_by: None,
                date_deleted: None,
            });
        }
    }
}
