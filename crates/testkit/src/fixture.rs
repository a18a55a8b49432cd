//! Fixtures, written through the access layer as a whole-database administrator (the way the demo
//! and an import are): a small province with two communes, users per role, and table builders.
//!
//! The two-commune fixture: T (province) → XA, XB (commune committees) → CA, CB (branches); two
//! members in each branch, admitted on 1/3/2010 and full members since 1/3/2011.

use dangbo_domain::access::Role;
use dangbo_domain::members::Sex;
use dangbo_store::Db;
use dangbo_store::access::{Access, Actor, Dataset, NewUser, Quiet, Sessions, Table};

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// The fixture's members: code, name, sex, branch.
pub const MEMBERS: [(&str, &str, Sex, &str); 4] = [
    ("A1", "Nguyễn Văn An", Sex::Male, "CA"),
    ("A2", "Lường Thị Ánh", Sex::Female, "CA"),
    ("B1", "Hoàng Văn Bình", Sex::Male, "CB"),
    ("B2", "Đặng Thị Dung", Sex::Female, "CB"),
];

/// A table as a file would give it: a header line and rows numbered from 2.
pub fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r.iter().map(|c| c.to_string()).collect()))
            .collect(),
    }
}

/// The same, from owned cells.
pub fn table_of(headers: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect(),
    }
}

pub const UNIT_HEADERS: [&str; 5] = ["Mã", "Tên", "Loại", "Mã cấp trên", "Ngày thành lập"];
pub const MEMBER_HEADERS: [&str; 7] = [
    "Mã đảng viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Tôn giáo",
    "Trình độ lý luận chính trị",
];
pub const EVENT_HEADERS: [&str; 6] = [
    "Mã đảng viên",
    "Sự kiện",
    "Ngày",
    "Số quyết định",
    "Từ đơn vị",
    "Đến đơn vị",
];

/// The whole-database administrator tests load data as.
pub fn system(db: &Db) -> Access {
    Access::new(db.clone(), Actor::whole_database("test", "Kiểm thử"))
}

/// Imports a table as the whole-database administrator, panicking with the rows' problems.
pub async fn load(db: &Db, dataset: Dataset, table: &Table) {
    let access = system(db);
    if let Err(e) = access
        .importer()
        .expect("an administrator imports")
        .apply(dataset, table, "fixture", &mut Quiet)
        .await
    {
        panic!("fixture {}: {e:?}", dataset.code());
    }
}

/// Fills an empty database with the two-commune fixture.
pub async fn two_communes(db: &Db) {
    load(
        db,
        Dataset::Units,
        &table(
            &UNIT_HEADERS,
            &[
                &["T", "Tỉnh ủy Thử Nghiệm", "Tỉnh ủy", "", "01/01/2003"],
                &[
                    "XA",
                    "Đảng ủy xã An Thắng",
                    "Đảng bộ cơ sở",
                    "T",
                    "01/01/2003",
                ],
                &[
                    "XB",
                    "Đảng ủy xã Bộc Bố",
                    "Đảng bộ cơ sở",
                    "T",
                    "01/01/2003",
                ],
                &[
                    "CA",
                    "Chi bộ thôn Nà Làng",
                    "Chi bộ trực thuộc",
                    "XA",
                    "01/01/2003",
                ],
                &[
                    "CB",
                    "Chi bộ thôn Khuổi Khí",
                    "Chi bộ trực thuộc",
                    "XB",
                    "01/01/2003",
                ],
            ],
        ),
    )
    .await;
    let members: Vec<Vec<String>> = MEMBERS
        .iter()
        .map(|(code, name, sex, _)| {
            [
                *code,
                *name,
                sex.label_vi(),
                "01/05/1985",
                "Tày",
                "Không",
                "Sơ cấp",
            ]
            .map(str::to_string)
            .to_vec()
        })
        .collect();
    load(db, Dataset::Members, &table_of(&MEMBER_HEADERS, members)).await;
    let mut events = Vec::new();
    for (code, _, _, branch) in MEMBERS {
        events.push(
            [code, "Kết nạp", "01/03/2010", "01-QĐ/ĐU", "", branch]
                .map(str::to_string)
                .to_vec(),
        );
        events.push(
            [code, "Công nhận chính thức", "01/03/2011", "", "", ""]
                .map(str::to_string)
                .to_vec(),
        );
    }
    load(db, Dataset::Events, &table_of(&EVENT_HEADERS, events)).await;
}

/// Adds a user with the fixture's password, as the whole-database administrator.
pub async fn add_user(db: &Db, username: &str, role: Role, scope: Option<&str>) {
    let new = NewUser {
        username: username.into(),
        display_name: username.into(),
        password: PASSWORD.into(),
        role,
        scope_code: scope.map(str::to_string),
    };
    system(db)
        .user_admin()
        .expect("an administrator manages users")
        .create_user(&new)
        .await
        .unwrap_or_else(|e| panic!("user {username}: {e:?}"));
}

/// A scoped handle for a new user with this role and scope.
pub async fn access(db: &Db, username: &str, role: Role, scope: Option<&str>) -> Access {
    add_user(db, username, role, scope).await;
    Sessions::new(db)
        .access_of(username)
        .await
        .expect("read the user")
        .expect("the user exists")
}
