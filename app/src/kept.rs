//! The summaries Hearth keeps beside the source tables, each recomputed in the
//! background from marks its triggers leave: the annual assessments owed
//! (`annual::stored`) and the data-quality facts (`data_quality::kept`). Not HUD data:
//! never copied or exported, built anew instead.

use sea_orm::ConnectionTrait;

use crate::error::AppError;
use crate::features::annual::stored;
use crate::features::data_quality::kept;

/// Every kept table.
pub fn tables() -> impl Iterator<Item = &'static str> {
    stored::KEPT_TABLES.into_iter().chain(kept::KEPT_TABLES)
}

/// Drops every kept row (after a bulk load that wrote the source tables beside the
/// triggers' marks): the server's keepers build them anew.
pub async fn forget(db: &impl ConnectionTrait) -> Result<(), AppError> {
    stored::forget(db).await?;
    kept::forget(db).await
}
