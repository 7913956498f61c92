//! Exit rules (3.11 exit date, 3.12 destination) and the household rules of an exit:
//! the head of household leaves last or with everyone; a single other member may leave
//! alone; nobody's exit date is after the head's.

use chrono::NaiveDate;

use super::codes::DESTINATION;

/// 3.12 "No exit interview completed": every exit page is prefilled from the latest
/// data, so the exit is finished with confirmation taps only.
pub const NO_EXIT_INTERVIEW: i32 = 30;

/// 3.12 "Rental by client, with ongoing housing subsidy", which asks the subsidy type
/// (3.12.A).
pub const RENTAL_WITH_SUBSIDY: i32 = 435;

/// Why an exit date cannot be used, if it cannot: on or after the project start date,
/// and not in the future.
pub fn check_exit_date(exit: NaiveDate, entry: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if exit > today {
        return Err("The exit date cannot be in the future.".into());
    }
    if exit < entry {
        return Err(format!(
            "The exit date is before the project start date ({}).",
            entry.format("%-m/%-d/%Y")
        ));
    }
    Ok(())
}

/// Why a destination cannot be used, if it cannot: required, from the 3.12 list, and
/// with the subsidy type when it is a rental with an ongoing subsidy.
pub fn check_destination(destination: Option<i32>, subsidy_type: Option<i32>) -> Result<(), String> {
    match destination {
        None => Err("Choose the destination.".into()),
        Some(code) if !DESTINATION.contains(code) => Err("Choose a destination from the list.".into()),
        Some(RENTAL_WITH_SUBSIDY) if subsidy_type.is_none() => {
            Err("Choose the type of the ongoing housing subsidy.".into())
        }
        Some(_) => Ok(()),
    }
}

/// Days after an exit during which the owning organization may re-enter the
/// enrollment; later only an HMIS administrator may.
pub const RE_ENTER_DAYS: i64 = 90;

/// Why the user may not re-enter an enrollment exited on `exit_date`, if they may not.
pub fn check_re_enter(exit_date: NaiveDate, today: NaiveDate, hmis_admin: bool) -> Result<(), String> {
    if (today - exit_date).num_days() > RE_ENTER_DAYS && !hmis_admin {
        return Err(format!(
            "This enrollment was exited more than {RE_ENTER_DAYS} days ago: only an HMIS administrator can re-enter it."
        ));
    }
    Ok(())
}

/// A member of an open household as the exit sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitMember {
    pub is_head: bool,
    /// Chosen to exit in this workflow.
    pub exiting: bool,
    /// Their exit date, when exiting.
    pub exit_date: Option<NaiveDate>,
    /// Chosen as the new head of household (a member who stays).
    pub new_head: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HouseholdExitProblem {
    NobodyExits,
    /// The head leaves and others stay without a new head among them.
    HeadLeavesFirst,
    /// A new head was chosen who is leaving too, or more than one.
    BadNewHead,
    /// This member's exit date is after the head's.
    AfterHead(usize),
}

impl HouseholdExitProblem {
    pub fn message(&self) -> String {
        match self {
            HouseholdExitProblem::NobodyExits => "Choose who exits.".into(),
            HouseholdExitProblem::HeadLeavesFirst => {
                "The head of household cannot exit before the rest of the \
                household: exit everyone together, or choose a new head of household among those who stay."
                    .into()
            }
            HouseholdExitProblem::BadNewHead => {
                "Choose one new head of household among the members who stay.".into()
            }
            HouseholdExitProblem::AfterHead(_) => {
                "A member's exit date cannot be after the head of household's exit date.".into()
            }
        }
    }
}

/// Checks who exits a household, and when.
pub fn check_household_exit(members: &[ExitMember]) -> Vec<HouseholdExitProblem> {
    let mut problems = Vec::new();
    if !members.iter().any(|m| m.exiting) {
        return vec![HouseholdExitProblem::NobodyExits];
    }
    let head_exiting = members.iter().any(|m| m.is_head && m.exiting);
    let staying = members.iter().filter(|m| !m.exiting).count();
    let new_heads: Vec<&ExitMember> = members.iter().filter(|m| m.new_head).collect();
    if new_heads.iter().any(|m| m.exiting) || new_heads.len() > 1 || (!head_exiting && !new_heads.is_empty())
    {
        problems.push(HouseholdExitProblem::BadNewHead);
    } else if head_exiting && staying > 0 && new_heads.len() != 1 {
        problems.push(HouseholdExitProblem::HeadLeavesFirst);
    }
    let head_date = members
        .iter()
        .find(|m| m.is_head && m.exiting)
        .and_then(|m| m.exit_date);
    if let Some(head_date) = head_date {
        for (i, m) in members.iter().enumerate() {
            if m.exiting && m.exit_date.is_some_and(|d| d > head_date) {
                problems.push(HouseholdExitProblem::AfterHead(i));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(is_head: bool, exiting: bool, exit_date: Option<NaiveDate>) -> ExitMember {
        ExitMember {
            is_head,
            exiting,
            exit_date,
            new_head: false,
        }
    }

    #[test]
    fn exit_dates() {
        let today = d(2026, 11, 30);
        assert!(check_exit_date(today, d(2026, 1, 1), today).is_ok());
        assert!(check_exit_date(d(2026, 1, 1), d(2026, 1, 1), today).is_ok());
        assert!(check_exit_date(d(2025, 12, 31), d(2026, 1, 1), today).is_err());
        assert!(check_exit_date(d(2026, 12, 1), d(2026, 1, 1), today).is_err());
    }

    #[test]
    fn destinations() {
        assert!(check_destination(None, None).is_err());
        assert!(check_destination(Some(12345), None).is_err());
        assert!(check_destination(Some(NO_EXIT_INTERVIEW), None).is_ok());
        assert!(check_destination(Some(RENTAL_WITH_SUBSIDY), None).is_err());
        assert!(check_destination(Some(RENTAL_WITH_SUBSIDY), Some(419)).is_ok());
    }

    #[test]
    fn re_enter_within_ninety_days_or_as_an_admin() {
        let today = d(2026, 11, 30);
        assert!(check_re_enter(today - chrono::Duration::days(90), today, false).is_ok());
        let old = today - chrono::Duration::days(91);
        assert!(
            check_re_enter(old, today, false)
                .unwrap_err()
                .contains("HMIS administrator")
        );
        assert!(check_re_enter(old, today, true).is_ok());
    }

    #[test]
    fn the_whole_household_together() {
        let day = Some(d(2026, 11, 1));
        assert!(check_household_exit(&[member(true, true, day), member(false, true, day)]).is_empty());
    }

    #[test]
    fn one_other_member_alone() {
        let day = Some(d(2026, 11, 1));
        assert!(check_household_exit(&[member(true, false, None), member(false, true, day)]).is_empty());
    }

    #[test]
    fn the_head_alone_needs_a_new_head() {
        let day = Some(d(2026, 11, 1));
        let mut members = [
            member(true, true, day),
            member(false, false, None),
            member(false, false, None),
        ];
        assert_eq!(
            check_household_exit(&members),
            vec![HouseholdExitProblem::HeadLeavesFirst]
        );
        members[2].new_head = true;
        assert!(check_household_exit(&members).is_empty());
        members[1].new_head = true;
        assert_eq!(
            check_household_exit(&members),
            vec![HouseholdExitProblem::BadNewHead]
        );
    }

    #[test]
    fn nobody_after_the_head() {
        let members = [
            member(true, true, Some(d(2026, 11, 1))),
            member(false, true, Some(d(2026, 11, 2))),
        ];
        assert_eq!(
            check_household_exit(&members),
            vec![HouseholdExitProblem::AfterHead(1)]
        );
    }

    proptest! {
        /// Whatever the choices, an accepted exit never leaves a household with members
        /// but no head, and never has anyone leave after the head.
        #[test]
        fn accepted_exits_keep_a_head(
            exiting in proptest::collection::vec(any::<bool>(), 1..6),
            offsets in proptest::collection::vec(0i64..10, 6),
            new_head in proptest::option::of(0usize..6),
        ) {
            let base = d(2026, 11, 1);
            let members: Vec<ExitMember> = exiting
                .iter()
                .enumerate()
                .map(|(i, &leaves)| ExitMember {
                    is_head: i == 0,
                    exiting: leaves,
                    exit_date: leaves.then(|| base + chrono::Duration::days(offsets[i])),
                    new_head: new_head == Some(i),
                })
                .collect();
            if check_household_exit(&members).is_empty() {
                let staying: Vec<&ExitMember> = members.iter().filter(|m| !m.exiting).collect();
                let head_stays = staying.iter().any(|m| m.is_head);
                let new_head_stays = staying.iter().filter(|m| m.new_head).count() == 1;
                prop_assert!(staying.is_empty() || head_stays || new_head_stays);
                if let Some(head) = members.iter().find(|m| m.is_head && m.exiting) {
                    prop_assert!(members.iter().filter(|m| m.exiting).all(|m| m.exit_date <= head.exit_date));
                }
            }
        }
    }
}
