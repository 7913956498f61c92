//! Households to table rows: the entity models of one transaction's worth of
//! households, with IDs from per-table counters (deterministic, 32 lowercase hex
//! digits, so valid HUD S32 IDs; see [`ids`]).

mod activity;
pub mod ids;
mod income;
#[cfg(test)]
mod tests;

use app::crypto::DataKey;
use app::db::entities::{
    assessment, assessment_event, assessment_question, assessment_result, case_assignment, client,
    current_living_situation, disability, employment_education, enrollment, event, exit, health_and_dv,
    income_benefit, service,
};
use chrono::TimeDelta;

use super::household::{DISABILITY_TYPES, Household, Stage, Stay, World};
use app::domain::dedup::search_key;
use ids::{IdKind, stamp};
pub use ids::{Ids, TABLES, Table};
use income::income_row;

/// The rows of some households, per table.
#[derive(Default)]
pub struct Rows {
    pub households: u64,
    pub clients: Vec<client::Model>,
    pub enrollments: Vec<enrollment::Model>,
    pub case_assignments: Vec<case_assignment::Model>,
    pub exits: Vec<exit::Model>,
    pub assessment_events: Vec<assessment_event::Model>,
    pub income_benefits: Vec<income_benefit::Model>,
    pub disabilities: Vec<disability::Model>,
    pub health_and_dvs: Vec<health_and_dv::Model>,
    pub employment_educations: Vec<employment_education::Model>,
    pub services: Vec<service::Model>,
    pub current_living_situations: Vec<current_living_situation::Model>,
    pub assessments: Vec<assessment::Model>,
    pub assessment_questions: Vec<assessment_question::Model>,
    pub assessment_results: Vec<assessment_result::Model>,
    pub events: Vec<event::Model>,
}

impl Rows {
    /// How many rows of `table` these are.
    pub fn count(&self, table: Table) -> usize {
        match table {
            Table::Clients => self.clients.len(),
            Table::Enrollments => self.enrollments.len(),
            Table::CaseAssignments => self.case_assignments.len(),
            Table::Exits => self.exits.len(),
            Table::AssessmentEvents => self.assessment_events.len(),
            Table::IncomeBenefits => self.income_benefits.len(),
            Table::Disabilities => self.disabilities.len(),
            Table::HealthAndDvs => self.health_and_dvs.len(),
            Table::EmploymentEducations => self.employment_educations.len(),
            Table::Services => self.services.len(),
            Table::CurrentLivingSituations => self.current_living_situations.len(),
            Table::Assessments => self.assessments.len(),
            Table::AssessmentQuestions => self.assessment_questions.len(),
            Table::AssessmentResults => self.assessment_results.len(),
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
            let case_manager = episode.case_manager.filter(|&cm| ids.take_case(cm));
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
                if let Some(cm) = case_manager.filter(|_| stay.exit.is_none()) {
                    self.case_assignment(world, cm, ids, stay, &enrollment_id, personal_id);
                }
                if let Some(exit) = &stay.exit {
                    let entered = exit.date + TimeDelta::days(exit.entered_late);
                    let at = stamp(entered, self.exits.len() as u64);
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
                self.activity(stay, world, ids, &enrollment_id, personal_id);
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
        let at = stamp(
            stay.entry + TimeDelta::days(stay.entered_late),
            self.enrollments.len() as u64,
        );
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

    /// A stay on a case manager's caseload (what intake's "assign to me" writes), from
    /// the entry on, not ended.
    fn case_assignment(
        &mut self,
        world: &World,
        case_manager: usize,
        ids: &mut Ids,
        stay: &Stay,
        enrollment_id: &str,
        personal_id: &str,
    ) {
        let cm = &world.case_managers[case_manager];
        let at = stamp(
            stay.entry + TimeDelta::days(stay.entered_late),
            self.case_assignments.len() as u64,
        );
        self.case_assignments.push(case_assignment::Model {
            case_assignment_id: ids.next(IdKind::CaseAssignment),
            personal_id: personal_id.to_string(),
            enrollment_id: Some(enrollment_id.to_string()),
            user_id: cm.user_id.clone(),
            organization_id: cm.organization_id.clone(),
            start_date: stay.entry,
            end_date: None,
            created_at: at,
            updated_at: at,
            created_by: Some(cm.user_id.clone()),
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
}
