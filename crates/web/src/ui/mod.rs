//! Server-rendered pages. Each page struct carries the [`Chrome`] (menu, language, CSRF token)
//! and its own data, already formatted for Vietnamese readers.

use axum::response::{IntoResponse, Response};
use dangbo_domain::access::Capability;

use crate::AppError;
use crate::i18n::{Lang, Texts};
use crate::session::Identity;

pub mod account;
pub mod admin;
pub mod admission;
pub mod assets;
pub mod cadres;
pub mod dashboard;
pub mod documents;
pub mod import;
pub mod inspection;
pub mod members;
pub mod ratings;
pub mod restructure;
pub mod study;
pub mod table;
pub mod targets;
pub mod tasks;
pub mod units;

/// What every page shows around its content.
pub struct Chrome {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub title: String,
    pub signed_in: bool,
    pub user: String,
    pub role: &'static str,
    pub scope: String,
    pub csrf: String,
    pub can_import: bool,
    pub can_restructure: bool,
    pub is_admin: bool,
    pub reads_cases: bool,
    /// The current path, to come back to after switching language.
    pub here: String,
    /// Which menu entry is current.
    pub section: &'static str,
}

impl Chrome {
    pub fn new(
        identity: &Identity,
        lang: Lang,
        title: impl Into<String>,
        section: &'static str,
        here: &str,
    ) -> Chrome {
        let actor = identity.access.actor();
        Chrome {
            t: lang.texts(),
            lang: lang.code(),
            title: title.into(),
            signed_in: true,
            user: if actor.display_name.is_empty() {
                actor.name.clone()
            } else {
                actor.display_name.clone()
            },
            role: actor.role.label_vi(),
            scope: actor.scope.name.clone(),
            csrf: identity.csrf.clone().unwrap_or_default(),
            can_import: actor.can(Capability::Import),
            can_restructure: actor.can(Capability::Restructure),
            is_admin: actor.can(Capability::ManageUsers),
            reads_cases: actor.can(Capability::ReadCases),
            here: here.to_string(),
            section,
        }
    }

    pub fn signed_out(lang: Lang, title: impl Into<String>) -> Chrome {
        Chrome {
            t: lang.texts(),
            lang: lang.code(),
            title: title.into(),
            signed_in: false,
            user: String::new(),
            role: "",
            scope: String::new(),
            csrf: String::new(),
            can_import: false,
            can_restructure: false,
            is_admin: false,
            reads_cases: false,
            here: "/sign-in".into(),
            section: "",
        }
    }

    /// The link that switches to the other language and comes back here.
    pub fn language_link(&self) -> String {
        let other = if self.lang == "vi" { "en" } else { "vi" };
        format!(
            "/language/{other}{}",
            crate::format::query(&[("back", &self.here)])
        )
    }
}

/// The page for unknown addresses.
/// The answer for unknown addresses: the error envelope under `/api/`, a page elsewhere.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::error::ApiError::from(AppError::NotFound).into_response()
    } else {
        AppError::NotFound.into_response()
    }
}

/// The code of the one unit in the scope answering to a typed code or exact name; `None` when no
/// unit in the scope does. Several units in the scope with that name are refused on `field`.
pub async fn unit_in_scope(
    access: &dangbo_store::access::Access,
    field: &str,
    text: &str,
) -> Result<Option<String>, dangbo_store::StoreError> {
    match access.unit(text).await {
        Ok(Some(unit)) if !unit.is_whole_database() => Ok(Some(unit.code)),
        Ok(_) => Ok(None),
        Err(dangbo_store::StoreError::Invalid(refusal)) => Err(dangbo_store::StoreError::Fields(
            vec![(field.to_string(), refusal.message)],
        )),
        Err(other) => Err(other),
    }
}

/// The code a unit field of a form stands for, as the store takes it: the text itself when it is
/// empty or no unit in the scope answers to it (a code outside the scope, such as a transfer's
/// destination, is the store's to check); the unit's code when the text is the exact name of one
/// unit in the scope ([`unit_in_scope`]).
pub async fn unit_code_for(
    access: &dangbo_store::access::Access,
    field: &str,
    text: &str,
) -> Result<String, dangbo_store::StoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    Ok(unit_in_scope(access, field, text)
        .await?
        .unwrap_or_else(|| text.to_string()))
}

/// The names the units with these codes bore on a date, by code (units outside the scope left
/// out): for a page that names many units as of one day.
pub async fn unit_names_on(
    access: &dangbo_store::access::Access,
    mut codes: Vec<&str>,
    on: chrono::NaiveDate,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    codes.sort_unstable();
    codes.dedup();
    Ok(access
        .unit_names_by_code(&codes)
        .await?
        .into_iter()
        .map(|(code, history)| (code, dangbo_store::access::name_on(&history, on)))
        .collect())
}

/// Maps form problems (field, message) to a lookup for templates.
#[derive(Default)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An option of a select, with whether it is chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn choices(current: &str, options: Vec<(String, String)>) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == current,
            value,
            label,
        })
        .collect()
}

/// A select of a vocabulary, with an empty first option.
pub fn vocabulary_choices<T: Copy>(
    current: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Choice> {
    let mut options = vec![(String::new(), "—".to_string())];
    options.extend(
        all.iter()
            .map(|&v| (code(v).to_string(), label(v).to_string())),
    );
    choices(current, options)
}
