// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/ProjectCoC.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 2.03 Continuum of Care information (CoC code, geocode, address): HUD `ProjectCoC.csv`, table `project_cocs`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_cocs")]
pub struct Model {
    /// HUD `ProjectCoCID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_coc_id: String,
    /// HUD `ProjectID`: 5.05 (FK Project)
    pub project_id: String,
    /// HUD `CoCCode` (list 2.03.1)
    pub coc_code: String,
    /// HUD `Geocode`: 2.03.2
    pub geocode: String,
    /// HUD `Address1`
    pub address1: Option<String>,
    /// HUD `Address2`
    pub address2: Option<String>,
    /// HUD `City`
    pub city: Option<String>,
    /// HUD `State`
    pub state: Option<String>,
    /// HUD `ZIP`: 2.03 (header spelled ZIP in FY2026 fixture header row; greenriver model uses Zip)
    pub zip: Option<String>,
    /// HUD `GeographyType`: 2.03.4
    pub geography_type: Option<i32>,
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
        belongs_to = "super::project::Entity",
        from = "Column::ProjectId",
        to = "super::project::Column::ProjectId"
    )]
    Project,
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
