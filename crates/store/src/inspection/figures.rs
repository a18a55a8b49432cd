//! Inspection's figures in the engine. Each count keeps one row per subject: a row counts only if
//! no earlier row of the same subject (in the same subtree and period) meets the same condition.
//! The drill-down lists the subjects, and only to those who may read cases
//! ([`Source::confidential`]).

use dangbo_domain::figures::{Definition, Window};
use dangbo_domain::inspection::figures::{Counted, Subjects};

use crate::engine::sql::in_subtree;
use crate::figures::{Bounds, Measure, Registration, Source, Sql};

/// The drill-down's columns of a subject (a member, or a unit) in rows aliased `alias`, with
/// `member_id` and `unit_id` columns.
fn subject_columns(alias: &str, date: &str, detail: &str) -> String {
    format!(
        "COALESCE((SELECT m.code FROM members m WHERE m.id = {alias}.member_id), \
                  (SELECT u.code FROM units u WHERE u.id = {alias}.unit_id)) AS code, \
         COALESCE((SELECT m.full_name FROM members m WHERE m.id = {alias}.member_id), \
                  (SELECT n.name FROM unit_names n WHERE n.unit_id = {alias}.unit_id \
                   ORDER BY n.from_date DESC LIMIT 1)) AS name, \
         (SELECT u.code FROM units u WHERE u.id = {alias}.unit_id) AS unit_code, \
         {date} AS record_date, {detail} AS detail, '' AS note"
    )
}

/// The subjects of cases, counted where the case was decided.
struct CaseSubjects;

impl Source for CaseSubjects {
    fn name(&self) -> &'static str {
        "case_subjects"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "case_subjects cs JOIN inspection_cases ic ON ic.id = cs.case_id".to_string(),
            in_subtree("ic.unit_path", bounds.lo, bounds.hi),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        subject_columns("cs", "ic.decided_on", "ic.kind")
    }

    fn record_kind(&self) -> &'static str {
        "case_subject"
    }

    fn detail(&self, kind: String, _note: String) -> String {
        dangbo_domain::inspection::CaseKind::parse(&kind)
            .map(|k| k.label_vi().to_string())
            .unwrap_or(kind)
    }

    fn confidential(&self) -> bool {
        true
    }
}

/// Discipline decisions, counted where the subject is.
struct Decisions;

impl Source for Decisions {
    fn name(&self) -> &'static str {
        "discipline"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "discipline_decisions dd".to_string(),
            in_subtree("dd.subject_path", bounds.lo, bounds.hi),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        subject_columns("dd", "dd.decided_on", "dd.form")
    }

    fn record_kind(&self) -> &'static str {
        "discipline"
    }

    fn detail(&self, form: String, _note: String) -> String {
        dangbo_domain::inspection::Discipline::parse(&form)
            .map(|f| f.label_vi().to_string())
            .unwrap_or(form)
    }

    fn confidential(&self) -> bool {
        true
    }
}

/// Complaints against discipline, counted where the subject is.
struct Complaints;

impl Source for Complaints {
    fn name(&self) -> &'static str {
        "complaints"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "discipline_complaints dk JOIN discipline_decisions dd ON dd.id = dk.decision_id"
                .to_string(),
            in_subtree("dd.subject_path", bounds.lo, bounds.hi),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        subject_columns("dd", "dk.received_on", "dd.form")
    }

    fn record_kind(&self) -> &'static str {
        "complaint"
    }

    fn detail(&self, form: String, note: String) -> String {
        Decisions.detail(form, note)
    }

    fn confidential(&self) -> bool {
        true
    }
}

/// Items of the yearly programmes, counted where the programme is.
struct PlanItems;

impl Source for PlanItems {
    fn name(&self) -> &'static str {
        "inspection_plans"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "inspection_plan_items pi".to_string(),
            in_subtree("pi.unit_path", bounds.lo, bounds.hi),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "COALESCE((SELECT m.code FROM members m WHERE m.id = pi.subject_member_id), \
                  (SELECT u.code FROM units u WHERE u.id = pi.subject_unit_id)) AS code, \
         COALESCE((SELECT m.full_name FROM members m WHERE m.id = pi.subject_member_id), \
                  (SELECT n.name FROM unit_names n WHERE n.unit_id = pi.subject_unit_id \
                   ORDER BY n.from_date DESC LIMIT 1)) AS name, \
         (SELECT u.code FROM units u WHERE u.id = pi.unit_id) AS unit_code, \
         pi.planned_from AS record_date, pi.kind AS detail, pi.topic AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "inspection_plan"
    }

    fn detail(&self, kind: String, topic: String) -> String {
        let kind = CaseSubjects.detail(kind, String::new());
        if topic.is_empty() {
            kind
        } else {
            format!("{kind}: {topic}")
        }
    }

    fn confidential(&self) -> bool {
        true
    }
}

static CASE_SUBJECTS: CaseSubjects = CaseSubjects;
static DECISIONS: Decisions = Decisions;
static COMPLAINTS: Complaints = Complaints;
static PLAN_ITEMS: PlanItems = PlanItems;

/// Which subjects, on rows aliased `alias` (with `member_id` and `unit_id`). Kinds are the
/// program's own codes, written inline.
fn subjects_are(alias: &str, subjects: Subjects) -> String {
    match (subjects.members(), subjects.unit_kinds()) {
        (true, _) => format!("{alias}.member_id IS NOT NULL"),
        (false, None) => format!("{alias}.member_id IS NULL"),
        (false, Some(kinds)) => {
            let kinds: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
            format!(
                "({alias}.member_id IS NULL AND (SELECT u.kind FROM units u \
                 WHERE u.id = {alias}.unit_id) IN ({}))",
                kinds.join(", ")
            )
        }
    }
}

/// The same subject as the row `alias` on the row `other`.
fn same_subject(alias: &str, other: &str) -> String {
    format!(
        "({other}.member_id = {alias}.member_id OR ({alias}.member_id IS NULL \
         AND {other}.member_id IS NULL AND {other}.unit_id = {alias}.unit_id))"
    )
}

/// The condition of a case subjects' count on the rows aliased `cs` and `ic`.
fn case_condition(counted: &Counted, cs: &str, ic: &str, from: &str, to: &str) -> Option<String> {
    match counted {
        Counted::Cases { kinds, subjects } => {
            let kinds: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.code())).collect();
            Some(format!(
                "{ic}.kind IN ({}) AND {ic}.decided_on >= {from} AND {ic}.decided_on <= {to} \
                 AND {}",
                kinds.join(", "),
                subjects_are(cs, *subjects)
            ))
        }
        Counted::Violations { subjects } => Some(format!(
            "{cs}.conclusion IN ('minor', 'to_be_disciplined') AND {ic}.concluded_on >= {from} \
             AND {ic}.concluded_on <= {to} AND {}",
            subjects_are(cs, *subjects)
        )),
        _ => None,
    }
}

/// The condition of a discipline count on the rows aliased `dd`: decided in the period, not
/// annulled by its end.
fn decision_condition(
    subjects: Subjects,
    form: Option<dangbo_domain::inspection::Discipline>,
    dd: &str,
    from: &str,
    to: &str,
) -> String {
    let form = form
        .map(|f| format!(" AND {dd}.form = '{}'", f.code()))
        .unwrap_or_default();
    format!(
        "{dd}.decided_on >= {from} AND {dd}.decided_on <= {to} \
         AND ({dd}.annulled_on IS NULL OR {dd}.annulled_on > {to}) AND {}{form}",
        subjects_are(dd, subjects)
    )
}

fn measure(definition: Definition, counted: Counted) -> Measure {
    let source: &'static dyn Source = match counted.source() {
        "case_subjects" => &CASE_SUBJECTS,
        "discipline" => &DECISIONS,
        "complaints" => &COMPLAINTS,
        _ => &PLAN_ITEMS,
    };
    Measure {
        definition,
        source,
        summary: None,
        condition: Box::new(move |bounds: &Bounds, window: &Window, sql: &mut Sql| {
            if counted == Counted::ComplaintsOverdue {
                // A stock on the date.
                let on = sql.param(window.as_of);
                return format!(
                    "dk.received_on <= {on} AND dk.deadline < {on} \
                     AND (dk.settled_on IS NULL OR dk.settled_on > {on})"
                );
            }
            let from = sql.param(window.from);
            let to = sql.param(window.to);
            if let Some(this) = case_condition(&counted, "cs", "ic", &from, &to) {
                let earlier =
                    case_condition(&counted, "cs2", "ic2", &from, &to).unwrap_or_default();
                return format!(
                    "{this} AND NOT EXISTS (SELECT 1 FROM case_subjects cs2 \
                     JOIN inspection_cases ic2 ON ic2.id = cs2.case_id \
                     WHERE cs2.id < cs.id AND {} AND {} AND {earlier})",
                    same_subject("cs", "cs2"),
                    in_subtree("ic2.unit_path", bounds.lo, bounds.hi)
                );
            }
            match &counted {
                Counted::Disciplined { subjects, form } => format!(
                    "{} AND NOT EXISTS (SELECT 1 FROM discipline_decisions dd2 \
                     WHERE dd2.id < dd.id AND {} AND {} AND {})",
                    decision_condition(*subjects, *form, "dd", &from, &to),
                    same_subject("dd", "dd2"),
                    in_subtree("dd2.subject_path", bounds.lo, bounds.hi),
                    decision_condition(*subjects, *form, "dd2", &from, &to)
                ),
                Counted::ComplaintsReceived => {
                    format!("dk.received_on >= {from} AND dk.received_on <= {to}")
                }
                Counted::ComplaintsSettled => {
                    format!("dk.settled_on >= {from} AND dk.settled_on <= {to}")
                }
                Counted::Planned => {
                    format!("pi.planned_from <= {to} AND pi.planned_to >= {from}")
                }
                Counted::PlannedDone => format!(
                    "pi.planned_from <= {to} AND pi.planned_to >= {from} AND EXISTS \
                     (SELECT 1 FROM inspection_cases ic2 WHERE ic2.plan_item_id = pi.id \
                     AND ic2.concluded_on <= {to})"
                ),
                // Answered above.
                Counted::Cases { .. } | Counted::Violations { .. } | Counted::ComplaintsOverdue => {
                    "1 = 0".to_string()
                }
            }
        }),
    }
}

fn counts() -> Vec<Measure> {
    dangbo_domain::inspection::figures::counts()
        .into_iter()
        .map(|(definition, counted)| measure(definition, counted))
        .collect()
}

pub(crate) const REGISTRATION: Registration = Registration {
    counts,
    ratios: dangbo_domain::inspection::figures::ratios,
    family: |_| None,
};
