//! The members' figures in the engine: members active on the date (their spans) and events dated in
//! the period, each counted in the subtree where it happened.

use chrono::{Months, NaiveDate};
use dangbo_domain::education::TrainingKind;
use dangbo_domain::figures::Window;
use dangbo_domain::members::events::EventKind;
use dangbo_domain::members::figures::{EventCondition, MemberCondition, MemberMeasure};

use crate::engine::sql::{in_force, in_subtree};
use crate::figures::summary;
use crate::figures::{Bounds, KeyType, Measure, Registration, Source, Sql};

/// Members active on the date: their spans, with their records.
pub(crate) struct Spans;

/// Member events dated in the period.
pub(crate) struct Events;

static SPANS: Spans = Spans;
static EVENTS_SOURCE: Events = Events;

/// The member events as a source, for another capability's counts of them.
pub(crate) fn events_source() -> &'static Events {
    &EVENTS_SOURCE
}

impl Source for Spans {
    fn name(&self) -> &'static str {
        "member_spans"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let date = sql.param(window.as_of);
        (
            "member_spans s JOIN members m ON m.id = s.member_id".to_string(),
            format!(
                "{} AND {}",
                in_subtree("s.unit_path", bounds.lo, bounds.hi),
                in_force("s.from_date", "s.to_date", &date)
            ),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "m.code AS code, m.full_name AS name, \
         (SELECT u.code FROM units u WHERE u.id = s.unit_id) AS unit_code, \
         s.from_date AS record_date, s.status AS detail, '' AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "member"
    }

    fn detail(&self, status: String, _note: String) -> String {
        dangbo_domain::members::events::MembershipStatus::parse(&status)
            .map(|s| s.label_vi().to_string())
            .unwrap_or(status)
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        // Vietnamese name order (the sort key of the member list), then the member; a member has one
        // span in force on a date, so its start settles the rest.
        Some(&[
            ("m.sort_key", KeyType::Text),
            ("m.code", KeyType::Text),
            ("s.from_date", KeyType::Date),
        ])
    }
}

impl Source for Events {
    fn name(&self) -> &'static str {
        "member_events"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let from = sql.param(window.from);
        let to = sql.param(window.to);
        // One index range per path column, (path, date), with the period inside each branch so
        // that both engines take the union of the three ranges: the cost follows the subtree's
        // events in the period, never the country's.
        let reach = ["e.unit_path", "e.from_path", "e.to_path"]
            .map(|column| {
                format!(
                    "({} AND e.event_date >= {from} AND e.event_date <= {to})",
                    in_subtree(column, bounds.lo, bounds.hi)
                )
            })
            .join(" OR ");
        (
            "member_events e JOIN members m ON m.id = e.member_id".to_string(),
            format!("({reach})"),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "m.code AS code, m.full_name AS name, \
         (SELECT u.code FROM units u WHERE u.path = COALESCE(e.unit_path, e.to_path, e.from_path)) AS unit_code, \
         e.event_date AS record_date, e.kind AS detail, e.decision_number AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "event"
    }

    fn detail(&self, kind: String, decision: String) -> String {
        let label = EventKind::parse(&kind).map(|k| k.label_vi()).unwrap_or("");
        if decision.is_empty() {
            label.to_string()
        } else {
            format!("{label} ({decision})")
        }
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        Some(&[
            ("e.event_date", KeyType::Date),
            ("m.code", KeyType::Text),
            ("e.id", KeyType::Int),
        ])
    }
}

/// The level of a kind the member `m` held on `as_of`: from their dated facts, else their record.
fn level_on(kind: TrainingKind, as_of: NaiveDate, sql: &mut Sql) -> String {
    let on = sql.param(as_of);
    crate::cadres::training::member_level_on(
        kind,
        "m.id",
        &format!("m.{}", kind.member_field()),
        &on,
    )
}

pub(crate) fn member_condition(
    condition: &MemberCondition,
    as_of: NaiveDate,
    sql: &mut Sql,
) -> String {
    use MemberCondition as M;
    let code_or_null = |column: &str, code: Option<&str>, sql: &mut Sql| match code {
        Some(code) => format!("{column} = {}", sql.param(code)),
        None => format!("{column} IS NULL"),
    };
    match condition {
        M::All => "1 = 1".to_string(),
        M::Status(status) => format!("s.status = {}", sql.param(status.code())),
        M::Sex(sex) => format!("m.sex = {}", sql.param(sex.code())),
        M::EthnicMinority => "(m.ethnicity_key <> 'kinh' AND m.ethnicity_key <> '')".to_string(),
        M::Ethnicity(key) => format!("m.ethnicity_key = {}", sql.param(key.as_str())),
        M::Religious => "(m.religion_key <> 'khong' AND m.religion_key <> '')".to_string(),
        M::Religion(key) => format!("m.religion_key = {}", sql.param(key.as_str())),
        M::Exempt => "s.exempt = 1".to_string(),
        M::Suspended => "s.suspended = 1".to_string(),
        M::AgeBetween(min, max) => {
            // Age ≥ min ⇔ born on or before as_of − min years; age ≤ max ⇔ born after as_of − (max+1) years.
            let born_by = as_of
                .checked_sub_months(Months::new(min * 12))
                .unwrap_or(as_of);
            let mut text = format!("m.birth_date <= {}", sql.param(born_by));
            if let Some(max) = max {
                let born_after = as_of
                    .checked_sub_months(Months::new((max + 1) * 12))
                    .unwrap_or(NaiveDate::MIN);
                text.push_str(&format!(" AND m.birth_date > {}", sql.param(born_after)));
            }
            format!("({text})")
        }
        M::Education(level) => {
            let held = level_on(TrainingKind::Education, as_of, sql);
            code_or_null(&held, level.map(|l| l.code()), sql)
        }
        M::Qualification(level) => {
            let held = level_on(TrainingKind::Qualification, as_of, sql);
            code_or_null(&held, level.map(|l| l.code()), sql)
        }
        M::Theory(level) => {
            let held = level_on(TrainingKind::Theory, as_of, sql);
            code_or_null(&held, level.map(|l| l.code()), sql)
        }
        M::TheoryAdvancedOrBachelor => format!(
            "{} IN ('advanced', 'bachelor')",
            level_on(TrainingKind::Theory, as_of, sql)
        ),
    }
}

fn event_condition(condition: &EventCondition, lo: &str, hi: &str, sql: &mut Sql) -> String {
    let kinds = |kinds: &[EventKind], sql: &mut Sql| {
        kinds
            .iter()
            .map(|k| sql.param(k.code()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let transfer = "e.kind IN ('transfer_in', 'transfer_out')";
    let arriving = format!(
        "{} AND (e.from_path IS NULL OR NOT {})",
        in_subtree("e.to_path", lo, hi),
        in_subtree("e.from_path", lo, hi)
    );
    let leaving = format!(
        "{} AND (e.to_path IS NULL OR NOT {})",
        in_subtree("e.from_path", lo, hi),
        in_subtree("e.to_path", lo, hi)
    );
    match condition {
        EventCondition::Kinds(list) => format!(
            "(e.kind IN ({}) AND e.cause = 'recorded' AND {})",
            kinds(list, sql),
            in_subtree("e.unit_path", lo, hi)
        ),
        EventCondition::TransfersIn => {
            format!("({transfer} AND e.cause = 'recorded' AND {arriving})")
        }
        EventCondition::TransfersOut => {
            format!("({transfer} AND e.cause = 'recorded' AND {leaving})")
        }
        EventCondition::RestructureMovesIn => {
            format!("({transfer} AND e.cause = 'restructure' AND {arriving})")
        }
        EventCondition::RestructureMovesOut => {
            format!("({transfer} AND e.cause = 'restructure' AND {leaving})")
        }
        EventCondition::InitialPlacements => {
            format!("({transfer} AND e.cause = 'placement' AND {arriving})")
        }
    }
}

/// A member measure as an engine count.
fn to_measure(definition: dangbo_domain::figures::Definition, measure: MemberMeasure) -> Measure {
    match measure {
        MemberMeasure::Members(condition) => Measure {
            definition,
            source: &SPANS,
            summary: summary::member_formula(&condition),
            condition: Box::new(move |_, window: &Window, sql: &mut Sql| {
                member_condition(&condition, window.as_of, sql)
            }),
        },
        MemberMeasure::Events(condition) => Measure {
            definition,
            source: &EVENTS_SOURCE,
            summary: Some(summary::event_formula(&condition)),
            condition: Box::new(move |bounds: &Bounds, _, sql: &mut Sql| {
                event_condition(&condition, bounds.lo, bounds.hi, sql)
            }),
        },
    }
}

fn counts_of(members: bool) -> Vec<Measure> {
    dangbo_domain::members::figures::counts()
        .into_iter()
        .filter(|(_, m)| matches!(m, MemberMeasure::Members(_)) == members)
        .map(|(definition, measure)| to_measure(definition, measure))
        .collect()
}

fn family(key: &str) -> Option<Measure> {
    dangbo_domain::members::figures::family(key).map(|(d, m)| to_measure(d, m))
}

/// Members active on a date, and the shares of them reports quote.
pub(crate) const MEMBERS: Registration = Registration {
    counts: || counts_of(true),
    ratios: dangbo_domain::members::figures::ratios,
    family,
};

/// Events in a period.
pub(crate) const EVENTS: Registration = Registration {
    counts: || counts_of(false),
    ratios: Vec::new,
    family: |_| None,
};
