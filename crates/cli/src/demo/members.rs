//! The demo's members: plausible Vietnamese names, and lives simulated in memory (admission,
//! probation, transfers, exemptions, removals, deaths) written as import tables.

use chrono::{Datelike, Months, NaiveDate};
use dangbo_domain::tree::UnitKind;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::tree::successor_code;
use super::{DemoData, Reform, d, date, reform_date, table};

pub(super) const FAMILY: [&str; 16] = [
    "Nguyễn", "Hoàng", "Lý", "Đặng", "Triệu", "Nông", "Ma", "Lương", "Hà", "Bàn", "Lục", "Dương",
    "Trần", "Lê", "Phạm", "Vi",
];
pub(super) const MIDDLE_MALE: [&str; 8] = [
    "Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Xuân", "Ngọc",
];
pub(super) const MIDDLE_FEMALE: [&str; 6] = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh"];
pub(super) const GIVEN_MALE: [&str; 24] = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong",
    "Quân", "Sơn", "Thắng", "Tuấn", "Tuyến", "Việt", "Vinh", "Hưng", "Lâm", "Tiến", "Thành",
    "Chiến",
];
pub(super) const GIVEN_FEMALE: [&str; 22] = [
    "Anh", "Ánh", "Chi", "Dung", "Duyên", "Hà", "Hằng", "Hoa", "Hòa", "Hương", "Lan", "Liên",
    "Mai", "Nga", "Nhung", "Oanh", "Phương", "Thảo", "Thúy", "Trang", "Vân", "Yến",
];

/// A place members are active in: a branch's code before and after the reform.
#[derive(Debug, Clone)]
pub(super) struct Slot {
    pub(super) code: String,
    /// Members it should have around 2021.
    pub(super) size: u32,
}

pub(super) struct Builder {
    pub(super) rng: ChaCha8Rng,
    pub(super) unit_rows: Vec<Vec<String>>,
    pub(super) member_rows: Vec<Vec<String>>,
    pub(super) events: Vec<(NaiveDate, Vec<String>)>,
    pub(super) slots: Vec<Slot>,
    pub(super) next_member: u64,
    pub(super) ethnicities: &'static [(&'static str, u32)],
}

impl Builder {
    pub(super) fn unit(
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
            String::new(),
        ]);
    }

    /// Marks the last unit added as lying in a hardship area (its whole subtree).
    pub(super) fn hardship_area(&mut self) {
        if let Some(cell) = self.unit_rows.last_mut().and_then(|row| row.last_mut()) {
            *cell = "có".to_string();
        }
    }

    pub(super) fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.random_range(0..list.len())]
    }

    pub(super) fn weighted(&mut self, list: &[(&'static str, u32)]) -> &'static str {
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

    pub(super) fn day_in(&mut self, year: i32) -> NaiveDate {
        date(year, 1, 1) + chrono::Duration::days(self.rng.random_range(0..365))
    }

    pub(super) fn event(
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
    pub(super) fn person(&mut self, admitted_around: NaiveDate) -> (String, NaiveDate) {
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
    pub(super) fn simulate(&mut self, start: NaiveDate, end: NaiveDate, predecessor: &str) {
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

pub(super) const UNIT_HEADERS: [&str; 7] = [
    "Mã",
    "Tên",
    "Loại",
    "Mã cấp trên",
    "Ngày thành lập",
    "Ngày giải thể",
    "Vùng khó khăn",
];
pub(super) const MEMBER_HEADERS: [&str; 15] = [
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
pub(super) const EVENT_HEADERS: [&str; 8] = [
    "Mã đảng viên",
    "Sự kiện",
    "Ngày",
    "Số quyết định",
    "Cơ quan quyết định",
    "Từ đơn vị",
    "Đến đơn vị",
    "Ghi chú",
];

pub(super) const NORTHERN_UPLAND: &[(&str, u32)] = &[
    ("Tày", 35),
    ("Dao", 25),
    ("H'Mông", 20),
    ("Nùng", 10),
    ("Kinh", 10),
];
pub(super) const LOWLAND: &[(&str, u32)] = &[
    ("Kinh", 86),
    ("Tày", 5),
    ("Nùng", 3),
    ("Mường", 3),
    ("Khmer", 2),
    ("Hoa", 1),
];

pub(super) fn builder(seed: u64, ethnicities: &'static [(&'static str, u32)]) -> Builder {
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

pub(super) fn finish(mut b: Builder, reform: Option<Reform>) -> DemoData {
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
