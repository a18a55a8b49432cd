//! The tree's figures in the engine: units of some kinds existing on the date in a subtree (the
//! subtree's root included).

use dangbo_domain::figures::Window;
use dangbo_domain::tree::UnitKind;

use crate::engine::sql::{in_force, in_subtree};
use crate::figures::{Bounds, Measure, Registration, Source, Sql};

/// The units of the tree.
pub(crate) struct Units;

static UNITS: Units = Units;

impl Source for Units {
    fn name(&self) -> &'static str {
        "units"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let date = sql.param(window.as_of);
        (
            "units u".to_string(),
            format!(
                "{} AND {}",
                in_subtree("u.path", bounds.lo, bounds.hi),
                in_force("u.start_date", "u.end_date", &date)
            ),
        )
    }

    fn record_columns(&self, window: &Window, sql: &mut Sql) -> String {
        let date = sql.param(window.as_of);
        format!(
            "u.code AS code, (SELECT n.name FROM unit_names n WHERE n.unit_id = u.id \
             AND n.from_date <= {date} ORDER BY n.from_date DESC LIMIT 1) AS name, \
             (SELECT p.code FROM units p WHERE p.id = u.parent_id) AS unit_code, \
             u.start_date AS record_date, u.kind AS detail, '' AS note"
        )
    }

    fn record_kind(&self) -> &'static str {
        "unit"
    }

    fn detail(&self, detail: String, _note: String) -> String {
        UnitKind::parse(&detail)
            .map(|k| k.label_vi().to_string())
            .unwrap_or(detail)
    }
}

fn counts() -> Vec<Measure> {
    dangbo_domain::tree::figures::counts()
        .into_iter()
        .map(|(definition, kinds)| Measure {
            definition,
            source: &UNITS,
            summary: None,
            condition: Box::new(move |_, _, sql: &mut Sql| {
                let list: Vec<String> = kinds.iter().map(|k| sql.param(k.code())).collect();
                format!("u.kind IN ({})", list.join(", "))
            }),
        })
        .collect()
}

pub(crate) const REGISTRATION: Registration = Registration {
    counts,
    ratios: Vec::new,
    family: |_| None,
};
