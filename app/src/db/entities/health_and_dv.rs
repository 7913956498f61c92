// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/HealthAndDV.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 4.11 domestic violence, R7 general/dental/mental health status, R10 pregnancy status, by DataCollectionStage: HUD `HealthAndDV.csv`, table `health_and_dvs`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "health_and_dvs")]
pub struct Model {
    /// HUD `HealthAndDVID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub health_and_dv_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `InformationDate`: 5.04
    pub information_date: Date,
    /// HUD `DomesticViolenceSurvivor`: 4.11 (list 1.8)
    pub domestic_violence_survivor: Option<i32>,
    /// HUD `WhenOccurred`: 4.11.A
    pub when_occurred: Option<i32>,
    /// HUD `CurrentlyFleeing`: 4.11.B (list 1.8)
    pub currently_fleeing: Option<i32>,
    /// HUD `GeneralHealthStatus`: R7 (list R7.1)
    pub general_health_status: Option<i32>,
    /// HUD `DentalHealthStatus`: R8 (list R7.1)
    pub dental_health_status: Option<i32>,
    /// HUD `MentalHealthStatus`: R9 (list R7.1)
    pub mental_health_status: Option<i32>,
    /// HUD `PregnancyStatus`: R10 (list 1.8)
    pub pregnancy_status: Option<i32>,
    /// HUD `DueDate`: R10
    pub due_date: Option<Date>,
    /// HUD `DataCollectionStage`: 5.03 (list 5.03.1)
    pub data_collection_stage: i32,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
    /// Local: the assessment event (master assessment) this row belongs to. The spec's InformationDate and DataCollectionStage stay on the row too: the app writes them equal to the event's, imported files may disagree.
    pub assessment_event_id: String,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::assessment_event::Entity",
        from = "Column::AssessmentEventId",
        to = "super::assessment_event::Column::AssessmentEventId"
    )]
    AssessmentEvent,
}

impl Related<super::assessment_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AssessmentEvent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
