//! A small province with two communes, for access and web tests: T (province) → XA, XB (communes)
//! → CA, CB (branches); two members in each branch, admitted in 2010 and full members since 2011.

use chrono::NaiveDate;
use dangbo_domain::access::Role;
use dangbo_domain::members::events::EventKind;
use dangbo_domain::members::{MemberRecord, Sex, TheoryLevel};
use dangbo_domain::tree::UnitKind;
use dangbo_store::access::{Access, Actor};
use dangbo_store::auth::{self, NewUser};
use dangbo_store::events::{self, NewEvent};
use dangbo_store::units::{self, NewUnit};
use dangbo_store::{Db, members};

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The fixture's members: code, name, sex, branch.
pub const MEMBERS: [(&str, &str, Sex, &str); 4] = [
    ("A1", "Nguyễn Văn An", Sex::Male, "CA"),
    ("A2", "Lường Thị Ánh", Sex::Female, "CA"),
    ("B1", "Hoàng Văn Bình", Sex::Male, "CB"),
    ("B2", "Đặng Thị Dung", Sex::Female, "CB"),
];

pub fn record(code: &str, name: &str, sex: Sex) -> MemberRecord {
    MemberRecord {
        code: code.into(),
        full_name: name.into(),
        sex,
        birth_date: day(1985, 5, 1),
        ethnicity: "Tày".into(),
        religion: "Không".into(),
        home_town: "Bắc Kạn".into(),
        residence: "Bắc Kạn".into(),
        national_id: String::new(),
        general_education: None,
        qualification: None,
        theory_level: Some(TheoryLevel::Elementary),
        occupation: "Nông dân".into(),
        phone: String::new(),
        card_number: String::new(),
    }
}

/// Fills an empty database with the fixture.
pub async fn two_communes(db: &Db) {
    let mut tx = db.begin_write().await.expect("begin");
    let start = day(2003, 1, 1);
    for (code, name, kind, parent) in [
        ("T", "Tỉnh ủy Thử Nghiệm", UnitKind::Province, None),
        (
            "XA",
            "Đảng ủy xã An Thắng",
            UnitKind::GrassrootsCommittee,
            Some("T"),
        ),
        (
            "XB",
            "Đảng ủy xã Bộc Bố",
            UnitKind::GrassrootsCommittee,
            Some("T"),
        ),
        ("CA", "Chi bộ thôn Nà Làng", UnitKind::Branch, Some("XA")),
        ("CB", "Chi bộ thôn Khuổi Khí", UnitKind::Branch, Some("XB")),
    ] {
        let unit = NewUnit {
            code: code.into(),
            name: name.into(),
            kind,
            parent_code: parent.map(str::to_string),
            start_date: start,
            end_date: None,
        };
        units::create(&mut tx, &unit).await.expect("unit");
    }
    for (code, name, sex, branch) in MEMBERS {
        let (id, _) = members::upsert(&mut tx, &record(code, name, sex))
            .await
            .expect("member");
        let branch = units::require(&mut tx, branch).await.expect("branch");
        let list = vec![
            NewEvent {
                to_unit_id: Some(branch.id),
                decision_number: "01-QĐ/ĐU".into(),
                ..NewEvent::new(EventKind::Admission, day(2010, 3, 1))
            },
            NewEvent::new(EventKind::FullMembership, day(2011, 3, 1)),
        ];
        events::record_for(&mut tx, id, list).await.expect("events");
    }
    tx.commit().await.expect("commit");
}

/// Adds a user with the fixture's password.
pub async fn add_user(db: &Db, username: &str, role: Role, scope: Option<&str>) {
    let mut tx = db.begin_write().await.expect("begin");
    let new = NewUser {
        username: username.into(),
        display_name: username.into(),
        password: PASSWORD.into(),
        role,
        scope_code: scope.map(str::to_string),
    };
    auth::create_user(&mut tx, "test", &new)
        .await
        .expect("user");
    tx.commit().await.expect("commit");
}

/// A scoped handle for a new user with this role and scope.
pub async fn access(db: &Db, username: &str, role: Role, scope: Option<&str>) -> Access {
    add_user(db, username, role, scope).await;
    let mut tx = db.begin().await.expect("begin");
    let user = auth::user_by_name(&mut tx, username)
        .await
        .expect("read")
        .expect("user");
    let actor = Actor::of_user(&mut tx, &user).await.expect("actor");
    tx.rollback().await.expect("rollback");
    Access::new(db.clone(), actor)
}
