//! The one migration set runs forwards and backwards on both databases.

mod common;

use migration::{Migrator, MigratorTrait};

on_both_databases!(migrations_roll_back_and_reapply, |app| {
    let total = Migrator::migrations().len();
    assert_eq!(
        app::db::migrations_applied(&app.db).await.unwrap() as usize,
        total
    );
    Migrator::down(&app.db, None)
        .await
        .expect("every migration has a working down()");
    assert_eq!(app::db::migrations_applied(&app.db).await.unwrap(), 0);
    Migrator::up(&app.db, None).await.expect("migrations re-apply");
    assert_eq!(
        app::db::migrations_applied(&app.db).await.unwrap() as usize,
        total
    );
    assert!(
        Migrator::get_pending_migrations(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
});

on_both_databases!(write_transactions_commit_or_leave_nothing, |app| {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let txn = app::db::begin_write(&app.db).await.unwrap();
    txn.execute_unprepared("INSERT INTO settings (key, value) VALUES ('a', '1')")
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(app::db::settings::get(&app.db, "a").await.unwrap(), None);

    let txn = app::db::begin_write(&app.db).await.unwrap();
    txn.execute_unprepared("INSERT INTO settings (key, value) VALUES ('b', '2')")
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(
        app::db::settings::get(&app.db, "b").await.unwrap().as_deref(),
        Some("2")
    );
    let _ = app.db.begin().await.unwrap();
});
