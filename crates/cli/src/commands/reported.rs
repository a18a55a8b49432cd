//! `dangbo reported`: figures people report (numbers Dangbo does not record), defined once and
//! entered per unit and period with their source.

use chrono::NaiveDate;
use clap::Subcommand;
use dangbo_domain::figures::format_decimal;
use dangbo_domain::text::format_date;
use dangbo_store::access::{FigureKind, ReportedInput};
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

#[derive(Subcommand)]
pub enum ReportedCommand {
    /// List the reported figures, or with --unit the values entered in its subtree.
    List {
        /// The unit whose subtree's values to list.
        #[arg(long)]
        unit: Option<String>,
        /// Periods overlapping --from…--to (1 January of this year to today by default).
        #[arg(long, value_parser = crate::date_arg)]
        from: Option<NaiveDate>,
        /// The end of the periods looked at (see --from).
        #[arg(long, value_parser = crate::date_arg)]
        to: Option<NaiveDate>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Define a reported figure (or rename one): KEY is `reported.` then a-z, 0-9 and `_`.
    Define {
        /// The figure's key, such as `reported.households_poor`.
        key: String,
        /// Its Vietnamese name.
        #[arg(long)]
        label: String,
        /// What the number counts ("hộ", "%").
        #[arg(long, default_value = "")]
        unit_label: String,
    },
    /// Enter a figure's value for a unit and period, with the document it comes from.
    Set {
        /// The reported figure's key.
        key: String,
        /// The unit the value is for (its code).
        #[arg(long)]
        unit: String,
        /// First day of the period the value covers.
        #[arg(long, value_parser = crate::date_arg)]
        from: NaiveDate,
        /// Last day of the period the value covers.
        #[arg(long, value_parser = crate::date_arg)]
        to: NaiveDate,
        /// The number.
        #[arg(long)]
        value: f64,
        /// The document the number comes from ("Báo cáo số 12-BC/UBND").
        #[arg(long)]
        source: String,
        /// A remark kept with the value.
        #[arg(long, default_value = "")]
        note: String,
    },
}

pub async fn reported(db: &Db, command: ReportedCommand) -> Result<()> {
    let access = cli_access(db);
    match command {
        ReportedCommand::List {
            unit: None, json, ..
        } => {
            let figures: Vec<_> = access
                .catalogue()
                .await?
                .into_iter()
                .filter_map(|d| match d.kind {
                    FigureKind::Reported { unit_label } => Some((d.key, d.label_vi, unit_label)),
                    _ => None,
                })
                .collect();
            if json {
                let list: Vec<serde_json::Value> = figures
                    .iter()
                    .map(|(k, l, u)| serde_json::json!({ "key": k, "label": l, "unit_label": u }))
                    .collect();
                emit!(
                    "{}",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                );
            } else {
                for (key, label, unit_label) in figures {
                    emit!("{key}\t{label}\t{unit_label}");
                }
            }
        }
        ReportedCommand::List {
            unit: Some(unit),
            from,
            to,
            json,
        } => {
            let to = to.unwrap_or_else(crate::today);
            let from = from.unwrap_or_else(|| {
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
            let values = access
                .reported_values(&unit, from, to)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim())))?;
            if json {
                emit!(
                    "{}",
                    serde_json::to_string_pretty(&values).unwrap_or_default()
                );
            } else {
                for v in values {
                    emit!(
                        "{}\t{}\t{}–{}\t{}\t{}",
                        v.key,
                        v.unit_code,
                        format_date(v.from),
                        format_date(v.to),
                        format_decimal(v.value),
                        v.source
                    );
                }
            }
        }
        ReportedCommand::Define {
            key,
            label,
            unit_label,
        } => {
            let definition = access.reporter()?.define(&key, &label, &unit_label).await?;
            emit!("Đã định nghĩa chỉ tiêu báo cáo «{}».", definition.key);
        }
        ReportedCommand::Set {
            key,
            unit,
            from,
            to,
            value,
            source,
            note,
        } => {
            access
                .reporter()?
                .record(&ReportedInput {
                    key: key.clone(),
                    unit: unit.clone(),
                    from: Some(from),
                    to: Some(to),
                    value: Some(value),
                    source,
                    note,
                })
                .await?;
            emit!(
                "Đã ghi {key} của {unit} từ {} đến {}: {}.",
                format_date(from),
                format_date(to),
                format_decimal(value)
            );
        }
    }
    Ok(())
}
