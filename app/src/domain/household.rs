//! Household rules at project start: one head of household, who answers which
//! elements, when a new enrollment would overlap an earlier one.

use chrono::NaiveDate;

use super::codes::{ProjectType, RelationshipToHoH};
use super::dates::is_adult_on;

/// What the rules need to know about one member of a household being enrolled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// 3.15 RelationshipToHoH, when chosen.
    pub relationship: Option<i32>,
}

/// A problem with a household as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HouseholdProblem {
    NoHead,
    SeveralHeads(usize),
    MissingRelationship(usize),
    UnknownRelationship(usize),
    Empty,
}

impl HouseholdProblem {
    pub fn message(&self) -> String {
        match self {
            HouseholdProblem::NoHead => "Choose one head of household (relationship \"Self\").".into(),
            HouseholdProblem::SeveralHeads(n) => {
                format!("A household has exactly one head of household; {n} members are marked \"Self\".")
            }
            HouseholdProblem::MissingRelationship(_) => {
                "Choose the relationship to the head of household.".into()
            }
            HouseholdProblem::UnknownRelationship(_) => "That relationship is not in the HUD list.".into(),
            HouseholdProblem::Empty => "Enroll at least one household member.".into(),
        }
    }
}

/// Checks 3.15: every member has a relationship from the list, and exactly one is the
/// head of household.
pub fn check_household(members: &[Member]) -> Vec<HouseholdProblem> {
    let mut problems = Vec::new();
    if members.is_empty() {
        return vec![HouseholdProblem::Empty];
    }
    let mut heads = 0;
    for (i, member) in members.iter().enumerate() {
        match member.relationship {
            None => problems.push(HouseholdProblem::MissingRelationship(i)),
            Some(code) => match RelationshipToHoH::from_code(code) {
                None => problems.push(HouseholdProblem::UnknownRelationship(i)),
                Some(r) if r.is_head() => heads += 1,
                Some(_) => {}
            },
        }
    }
    match heads {
        1 => {}
        0 => problems.push(HouseholdProblem::NoHead),
        n => problems.push(HouseholdProblem::SeveralHeads(n)),
    }
    problems
}

/// An earlier enrollment of the same client in the same project: (start, exit).
pub type Stay = (NaiveDate, Option<NaiveDate>);

/// Whether an enrollment starting on `entry` (open, as every new one is) would overlap
/// one of `stays`: a stay still open, or one that ends after `entry` (leaving and
/// coming back on the same day is allowed), or one that starts later.
pub fn overlaps(stays: &[Stay], entry: NaiveDate) -> bool {
    stays.iter().any(|(start, exit)| match exit {
        None => true,
        Some(exit) => *exit > entry || *start > entry,
    })
}

/// Why a project start date cannot be used, if it cannot.
pub fn check_entry_date(
    entry: NaiveDate,
    today: NaiveDate,
    operating_start: NaiveDate,
    operating_end: Option<NaiveDate>,
) -> Result<(), String> {
    if entry > today {
        return Err("The project start date cannot be in the future.".into());
    }
    if entry < operating_start {
        return Err(format!(
            "The project start date is before the project began operating ({}).",
            operating_start.format("%-m/%-d/%Y")
        ));
    }
    if operating_end.is_some_and(|end| entry > end) {
        return Err("The project had stopped operating by that date.".into());
    }
    Ok(())
}

/// 4.13 Date of engagement is collected by street outreach, night-by-night shelter
/// and services-only projects.
pub fn collects_engagement(project_type: ProjectType) -> bool {
    matches!(
        project_type,
        ProjectType::StreetOutreach | ProjectType::EsNightByNight | ProjectType::ServicesOnly
    )
}

/// 3.917: street outreach, emergency shelter and safe haven clients are homeless by
/// the project's nature, so the questions about a short break in homelessness (stay
/// under the threshold, on the streets or in shelter the night before) are not asked.
pub fn asks_homelessness_break(project_type: ProjectType) -> bool {
    !matches!(
        project_type,
        ProjectType::StreetOutreach
            | ProjectType::EsEntryExit
            | ProjectType::EsNightByNight
            | ProjectType::SafeHaven
    )
}

/// Which entry elements a member answers (HUD data dictionary: "HoH and adults" or
/// "all clients").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Collected {
    /// 3.917 prior living situation (HoH and adults).
    pub prior_living_situation: bool,
    /// 4.02 income and 4.03 non-cash benefits (HoH and adults).
    pub income_and_benefits: bool,
    /// 4.11 domestic violence (HoH and adults).
    pub domestic_violence: bool,
    /// 3.07 veteran status (adults).
    pub veteran_status: bool,
}

/// What a member answers at project start: HoH and adults everything; children
/// disabling condition, health insurance and disabilities only. A member without a
/// date of birth is asked everything (they may be an adult).
pub fn collected_for(is_head: bool, dob: Option<NaiveDate>, entry: NaiveDate) -> Collected {
    let adult = dob.is_none_or(|dob| is_adult_on(dob, entry));
    let grown = is_head || adult;
    Collected {
        prior_living_situation: grown,
        income_and_benefits: grown,
        domestic_violence: grown,
        veteran_status: adult,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn m(r: Option<i32>) -> Member {
        Member { relationship: r }
    }

    #[test]
    fn one_head_exactly() {
        assert!(check_household(&[m(Some(1)), m(Some(2)), m(Some(3))]).is_empty());
        assert_eq!(check_household(&[m(Some(2))]), vec![HouseholdProblem::NoHead]);
        assert_eq!(
            check_household(&[m(Some(1)), m(Some(1))]),
            vec![HouseholdProblem::SeveralHeads(2)]
        );
        assert_eq!(
            check_household(&[m(Some(1)), m(None), m(Some(42))]),
            vec![
                HouseholdProblem::MissingRelationship(1),
                HouseholdProblem::UnknownRelationship(2)
            ]
        );
        assert_eq!(check_household(&[]), vec![HouseholdProblem::Empty]);
    }

    #[test]
    fn break_questions_only_outside_homeless_projects() {
        assert!(!asks_homelessness_break(ProjectType::StreetOutreach));
        assert!(!asks_homelessness_break(ProjectType::EsNightByNight));
        assert!(asks_homelessness_break(ProjectType::TransitionalHousing));
        assert!(asks_homelessness_break(ProjectType::PhRapidReHousing));
    }

    #[test]
    fn entry_dates() {
        let today = d(2026, 11, 30);
        assert!(check_entry_date(today, today, d(2020, 1, 1), None).is_ok());
        assert!(check_entry_date(d(2026, 12, 1), today, d(2020, 1, 1), None).is_err());
        assert!(check_entry_date(d(2019, 12, 31), today, d(2020, 1, 1), None).is_err());
        assert!(check_entry_date(d(2025, 1, 1), today, d(2020, 1, 1), Some(d(2024, 12, 31))).is_err());
    }

    #[test]
    fn children_answer_the_child_subset() {
        let entry = d(2026, 11, 30);
        let child = collected_for(false, Some(d(2015, 5, 1)), entry);
        assert!(!child.prior_living_situation && !child.income_and_benefits && !child.domestic_violence);
        let youth_head = collected_for(true, Some(d(2010, 5, 1)), entry);
        assert!(youth_head.prior_living_situation && !youth_head.veteran_status);
        let unknown = collected_for(false, None, entry);
        assert!(unknown.prior_living_situation && unknown.veteran_status);
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0i64..3000).prop_map(|n| d(2018, 1, 1) + chrono::Duration::days(n))
    }

    proptest! {
        /// The rule agrees with interval arithmetic: the new stay [entry, ∞) shares a
        /// day (other than a same-day move) with a stay [start, exit).
        #[test]
        fn overlap_is_interval_intersection(
            stays in proptest::collection::vec((date(), proptest::option::of(0i64..400)), 0..5),
            entry in date(),
        ) {
            let stays: Vec<Stay> = stays
                .into_iter()
                .map(|(start, len)| (start, len.map(|n| start + chrono::Duration::days(n))))
                .collect();
            let expected = stays.iter().any(|(start, exit)| {
                let end = exit.unwrap_or(NaiveDate::MAX);
                // [start, end) ∩ [entry, ∞) is non-empty, or a later stay exists.
                end > entry || *start > entry || (exit.is_none())
            });
            prop_assert_eq!(overlaps(&stays, entry), expected);
            // Entering after every stay has ended never overlaps.
            let after = stays.iter().map(|(s, e)| e.unwrap_or(*s)).max();
            if stays.iter().all(|(_, e)| e.is_some()) && let Some(after) = after {
                prop_assert!(!overlaps(&stays, after));
            }
        }
    }
}
