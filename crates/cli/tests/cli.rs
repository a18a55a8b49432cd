//! The `dangbo` binary end to end, on embedded SQLite (the store suite covers PostgreSQL).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dangbo(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dangbo"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(args)
        .env_remove("DANGBO_DATABASE_URL")
        .output()
        .expect("run dangbo")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = dangbo(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn figure(db: &Path, unit: &str, as_of: &str, from_to: Option<(&str, &str)>, key: &str) -> i64 {
    let mut args = vec!["stats", "--unit", unit, "--as-of", as_of, "--json"];
    if let Some((from, to)) = from_to {
        args.extend(["--from", from, "--to", to]);
    }
    let json: serde_json::Value = serde_json::from_str(&ok(db, &args)).expect("json");
    json["figures"][key]
        .as_i64()
        .unwrap_or_else(|| panic!("{key} in {json}"))
}

#[test]
fn demo_district_before_and_after_the_reform() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let banner = ok(&db, &["demo"]);
    // Numbers as Vietnamese write them, with thousands separated by dots.
    assert!(
        writes_thousands_with_dots(&banner),
        "the banner separates thousands: {banner}"
    );

    // Pác Nặm at the end of 2021: 34 grassroots organizations, 152 branches, about 2,700 members.
    let json: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &["stats", "--unit", "H060", "--as-of", "2021-12-31", "--json"],
    ))
    .unwrap();
    assert_eq!(json["unit"]["name"], "Huyện ủy Pác Nặm");
    assert_eq!(json["as_of"], "2021-12-31");
    let f = &json["figures"];
    for key in [
        "units.grassroots",
        "units.branches",
        "members.total",
        "members.full",
        "members.probationary",
        "members.female",
        "members.ethnic_minority",
        "admissions",
        "full_memberships",
        "transfers_in",
        "transfers_out",
        "removals",
        "expulsions",
        "deaths",
    ] {
        assert!(f[key].is_i64(), "{key}");
    }
    assert_eq!(f["units.grassroots"], 34);
    assert_eq!(f["units.branches"], 152);
    let total = f["members.total"].as_i64().unwrap();
    assert!((2_400..=3_000).contains(&total), "{total}");
    assert_eq!(
        total,
        f["members.full"].as_i64().unwrap() + f["members.probationary"].as_i64().unwrap()
    );
    assert!(f["admissions"].as_i64().unwrap() > 0);

    // Its 2021 work programme, judged as the press report tells it: 47/55 targets met, economy
    // 16/22, culture and society 15/16, defence and security 10/11, party building 6/6; the
    // admission target counted from the records.
    let targets: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "targets",
            "--unit",
            "H060",
            "--from",
            "2021-01-01",
            "--to",
            "2021-12-31",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(targets["unit"]["code"], "H060");
    assert_eq!(
        (targets["met"].as_i64(), targets["total"].as_i64()),
        (Some(47), Some(55))
    );
    for (domain, met, total) in [
        ("economy", 16, 22),
        ("culture_society", 15, 16),
        ("defence_security", 10, 11),
        ("party_building", 6, 6),
    ] {
        assert_eq!(targets["by_domain"][domain]["met"], met, "{domain}");
        assert_eq!(targets["by_domain"][domain]["total"], total, "{domain}");
    }
    let admission = targets["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["figure"] == "admissions")
        .expect("the admission target");
    let admitted = f["admissions"].as_i64().unwrap();
    assert_eq!(admission["actual"].as_f64(), Some(admitted as f64));
    let percent = (admitted as f64 / 80.0 * 10_000.0).round() / 100.0;
    assert_eq!(admission["percent"].as_f64(), Some(percent));
    assert_eq!(admission["result"], "achieved");
    assert_eq!(admission["domain"], "party_building");
    let listed = ok(
        &db,
        &[
            "targets",
            "--unit",
            "H060",
            "--from",
            "01/01/2021",
            "--to",
            "31/12/2021",
        ],
    );
    assert!(
        listed.starts_with("Chỉ tiêu của Huyện ủy Pác Nặm, 01/01/2021 – 31/12/2021: đạt 47/55"),
        "{listed}"
    );

    // "The standing committee issued 3 thematic resolutions and 3 action programmes; the communes
    // 17 programmes and 10 plans; the Front and mass organizations 8 programmes and 1 plan."
    for (key, expected) in [
        ("documents.issued.own.thematic_resolution", 3),
        ("documents.issued.own.action_program", 3),
        ("documents.issued.sub_units.action_program", 17),
        ("documents.issued.sub_units.plan", 10),
        ("documents.issued.mass_organizations.action_program", 8),
        ("documents.issued.mass_organizations.plan", 1),
        // The targets as figures say what the summary says; the tasks of 03-NQ/HU at the year's
        // end: 6 of 8 done, 4 of them on time, 1 still in progress, 1 overdue.
        ("targets.total", 55),
        ("targets.met", 47),
        ("targets.met.economy", 16),
        ("targets.total.party_building", 6),
        ("tasks.total", 8),
        ("tasks.done", 6),
        ("tasks.done_on_time", 4),
        ("tasks.in_progress", 1),
        ("tasks.overdue", 1),
    ] {
        let json: serde_json::Value = serde_json::from_str(&ok(
            &db,
            &[
                "stats",
                "--unit",
                "H060",
                "--as-of",
                "2021-12-31",
                "--figure",
                key,
                "--json",
            ],
        ))
        .unwrap();
        assert_eq!(json["figures"][key], expected, "{key}");
    }

    // On 1 July 2025 every member of the old district moves to one of the three new communes.
    let before = figure(&db, "H060", "2025-06-30", None, "members.total");
    let communes = ["X2025-01864", "X2025-01879", "X2025-01882"];
    let moved: i64 = communes
        .iter()
        .map(|c| {
            figure(
                &db,
                c,
                "2025-07-01",
                Some(("2025-07-01", "2025-07-01")),
                "restructure_moves_in",
            )
        })
        .sum();
    assert_eq!(moved, before);
    // On that day the district no longer exists: asking for its figures says so, never 0.
    let gone = dangbo(
        &db,
        &["stats", "--unit", "H060", "--as-of", "2025-07-01", "--json"],
    );
    assert!(!gone.status.success());
    let message = String::from_utf8_lossy(&gone.stderr);
    assert!(message.contains("[unit.not_on_date]"), "{message}");
    assert!(message.contains("01/07/2025"), "{message}");
    let now: i64 = communes
        .iter()
        .map(|c| figure(&db, c, "2026-10-31", None, "members.total"))
        .sum();
    assert!(now > 2_000, "{now}");

    // A member's timeline shows the restructure transfer with its decision.
    let listed = ok(
        &db,
        &[
            "stats",
            "--unit",
            "X2025-01864",
            "--as-of",
            "2025-07-01",
            "--from",
            "2025-07-01",
            "--to",
            "2025-07-01",
            "--figure",
            "restructure_moves_in",
            "--list",
        ],
    );
    let code = listed
        .lines()
        .nth(1)
        .and_then(|l| l.split('[').nth(1))
        .and_then(|s| s.split(']').next())
        .unwrap();
    let member = ok(&db, &["member", code]);
    assert!(member.contains("01/07/2025"), "{member}");
    assert!(member.contains("QĐ-TU/2025"), "{member}");

    // The tree of 2021 has the district; today's has the new communes and not the district.
    let old_tree = ok(&db, &["units", "--as-of", "2021-12-31"]);
    assert!(old_tree.contains("Huyện ủy Pác Nặm"));
    let new_tree = ok(&db, &["units", "--as-of", "2026-01-01"]);
    assert!(new_tree.contains("Đảng ủy xã Bằng Thành") && !new_tree.contains("Huyện ủy Pác Nặm"));

    // Search ignores tone marks; the drill-down lists as many records as the figure counts.
    let people = ok(
        &db,
        &[
            "members",
            "--unit",
            "H060",
            "--as-of",
            "2021-12-31",
            "--search",
            "hoang thi",
        ],
    );
    assert!(
        people.lines().skip(1).all(|l| l.contains("Hoàng Thị")),
        "{people}"
    );
    let female = figure(&db, "H060", "2021-12-31", None, "members.female");
    let list = ok(
        &db,
        &[
            "stats",
            "--unit",
            "H060",
            "--as-of",
            "2021-12-31",
            "--figure",
            "members.female",
            "--list",
        ],
    );
    assert_eq!(list.lines().count() as i64 - 1, female);

    // Figures per sub-unit add up to the unit's; last year's come with --compare-prior; a ratio
    // is an object with its two counts.
    let table: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "stats",
            "--unit",
            "H060",
            "--as-of",
            "2021-12-31",
            "--by-child",
            "--compare-prior",
            "--json",
            "--figure",
            "members.total",
        ],
    ))
    .unwrap();
    let children = table["children"].as_array().unwrap();
    assert_eq!(
        children.len(),
        34,
        "the grassroots organizations under the district"
    );
    let sum: i64 = children
        .iter()
        .map(|c| c["figures"]["members.total"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, total);
    assert!(children.iter().all(|c| c["unit"]["name"].is_string()));
    assert_eq!(table["prior"]["as_of"], "2020-12-31");
    assert_eq!(
        table["prior"]["figures"]["members.total"],
        figure(&db, "H060", "2020-12-31", None, "members.total")
    );
    let share: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "stats",
            "--unit",
            "H060",
            "--as-of",
            "2021-12-31",
            "--json",
            "--figure",
            "members.female.share",
        ],
    ))
    .unwrap();
    let share = &share["figures"]["members.female.share"];
    assert_eq!(share["numerator"], f["members.female"]);
    assert_eq!(share["denominator"], total);
    assert!(share["percent"].as_f64().unwrap() > 0.0);

    admission_due_on_the_demo_s_last_day(&db, dir.path());

    // The 2025 review lists every member of the commune's branches on 31 December, each rated,
    // or with the reason they are not (QĐ 366: not those admitted in the last 6 months).
    let review: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "ratings",
            "--unit",
            "X2025-01864",
            "--year",
            "2025",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(review["scheme"], "366-QĐ/TW");
    let listed: usize = review["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["members"].as_array().unwrap().len())
        .sum();
    let total = figure(&db, "X2025-01864", "2025-12-31", None, "members.total");
    assert_eq!(listed as i64, total);
    let recent = review["branches"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["members"].as_array().unwrap().iter())
        .filter(|m| m["not_rated"] == "recently_admitted")
        .count();
    assert!(
        recent > 0,
        "members admitted in the second half of 2025 are not rated"
    );

    // A second demo into the same database is refused.
    let again = dangbo(&db, &["demo"]);
    assert!(!again.status.success());

    // Export and import say their counts as Vietnamese write them ("3.899 dòng").
    let (units, members) = (dir.path().join("u.csv"), dir.path().join("m.csv"));
    ok(&db, &["export", "units", units.to_str().unwrap()]);
    let exported = ok(&db, &["export", "members", members.to_str().unwrap()]);
    assert!(writes_thousands_with_dots(&exported), "{exported}");
    let fresh = dir.path().join("fresh.db");
    ok(&fresh, &["import", "units", units.to_str().unwrap()]);
    let imported = ok(&fresh, &["import", "members", members.to_str().unwrap()]);
    assert!(writes_thousands_with_dots(&imported), "{imported}");
}

#[test]
fn an_import_with_a_bad_row_writes_nothing_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let units = dir.path().join("units.csv");
    std::fs::write(&units, "Mã,Tên,Loại,Mã cấp trên,Ngày thành lập\nH,Huyện ủy,Huyện ủy,,01/01/2003\nCB,Chi bộ thôn 1,Chi bộ cơ sở,H,01/01/2003\n").unwrap();
    ok(&db, &["import", "units", units.to_str().unwrap()]);
    let members = dir.path().join("members.csv");
    std::fs::write(
        &members,
        "Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Mã chi bộ\n\
         A1,Nguyễn Văn An,Nam,01/01/1980,01/01/2010,CB\n\
         A2,Lê Thị Bình,Không rõ,01/01/1985,01/01/2011,CB\n\
         A3,Trần Văn Cường,Nam,01/01/1990,01/01/2012,CB\n",
    )
    .unwrap();
    let out = dangbo(&db, &["import", "members", members.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Dòng 3, cột «Giới tính», giá trị «Không rõ»"),
        "{stderr}"
    );
    let exported = dir.path().join("out.csv");
    ok(&db, &["export", "members", exported.to_str().unwrap()]);
    let text = std::fs::read_to_string(&exported).unwrap();
    assert_eq!(
        text.lines().count(),
        1,
        "only the header: nothing was written"
    );
}

/// Writes a members file big enough that its import takes a while.
fn big_members_file(path: &Path, rows: usize) {
    let mut text = String::from(
        "Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Dân tộc,Ngày vào Đảng,Ngày chính thức,Mã chi bộ\n",
    );
    for i in 0..rows {
        text.push_str(&format!(
            "K{i:07},Nguyễn Văn {i},Nam,01/01/1980,Kinh,01/03/2010,01/03/2011,CB\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn killing_an_import_half_way_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "Mã,Tên,Loại,Mã cấp trên,Ngày thành lập\nCB,Chi bộ,Chi bộ cơ sở,,01/01/2003\n",
    )
    .unwrap();
    ok(&db, &["import", "units", units.to_str().unwrap()]);
    let members = dir.path().join("members.csv");
    big_members_file(&members, 60_000);

    let mut child = Command::new(env!("CARGO_BIN_EXE_dangbo"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(["import", "members", members.to_str().unwrap()])
        .env("DANGBO_PROGRESS", "lines")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it has started writing records, then kill it.
    let stderr = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        seen.push(line.clone());
        if line.contains("Ghi hồ sơ") && !line.ends_with(" 0") && !line.contains("0/") {
            break;
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the import was killed before it finished: {seen:?}"
    );

    let exported = dir.path().join("out.csv");
    ok(&db, &["export", "members", exported.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&exported).unwrap().lines().count(),
        1,
        "no member survived the kill"
    );
    let events = dir.path().join("events.csv");
    ok(&db, &["export", "events", events.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&events).unwrap().lines().count(), 1);

    // And the same file then imports whole.
    ok(&db, &["import", "members", members.to_str().unwrap()]);
    ok(&db, &["export", "members", exported.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&exported).unwrap().lines().count(),
        60_001
    );
}

#[test]
fn serve_never_starts_open_and_users_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("users.db");
    let refused = dangbo(&db, &["serve", "--addr", "127.0.0.1:0"]);
    assert!(
        !refused.status.success(),
        "no user: the server must not start"
    );
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("dangbo user add"), "{message}");

    let with_password = |args: &[&str], password: &str| {
        Command::new(env!("CARGO_BIN_EXE_dangbo"))
            .arg("--db")
            .arg(format!("sqlite://{}", db.display()))
            .args(args)
            .env_remove("DANGBO_DATABASE_URL")
            .env("DANGBO_PASSWORD", password)
            .output()
            .expect("run dangbo")
    };
    let short = with_password(&["user", "add", "lan", "--role", "administrator"], "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("ít nhất 10 ký tự"));
    let added = with_password(
        &[
            "user",
            "add",
            "lan",
            "--role",
            "administrator",
            "--name",
            "Lò Thị Lan",
        ],
        "mat-khau-du-dai",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let bad_role = with_password(
        &["user", "add", "minh", "--role", "king"],
        "mat-khau-du-dai",
    );
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("branch_secretary"));
    ok(&db, &["user", "disable", "lan"]);
    let list = ok(&db, &["user", "list"]);
    assert!(
        list.contains("lan\tadministrator\t*\tđã khóa\tLò Thị Lan"),
        "{list}"
    );
    let reset = with_password(&["user", "reset-password", "lan"], "mat-khau-moi-hon");
    assert!(reset.status.success());
    let token = ok(&db, &["token", "add", "script", "--role", "viewer"]);
    assert!(token.contains("dbt_"), "{token}");
    let verified = ok(&db, &["audit", "verify"]);
    assert!(
        verified.contains("4 dòng"),
        "user.create, user.disable, user.password, token.create: {verified}"
    );
}

#[test]
fn backup_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "Mã,Tên,Loại,Mã cấp trên,Ngày thành lập\nH,Huyện ủy,Huyện ủy,,01/01/2003\n",
    )
    .unwrap();
    ok(&db, &["import", "units", units.to_str().unwrap()]);
    let file = dir.path().join("sao-luu.db");
    let said = ok(&db, &["backup", file.to_str().unwrap()]);
    assert!(said.contains("Đã sao lưu"), "{said}");
    // Never over an existing file.
    assert!(
        !dangbo(&db, &["backup", file.to_str().unwrap()])
            .status
            .success()
    );
    let restored = dir.path().join("restored.db");
    let said = ok(&restored, &["restore", file.to_str().unwrap()]);
    assert!(said.contains("Nhật ký toàn vẹn"), "{said}");
    let tree = ok(&restored, &["units"]);
    assert!(tree.contains("Huyện ủy"), "{tree}");
    // Not into a database that holds data.
    let out = dangbo(&db, &["restore", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("đã có dữ liệu"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Behind a proxy (`--client-ip-header`), a request whose header is missing still signs in by the
/// connection's address, and the server says so in its log rather than passing over it.
#[test]
fn a_missing_client_address_header_is_logged() {
    use std::io::{Read, Write};
    use std::sync::mpsc::channel;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("proxy.db");
    let added = Command::new(env!("CARGO_BIN_EXE_dangbo"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(["user", "add", "lan", "--role", "administrator"])
        .env_remove("DANGBO_DATABASE_URL")
        .env("DANGBO_PASSWORD", "mat-khau-du-dai")
        .output()
        .unwrap();
    assert!(added.status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_dangbo"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--client-ip-header",
            "x-real-ip",
        ])
        .env_remove("DANGBO_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, said) = channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
    }
    // A bound on how long a missing line is waited for, not a pause.
    let next = || said.recv_timeout(std::time::Duration::from_secs(60));
    let addr = loop {
        let line = next().expect("the server printed its address");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    let body = "username=lan&password=sai-mat-khau";
    write!(
        stream,
        "POST /sign-in HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1"), "{response}");
    let logged = loop {
        let line = next().expect("the warning was logged");
        if line.contains("no client address in the x-real-ip header") {
            break line;
        }
    };
    assert!(
        logged.contains("the connection's address is used"),
        "{logged}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Whether a text has a number of 1.000 or more written with a dot between thousands, and no
/// plain run of four digits outside dates and codes.
fn writes_thousands_with_dots(text: &str) -> bool {
    let words: Vec<&str> = text.split([' ', ',', ';', ':']).collect();
    let dotted = words.iter().any(|w| {
        let parts: Vec<&str> = w.split('.').collect();
        parts.len() > 1
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            && parts[1..].iter().all(|p| p.len() == 3)
    });
    let plain = words
        .iter()
        .any(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_digit()) && !w.starts_with("20"));
    dotted && !plain
}

#[test]
fn a_command_without_a_database_says_it_made_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_dangbo"))
            .args(["stats", "--json"])
            .current_dir(dir.path())
            .env_remove("DANGBO_DATABASE_URL")
            .output()
            .expect("run dangbo")
    };
    let first = run();
    assert!(first.status.success());
    let warning = String::from_utf8_lossy(&first.stderr).to_string();
    assert!(warning.contains("vừa tạo một tệp mới, rỗng"), "{warning}");
    assert!(dir.path().join("dangbo.db").exists());
    // The file is there now: nothing to say.
    let second = run();
    assert!(String::from_utf8_lossy(&second.stderr).trim().is_empty());
}

/// The demo's due list on its last day, against a count by hand: the open files the demo builds
/// to be late or due soon, and the probationers counted here from the exported events.
fn admission_due_on_the_demo_s_last_day(db: &Path, dir: &Path) {
    use chrono::{Months, NaiveDate};
    use std::collections::{BTreeMap, BTreeSet};
    let day = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let horizon = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let due: serde_json::Value = serde_json::from_str(&ok(
        db,
        &[
            "candidates",
            "--unit",
            "T19",
            "--due",
            "--as-of",
            "31/10/2026",
            "--json",
        ],
    ))
    .unwrap();
    let lines = due.as_array().expect("a list");
    assert!(!lines.is_empty());
    let seen: BTreeSet<(String, String, String, bool)> = lines
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap().to_string(),
                l["rule"].as_str().unwrap().to_string(),
                l["due_on"].as_str().unwrap().to_string(),
                l["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    // The files: counted by hand in working days (2 September and 1 September 2026 off).
    let files: BTreeSet<(String, String, String, bool)> = [
        ("HS-2026-05", "admission.file_age", "2026-10-20", true),
        ("HS-2026-06", "admission.file_age", "2026-11-20", false),
        (
            "HS-2026-08",
            "admission.decision_deadline",
            "2026-10-14",
            true,
        ),
        (
            "HS-2026-09",
            "admission.decision_deadline",
            "2026-11-16",
            false,
        ),
        (
            "HS-2026-10",
            "admission.ceremony_deadline",
            "2026-11-26",
            false,
        ),
        (
            "HS-2026-11",
            "admission.ceremony_deadline",
            "2026-10-14",
            true,
        ),
    ]
    .into_iter()
    .map(|(c, r, d, o)| (c.into(), r.into(), d.into(), o))
    .collect();
    let seen_files: BTreeSet<_> = seen
        .iter()
        .filter(|l| l.0.starts_with("HS-"))
        .cloned()
        .collect();
    assert_eq!(seen_files, files);
    // The probationers: admitted (the ceremony, else the decision, starting probation), not yet
    // recognized nor gone on the day; due when probation ends within 30 days, or once it ended.
    let events = dir.join("due-events.csv");
    ok(db, &["export", "events", events.to_str().unwrap()]);
    let text = std::fs::read_to_string(&events).unwrap();
    let read = |s: &str| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok();
    let mut probation: BTreeMap<String, Option<NaiveDate>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.trim_matches('"').split("\",\"").collect();
        let (code, kind, Some(on)) = (cells[0], cells[1], read(cells[2])) else {
            continue;
        };
        if on > day {
            continue;
        }
        match kind {
            "Kết nạp" | "Kết nạp lại" => {
                probation.insert(code.into(), Some(read(cells[8]).unwrap_or(on)));
            }
            "Công nhận chính thức" | "Xóa tên" | "Khai trừ" | "Xin ra khỏi Đảng" | "Từ trần" =>
            {
                probation.insert(code.into(), None);
            }
            _ => {}
        }
    }
    let expected_members: BTreeSet<(String, String)> = probation
        .into_iter()
        .filter_map(|(code, from)| {
            let ends = from? + Months::new(12);
            if ends <= day {
                Some((code, "membership.full_vote".to_string()))
            } else if ends <= horizon {
                Some((code, "membership.probation_end".to_string()))
            } else {
                None
            }
        })
        .collect();
    let seen_members: BTreeSet<(String, String)> = seen
        .iter()
        .filter(|l| !l.0.starts_with("HS-"))
        .map(|l| (l.0.clone(), l.1.clone()))
        .collect();
    assert!(!expected_members.is_empty());
    assert_eq!(seen_members, expected_members);
}

/// Records the posts and a study session of a commune through the store (the command line has no
/// writer for them), as the pages and the API would.
fn record_cadres_and_study(db: &Path) {
    use dangbo_store::access::{
        Access, Actor, CountsInput, HoldingInput, MarkInput, PersonInput, SessionInput,
    };
    let day = |y: i32, m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let url = format!("sqlite://{}", db.display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = dangbo_store::Db::open(&url).await.unwrap();
        let access = Access::new(store.clone(), Actor::whole_database("test", "Kiểm thử"));
        let cadres = access.cadre_writer().unwrap();
        cadres
            .add_person(&PersonInput {
                code: "N1".into(),
                full_name: "Lò Văn Tiến".into(),
                unit: "C2".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let holding = |unit: &str, post: &str, holder: &str, from, decision: &str| HoldingInput {
            unit: unit.into(),
            post: post.into(),
            holder: holder.into(),
            from,
            start_move: "election".into(),
            start_decision: decision.into(),
            ..Default::default()
        };
        for input in [
            holding("C1", "branch_secretary", "A1", day(2020, 10, 1), "12-NQ/CB"),
            holding("C1", "village_head", "A1", day(2021, 1, 1), ""),
            holding("C2", "branch_secretary", "A2", day(2020, 10, 1), ""),
            holding("C2", "village_head", "N1", day(2019, 1, 1), ""),
            holding("X1", "secretary", "A3", day(2020, 9, 15), "1-NQ/ĐH"),
            holding("X1", "council_chair", "A3", day(2021, 5, 1), ""),
        ] {
            cadres.record(&input).await.unwrap();
        }
        let study = access.study_writer().unwrap();
        study
            .record(&SessionInput {
                code: "HT-01".into(),
                unit: "X1".into(),
                kind: "resolution_study".into(),
                title: "Quán triệt Nghị quyết Đại hội XIII".into(),
                from: day(2021, 4, 10),
                units: vec!["C1".into(), "C2".into()],
                ..Default::default()
            })
            .await
            .unwrap();
        let present = |member: &str| MarkInput {
            member: member.into(),
            attendance: "present".into(),
            reason: String::new(),
        };
        study
            .mark("HT-01", &[present("A1"), present("A3")], 1)
            .await
            .unwrap();
        study
            .record_counts(
                "HT-01",
                &CountsInput {
                    unit: "C2".into(),
                    attended: Some(12),
                    expected: Some(14),
                    non_members: 3,
                },
            )
            .await
            .unwrap();
        store.close().await;
    });
}

#[test]
fn cadres_and_study_list_the_posts_sessions_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let units = dir.path().join("units.csv");
    std::fs::write(
        &units,
        "Mã,Tên,Loại,Mã cấp trên,Ngày thành lập\n\
         T,Tỉnh ủy Thử Nghiệm,Tỉnh ủy,,01/01/2003\n\
         X1,Đảng ủy xã An Thắng,Đảng bộ cơ sở,T,01/01/2003\n\
         C1,Chi bộ thôn Nà Làng,Chi bộ trực thuộc,X1,01/01/2003\n\
         C2,Chi bộ thôn Khuổi Khí,Chi bộ trực thuộc,X1,01/01/2003\n",
    )
    .unwrap();
    ok(&db, &["import", "units", units.to_str().unwrap()]);
    let members = dir.path().join("members.csv");
    std::fs::write(
        &members,
        "Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Trình độ lý luận chính trị,Ngày vào Đảng,Mã chi bộ\n\
         A1,Nguyễn Văn An,Nam,01/01/1980,Sơ cấp,01/01/2010,C1\n\
         A2,Lường Thị Ánh,Nữ,01/01/1985,Chưa qua đào tạo,01/01/2011,C2\n\
         A3,Hoàng Văn Bình,Nam,01/01/1975,Trung cấp,01/01/2005,C1\n",
    )
    .unwrap();
    ok(&db, &["import", "members", members.to_str().unwrap()]);
    record_cadres_and_study(&db);

    // The posts held in the middle of 2021, with the concurrency and the standard's shares.
    let cadres: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &["cadres", "--unit", "X1", "--on", "30/06/2021", "--json"],
    ))
    .unwrap();
    assert_eq!(cadres["unit"], "X1");
    assert_eq!(cadres["on"], "2021-06-30");
    assert_eq!(cadres["posts"].as_array().unwrap().len(), 6, "{cadres}");
    let f = &cadres["figures"];
    let ratio = |key: &str| {
        (
            f[key]["numerator"].as_i64().unwrap_or(-1),
            f[key]["denominator"].as_i64().unwrap_or(-1),
        )
    };
    // C1's secretary is its village head; C2's is not.
    assert_eq!(
        ratio("positions.concurrent.branch_secretary_village_head"),
        (1, 2),
        "{f}"
    );
    assert_eq!(
        ratio("positions.concurrent.secretary_council_chair"),
        (1, 1),
        "{f}"
    );
    // A2 has no theory training: below the branches' standard.
    assert_eq!(ratio("positions.theory_standard.branch"), (1, 2), "{f}");
    assert_eq!(
        ratio("positions.theory_standard.party_committee"),
        (1, 1),
        "{f}"
    );
    // Before the council's election and the village head's, the secretaries held nothing else.
    let before: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &["cadres", "--unit", "X1", "--on", "2020-12-31", "--json"],
    ))
    .unwrap();
    assert_eq!(before["posts"].as_array().unwrap().len(), 4, "{before}");
    assert_eq!(
        before["figures"]["positions.concurrent.branch_secretary_village_head"]["numerator"],
        0
    );
    let text = ok(&db, &["cadres", "--unit", "X1", "--on", "30/06/2021"]);
    assert!(
        text.contains("Bí thư chi bộ")
            && text.contains("A1 Nguyễn Văn An, từ 01/10/2020 (Bầu cử, 12-NQ/CB)"),
        "{text}"
    );
    assert!(text.contains("N1 Lò Văn Tiến"), "{text}");
    // By unit, the secretary first.
    let listed: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Chức vụ đang giữ (6)"))
        .skip(1)
        .collect();
    assert!(
        listed[0].contains("X1 Đảng ủy xã An Thắng — Bí thư cấp ủy: A3"),
        "{text}"
    );

    // The sessions of 2021 with their attendances: a sheet in C1, counts in C2.
    let study: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "study",
            "--unit",
            "X1",
            "--from",
            "2021-01-01",
            "--to",
            "2021-12-31",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(study["figures"]["study.sessions"], 1, "{study}");
    assert_eq!(study["figures"]["study.attendances"], 17, "{study}");
    assert_eq!(study["figures"]["study.members"], 2, "{study}");
    assert_eq!(study["sessions"][0]["code"], "HT-01");
    assert_eq!(study["sessions"][0]["attendances"], 17);
    let text = ok(
        &db,
        &[
            "study",
            "--unit",
            "X1",
            "--from",
            "01/01/2021",
            "--to",
            "31/12/2021",
        ],
    );
    assert!(text.contains("HT-01 10/04/2021"), "{text}");
    assert!(text.contains("17 lượt"), "{text}");
    assert!(
        text.contains("C1 Chi bộ thôn Nà Làng: 2 có mặt, 0 vắng"),
        "{text}"
    );
    assert!(
        text.contains("C2 Chi bộ thôn Khuổi Khí: 12 lượt / 14 triệu tập, 3 lượt người ngoài Đảng"),
        "{text}"
    );
    // Another year has none; a reversed period is refused.
    let other: serde_json::Value = serde_json::from_str(&ok(
        &db,
        &[
            "study",
            "--unit",
            "X1",
            "--from",
            "2022-01-01",
            "--to",
            "2022-12-31",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(other["sessions"].as_array().unwrap().len(), 0);
    let reversed = dangbo(
        &db,
        &[
            "study",
            "--unit",
            "X1",
            "--from",
            "2022-01-01",
            "--to",
            "2021-12-31",
        ],
    );
    assert!(!reversed.status.success());
}
