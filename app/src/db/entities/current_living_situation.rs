// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/CurrentLivingSituation.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 4.12 Current living situation (contacts): HUD `CurrentLivingSituation.csv`, table `current_living_situations`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "current_living_situations")]
pub struct Model {
    /// HUD `CurrentLivingSitID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub current_living_sit_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `InformationDate`: 5.04
    pub information_date: Date,
    /// HUD `CurrentLivingSituation`: 4.12
    pub current_living_situation: i32,
    /// HUD `CLSSubsidyType`: 4.12.A? (when 435) (list 3.12.A)
    pub cls_subsidy_type: Option<i32>,
    /// HUD `VerifiedBy`: 4.12 - FY2026 max length S200 (greenriver model and Bitfocus agree)
    pub verified_by: Option<String>,
    /// HUD `LeaveSituation14Days` (list 1.8)
    pub leave_situation14_days: Option<i32>,
    /// HUD `SubsequentResidence` (list 1.8)
    pub subsequent_residence: Option<i32>,
    /// HUD `ResourcesToObtain` (list 1.8)
    pub resources_to_obtain: Option<i32>,
    /// HUD `LeaseOwn60Day` (list 1.8)
    pub lease_own60_day: Option<i32>,
    /// HUD `MovedTwoOrMore` (list 1.8)
    pub moved_two_or_more: Option<i32>,
    /// HUD `LocationDetails`: 4.12
    pub location_details: Option<String>,
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
        belongs_to = "super::enrollment::Entity",
        from = "Column::EnrollmentId",
        to = "super::enrollment::Column::EnrollmentId"
    )]
    Enrollment,
}

impl Related<super::enrollment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enrollment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
