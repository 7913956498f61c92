//! Plain (non-unique) indexes listed as data — (index, table, columns) — made and
//! dropped by the migrations that only add indexes.

use sea_orm_migration::prelude::*;

/// (index, table, columns).
pub type PlainIndex = (&'static str, &'static str, &'static [&'static str]);

pub async fn create(manager: &SchemaManager<'_>, indexes: &[PlainIndex]) -> Result<(), DbErr> {
    for (name, table, columns) in indexes {
        let mut index = Index::create();
        index.name(*name).table(Alias::new(*table));
        for column in *columns {
            index.col(Alias::new(*column));
        }
        manager.create_index(index.to_owned()).await?;
    }
    Ok(())
}

pub async fn drop(manager: &SchemaManager<'_>, indexes: &[PlainIndex]) -> Result<(), DbErr> {
    for (name, table, _) in indexes {
        manager
            .drop_index(Index::drop().name(*name).table(Alias::new(*table)).to_owned())
            .await?;
    }
    Ok(())
}
