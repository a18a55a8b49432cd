//! `dangbo bench`: import rate and figure time at province or national scale. A benchmark to read,
//! not a test: it asserts nothing about speed.

use std::time::Instant;

use chrono::NaiveDate;
use dangbo_store::access::{
    Access, Dataset, LIMITS, Quiet, Table, Window, catalogue, read_table, write_table,
};
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

use crate::demo::{self, Scale};

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(|a, b| a.total_cmp(b));
    times[times.len() / 2]
}

async fn time_figures(access: &Access, unit_code: &str) -> Result<(f64, i64)> {
    let window = Window {
        as_of: NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or(NaiveDate::MIN),
        from: NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or(NaiveDate::MIN),
        to: NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or(NaiveDate::MIN),
    };
    let all = catalogue();
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let (_, values) = access
            .figures(unit_code, &all, &window, false)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị {unit_code}")))?;
        times.push(started.elapsed().as_secs_f64());
        total = values
            .iter()
            .find(|v| v.key == "members.total")
            .and_then(|v| v.value.as_count())
            .unwrap_or(0);
    }
    Ok((median(times), total))
}

/// Generates the scale's data as CSV files, imports them into `url` (which must be empty) timing
/// each file, then times the whole figure catalogue for the whole database, a province and a commune.
pub async fn run(url: &str, scale: Scale) -> Result<()> {
    let db = Db::open(url).await?;
    let dir = std::env::temp_dir().join(format!("dangbo-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::File(e.to_string()))?;
    let access = cli_access(&db);
    let provinces = demo::provinces(scale);
    let mut rows = [0usize; 3];
    let mut seconds = [0f64; 3];
    let mut next = 0;
    for code in &provinces {
        let (data, last) = demo::scaled_province(*code, next);
        next = last;
        for (i, (dataset, table)) in [
            (Dataset::Units, &data.units),
            (Dataset::Members, &data.members),
            (Dataset::Events, &data.events_before_reform),
        ]
        .into_iter()
        .enumerate()
        {
            // Files as people would send them: within the import limits, so a big province
            // comes in several.
            for (part, rows_of_part) in table.rows.chunks(LIMITS.rows).enumerate() {
                let path = dir.join(format!("{code}-{i}-{part}.csv"));
                let chunk = Table {
                    headers: table.headers.clone(),
                    rows: rows_of_part.to_vec(),
                };
                write_table(&chunk, &path)?;
                let started = Instant::now();
                let read = read_table(&path)?;
                access
                    .importer()?
                    .apply(dataset, &read, &path.display().to_string(), &mut Quiet)
                    .await?;
                seconds[i] += started.elapsed().as_secs_f64();
                rows[i] += read.rows.len();
                std::fs::remove_file(&path).ok();
            }
        }
        eprintln!("bench: tỉnh {code} xong ({} đảng viên)", rows[1]);
    }
    std::fs::remove_dir_all(&dir).ok();
    emit!("engine: {:?}, scale: {:?}", db.engine(), scale);
    for (i, name) in ["units", "members", "events"].iter().enumerate() {
        emit!(
            "import {name:<8} {:>10} rows {:>9.1} s {:>10.0} rows/s",
            rows[i],
            seconds[i],
            rows[i] as f64 / seconds[i].max(1e-9)
        );
    }
    let province = format!("T{:02}", provinces[0]);
    let commune = access
        .subtree(
            &province,
            NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or(NaiveDate::MIN),
        )
        .await?
        .unwrap_or_default()
        .into_iter()
        .find(|e| e.unit.kind == dangbo_domain::tree::UnitKind::GrassrootsCommittee)
        .map(|e| e.unit.code)
        .ok_or_else(|| StoreError::NotFound("xã để đo".into()))?;
    for (label, unit) in [
        ("whole database", ""),
        ("one province", province.as_str()),
        ("one commune", commune.as_str()),
    ] {
        let (time, total) = time_figures(&access, unit).await?;
        emit!(
            "stats {label:<15} {:>8.3} s (median of 3, {} figures, members.total = {total})",
            time,
            catalogue().len()
        );
    }
    Ok(())
}
