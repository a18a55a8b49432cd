//! `dangbo`: the records-and-reporting system for party-building work.

/// Prints a line to standard output; a closed pipe (`dangbo … | head`) ends the program quietly.
macro_rules! emit {
    ($($arg:tt)*) => {
        $crate::write_line(&format!($($arg)*))
    };
}

mod admin;
mod bench;
mod demo;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use dangbo_domain::figure::{self, catalogue};
use dangbo_domain::text::{format_date, format_int, parse_date};
use dangbo_store::access::Access;
use dangbo_store::figures::{self, Breakdown, Window};
use dangbo_store::io::{self, Dataset};
use dangbo_store::units;
use dangbo_store::{DEFAULT_DATABASE_URL, Db, StoreError, members};

#[derive(Parser)]
#[command(
    name = "dangbo",
    version,
    about = "Dangbo: hồ sơ và số liệu công tác xây dựng Đảng"
)]
struct Cli {
    /// Database URL: sqlite://FILE (default) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "DANGBO_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or update the database structure.
    Migrate,
    /// Fill an empty database with deterministic demo data.
    Demo {
        #[arg(long, value_enum, default_value = "district")]
        scale: demo::Scale,
    },
    /// Import units, members or events from a CSV or XLSX file (all or nothing).
    Import { dataset: DatasetArg, file: PathBuf },
    /// Export units, members or events to a CSV or XLSX file.
    Export { dataset: DatasetArg, file: PathBuf },
    /// Show the unit tree as of a date.
    Units {
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// Only this unit's subtree.
        #[arg(long)]
        unit: Option<String>,
    },
    /// List the members active in a unit's subtree, in Vietnamese order.
    Members {
        #[arg(long)]
        unit: String,
        /// Part of a name; tone marks and case are ignored.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
    },
    /// Show one member: record, events, party seniority and next badge.
    Member { code: String },
    /// Figures of a unit's subtree (the whole database without --unit).
    Stats {
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_parser = date_arg)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = date_arg)]
        to: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
        /// One figure's key (see docs/figures.md).
        #[arg(long)]
        figure: Option<String>,
        /// With --figure: list the records behind it.
        #[arg(long, requires = "figure")]
        list: bool,
    },
    /// Run the web app.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Fill an empty database with the demo district and demo accounts, and show them.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure: set this when the app is reached over HTTPS (behind a proxy).
        #[arg(long, env = "DANGBO_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: admin::UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: admin::TokenCommand,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: admin::AuditCommand,
    },
    /// Measure import rate and figure time at province or national scale (a benchmark, not a test).
    Bench {
        #[arg(long, value_enum, default_value = "province")]
        scale: demo::Scale,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DatasetArg {
    Units,
    Members,
    Events,
}

impl From<DatasetArg> for Dataset {
    fn from(value: DatasetArg) -> Dataset {
        match value {
            DatasetArg::Units => Dataset::Units,
            DatasetArg::Members => Dataset::Members,
            DatasetArg::Events => Dataset::Events,
        }
    }
}

fn date_arg(text: &str) -> Result<NaiveDate, String> {
    parse_date(text)
        .ok_or_else(|| format!("«{text}» không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)"))
}

fn write_line(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").is_err() {
        std::process::exit(0);
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(StoreError::Import(errors)) => {
            eprintln!("Không nhập gì: tệp có {} lỗi.", errors.len());
            for e in &errors {
                eprintln!("  {e}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("Lỗi: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The whole database as one pseudo-unit (its subtree bounds cover every path).
async fn run(cli: Cli) -> Result<(), StoreError> {
    let db = Db::open(&cli.db).await?;
    match cli.command {
        Command::Serve {
            addr,
            demo,
            secure_cookies,
        } => admin::serve(db, addr, demo, secure_cookies).await?,
        Command::User { command } => admin::user(&db, command).await?,
        Command::Token { command } => admin::token(&db, command).await?,
        Command::Audit { command } => admin::audit(&db, command).await?,
        Command::Migrate => {
            let versions = db.applied_migrations().await?;
            emit!(
                "Cơ sở dữ liệu đã cập nhật (phiên bản {:?}).",
                versions.last().unwrap_or(&0)
            );
        }
        Command::Demo { scale } => {
            let mut bar = progress::Bar::new();
            let message = demo::fill(&db, scale, &mut bar).await?;
            bar.finish();
            emit!("{message}");
        }
        Command::Import { dataset, file } => {
            let table = io::read_table(&file)?;
            let mut bar = progress::Bar::new();
            // Through the audited importer, as the administrator running the command.
            let access = Access::new(db.clone(), admin::cli_administrator());
            let file_name = file.display().to_string();
            let summary = access
                .importer()?
                .apply(dataset.into(), &table, &file_name, &mut bar)
                .await;
            bar.finish();
            let s = summary?;
            emit!(
                "Đã nhập {} dòng: {} mới, {} cập nhật, {} không đổi, {} sự kiện ghi mới.",
                s.rows,
                s.created,
                s.updated,
                s.unchanged,
                s.events_written
            );
        }
        Command::Export { dataset, file } => {
            let mut tx = db.begin().await?;
            let table = io::export_table(&mut tx, dataset.into()).await?;
            tx.rollback().await?;
            io::write_table(&table, &file)?;
            emit!("Đã xuất {} dòng vào {}.", table.rows.len(), file.display());
        }
        Command::Units { as_of, unit } => {
            let date = as_of.unwrap_or_else(today);
            let mut tx = db.begin().await?;
            let root = match unit {
                Some(code) => Some(units::require(&mut tx, &code).await?),
                None => None,
            };
            let tree = units::tree_on(&mut tx, root.as_ref(), date).await?;
            emit!("Cây tổ chức ngày {}:", format_date(date));
            for entry in tree {
                emit!(
                    "{}{} [{}] {}",
                    "  ".repeat(entry.depth),
                    entry.unit.name,
                    entry.unit.code,
                    entry.unit.kind.label_vi()
                );
            }
        }
        Command::Members {
            unit,
            search,
            as_of,
        } => {
            let date = as_of.unwrap_or_else(today);
            let mut tx = db.begin().await?;
            let unit = units::require(&mut tx, &unit).await?;
            let list = members::active_in(&mut tx, &unit, date, search.as_deref()).await?;
            emit!(
                "{} đảng viên của {} ngày {}:",
                format_int(list.len() as i64),
                unit.name,
                format_date(date)
            );
            for (i, m) in list.iter().enumerate() {
                let status = if m.status == "full" {
                    "chính thức"
                } else {
                    "dự bị"
                };
                emit!(
                    "{:>5}. {} [{}] {} – {} – {}",
                    i + 1,
                    m.full_name,
                    m.code,
                    format_date(m.birth_date),
                    m.unit_code,
                    status
                );
            }
        }
        Command::Member { code } => show_member(&db, &code).await?,
        Command::Stats {
            unit,
            as_of,
            from,
            to,
            json,
            figure,
            list,
        } => {
            let mut tx = db.begin().await?;
            let unit = match unit {
                Some(code) => units::require(&mut tx, &code).await?,
                None => dangbo_store::units::everything(),
            };
            let as_of = as_of.or(to).unwrap_or_else(today);
            let to = to.unwrap_or(as_of);
            let from = from.unwrap_or_else(|| {
                NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to)
            });
            if from > to {
                return Err(StoreError::Invalid("--from phải không sau --to".into()));
            }
            let window = Window { as_of, from, to };
            let name = if unit.id == 0 {
                unit.name.clone()
            } else {
                units::name_on(&mut tx, unit.id, as_of).await?
            };
            let chosen = match &figure {
                Some(key) => vec![figure::find(key).ok_or_else(|| {
                    StoreError::NotFound(format!("chỉ tiêu thống kê «{key}» (xem docs/figures.md)"))
                })?],
                None => catalogue(),
            };
            if list {
                let f = &chosen[0];
                let records = figures::records(&mut tx, &unit, f, &window).await?;
                if json {
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
            let mut values = figures::evaluate(&mut tx, &unit, &chosen, &window).await?;
            if figure.is_none() {
                for by in [Breakdown::Ethnicity, Breakdown::Religion] {
                    for (key, _, count) in figures::breakdown(&mut tx, &unit, as_of, by).await? {
                        values.push((key, count));
                    }
                }
            }
            if json {
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
        }
        Command::Bench { scale } => bench::run(&cli.db, scale).await?,
    }
    Ok(())
}

async fn show_member(db: &Db, code: &str) -> Result<(), StoreError> {
    let access = Access::new(db.clone(), admin::cli_administrator());
    let view = access
        .member(code, today())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đảng viên «{}»", code.trim())))?;
    let member = &view.member;
    let list = &view.events;
    let all_units = &view.units;
    let r = &member.record;
    emit!("{} [{}]", r.full_name, r.code);
    emit!(
        "  Giới tính: {}; ngày sinh: {}; dân tộc: {}; tôn giáo: {}",
        r.sex.label_vi(),
        format_date(r.birth_date),
        r.ethnicity,
        r.religion
    );
    if let Some(years) = view.seniority_years {
        emit!("  Tuổi Đảng: {years} năm");
    }
    if let Some((years, on)) = view.next_badge {
        emit!(
            "  Huy hiệu tiếp theo: {years} năm tuổi Đảng, ngày {}",
            format_date(on)
        );
    }
    emit!("  Quá trình:");
    for e in list {
        let unit_of = |id: Option<i64>| id.and_then(|i| all_units.get(&i)).map(|u| u.code.clone());
        let place = match (unit_of(e.event.from_unit_id), unit_of(e.event.to_unit_id)) {
            (Some(f), Some(t)) => format!("{f} → {t}"),
            (None, Some(t)) if !e.event.external_unit.is_empty() => {
                format!("{} → {t}", e.event.external_unit)
            }
            (Some(f), None) if !e.event.external_unit.is_empty() => {
                format!("{f} → {}", e.event.external_unit)
            }
            (f, t) => f.or(t).unwrap_or_else(|| e.event.external_unit.clone()),
        };
        emit!(
            "    {}  {:<28} {:<24} {}",
            format_date(e.event.date),
            e.event.kind.label_vi(),
            place,
            e.event.decision_number
        );
    }
    Ok(())
}
