// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Client.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! Client-level universal data: 3.01 name, 3.02 SSN, 3.03 DOB, 3.04 race/ethnicity, 4.21 sex (FY2026), 3.07 veteran status + V1 veteran information: HUD `Client.csv`, table `clients`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    /// HUD `PersonalID`: primary key; 5.08 Personal identifier; one per de-duplicated client in the source system
    #[sea_orm(primary_key, auto_increment = false)]
    pub personal_id: String,
    /// HUD `FirstName`
    pub first_name: Option<String>,
    /// HUD `MiddleName`
    pub middle_name: Option<String>,
    /// HUD `LastName`
    pub last_name: Option<String>,
    /// HUD `NameSuffix`
    pub name_suffix: Option<String>,
    /// HUD `NameDataQuality` (list 3.01.5)
    pub name_data_quality: i32,
    /// 3.02 SSN, sealed with the data key (AEAD ciphertext; never stored in plain text).
    pub ssn_encrypted: Option<String>,
    /// 3.02 SSN: the last four digits, kept for search.
    pub ssn_last4: Option<String>,
    /// HUD `SSNDataQuality` (list 3.02.2)
    pub ssn_data_quality: i32,
    /// HUD `DOB`
    pub dob: Option<Date>,
    /// HUD `DOBDataQuality` (list 3.03.2)
    pub dob_data_quality: i32,
    /// HUD `Sex`: 4.21 Sex - NEW in FY2026; replaces removed 3.06 Gender columns (Woman, Man, NonBinary, CulturallySpecific, Transgender, Questioning, DifferentIdentity, GenderNone, DifferentIdentityText). Nullable in spec per greenriver model ?; column position after DOBDataQuality per greenriver FY2026 model ?
    pub sex: Option<i32>,
    /// HUD `AmIndAKNative` (list 1.10)
    pub am_ind_ak_native: i32,
    /// HUD `Asian` (list 1.10)
    pub asian: i32,
    /// HUD `BlackAfAmerican` (list 1.10)
    pub black_af_american: i32,
    /// HUD `HispanicLatinao`: 3.04 - FY2026 column name (FY2024 name was 'HispanicLatinaeo') (list 1.10)
    pub hispanic_latinao: i32,
    /// HUD `MidEastNAfrican` (list 1.10)
    pub mid_east_n_african: i32,
    /// HUD `NativeHIPacific` (list 1.10)
    pub native_hi_pacific: i32,
    /// HUD `White` (list 1.10)
    pub white: i32,
    /// HUD `RaceNone`: 3.04; populated only when all race columns = 0 (list 1.6)
    pub race_none: Option<i32>,
    /// HUD `AdditionalRaceEthnicity`: 3.04 free text
    pub additional_race_ethnicity: Option<String>,
    /// HUD `VeteranStatus`: 3.07; collected for adults (list 1.8)
    pub veteran_status: i32,
    /// HUD `YearEnteredService`: V1 (veterans only; FY2026: expected null for non-veterans)
    pub year_entered_service: Option<i32>,
    /// HUD `YearSeparated`
    pub year_separated: Option<i32>,
    /// HUD `WorldWarII` (list 1.8)
    pub world_war_ii: Option<i32>,
    /// HUD `KoreanWar` (list 1.8)
    pub korean_war: Option<i32>,
    /// HUD `VietnamWar` (list 1.8)
    pub vietnam_war: Option<i32>,
    /// HUD `DesertStorm` (list 1.8)
    pub desert_storm: Option<i32>,
    /// HUD `AfghanistanOEF` (list 1.8)
    pub afghanistan_oef: Option<i32>,
    /// HUD `IraqOIF` (list 1.8)
    pub iraq_oif: Option<i32>,
    /// HUD `IraqOND` (list 1.8)
    pub iraq_ond: Option<i32>,
    /// HUD `OtherTheater` (list 1.8)
    pub other_theater: Option<i32>,
    /// HUD `MilitaryBranch` (list V1.11)
    pub military_branch: Option<i32>,
    /// HUD `DischargeStatus`: V1.12
    pub discharge_status: Option<i32>,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
    /// Local search key: first name in lower case without accents (filled by the app).
    pub first_name_key: Option<String>,
    /// Local search key: last name in lower case without accents (filled by the app).
    pub last_name_key: Option<String>,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
