//! Dangbo's domain: the types and rules of party-building records, with no I/O. One folder per
//! capability, beside the shared parts.
//!
//! Shared: [`text`] (Vietnamese text: normalisation, tone-insensitive keys, collation, formats),
//! [`calendar`] (working days, the lunar calendar), [`rules`] (dated rule editions), [`figures`]
//! (the figure model: counts, ratios, reported values), [`access`] (roles and capabilities),
//! [`input`] (what text fields accept: the code alphabet, lengths, refused characters).
//!
//! Capabilities: [`tree`] (units of the organization tree), [`members`] (the personal record,
//! events, the history derived from them, seniority and badges), [`ratings`] (the rating schemes by
//! edition, for the ratings capability), [`programmes`] (work programmes: directing documents, their
//! numbers, and how a target is judged), [`inspection`] (cases, conclusions, the forms of discipline
//! and their limitation periods by edition, complaints' deadlines).

#[macro_use]
mod vocab;

pub mod access;
pub mod admission;
pub mod cadres;
pub mod calendar;
pub mod education;
pub mod figures;
pub mod input;
pub mod inspection;
pub mod members;
pub mod programmes;
pub mod ratings;
pub mod rules;
pub mod text;
pub mod tree;

pub use chrono::NaiveDate;
