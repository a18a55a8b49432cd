//! The admission pipeline's figures in the engine: candidates' files by the stage they had reached
//! on the date (the last step dated by then), files that reached a stage in the period, and the
//! period's admissions by who was admitted (counted from the member events, as every admission).

use dangbo_domain::admission::Stage;
use dangbo_domain::admission::figures::{AdmittedWho, CandidatesCounted, ClassesCounted};
use dangbo_domain::figures::{Definition, Window};
use dangbo_domain::members::figures::MemberCondition;

use crate::engine::sql::in_subtree;
use crate::figures::{Bounds, KeyType, Measure, Registration, Source, Sql};

/// Candidates' files, by the branch preparing them (`cd`: the engine's own tables take `c`).
pub(crate) struct Candidates;

static CANDIDATES: Candidates = Candidates;

impl Source for Candidates {
    fn name(&self) -> &'static str {
        "candidates"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "candidates cd".to_string(),
            in_subtree("cd.unit_path", bounds.lo, bounds.hi),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "cd.code AS code, cd.full_name AS name, \
         (SELECT u.code FROM units u WHERE u.id = cd.unit_id) AS unit_code, \
         cd.stage_on AS record_date, cd.stage AS detail, '' AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "candidate"
    }

    /// The stage the file is at now.
    fn detail(&self, stage: String, _note: String) -> String {
        Stage::parse(&stage)
            .map(|s| s.label_vi().to_string())
            .unwrap_or(stage)
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        Some(&[("cd.sort_key", KeyType::Text), ("cd.code", KeyType::Text)])
    }
}

/// The stage of a file's last step dated on or before `day` (NULL before its nomination).
fn stage_on(day: &str) -> String {
    format!(
        "(SELECT s.stage FROM candidate_steps s WHERE s.candidate_id = cd.id \
         AND s.step_date <= {day} ORDER BY s.step_date DESC, s.id DESC LIMIT 1)"
    )
}

fn candidate_measure(definition: Definition, counted: CandidatesCounted) -> Measure {
    Measure {
        definition,
        source: &CANDIDATES,
        summary: None,
        condition: Box::new(
            move |_: &Bounds, window: &Window, sql: &mut Sql| match counted {
                CandidatesCounted::Open => {
                    let day = sql.param(window.as_of);
                    format!("{} NOT IN ('admitted', 'stopped')", stage_on(&day))
                }
                CandidatesCounted::At(stage) => {
                    let day = sql.param(window.as_of);
                    format!("{} = {}", stage_on(&day), sql.param(stage.code()))
                }
                CandidatesCounted::Reached(stage) => {
                    let from = sql.param(window.from);
                    let to = sql.param(window.to);
                    format!(
                        "EXISTS (SELECT 1 FROM candidate_steps s WHERE s.candidate_id = cd.id \
                     AND s.stage = {} AND s.step_date >= {from} AND s.step_date <= {to})",
                        sql.param(stage.code())
                    )
                }
            },
        ),
    }
}

/// Awareness classes that ended in the period, by the unit organizing them.
pub(crate) struct Classes;

static CLASSES: Classes = Classes;

impl Source for Classes {
    fn name(&self) -> &'static str {
        "awareness_classes"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let from = sql.param(window.from);
        let to = sql.param(window.to);
        (
            "awareness_classes k".to_string(),
            format!(
                "{} AND k.ends_on >= {from} AND k.ends_on <= {to}",
                in_subtree("k.unit_path", bounds.lo, bounds.hi)
            ),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "CAST(k.id AS TEXT) AS code, k.name AS name, \
         (SELECT u.code FROM units u WHERE u.id = k.unit_id) AS unit_code, \
         k.ends_on AS record_date, k.organizer AS detail, '' AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "awareness_class"
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        Some(&[("k.ends_on", KeyType::Date), ("k.id", KeyType::Int)])
    }
}

/// The trainees of the classes that ended in the period.
pub(crate) struct Trainees;

static TRAINEES: Trainees = Trainees;

impl Source for Trainees {
    fn name(&self) -> &'static str {
        "class_trainees"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let from = sql.param(window.from);
        let to = sql.param(window.to);
        (
            "class_trainees t JOIN awareness_classes k ON k.id = t.class_id".to_string(),
            format!(
                "{} AND k.ends_on >= {from} AND k.ends_on <= {to}",
                in_subtree("k.unit_path", bounds.lo, bounds.hi)
            ),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "COALESCE((SELECT cd.code FROM candidates cd WHERE cd.id = t.candidate_id), '') AS code, \
         t.full_name AS name, (SELECT u.code FROM units u WHERE u.id = k.unit_id) AS unit_code, \
         k.ends_on AS record_date, t.result AS detail, t.certificate AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "trainee"
    }

    /// "Đạt (GCN 125/CN)".
    fn detail(&self, result: String, certificate: String) -> String {
        let label = dangbo_domain::admission::ClassResult::parse(&result)
            .map(|r| r.label_vi().to_string())
            .unwrap_or(result);
        if certificate.is_empty() {
            label
        } else {
            format!("{label} (GCN {certificate})")
        }
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        Some(&[("k.ends_on", KeyType::Date), ("t.id", KeyType::Int)])
    }
}

fn class_measure(definition: Definition, counted: ClassesCounted) -> Measure {
    Measure {
        definition,
        source: match counted {
            ClassesCounted::Held => &CLASSES,
            ClassesCounted::Trainees | ClassesCounted::Passed => &TRAINEES,
        },
        summary: None,
        condition: Box::new(move |_: &Bounds, _: &Window, _: &mut Sql| match counted {
            ClassesCounted::Passed => "t.result = 'passed'".to_string(),
            ClassesCounted::Held | ClassesCounted::Trainees => "1 = 1".to_string(),
        }),
    }
}

/// Admissions (first or again) recorded in the subtree, of members answering `who`.
fn admission_measure(definition: Definition, who: AdmittedWho) -> Measure {
    let condition = match who {
        AdmittedWho::Sex(sex) => MemberCondition::Sex(sex),
        AdmittedWho::EthnicMinority => MemberCondition::EthnicMinority,
        AdmittedWho::Religious => MemberCondition::Religious,
    };
    Measure {
        definition,
        source: crate::members::figures::events_source(),
        summary: None,
        condition: Box::new(move |bounds: &Bounds, window: &Window, sql: &mut Sql| {
            format!(
                "(e.kind IN ('admission', 'readmission') AND e.cause = 'recorded' AND {} AND {})",
                in_subtree("e.unit_path", bounds.lo, bounds.hi),
                crate::members::figures::member_condition(&condition, window.as_of, sql)
            )
        }),
    }
}

fn counts() -> Vec<Measure> {
    let candidates = dangbo_domain::admission::figures::counts()
        .into_iter()
        .map(|(definition, counted)| candidate_measure(definition, counted));
    let admissions = dangbo_domain::admission::figures::admission_counts()
        .into_iter()
        .map(|(definition, who)| admission_measure(definition, who));
    let classes = dangbo_domain::admission::figures::class_counts()
        .into_iter()
        .map(|(definition, counted)| class_measure(definition, counted));
    candidates.chain(admissions).chain(classes).collect()
}

pub(crate) const REGISTRATION: Registration = Registration {
    counts,
    ratios: dangbo_domain::admission::figures::ratios,
    family: |_| None,
};
