//! Scoped access, capabilities, the audit chain and sign-in, on both engines.

mod common;

use common::fixture::{self, MEMBERS, PASSWORD};
use dangbo_domain::access::Role;
use dangbo_domain::figure;
use dangbo_domain::text::compare_person_names;
use dangbo_store::access::{EventInput, MemberQuery};
use dangbo_store::auth::{self, SignInError};
use dangbo_store::figures::Window;
use dangbo_store::io::{Dataset, Quiet, Table};
use dangbo_store::{Db, StoreError, audit};

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

async fn scope_hides_other_communes(db: &Db) {
    fixture::two_communes(db).await;
    let commune = fixture::access(db, "xa", Role::Organization, Some("XA")).await;
    assert!(commune.member("A1", today()).await.unwrap().is_some());
    assert!(
        commune.member("B1", today()).await.unwrap().is_none(),
        "B1 is in XB"
    );
    assert!(commune.unit("XB").await.unwrap().is_none());
    assert!(commune.unit("CA").await.unwrap().is_some());
    let list = commune
        .members(
            &MemberQuery {
                limit: 100,
                ..Default::default()
            },
            today(),
        )
        .await
        .unwrap();
    let codes: Vec<&str> = list.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.iter().all(|c| c.starts_with('A')), "{codes:?}");
    let asking_for_other = MemberQuery {
        unit: Some("XB".into()),
        limit: 100,
        ..Default::default()
    };
    assert!(matches!(
        commune.members(&asking_for_other, today()).await,
        Err(StoreError::NotFound(_))
    ));
    let total = figure::find("members.total").unwrap();
    let window = Window {
        as_of: today(),
        from: today(),
        to: today(),
    };
    let (_, values) = commune
        .figures("", std::slice::from_ref(&total), &window)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(values[0].1, 2);
    assert!(
        commune
            .figures("XB", &[total], &window)
            .await
            .unwrap()
            .is_none()
    );
    let tree = commune.tree(today()).await.unwrap();
    let codes: Vec<&str> = tree.iter().map(|e| e.unit.code.as_str()).collect();
    assert_eq!(codes, vec!["XA", "CA"]);
    // The editor cannot reach another commune's member either.
    let editor = commune.editor().unwrap();
    let event = EventInput {
        kind: "death".into(),
        date: Some(today()),
        ..Default::default()
    };
    assert!(matches!(
        editor.record_event("B1", &event).await,
        Err(StoreError::NotFound(_))
    ));
}
conformance!(scope_hides_other_communes_on, scope_hides_other_communes);

async fn cached_figures_follow_changes(db: &Db) {
    fixture::two_communes(db).await;
    let cache = std::sync::Arc::new(dangbo_store::access::FigureCache::default());
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA"))
        .await
        .with_cache(cache.clone());
    let total = figure::find("members.total").unwrap();
    let window = Window {
        as_of: today(),
        from: today(),
        to: today(),
    };
    let count = async |access: &dangbo_store::access::Access| {
        let (_, values) = access
            .figures("", std::slice::from_ref(&total), &window)
            .await
            .unwrap()
            .unwrap();
        values[0].1
    };
    assert_eq!(count(&staff).await, 2);
    assert_eq!(count(&staff).await, 2, "served from the cache");
    let event = EventInput {
        kind: "death".into(),
        date: Some(today()),
        ..Default::default()
    };
    staff
        .editor()
        .unwrap()
        .record_event("A1", &event)
        .await
        .unwrap();
    assert_eq!(
        count(&staff).await,
        1,
        "the change invalidated the cached figure"
    );
    let other = fixture::access(db, "other", Role::Viewer, Some("XB"))
        .await
        .with_cache(cache);
    assert_eq!(count(&other).await, 2, "another scope has its own entry");
}
conformance!(
    cached_figures_follow_changes_on,
    cached_figures_follow_changes
);

async fn writers_need_the_capability(db: &Db) {
    fixture::two_communes(db).await;
    let viewer = fixture::access(db, "viewer", Role::Viewer, None).await;
    assert!(matches!(viewer.editor(), Err(StoreError::Forbidden(_))));
    assert!(matches!(viewer.importer(), Err(StoreError::Forbidden(_))));
    assert!(matches!(
        viewer.restructurer(),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(viewer.auditor(), Err(StoreError::Forbidden(_))));
    let secretary = fixture::access(db, "secretary", Role::BranchSecretary, Some("CA")).await;
    assert!(secretary.editor().is_ok());
    assert!(matches!(
        secretary.importer(),
        Err(StoreError::Forbidden(_))
    ));
    let admin = fixture::access(db, "admin", Role::Administrator, None).await;
    assert!(admin.auditor().is_ok());
}
conformance!(writers_need_the_capability_on, writers_need_the_capability);

async fn changes_are_audited_in_a_chain(db: &Db) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA")).await;
    let editor = staff.editor().unwrap();
    let mut record = fixture::record("A1", "Nguyễn Văn An", dangbo_domain::members::Sex::Male);
    record.phone = "0912345678".into();
    editor.update_member("A1", &record, today()).await.unwrap();
    let event = EventInput {
        kind: "death".into(),
        date: Some(today()),
        decision_number: "9-QĐ".into(),
        ..Default::default()
    };
    editor.record_event("A2", &event).await.unwrap();
    let refused = EventInput {
        kind: "full_membership".into(),
        date: Some(today()),
        ..Default::default()
    };
    assert!(matches!(
        editor.record_event("A2", &refused).await,
        Err(StoreError::Fields(_))
    ));

    let mut tx = db.begin().await.unwrap();
    let filter = audit::Filter {
        actor: Some("staff".into()),
        limit: 10,
        ..Default::default()
    };
    let entries = audit::list(&mut tx, &filter).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(entries.len(), 2, "the refused event wrote nothing");
    assert_eq!(entries[1].action, "member.update");
    assert!(entries[1].before_json.contains("\"phone\":\"\""));
    assert!(entries[1].after_json.contains("0912345678"));
    assert_eq!(entries[0].action, "event.record");
    assert_eq!(entries[0].record_key, "A2");

    let verified = audit::verify(db).await.unwrap();
    assert!(verified.broken_at.is_none());
    assert_eq!(
        verified.entries, 3,
        "the user's creation and the two changes"
    );

    // The log refuses edits; one made behind its back is found by the chain.
    let mut tx = db.begin().await.unwrap();
    let sql = format!(
        "UPDATE audit_log SET actor = 'someone' WHERE id = {}",
        entries[1].id
    );
    assert!(raw(&mut tx, &sql).await.is_err());
    drop(tx);
    let mut tx = db.begin().await.unwrap();
    match db.engine() {
        dangbo_store::Engine::Sqlite => raw(&mut tx, "DROP TRIGGER audit_log_no_update")
            .await
            .unwrap(),
        dangbo_store::Engine::Postgres => raw(
            &mut tx,
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        )
        .await
        .unwrap(),
    }
    raw(&mut tx, &sql).await.unwrap();
    tx.commit().await.unwrap();
    let verified = audit::verify(db).await.unwrap();
    assert_eq!(verified.broken_at.map(|(id, _)| id), Some(entries[1].id));
}
conformance!(
    changes_are_audited_in_a_chain_on,
    changes_are_audited_in_a_chain
);

async fn raw(tx: &mut dangbo_store::Tx, sql: &str) -> Result<(), sqlx::Error> {
    match tx {
        dangbo_store::Tx::Sqlite(t) => sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut **t)
            .await
            .map(|_| ()),
        dangbo_store::Tx::Postgres(t) => sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut **t)
            .await
            .map(|_| ()),
    }
}

fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r.iter().map(|c| c.to_string()).collect()))
            .collect(),
    }
}

async fn imports_stay_inside_the_scope(db: &Db) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA")).await;
    let importer = staff.importer().unwrap();
    let events = table(
        &["Mã đảng viên", "Sự kiện", "Ngày"],
        &[&["B1", "Từ trần", "2024-01-02"]],
    );
    assert!(matches!(
        importer
            .apply(Dataset::Events, &events, "e.csv", &mut Quiet)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let units = table(
        &["Mã", "Tên", "Loại", "Ngày thành lập", "Mã cấp trên"],
        &[&["CB2", "Chi bộ mới", "Chi bộ", "2024-01-01", "XB"]],
    );
    assert!(matches!(
        importer
            .apply(Dataset::Units, &units, "u.csv", &mut Quiet)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let inside = table(
        &["Mã", "Tên", "Loại", "Ngày thành lập", "Mã cấp trên"],
        &[&["CA2", "Chi bộ mới", "Chi bộ", "2024-01-01", "XA"]],
    );
    let preview = importer.preview(Dataset::Units, &inside).await.unwrap();
    assert_eq!(preview.created, 1);
    assert!(
        staff.unit("CA2").await.unwrap().is_none(),
        "a preview writes nothing"
    );
    importer
        .apply(Dataset::Units, &inside, "u.csv", &mut Quiet)
        .await
        .unwrap();
    assert!(staff.unit("CA2").await.unwrap().is_some());
    let whole = fixture::access(db, "admin", Role::Administrator, None).await;
    let b1 = whole.member("B1", today()).await.unwrap().unwrap();
    assert_eq!(b1.events.len(), 2, "the refused import wrote no event");
}
conformance!(
    imports_stay_inside_the_scope_on,
    imports_stay_inside_the_scope
);

async fn keyset_pages_follow_vietnamese_order(db: &Db) {
    fixture::two_communes(db).await;
    let admin = fixture::access(db, "admin", Role::Administrator, None).await;
    let mut seen = Vec::new();
    let mut query = MemberQuery {
        limit: 1,
        ..Default::default()
    };
    loop {
        let page = admin.members(&query, today()).await.unwrap();
        seen.extend(page.rows.into_iter().map(|r| r.full_name));
        match page.next {
            Some(cursor) => query.after = Some(cursor),
            None => break,
        }
    }
    let mut expected: Vec<String> = MEMBERS.iter().map(|m| m.1.to_string()).collect();
    expected.sort_by(|a, b| compare_person_names(a, b));
    assert_eq!(seen, expected);
    let search = MemberQuery {
        search: Some("lUONG thi anh".into()),
        limit: 10,
        ..Default::default()
    };
    let found = admin.members(&search, today()).await.unwrap();
    assert_eq!(
        found
            .rows
            .iter()
            .map(|r| r.code.as_str())
            .collect::<Vec<_>>(),
        vec!["A2"]
    );
    let women = MemberQuery {
        sex: Some(dangbo_domain::members::Sex::Female),
        max_age: Some(200),
        min_age: Some(18),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(admin.members(&women, today()).await.unwrap().rows.len(), 2);
}
conformance!(
    keyset_pages_follow_vietnamese_order_on,
    keyset_pages_follow_vietnamese_order
);

async fn sign_in_is_throttled_and_sessions_expire(db: &Db) {
    fixture::two_communes(db).await;
    fixture::add_user(db, "lan", Role::Viewer, Some("XA")).await;
    let session = auth::sign_in(db, "Lan", PASSWORD, "10.0.0.1")
        .await
        .unwrap()
        .expect("signed in");
    assert!(auth::resume(db, &session.token).await.unwrap().is_some());
    assert!(auth::resume(db, "not-a-token").await.unwrap().is_none());
    for _ in 0..auth::MAX_FAILURES_PER_ACCOUNT {
        let refused = auth::sign_in(db, "lan", "wrong password!", "10.0.0.2")
            .await
            .unwrap();
        assert!(matches!(refused, Err(SignInError::Refused)));
    }
    let locked = auth::sign_in(db, "lan", PASSWORD, "10.0.0.3")
        .await
        .unwrap();
    assert!(
        matches!(locked, Err(SignInError::Throttled { .. })),
        "the right password waits too"
    );
    // One address guessing many accounts is stopped too.
    for i in 0..auth::MAX_FAILURES_PER_ADDRESS {
        let name = format!("ghost{i}");
        let refused = auth::sign_in(db, &name, "guess", "10.0.0.9").await.unwrap();
        assert!(matches!(refused, Err(SignInError::Refused)));
    }
    fixture::add_user(db, "hoa", Role::Viewer, None).await;
    let from_guesser = auth::sign_in(db, "hoa", PASSWORD, "10.0.0.9")
        .await
        .unwrap();
    assert!(matches!(from_guesser, Err(SignInError::Throttled { .. })));
    assert!(
        auth::sign_in(db, "hoa", PASSWORD, "10.0.0.10")
            .await
            .unwrap()
            .is_ok()
    );
    // A session ends after the absolute limit even while in use.
    let busy = auth::sign_in(db, "hoa", PASSWORD, "10.0.0.10")
        .await
        .unwrap()
        .expect("signed in");
    let mut tx = db.begin().await.unwrap();
    let sql = format!(
        "UPDATE sessions SET created_at = created_at - {} WHERE user_id = (SELECT id FROM users WHERE username = 'hoa')",
        auth::ABSOLUTE_SECONDS + 1
    );
    raw(&mut tx, &sql).await.unwrap();
    tx.commit().await.unwrap();
    assert!(auth::resume(db, &busy.token).await.unwrap().is_none());
    // An idle session ends.
    let mut tx = db.begin().await.unwrap();
    raw(
        &mut tx,
        "UPDATE sessions SET last_seen_at = last_seen_at - 100000",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(auth::resume(db, &session.token).await.unwrap().is_none());
    // Disabled users cannot sign in.
    let mut tx = db.begin_write().await.unwrap();
    auth::set_disabled(&mut tx, "test", "lan", true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    fixture::add_user(db, "mai", Role::Viewer, None).await;
    let mut tx = db.begin_write().await.unwrap();
    auth::set_disabled(&mut tx, "test", "mai", true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(matches!(
        auth::sign_in(db, "mai", PASSWORD, "10.0.0.4")
            .await
            .unwrap(),
        Err(SignInError::Refused)
    ));
}
conformance!(
    sign_in_is_throttled_and_sessions_expire_on,
    sign_in_is_throttled_and_sessions_expire
);
