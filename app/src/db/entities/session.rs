//! A signed-in session. `session_id` is the SHA-256 of the cookie's token.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: String,
    pub user_id: String,
    pub created_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    /// The data context: the organization and workgroup the user acts in.
    pub organization_id: Option<String>,
    pub workgroup: Option<String>,
    /// Back Date mode: the default date for data entry until cleared.
    pub back_date: Option<Date>,
    pub ip: Option<String>,
    /// The password was right; the authenticator code has not been given yet.
    pub pending_second_factor: bool,
    /// The optional location of the context: a project of the organization.
    pub location_project_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::UserId"
    )]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
