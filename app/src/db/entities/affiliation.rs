// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Affiliation.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 2.05 Additional project information: residential affiliation (SSO/SO/RRH-SO linked to residential projects): HUD `Affiliation.csv`, table `affiliations`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "affiliations")]
pub struct Model {
    /// HUD `AffiliationID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub affiliation_id: String,
    /// HUD `ProjectID`: 5.05 (FK Project)
    pub project_id: String,
    /// HUD `ResProjectID`
    pub res_project_id: String,
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
