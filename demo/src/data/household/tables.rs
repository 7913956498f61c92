//! The generator's weighted code tables: (code, weight), every code checked against its
//! HUD list in the tests; and the two code conversions the episodes need.

use app::domain::codes::ProjectType;

use super::HouseholdKind;

pub(super) const HOUSEHOLD_KINDS: &[(HouseholdKind, u32)] = &[
    (HouseholdKind::SingleAdult, 52),
    (HouseholdKind::Youth, 9),
    (HouseholdKind::Couple, 6),
    (HouseholdKind::Adults, 3),
    (HouseholdKind::Family, 26),
    (HouseholdKind::ParentingYouth, 4),
];

pub(super) type Flow = &'static [ProjectType];

pub(super) const SO: ProjectType = ProjectType::StreetOutreach;
pub(super) const NBN: ProjectType = ProjectType::EsNightByNight;
pub(super) const ES: ProjectType = ProjectType::EsEntryExit;
pub(super) const CE: ProjectType = ProjectType::CoordinatedEntry;
pub(super) const TH: ProjectType = ProjectType::TransitionalHousing;
pub(super) const RRH: ProjectType = ProjectType::PhRapidReHousing;
pub(super) const PSH: ProjectType = ProjectType::PhPermanentSupportiveHousing;
pub(super) const HP: ProjectType = ProjectType::HomelessnessPrevention;
pub(super) const SSO: ProjectType = ProjectType::ServicesOnly;

/// Paths of single adults, couples and adult-only households.
pub(super) const ADULT_FLOWS: &[(Flow, u32)] = &[
    (&[SO], 12),
    (&[SO, CE, PSH], 4),
    (&[SO, CE, RRH], 3),
    (&[SO, NBN], 3),
    (&[NBN], 14),
    (&[NBN, CE, RRH], 5),
    (&[NBN, CE, PSH], 3),
    (&[NBN, CE, TH], 2),
    (&[CE], 6),
    (&[CE, RRH], 6),
    (&[CE, PSH], 3),
    (&[CE, NBN], 2),
    (&[HP], 8),
    (&[RRH], 3),
    (&[PSH], 2),
    (&[TH], 2),
    (&[SSO], 7),
    (&[SSO, CE, RRH], 2),
];

/// Paths of unaccompanied youth (18-24).
pub(super) const YOUTH_FLOWS: &[(Flow, u32)] = &[
    (&[TH], 8),
    (&[CE, TH], 5),
    (&[NBN], 6),
    (&[NBN, CE, TH], 3),
    (&[SO], 4),
    (&[SO, CE, RRH], 1),
    (&[CE], 3),
    (&[CE, RRH], 3),
    (&[HP], 2),
    (&[SSO], 2),
];

/// Paths of households with children.
pub(super) const FAMILY_FLOWS: &[(Flow, u32)] = &[
    (&[ES], 14),
    (&[ES, CE, RRH], 12),
    (&[ES, CE, TH], 4),
    (&[ES, CE, PSH], 3),
    (&[CE, ES], 5),
    (&[CE, RRH], 8),
    (&[CE], 4),
    (&[CE, TH], 3),
    (&[HP], 14),
    (&[HP, ES], 2),
    (&[RRH], 3),
    (&[TH], 3),
    (&[SSO], 6),
];

/// Paths of households fleeing domestic violence.
pub(super) const DV_FLOWS: &[(Flow, u32)] = &[(&[ES], 6), (&[ES, RRH], 6), (&[RRH], 2), (&[ES, CE, RRH], 1)];

/// 3.917 at the first entry, by the first project's type.
#[rustfmt::skip]
pub(super) const PRIOR_STREET: &[(i32, u32)] = &[
    (116, 80), (118, 2), (101, 8), (335, 3), (336, 2), (207, 3), (8, 1), (99, 1),
];
#[rustfmt::skip]
pub(super) const PRIOR_SHELTER: &[(i32, u32)] = &[
    (116, 45), (101, 25), (335, 7), (336, 5), (314, 5), (204, 2), (205, 2), (206, 2), (207, 2), (410, 2),
    (8, 1), (9, 1), (99, 1),
];
#[rustfmt::skip]
pub(super) const PRIOR_FAMILY: &[(i32, u32)] = &[
    (335, 25), (336, 15), (116, 18), (101, 10), (314, 10), (410, 12), (435, 3), (332, 1), (215, 2), (9, 1),
    (99, 3),
];
#[rustfmt::skip]
pub(super) const PRIOR_YOUTH: &[(i32, u32)] = &[
    (335, 25), (336, 15), (101, 20), (116, 15), (215, 8), (207, 4), (302, 5), (332, 3), (8, 2), (99, 3),
];
#[rustfmt::skip]
pub(super) const PRIOR_HOUSING: &[(i32, u32)] = &[
    (101, 45), (116, 35), (118, 5), (302, 5), (204, 2), (205, 3), (207, 2), (329, 1), (99, 2),
];
#[rustfmt::skip]
pub(super) const PRIOR_PREVENTION: &[(i32, u32)] = &[
    (410, 45), (435, 20), (335, 15), (336, 10), (411, 3), (421, 1), (314, 4), (9, 1), (99, 1),
];

/// 3.12.A for 435 (rental with ongoing subsidy).
#[rustfmt::skip]
pub(super) const SUBSIDIES: &[(i32, u32)] = &[
    (431, 30), (433, 25), (434, 15), (439, 10), (420, 8), (436, 3), (437, 3), (438, 2), (440, 3), (428, 1),
];

/// 3.12 Destination of a household's last exit, by project type.
#[rustfmt::skip]
pub(super) const DEST_HOUSED: &[(i32, u32)] = &[
    (410, 18), (435, 45), (411, 1), (421, 1), (422, 8), (423, 4), (312, 4), (313, 3), (314, 1), (101, 2),
    (116, 2), (205, 1), (206, 1), (207, 1), (225, 1), (24, 2), (30, 4), (17, 1), (8, 1), (99, 1),
];
#[rustfmt::skip]
pub(super) const DEST_NOT_MOVED_IN: &[(i32, u32)] = &[
    (101, 20), (116, 15), (312, 12), (313, 10), (314, 5), (410, 8), (435, 5), (422, 5), (30, 15), (207, 2),
    (99, 3),
];
#[rustfmt::skip]
pub(super) const DEST_TH: &[(i32, u32)] = &[
    (410, 20), (435, 20), (422, 10), (423, 5), (312, 10), (313, 8), (101, 8), (116, 5), (302, 2), (207, 2),
    (205, 2), (30, 6), (99, 2),
];
#[rustfmt::skip]
pub(super) const DEST_ES: &[(i32, u32)] = &[
    (410, 12), (435, 14), (422, 8), (423, 4), (312, 12), (313, 9), (314, 4), (101, 8), (116, 6), (302, 3),
    (204, 1), (205, 1), (206, 1), (207, 1), (30, 12), (17, 1), (8, 1), (9, 1), (99, 2),
];
#[rustfmt::skip]
pub(super) const DEST_NBN: &[(i32, u32)] = &[
    (30, 35), (116, 15), (101, 10), (312, 8), (313, 6), (314, 3), (410, 4), (435, 3), (422, 3), (207, 2),
    (206, 2), (205, 1), (17, 1), (8, 1), (9, 1), (99, 5),
];
#[rustfmt::skip]
pub(super) const DEST_SO: &[(i32, u32)] = &[
    (30, 30), (116, 20), (101, 15), (312, 6), (313, 5), (410, 3), (435, 3), (422, 2), (207, 3), (206, 2),
    (204, 2), (205, 2), (24, 1), (8, 1), (9, 1), (99, 4),
];
#[rustfmt::skip]
pub(super) const DEST_HP: &[(i32, u32)] = &[
    (410, 50), (435, 15), (411, 3), (422, 10), (423, 5), (312, 6), (313, 4), (314, 2), (101, 2), (30, 2),
    (99, 1),
];
#[rustfmt::skip]
pub(super) const DEST_CE: &[(i32, u32)] = &[
    (30, 35), (101, 15), (116, 12), (312, 8), (313, 6), (422, 6), (423, 4), (410, 5), (435, 3), (8, 1),
    (99, 5),
];
/// After a successful diversion (4.20 event 2 with result 1).
pub(super) const DEST_DIVERTED: &[(i32, u32)] = &[(422, 35), (423, 20), (312, 25), (313, 15), (410, 5)];

/// 3.12 OtherDestination texts, for destination 17.
pub(super) const OTHER_DESTINATIONS: &[&str] = &[
    "Moved out of state",
    "Church housing",
    "Left with partner, location unknown",
    "Seasonal work camp",
];

/// 4.12 CurrentLivingSituation at a street outreach contact.
#[rustfmt::skip]
pub(super) const STREET_CONTACTS: &[(i32, u32)] = &[
    (116, 70), (101, 8), (118, 2), (335, 4), (336, 3), (314, 3), (37, 4), (17, 2), (207, 1), (8, 1), (9, 1),
    (99, 1),
];

/// 4.12 CurrentLivingSituation at a services-only check-in.
#[rustfmt::skip]
pub(super) const CHECK_IN_CONTACTS: &[(i32, u32)] = &[
    (101, 35), (116, 25), (335, 12), (336, 10), (314, 8), (410, 6), (99, 4),
];

/// 4.12 LocationDetails of street contacts.
pub(super) const STREET_LOCATIONS: &[&str] = &[
    "Under the Hanley Road overpass",
    "Encampment along River des Peres",
    "Bus shelter, Florissant Road",
    "Behind the grocery store on Lemay Ferry",
    "Car parked at the commuter lot",
    "Wooded area near the Metrolink station",
    "Library entrance, North County",
];

/// 4.19.2 AssessmentLocation.
pub(super) const CE_LOCATIONS: &[&str] = &[
    "Coordinated Entry Hub, Clayton",
    "Northside Night Shelter",
    "Riverside Family Shelter",
    "Outreach van, North County",
    "Community health center, Jennings",
    "Public library, Florissant",
];

/// C2 MovingOnOtherType, for C2.2 code 5.
pub(super) const MOVING_ON_OTHER: &[&str] = &["Furniture and household goods", "Utility arrears payment"];

/// 4.02 OtherIncomeSourceIdentify.
pub(super) const OTHER_INCOME_TEXT: &[&str] =
    &["Gig work", "Help from family", "Plasma donation", "Odd jobs"];

/// The seeded local exit reasons (`exit_reasons`; see the HUD model migration).
pub(super) const REASON_ADMIN: &str = "exitreason0000000000000000000001";
pub(super) const REASON_AUTO: &str = "exitreason0000000000000000000002";
pub(super) const REASON_COMPLETED: &str = "exitreason0000000000000000000003";
pub(super) const REASON_HOUSING: &str = "exitreason0000000000000000000004";
pub(super) const REASON_NON_COMPLIANCE: &str = "exitreason0000000000000000000005";
pub(super) const REASON_MAX_TIME: &str = "exitreason0000000000000000000006";
pub(super) const REASON_DISAGREEMENT: &str = "exitreason0000000000000000000007";
pub(super) const REASON_CRIMINAL: &str = "exitreason0000000000000000000008";
pub(super) const REASON_DEATH: &str = "exitreason0000000000000000000009";
pub(super) const REASON_UNKNOWN: &str = "exitreason0000000000000000000010";
pub(super) const REASON_OTHER: &str = "exitreason0000000000000000000011";

/// Race and ethnicity combinations as bit sets: AmIndAKNative 1, Asian 2,
/// BlackAfAmerican 4, HispanicLatinao 8, MidEastNAfrican 16, NativeHIPacific 32, White 64.
#[rustfmt::skip]
pub(super) const RACES: &[(u8, u32)] = &[
    (4, 330), (64, 290), (8, 100), (64 | 8, 90), (4 | 8, 15), (4 | 64, 50), (1, 25), (1 | 64, 10),
    (1 | 8, 8), (2, 15), (2 | 64, 5), (32, 12), (16, 10),
];

/// The 3.917.2 LengthOfStay code for a stay of `days`.
pub(super) fn length_code(days: i64) -> i32 {
    match days {
        ..=1 => 10,
        2..=6 => 11,
        7..=29 => 2,
        30..=89 => 3,
        90..=364 => 4,
        _ => 5,
    }
}

/// A 3.917 code as a 3.12 destination (3.917's family/friends codes are 3.12's
/// temporary-tenure ones).
pub(super) fn as_destination(code: i32) -> i32 {
    match code {
        335 => 312,
        336 => 313,
        other => other,
    }
}
