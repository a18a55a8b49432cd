//! The figures of work programmes in the engine: documents issued in the period in a subtree.

use dangbo_domain::figures::{Definition, Window};
use dangbo_domain::programmes::DocumentKind;
use dangbo_domain::programmes::figures::IssuedBy;

use crate::engine::sql::in_subtree;
use crate::figures::{Bounds, KeyType, Measure, Registration, Source, Sql};

/// Directing documents, by the day they were signed.
pub(crate) struct Documents;

static DOCUMENTS: Documents = Documents;

impl Source for Documents {
    fn name(&self) -> &'static str {
        "documents"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let from = sql.param(window.from);
        let to = sql.param(window.to);
        (
            "documents d".to_string(),
            format!(
                "{} AND d.signed_on >= {from} AND d.signed_on <= {to}",
                in_subtree("d.unit_path", bounds.lo, bounds.hi)
            ),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "d.number AS code, d.title AS name, \
         (SELECT u.code FROM units u WHERE u.id = d.unit_id) AS unit_code, \
         d.signed_on AS record_date, d.kind AS detail, d.issuing_body AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "document"
    }

    fn detail(&self, kind: String, issuing_body: String) -> String {
        let kind = DocumentKind::parse(&kind)
            .map(|k| k.label_vi().to_string())
            .unwrap_or(kind);
        if issuing_body.is_empty() {
            kind
        } else {
            format!("{kind} ({issuing_body})")
        }
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        Some(&[
            ("d.signed_on", KeyType::Date),
            ("d.number", KeyType::Text),
            ("d.id", KeyType::Int),
        ])
    }
}

fn to_measure(definition: Definition, by: IssuedBy, kind: Option<DocumentKind>) -> Measure {
    Measure {
        definition,
        source: &DOCUMENTS,
        summary: None,
        condition: Box::new(move |bounds: &Bounds, _, sql: &mut Sql| {
            let issuer = match by {
                IssuedBy::Anyone => "1 = 1".to_string(),
                IssuedBy::Itself => {
                    format!("(d.unit_path = {} AND d.issuing_body = '')", bounds.lo)
                }
                IssuedBy::SubUnits => {
                    format!("(d.unit_path <> {} AND d.issuing_body = '')", bounds.lo)
                }
                IssuedBy::MassOrganizations => "d.issuing_body <> ''".to_string(),
            };
            match kind {
                Some(kind) => format!("({issuer} AND d.kind = {})", sql.param(kind.code())),
                None => issuer,
            }
        }),
    }
}

fn counts() -> Vec<Measure> {
    dangbo_domain::programmes::figures::counts()
        .into_iter()
        .map(|(definition, by, kind)| to_measure(definition, by, kind))
        .collect()
}

pub(crate) const REGISTRATION: Registration = Registration {
    counts,
    ratios: Vec::new,
    family: |key| {
        dangbo_domain::programmes::figures::family(key)
            .map(|(definition, by, kind)| to_measure(definition, by, kind))
    },
};
