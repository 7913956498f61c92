//! Hearth users (HUD User.csv). The password hash never leaves the server.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: String,
    #[sea_orm(unique)]
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub is_active: bool,
    pub must_change_password: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The TOTP seed once enrolled, sealed with the data key.
    pub totp_secret: Option<String>,
    /// A seed shown for enrolment and not yet confirmed with a code, sealed.
    pub totp_pending_secret: Option<String>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The last 30-second step a code was accepted for (a code works once).
    pub totp_last_step: Option<i64>,
    /// User.csv UserPhone (10 digits).
    pub phone: Option<String>,
    /// User.csv UserExtension.
    pub phone_extension: Option<String>,
    /// When the account was deleted (User.csv DateDeleted).
    pub date_deleted: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }

    /// Whether the account may sign in and keep its sessions: enabled and not deleted
    /// (an imported User.csv row may carry a DateDeleted).
    pub fn may_sign_in(&self) -> bool {
        self.is_active && self.date_deleted.is_none()
    }
}
