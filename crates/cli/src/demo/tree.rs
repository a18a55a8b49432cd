//! The demo's organization tree: units from the official lists of administrative units before and
//! after the 2025 reform (`data/`, copied from `shared/data`), Pác Nặm district with its villages,
//! whole provinces for the benchmarks, and the reform plan following the official mapping.

use std::collections::BTreeMap;

use chrono::Datelike;
use dangbo_domain::tree::UnitKind;
use rand::Rng;

use super::members::{LOWLAND, NORTHERN_UPLAND, Slot, builder, finish};
use super::{DemoData, Reform, Scale, date, demo_end, reform_date};

pub(super) const PRE_2025: &str = include_str!("../../data/units-pre2025.csv");
pub(super) const MAPPING_2025: &str = include_str!("../../data/units-mapping-2025.csv");

/// One row of the pre-2025 list.
#[derive(Debug, Clone)]
pub(super) struct OldCommune {
    pub province_code: u32,
    pub province_name: String,
    pub district_code: u32,
    pub district_name: String,
    pub commune_code: u32,
    pub commune_name: String,
}

pub(super) fn old_communes() -> Vec<OldCommune> {
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
pub(super) fn mapping() -> BTreeMap<u32, Vec<(u32, String, u32, String)>> {
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

pub(super) const VILLAGES: [&str; 16] = [
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

pub(super) fn old_commune_code(code: u32) -> String {
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
    // A poor mountain district: its candidates need primary education (DOMAIN.md §1).
    b.hardship_area();
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

/// The code the reform gives a unit's successor: the store's rule for sub-units that follow their
/// parent (`OLD-YYYY`), which the demo also uses for the units it moves itself.
pub(super) fn successor_code(code: &str) -> String {
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
pub(super) const MEMBERS_PER_COMMUNE: u32 = 567;

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
pub(super) fn province(
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
