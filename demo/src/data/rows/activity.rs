//! The rows of what happens during a stay: services, current living situations, CE
//! assessments with their answers and results, and CE events.

use app::db::entities::{
    assessment, assessment_question, assessment_result, current_living_situation, event, service,
};
use app::features::coordinated_entry::service::{QUESTION_GROUP, SCORE_RESULT, SOUGHT_RESULT};

use app::domain::codes::PROJECT_TYPE;
use chrono::{DateTime, Utc};

use super::Rows;
use super::ids::{IdKind, Ids, stamp};
use crate::data::household::{CeAssessment, Stay, World};

impl Rows {
    /// Services, current living situations, CE assessments and events of a stay.
    pub(super) fn activity(
        &mut self,
        stay: &Stay,
        world: &World,
        ids: &mut Ids,
        enrollment_id: &str,
        personal_id: &str,
    ) {
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
            let assessment_id = ids.next(IdKind::Assessment);
            self.ce_answers(a, world, ids, &assessment_id, enrollment_id, personal_id, at);
            self.assessments.push(assessment::Model {
                assessment_id,
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

    /// A CE assessment's answers to the CoC's questions (AssessmentQuestions.csv) and its
    /// results (AssessmentResults.csv): the score, and the project type sought — as
    /// `coordinated_entry::service::record_assessment` writes them.
    #[allow(clippy::too_many_arguments)] // the assessment's keys, each from a different place
    fn ce_answers(
        &mut self,
        a: &CeAssessment,
        world: &World,
        ids: &mut Ids,
        assessment_id: &str,
        enrollment_id: &str,
        personal_id: &str,
        at: DateTime<Utc>,
    ) {
        for (question, &chosen) in world.ce_questions.iter().zip(&a.answers) {
            self.assessment_questions.push(assessment_question::Model {
                assessment_question_id: ids.next(IdKind::AssessmentQuestion),
                assessment_id: assessment_id.to_string(),
                enrollment_id: enrollment_id.to_string(),
                personal_id: personal_id.to_string(),
                assessment_question_group: Some(QUESTION_GROUP.to_string()),
                assessment_question_order: Some(question.position),
                assessment_question: Some(question.question.clone()),
                assessment_answer: question.choices.get(chosen).map(|c| c.label.clone()),
                created_at: at,
                updated_at: at,
                created_by: None,
                date_deleted: None,
            });
        }
        let sought = a.sought.and_then(|code| PROJECT_TYPE.label(code));
        let results = [
            (SCORE_RESULT, Some(a.score.to_string())),
            (SOUGHT_RESULT, sought.map(str::to_string)),
        ];
        for (kind, result) in results {
            let Some(result) = result else {
                continue;
            };
            self.assessment_results.push(assessment_result::Model {
                assessment_result_id: ids.next(IdKind::AssessmentResult),
                assessment_id: assessment_id.to_string(),
                enrollment_id: enrollment_id.to_string(),
                personal_id: personal_id.to_string(),
                assessment_result_type: Some(kind.to_string()),
                assessment_result: Some(result),
                created_at: at,
                updated_at: at,
                created_by: None,
                date_deleted: None,
            });
        }
    }
}
