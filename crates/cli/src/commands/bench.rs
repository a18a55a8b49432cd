//! `dangbo bench`: import rate and figure time at province or national scale. A benchmark to read,
//! not a test: it asserts nothing about speed.

use std::time::Instant;

use chrono::NaiveDate;
use dangbo_store::access::{
    Access, Breakdown, Dataset, LIMITS, MemberQuery, Quiet, Table, TableRows, Window, catalogue,
    read_table, write_table,
};
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

use crate::demo::{self, Scale};

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(|a, b| a.total_cmp(b));
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The year 2021, counted on its last day (the seeds' usual report).
fn year_2021() -> Window {
    Window {
        as_of: date(2021, 12, 31),
        from: date(2021, 1, 1),
        to: date(2021, 12, 31),
    }
}

/// A period that starts and ends inside months, counted on a mid-month day.
fn mid_month() -> Window {
    Window {
        as_of: date(2021, 6, 15),
        from: date(2020, 11, 16),
        to: date(2021, 6, 15),
    }
}

/// Runs `work` once (cold: the first time since the data was written or the process started) and
/// then five times more: (cold seconds, median of the five warm, the last result).
async fn cold_and_warm<T, F, Fut>(mut work: F) -> Result<(f64, f64, T)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let started = Instant::now();
    let mut last = work().await?;
    let cold = started.elapsed().as_secs_f64();
    let mut warm = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        last = work().await?;
        warm.push(started.elapsed().as_secs_f64());
    }
    Ok((cold, median(warm), last))
}

fn members_total(values: &[dangbo_store::access::FigureValue]) -> i64 {
    values
        .iter()
        .find(|v| v.key == "members.total")
        .and_then(|v| v.value.as_count())
        .unwrap_or(0)
}

/// The whole catalogue for a unit: cold and warm times, and the members' total.
async fn time_figures(
    access: &Access,
    unit_code: &str,
    window: &Window,
) -> Result<(f64, f64, i64)> {
    let all = catalogue();
    cold_and_warm(|| async {
        let (_, values) = access
            .figures(unit_code, &all, window, false)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị {unit_code}")))?;
        Ok(members_total(&values))
    })
    .await
}

/// The peak resident memory of this process so far (Linux), in MB.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Generates the scale's data as CSV files, imports them into `url` (which must be empty) timing
/// each file, then times the whole figure catalogue for the whole database, a province and a commune.
pub async fn run(url: &str, scale: Scale, measure_only: bool) -> Result<()> {
    let started = Instant::now();
    let db = Db::open(url).await?;
    emit!("engine: {:?}, scale: {:?}", db.engine(), scale);
    let access = cli_access(&db);
    let provinces = demo::provinces(scale);
    if !measure_only {
        import(&db, &access, &provinces).await?;
    }
    measure(&access, &provinces).await?;
    emit!(
        "peak memory {:.0} MB, {:.0} s in all",
        peak_memory_mb().unwrap_or(0.0),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes each province as files within the import limits and imports them, timing each kind.
async fn import(db: &Db, access: &Access, provinces: &[u32]) -> Result<()> {
    if access.has_units().await? {
        return Err(StoreError::invalid(
            "bench.not_empty",
            format!(
                "cơ sở dữ liệu ({:?}) đã có dữ liệu: bench nhập vào cơ sở dữ liệu trống (hoặc dùng --measure-only)",
                db.engine()
            ),
        ));
    }
    let dir = std::env::temp_dir().join(format!("dangbo-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::File(e.to_string()))?;
    let mut rows = [0usize; 3];
    let mut seconds = [0f64; 3];
    let mut next = 0;
    for code in provinces {
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
        eprintln!(
            "bench: tỉnh {code} xong ({} đảng viên, {:.0} s)",
            rows[1],
            seconds.iter().sum::<f64>()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
    for (i, name) in ["units", "members", "events"].iter().enumerate() {
        emit!(
            "import {name:<8} {:>10} rows {:>9.1} s {:>10.0} rows/s",
            rows[i],
            seconds[i],
            rows[i] as f64 / seconds[i].max(1e-9)
        );
    }
    emit!("import total {:.1} min", seconds.iter().sum::<f64>() / 60.0);
    Ok(())
}

/// Times the figures of the whole database, a province and a commune (a month end and a mid-month
/// day), the table of provinces, and the member search; checks that the summary tables agree with
/// the rows.
async fn measure(access: &Access, provinces: &[u32]) -> Result<()> {
    let province = format!("T{:02}", provinces.first().copied().unwrap_or(1));
    let commune = access
        .subtree(&province, date(2021, 12, 31))
        .await?
        .unwrap_or_default()
        .into_iter()
        .find(|e| e.unit.kind == dangbo_domain::tree::UnitKind::GrassrootsCommittee)
        .map(|e| e.unit.code)
        .ok_or_else(|| StoreError::NotFound("xã để đo".into()))?;
    let figures = catalogue().len();
    emit!("figures: the whole catalogue ({figures} figures); cold = first run, warm = median of 5");
    for (label, unit) in [
        ("whole database", ""),
        ("one province", province.as_str()),
        ("one commune", commune.as_str()),
    ] {
        for (when, window) in [("31/12/2021", year_2021()), ("15/06/2021", mid_month())] {
            let (cold, warm, total) = time_figures(access, unit, &window).await?;
            emit!(
                "stats {label:<15} {when} cold {:>8.1} ms warm {:>8.1} ms (members.total = {total})",
                cold * 1e3,
                warm * 1e3
            );
        }
    }
    let all = catalogue();
    let window = year_2021();
    let (cold, warm, table) = cold_and_warm(|| async {
        access
            .figure_table("", TableRows::Children, &all, &window, false)
            .await
    })
    .await?;
    emit!(
        "table of the top-level units, 31/12/2021: cold {:.1} ms warm {:.1} ms",
        cold * 1e3,
        warm * 1e3
    );
    let table = table.ok_or_else(|| StoreError::NotFound("bảng".into()))?;
    for (unit, values) in table.rows.iter().take(63) {
        emit!("  {:<6} {:>9} members", unit.code, members_total(values));
    }
    for (label, unit) in [
        ("whole database", ""),
        ("one province", province.as_str()),
        ("one commune", commune.as_str()),
    ] {
        let (cold, warm, groups) = cold_and_warm(|| async {
            Ok(access
                .breakdown(unit, date(2021, 12, 31), Breakdown::Ethnicity)
                .await?
                .unwrap_or_default()
                .len())
        })
        .await?;
        emit!(
            "ethnicities {label:<15} 31/12/2021 cold {:>8.1} ms warm {:>8.1} ms ({groups} groups)",
            cold * 1e3,
            warm * 1e3
        );
    }
    // The summary tables must say what the rows say.
    for (label, unit) in [("whole database", ""), ("one province", province.as_str())] {
        for window in [year_2021(), mid_month()] {
            let started = Instant::now();
            let from_rows = access
                .figures_from_rows(unit, &all, &window)
                .await?
                .map(|(_, v)| v);
            let seconds = started.elapsed().as_secs_f64();
            let summarized = access
                .figures(unit, &all, &window, false)
                .await?
                .map(|(_, v)| v);
            let same = from_rows == summarized;
            emit!(
                "check {label:<15} on {}: summary {} rows ({seconds:.1} s from the rows alone)",
                window.as_of,
                if same { "=" } else { "≠" }
            );
            if !same {
                return Err(StoreError::invalid(
                    "bench.summary_differs",
                    format!("{label}: summary tables differ from the rows"),
                ));
            }
        }
        let as_of = date(2021, 12, 31);
        let started = Instant::now();
        let from_rows = access
            .breakdown_from_rows(unit, as_of, Breakdown::Ethnicity)
            .await?;
        let seconds = started.elapsed().as_secs_f64();
        let same = access.breakdown(unit, as_of, Breakdown::Ethnicity).await? == from_rows;
        emit!(
            "check {label:<15} ethnicities on {as_of}: summary {} rows ({seconds:.1} s from the rows alone)",
            if same { "=" } else { "≠" }
        );
        if !same {
            return Err(StoreError::invalid(
                "bench.summary_differs",
                format!("{label}: ethnicities from the summary differ from the rows"),
            ));
        }
    }
    search(access).await
}

/// Times the member search over the whole database for a common and a rare name.
async fn search(access: &Access) -> Result<()> {
    for name in ["tran thi lan", "nguyen van hung", "la thi sau"] {
        let query = MemberQuery {
            search: Some(name.into()),
            date: Some(date(2021, 12, 31)),
            limit: 50,
            ..MemberQuery::default()
        };
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..20 {
            let started = Instant::now();
            found = access.members(&query, date(2021, 12, 31)).await?.rows.len();
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        emit!(
            "search «{name}»: {found} on the first page; p50 {:.1} ms, max of 20 {:.1} ms",
            median(times.clone()),
            times.last().copied().unwrap_or(0.0)
        );
    }
    Ok(())
}
