//! A CE assessment's answers to the CoC's prioritization questions, from what the
//! household's record says (the demo CoC's questions) or from how much it needs (a
//! CoC's own questions), and the project type it seeks.

use app::domain::codes::{DestinationGroup, PRIOR_LIVING_SITUATION, ProjectType};

use super::Builder;
use crate::data::household::compose::Plan;
use crate::data::household::{PriorLiving, Topic};

impl Builder<'_> {
    /// The choice given to each of the world's CE questions (an index into its
    /// choices) by the head of household, and the score they make.
    pub(super) fn ce_answers(&mut self, prior: Option<&PriorLiving>) -> (Vec<usize>, i32) {
        let world = self.world;
        let disabled = self.profiles[0].disabilities.disabling_condition() == 1;
        let living = prior.map_or(99, |p| p.living_situation);
        let homeless =
            DestinationGroup::of(&PRIOR_LIVING_SITUATION, living) == Some(DestinationGroup::Homeless);
        let times = prior.and_then(|p| p.times_homeless);
        // How much the household needs, from 0 to 1, for questions of the CoC's own.
        let need = 0.15 * self.dice.unit()
            + if homeless { 0.35 } else { 0.0 }
            + if matches!(times, Some(3 | 4)) { 0.2 } else { 0.0 }
            + if disabled { 0.3 } else { 0.0 };
        let mut answers = Vec::with_capacity(world.ce_questions.len());
        let mut score = 0;
        for question in &world.ce_questions {
            let last = question.choices.len().saturating_sub(1);
            // The demo questions' choices, most points first (`accounts::DEMO_CE_QUESTIONS`).
            let chosen = match question.topic {
                Topic::SleptLastNight => match living {
                    116 => 0,
                    101 | 118 => 1,
                    335 | 336 | 332 => 2,
                    8 | 9 | 99 => self.dice.weighted(&[(0, 4), (1, 3), (2, 2), (3, 1)]),
                    _ => 3,
                },
                Topic::TimesHomeless => match times {
                    Some(4) => 0,
                    Some(2 | 3) => 1,
                    Some(1) => 2,
                    _ => self.dice.weighted(&[(0, 3), (1, 3), (2, 4)]),
                },
                Topic::Disability => usize::from(!disabled),
                Topic::EmergencyRoom => usize::from(!self.dice.chance(if disabled { 0.5 } else { 0.25 })),
                Topic::Other => {
                    // Choices by points, then one a step either way now and then.
                    let mut by_points: Vec<usize> = (0..question.choices.len()).collect();
                    by_points.sort_by_key(|&i| question.choices[i].points);
                    let at = (need * last as f64).round() as i64 + self.dice.range(-1, 1);
                    let at = usize::try_from(at.max(0)).unwrap_or(0).min(last);
                    by_points.get(at).copied().unwrap_or(0)
                }
            }
            .min(last);
            score += question.choices.get(chosen).map_or(0, |c| c.points);
            answers.push(chosen);
        }
        (answers, score)
    }

    /// 2.02.6 code of the project type a housing assessment seeks: the project the
    /// household moves on to, or what its record suggests.
    pub(super) fn sought(&mut self, next: Option<&Plan>, prior: Option<&PriorLiving>) -> i32 {
        let kind = match next.map(|n| n.kind) {
            Some(
                kind @ (ProjectType::PhRapidReHousing
                | ProjectType::PhPermanentSupportiveHousing
                | ProjectType::TransitionalHousing),
            ) => kind,
            _ => {
                let disabled = self.profiles[0].disabilities.disabling_condition() == 1;
                let long_homeless = prior.and_then(|p| p.times_homeless) == Some(4);
                if disabled && (long_homeless || self.dice.chance(0.5)) {
                    ProjectType::PhPermanentSupportiveHousing
                } else if self.dice.chance(0.8) {
                    ProjectType::PhRapidReHousing
                } else {
                    ProjectType::TransitionalHousing
                }
            }
        };
        kind.code()
    }
}
