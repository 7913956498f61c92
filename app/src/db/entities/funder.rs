// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Funder.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 2.06 Funding sources: HUD `Funder.csv`, table `funders`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funders")]
pub struct Model {
    /// HUD `FunderID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub funder_id: String,
    /// HUD `ProjectID`: 5.05 (FK Project)
    pub project_id: String,
    /// HUD `Funder`: 2.06.1
    pub funder: i32,
    /// HUD `OtherFunder`: 2.06.A (when Funder=46 Local or Other) ?
    pub other_funder: Option<String>,
    /// HUD `GrantID`: 2.06.2
    pub grant_id: String,
    /// HUD `StartDate`: 2.06.3
    pub start_date: Date,
    /// HUD `EndDate`: 2.06.4
    pub end_date: Option<Date>,
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
