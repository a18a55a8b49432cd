//! Dangbo's domain: the types and rules of party-building records, with no I/O.
//!
//! - [`text`]: Vietnamese text (normalisation, tone-insensitive search keys, collation, formats).
//! - [`unit`]: the organization tree's unit kinds.
//! - [`member`]: the personal record and its classifications.
//! - [`event`]: dated member events and the history (status, unit, seniority) derived from them.
//! - [`figure`]: the catalogue of named figures.

#[macro_use]
mod vocab;

pub mod event;
pub mod figure;
pub mod member;
pub mod text;
pub mod unit;

pub use chrono::NaiveDate;
