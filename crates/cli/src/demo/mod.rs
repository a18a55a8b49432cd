//! Deterministic demo data built from the official lists of administrative units in `data/`
//! (copied from `shared/data`): units, members with plausible Vietnamese names and histories, and,
//! at district scale, the July 2025 restructure following the official old-to-new mapping.
//!
//! The generator simulates members' lives in memory and writes them through the same import path
//! users use, so demo data obeys every rule real data does.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use dangbo_domain::tree::UnitKind;
use dangbo_store::access::{
    Access, Actor, Batch, Dataset, Decision, NewUnit, RestructurePlan, Table,
};
use dangbo_store::{Db, Result, StoreError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::progress::Bar;

const PRE_2025: &str = include_str!("../../data/units-pre2025.csv");
const MAPPING_2025: &str = include_str!("../../data/units-mapping-2025.csv");

/// How much demo data to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// Pác Nặm district (Bắc Kạn) with about 2,700 members, restructured into 3 communes of
    /// Thái Nguyên on 1 July 2025.
    District,
    /// Thái Nguyên province as before 2025: about 100,000 members.
    Province,
    /// All 63 provinces as before 2025: about 5.7 million members.
    Nation,
}

/// The day the 2025 reform took effect.
pub fn reform_date() -> NaiveDate {
    date(2025, 7, 1)
}

/// The last day demo histories reach (fixed, so the data is the same whatever day it is made).
pub fn demo_end() -> NaiveDate {
    date(2026, 10, 31)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// One row of the pre-2025 list.
#[derive(Debug, Clone)]
struct OldCommune {
    pub province_code: u32,
    pub province_name: String,
    pub district_code: u32,
    pub district_name: String,
    pub commune_code: u32,
    pub commune_name: String,
}

fn old_communes() -> Vec<OldCommune> {
    let mut reader = csv::Reader::from_reader(PRE_2025.as_bytes());
    reader
        .records()
        .filter_map(|r| r.ok())
        .filter_map(|r| {
            Some(OldCommune {
                province_code: r.get(0)?.parse().ok()?,
                province_name: r.get(1)?.to_string(),
                district_code: r.get(2)?.parse().ok()?,
                district_name: r.get(3)?.to_string(),
                commune_code: r.get(4)?.parse().ok()?,
                commune_name: r.get(5)?.to_string(),
            })
        })
        .collect()
}

/// (old commune code → (new commune code, new commune name, new province code, new province name)).
fn mapping() -> BTreeMap<u32, Vec<(u32, String, u32, String)>> {
    let mut out: BTreeMap<u32, Vec<(u32, String, u32, String)>> = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(MAPPING_2025.as_bytes());
    for r in reader.records().filter_map(|r| r.ok()) {
        let (Some(old), Some(new), Some(new_name), Some(prov), Some(prov_name)) =
            (r.get(4), r.get(11), r.get(12), r.get(9), r.get(10))
        else {
            continue;
        };
        if let (Ok(old), Ok(new), Ok(prov)) = (old.parse(), new.parse(), prov.parse()) {
            out.entry(old).or_default().push((
                new,
                new_name.to_string(),
                prov,
                prov_name.to_string(),
            ));
        }
    }
    out
}

const FAMILY: [&str; 16] = [
    "Nguyễn", "Hoàng", "Lý", "Đặng", "Triệu", "Nông", "Ma", "Lương", "Hà", "Bàn", "Lục", "Dương",
    "Trần", "Lê", "Phạm", "Vi",
];
const MIDDLE_MALE: [&str; 8] = [
    "Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Xuân", "Ngọc",
];
const MIDDLE_FEMALE: [&str; 6] = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh"];
const GIVEN_MALE: [&str; 24] = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong",
    "Quân", "Sơn", "Thắng", "Tuấn", "Tuyến", "Việt", "Vinh", "Hưng", "Lâm", "Tiến", "Thành",
    "Chiến",
];
const GIVEN_FEMALE: [&str; 22] = [
    "Anh", "Ánh", "Chi", "Dung", "Duyên", "Hà", "Hằng", "Hoa", "Hòa", "Hương", "Lan", "Liên",
    "Mai", "Nga", "Nhung", "Oanh", "Phương", "Thảo", "Thúy", "Trang", "Vân", "Yến",
];
const VILLAGES: [&str; 16] = [
    "Nà Làng",
    "Khuổi Khí",
    "Pác Nặm",
    "Nà Mằm",
    "Khuổi Bốc",
    "Lủng Vài",
    "Nà Coóc",
    "Phiêng Phường",
    "Khâu Tinh",
    "Nà Chá",
    "Lũng Muổng",
    "Cốc Phường",
    "Khuổi Luông",
    "Nặm Nhả",
    "Bản Đâng",
    "Pù Lạ",
];

/// A place members are active in: a branch's code before and after the reform.
#[derive(Debug, Clone)]
struct Slot {
    code: String,
    /// Members it should have around 2021.
    size: u32,
}

/// What the generator produced: the three import tables, and the reform plan for district scale.
pub struct DemoData {
    pub units: Table,
    pub members: Table,
    pub events_before_reform: Table,
    pub events_after_reform: Table,
    pub reform: Option<Reform>,
}

/// The official mapping applied to one district.
pub struct Reform {
    pub province_code: String,
    /// New communes: (code, name, old commune committee codes).
    pub merges: Vec<(String, String, Vec<String>)>,
    /// District-level grassroots organizations moved under a new commune: (code, new commune code).
    pub moves: Vec<(String, String)>,
    pub district_code: String,
    pub old_province_code: String,
}

fn table(headers: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect(),
    }
}

fn d(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

struct Builder {
    rng: ChaCha8Rng,
    unit_rows: Vec<Vec<String>>,
    member_rows: Vec<Vec<String>>,
    events: Vec<(NaiveDate, Vec<String>)>,
    slots: Vec<Slot>,
    next_member: u64,
    ethnicities: &'static [(&'static str, u32)],
}

impl Builder {
    fn unit(
        &mut self,
        code: &str,
        name: &str,
        kind: UnitKind,
        parent: Option<&str>,
        start: NaiveDate,
    ) {
        self.unit_rows.push(vec![
            code.to_string(),
            name.to_string(),
            kind.label_vi().to_string(),
            parent.unwrap_or("").to_string(),
            d(start),
            String::new(),
        ]);
    }

    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.random_range(0..list.len())]
    }

    fn weighted(&mut self, list: &[(&'static str, u32)]) -> &'static str {
        let total: u32 = list.iter().map(|(_, w)| w).sum();
        let mut x = self.rng.random_range(0..total);
        for (name, w) in list {
            if x < *w {
                return name;
            }
            x -= w;
        }
        list[0].0
    }

    fn day_in(&mut self, year: i32) -> NaiveDate {
        date(year, 1, 1) + chrono::Duration::days(self.rng.random_range(0..365))
    }

    fn event(
        &mut self,
        code: &str,
        kind: &str,
        on: NaiveDate,
        decision: &str,
        from: &str,
        to: &str,
    ) {
        self.events.push((
            on,
            vec![
                code.to_string(),
                kind.to_string(),
                d(on),
                decision.to_string(),
                String::new(),
                from.to_string(),
                to.to_string(),
                String::new(),
            ],
        ));
    }

    /// Makes a person and returns (code, birth date).
    fn person(&mut self, admitted_around: NaiveDate) -> (String, NaiveDate) {
        self.next_member += 1;
        let code = format!("DV{:07}", self.next_member);
        let female = self.rng.random_bool(0.36);
        let family = self.pick(&FAMILY);
        let (middle, given) = if female {
            (self.pick(&MIDDLE_FEMALE), self.pick(&GIVEN_FEMALE))
        } else {
            (self.pick(&MIDDLE_MALE), self.pick(&GIVEN_MALE))
        };
        let age_at_admission = self.rng.random_range(18..42);
        let birth = admitted_around
            .checked_sub_months(Months::new(
                age_at_admission * 12 + self.rng.random_range(0..12),
            ))
            .unwrap_or(admitted_around);
        let ethnicity = self.weighted(self.ethnicities);
        let religion = self.weighted(&[
            ("Không", 96),
            ("Phật giáo", 2),
            ("Công giáo", 1),
            ("Tin lành", 1),
        ]);
        let education = self.weighted(&[
            ("Trung học phổ thông", 62),
            ("Trung học cơ sở", 33),
            ("Tiểu học", 5),
        ]);
        let qualification = self.weighted(&[
            ("Chưa qua đào tạo", 45),
            ("Trung cấp", 20),
            ("Cao đẳng", 10),
            ("Đại học", 22),
            ("Thạc sĩ", 3),
        ]);
        let theory = self.weighted(&[
            ("Sơ cấp", 68),
            ("Trung cấp", 16),
            ("Cao cấp", 3),
            ("Chưa qua đào tạo", 13),
        ]);
        self.member_rows.push(vec![
            code.clone(),
            format!("{family} {middle} {given}"),
            if female { "Nữ" } else { "Nam" }.to_string(),
            d(birth),
            ethnicity.to_string(),
            religion.to_string(),
            String::new(),
            String::new(),
            format!(
                "{:012}",
                1_000_000_000u64 + self.next_member * 7919 % 899_999_999
            ),
            education.to_string(),
            qualification.to_string(),
            theory.to_string(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        (code, birth)
    }

    /// Simulates the members of every slot from `start` to `end`.
    fn simulate(&mut self, start: NaiveDate, end: NaiveDate, predecessor: &str) {
        struct Life {
            code: String,
            birth: NaiveDate,
            slot: usize,
            probation_ends: Option<NaiveDate>,
        }
        let mut alive: Vec<Life> = Vec::new();
        let slots = self.slots.clone();
        for (i, slot) in slots.iter().enumerate() {
            let initial = (slot.size as f64 * 0.47).round() as u32;
            for _ in 0..initial {
                let year_admitted = self.rng.random_range(1968..start.year() - 1);
                let admitted = self.day_in(year_admitted);
                let (code, birth) = self.person(admitted);
                self.event(&code, "Kết nạp", admitted, "", "", predecessor);
                self.event(
                    &code,
                    "Công nhận chính thức",
                    admitted + Months::new(12),
                    "",
                    "",
                    "",
                );
                self.event(&code, "Chuyển đến", start, "", predecessor, &slot.code);
                alive.push(Life {
                    code,
                    birth,
                    slot: i,
                    probation_ends: None,
                });
            }
        }
        let mut decision_no = 1;
        for year in start.year()..=end.year() {
            let mut next: Vec<Life> = Vec::with_capacity(alive.len());
            // Yearly admissions, about 3.6% of each branch's size.
            for (i, slot) in slots.iter().enumerate() {
                let expected = slot.size as f64 * 0.036;
                let n = expected.floor() as u32 + u32::from(self.rng.random_bool(expected.fract()));
                for _ in 0..n {
                    let admitted = self.day_in(year);
                    if admitted > end || admitted < start {
                        continue;
                    }
                    let (code, birth) = self.person(admitted);
                    decision_no += 1;
                    let decision = format!("{decision_no}-QĐ/ĐU");
                    self.event(&code, "Kết nạp", admitted, &decision, "", &slot.code);
                    alive.push(Life {
                        code,
                        birth,
                        slot: i,
                        probation_ends: Some(admitted + Months::new(12)),
                    });
                }
            }
            for mut life in std::mem::take(&mut alive) {
                let on = self.day_in(year);
                if on > end || on <= start {
                    next.push(life);
                    continue;
                }
                if let Some(full) = life.probation_ends
                    && full <= end
                    && full.year() <= year
                {
                    life.probation_ends = None;
                    if self.rng.random_bool(0.96) {
                        self.event(&life.code, "Công nhận chính thức", full, "", "", "");
                        next.push(life);
                        continue;
                    } else {
                        self.event(
                            &life.code,
                            "Xóa tên",
                            full + chrono::Duration::days(20),
                            "",
                            "",
                            "",
                        );
                        continue;
                    }
                }
                let age = on.year() - life.birth.year();
                let death_rate = if age > 75 {
                    0.05
                } else if age > 60 {
                    0.015
                } else {
                    0.001
                };
                let roll: f64 = self.rng.random();
                let slot_code = slots[life.slot].code.clone();
                if life.probation_ends.is_some() {
                    next.push(life);
                } else if roll < death_rate {
                    self.event(&life.code, "Từ trần", on, "", "", "");
                } else if roll < death_rate + 0.006 {
                    self.event(
                        &life.code,
                        "Chuyển đi",
                        on,
                        "",
                        &slot_code,
                        "Đảng bộ ngoài tỉnh",
                    );
                } else if roll < death_rate + 0.0075 {
                    self.event(&life.code, "Xóa tên", on, "", "", "");
                } else if roll < death_rate + 0.0078 {
                    self.event(&life.code, "Khai trừ", on, "", "", "");
                } else if roll < death_rate + 0.0128 && slots.len() > 1 {
                    let target = self.rng.random_range(0..slots.len());
                    if target != life.slot {
                        self.event(
                            &life.code,
                            "Chuyển đi",
                            on,
                            "",
                            &slot_code,
                            &slots[target].code,
                        );
                        life.slot = target;
                    }
                    next.push(life);
                } else {
                    next.push(life);
                }
            }
            // Arrivals from other provinces, about 0.6% a year.
            for (i, slot) in slots.iter().enumerate() {
                if self.rng.random_bool((slot.size as f64 * 0.006).min(1.0)) {
                    let on = self.day_in(year);
                    if on > end || on <= start {
                        continue;
                    }
                    let year_admitted = self.rng.random_range(1980..year.max(1981));
                    let admitted = self.day_in(year_admitted);
                    let (code, birth) = self.person(admitted);
                    self.event(
                        &code,
                        "Chuyển đến",
                        on,
                        "",
                        "Đảng bộ ngoài tỉnh",
                        &slot.code,
                    );
                    next.push(Life {
                        code,
                        birth,
                        slot: i,
                        probation_ends: None,
                    });
                }
            }
            alive = next;
        }
    }
}

const UNIT_HEADERS: [&str; 6] = [
    "Mã",
    "Tên",
    "Loại",
    "Mã cấp trên",
    "Ngày thành lập",
    "Ngày giải thể",
];
const MEMBER_HEADERS: [&str; 15] = [
    "Mã đảng viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Nơi ở hiện nay",
    "Số CCCD",
    "Giáo dục phổ thông",
    "Chuyên môn",
    "Trình độ lý luận chính trị",
    "Nghề nghiệp",
    "Số điện thoại",
    "Số thẻ đảng viên",
];
const EVENT_HEADERS: [&str; 8] = [
    "Mã đảng viên",
    "Sự kiện",
    "Ngày",
    "Số quyết định",
    "Cơ quan quyết định",
    "Từ đơn vị",
    "Đến đơn vị",
    "Ghi chú",
];

const NORTHERN_UPLAND: &[(&str, u32)] = &[
    ("Tày", 35),
    ("Dao", 25),
    ("H'Mông", 20),
    ("Nùng", 10),
    ("Kinh", 10),
];
const LOWLAND: &[(&str, u32)] = &[
    ("Kinh", 86),
    ("Tày", 5),
    ("Nùng", 3),
    ("Mường", 3),
    ("Khmer", 2),
    ("Hoa", 1),
];

fn builder(seed: u64, ethnicities: &'static [(&'static str, u32)]) -> Builder {
    Builder {
        rng: ChaCha8Rng::seed_from_u64(seed),
        unit_rows: Vec::new(),
        member_rows: Vec::new(),
        events: Vec::new(),
        slots: Vec::new(),
        next_member: 0,
        ethnicities,
    }
}

fn old_commune_code(code: u32) -> String {
    format!("X{code:05}")
}

/// Pác Nặm before 2025 and its 2025 restructure.
pub fn district() -> DemoData {
    let communes: Vec<OldCommune> = old_communes()
        .into_iter()
        .filter(|c| c.district_code == 60)
        .collect();
    let mut b = builder(2025, NORTHERN_UPLAND);
    let founded = date(2003, 1, 1);
    let province = "T06";
    let district = "H060";
    b.unit(
        province,
        "Tỉnh ủy Bắc Kạn",
        UnitKind::Province,
        None,
        date(1997, 1, 1),
    );
    b.unit(
        "T19",
        "Tỉnh ủy Thái Nguyên",
        UnitKind::Province,
        None,
        date(1997, 1, 1),
    );
    b.unit(
        district,
        "Huyện ủy Pác Nặm",
        UnitKind::District,
        Some(province),
        founded,
    );
    for c in &communes {
        let code = old_commune_code(c.commune_code);
        b.unit(
            &code,
            &format!("Đảng bộ {}", c.commune_name.replacen("Xã", "xã", 1)),
            UnitKind::GrassrootsCommittee,
            Some(district),
            founded,
        );
        for n in 0..13 {
            let branch = format!("{code}-{:02}", n + 1);
            let village = VILLAGES[(c.commune_code as usize + n * 7) % VILLAGES.len()];
            b.unit(
                &branch,
                &format!("Chi bộ thôn {village} {}", n / VILLAGES.len() + 1).replace(" 1", ""),
                UnitKind::Branch,
                Some(&code),
                founded,
            );
            let size = b.rng.random_range(11..17);
            b.slots.push(Slot { code: branch, size });
        }
    }
    let seat = communes
        .iter()
        .find(|c| c.commune_name.contains("Bộc Bố"))
        .map(|c| c.commune_code)
        .unwrap_or(1864);
    let committees: [(&str, &str, &[&str]); 4] = [
        (
            "H060-QS",
            "Đảng bộ Quân sự huyện",
            &[
                "Chi bộ Ban Chỉ huy",
                "Chi bộ Hậu cần",
                "Chi bộ Tham mưu",
                "Chi bộ Dân quân",
            ],
        ),
        (
            "H060-CA",
            "Đảng bộ Công an huyện",
            &[
                "Chi bộ An ninh",
                "Chi bộ Cảnh sát",
                "Chi bộ Tham mưu",
                "Chi bộ Hậu cần",
                "Chi bộ Công an xã",
            ],
        ),
        (
            "H060-CQ",
            "Đảng bộ cơ quan Chính quyền huyện",
            &[
                "Chi bộ Văn phòng HĐND-UBND",
                "Chi bộ Phòng Nội vụ",
                "Chi bộ Phòng Tài chính",
                "Chi bộ Phòng Nông nghiệp",
                "Chi bộ Phòng Giáo dục",
                "Chi bộ Phòng Tư pháp",
                "Chi bộ Phòng Văn hóa",
            ],
        ),
        (
            "H060-DT",
            "Đảng bộ cơ quan Đảng - Mặt trận - Đoàn thể huyện",
            &[
                "Chi bộ Văn phòng Huyện ủy",
                "Chi bộ các Ban Đảng",
                "Chi bộ Mặt trận",
                "Chi bộ Hội Nông dân",
                "Chi bộ Đoàn Thanh niên",
                "Chi bộ Hội Phụ nữ",
            ],
        ),
    ];
    let mut moves = Vec::new();
    for (code, name, branches) in committees {
        b.unit(
            code,
            name,
            UnitKind::GrassrootsCommittee,
            Some(district),
            founded,
        );
        moves.push(code.to_string());
        for (n, branch_name) in branches.iter().enumerate() {
            let branch = format!("{code}-{:02}", n + 1);
            b.unit(&branch, branch_name, UnitKind::Branch, Some(code), founded);
            let size = b.rng.random_range(16..24);
            b.slots.push(Slot { code: branch, size });
        }
    }
    let mut agencies: Vec<(String, String, u32)> = [
        "Trường THPT Pác Nặm",
        "Trung tâm Y tế huyện",
        "Trường PTDT Nội trú",
        "Kho bạc Nhà nước huyện",
        "Ngân hàng Chính sách xã hội huyện",
        "Chi cục Thuế",
        "Điện lực Pác Nặm",
        "Viện Kiểm sát nhân dân huyện",
        "Tòa án nhân dân huyện",
        "Trung tâm Chính trị huyện",
    ]
    .iter()
    .enumerate()
    .map(|(n, name)| {
        (
            format!("H060-CS{:02}", n + 1),
            format!("Chi bộ {name}"),
            seat,
        )
    })
    .collect();
    for (n, c) in communes.iter().enumerate() {
        agencies.push((
            format!("H060-CS{:02}", n + 11),
            format!(
                "Chi bộ Trường THCS {}",
                c.commune_name.trim_start_matches("Xã ")
            ),
            c.commune_code,
        ));
    }
    for (code, name, _) in &agencies {
        b.unit(
            code,
            name,
            UnitKind::GrassrootsBranch,
            Some(district),
            founded,
        );
        let size = b.rng.random_range(18..26);
        b.slots.push(Slot {
            code: code.clone(),
            size,
        });
        moves.push(code.clone());
    }
    b.simulate(founded, demo_end(), "Đảng bộ huyện Chợ Đồn");

    // The reform: old communes merge into new ones by the official mapping.
    let map = mapping();
    let mut merges: BTreeMap<u32, (String, Vec<String>)> = BTreeMap::new();
    for c in &communes {
        if let Some(targets) = map.get(&c.commune_code)
            && let Some((new_code, new_name, _, _)) = targets.first()
        {
            let entry = merges
                .entry(*new_code)
                .or_insert_with(|| (new_name.clone(), Vec::new()));
            entry.1.push(old_commune_code(c.commune_code));
        }
    }
    let new_of = |old: u32| {
        map.get(&old)
            .and_then(|t| t.first())
            .map(|t| format!("X2025-{:05}", t.0))
            .unwrap_or_default()
    };
    let agency_moves: Vec<(String, String)> = moves
        .iter()
        .map(|code| {
            let commune = agencies
                .iter()
                .find(|a| &a.0 == code)
                .map(|a| a.2)
                .unwrap_or(seat);
            (code.clone(), new_of(commune))
        })
        .collect();
    let reform = Reform {
        province_code: "T19".into(),
        merges: merges
            .into_iter()
            .map(|(code, (name, olds))| {
                (
                    format!("X2025-{code:05}"),
                    format!("Đảng ủy {}", name.replacen("Xã", "xã", 1)),
                    olds,
                )
            })
            .collect(),
        moves: agency_moves,
        district_code: district.into(),
        old_province_code: province.into(),
    };
    finish(b, Some(reform))
}

fn finish(mut b: Builder, reform: Option<Reform>) -> DemoData {
    b.events.sort_by_key(|(on, _)| *on);
    let cut = reform
        .as_ref()
        .map(|_| reform_date())
        .unwrap_or(NaiveDate::MAX);
    // After the reform, events name the successors of the units they name before it.
    let unit_codes: std::collections::HashSet<&str> =
        b.unit_rows.iter().map(|row| row[0].as_str()).collect();
    let successor = |code: &str| {
        if unit_codes.contains(code) {
            successor_code(code)
        } else {
            code.to_string()
        }
    };
    let mut before = Vec::new();
    let mut after = Vec::new();
    for (on, mut row) in b.events {
        if on < cut {
            before.push(row);
        } else {
            row[5] = successor(&row[5]);
            row[6] = successor(&row[6]);
            after.push(row);
        }
    }
    DemoData {
        units: table(&UNIT_HEADERS, b.unit_rows),
        members: table(&MEMBER_HEADERS, b.member_rows),
        events_before_reform: table(&EVENT_HEADERS, before),
        events_after_reform: table(&EVENT_HEADERS, after),
        reform,
    }
}

/// The code the reform gives a unit's successor: the store's rule for sub-units that follow their
/// parent (`OLD-YYYY`), which the demo also uses for the units it moves itself.
fn successor_code(code: &str) -> String {
    format!("{code}-{}", reform_date().year())
}

/// The provinces (pre-2025 codes) a benchmark scale covers: Thái Nguyên, or all 63.
pub fn provinces(scale: Scale) -> Vec<u32> {
    match scale {
        Scale::Nation => {
            let mut codes: Vec<u32> = old_communes().iter().map(|c| c.province_code).collect();
            codes.dedup();
            codes
        }
        Scale::Province | Scale::District => vec![19],
    }
}

/// Members per commune at province and national scale: 5.7 million over 10,051 communes.
const MEMBERS_PER_COMMUNE: u32 = 567;

/// One province's data at benchmark scale, the same every time; member codes start after
/// `first_member`. Returns the data and the last member number used.
pub fn scaled_province(code: u32, first_member: u64) -> (DemoData, u64) {
    province(
        code,
        1000 + u64::from(code),
        MEMBERS_PER_COMMUNE,
        first_member,
    )
}

/// One province as before 2025 (no reform), `members_per_commune` members in each commune.
fn province(
    province_code: u32,
    seed: u64,
    members_per_commune: u32,
    first_member: u64,
) -> (DemoData, u64) {
    let communes: Vec<OldCommune> = old_communes()
        .into_iter()
        .filter(|c| c.province_code == province_code)
        .collect();
    let mut b = builder(seed, LOWLAND);
    b.next_member = first_member;
    let founded = date(2000, 1, 1);
    let Some(first) = communes.first() else {
        return (finish(b, None), first_member);
    };
    let province = format!("T{province_code:02}");
    b.unit(
        &province,
        &format!(
            "Tỉnh ủy {}",
            first
                .province_name
                .trim_start_matches("Tỉnh ")
                .trim_start_matches("Thành phố ")
        ),
        UnitKind::Province,
        None,
        date(1997, 1, 1),
    );
    let mut districts_done = std::collections::HashSet::new();
    for c in &communes {
        let district = format!("H{:03}", c.district_code);
        if districts_done.insert(c.district_code) {
            b.unit(
                &district,
                &format!(
                    "Huyện ủy {}",
                    c.district_name
                        .split_once(' ')
                        .map(|x| x.1)
                        .unwrap_or(&c.district_name)
                ),
                UnitKind::District,
                Some(&province),
                founded,
            );
        }
        let code = old_commune_code(c.commune_code);
        b.unit(
            &code,
            &format!("Đảng bộ {}", c.commune_name),
            UnitKind::GrassrootsCommittee,
            Some(&district),
            founded,
        );
        let branches = 12;
        for n in 0..branches {
            let branch = format!("{code}-{:02}", n + 1);
            b.unit(
                &branch,
                &format!("Chi bộ thôn {}", n + 1),
                UnitKind::Branch,
                Some(&code),
                founded,
            );
            b.slots.push(Slot {
                code: branch,
                size: members_per_commune / branches,
            });
        }
    }
    b.simulate(founded, demo_end(), "Đảng bộ tỉnh (trước 2000)");
    let last = b.next_member;
    (finish(b, None), last)
}

/// Imports one table in the batch, turning row errors into one message (they would be a defect of
/// the generator).
async fn load(batch: &mut Batch<'_>, dataset: Dataset, table: &Table, bar: &mut Bar) -> Result<()> {
    let name = format!("demo-{}", dataset.code());
    match batch.import(dataset, table, &name, bar).await {
        Ok(_) => Ok(()),
        Err(StoreError::Import(errors)) => Err(StoreError::invalid(
            "demo.invalid_data",
            format!(
                "dữ liệu mẫu lỗi: {}",
                errors
                    .iter()
                    .take(5)
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )),
        Err(e) => Err(e),
    }
}

/// The demo loader: an administrator over the whole database, named `demo` in the audit log.
pub fn loader(db: &Db) -> Access {
    Access::new(db.clone(), Actor::whole_database("demo", "Dữ liệu mẫu"))
}

/// Fills an empty database with demo data.
pub async fn fill(db: &Db, scale: Scale, bar: &mut Bar) -> Result<String> {
    let access = loader(db);
    if access.has_units().await? {
        return Err(StoreError::invalid(
            "demo.not_empty",
            "cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống",
        ));
    }
    match scale {
        Scale::District => {
            let data = district();
            let mut batch = access.batch().await?;
            load(&mut batch, Dataset::Units, &data.units, bar).await?;
            load(&mut batch, Dataset::Members, &data.members, bar).await?;
            load(&mut batch, Dataset::Events, &data.events_before_reform, bar).await?;
            if let Some(reform) = &data.reform {
                apply_reform(&mut batch, reform).await?;
            }
            load(&mut batch, Dataset::Events, &data.events_after_reform, bar).await?;
            batch.commit().await?;
            Ok(format!(
                "Đã nạp huyện Pác Nặm: {} đơn vị, {} đảng viên, {} sự kiện; sắp xếp ngày 01/07/2025 thành 3 xã của tỉnh Thái Nguyên.",
                data.units.rows.len(),
                data.members.rows.len(),
                data.events_before_reform.rows.len() + data.events_after_reform.rows.len()
            ))
        }
        Scale::Province | Scale::Nation => {
            let provinces = provinces(scale);
            let mut next = 0;
            let (mut units, mut members, mut events) = (0, 0, 0);
            for (i, code) in provinces.iter().enumerate() {
                let (data, last) = scaled_province(*code, next);
                next = last;
                let mut batch = access.batch().await?;
                bar.label(&format!("Tỉnh {}/{}", i + 1, provinces.len()));
                load(&mut batch, Dataset::Units, &data.units, bar).await?;
                load(&mut batch, Dataset::Members, &data.members, bar).await?;
                load(&mut batch, Dataset::Events, &data.events_before_reform, bar).await?;
                batch.commit().await?;
                units += data.units.rows.len();
                members += data.members.rows.len();
                events += data.events_before_reform.rows.len();
            }
            Ok(format!(
                "Đã nạp {} tỉnh: {units} đơn vị, {members} đảng viên, {events} sự kiện.",
                provinces.len()
            ))
        }
    }
}

/// Applies the July 2025 reform to the demo district.
pub async fn apply_reform(batch: &mut Batch<'_>, reform: &Reform) -> Result<()> {
    let decision = Decision {
        decision_number: "QĐ-TU/2025".into(),
        issuing_body: "Ban Thường vụ Tỉnh ủy Thái Nguyên".into(),
        note: "Sắp xếp đơn vị hành chính, tổ chức đảng từ 01/07/2025".into(),
        ..Decision::on(reform_date())
    };
    for (code, name, olds) in &reform.merges {
        let new = NewUnit {
            code: code.clone(),
            name: name.clone(),
            kind: UnitKind::Commune,
            parent_code: Some(reform.province_code.clone()),
            start_date: reform_date(),
            end_date: None,
        };
        let plan = RestructurePlan::Merge {
            sources: olds.clone(),
            new,
        };
        batch.restructure(&plan, &decision).await?;
    }
    for (code, commune) in &reform.moves {
        let plan = RestructurePlan::MoveUnder {
            code: code.clone(),
            new_parent: commune.clone(),
            new_code: Some(successor_code(code)),
        };
        batch.restructure(&plan, &decision).await?;
    }
    for code in [&reform.district_code, &reform.old_province_code] {
        let plan = RestructurePlan::Dissolve {
            code: code.clone(),
            move_members_to: None,
        };
        batch.restructure(&plan, &decision).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_district_is_pac_nam_with_its_34_grassroots_organizations() {
        let data = district();
        let kinds: Vec<&str> = data.units.rows.iter().map(|(_, r)| r[2].as_str()).collect();
        let grassroots = kinds
            .iter()
            .filter(|k| **k == "Đảng bộ cơ sở" || **k == "Chi bộ cơ sở")
            .count();
        let branches = kinds.iter().filter(|k| **k == "Chi bộ trực thuộc").count();
        assert_eq!(grassroots, 34);
        assert_eq!(branches, 152);
        let reform = data.reform.expect("district scale restructures");
        let names: Vec<&str> = reform.merges.iter().map(|m| m.1.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Đảng ủy xã Bằng Thành",
                "Đảng ủy xã Cao Minh",
                "Đảng ủy xã Nghiên Loan"
            ]
        );
        let merged: usize = reform.merges.iter().map(|m| m.2.len()).sum();
        assert_eq!(merged, 10);
    }

    #[test]
    fn demo_data_is_deterministic() {
        let a = district();
        let b = district();
        assert_eq!(a.members, b.members);
        assert_eq!(a.events_before_reform, b.events_before_reform);
    }
}
