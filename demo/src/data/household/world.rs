//! What every household is generated against: the seed, "today", the projects, the
//! users who take cases and the CoC's Coordinated Entry questions — all read from the
//! database once, before the first household.

use std::collections::HashMap;

use app::domain::ce::Choice;
use app::domain::codes::ProjectType;
use chrono::{Months, NaiveDate};

use crate::data::dice::Dice;

/// A project the generator may enroll households in.
#[derive(Clone, Debug)]
pub struct ProjectInfo {
    /// 2.02.1 ProjectID.
    pub project_id: String,
    /// 2.02.2 ProjectName (CE referrals name it).
    pub name: String,
    /// 2.02.6 ProjectType.
    pub kind: ProjectType,
    /// 2.01.1 OrganizationID of the project's organization: its case managers take the
    /// project's households.
    pub organization_id: String,
    /// 2.01 VictimServiceProvider of the project's organization: DV households go there.
    pub victim_service: bool,
    /// 2.03.1 CoC code of the project: 3.16 EnrollmentCoC of its heads of household.
    pub coc_code: String,
    /// 2.02.3 OperatingStartDate: no entry before it.
    pub operating_start: NaiveDate,
    /// The project's auto-exit setting (exit days, alert days), when it has one: open
    /// households of planted stories stop coming just long enough to be warned about,
    /// or to be due.
    pub auto_exit: Option<(i32, Option<i32>)>,
}

/// A user who may take cases in an organization (a `case_manager` access row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseManager {
    pub user_id: String,
    pub organization_id: String,
}

/// What a CE question asks, when it is one of the demo CoC's (matched by its text and
/// choices): its answers then follow the household's story.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// Where the household slept last night (from 3.917 Prior living situation).
    SleptLastNight,
    /// Times homeless in the past three years (from 3.917.4).
    TimesHomeless,
    /// A long-lasting health condition or disability (from 3.08).
    Disability,
    /// An emergency room visit in the past six months.
    EmergencyRoom,
    /// A question of the CoC's own: answered by how much the household needs.
    Other,
}

/// One of the CoC's active Coordinated Entry prioritization questions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CeQuestion {
    /// Its position (AssessmentQuestionOrder).
    pub position: i32,
    pub question: String,
    pub choices: Vec<Choice>,
    pub topic: Topic,
}

impl CeQuestion {
    /// A question of the CoC's, its topic recognized when it is a demo question as
    /// `accounts::DEMO_CE_QUESTIONS` has it.
    pub fn new(position: i32, question: String, choices: Vec<Choice>) -> Self {
        let topics = [
            Topic::SleptLastNight,
            Topic::TimesHomeless,
            Topic::Disability,
            Topic::EmergencyRoom,
        ];
        let topic = crate::accounts::DEMO_CE_QUESTIONS
            .iter()
            .zip(topics)
            .find(|((text, demo_choices), _)| {
                *text == question
                    && app::domain::ce::parse_choices(demo_choices).is_ok_and(|demo| demo == choices)
            })
            .map_or(Topic::Other, |(_, topic)| topic);
        CeQuestion {
            position,
            question,
            choices,
            topic,
        }
    }

    /// The demo CoC's questions, as `accounts::seed` records them.
    pub fn demo() -> Vec<CeQuestion> {
        (1..)
            .zip(crate::accounts::DEMO_CE_QUESTIONS)
            .map(|(position, (question, choices))| {
                let choices = app::domain::ce::parse_choices(choices).unwrap_or_default();
                CeQuestion::new(position, question.to_string(), choices)
            })
            .collect()
    }
}

/// What every household is generated against.
pub struct World {
    pub seed: u64,
    /// The last day of the data: entries lie in the three years before it, nothing after.
    pub today: NaiveDate,
    pub projects: Vec<ProjectInfo>,
    /// Who takes cases where, in a stable order.
    pub case_managers: Vec<CaseManager>,
    /// The active CE questions, in order: every CE assessment answers each.
    pub ce_questions: Vec<CeQuestion>,
    /// Project indexes by 2.02.6 code: (run by a victim service provider, others).
    by_kind: HashMap<i32, (Vec<usize>, Vec<usize>)>,
    /// Per project, the case managers of its organization (indexes into
    /// `case_managers`).
    staff: Vec<Vec<usize>>,
}

impl World {
    pub fn new(
        seed: u64,
        today: NaiveDate,
        projects: Vec<ProjectInfo>,
        case_managers: Vec<CaseManager>,
        ce_questions: Vec<CeQuestion>,
    ) -> Self {
        let mut by_kind: HashMap<i32, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (i, project) in projects.iter().enumerate() {
            let entry = by_kind.entry(project.kind.code()).or_default();
            if project.victim_service {
                entry.0.push(i);
            } else {
                entry.1.push(i);
            }
        }
        let staff = projects
            .iter()
            .map(|project| {
                (0..case_managers.len())
                    .filter(|&i| case_managers[i].organization_id == project.organization_id)
                    .collect()
            })
            .collect();
        World {
            seed,
            today,
            projects,
            case_managers,
            ce_questions,
            by_kind,
            staff,
        }
    }

    /// The first day entries may fall on: three years before today.
    pub fn window_start(&self) -> NaiveDate {
        self.today
            .checked_sub_months(Months::new(36))
            .unwrap_or(self.today)
    }

    /// A project of `kind`, preferring victim-service-provider projects for DV
    /// households and the others for everyone else.
    pub(super) fn pick_project(&self, dice: &mut Dice, kind: ProjectType, dv: bool) -> Option<usize> {
        let (vsp, others) = self.by_kind.get(&kind.code())?;
        let (preferred, fallback) = if dv { (vsp, others) } else { (others, vsp) };
        let list = if preferred.is_empty() { fallback } else { preferred };
        if list.is_empty() {
            None
        } else {
            Some(dice.pick(list))
        }
    }

    /// The case managers (indexes into `case_managers`) of project `project`'s
    /// organization.
    pub(super) fn case_managers_of(&self, project: usize) -> &[usize] {
        &self.staff[project]
    }
}
