//! Typed enums for the HUD lists the workflow rules use. Labels are read from the
//! generated tables; the tests check that each enum mirrors its whole list.

use serde::{Deserialize, Serialize};

use super::{
    CodeList, CodedEnum, DATA_COLLECTION_STAGE, DESTINATION, MissingReason, NO_YES, NO_YES_MISSING,
    NO_YES_REASONS_FOR_MISSING_DATA, PROJECT_TYPE, RELATIONSHIP_TO_HOH,
};

hud_enum! {
    /// 2.02.6 ProjectType (Project.csv `ProjectType`).
    pub enum ProjectType in PROJECT_TYPE {
        /// 0 Emergency Shelter - Entry Exit.
        EsEntryExit = 0,
        /// 1 Emergency Shelter - Night-by-Night.
        EsNightByNight = 1,
        /// 2 Transitional Housing.
        TransitionalHousing = 2,
        /// 3 PH - Permanent Supportive Housing.
        PhPermanentSupportiveHousing = 3,
        /// 4 Street Outreach.
        StreetOutreach = 4,
        /// 6 Services Only.
        ServicesOnly = 6,
        /// 8 Safe Haven.
        SafeHaven = 8,
        /// 9 PH - Housing Only.
        PhHousingOnly = 9,
        /// 7 Other.
        Other = 7,
        /// 10 PH - Housing with Services (no disability required for entry).
        PhHousingWithServices = 10,
        /// 11 Day Shelter.
        DayShelter = 11,
        /// 12 Homelessness Prevention.
        HomelessnessPrevention = 12,
        /// 13 PH - Rapid Re-Housing.
        PhRapidReHousing = 13,
        /// 14 Coordinated Entry.
        CoordinatedEntry = 14,
    }
}

impl ProjectType {
    /// Emergency shelter, either method (0, 1).
    pub const fn is_emergency_shelter(self) -> bool {
        matches!(self, Self::EsEntryExit | Self::EsNightByNight)
    }

    /// Night-by-night emergency shelter (1): bed nights are recorded as services and the
    /// exit date is the day after the last bed night.
    pub const fn is_es_night_by_night(self) -> bool {
        matches!(self, Self::EsNightByNight)
    }

    /// Permanent housing: PSH (3), PH - Housing Only (9), PH - Housing with Services (10)
    /// and Rapid Re-Housing (13).
    pub const fn is_permanent_housing(self) -> bool {
        matches!(
            self,
            Self::PhPermanentSupportiveHousing
                | Self::PhHousingOnly
                | Self::PhHousingWithServices
                | Self::PhRapidReHousing
        )
    }

    /// Residential projects (ES, TH, SH and PH): the client stays there, so the exit date
    /// is the last day of residence.
    pub const fn is_residential(self) -> bool {
        self.is_emergency_shelter()
            || matches!(self, Self::TransitionalHousing | Self::SafeHaven)
            || self.is_permanent_housing()
    }

    /// Street Outreach (4).
    pub const fn is_street_outreach(self) -> bool {
        matches!(self, Self::StreetOutreach)
    }

    /// Coordinated Entry (14).
    pub const fn is_coordinated_entry(self) -> bool {
        matches!(self, Self::CoordinatedEntry)
    }
}

hud_enum! {
    /// 3.15.1 RelationshipToHoH (Enrollment.csv `RelationshipToHoH`).
    pub enum RelationshipToHoH in RELATIONSHIP_TO_HOH {
        /// 1 Self (head of household).
        HeadOfHousehold = 1,
        /// 2 Child.
        Child = 2,
        /// 3 Spouse or partner.
        SpouseOrPartner = 3,
        /// 4 Other relative.
        OtherRelative = 4,
        /// 5 Unrelated household member.
        UnrelatedHouseholdMember = 5,
        /// 99 Data not collected.
        DataNotCollected = 99,
    }
}

impl RelationshipToHoH {
    /// The head of household (1); each household has exactly one.
    pub const fn is_head(self) -> bool {
        matches!(self, Self::HeadOfHousehold)
    }
}

hud_enum! {
    /// 5.03.1 DataCollectionStage (IncomeBenefits, HealthAndDV, EmploymentEducation,
    /// Disabilities and YouthEducationStatus `DataCollectionStage`). 4 is not used.
    pub enum DataCollectionStage in DATA_COLLECTION_STAGE {
        /// 1 Project entry (InformationDate = EntryDate).
        ProjectStart = 1,
        /// 2 Update.
        Update = 2,
        /// 3 Project exit (InformationDate = ExitDate).
        ProjectExit = 3,
        /// 5 Annual assessment.
        Annual = 5,
        /// 6 Post-exit.
        PostExit = 6,
    }
}

hud_enum! {
    /// 1.10 NoYes (0/1): no missing-data responses allowed.
    pub enum NoYes in NO_YES {
        /// 0 No.
        No = 0,
        /// 1 Yes.
        Yes = 1,
    }
}

impl NoYes {
    /// Yes for `true`, No for `false`.
    pub const fn from_bool(yes: bool) -> Self {
        if yes { Self::Yes } else { Self::No }
    }

    /// `true` for Yes.
    pub const fn as_bool(self) -> bool {
        matches!(self, Self::Yes)
    }
}

hud_enum! {
    /// 1.7 NoYesMissing (0/1/99): 8 and 9 are not allowed.
    pub enum NoYesMissing in NO_YES_MISSING {
        /// 0 No.
        No = 0,
        /// 1 Yes.
        Yes = 1,
        /// 99 Data not collected.
        DataNotCollected = 99,
    }
}

impl NoYesMissing {
    /// `Some(true)` for Yes, `Some(false)` for No, `None` for data not collected.
    pub const fn as_bool(self) -> Option<bool> {
        match self {
            Self::No => Some(false),
            Self::Yes => Some(true),
            Self::DataNotCollected => None,
        }
    }
}

hud_enum! {
    /// 1.8 NoYesReasonsForMissingData (0/1/8/9/99); also the values of 3.07.1
    /// VeteranStatus and 4.11.B CurrentlyFleeing.
    pub enum NoYesReasons in NO_YES_REASONS_FOR_MISSING_DATA {
        /// 0 No.
        No = 0,
        /// 1 Yes.
        Yes = 1,
        /// 8 Client doesn't know.
        ClientDoesntKnow = 8,
        /// 9 Client prefers not to answer.
        ClientPrefersNotToAnswer = 9,
        /// 99 Data not collected.
        DataNotCollected = 99,
    }
}

impl NoYesReasons {
    /// `Some(true)` for Yes, `Some(false)` for No, `None` for a missing-data response.
    pub const fn as_bool(self) -> Option<bool> {
        match self {
            Self::No => Some(false),
            Self::Yes => Some(true),
            Self::ClientDoesntKnow | Self::ClientPrefersNotToAnswer | Self::DataNotCollected => None,
        }
    }

    /// The missing-data response, for 8, 9 and 99.
    pub const fn missing_reason(self) -> Option<MissingReason> {
        MissingReason::from_code(self.code())
    }
}

/// The group of a 3.12 Destination code (the `group` column of list 3.12). Lists 3.917
/// PriorLivingSituation and 4.12 CurrentLivingSituation use the same groups.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DestinationGroup {
    /// "Homeless situations" (1xx).
    Homeless,
    /// "Institutional situations" (2xx).
    Institutional,
    /// "Temporary housing situations" (3xx).
    Temporary,
    /// "Permanent housing situations" (4xx).
    Permanent,
    /// "Other": 17 Other, 24 Deceased, 30 No exit interview completed (and 37 in 4.12).
    Other,
    /// "Missing data": 8, 9, 99.
    Missing,
}

impl DestinationGroup {
    /// Every group, in this order: Homeless, Institutional, Temporary, Permanent, Other,
    /// Missing.
    pub const ALL: &'static [Self] = &[
        Self::Homeless,
        Self::Institutional,
        Self::Temporary,
        Self::Permanent,
        Self::Other,
        Self::Missing,
    ];

    /// The group for a `group` value of list 3.12, 3.917 or 4.12, e.g. "Homeless
    /// situations" (read by its first word).
    pub fn from_group(group: &str) -> Option<Self> {
        match group.split_whitespace().next()? {
            "Homeless" => Some(Self::Homeless),
            "Institutional" => Some(Self::Institutional),
            "Temporary" => Some(Self::Temporary),
            "Permanent" => Some(Self::Permanent),
            "Other" => Some(Self::Other),
            "Missing" => Some(Self::Missing),
            _ => None,
        }
    }

    /// The group of `code` in a living-situation list (3.12, 3.917 or 4.12).
    pub fn of(list: &CodeList, code: i32) -> Option<Self> {
        list.group(code).and_then(Self::from_group)
    }

    /// The group's text as in list 3.12, e.g. "Permanent housing situations".
    pub fn label(self) -> &'static str {
        DESTINATION
            .values
            .iter()
            .filter_map(|value| value.group)
            .find(|group| Self::from_group(group) == Some(self))
            .unwrap_or_default()
    }
}

/// The group of a 3.12 Destination code; `None` for a code not in 3.12.
pub fn destination_group(code: i32) -> Option<DestinationGroup> {
    DestinationGroup::of(&DESTINATION, code)
}

#[cfg(test)]
mod tests {
    use super::super::{CURRENT_LIVING_SITUATION, PRIOR_LIVING_SITUATION};
    use super::*;

    /// The enum mirrors its whole list: same codes in the same order, labels from the table,
    /// and code -> enum -> code round-trips.
    fn assert_mirrors<T: CodedEnum + std::fmt::Debug + PartialEq>(element: &str) {
        let list = T::list();
        assert_eq!(list.element, element);
        assert_eq!(
            T::ALL.iter().map(|v| v.code()).collect::<Vec<_>>(),
            list.codes().collect::<Vec<_>>(),
            "{}",
            list.name
        );
        for value in T::ALL {
            assert_eq!(T::from_code(value.code()), Some(*value));
            assert_eq!(Some(value.label()), list.label(value.code()));
            assert!(!value.label().is_empty());
        }
        for code in list.codes() {
            assert_eq!(T::from_code(code).map(T::code), Some(code));
        }
        for code in [-1, 15, 100, 999, i32::MIN, i32::MAX] {
            assert_eq!(T::from_code(code).is_some(), list.contains(code));
        }
    }

    #[test]
    fn enums_mirror_their_lists() {
        assert_mirrors::<ProjectType>("2.02.6");
        assert_mirrors::<RelationshipToHoH>("3.15.1");
        assert_mirrors::<DataCollectionStage>("5.03.1");
        assert_mirrors::<NoYes>("1.10");
        assert_mirrors::<NoYesMissing>("1.7");
        assert_mirrors::<NoYesReasons>("1.8");
    }

    #[test]
    fn missing_reason_round_trips_within_1_8() {
        for reason in MissingReason::ALL {
            assert_eq!(MissingReason::from_code(reason.code()), Some(*reason));
            assert_eq!(
                Some(reason.label()),
                NO_YES_REASONS_FOR_MISSING_DATA.label(reason.code())
            );
            assert_eq!(
                NoYesReasons::from_code(reason.code()).and_then(NoYesReasons::missing_reason),
                Some(*reason)
            );
        }
        assert_eq!(
            MissingReason::ALL.iter().map(|r| r.code()).collect::<Vec<_>>(),
            [8, 9, 99]
        );
        assert_eq!(MissingReason::ClientDoesntKnow.label(), "Client doesn't know");
        assert_eq!(NoYesReasons::Yes.missing_reason(), None);
    }

    #[test]
    fn yes_no_enums_reject_what_their_list_does_not_allow() {
        assert_eq!(NoYes::from_code(8), None);
        assert_eq!(NoYes::from_code(99), None);
        assert_eq!(NoYesMissing::from_code(8), None);
        assert_eq!(NoYesMissing::from_code(9), None);
        assert_eq!(NoYesMissing::from_code(99), Some(NoYesMissing::DataNotCollected));
        assert_eq!(
            NoYesReasons::from_code(9),
            Some(NoYesReasons::ClientPrefersNotToAnswer)
        );
        assert!(NoYes::from_bool(true).as_bool() && !NoYes::from_bool(false).as_bool());
        assert_eq!(NoYesMissing::DataNotCollected.as_bool(), None);
        assert_eq!(NoYesReasons::No.as_bool(), Some(false));
        assert_eq!(NoYesReasons::ClientDoesntKnow.as_bool(), None);
    }

    #[test]
    fn project_type_helpers() {
        use ProjectType as P;
        assert_eq!(P::ALL.len(), 14);
        assert_eq!(P::from_code(5), None);
        assert_eq!(P::EsEntryExit.label(), "Emergency Shelter - Entry Exit");
        let residential: Vec<i32> = P::ALL
            .iter()
            .filter(|p| p.is_residential())
            .map(|p| p.code())
            .collect();
        assert_eq!(residential, [0, 1, 2, 3, 8, 9, 10, 13]);
        let permanent: Vec<i32> = P::ALL
            .iter()
            .filter(|p| p.is_permanent_housing())
            .map(|p| p.code())
            .collect();
        assert_eq!(permanent, [3, 9, 10, 13]);
        assert!(
            P::ALL
                .iter()
                .filter(|p| p.is_permanent_housing())
                .all(|p| p.label().starts_with("PH - "))
        );
        assert!(P::StreetOutreach.is_street_outreach() && !P::StreetOutreach.is_residential());
        assert!(P::CoordinatedEntry.is_coordinated_entry() && !P::CoordinatedEntry.is_residential());
        assert!(P::EsNightByNight.is_es_night_by_night() && !P::EsEntryExit.is_es_night_by_night());
        assert!(P::EsEntryExit.is_emergency_shelter() && !P::DayShelter.is_residential());
        for p in [
            P::ServicesOnly,
            P::Other,
            P::DayShelter,
            P::HomelessnessPrevention,
        ] {
            assert!(!p.is_residential(), "{p:?}");
        }
        assert_eq!(
            P::ALL
                .iter()
                .filter(|p| p.is_street_outreach() || p.is_coordinated_entry())
                .count(),
            2
        );
    }

    #[test]
    fn relationship_and_stage() {
        assert!(RelationshipToHoH::HeadOfHousehold.is_head());
        assert_eq!(RelationshipToHoH::ALL.iter().filter(|r| r.is_head()).count(), 1);
        assert_eq!(
            RelationshipToHoH::from_code(1),
            Some(RelationshipToHoH::HeadOfHousehold)
        );
        assert_eq!(
            RelationshipToHoH::HeadOfHousehold.label(),
            "Self (head of household)"
        );
        assert_eq!(DataCollectionStage::from_code(4), None);
        assert_eq!(
            DataCollectionStage::ALL
                .iter()
                .map(|s| s.code())
                .collect::<Vec<_>>(),
            [1, 2, 3, 5, 6]
        );
        assert_eq!(DataCollectionStage::ProjectStart.label(), "Project entry");
    }

    #[test]
    fn destination_groups() {
        assert_eq!(destination_group(101), Some(DestinationGroup::Homeless));
        assert_eq!(destination_group(207), Some(DestinationGroup::Institutional));
        assert_eq!(destination_group(302), Some(DestinationGroup::Temporary));
        assert_eq!(destination_group(435), Some(DestinationGroup::Permanent));
        for code in [17, 24, 30] {
            assert_eq!(destination_group(code), Some(DestinationGroup::Other));
        }
        for reason in MissingReason::ALL {
            assert_eq!(destination_group(reason.code()), Some(DestinationGroup::Missing));
        }
        assert_eq!(destination_group(335), None);
        assert_eq!(
            DestinationGroup::Permanent.label(),
            "Permanent housing situations"
        );
        assert_eq!(DestinationGroup::Other.label(), "Other");
        // Every code in the three living-situation lists has a group, every group is used
        // by 3.12, and the 1xx..4xx hundreds match their groups.
        for list in [&DESTINATION, &PRIOR_LIVING_SITUATION, &CURRENT_LIVING_SITUATION] {
            for code in list.codes() {
                let group = DestinationGroup::of(list, code);
                assert!(group.is_some(), "{} {code}", list.name);
                let by_hundreds = match code / 100 {
                    1 => Some(DestinationGroup::Homeless),
                    2 => Some(DestinationGroup::Institutional),
                    3 => Some(DestinationGroup::Temporary),
                    4 => Some(DestinationGroup::Permanent),
                    _ => None,
                };
                if by_hundreds.is_some() {
                    assert_eq!(group, by_hundreds, "{} {code}", list.name);
                }
            }
        }
        for group in DestinationGroup::ALL {
            assert!(!group.label().is_empty(), "{group:?}");
            assert_eq!(DestinationGroup::from_group(group.label()), Some(*group));
        }
        assert_eq!(DestinationGroup::from_group(""), None);
    }
}
