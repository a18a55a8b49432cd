//! Dangbo's domain: the types and rules of party-building records, with no I/O.
//!
//! - [`text`]: Vietnamese text (normalisation, tone-insensitive search keys, collation, formats).
//! - [`unit`]: the organization tree's unit kinds.
//! - [`member`]: the personal record and its classifications.
//! - [`event`]: dated member events and the history (status, unit, seniority) derived from them.
//! - [`figure`]: the catalogue of named figures.
//! - [`access`]: roles and their capabilities.

#[macro_use]
mod vocab;

pub mod access;
pub mod event;
pub mod figure;
pub mod member;
pub mod text;
pub mod unit;

pub use chrono::NaiveDate;
