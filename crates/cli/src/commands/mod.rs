//! The `dangbo` subcommands, one file each. The command line acts through the store's access layer
//! as an administrator over the whole database (see [`cli_access`]).

pub mod audit;
pub mod backup;
pub mod bench;
pub mod cadres;
pub mod candidates;
pub mod inspections;
pub mod io;
pub mod members;
pub mod ratings;
pub mod reported;
pub mod serve;
pub mod stats;
pub mod study;
pub mod targets;
pub mod tree;
pub mod users;

use dangbo_store::Db;
use dangbo_store::access::{Access, Actor};

/// The command line acts as an administrator over the whole database: whoever can run it can
/// open the database file anyway. The audit log names the operating-system user.
pub fn cli_access(db: &Db) -> Access {
    let name = format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    );
    Access::new(db.clone(), Actor::whole_database(&name, "Dòng lệnh"))
}
