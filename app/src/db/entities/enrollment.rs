// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Enrollment.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! Project start-level data: 3.10 start date, 3.14 household, 3.15 relationship, 3.16 client location, 3.917 prior living situation, 3.08 disabling condition, 4.13 engagement, 3.20 move-in, program-specific entry elements: HUD `Enrollment.csv`, table `enrollments`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollments")]
pub struct Model {
    /// HUD `EnrollmentID`: primary key; 5.06
    #[sea_orm(primary_key, auto_increment = false)]
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `ProjectID`: 5.05 (FK Project)
    pub project_id: String,
    /// HUD `EntryDate`: 3.10 Project start date
    pub entry_date: Date,
    /// HUD `HouseholdID`: 3.14 / 5.09
    pub household_id: String,
    /// HUD `RelationshipToHoH`: 3.15 (list 3.15.1)
    pub relationship_to_hoh: Option<i32>,
    /// HUD `EnrollmentCoC`: 3.16 Client location (HoH only) (list 2.03.1)
    pub enrollment_coc: Option<String>,
    /// HUD `LivingSituation`: 3.917.1 (HoH and adults)
    pub living_situation: Option<i32>,
    /// HUD `RentalSubsidyType` (list 3.12.A)
    pub rental_subsidy_type: Option<i32>,
    /// HUD `LengthOfStay`: 3.917.2
    pub length_of_stay: Option<i32>,
    /// HUD `LOSUnderThreshold`: 3.917.2A (list 1.7)
    pub los_under_threshold: Option<i32>,
    /// HUD `PreviousStreetESSH`: 3.917.2B (list 1.7)
    pub previous_street_essh: Option<i32>,
    /// HUD `DateToStreetESSH`: 3.917.3
    pub date_to_street_essh: Option<Date>,
    /// HUD `TimesHomelessPastThreeYears`: 3.917.4
    pub times_homeless_past_three_years: Option<i32>,
    /// HUD `MonthsHomelessPastThreeYears`: 3.917.5
    pub months_homeless_past_three_years: Option<i32>,
    /// HUD `DisablingCondition`: 3.08 (list 1.8)
    pub disabling_condition: Option<i32>,
    /// HUD `DateOfEngagement`: 4.13 (SO, ES-NbN, SSO w/ outreach? )
    pub date_of_engagement: Option<Date>,
    /// HUD `MoveInDate`: 3.20 Housing move-in date (PH projects)
    pub move_in_date: Option<Date>,
    /// HUD `DateOfPATHStatus`: P3
    pub date_of_path_status: Option<Date>,
    /// HUD `ClientEnrolledInPATH` (list 1.7)
    pub client_enrolled_in_path: Option<i32>,
    /// HUD `ReasonNotEnrolled` (list P3.A)
    pub reason_not_enrolled: Option<i32>,
    /// HUD `PercentAMI`: V4 (list V4.1)
    pub percent_ami: Option<i32>,
    /// HUD `ReferralSource`: R1 (list R1.1)
    pub referral_source: Option<i32>,
    /// HUD `CountOutreachReferralApproaches`: R1
    pub count_outreach_referral_approaches: Option<i32>,
    /// HUD `DateOfBCPStatus`: R2
    pub date_of_bcp_status: Option<Date>,
    /// HUD `EligibleForRHY` (list 1.7)
    pub eligible_for_rhy: Option<i32>,
    /// HUD `ReasonNoServices` (list R2.A)
    pub reason_no_services: Option<i32>,
    /// HUD `RunawayYouth` (list 1.8)
    pub runaway_youth: Option<i32>,
    /// HUD `FormerWardChildWelfare`: R11 (list 1.8)
    pub former_ward_child_welfare: Option<i32>,
    /// HUD `ChildWelfareYears` (list R11.A)
    pub child_welfare_years: Option<i32>,
    /// HUD `ChildWelfareMonths`
    pub child_welfare_months: Option<i32>,
    /// HUD `FormerWardJuvenileJustice`: R12 (list 1.8)
    pub former_ward_juvenile_justice: Option<i32>,
    /// HUD `JuvenileJusticeYears` (list R11.A)
    pub juvenile_justice_years: Option<i32>,
    /// HUD `JuvenileJusticeMonths`
    pub juvenile_justice_months: Option<i32>,
    /// HUD `UnemploymentFam`: R13 (FY2026 list 1.8)
    pub unemployment_fam: Option<i32>,
    /// HUD `MentalHealthDisorderFam` (list 1.8)
    pub mental_health_disorder_fam: Option<i32>,
    /// HUD `PhysicalDisabilityFam` (list 1.8)
    pub physical_disability_fam: Option<i32>,
    /// HUD `AlcoholDrugUseDisorderFam` (list 1.8)
    pub alcohol_drug_use_disorder_fam: Option<i32>,
    /// HUD `InsufficientIncome` (list 1.8)
    pub insufficient_income: Option<i32>,
    /// HUD `IncarceratedParent` (list 1.8)
    pub incarcerated_parent: Option<i32>,
    /// HUD `VAMCStation`: V6 (list V6.1)
    pub vamc_station: Option<String>,
    /// HUD `TargetScreenReqd`: V7 (list 1.7)
    pub target_screen_reqd: Option<i32>,
    /// HUD `TimeToHousingLoss` (list V7.A)
    pub time_to_housing_loss: Option<i32>,
    /// HUD `AnnualPercentAMI` (list V7.B)
    pub annual_percent_ami: Option<i32>,
    /// HUD `LiteralHomelessHistory` (list V7.C)
    pub literal_homeless_history: Option<i32>,
    /// HUD `ClientLeaseholder` (list V7.1)
    pub client_leaseholder: Option<i32>,
    /// HUD `HOHLeaseholder` (list V7.1)
    pub hoh_leaseholder: Option<i32>,
    /// HUD `SubsidyAtRisk` (list V7.1)
    pub subsidy_at_risk: Option<i32>,
    /// HUD `EvictionHistory` (list V7.G)
    pub eviction_history: Option<i32>,
    /// HUD `CriminalRecord` (list V7.1)
    pub criminal_record: Option<i32>,
    /// HUD `IncarceratedAdult` (list V7.I)
    pub incarcerated_adult: Option<i32>,
    /// HUD `PrisonDischarge` (list V7.1)
    pub prison_discharge: Option<i32>,
    /// HUD `SexOffender` (list V7.1)
    pub sex_offender: Option<i32>,
    /// HUD `DisabledHoH` (list V7.1)
    pub disabled_hoh: Option<i32>,
    /// HUD `CurrentPregnant` (list V7.1)
    pub current_pregnant: Option<i32>,
    /// HUD `SingleParent` (list V7.1)
    pub single_parent: Option<i32>,
    /// HUD `DependentUnder6` (list V7.O)
    pub dependent_under6: Option<i32>,
    /// HUD `HH5Plus` (list V7.1)
    pub hh5_plus: Option<i32>,
    /// HUD `CoCPrioritized` (list V7.1)
    pub coc_prioritized: Option<i32>,
    /// HUD `HPScreeningScore`
    pub hp_screening_score: Option<i32>,
    /// HUD `ThresholdScore`
    pub threshold_score: Option<i32>,
    /// HUD `MentalHealthConsultation`: V10 - NEW in FY2026; column position per greenriver FY2026 model ?
    pub mental_health_consultation: Option<i32>,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::client::Entity",
        from = "Column::PersonalId",
        to = "super::client::Column::PersonalId"
    )]
    Client,
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::ProjectId",
        to = "super::project::Column::ProjectId"
    )]
    Project,
}

impl Related<super::client::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Client.def()
    }
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
