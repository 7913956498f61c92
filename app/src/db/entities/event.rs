// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Event.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 4.20 Coordinated Entry event (referrals and other CE events): HUD `Event.csv`, table `events`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    /// HUD `EventID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `EventDate`: 4.20.1
    pub event_date: Date,
    /// HUD `Event`: 4.20.2
    pub event: i32,
    /// HUD `ProbSolDivRRResult`: 4.20.A (list 1.7)
    pub prob_sol_div_rr_result: Option<i32>,
    /// HUD `ReferralCaseManageAfter`: 4.20.B (list 1.7)
    pub referral_case_manage_after: Option<i32>,
    /// HUD `LocationCrisisOrPHHousing`: 4.20.C
    pub location_crisis_or_ph_housing: Option<String>,
    /// HUD `ReferralResult`: 4.20.D
    pub referral_result: Option<i32>,
    /// HUD `ResultDate`: 4.20.E
    pub result_date: Option<Date>,
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
