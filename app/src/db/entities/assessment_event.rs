//! The "master assessment" (local): one data collection of one enrollment — stage
//! (5.03 DataCollectionStage: 1 entry, 2 update, 3 exit, 5 annual, 6 post-exit) on one
//! information date (5.04). The HUD stage rows (IncomeBenefits, HealthAndDV, Disabilities,
//! EmploymentEducation, YouthEducationStatus) point at it with `assessment_event_id`, so
//! the app keeps their dates and stages in step; imported rows keep their own.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assessment_event_id: String,
    pub enrollment_id: String,
    /// 5.08 PersonalID of the enrollment's client.
    pub personal_id: String,
    /// 5.03 Data collection stage (list 5.03.1).
    pub data_collection_stage: i32,
    /// 5.04 Information date.
    pub information_date: Date,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// 5.07 UserID of the user who recorded it.
    pub created_by: Option<String>,
    pub date_deleted: Option<DateTimeUtc>,
}

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
