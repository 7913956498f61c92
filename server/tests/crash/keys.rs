//! The data key under `kill -9`: a key rotation killed halfway, and the restore drill.

use super::*;

/// Every sealed SSN as (PersonalID, sealed value).
async fn sealed_ssns(db: &DatabaseConnection) -> BTreeMap<String, String> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT personal_id, ssn_encrypted FROM clients WHERE ssn_encrypted IS NOT NULL".to_string(),
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap()))
    .collect()
}

fn key_in(path: &std::path::Path) -> app::crypto::DataKey {
    app::crypto::DataKey::from_base64(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn setting(db: &DatabaseConnection, name: &str) -> Option<String> {
    app::db::settings::get(db, name).await.unwrap()
}

// Issue 26: `hearth rotate-key` is refused beside a server running since before it;
// killed halfway it leaves values sealed with either key, which every command still
// opens; run again it finishes, and the old key (kept beside) opens nothing any more.
on_both_backends!(a_key_rotation_killed_in_the_middle, |backend| {
    use app::crypto::ssn_context;
    use app::db::settings::{DATA_KEY_CHECK, DATA_KEY_NEXT_CHECK};
    use app::features::access::second_factor::seal_context;
    let Some((database, dir)) = prepared(backend, 300).await else {
        return;
    };
    let db = app::db::connect(&database.url).await.unwrap();
    let (key_file, next_file) = (dir.path().join("data.key"), dir.path().join("data.key.next"));
    let old = key_in(&key_file);
    // The admin has a two-step secret.
    let admin_id: String = common::one(&db, "SELECT user_id FROM users WHERE username = 'admin'").await;
    let secret_context = seal_context("totp_secret", &admin_id);
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        match backend {
            common::Backend::Sqlite => "UPDATE users SET totp_secret = ? WHERE user_id = ?",
            common::Backend::Postgres => "UPDATE users SET totp_secret = $1 WHERE user_id = $2",
        },
        [
            old.seal(b"authenticator seed", &secret_context).into(),
            admin_id.clone().into(),
        ],
    ))
    .await
    .unwrap();
    let plain: BTreeMap<String, Vec<u8>> = sealed_ssns(&db)
        .await
        .into_iter()
        .map(|(id, sealed)| {
            let ssn = old.open(&sealed, &ssn_context(&id)).unwrap();
            (id, ssn)
        })
        .collect();
    assert!(plain.len() > 100, "{} SSNs", plain.len());

    // Beside a server that has served since before: refused, nothing written.
    let served = Served::start(&database.url, dir.path());
    let output = hearth(&database.url, dir.path())
        .arg("rotate-key")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("is serving this database"), "{stderr}");
    assert!(!next_file.exists());
    assert_eq!(setting(&db, DATA_KEY_NEXT_CHECK).await, None);
    // Its clean stop says it is gone.
    served.stop();

    // Killed once a few batches are sealed again.
    let mut rotation = hearth(&database.url, dir.path())
        .args(["rotate-key", "--batch-size", "20"])
        .env("HEARTH_TEST_PACE_MS", "300")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(rotation.stderr.take().unwrap());
    for line in stderr.lines() {
        let line = line.unwrap();
        // "  clients.ssn_encrypted: N of M looked at"
        let looked_at = line
            .trim()
            .strip_prefix("clients.ssn_encrypted: ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse::<u64>().ok());
        if looked_at.is_some_and(|n| n >= 60) {
            break;
        }
    }
    rotation.kill().unwrap();
    rotation.wait().unwrap();
    let next = key_in(&next_file);
    assert_eq!(setting(&db, DATA_KEY_NEXT_CHECK).await, Some(next.check()));
    assert_eq!(setting(&db, DATA_KEY_CHECK).await, Some(old.check()));
    let halfway = sealed_ssns(&db).await;
    let by_new = halfway
        .iter()
        .filter(|(id, sealed)| next.open(sealed, &ssn_context(id)).is_ok())
        .count();
    let by_old = halfway
        .iter()
        .filter(|(id, sealed)| old.open(sealed, &ssn_context(id)).is_ok())
        .count();
    assert!(
        by_new >= 60 && by_old > 0,
        "{by_new} sealed with the new key, {by_old} with the old"
    );
    assert_eq!(by_new + by_old, plain.len());
    // Meanwhile every command opens both (the export opens every SSN).
    run(hearth(&database.url, dir.path())
        .args(["export", "--out"])
        .arg(dir.path().join("halfway.zip")));

    // Run again: it takes up where it stopped.
    let said = run(hearth(&database.url, dir.path()).arg("rotate-key"));
    assert!(said.contains("Finished rotating the data key"), "{said}");
    let new = key_in(&key_file);
    assert_eq!(new.check(), next.check());
    assert!(!next_file.exists());
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("data.key.old-")
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(key_in(&kept[0]).check(), old.check(), "the old key is kept");
    assert_eq!(setting(&db, DATA_KEY_CHECK).await, Some(new.check()));
    assert_eq!(setting(&db, DATA_KEY_NEXT_CHECK).await, None);
    let after = sealed_ssns(&db).await;
    assert_eq!(after.len(), plain.len());
    for (id, sealed) in &after {
        assert_eq!(
            new.open(sealed, &ssn_context(id)).ok().as_ref(),
            plain.get(id),
            "{id}"
        );
        assert!(old.open(sealed, &ssn_context(id)).is_err(), "{id}");
    }
    let secret: String = common::one(&db, "SELECT totp_secret FROM users WHERE username = 'admin'").await;
    assert_eq!(new.open(&secret, &secret_context).unwrap(), b"authenticator seed");
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'data_key.rotated'"
        )
        .await,
        1
    );
    // The old key no longer opens the database.
    let output = hearth(&database.url, dir.path())
        .env("HEARTH_DATA_KEY", old.to_base64())
        .args(["export", "--out"])
        .arg(dir.path().join("old.zip"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not the one"));

    // Stopped between the database's switch and the swap of the key files: the next
    // command finishes the swap.
    std::fs::rename(&key_file, &next_file).unwrap();
    std::fs::copy(&kept[0], &key_file).unwrap();
    run(hearth(&database.url, dir.path())
        .args(["export", "--out"])
        .arg(dir.path().join("after.zip")));
    assert_eq!(key_in(&key_file).check(), new.check());
    assert!(!next_file.exists());
});

// Issue 26, the restore drill: a served database, clients written while `hearth backup`
// copies it; `hearth restore` elsewhere (with the key kept apart) holds the clients up to
// one moment, every SSN opening, and serves: the admin signs in, the export opens them.
on_both_backends!(a_restore_drill, |backend| {
    let Some((database, dir)) = prepared(backend, 200).await else {
        return;
    };
    let served = Served::start(&database.url, dir.path());
    let db = app::db::connect(&database.url).await.unwrap();
    let key = key_in(&dir.path().join("data.key"));
    let writer = common::ClientWriter::start(db.clone(), key.clone()).await;
    writer.wait_for(5).await;
    let backup = dir.path().join("drill.backup");
    let said = run(hearth(&database.url, dir.path())
        .args(["backup", "--out"])
        .arg(&backup));
    assert!(said.contains("which is not in the backup"), "{said}");
    let by_then = writer.written();
    writer.wait_for(by_then + 3).await;
    writer.stop().await;
    served.stop();

    let target = common::TestDatabase::create(backend).await.unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::copy(dir.path().join("data.key"), elsewhere.path().join("data.key")).unwrap();
    let said = run(hearth(&target.url, elsewhere.path())
        .args(["restore", "--from"])
        .arg(&backup));
    assert!(said.contains("open with the data key"), "{said}");
    let restored = app::db::connect(&target.url).await.unwrap();
    let k = common::ClientWriter::check_prefix(&restored, &key).await;
    assert!(
        (5..=by_then).contains(&k),
        "{k} written clients restored, {by_then} by the backup's end"
    );
    let opened = hearth_server::keys::open_all(&restored, &key).await.unwrap();
    assert_eq!(opened.not_opened, 0, "{:?}", opened.rows);
    assert!(opened.opened > 100);
    let served = Served::start(&target.url, elsewhere.path());
    served.admin().await;
    served.stop();
    run(hearth(&target.url, elsewhere.path())
        .args(["export", "--out"])
        .arg(elsewhere.path().join("restored.zip")));
});
