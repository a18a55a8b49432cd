//! `dangbo stats`: figures of a unit's subtree (the whole database without `--unit`).

use chrono::NaiveDate;
use dangbo_domain::figure::{self, catalogue};
use dangbo_domain::text::{format_date, format_int};
use dangbo_store::access::{Breakdown, Window};
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

/// What `dangbo stats` was asked.
pub struct StatsArgs {
    pub unit: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub json: bool,
    pub figure: Option<String>,
    pub list: bool,
}

pub async fn stats(db: &Db, args: StatsArgs) -> Result<()> {
    let access = cli_access(db);
    let code = args.unit.as_deref().unwrap_or("");
    let not_found = || StoreError::NotFound(format!("đơn vị có mã \"{}\"", code.trim()));
    let unit = access.unit(code).await?.ok_or_else(not_found)?;
    let as_of = args.as_of.or(args.to).unwrap_or_else(crate::today);
    let to = args.to.unwrap_or(as_of);
    let from = args.from.unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to)
    });
    if from > to {
        return Err(StoreError::Invalid("--from phải không sau --to".into()));
    }
    let window = Window { as_of, from, to };
    let name = access.unit_name_on(&unit, as_of).await?;
    let chosen = match &args.figure {
        Some(key) => vec![figure::find(key).ok_or_else(|| {
            StoreError::NotFound(format!("chỉ tiêu thống kê «{key}» (xem docs/figures.md)"))
        })?],
        None => catalogue(),
    };
    if args.list {
        let f = &chosen[0];
        let (_, records) = access
            .figure_records(code, f, &window)
            .await?
            .ok_or_else(not_found)?;
        if args.json {
            emit!(
                "{}",
                serde_json::to_string_pretty(&records).unwrap_or_default()
            );
        } else {
            emit!(
                "{} – {}: {}",
                f.label_vi,
                name,
                format_int(records.len() as i64)
            );
            for (i, r) in records.iter().enumerate() {
                emit!(
                    "{:>5}. {} [{}] {} {} {}",
                    i + 1,
                    r.name,
                    r.code,
                    r.unit_code,
                    r.date.map(format_date).unwrap_or_default(),
                    r.detail
                );
            }
        }
        return Ok(());
    }
    let (_, mut values) = access
        .figures(code, &chosen, &window)
        .await?
        .ok_or_else(not_found)?;
    if args.figure.is_none() {
        for by in [Breakdown::Ethnicity, Breakdown::Religion] {
            let rows = access
                .breakdown(code, as_of, by)
                .await?
                .ok_or_else(not_found)?;
            values.extend(rows.into_iter().map(|(key, _, count)| (key, count)));
        }
    }
    if args.json {
        let figures: serde_json::Map<String, serde_json::Value> = values
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::from(*v)))
            .collect();
        let out = serde_json::json!({
            "unit": { "code": unit.code, "name": name },
            "as_of": as_of.to_string(),
            "from": from.to_string(),
            "to": to.to_string(),
            "figures": figures,
        });
        emit!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        emit!(
            "{name} – số liệu ngày {}, biến động từ {} đến {}",
            format_date(as_of),
            format_date(from),
            format_date(to)
        );
        for (key, value) in &values {
            let label = figure::find(key)
                .map(|f| f.label_vi)
                .unwrap_or_else(|| key.clone());
            emit!("  {:<48} {:>10}   {key}", label, format_int(*value));
        }
    }
    Ok(())
}
