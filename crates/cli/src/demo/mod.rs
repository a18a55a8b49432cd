//! Deterministic demo data built from the official lists of administrative units in `data/`
//! (copied from `shared/data`): units ([`tree`]), members with plausible Vietnamese names and
//! histories ([`members`]), and, at district scale, the July 2025 restructure following the
//! official old-to-new mapping.
//!
//! The generator simulates members' lives in memory and writes them through the same import path
//! users use, so demo data obeys every rule real data does.

mod admission;
mod cadres;
mod inspection;
mod members;
mod programmes;
mod ratings;
mod tree;

use chrono::NaiveDate;
use dangbo_domain::text::format_int;
use dangbo_domain::tree::UnitKind;
use dangbo_store::access::{
    Access, Actor, Batch, Dataset, Decision, NewUnit, RestructurePlan, Table,
};
use dangbo_store::{Db, Result, StoreError};

use crate::progress::Bar;

use tree::successor_code;
pub use tree::{district, provinces, scaled_province};

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
            let documents = programmes::fill(&access).await?;
            let completed = admission::fill_completed(&access, &data.events_before_reform).await?;
            let open = admission::fill_open(&access).await?;
            admission::fill_classes(&access).await?;
            let (member_ratings, unit_ratings) = ratings::files(&access).await?;
            let mut batch = access.batch().await?;
            load(&mut batch, Dataset::MemberRatings, &member_ratings, bar).await?;
            load(&mut batch, Dataset::UnitRatings, &unit_ratings, bar).await?;
            batch.commit().await?;
            let ratings = member_ratings.rows.len();
            let inspection = match &data.reform {
                Some(reform) => inspection::fill(&access, reform).await?,
                None => inspection::Filled::default(),
            };
            let cadres = match &data.reform {
                Some(reform) => cadres::fill(&access, reform).await?,
                None => cadres::Filled::default(),
            };
            Ok(format!(
                "Đã nạp huyện Pác Nặm: {} đơn vị, {} đảng viên, {} sự kiện, {} văn bản với chỉ tiêu năm 2021, {} hồ sơ kết nạp năm 2021, {} hồ sơ người vào Đảng đang xét và {} lượt xếp loại đảng viên từ năm {} đến năm {}, {} vụ việc kiểm tra, giám sát với {} đảng viên bị kỷ luật, {} lượt giữ chức vụ, {} buổi học tập, quán triệt; sắp xếp ngày 01/07/2025 thành 3 xã của tỉnh Thái Nguyên.",
                format_int(data.units.rows.len() as i64),
                format_int(data.members.rows.len() as i64),
                format_int(
                    (data.events_before_reform.rows.len() + data.events_after_reform.rows.len())
                        as i64
                ),
                format_int(documents as i64),
                format_int(completed as i64),
                format_int(open as i64),
                format_int(ratings as i64),
                ratings::FIRST_YEAR,
                ratings::LAST_YEAR,
                format_int(inspection.cases as i64),
                format_int(inspection.disciplined as i64),
                format_int(cadres.holdings as i64),
                format_int(cadres.sessions as i64)
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
                "Đã nạp {} tỉnh: {} đơn vị, {} đảng viên, {} sự kiện.",
                provinces.len(),
                format_int(units as i64),
                format_int(members as i64),
                format_int(events as i64)
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
