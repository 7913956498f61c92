//! Writing the audit log. Every sign-in, context change, view and change of a
//! client's data goes through `record`.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, NotSet, Set};

use super::entities::audit_log;

/// Who acted, from where, in which context.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub ip: Option<String>,
    pub organization_id: Option<String>,
    pub workgroup: Option<String>,
}

/// One audited event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event<'a> {
    pub action: &'a str,
    pub entity_type: Option<&'a str>,
    pub entity_id: Option<&'a str>,
    pub personal_id: Option<&'a str>,
    /// Never client data beyond IDs.
    pub detail: Option<String>,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str) -> Self {
        Event {
            action,
            ..Default::default()
        }
    }

    pub fn on(mut self, entity_type: &'a str, entity_id: &'a str) -> Self {
        self.entity_type = Some(entity_type);
        self.entity_id = Some(entity_id);
        self
    }

    /// The client whose data this event read or changed.
    pub fn client(mut self, personal_id: &'a str) -> Self {
        self.personal_id = Some(personal_id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

pub async fn record(
    db: &impl ConnectionTrait,
    at: chrono::DateTime<chrono::Utc>,
    actor: &Actor,
    event: Event<'_>,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        audit_id: NotSet,
        at: Set(at),
        user_id: Set(actor.user_id.clone()),
        username: Set(actor.username.clone()),
        ip: Set(actor.ip.clone()),
        organization_id: Set(actor.organization_id.clone()),
        workgroup: Set(actor.workgroup.clone()),
        action: Set(event.action.to_string()),
        entity_type: Set(event.entity_type.map(str::to_string)),
        entity_id: Set(event.entity_id.map(str::to_string)),
        personal_id: Set(event.personal_id.map(str::to_string)),
        detail: Set(event.detail),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Records one event in a write transaction of its own: a view, which changes nothing
/// else.
pub async fn record_view(
    db: &sea_orm::DatabaseConnection,
    at: chrono::DateTime<chrono::Utc>,
    actor: &Actor,
    event: Event<'_>,
) -> Result<(), DbErr> {
    let txn = super::begin_write(db).await?;
    record(&txn, at, actor, event).await?;
    txn.commit().await
}
