//! Named leases (`sweep_locks`): with several servers on one database, only the holder
//! of a sweep's lease runs it. The holder renews the lease as it works; one that stopped
//! renewing (its server crashed) loses it after `stale_after`, and the next sweep takes
//! over and finishes the work, which every sweep does idempotently.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

use super::statement;

/// A lease held by this process until released (or lost by not renewing it).
#[derive(Debug)]
pub struct Lease {
    name: String,
    holder: String,
}

impl Lease {
    /// Takes the lease `name` for `holder` unless someone else renewed it within
    /// `stale_after`. None: another holder has it.
    pub async fn acquire(
        db: &DatabaseConnection,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        stale_after: chrono::Duration,
    ) -> Result<Option<Lease>, DbErr> {
        // One statement: two servers racing for a free or stale lease cannot both win.
        let taken = db
            .execute_raw(statement(
                db.get_database_backend(),
                "INSERT INTO sweep_locks (name, holder, acquired_at, renewed_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
                 acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at \
                 WHERE sweep_locks.renewed_at < ?",
                vec![
                    name.into(),
                    holder.into(),
                    now.into(),
                    now.into(),
                    (now - stale_after).into(),
                ],
            ))
            .await?;
        Ok((taken.rows_affected() == 1).then(|| Lease {
            name: name.to_string(),
            holder: holder.to_string(),
        }))
    }

    /// Renews the lease; false when it was lost (taken over as stale).
    pub async fn renew(&self, db: &DatabaseConnection, now: DateTime<Utc>) -> Result<bool, DbErr> {
        let renewed = db
            .execute_raw(statement(
                db.get_database_backend(),
                "UPDATE sweep_locks SET renewed_at = ? WHERE name = ? AND holder = ?",
                vec![now.into(), self.name.clone().into(), self.holder.clone().into()],
            ))
            .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives the lease back.
    pub async fn release(self, db: &DatabaseConnection) -> Result<(), DbErr> {
        db.execute_raw(statement(
            db.get_database_backend(),
            "DELETE FROM sweep_locks WHERE name = ? AND holder = ?",
            vec![self.name.into(), self.holder.into()],
        ))
        .await?;
        Ok(())
    }
}

/// Gives back any lease `holder` holds (a job marked interrupted: its worker is gone).
pub async fn release_held_by(db: &DatabaseConnection, holder: &str) -> Result<(), DbErr> {
    db.execute_raw(statement(
        db.get_database_backend(),
        "DELETE FROM sweep_locks WHERE holder = ?",
        vec![holder.into()],
    ))
    .await?;
    Ok(())
}
