// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Disabilities.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 4.05-4.10 disabilities (one row per DisabilityType per collection), W4 T-cell/viral load: HUD `Disabilities.csv`, table `disabilities`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disabilities")]
pub struct Model {
    /// HUD `DisabilitiesID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub disabilities_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `InformationDate`: 5.04
    pub information_date: Date,
    /// HUD `DisabilityType`: 4.05 physical(5), 4.06 developmental(6), 4.07 chronic health(7), 4.08 HIV/AIDS(8), 4.09 mental health(9), 4.10 substance use(10) (list 1.3)
    pub disability_type: i32,
    /// HUD `DisabilityResponse`: list 1.8 for types 5-9; list 4.10.2 for type 10 (list 1.8 or 4.10.2)
    pub disability_response: i32,
    /// HUD `IndefiniteAndImpairs`: 4.05/4.07/4.09/4.10 dependent question (list 1.8)
    pub indefinite_and_impairs: Option<i32>,
    /// HUD `TCellCountAvailable`: W4 (list 1.8)
    pub t_cell_count_available: Option<i32>,
    /// HUD `TCellCount`
    pub t_cell_count: Option<i32>,
    /// HUD `TCellSource` (list W4.B)
    pub t_cell_source: Option<i32>,
    /// HUD `ViralLoadAvailable` (list W4.3)
    pub viral_load_available: Option<i32>,
    /// HUD `ViralLoad`
    pub viral_load: Option<i32>,
    /// HUD `ViralLoadSource` (list W4.B)
    pub viral_load_source: Option<i32>,
    /// HUD `AntiRetroviral` (list 1.8)
    pub anti_retroviral: Option<i32>,
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
