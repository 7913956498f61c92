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
    let fit = |value: Option<&str>, max: usize| value.map(|v| fit(v, max));
    audit_log::ActiveModel {
        audit_id: NotSet,
        at: Set(at),
        user_id: Set(fit(actor.user_id.as_deref(), 32)),
        username: Set(fit(actor.username.as_deref(), 64)),
        ip: Set(fit(actor.ip.as_deref(), 64)),
        organization_id: Set(fit(actor.organization_id.as_deref(), 32)),
        workgroup: Set(fit(actor.workgroup.as_deref(), 32)),
        action: Set(fit(Some(event.action), 64).unwrap_or_default()),
        entity_type: Set(fit(event.entity_type, 64)),
        entity_id: Set(fit(event.entity_id, 64)),
        personal_id: Set(fit(event.personal_id, 32)),
        detail: Set(fit(event.detail.as_deref(), 4000)),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// `value` as its audit column can hold it on every database: control characters (NUL
/// above all, which PostgreSQL refuses) become `?`, and it is cut to `max` characters.
/// A sign-in with a 1,000-character username is still audited.
fn fit(value: &str, max: usize) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(max)
        .collect()
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

#[cfg(test)]
mod tests {
    #[test]
    fn audit_values_fit_their_columns() {
        assert_eq!(super::fit("pat", 64), "pat");
        assert_eq!(super::fit(&"x".repeat(1000), 64).len(), 64);
        assert_eq!(super::fit("a\0b\nc", 64), "a?b?c");
        assert_eq!(super::fit("ééé", 2), "éé");
    }
}
