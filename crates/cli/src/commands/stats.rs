//! `dangbo stats`: figures of a unit's subtree (the whole database without `--unit`), optionally
//! for each sub-unit and with last year's values.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::text::{format_date, format_int};
use dangbo_store::access::{Breakdown, FigureValue, TableRows, Window};
use dangbo_store::{Db, Result, StoreError};
use serde_json::{Map, Value as Json, json};

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
    pub by_child: bool,
    pub compare_prior: bool,
}

/// The window asked for: as of `--as-of` (else `--to`, else today), over `--from`–`--to`.
fn window(args: &StatsArgs) -> Result<Window> {
    let as_of = args.as_of.or(args.to).unwrap_or_else(crate::today);
    let to = args.to.unwrap_or(as_of);
    let from = args.from.unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to)
    });
    if from > to {
        return Err(StoreError::invalid(
            "period.reversed",
            format!(
                "--from {} sau --to {}: đầu kỳ phải không sau cuối kỳ",
                format_date(from),
                format_date(to)
            ),
        ));
    }
    Ok(Window { as_of, from, to })
}

fn figures_json(values: &[FigureValue], prior: bool) -> Json {
    let pick = |v: &FigureValue| {
        if prior {
            v.prior.as_ref().map(|p| p.to_json()).unwrap_or(Json::Null)
        } else {
            v.value.to_json()
        }
    };
    Json::Object(values.iter().map(|v| (v.key.clone(), pick(v))).collect())
}

fn window_json(window: &Window) -> Map<String, Json> {
    let mut out = Map::new();
    out.insert("as_of".into(), json!(window.as_of.to_string()));
    out.insert("from".into(), json!(window.from.to_string()));
    out.insert("to".into(), json!(window.to.to_string()));
    out
}

pub async fn stats(db: &Db, args: StatsArgs) -> Result<()> {
    let access = cli_access(db);
    let code = args.unit.clone().unwrap_or_default();
    let not_found = || StoreError::NotFound(format!("đơn vị có mã \"{}\"", code.trim()));
    let unit = access.unit(&code).await?.ok_or_else(not_found)?;
    let window = window(&args)?;
    if unit.id != 0 && !unit.exists_on(window.as_of) {
        return Err(StoreError::invalid(
            "unit.not_on_date",
            format!(
                "đơn vị {} không tồn tại vào ngày {} (từ {}{}); chọn --as-of trong thời gian đó",
                unit.code,
                format_date(window.as_of),
                format_date(unit.start_date),
                unit.end_date
                    .map(|e| format!(" đến trước {}", format_date(e)))
                    .unwrap_or_default()
            ),
        ));
    }
    let name = access.unit_name_on(&unit, window.as_of).await?;
    let chosen = access.figures_named(args.figure.as_slice()).await?;
    if args.list {
        return list(&access, &code, &chosen[0], &window, &name, args.json).await;
    }
    let table = if args.by_child {
        access
            .figure_table(
                &code,
                TableRows::Children,
                &chosen,
                &window,
                args.compare_prior,
            )
            .await?
            .ok_or_else(not_found)?
            .rows
    } else {
        Vec::new()
    };
    let (_, mut values) = access
        .figures(&code, &chosen, &window, args.compare_prior)
        .await?
        .ok_or_else(not_found)?;
    // Groups named as recorded ("Tày"), not as their keys fold them.
    let mut labels = HashMap::new();
    if args.figure.is_none() {
        for by in [Breakdown::Ethnicity, Breakdown::Religion] {
            let rows = access
                .breakdown(&code, window.as_of, by)
                .await?
                .ok_or_else(not_found)?;
            values.extend(rows.into_iter().map(|(key, name, count)| {
                labels.insert(key.clone(), by.label(&name));
                FigureValue {
                    key,
                    value: dangbo_store::access::Value::Count(count),
                    prior: None,
                    target: None,
                }
            }));
        }
    }
    if args.json {
        let mut out = Map::new();
        out.insert("unit".into(), json!({ "code": unit.code, "name": name }));
        out.extend(window_json(&window));
        out.insert("figures".into(), figures_json(&values, false));
        if args.compare_prior
            && let Some(earlier) = window.year_before()
        {
            let mut prior = window_json(&earlier);
            prior.insert("figures".into(), figures_json(&values, true));
            out.insert("prior".into(), Json::Object(prior));
        }
        if args.by_child {
            let children: Vec<Json> = table
                .iter()
                .map(|(child, values)| {
                    let mut entry = Map::new();
                    entry.insert(
                        "unit".into(),
                        json!({ "code": child.code, "name": child.name }),
                    );
                    entry.insert("figures".into(), figures_json(values, false));
                    if args.compare_prior {
                        entry.insert("prior".into(), figures_json(values, true));
                    }
                    Json::Object(entry)
                })
                .collect();
            out.insert("children".into(), Json::Array(children));
        }
        emit!(
            "{}",
            serde_json::to_string_pretty(&Json::Object(out)).unwrap_or_default()
        );
        return Ok(());
    }
    emit!(
        "{name} – số liệu ngày {}, biến động từ {} đến {}",
        format_date(window.as_of),
        format_date(window.from),
        format_date(window.to)
    );
    print_values(&values, &labels, args.compare_prior);
    for (child, values) in &table {
        emit!("");
        emit!("{} [{}]", child.name, child.code);
        print_values(values, &labels, args.compare_prior);
    }
    Ok(())
}

/// One line per figure: label, value (and last year's), key.
fn print_values(values: &[FigureValue], labels: &HashMap<String, String>, with_prior: bool) {
    for v in values {
        let label = labels
            .get(&v.key)
            .cloned()
            .or_else(|| dangbo_store::access::find_figure(&v.key).map(|f| f.label_vi))
            .unwrap_or_else(|| v.key.clone());
        let prior = match (&v.prior, with_prior) {
            (Some(p), true) => format!("  (năm trước {})", p.display()),
            _ => String::new(),
        };
        emit!(
            "  {:<48} {:>10}{prior}   {}",
            label,
            v.value.display(),
            v.key
        );
    }
}

async fn list(
    access: &dangbo_store::access::Access,
    code: &str,
    figure: &dangbo_store::access::Definition,
    window: &Window,
    name: &str,
    as_json: bool,
) -> Result<()> {
    let (_, records) = access
        .figure_records(code, figure, window)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", code.trim())))?;
    if as_json {
        emit!(
            "{}",
            serde_json::to_string_pretty(&records).unwrap_or_default()
        );
        return Ok(());
    }
    emit!(
        "{} – {}: {}",
        figure.label_vi,
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
    Ok(())
}
