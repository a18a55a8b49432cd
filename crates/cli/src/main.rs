//! `dangbo`: the records-and-reporting system for party-building work.

/// Prints a line to standard output; a closed pipe (`dangbo … | head`) ends the program quietly.
macro_rules! emit {
    ($($arg:tt)*) => {
        $crate::write_line(&format!($($arg)*))
    };
}

mod commands;
mod demo;
mod progress;

/// A big import allocates and frees millions of small rows; mimalloc does that several times faster
/// than the system allocator and gives memory back to the system as well.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use dangbo_domain::text::read_date;
use dangbo_store::access::Dataset;
use dangbo_store::{DEFAULT_DATABASE_URL, Db, StoreError};

use commands::{
    audit, backup, bench, cadres, candidates, inspections, io, members, ratings, reported, serve,
    stats, study, targets, tree, users,
};

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
        /// How much demo data: the old district (with its 2025 successors), a province, or the
        /// nation.
        #[arg(long, value_enum, default_value = "district")]
        scale: demo::Scale,
    },
    /// Import units, members, events, documents, targets, tasks, candidates, candidate-steps,
    /// member-ratings, unit-ratings, inspections or training from a CSV or XLSX file (all or
    /// nothing).
    Import {
        /// What the file holds: units, members or events (import them in that order), the work
        /// programmes' documents, targets and tasks (documents first), or candidates for
        /// admission and their steps (candidates first), or the ratings of members (a branch's
        /// sheet) or of party organizations, or inspection cases with their discipline, or the
        /// training facts of members and non-members (levels reached on a day).
        dataset: DatasetArg,
        /// The file: .csv (UTF-8) or .xlsx (its first sheet); see docs/import-format.md.
        file: PathBuf,
    },
    /// Export units, members, events, documents, targets, tasks, candidates, candidate-steps,
    /// member-ratings, unit-ratings, inspections or training to a CSV or XLSX file.
    Export {
        /// What to export: units, members, events, documents, targets, tasks, candidates,
        /// candidate-steps, member-ratings, unit-ratings, inspections or training.
        dataset: DatasetArg,
        /// The file to write: .csv (with a BOM, for Excel) or .xlsx, by its extension.
        file: PathBuf,
    },
    /// Show the unit tree as of a date.
    Units {
        /// The date (dd/mm/yyyy or yyyy-mm-dd); today by default.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// Only this unit's subtree.
        #[arg(long)]
        unit: Option<String>,
    },
    /// List the members active in a unit's subtree, in Vietnamese order.
    Members {
        /// The unit's code: its members and those of every unit under it.
        #[arg(long)]
        unit: String,
        /// Part of a name; tone marks and case are ignored.
        #[arg(long)]
        search: Option<String>,
        /// Members active on this date (dd/mm/yyyy or yyyy-mm-dd); today by default.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
    },
    /// Show one member: record, events, party seniority and next badge.
    Member {
        /// The member's code.
        code: String,
    },
    /// Figures of a unit's subtree (the whole database without --unit).
    Stats {
        /// The unit's code; the whole database by default.
        #[arg(long)]
        unit: Option<String>,
        /// The date of the counts of members and units; --to, else today, by default.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// First day of the period of the changes; 1 January of --to's year by default.
        #[arg(long, value_parser = date_arg)]
        from: Option<NaiveDate>,
        /// Last day of the period of the changes; --as-of by default.
        #[arg(long, value_parser = date_arg)]
        to: Option<NaiveDate>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// One figure's key (see docs/figures.md).
        #[arg(long)]
        figure: Option<String>,
        /// With --figure: list the records behind it.
        #[arg(long, requires = "figure")]
        list: bool,
        /// Also give the figures of each direct sub-unit existing on the date.
        #[arg(long, conflicts_with = "list")]
        by_child: bool,
        /// Also give each figure's value for the same date and period a year earlier.
        #[arg(long, conflicts_with = "list")]
        compare_prior: bool,
    },
    /// The targets of a unit's subtree whose period overlaps --from…--to, each judged from the
    /// records (or the values reported), with met / total per domain.
    Targets {
        /// The unit's code or exact name.
        #[arg(long)]
        unit: String,
        /// First day of the period (dd/mm/yyyy or yyyy-mm-dd); 1 January of --to's year by default.
        #[arg(long, value_parser = date_arg)]
        from: Option<NaiveDate>,
        /// Last day of the period, the day the targets are judged on; today by default.
        #[arg(long, value_parser = date_arg)]
        to: Option<NaiveDate>,
        /// Print JSON instead of a list.
        #[arg(long)]
        json: bool,
    },
    /// The candidates for admission of a unit's subtree, by stage, with each file's next
    /// deadline; with --due, what is due within 30 days or overdue (files and probationers).
    Candidates {
        /// The unit's code or exact name.
        #[arg(long)]
        unit: String,
        /// Only what is due within 30 days, or overdue.
        #[arg(long)]
        due: bool,
        /// The day the deadlines are counted on; today by default.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// Also list admitted and stopped files.
        #[arg(long, conflicts_with = "due")]
        all: bool,
        /// Print JSON instead of a list.
        #[arg(long)]
        json: bool,
    },
    /// The year's ratings of a unit's subtree: each branch's members with their level or why they
    /// are not rated, the counts, and the members failing two years running.
    Ratings {
        /// The unit's code or exact name.
        #[arg(long)]
        unit: String,
        /// The review year.
        #[arg(long)]
        year: i32,
        /// Print JSON instead of a list.
        #[arg(long)]
        json: bool,
    },
    /// Inspection, supervision and discipline of a unit's subtree in a period: the counts, the
    /// cases with their subjects, conclusions and discipline, and the complaints not settled.
    Inspections {
        /// The unit's code or exact name.
        #[arg(long)]
        unit: String,
        /// The first day of the period (dd/mm/yyyy or yyyy-mm-dd).
        #[arg(long, value_parser = date_arg)]
        from: NaiveDate,
        /// The last day of the period.
        #[arg(long, value_parser = date_arg)]
        to: NaiveDate,
        /// Print JSON instead of a list.
        #[arg(long)]
        json: bool,
    },
    /// The posts held on a day in a unit's subtree (unit, post, holder, since when, by which
    /// decision), with the concurrency shares and the shares meeting the theory standard.
    Cadres {
        /// The unit's code or exact name.
        #[arg(long)]
        unit: String,
        /// The day (dd/mm/yyyy or yyyy-mm-dd); today by default.
        #[arg(long, value_parser = date_arg)]
        on: Option<NaiveDate>,
        /// Print JSON instead of a list.
        #[arg(long)]
        json: bool,
    },
    /// The study sessions organized in a unit's subtree in a period, with their documents and
    /// attendances, and the counts of sessions, attendances and members who studied.
    Study {
        /// The unit's code or exact name.
        #[arg(long)]
        unit: String,
        /// The first day of the period (dd/mm/yyyy or yyyy-mm-dd).
        #[arg(long, value_parser = date_arg)]
        from: NaiveDate,
        /// The last day of the period.
        #[arg(long, value_parser = date_arg)]
        to: NaiveDate,
        /// Print JSON instead of a list.
        #[arg(long)]
        json: bool,
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
        /// Behind a reverse proxy: the header it writes the client's address in (e.g.
        /// X-Forwarded-For), used to slow down guessing from one address. Only set this when
        /// every request comes through that proxy, or clients could pick their own address.
        #[arg(long, env = "DANGBO_CLIENT_IP_HEADER")]
        client_ip_header: Option<String>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: users::UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: users::TokenCommand,
    },
    /// Figures people report (numbers Dangbo does not record): define, enter, list.
    Reported {
        #[command(subcommand)]
        command: reported::ReportedCommand,
    },
    /// Write a consistent copy of the whole database to FILE while the app runs (SQLite: a
    /// database file; PostgreSQL: a pg_dump archive). FILE must not exist.
    Backup {
        /// The backup file to write.
        file: PathBuf,
    },
    /// Restore a backup into an empty database (--db), then check its audit log.
    Restore {
        /// The backup file to read.
        file: PathBuf,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Measure import rate and figure time at province or national scale (a benchmark, not a test).
    Bench {
        /// The size of the data measured: a province or the nation.
        #[arg(long, value_enum, default_value = "province")]
        scale: demo::Scale,
        /// Measure the data already in the database (a previous bench's) instead of importing.
        #[arg(long)]
        measure_only: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DatasetArg {
    Units,
    Members,
    Events,
    Documents,
    Targets,
    Tasks,
    Candidates,
    CandidateSteps,
    MemberRatings,
    UnitRatings,
    Inspections,
    Training,
}

impl From<DatasetArg> for Dataset {
    fn from(value: DatasetArg) -> Dataset {
        match value {
            DatasetArg::Units => Dataset::Units,
            DatasetArg::Members => Dataset::Members,
            DatasetArg::Events => Dataset::Events,
            DatasetArg::Documents => Dataset::Documents,
            DatasetArg::Targets => Dataset::Targets,
            DatasetArg::Tasks => Dataset::Tasks,
            DatasetArg::Candidates => Dataset::Candidates,
            DatasetArg::CandidateSteps => Dataset::CandidateSteps,
            DatasetArg::MemberRatings => Dataset::MemberRatings,
            DatasetArg::UnitRatings => Dataset::UnitRatings,
            DatasetArg::Inspections => Dataset::Inspections,
            DatasetArg::Training => Dataset::Training,
        }
    }
}

pub(crate) fn date_arg(text: &str) -> Result<NaiveDate, String> {
    read_date(text).map_err(|problem| problem.message(text))
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

/// What is logged when `RUST_LOG` is not set: requests and errors, not every SQL statement.
const DEFAULT_LOG: &str = "info,sqlx=warn";

/// Logs to standard error, filtered by `RUST_LOG` (e.g. `RUST_LOG=debug`, `RUST_LOG=dangbo=info`).
fn start_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("RUST_LOG") {
        Err(_) => EnvFilter::new(DEFAULT_LOG),
        Ok(text) => EnvFilter::try_new(&text).unwrap_or_else(|e| {
            eprintln!("RUST_LOG=«{text}» không đọc được ({e}); dùng «{DEFAULT_LOG}».");
            EnvFilter::new(DEFAULT_LOG)
        }),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .compact()
        .init();
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    start_logging();
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
            // A refused rule also gives its stable code, for scripts.
            match e.rule() {
                Some(rule) => eprintln!("Lỗi: {e} [{rule}]"),
                None => eprintln!("Lỗi: {e}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// Whether this command is about to create the default database file without having been asked:
/// no `--db`, no file of that name here, and not a command meant to fill a new database.
fn creates_default_database(cli: &Cli) -> bool {
    let fills_it = matches!(
        cli.command,
        Command::Demo { .. } | Command::Serve { demo: true, .. } | Command::Restore { .. }
    );
    let Some(file) = cli.db.strip_prefix("sqlite://") else {
        return false;
    };
    cli.db == DEFAULT_DATABASE_URL && !fills_it && !std::path::Path::new(file).exists()
}

async fn run(cli: Cli) -> Result<(), StoreError> {
    // A restore needs the target empty: opening it first would create the schema.
    if let Command::Restore { file } = &cli.command {
        return backup::restore(&cli.db, file).await;
    }
    let creates_default = creates_default_database(&cli);
    let db = Db::open(&cli.db).await?;
    if creates_default {
        eprintln!(
            "Chú ý: thư mục này chưa có tệp cơ sở dữ liệu nên Dangbo vừa tạo một tệp mới, rỗng \
             ({}). Để mở cơ sở dữ liệu có sẵn, dùng --db sqlite://ĐƯỜNG_DẪN/tệp.db hoặc chạy lệnh \
             trong thư mục chứa nó.",
            cli.db
        );
    }
    match cli.command {
        Command::Serve {
            addr,
            demo,
            secure_cookies,
            client_ip_header,
        } => {
            let options = serve::ServeOptions {
                addr,
                with_demo: demo,
                secure_cookies,
                client_ip_header,
            };
            serve::serve(db, options).await
        }
        Command::User { command } => users::user(&db, command).await,
        Command::Token { command } => users::token(&db, command).await,
        Command::Audit { command } => audit::audit(&db, command).await,
        Command::Backup { file } => backup::backup(&db, &file).await,
        Command::Restore { .. } => unreachable!("handled before the database is opened"),
        Command::Reported { command } => reported::reported(&db, command).await,
        Command::Targets {
            unit,
            from,
            to,
            json,
        } => {
            let to = to.unwrap_or_else(today);
            let from = from.unwrap_or_else(|| {
                NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to)
            });
            targets::targets(&db, &unit, from, to, json).await
        }
        Command::Candidates {
            unit,
            due,
            as_of,
            all,
            json,
        } => {
            let day = as_of.unwrap_or_else(today);
            if due {
                candidates::due(&db, &unit, day, json).await
            } else {
                candidates::list(&db, &unit, day, all, json).await
            }
        }
        Command::Ratings { unit, year, json } => ratings::ratings(&db, &unit, year, json).await,
        Command::Inspections {
            unit,
            from,
            to,
            json,
        } => inspections::inspections(&db, &unit, from, to, json).await,
        Command::Cadres { unit, on, json } => {
            cadres::cadres(&db, &unit, on.unwrap_or_else(today), json).await
        }
        Command::Study {
            unit,
            from,
            to,
            json,
        } => study::study(&db, &unit, from, to, json).await,
        Command::Migrate => {
            let versions = db.applied_migrations().await?;
            emit!(
                "Cơ sở dữ liệu đã cập nhật (phiên bản {:?}).",
                versions.last().unwrap_or(&0)
            );
            Ok(())
        }
        Command::Demo { scale } => {
            let mut bar = progress::Bar::new();
            let message = demo::fill(&db, scale, &mut bar).await?;
            bar.finish();
            emit!("{message}");
            Ok(())
        }
        Command::Import { dataset, file } => io::import(&db, dataset.into(), &file).await,
        Command::Export { dataset, file } => io::export(&db, dataset.into(), &file).await,
        Command::Units { as_of, unit } => {
            tree::units(&db, as_of.unwrap_or_else(today), unit.as_deref()).await
        }
        Command::Members {
            unit,
            search,
            as_of,
        } => members::members(&db, &unit, as_of.unwrap_or_else(today), search.as_deref()).await,
        Command::Member { code } => members::member(&db, &code).await,
        Command::Stats {
            unit,
            as_of,
            from,
            to,
            json,
            figure,
            list,
            by_child,
            compare_prior,
        } => {
            let args = stats::StatsArgs {
                unit,
                as_of,
                from,
                to,
                json,
                figure,
                list,
                by_child,
                compare_prior,
            };
            stats::stats(&db, args).await
        }
        Command::Bench {
            scale,
            measure_only,
        } => bench::run(&cli.db, scale, measure_only).await,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every command and every flag explains itself in `--help`, in one language.
    #[test]
    fn every_command_and_flag_has_a_help_line() {
        fn check(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", command.get_name());
            if command.get_about().is_none() && path != " dangbo" {
                missing.push(path.clone());
            }
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id != "help" && id != "version" && arg.get_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in command.get_subcommands() {
                check(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        let command = super::Cli::command();
        command.clone().debug_assert();
        check(&command, "", &mut missing);
        assert!(missing.is_empty(), "no help line: {missing:?}");
    }
}
