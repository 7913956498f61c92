//! Writing the audit log. Every sign-in, context change and change of a client's data
//! goes through `record`, in the transaction of the change; every view goes through
//! [`ViewLog`], which writes views in batches off the request's path.

use std::time::Duration;

use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, NotSet, Set};
use tokio::sync::{mpsc, oneshot};

use crate::error::AppError;

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

impl Actor {
    /// Hearth itself acting (a job, a sweep, a CLI command), named for the audit log.
    pub fn system(name: &str) -> Self {
        Actor {
            user_id: Some(super::SYSTEM_USER_ID.to_string()),
            username: Some(name.to_string()),
            ..Default::default()
        }
    }
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
    row(at, actor, event).insert(db).await?;
    Ok(())
}

/// Records several events of one actor at one moment with one `INSERT` (a household's
/// exit: one row per member).
pub async fn record_all(
    db: &impl ConnectionTrait,
    at: chrono::DateTime<chrono::Utc>,
    actor: &Actor,
    events: Vec<Event<'_>>,
) -> Result<(), DbErr> {
    let rows = events.into_iter().map(|event| row(at, actor, event)).collect();
    super::insert_all(db, rows).await
}

/// The audit row of `event`, every value cut to its column.
fn row(at: chrono::DateTime<chrono::Utc>, actor: &Actor, event: Event<'_>) -> audit_log::ActiveModel {
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

/// Records one event in a write transaction of its own (an event that is not part of
/// a change, and not a view: views go through [`ViewLog`]).
pub async fn record_alone(
    db: &DatabaseConnection,
    at: chrono::DateTime<chrono::Utc>,
    actor: &Actor,
    event: Event<'_>,
) -> Result<(), DbErr> {
    let txn = super::begin_write(db).await?;
    record(&txn, at, actor, event).await?;
    txn.commit().await
}

/// Records a view of client data: the row is queued and written within moments by
/// [`ViewLog`]'s writer, with the views of other requests in one transaction.
pub async fn record_view(
    state: &crate::state::AppState,
    at: chrono::DateTime<chrono::Utc>,
    actor: &Actor,
    event: Event<'_>,
) -> Result<(), AppError> {
    state.views.record(row(at, actor, event)).await
}

/// Views waiting to be written, at most; a request finding the queue full waits for
/// room (up to [`super::POOL_WAIT`], then answers busy) — a view is never shown
/// unaudited because the log fell behind.
pub const VIEW_QUEUE: usize = 4096;
/// Rows in one `INSERT` (11 values each: well inside SQLite's and PostgreSQL's limits).
const VIEW_BATCH: usize = 500;

/// The audit rows of views, written in batches by one task (issue 21).
///
/// A view used to be a write transaction of its own on the request's path: at 32 users
/// every page waited its turn for SQLite's single writer (and one fsync). Now the
/// request queues its row and goes on; the writer takes every queued row (up to
/// [`VIEW_BATCH`] at a time) and writes them in one transaction, as soon as the last
/// batch is done — so a row waits for at most one batch's write, well within a second.
///
/// Durability: [`ViewLog::flush`] returns once everything queued before it is written;
/// the server flushes at shutdown after its last request, and readers of the audit log
/// flush first, so a clean stop loses nothing and the log always shows the views made
/// before it was opened. A crash (kill -9, power loss) can lose the rows still queued —
/// the views of the last moment before it, never more than [`VIEW_QUEUE`].
#[derive(Clone)]
pub struct ViewLog {
    queue: mpsc::Sender<Queued>,
}

enum Queued {
    Row(Box<audit_log::ActiveModel>),
    Flush(oneshot::Sender<()>),
}

impl std::fmt::Debug for ViewLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewLog")
            .field("queued", &(VIEW_QUEUE - self.queue.capacity()))
            .finish()
    }
}

impl ViewLog {
    /// Starts the writer on the current Tokio runtime.
    pub fn start(db: DatabaseConnection) -> Self {
        let (queue, rows) = mpsc::channel(VIEW_QUEUE);
        tokio::spawn(write_views(db, rows));
        ViewLog { queue }
    }

    async fn record(&self, row: audit_log::ActiveModel) -> Result<(), AppError> {
        match self
            .queue
            .send_timeout(Queued::Row(Box::new(row)), super::POOL_WAIT)
            .await
        {
            Ok(()) => Ok(()),
            Err(mpsc::error::SendTimeoutError::Timeout(_)) => {
                tracing::warn!("the audit log of views is full: answering busy");
                Err(AppError::Busy)
            }
            Err(mpsc::error::SendTimeoutError::Closed(_)) => {
                tracing::error!("the audit log writer has stopped");
                Err(AppError::Internal)
            }
        }
    }

    /// Waits until every view queued before this call is written.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.queue.send(Queued::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

/// The writer: one batch per turn, everything queued so far.
async fn write_views(db: DatabaseConnection, mut queue: mpsc::Receiver<Queued>) {
    let mut rows = Vec::with_capacity(VIEW_BATCH);
    let mut waiting = Vec::new();
    while let Some(first) = queue.recv().await {
        let mut next = Some(first);
        while let Some(item) = next.take() {
            match item {
                Queued::Row(row) => rows.push(*row),
                Queued::Flush(done) => waiting.push(done),
            }
            if rows.len() < VIEW_BATCH {
                next = queue.try_recv().ok();
            }
        }
        if !rows.is_empty() {
            write_batch(&db, &mut rows).await;
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

/// Writes `rows` in one transaction, trying again while the database refuses (queued
/// views wait, and past [`VIEW_QUEUE`] new views answer busy, rather than go unaudited).
async fn write_batch(db: &DatabaseConnection, rows: &mut Vec<audit_log::ActiveModel>) {
    let mut pause = Duration::from_millis(100);
    loop {
        match insert_in_transaction(db, rows.clone()).await {
            Ok(()) => {
                rows.clear();
                return;
            }
            Err(err) => {
                tracing::error!(error = %err, rows = rows.len(), "audit rows of views not written yet; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
            }
        }
    }
}

/// One batch of view rows in a write transaction of its own.
async fn insert_in_transaction(
    db: &DatabaseConnection,
    rows: Vec<audit_log::ActiveModel>,
) -> Result<(), DbErr> {
    let txn = super::begin_write(db).await?;
    super::insert_all(&txn, rows).await?;
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
