//! Scoped access, capabilities, user administration inside a scope, the audit chain and sign-in,
//! on both engines.

use dangbo_domain::access::Role;
use dangbo_domain::members::events::EventKind;
use dangbo_domain::text::compare_person_names;
use dangbo_store::StoreError;
use dangbo_store::access::{
    AuditFilter, Dataset, EventInput, EventOutcome, MemberQuery, NewToken, NewUser, Quiet,
    Sessions, SignInError, Window, find_figure,
};
use dangbo_testkit::fixture::{self, MEMBERS, PASSWORD, table};
use dangbo_testkit::{TestDb, conformance};

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn today_window() -> Window {
    Window {
        as_of: today(),
        from: today(),
        to: today(),
    }
}

fn death_today() -> EventInput {
    EventInput {
        kind: "death".into(),
        date: today().to_string(),
        ..Default::default()
    }
}

async fn scope_hides_other_communes(db: &TestDb) {
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
    let total = find_figure("members.total").unwrap();
    let (_, values) = commune
        .figures("", std::slice::from_ref(&total), &today_window(), false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(values[0].value.as_count(), Some(2));
    assert!(
        commune
            .figures("XB", std::slice::from_ref(&total), &today_window(), false)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        commune
            .figure_table(
                "XB",
                dangbo_store::access::TableRows::Children,
                &[total],
                &today_window(),
                false
            )
            .await
            .unwrap()
            .is_none()
    );
    let tree = commune.tree(today()).await.unwrap();
    let codes: Vec<&str> = tree.iter().map(|e| e.unit.code.as_str()).collect();
    assert_eq!(codes, vec!["XA", "CA"]);
    // The editor cannot reach another commune's member either.
    let editor = commune.editor().unwrap();
    assert!(matches!(
        editor.record_event("B1", &death_today()).await,
        Err(StoreError::NotFound(_))
    ));
    // Exports hold the whole database: not for a commune.
    assert!(matches!(
        commune.export(Dataset::Members).await,
        Err(StoreError::Forbidden(_))
    ));
}
conformance!(scope_hides_other_communes_on, scope_hides_other_communes);

async fn cached_figures_follow_changes(db: &TestDb) {
    fixture::two_communes(db).await;
    let cache = std::sync::Arc::new(dangbo_store::access::FigureCache::default());
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA"))
        .await
        .with_cache(cache.clone());
    let total = find_figure("members.total").unwrap();
    let count = async |access: &dangbo_store::access::Access| {
        let (_, values) = access
            .figures("", std::slice::from_ref(&total), &today_window(), false)
            .await
            .unwrap()
            .unwrap();
        values[0].value.as_count()
    };
    assert_eq!(count(&staff).await, Some(2));
    assert_eq!(count(&staff).await, Some(2), "served from the cache");
    staff
        .editor()
        .unwrap()
        .record_event("A1", &death_today())
        .await
        .unwrap();
    assert_eq!(
        count(&staff).await,
        Some(1),
        "the change invalidated the cached figure"
    );
    let other = fixture::access(db, "other", Role::Viewer, Some("XB"))
        .await
        .with_cache(cache);
    assert_eq!(
        count(&other).await,
        Some(2),
        "another scope has its own entry"
    );
}
conformance!(
    cached_figures_follow_changes_on,
    cached_figures_follow_changes
);

async fn writers_need_the_capability(db: &TestDb) {
    fixture::two_communes(db).await;
    let viewer = fixture::access(db, "viewer", Role::Viewer, None).await;
    assert!(matches!(viewer.editor(), Err(StoreError::Forbidden(_))));
    assert!(matches!(viewer.importer(), Err(StoreError::Forbidden(_))));
    assert!(matches!(
        viewer.restructurer(),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(viewer.auditor(), Err(StoreError::Forbidden(_))));
    assert!(matches!(viewer.user_admin(), Err(StoreError::Forbidden(_))));
    assert!(matches!(viewer.reporter(), Err(StoreError::Forbidden(_))));
    let secretary = fixture::access(db, "secretary", Role::BranchSecretary, Some("CA")).await;
    assert!(secretary.editor().is_ok());
    assert!(matches!(
        secretary.importer(),
        Err(StoreError::Forbidden(_))
    ));
    let admin = fixture::access(db, "admin", Role::Administrator, None).await;
    assert!(admin.auditor().is_ok());
    assert!(admin.user_admin().is_ok());
}
conformance!(writers_need_the_capability_on, writers_need_the_capability);

fn new_user(name: &str, role: Role, scope: Option<&str>) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: name.into(),
        password: PASSWORD.into(),
        role,
        scope_code: scope.map(str::to_string),
    }
}

async fn a_scoped_administrator_manages_only_inside_the_scope(db: &TestDb) {
    fixture::two_communes(db).await;
    fixture::add_user(db, "national", Role::Administrator, None).await;
    fixture::add_user(db, "b_staff", Role::Organization, Some("XB")).await;
    fixture::add_user(db, "a_staff", Role::Organization, Some("CA")).await;
    let admin_a = fixture::access(db, "admin_a", Role::Administrator, Some("XA")).await;
    let users = admin_a.user_admin().unwrap();
    // It sees the users of its commune only (itself included).
    let names: Vec<String> = users
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|(u, _)| u.username)
        .collect();
    assert_eq!(names, vec!["a_staff".to_string(), "admin_a".to_string()]);
    // It cannot touch the national administrator or another commune's user: both read as absent.
    for name in ["national", "b_staff"] {
        assert!(matches!(
            users.reset_password(name, "mat-khau-moi-12345").await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            users.set_disabled(name, true).await,
            Err(StoreError::NotFound(_))
        ));
    }
    // Nor grant the whole database or another commune.
    for scope in [None, Some("XB"), Some("T")] {
        let err = users
            .create_user(&new_user("wide", Role::Viewer, scope))
            .await
            .unwrap_err();
        let StoreError::Fields(problems) = err else {
            panic!("a field problem for {scope:?}")
        };
        assert_eq!(problems[0].0, "scope");
    }
    let err = users
        .create_token(&NewToken {
            name: "wide".into(),
            role: Role::Viewer,
            scope_code: None,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Fields(_)));
    // Another administrator of the same commune is a peer: the province manages both.
    fixture::add_user(db, "admin_a2", Role::Administrator, Some("XA")).await;
    assert!(matches!(
        users.reset_password("admin_a2", "mat-khau-moi-12345").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        users
            .create_user(&new_user("admin_a3", Role::Administrator, Some("XA")))
            .await,
        Err(StoreError::Fields(_))
    ));
    // Inside its commune it may.
    users
        .create_user(&new_user("ca_viewer", Role::Viewer, Some("CA")))
        .await
        .unwrap();
    let (token, secret) = users
        .create_token(&NewToken {
            name: "bảng tin".into(),
            role: Role::Viewer,
            scope_code: Some("XA".into()),
        })
        .await
        .unwrap();
    assert!(secret.starts_with("dbt_"));
    users.revoke_token(token.id).await.unwrap();
    // Nobody locks themselves out.
    assert_eq!(
        users
            .set_disabled("admin_a", true)
            .await
            .unwrap_err()
            .rule(),
        Some("user.disable_self")
    );
    // An organization officer cannot grant a role that can do more than theirs.
    let national = fixture::access(db, "root2", Role::Administrator, None).await;
    let tokens_outside = national.user_admin().unwrap().tokens().await.unwrap();
    let outside = tokens_outside.iter().find(|(t, _)| t.id == token.id);
    assert!(
        outside.is_some(),
        "the national administrator sees every token"
    );
}
conformance!(
    a_scoped_administrator_manages_only_inside_the_scope_on,
    a_scoped_administrator_manages_only_inside_the_scope
);

async fn changes_are_audited_in_a_chain(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA")).await;
    let editor = staff.editor().unwrap();
    let read = staff.member("A1", today()).await.unwrap().unwrap().member;
    let mut record = read.record;
    record.phone = "0912345678".into();
    editor
        .update_member("A1", &record, read.version, today())
        .await
        .unwrap();
    let event = EventInput {
        decision_number: "9-QĐ".into(),
        ..death_today()
    };
    editor.record_event("A2", &event).await.unwrap();
    let refused = EventInput {
        kind: "full_membership".into(),
        date: today().to_string(),
        ..Default::default()
    };
    // A2 has been a full member since 2011 (the same day's death sorts after it).
    assert_eq!(
        editor
            .record_event("A2", &refused)
            .await
            .unwrap_err()
            .rule(),
        Some("history.already_full")
    );

    let admin = fixture::access(db, "admin", Role::Administrator, None).await;
    let auditor = admin.auditor().unwrap();
    let filter = AuditFilter {
        actor: Some("staff".into()),
        limit: 10,
        ..Default::default()
    };
    let entries = auditor.list(&filter).await.unwrap();
    assert_eq!(entries.len(), 2, "the refused event wrote nothing");
    assert_eq!(entries[1].action, "member.update");
    assert!(entries[1].before_json.contains("\"phone\":\"\""));
    assert!(entries[1].after_json.contains("0912345678"));
    assert_eq!(entries[0].action, "event.record");
    assert_eq!(entries[0].record_key, "A2");

    let verified = auditor.verify().await.unwrap();
    assert!(verified.broken_at.is_none());

    // The log refuses edits; one made behind its back is found by the chain.
    let sql = format!(
        "UPDATE audit_log SET actor = 'someone' WHERE id = {}",
        entries[1].id
    );
    assert!(db.raw(&sql).await.is_err());
    match db.engine() {
        dangbo_store::Engine::Sqlite => db.raw("DROP TRIGGER audit_log_no_update").await.unwrap(),
        dangbo_store::Engine::Postgres => db
            .raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
            .await
            .unwrap(),
    }
    db.raw(&sql).await.unwrap();
    let verified = auditor.verify().await.unwrap();
    assert_eq!(verified.broken_at.map(|(id, _)| id), Some(entries[1].id));
}
conformance!(
    changes_are_audited_in_a_chain_on,
    changes_are_audited_in_a_chain
);

async fn the_audit_log_is_read_within_the_scope(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff_a = fixture::access(db, "staff_a", Role::Organization, Some("XA")).await;
    let staff_b = fixture::access(db, "staff_b", Role::Organization, Some("XB")).await;
    staff_a
        .editor()
        .unwrap()
        .record_event("A1", &death_today())
        .await
        .unwrap();
    staff_b
        .editor()
        .unwrap()
        .record_event("B1", &death_today())
        .await
        .unwrap();
    let admin_a = fixture::access(db, "admin_a", Role::Administrator, Some("XA")).await;
    let seen = admin_a
        .auditor()
        .unwrap()
        .list(&AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let keys: Vec<&str> = seen.iter().map(|e| e.record_key.as_str()).collect();
    assert!(keys.contains(&"A1"), "{keys:?}");
    assert!(!keys.contains(&"B1"), "another commune's member: {keys:?}");
    assert!(
        !keys.contains(&"national") && !keys.contains(&"staff_b"),
        "users outside the commune: {keys:?}"
    );
    assert!(
        seen.iter().all(|e| !e.after_json.contains("B1")),
        "no row carries another commune's record"
    );
    let national = fixture::access(db, "national", Role::Administrator, None).await;
    let all = national
        .auditor()
        .unwrap()
        .list(&AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(all.iter().any(|e| e.record_key == "B1"));
    assert!(all.len() > seen.len());
}
conformance!(
    the_audit_log_is_read_within_the_scope_on,
    the_audit_log_is_read_within_the_scope
);

async fn imports_stay_inside_the_scope(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA")).await;
    let importer = staff.importer().unwrap();
    // A member of another commune reads exactly as a code that does not exist: a death, or a
    // transfer that would bring them into this commune, is refused with the same words.
    let refusal = async |rows: &[&[&str]]| {
        let events = table(
            &["Mã đảng viên", "Sự kiện", "Ngày", "Từ đơn vị", "Đến đơn vị"],
            rows,
        );
        match importer.preview(Dataset::Events, &events).await {
            Err(StoreError::Import(errors)) => errors
                .into_iter()
                .map(|e| (e.row, e.column, e.message))
                .collect::<Vec<_>>(),
            other => panic!("refused: {other:?}"),
        }
    };
    let outsider = refusal(&[&["B1", "Từ trần", "2024-01-02", "", ""]]).await;
    let unknown = refusal(&[&["ZZ9", "Từ trần", "2024-01-02", "", ""]]).await;
    assert_eq!(outsider, unknown);
    let takeover = refusal(&[&["B1", "Chuyển đi", "2024-01-02", "CB", "CA"]]).await;
    let unknown = refusal(&[&["ZZ9", "Chuyển đi", "2024-01-02", "CB", "CA"]]).await;
    assert_eq!(takeover, unknown);
    let events = table(
        &["Mã đảng viên", "Sự kiện", "Ngày"],
        &[&["B1", "Từ trần", "2024-01-02"]],
    );
    assert!(matches!(
        importer
            .apply(Dataset::Events, &events, "e.csv", &mut Quiet)
            .await,
        Err(StoreError::Import(_))
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
    // A member with no branch would belong to no unit the staff can see: refused, named.
    let headers = ["Mã đảng viên", "Họ và tên", "Giới tính", "Ngày sinh"];
    let unplaced = table(&headers, &[&["N1", "Lò Văn Mới", "Nam", "01/01/1990"]]);
    match importer
        .apply(Dataset::Members, &unplaced, "m.csv", &mut Quiet)
        .await
    {
        Err(StoreError::Forbidden(message)) => assert!(message.contains("N1"), "{message}"),
        other => panic!("a member without a branch: {other:?}"),
    }
    assert!(whole.member("N1", today()).await.unwrap().is_none());
    let headers = [
        "Mã đảng viên",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Ngày vào Đảng",
        "Mã chi bộ",
    ];
    let placed = table(
        &headers,
        &[&["N1", "Lò Văn Mới", "Nam", "01/01/1990", "01/03/2024", "CA"]],
    );
    importer
        .apply(Dataset::Members, &placed, "m.csv", &mut Quiet)
        .await
        .unwrap();
    assert!(
        staff.member("N1", today()).await.unwrap().is_some(),
        "placed in CA, seen"
    );
    // The whole database's administrators may still keep a record before its admission.
    whole
        .importer()
        .unwrap()
        .apply(
            Dataset::Members,
            &table(
                &["Mã đảng viên", "Họ và tên", "Giới tính", "Ngày sinh"],
                &[&["N2", "Lò Thị Hai", "Nữ", "01/01/1991"]],
            ),
            "m.csv",
            &mut Quiet,
        )
        .await
        .unwrap();
}
conformance!(
    imports_stay_inside_the_scope_on,
    imports_stay_inside_the_scope
);

async fn restructures_stay_inside_the_scope(db: &TestDb) {
    use dangbo_store::access::{Decision, NewUnit, RestructurePlan, SplitPart};
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA")).await;
    let restructurer = staff.restructurer().unwrap();
    let decision = Decision::on(dangbo_testkit::d(2024, 1, 1));
    let part = |code: &str, parent: Option<&str>, members: &[&str]| SplitPart {
        unit: NewUnit {
            code: code.into(),
            name: format!("Chi bộ {code}"),
            kind: dangbo_domain::tree::UnitKind::Branch,
            parent_code: parent.map(str::to_string),
            start_date: decision.date,
            end_date: None,
        },
        members: members.iter().map(|m| m.to_string()).collect(),
        children: Vec::new(),
    };
    // A split whose parts hang under another commune is refused: that parent is out of scope.
    let split = RestructurePlan::Split {
        source: "CA".into(),
        parts: vec![
            part("P1", Some("XB"), &["A1"]),
            part("P2", Some("XB"), &["A2"]),
        ],
    };
    assert!(matches!(
        restructurer.apply(&split, &decision).await,
        Err(StoreError::NotFound(_))
    ));
    // A merge into a unit with no parent would sit at the root, outside the commune.
    // A member sent to two new units is refused, whatever a form sends.
    let twice = RestructurePlan::Split {
        source: "CA".into(),
        parts: vec![
            part("P1", Some("XA"), &["A1", "A2"]),
            part("P2", Some("XA"), &["A2"]),
        ],
    };
    match restructurer.apply(&twice, &decision).await {
        Err(StoreError::Invalid(refusal)) => {
            assert_eq!(refusal.code, "restructure.assigned_twice");
            assert!(refusal.message.contains("A2"), "{}", refusal.message);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let merge = RestructurePlan::Merge {
        sources: vec!["CA".into()],
        new: part("ROOT", None, &[]).unit,
    };
    assert!(matches!(
        restructurer.apply(&merge, &decision).await,
        Err(StoreError::Fields(_))
    ));
    // The commune itself is restructured by the level above.
    let rename_root = RestructurePlan::Rename {
        code: "XA".into(),
        new_name: "Đảng ủy xã mới".into(),
    };
    assert!(matches!(
        restructurer.apply(&rename_root, &decision).await,
        Err(StoreError::Forbidden(_))
    ));
    let admin = fixture::access(db, "admin", Role::Administrator, None).await;
    assert!(
        admin.unit("P1").await.unwrap().is_none(),
        "nothing was created"
    );
    let a1 = admin
        .member("A1", dangbo_testkit::d(2024, 6, 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a1.unit.map(|u| u.code), Some("CA".into()));
}
conformance!(
    restructures_stay_inside_the_scope_on,
    restructures_stay_inside_the_scope
);

async fn keyset_pages_follow_vietnamese_order(db: &TestDb) {
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

async fn sign_in_is_throttled_and_sessions_expire(db: &TestDb) {
    use dangbo_store::access::sessions::{
        ABSOLUTE_SECONDS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, address_delay,
    };
    fixture::two_communes(db).await;
    fixture::add_user(db, "lan", Role::Viewer, Some("XA")).await;
    let sessions = Sessions::new(db);
    let session = sessions
        .sign_in("Lan", PASSWORD, "10.0.0.1")
        .await
        .unwrap()
        .expect("signed in");
    assert!(sessions.resume(&session.token).await.unwrap().is_some());
    assert!(sessions.resume("not-a-token").await.unwrap().is_none());
    for _ in 0..MAX_FAILURES_PER_ACCOUNT {
        let refused = sessions
            .sign_in("lan", "wrong password!", "10.0.0.2")
            .await
            .unwrap();
        assert!(matches!(refused, Err(SignInError::Refused)));
    }
    let locked = sessions.sign_in("lan", PASSWORD, "10.0.0.3").await.unwrap();
    assert!(
        matches!(locked, Err(SignInError::Throttled { .. })),
        "the right password waits too"
    );
    // One address guessing many accounts is slowed, not locked: many people can share an
    // office's address, and the right password of a real account still signs in from it.
    for i in 0..MAX_FAILURES_PER_ADDRESS {
        let name = format!("ghost{i}");
        let refused = sessions.sign_in(&name, "guess", "10.0.0.9").await.unwrap();
        assert!(matches!(refused, Err(SignInError::Refused)));
    }
    assert!(address_delay(MAX_FAILURES_PER_ADDRESS - 1).is_zero());
    assert!(!address_delay(MAX_FAILURES_PER_ADDRESS).is_zero());
    fixture::add_user(db, "hoa", Role::Viewer, None).await;
    let from_guesser = sessions.sign_in("hoa", PASSWORD, "10.0.0.9").await.unwrap();
    assert!(from_guesser.is_ok(), "{from_guesser:?}");
    // A session ends after the absolute limit even while in use.
    let busy = sessions
        .sign_in("hoa", PASSWORD, "10.0.0.10")
        .await
        .unwrap()
        .expect("signed in");
    let sql = format!(
        "UPDATE sessions SET created_at = created_at - {} WHERE user_id = (SELECT id FROM users WHERE username = 'hoa')",
        ABSOLUTE_SECONDS + 1
    );
    db.raw(&sql).await.unwrap();
    assert!(sessions.resume(&busy.token).await.unwrap().is_none());
    // An idle session ends.
    db.raw("UPDATE sessions SET last_seen_at = last_seen_at - 100000")
        .await
        .unwrap();
    assert!(sessions.resume(&session.token).await.unwrap().is_none());
    // Disabled users cannot sign in.
    fixture::add_user(db, "mai", Role::Viewer, None).await;
    fixture::system(db)
        .user_admin()
        .unwrap()
        .set_disabled("mai", true)
        .await
        .unwrap();
    assert!(matches!(
        sessions.sign_in("mai", PASSWORD, "10.0.0.4").await.unwrap(),
        Err(SignInError::Refused)
    ));
}
conformance!(
    sign_in_is_throttled_and_sessions_expire_on,
    sign_in_is_throttled_and_sessions_expire
);

/// Guesses sent all at once still stop at the account's limit: each counts before any is checked.
async fn parallel_guesses_stop_at_the_account_limit(db: &TestDb) {
    use dangbo_store::access::sessions::MAX_FAILURES_PER_ACCOUNT;
    fixture::two_communes(db).await;
    fixture::add_user(db, "lan", Role::Viewer, Some("XA")).await;
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..12 {
        let db = db.db.clone();
        guesses.spawn(async move {
            Sessions::new(&db)
                .sign_in("lan", &format!("guess number {i}"), &format!("10.0.1.{i}"))
                .await
                .unwrap()
        });
    }
    let mut refused = 0;
    let mut throttled = 0;
    while let Some(answer) = guesses.join_next().await {
        match answer.unwrap() {
            Err(SignInError::Refused) => refused += 1,
            Err(SignInError::Throttled { .. }) => throttled += 1,
            Ok(_) => panic!("a wrong password signed in"),
        }
    }
    assert_eq!(refused, MAX_FAILURES_PER_ACCOUNT, "checked guesses");
    assert_eq!(throttled, 12 - MAX_FAILURES_PER_ACCOUNT);
    let right = Sessions::new(db)
        .sign_in("lan", PASSWORD, "10.0.2.1")
        .await
        .unwrap();
    assert!(matches!(right, Err(SignInError::Throttled { .. })));
}
conformance!(
    parallel_guesses_stop_at_the_account_limit_on,
    parallel_guesses_stop_at_the_account_limit
);

/// A stolen session cannot be used to guess the account's password through the change form.
async fn wrong_current_passwords_lock_the_account(db: &TestDb) {
    use dangbo_store::access::PasswordChange;
    use dangbo_store::access::sessions::MAX_FAILURES_PER_ACCOUNT;
    fixture::two_communes(db).await;
    fixture::add_user(db, "lan", Role::Viewer, Some("XA")).await;
    let sessions = Sessions::new(db);
    let lan = sessions.access_of("lan").await.unwrap().expect("lan");
    for _ in 0..MAX_FAILURES_PER_ACCOUNT {
        let refused = lan
            .change_own_password("a wrong guess", "a new password 1")
            .await
            .unwrap();
        assert_eq!(refused, PasswordChange::WrongCurrent);
    }
    let locked = lan
        .change_own_password(PASSWORD, "a new password 1")
        .await
        .unwrap();
    assert!(
        matches!(locked, PasswordChange::Throttled { .. }),
        "{locked:?}"
    );
    // The guesses count against sign-in as well: the account is locked for the window.
    let signed_in = sessions.sign_in("lan", PASSWORD, "10.0.0.1").await.unwrap();
    assert!(matches!(signed_in, Err(SignInError::Throttled { .. })));
    // The command line (like an API token) has no password of its own to change.
    let system = fixture::system(db);
    assert!(matches!(
        system
            .change_own_password(PASSWORD, "a new password 1")
            .await,
        Err(dangbo_store::StoreError::Forbidden(_))
    ));
}
conformance!(
    wrong_current_passwords_lock_the_account_on,
    wrong_current_passwords_lock_the_account
);

async fn a_scheduled_transfer_moves_nobody_into_another_scope_early(db: &TestDb) {
    fixture::two_communes(db).await;
    let national = fixture::access(db, "national", Role::Administrator, None).await;
    let later = (today() + chrono::Duration::days(30)).to_string();
    national
        .editor()
        .unwrap()
        .record_event(
            "B1",
            &EventInput {
                kind: "transfer_out".into(),
                date: later,
                to_unit: "CA".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let staff_a = fixture::access(db, "staff_a", Role::Organization, Some("XA")).await;
    let staff_b = fixture::access(db, "staff_b", Role::Organization, Some("XB")).await;
    assert!(staff_a.member("B1", today()).await.unwrap().is_none());
    let b1 = staff_b.member("B1", today()).await.unwrap().unwrap();
    assert_eq!(b1.unit.map(|u| u.code), Some("CB".into()));
    assert_eq!(b1.scheduled.len(), 1);
}
conformance!(
    a_scheduled_transfer_moves_nobody_into_another_scope_early_on,
    a_scheduled_transfer_moves_nobody_into_another_scope_early
);

async fn two_edits_from_the_same_version_lose_nothing(db: &TestDb) {
    fixture::two_communes(db).await;
    let first = fixture::access(db, "first", Role::Organization, Some("XA")).await;
    let second = fixture::access(db, "second", Role::Organization, Some("XA")).await;
    // Both read the record, then each changes a different field.
    let read = first.member("A1", today()).await.unwrap().unwrap().member;
    let mut phone = read.record.clone();
    phone.phone = "0912345678".into();
    let mut job = read.record.clone();
    job.occupation = "Giáo viên".into();
    let saved = first
        .editor()
        .unwrap()
        .update_member("A1", &phone, read.version, today())
        .await
        .unwrap();
    assert_eq!(saved.version, read.version + 1);
    let stale = second
        .editor()
        .unwrap()
        .update_member("A1", &job, read.version, today())
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::Conflict(_)));
    assert_eq!(stale.rule(), Some("member.stale"));
    let now = first.member("A1", today()).await.unwrap().unwrap().member;
    assert_eq!(now.record.phone, "0912345678", "the first edit is kept");
    assert_eq!(now.record.occupation, read.record.occupation);
    // Made again from the new version, the second edit goes through.
    second
        .editor()
        .unwrap()
        .update_member("A1", &job, now.version, today())
        .await
        .unwrap();
}
conformance!(
    two_edits_from_the_same_version_lose_nothing_on,
    two_edits_from_the_same_version_lose_nothing
);

async fn racing_events_on_one_member_keep_a_valid_history(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA")).await;
    let date = today().to_string();
    // Twenty requests at once: ten deaths and ten transfers out of the same member.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let staff = staff.clone();
        let input = EventInput {
            kind: if i % 2 == 0 { "death" } else { "transfer_out" }.into(),
            date: date.clone(),
            external_unit: "Đảng bộ tỉnh khác".into(),
            ..Default::default()
        };
        tasks.push(tokio::spawn(async move {
            staff.editor().unwrap().record_event("A1", &input).await
        }));
    }
    let mut written = 0;
    for task in tasks {
        if task
            .await
            .unwrap()
            .is_ok_and(|o| o == EventOutcome::Recorded)
        {
            written += 1;
        }
    }
    let national = fixture::access(db, "national", Role::Administrator, None).await;
    let a1 = national.member("A1", today()).await.unwrap().unwrap();
    let ends: Vec<_> = a1
        .events
        .iter()
        .filter(|e| e.event.date == today())
        .collect();
    // A departed member may later be recorded dead, but nobody leaves or dies twice.
    let count = |kind: EventKind| ends.iter().filter(|e| e.event.kind == kind).count();
    assert!(count(EventKind::Death) <= 1, "{ends:?}");
    assert!(count(EventKind::TransferOut) <= 1, "{ends:?}");
    assert_eq!(
        written,
        ends.len(),
        "every accepted request is stored: {ends:?}"
    );
    // The figure and its drill-down still agree.
    let deaths = find_figure("deaths").unwrap();
    let (_, values) = national
        .figures("", std::slice::from_ref(&deaths), &today_window(), false)
        .await
        .unwrap()
        .unwrap();
    let (_, records) = national
        .figure_records("", &deaths, &today_window())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(values[0].value.as_count(), Some(records.len() as i64));
}
conformance!(
    racing_events_on_one_member_keep_a_valid_history_on,
    racing_events_on_one_member_keep_a_valid_history
);

async fn a_resent_event_is_answered_without_a_second_record(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "staff", Role::Organization, Some("XA")).await;
    let editor = staff.editor().unwrap();
    let first = editor.record_event("A1", &death_today()).await.unwrap();
    let (events, audit) = (db.count("member_events").await, db.count("audit_log").await);
    let again = editor.record_event("A1", &death_today()).await.unwrap();
    assert_eq!(
        (first, again),
        (EventOutcome::Recorded, EventOutcome::AlreadyRecorded)
    );
    assert_eq!(db.count("member_events").await, events, "no second event");
    assert_eq!(
        db.count("audit_log").await,
        audit,
        "nothing changed, nothing audited"
    );
}
conformance!(
    a_resent_event_is_answered_without_a_second_record_on,
    a_resent_event_is_answered_without_a_second_record
);

async fn codes_outside_the_safe_alphabet_name_nothing_and_cannot_be_created(db: &TestDb) {
    use dangbo_store::access::{Decision, NewUnit, RestructurePlan};
    fixture::two_communes(db).await;
    let admin = fixture::access(db, "admin", Role::Administrator, None).await;
    // A lookup of a value that cannot be a code finds nothing (PostgreSQL would refuse the NUL).
    for code in ["A1\0", "../A1", "A1\u{202E}"] {
        assert!(
            admin.member(code, today()).await.unwrap().is_none(),
            "{code:?}"
        );
        assert!(admin.unit(code).await.unwrap().is_none(), "{code:?}");
    }
    let establish = RestructurePlan::Establish {
        new: NewUnit {
            code: "../admin/users/xem/disable?".into(),
            name: "Chi bộ".into(),
            kind: dangbo_domain::tree::UnitKind::Branch,
            parent_code: Some("XA".into()),
            start_date: dangbo_testkit::d(2024, 1, 1),
            end_date: None,
        },
    };
    let refused = admin
        .restructurer()
        .unwrap()
        .apply(&establish, &Decision::on(dangbo_testkit::d(2024, 1, 1)))
        .await;
    let Err(StoreError::Fields(problems)) = refused else {
        panic!("refused: {refused:?}");
    };
    assert_eq!(problems[0].0, "code");
    assert!(problems[0].1.contains("«/»"), "{problems:?}");
}
conformance!(
    codes_outside_the_safe_alphabet_name_nothing_and_cannot_be_created_on,
    codes_outside_the_safe_alphabet_name_nothing_and_cannot_be_created
);
