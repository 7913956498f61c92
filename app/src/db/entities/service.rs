// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Services.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 4.14 bed nights and program-specific services / financial assistance / referrals (RecordType + TypeProvided): HUD `Services.csv`, table `services`.

use sea_orm::entity::prelude::*;

/// Money (M) columns are `f64`, so the model is `PartialEq` only.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "services")]
pub struct Model {
    /// HUD `ServicesID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub services_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `DateProvided`: 4.14
    pub date_provided: Date,
    /// HUD `RecordType`: 1.4
    pub record_type: i32,
    /// HUD `TypeProvided`: 141->P1.2, 142->R14.2, 143->W1.2, 144->V2.2, 151->V2.3 (HOPWA FA; W2 in data dictionary ?), 152->V3.3, 161->P2.2, 200->4.14 (200=Bed night), 210->V8.1, 300->C2.2 (list depends on RecordType)
    pub type_provided: i32,
    /// HUD `OtherTypeProvided`
    pub other_type_provided: Option<String>,
    /// HUD `MovingOnOtherType`: C2 (when TypeProvided=5 other)
    pub moving_on_other_type: Option<String>,
    /// HUD `SubTypeProvided`: SSVF only: TypeProvided 3->V2.A, 4->V2.B, 5->V2.C (list V2.A/V2.B/V2.C)
    pub sub_type_provided: Option<i32>,
    /// HUD `FAAmount`: V2/V3 financial assistance amount
    pub fa_amount: Option<f64>,
    /// HUD `FAStartDate`
    pub fa_start_date: Option<Date>,
    /// HUD `FAEndDate`
    pub fa_end_date: Option<Date>,
    /// HUD `ReferralOutcome`: P2.A (PATH referrals)
    pub referral_outcome: Option<i32>,
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
