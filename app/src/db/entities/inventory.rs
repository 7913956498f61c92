// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Inventory.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 2.07 Bed and unit inventory information: HUD `Inventory.csv`, table `inventories`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inventories")]
pub struct Model {
    /// HUD `InventoryID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub inventory_id: String,
    /// HUD `ProjectID`: 5.05 (FK Project)
    pub project_id: String,
    /// HUD `CoCCode` (list 2.03.1)
    pub coc_code: String,
    /// HUD `HouseholdType`: 2.07.4
    pub household_type: i32,
    /// HUD `Availability`: 2.07.6 (ES only)
    pub availability: Option<i32>,
    /// HUD `UnitInventory`
    pub unit_inventory: i32,
    /// HUD `BedInventory`
    pub bed_inventory: i32,
    /// HUD `CHVetBedInventory`
    pub ch_vet_bed_inventory: Option<i32>,
    /// HUD `YouthVetBedInventory`
    pub youth_vet_bed_inventory: Option<i32>,
    /// HUD `VetBedInventory`
    pub vet_bed_inventory: Option<i32>,
    /// HUD `CHYouthBedInventory`
    pub ch_youth_bed_inventory: Option<i32>,
    /// HUD `YouthBedInventory`
    pub youth_bed_inventory: Option<i32>,
    /// HUD `CHBedInventory`
    pub ch_bed_inventory: Option<i32>,
    /// HUD `OtherBedInventory`
    pub other_bed_inventory: Option<i32>,
    /// HUD `ESBedType`: 2.07.5 (ES only)
    pub es_bed_type: Option<i32>,
    /// HUD `InventoryStartDate`
    pub inventory_start_date: Option<Date>,
    /// HUD `InventoryEndDate`
    pub inventory_end_date: Option<Date>,
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
