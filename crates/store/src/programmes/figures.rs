//! The figures of work programmes in the engine: documents issued in the period in a subtree, and
//! the targets set for it, in all and those met. Whether a target is met depends on other figures,
//! so a figure of targets met is prepared before it is counted: the targets are judged (as the
//! achievement summary judges them) and the count keeps those achieved. And the tasks documents
//! assign, by their state on the window's date.

use std::sync::Arc;

use dangbo_domain::figures::{Definition, Window, format_decimal};
use dangbo_domain::programmes::figures::{IssuedBy, TargetsCounted};
use dangbo_domain::programmes::tasks::{TaskState, TasksCounted};
use dangbo_domain::programmes::{DocumentKind, Domain, TargetResult};

use crate::engine::sql::in_subtree;
use crate::figures::{Bounds, KeyType, Measure, Registration, Source, Sql};
use crate::tree::Unit;
use crate::{Result, Tx};

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

/// Targets, by their period: a target counts for a period its own overlaps.
pub(crate) struct Targets;

static TARGETS: Targets = Targets;

impl Source for Targets {
    fn name(&self) -> &'static str {
        "targets"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let from = sql.param(window.from);
        let to = sql.param(window.to);
        (
            "targets t".to_string(),
            format!(
                "{} AND t.period_from <= {to} AND t.period_to >= {from} AND {}",
                in_subtree("t.unit_path", bounds.lo, bounds.hi),
                super::not_a_part_within("t", bounds.lo, bounds.hi)
            ),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "(SELECT d.number FROM documents d WHERE d.id = t.document_id) AS code, t.text AS name, \
         (SELECT u.code FROM units u WHERE u.id = t.unit_id) AS unit_code, \
         t.period_to AS record_date, t.domain AS detail, \
         t.comparator || ' ' || CAST(t.value AS TEXT) AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "target"
    }

    /// "Kinh tế · >= 80".
    fn detail(&self, domain: String, measure: String) -> String {
        let domain = Domain::parse(&domain)
            .map(|d| d.label_vi().to_string())
            .unwrap_or(domain);
        let measure = match measure.split_once(' ') {
            Some((comparator, value)) => match value.parse::<f64>() {
                Ok(value) => format!("{comparator} {}", format_decimal(value)),
                Err(_) => measure,
            },
            None => measure,
        };
        format!("{domain} · {measure}")
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        Some(&[("t.id", KeyType::Int)])
    }
}

/// A count of targets: those of a main domain (with its fields), and for the targets met, those
/// in `met` (judged beforehand; see [`prepare`]).
fn target_measure(
    definition: Definition,
    domain: Option<Domain>,
    met: Option<Arc<Vec<i64>>>,
) -> Measure {
    Measure {
        definition,
        source: &TARGETS,
        summary: None,
        condition: Box::new(move |_: &Bounds, _, sql: &mut Sql| {
            let in_domain = match domain {
                Some(domain) => {
                    let codes: Vec<String> = Domain::ALL
                        .iter()
                        .filter(|d| d.main() == domain)
                        .map(|d| sql.param(d.code()))
                        .collect();
                    format!("t.domain IN ({})", codes.join(", "))
                }
                None => "1 = 1".to_string(),
            };
            match &met {
                // Ids the engine judged, written as numbers (they are i64, nothing to escape).
                Some(ids) if !ids.is_empty() => format!(
                    "({in_domain} AND t.id IN ({}))",
                    crate::engine::id_list(ids)
                ),
                Some(_) => "1 = 0".to_string(),
                None => in_domain,
            }
        }),
    }
}

/// A target count as the registry knows it; one of targets met counts nothing until prepared.
fn registered(definition: Definition, counted: TargetsCounted, domain: Option<Domain>) -> Measure {
    let met = (counted == TargetsCounted::Met).then(|| Arc::new(Vec::new()));
    target_measure(definition, domain, met)
}

/// Whether a measure counts the targets met, and so needs [`prepare`].
fn counts_met(key: &str) -> Option<(TargetsCounted, Option<Domain>)> {
    // Every figure evaluated passes here: the others leave at once.
    if !key.starts_with("targets.met") {
        return None;
    }
    dangbo_domain::programmes::figures::target_counts()
        .into_iter()
        .find(|(d, ..)| d.key == key)
        .or_else(|| dangbo_domain::programmes::figures::target_family(key))
        .map(|(_, counted, domain)| (counted, domain))
        .filter(|(counted, _)| *counted == TargetsCounted::Met)
}

/// A measure ready to count: a count of targets met gets the targets of `units`' subtrees that
/// are achieved for `window` (judged as the achievement summary judges them); any other is
/// returned as it is.
pub(crate) async fn prepare(
    tx: &mut Tx,
    measure: Measure,
    units: &[Unit],
    window: &Window,
) -> Result<Measure> {
    let Some((_, domain)) = counts_met(&measure.definition.key) else {
        return Ok(measure);
    };
    let mut met = Vec::new();
    for unit in units {
        let judged = super::judge::judge_targets(tx, unit, window.from, window.to, "/").await?;
        met.extend(
            judged
                .into_iter()
                .filter(|t| t.assessment.result == TargetResult::Achieved)
                .map(|t| t.target.id),
        );
    }
    met.sort_unstable();
    met.dedup();
    Ok(target_measure(
        measure.definition,
        domain,
        Some(Arc::new(met)),
    ))
}

/// Tasks assigned by the window's date, in the subtree.
pub(crate) struct Tasks;

static TASKS: Tasks = Tasks;

impl Source for Tasks {
    fn name(&self) -> &'static str {
        "tasks"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let day = sql.param(window.as_of);
        (
            "tasks k".to_string(),
            format!(
                "{} AND k.assigned_on <= {day}",
                in_subtree("k.unit_path", bounds.lo, bounds.hi)
            ),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "(SELECT d.number FROM documents d WHERE d.id = k.document_id) AS code, k.text AS name, \
         (SELECT u.code FROM units u WHERE u.id = k.unit_id) AS unit_code, \
         k.deadline AS record_date, k.owner AS detail, '' AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "task"
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        Some(&[("k.deadline", KeyType::Date), ("k.id", KeyType::Int)])
    }
}

/// A count of tasks as of the window's date: in a state then, or done by their deadline. The
/// conditions are [`TaskDates::state_on`] written in SQL (tested against it).
fn task_measure(definition: Definition, counted: TasksCounted) -> Measure {
    Measure {
        definition,
        source: &TASKS,
        summary: None,
        condition: Box::new(move |_: &Bounds, window: &Window, sql: &mut Sql| {
            let day = sql.param(window.as_of);
            let done = format!("(k.done_on IS NOT NULL AND k.done_on <= {day})");
            let started = format!("(k.started_on IS NOT NULL AND k.started_on <= {day})");
            match counted {
                TasksCounted::All => "1 = 1".to_string(),
                TasksCounted::In(TaskState::Done) => done,
                TasksCounted::In(TaskState::Overdue) => {
                    format!("(NOT {done} AND k.deadline < {day})")
                }
                TasksCounted::In(TaskState::InProgress) => {
                    format!("(NOT {done} AND k.deadline >= {day} AND {started})")
                }
                TasksCounted::In(TaskState::Assigned) => {
                    format!("(NOT {done} AND k.deadline >= {day} AND NOT {started})")
                }
                TasksCounted::DoneOnTime => format!("({done} AND k.done_on <= k.deadline)"),
            }
        }),
    }
}

fn counts() -> Vec<Measure> {
    let documents = dangbo_domain::programmes::figures::counts()
        .into_iter()
        .map(|(definition, by, kind)| to_measure(definition, by, kind));
    let targets = dangbo_domain::programmes::figures::target_counts()
        .into_iter()
        .map(|(definition, counted, domain)| registered(definition, counted, domain));
    let tasks = dangbo_domain::programmes::tasks::task_counts()
        .into_iter()
        .map(|(definition, counted)| task_measure(definition, counted));
    documents.chain(targets).chain(tasks).collect()
}

fn ratios() -> Vec<Definition> {
    let mut list = dangbo_domain::programmes::figures::target_ratios();
    list.extend(dangbo_domain::programmes::tasks::task_ratios());
    list
}

pub(crate) const REGISTRATION: Registration = Registration {
    counts,
    ratios,
    family: |key| {
        dangbo_domain::programmes::figures::family(key)
            .map(|(definition, by, kind)| to_measure(definition, by, kind))
            .or_else(|| {
                dangbo_domain::programmes::figures::target_family(key)
                    .map(|(definition, counted, domain)| registered(definition, counted, domain))
            })
    },
};
