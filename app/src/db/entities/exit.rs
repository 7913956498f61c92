// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Exit.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 3.11 Project exit date, 3.12 destination and program-specific exit elements (one row per exited enrollment): HUD `Exit.csv`, table `exits`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exits")]
pub struct Model {
    /// HUD `ExitID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub exit_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `ExitDate`: 3.11 Project exit date
    pub exit_date: Date,
    /// HUD `Destination`: 3.12
    pub destination: i32,
    /// HUD `DestinationSubsidyType`: 3.12.A (when Destination=435)
    pub destination_subsidy_type: Option<i32>,
    /// HUD `OtherDestination`: 3.12 (when Destination=17)
    pub other_destination: Option<String>,
    /// HUD `HousingAssessment`: W5 (list W5.1)
    pub housing_assessment: Option<i32>,
    /// HUD `SubsidyInformation` (list W5.AB)
    pub subsidy_information: Option<i32>,
    /// HUD `ProjectCompletionStatus`: R17 (list R17.1)
    pub project_completion_status: Option<i32>,
    /// HUD `EarlyExitReason` (list R17.A)
    pub early_exit_reason: Option<i32>,
    /// HUD `ExchangeForSex`: R15 (list 1.8)
    pub exchange_for_sex: Option<i32>,
    /// HUD `ExchangeForSexPastThreeMonths` (list 1.8)
    pub exchange_for_sex_past_three_months: Option<i32>,
    /// HUD `CountOfExchangeForSex` (list R15.B)
    pub count_of_exchange_for_sex: Option<i32>,
    /// HUD `AskedOrForcedToExchangeForSex` (list 1.8)
    pub asked_or_forced_to_exchange_for_sex: Option<i32>,
    /// HUD `AskedOrForcedToExchangeForSexPastThreeMonths` (list 1.8)
    pub asked_or_forced_to_exchange_for_sex_past_three_months: Option<i32>,
    /// HUD `WorkplaceViolenceThreats`: R16 (list 1.8)
    pub workplace_violence_threats: Option<i32>,
    /// HUD `WorkplacePromiseDifference` (list 1.8)
    pub workplace_promise_difference: Option<i32>,
    /// HUD `CoercedToContinueWork` (list 1.8)
    pub coerced_to_continue_work: Option<i32>,
    /// HUD `LaborExploitPastThreeMonths` (list 1.8)
    pub labor_exploit_past_three_months: Option<i32>,
    /// HUD `CounselingReceived`: R18 - FY2026 list changed 1.7->1.10
    pub counseling_received: Option<i32>,
    /// HUD `IndividualCounseling`: R18.A - FY2026 list changed 1.7->1.10
    pub individual_counseling: Option<i32>,
    /// HUD `FamilyCounseling`: R18.A - FY2026 list 1.10
    pub family_counseling: Option<i32>,
    /// HUD `GroupCounseling`: R18.A - FY2026 list 1.10
    pub group_counseling: Option<i32>,
    /// HUD `SessionCountAtExit`
    pub session_count_at_exit: Option<i32>,
    /// HUD `PostExitCounselingPlan`: R18 - FY2026 list 1.10
    pub post_exit_counseling_plan: Option<i32>,
    /// HUD `SessionsInPlan`
    pub sessions_in_plan: Option<i32>,
    /// HUD `DestinationSafeClient`: R19 (list 1.8)
    pub destination_safe_client: Option<i32>,
    /// HUD `DestinationSafeWorker` (list R19.A)
    pub destination_safe_worker: Option<i32>,
    /// HUD `PosAdultConnections` (list R19.A)
    pub pos_adult_connections: Option<i32>,
    /// HUD `PosPeerConnections` (list R19.A)
    pub pos_peer_connections: Option<i32>,
    /// HUD `PosCommunityConnections` (list R19.A)
    pub pos_community_connections: Option<i32>,
    /// HUD `AftercareDate`: R20
    pub aftercare_date: Option<Date>,
    /// HUD `AftercareProvided` (list R20.2)
    pub aftercare_provided: Option<i32>,
    /// HUD `EmailSocialMedia`: R20.A - FY2026 list 1.10
    pub email_social_media: Option<i32>,
    /// HUD `Telephone`: R20.A - FY2026 list 1.10 ?
    pub telephone: Option<i32>,
    /// HUD `InPersonIndividual`: R20.A - FY2026 list 1.10 ?
    pub in_person_individual: Option<i32>,
    /// HUD `InPersonGroup`: R20.A - FY2026 list 1.10 ?
    pub in_person_group: Option<i32>,
    /// HUD `CMExitReason`: V9 (list V9.1)
    pub cm_exit_reason: Option<i32>,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
    /// Local: the reason for leaving (`exit_reasons`), e.g. Auto Exit.
    pub exit_reason_id: Option<String>,
    /// Local: how the exit was made: manual, auto or admin.
    pub exit_method: String,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::enrollment::Entity",
        from = "Column::EnrollmentId",
        to = "super::enrollment::Column::EnrollmentId"
    )]
    Enrollment,
    #[sea_orm(
        belongs_to = "super::exit_reason::Entity",
        from = "Column::ExitReasonId",
        to = "super::exit_reason::Column::ExitReasonId"
    )]
    ExitReason,
}

impl Related<super::enrollment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enrollment.def()
    }
}

impl Related<super::exit_reason::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ExitReason.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
