// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Project.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 2.02 Project information: HUD `Project.csv`, table `projects`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    /// HUD `ProjectID`: primary key; 5.05 (FK Project)
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_id: String,
    /// HUD `OrganizationID`
    pub organization_id: String,
    /// HUD `ProjectName`
    pub project_name: String,
    /// HUD `ProjectCommonName`
    pub project_common_name: Option<String>,
    /// HUD `OperatingStartDate`
    pub operating_start_date: Date,
    /// HUD `OperatingEndDate`
    pub operating_end_date: Option<Date>,
    /// HUD `ContinuumProject`: 2.02.3 ? (list 1.10)
    pub continuum_project: i32,
    /// HUD `ProjectType`: 2.02.6
    pub project_type: Option<i32>,
    /// HUD `HousingType`: 2.02.D
    pub housing_type: Option<i32>,
    /// HUD `RRHSubType`: 2.02.A (only when ProjectType=13)
    pub rrh_sub_type: Option<i32>,
    /// HUD `ResidentialAffiliation`: 2.02.B (only when RRHSubType=1) ? (list 1.10)
    pub residential_affiliation: Option<i32>,
    /// HUD `TargetPopulation`: 2.02.7
    pub target_population: Option<i32>,
    /// HUD `HOPWAMedAssistedLivingFac`: 2.02.8
    pub hopwa_med_assisted_living_fac: Option<i32>,
    /// HUD `PITCount`: 2.02 ? (HIC/PIT count)
    pub pit_count: Option<i32>,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
    /// Local: exit a household after this many days without a service or contact.
    pub auto_exit_days: Option<i32>,
    /// Local: alert case managers after this many days without a service or contact.
    pub auto_alert_days: Option<i32>,
    /// Local: the project takes part in Coordinated Entry.
    pub ce_participating: bool,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::OrganizationId"
    )]
    Organization,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
