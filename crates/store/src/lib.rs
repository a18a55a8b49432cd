//! Dangbo's store: records with their dated history on SQLite or PostgreSQL, and the figure engine.
//!
//! Only [`access`] is public (with the database handle and the error type): every read and write a
//! caller makes goes through a scoped [`access::Access`] handle, so no caller can skip the scope.

#[macro_use]
mod engine;

pub mod access;
mod admission;
mod audit;
mod auth;
mod cadres;
mod education;
mod figures;
mod inspection;
mod io;
mod members;
mod programmes;
mod ratings;
mod tree;

pub(crate) use engine::Tx;
pub use engine::{DEFAULT_DATABASE_URL, Db, Engine};
mod error;

pub use engine::migrations::fingerprint as migrations_fingerprint;
pub use engine::schema as engine_schema;
pub use error::{Refusal, Result, StoreError};
pub use figures::plans;
