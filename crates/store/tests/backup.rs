//! Backups taken while others write, restored into an empty database, on both engines.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use dangbo_store::StoreError;
use dangbo_store::access::{Dataset, Quiet, restore};
use dangbo_testkit::fixture::{self, MEMBER_HEADERS, table};
use dangbo_testkit::{EmptyDb, TestDb, conformance};
use tokio::sync::watch;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Imports one new member per transaction until told to stop, publishing the codes committed.
fn start_writer(
    db: &TestDb,
    stop: Arc<AtomicBool>,
) -> (tokio::task::JoinHandle<()>, watch::Receiver<Vec<String>>) {
    let (committed_tx, committed) = watch::channel(Vec::new());
    let access = fixture::system(db);
    let writer = tokio::spawn(async move {
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) {
            n += 1;
            let code = format!("W{n:05}");
            let row = [
                code.as_str(),
                "Lò Văn Viết",
                "Nam",
                "02/02/1990",
                "Thái",
                "Không",
                "Sơ cấp",
            ];
            access
                .importer()
                .expect("an administrator imports")
                .apply(
                    Dataset::Members,
                    &table(&MEMBER_HEADERS, &[&row]),
                    "writer",
                    &mut Quiet,
                )
                .await
                .expect("a writer's import");
            committed_tx.send_modify(|codes| codes.push(code));
        }
    });
    (writer, committed)
}

async fn a_backup_under_writes_restores_everything_committed_before_it(db: &TestDb) {
    fixture::two_communes(db).await;
    let audit_of = |db: &dangbo_store::Db| {
        let access = fixture::system(db);
        async move { access.auditor().unwrap().verify().await.unwrap().entries }
    };
    let base_entries = audit_of(db).await;
    let stop = Arc::new(AtomicBool::new(false));
    let (writer, mut committed) = start_writer(db, stop.clone());
    committed.wait_for(|codes| codes.len() >= 5).await.unwrap();
    let before_backup = committed.borrow().clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dangbo.backup");
    let backup = fixture::system(db).backup(&file).await.expect("backup");
    assert!(backup.bytes > 0);
    // It holds every record: only its owner may read it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // The writer goes on after the backup; wait for a few more so the original moved on.
    let seen = committed.borrow().len();
    committed
        .wait_for(|codes| codes.len() >= seen + 3)
        .await
        .unwrap();
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    let all = committed.borrow().clone();

    // A second backup never overwrites the first.
    let again = fixture::system(db).backup(&file).await;
    assert!(matches!(again, Err(StoreError::File(_))), "{again:?}");

    let target = EmptyDb::on(db.engine()).await;
    let restored = restore(&target.url, &file).await.expect("restore");
    assert_eq!(restored.audit.broken_at, None, "the audit chain holds");
    assert!(restored.audit.entries > 0);
    let system = fixture::system(&restored.db);
    for code in &before_backup {
        assert!(
            system.member(code, today()).await.unwrap().is_some(),
            "{code} was committed before the backup began"
        );
    }
    for code in ["A1", "A2", "B1", "B2"] {
        assert!(
            system.member(code, today()).await.unwrap().is_some(),
            "{code}"
        );
    }
    let restored_writes = {
        let mut n = 0;
        for code in &all {
            if system.member(code, today()).await.unwrap().is_some() {
                n += 1;
            }
        }
        n
    };
    assert!(
        restored_writes < all.len(),
        "writes after the backup are not in it"
    );
    // The audit log of the copy holds the rows of exactly the imports it holds: one snapshot.
    let per_import = (audit_of(db).await - base_entries) / all.len();
    assert!(per_import > 0);
    assert_eq!(
        restored.audit.entries,
        base_entries + per_import * restored_writes
    );
    restored.db.close().await;

    // Restoring again into the now full database is refused, and changes nothing.
    let refused = restore(&target.url, &file).await;
    assert!(matches!(refused, Err(StoreError::Config(_))), "{refused:?}");
    let again = dangbo_store::Db::open(&target.url).await.unwrap();
    let entries = fixture::system(&again)
        .auditor()
        .unwrap()
        .verify()
        .await
        .unwrap();
    assert_eq!(entries, restored.audit, "unchanged");
    again.close().await;
}
conformance!(
    a_backup_under_writes_restores_everything_committed_before_it_on,
    a_backup_under_writes_restores_everything_committed_before_it
);

async fn a_file_that_is_not_a_backup_restores_nothing(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "Biên bản họp chi bộ").unwrap();
    let target = EmptyDb::on(db.engine()).await;
    let refused = restore(&target.url, &file).await;
    assert!(matches!(refused, Err(StoreError::File(_))), "{refused:?}");
    // A backup of the other engine is refused by name.
    let backup = dir.path().join("other.backup");
    fixture::system(db).backup(&backup).await.unwrap();
    let other = match db.engine() {
        dangbo_testkit::Engine::Sqlite => dangbo_testkit::Engine::Postgres,
        dangbo_testkit::Engine::Postgres => dangbo_testkit::Engine::Sqlite,
    };
    let elsewhere = EmptyDb::on(other).await;
    let refused = restore(&elsewhere.url, &backup).await;
    assert!(matches!(refused, Err(StoreError::File(_))), "{refused:?}");
    // Not into a database in memory, which would vanish.
    if db.engine() == dangbo_testkit::Engine::Sqlite {
        for url in ["sqlite::memory:", "sqlite://memory.db?mode=memory"] {
            let refused = restore(url, &backup).await;
            assert!(
                matches!(refused, Err(StoreError::Config(_))),
                "{url}: {refused:?}"
            );
        }
        // A database file in use is not a backup: its newest records may be in its log.
        let live = db.url.trim_start_matches("sqlite://");
        let target = EmptyDb::on(db.engine()).await;
        let refused = restore(&target.url, std::path::Path::new(live)).await;
        assert!(matches!(refused, Err(StoreError::File(_))), "{refused:?}");
    }
    // Only an administrator of the whole database backs it up.
    fixture::two_communes(db).await;
    let commune = fixture::access(
        db,
        "xa",
        dangbo_domain::access::Role::Administrator,
        Some("XA"),
    )
    .await;
    let forbidden = commune.backup(&dir.path().join("mine.backup")).await;
    assert!(
        matches!(forbidden, Err(StoreError::Forbidden(_))),
        "{forbidden:?}"
    );
}
conformance!(
    a_file_that_is_not_a_backup_restores_nothing_on,
    a_file_that_is_not_a_backup_restores_nothing
);
