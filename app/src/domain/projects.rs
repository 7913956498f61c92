//! 2.02 Project information, 2.03 CoC information and 2.06 Funding sources: the rules a
//! project's descriptor data must follow before it is saved. Pure: the caller passes
//! what the user entered, already parsed.

use chrono::NaiveDate;

use super::codes::{COC_CODES, FUNDING_SOURCE, HOUSING_TYPE, ProjectType, RRH_SUB_TYPE, TARGET_POPULATION};

/// HUD's ProjectName and ProjectCommonName are S200.
pub const MAX_NAME_LEN: usize = 200;
/// HUD's GrantID is S100.
pub const MAX_GRANT_ID_LEN: usize = 100;
/// HUD's OtherFunder is S100.
pub const MAX_OTHER_FUNDER_LEN: usize = 100;
/// 2.06.1 "Local or Other Funding Source": OtherFunder names it.
pub const FUNDER_LOCAL_OR_OTHER: i32 = 46;
/// The longest auto-exit or auto-alert period a project may set (ten years).
pub const MAX_INACTIVITY_DAYS: i32 = 3650;

/// A problem with one field: (field name, message for the user).
pub type Problem = (&'static str, &'static str);

/// A project's descriptor, as entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectDraft {
    pub project_name: String,
    pub project_type: Option<ProjectType>,
    /// 2.02.D HousingType.
    pub housing_type: Option<i32>,
    /// 2.02.A RRHSubType.
    pub rrh_sub_type: Option<i32>,
    /// 2.02.7 TargetPopulation.
    pub target_population: Option<i32>,
    pub operating_start_date: Option<NaiveDate>,
    pub operating_end_date: Option<NaiveDate>,
    pub auto_exit_days: Option<i32>,
    pub auto_alert_days: Option<i32>,
}

/// Whether 2.02.D HousingType is collected for this project: residential projects
/// (ES entry/exit and night-by-night, TH, SH, PSH, PH housing only and with services) and
/// Rapid Re-Housing that provides housing (RRHSubType 2). Services-only RRH has none.
pub fn needs_housing_type(project_type: ProjectType, rrh_sub_type: Option<i32>) -> bool {
    match project_type {
        ProjectType::PhRapidReHousing => rrh_sub_type == Some(2),
        other => other.is_residential(),
    }
}

/// The problems with a project's descriptor; empty when it may be saved.
pub fn check_project(draft: &ProjectDraft) -> Vec<Problem> {
    let mut problems = Vec::new();
    let name = draft.project_name.trim();
    if name.is_empty() {
        problems.push(("project_name", "Enter the project's name."));
    } else if name.chars().count() > MAX_NAME_LEN {
        problems.push(("project_name", "Use at most 200 characters."));
    }
    match draft.project_type {
        None => problems.push(("project_type", "Choose the HUD project type.")),
        Some(project_type) => {
            let rrh = project_type == ProjectType::PhRapidReHousing;
            match (rrh, draft.rrh_sub_type) {
                (true, None) => problems.push(("rrh_sub_type", "Choose the Rapid Re-Housing subtype.")),
                (true, Some(code)) if !RRH_SUB_TYPE.contains(code) => {
                    problems.push(("rrh_sub_type", "Choose a subtype from the list."))
                }
                (false, Some(_)) => {
                    problems.push(("rrh_sub_type", "Only Rapid Re-Housing projects have a subtype."))
                }
                _ => {}
            }
            let needed = needs_housing_type(project_type, draft.rrh_sub_type);
            match (needed, draft.housing_type) {
                (true, None) => problems.push(("housing_type", "Choose the housing type.")),
                (true, Some(code)) if !HOUSING_TYPE.contains(code) => {
                    problems.push(("housing_type", "Choose a housing type from the list."))
                }
                (false, Some(_)) => problems.push((
                    "housing_type",
                    "Housing type is only collected for residential projects.",
                )),
                _ => {}
            }
        }
    }
    if let Some(code) = draft.target_population
        && !TARGET_POPULATION.contains(code)
    {
        problems.push(("target_population", "Choose a target population from the list."));
    }
    match (draft.operating_start_date, draft.operating_end_date) {
        (None, _) => problems.push((
            "operating_start_date",
            "Enter the date the project started operating.",
        )),
        (Some(start), Some(end)) if end < start => problems.push((
            "operating_end_date",
            "The end date cannot be before the start date.",
        )),
        _ => {}
    }
    for (field, days) in [
        ("auto_exit_days", draft.auto_exit_days),
        ("auto_alert_days", draft.auto_alert_days),
    ] {
        if let Some(days) = days
            && !(super::auto_exit::MIN_DAYS..=MAX_INACTIVITY_DAYS).contains(&days)
        {
            problems.push((
                field,
                "Enter a number of days from 30 to 3650, or leave it empty.",
            ));
        }
    }
    if draft.auto_exit_days.is_some() && draft.project_type.is_some_and(|t| !super::auto_exit::allowed(t)) {
        problems.push((
            "auto_exit_days",
            "Coordinated Entry enrollments are exited by a priority list manager: leave it empty.",
        ));
    }
    if let (Some(alert), Some(exit)) = (draft.auto_alert_days, draft.auto_exit_days)
        && alert >= exit
    {
        problems.push((
            "auto_alert_days",
            "The alert must come before the auto-exit: use fewer days.",
        ));
    }
    problems
}

/// A 2.06 funding source, as entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunderDraft {
    /// 2.06.1 Funder.
    pub funder: Option<i32>,
    /// 2.06.A OtherFunder.
    pub other_funder: String,
    /// 2.06.2 GrantID.
    pub grant_id: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// The problems with a funding source; empty when it may be saved.
pub fn check_funder(draft: &FunderDraft) -> Vec<Problem> {
    let mut problems = Vec::new();
    match draft.funder {
        None => problems.push(("funder", "Choose the funding source.")),
        Some(code) if !FUNDING_SOURCE.contains(code) => {
            problems.push(("funder", "Choose a funding source from the list."))
        }
        Some(FUNDER_LOCAL_OR_OTHER) if draft.other_funder.trim().is_empty() => {
            problems.push(("other_funder", "Name the local or other funding source."))
        }
        Some(_) => {}
    }
    if draft.other_funder.trim().chars().count() > MAX_OTHER_FUNDER_LEN {
        problems.push(("other_funder", "Use at most 100 characters."));
    }
    let grant = draft.grant_id.trim();
    if grant.is_empty() {
        problems.push(("grant_id", "Enter the grant identifier."));
    } else if grant.chars().count() > MAX_GRANT_ID_LEN {
        problems.push(("grant_id", "Use at most 100 characters."));
    }
    match (draft.start_date, draft.end_date) {
        (None, _) => problems.push(("funder_start_date", "Enter the grant's start date.")),
        (Some(start), Some(end)) if end < start => {
            problems.push(("funder_end_date", "The end date cannot be before the start date."))
        }
        _ => {}
    }
    problems
}

/// 2.03.1 CoC code and 2.03.2 geocode, as entered.
pub fn check_coc(coc_code: &str, geocode: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !COC_CODES.contains(coc_code.trim()) {
        problems.push(("coc_code", "Choose the CoC from the list."));
    }
    let geocode = geocode.trim();
    if geocode.len() != 6 || !geocode.bytes().all(|b| b.is_ascii_digit()) {
        problems.push(("geocode", "Enter the six-digit HUD geocode."));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn shelter() -> ProjectDraft {
        ProjectDraft {
            project_name: "Riverside Shelter".into(),
            project_type: Some(ProjectType::EsEntryExit),
            housing_type: Some(1),
            rrh_sub_type: None,
            target_population: None,
            operating_start_date: Some(date(2020, 1, 1)),
            operating_end_date: None,
            auto_exit_days: Some(90),
            auto_alert_days: Some(60),
        }
    }

    fn fields(problems: &[Problem]) -> Vec<&'static str> {
        problems.iter().map(|(field, _)| *field).collect()
    }

    #[test]
    fn a_complete_shelter_passes() {
        assert!(check_project(&shelter()).is_empty());
    }

    #[test]
    fn name_type_and_start_date_are_required() {
        let draft = ProjectDraft {
            project_name: "  ".into(),
            project_type: None,
            housing_type: None,
            operating_start_date: None,
            ..shelter()
        };
        assert_eq!(
            fields(&check_project(&draft)),
            ["project_name", "project_type", "operating_start_date"]
        );
    }

    #[test]
    fn housing_type_follows_the_project_type() {
        let outreach = ProjectDraft {
            project_type: Some(ProjectType::StreetOutreach),
            ..shelter()
        };
        assert_eq!(fields(&check_project(&outreach)), ["housing_type"]);
        let outreach = ProjectDraft {
            housing_type: None,
            ..outreach
        };
        assert!(check_project(&outreach).is_empty());
        let no_housing_type = ProjectDraft {
            housing_type: None,
            ..shelter()
        };
        assert_eq!(fields(&check_project(&no_housing_type)), ["housing_type"]);
        let unknown = ProjectDraft {
            housing_type: Some(7),
            ..shelter()
        };
        assert_eq!(fields(&check_project(&unknown)), ["housing_type"]);
    }

    #[test]
    fn rapid_rehousing_needs_a_subtype_and_housing_type_only_with_housing() {
        let rrh = ProjectDraft {
            project_type: Some(ProjectType::PhRapidReHousing),
            housing_type: None,
            ..shelter()
        };
        assert_eq!(fields(&check_project(&rrh)), ["rrh_sub_type"]);
        let services_only = ProjectDraft {
            rrh_sub_type: Some(1),
            ..rrh.clone()
        };
        assert!(check_project(&services_only).is_empty());
        let with_housing = ProjectDraft {
            rrh_sub_type: Some(2),
            ..rrh.clone()
        };
        assert_eq!(fields(&check_project(&with_housing)), ["housing_type"]);
        let shelter_with_subtype = ProjectDraft {
            rrh_sub_type: Some(2),
            ..shelter()
        };
        assert_eq!(fields(&check_project(&shelter_with_subtype)), ["rrh_sub_type"]);
    }

    #[test]
    fn the_alert_comes_before_the_auto_exit() {
        let late_alert = ProjectDraft {
            auto_alert_days: Some(90),
            ..shelter()
        };
        assert_eq!(fields(&check_project(&late_alert)), ["auto_alert_days"]);
        let zero = ProjectDraft {
            auto_exit_days: Some(0),
            auto_alert_days: None,
            ..shelter()
        };
        assert_eq!(fields(&check_project(&zero)), ["auto_exit_days"]);
        let too_soon = ProjectDraft {
            auto_exit_days: Some(29),
            auto_alert_days: None,
            ..shelter()
        };
        assert_eq!(fields(&check_project(&too_soon)), ["auto_exit_days"]);
        let coordinated_entry = ProjectDraft {
            project_type: Some(ProjectType::CoordinatedEntry),
            housing_type: None,
            ..shelter()
        };
        assert_eq!(fields(&check_project(&coordinated_entry)), ["auto_exit_days"]);
    }

    #[test]
    fn funders_need_a_source_grant_and_start() {
        let ok = FunderDraft {
            funder: Some(2),
            other_funder: String::new(),
            grant_id: "MO0123L7E002205".into(),
            start_date: Some(date(2025, 7, 1)),
            end_date: Some(date(2026, 6, 30)),
        };
        assert!(check_funder(&ok).is_empty());
        let other = FunderDraft {
            funder: Some(FUNDER_LOCAL_OR_OTHER),
            ..ok.clone()
        };
        assert_eq!(fields(&check_funder(&other)), ["other_funder"]);
        let retired = FunderDraft {
            funder: Some(47),
            ..ok.clone()
        };
        assert_eq!(fields(&check_funder(&retired)), ["funder"]);
        let empty = FunderDraft {
            funder: None,
            other_funder: String::new(),
            grant_id: " ".into(),
            start_date: None,
            end_date: None,
        };
        assert_eq!(
            fields(&check_funder(&empty)),
            ["funder", "grant_id", "funder_start_date"]
        );
    }

    #[test]
    fn coc_codes_come_from_the_list_and_geocodes_have_six_digits() {
        assert!(check_coc("MO-500", "290001").is_empty());
        assert_eq!(fields(&check_coc("XX-999", "29001")), ["coc_code", "geocode"]);
        assert_eq!(fields(&check_coc("MO-500", "29000a")), ["geocode"]);
    }

    proptest! {
        /// Operating dates: any end on or after the start passes; any end before fails,
        /// whatever the dates.
        #[test]
        fn operating_end_is_never_before_start(start in 0i64..20_000, offset in -5_000i64..5_000) {
            let base = date(1990, 1, 1);
            let start = base + chrono::Duration::days(start);
            let end = start + chrono::Duration::days(offset);
            let draft = ProjectDraft {
                operating_start_date: Some(start),
                operating_end_date: Some(end),
                ..shelter()
            };
            let problems = fields(&check_project(&draft));
            prop_assert_eq!(problems.contains(&"operating_end_date"), offset < 0);
        }

        /// Inactivity periods: accepted exactly when both are within range and the
        /// alert is sooner than the exit.
        #[test]
        fn inactivity_days(exit in -10i32..4000, alert in -10i32..4000) {
            let draft = ProjectDraft {
                auto_exit_days: Some(exit),
                auto_alert_days: Some(alert),
                ..shelter()
            };
            let range = super::super::auto_exit::MIN_DAYS..=MAX_INACTIVITY_DAYS;
            let ok = range.contains(&exit)
                && range.contains(&alert)
                && alert < exit;
            prop_assert_eq!(check_project(&draft).is_empty(), ok);
        }
    }
}
