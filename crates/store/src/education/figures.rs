//! Political education's figures in the engine. Sessions count where they were organized;
//! attendances where the participating unit is (a unit known only by counts adds its count, one
//! with a sheet its members present, and both their non-members); members where they were on the
//! session's day, once each in the period.

use dangbo_domain::education::figures::Counted;
use dangbo_domain::figures::{Definition, Window};

use crate::engine::sql::in_subtree;
use crate::figures::{Bounds, Measure, Registration, Source, Sql};

/// The sessions organized in units.
struct Sessions;

static SESSIONS: Sessions = Sessions;

impl Source for Sessions {
    fn name(&self) -> &'static str {
        "study_sessions"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "study_sessions ss".to_string(),
            in_subtree("ss.unit_path", bounds.lo, bounds.hi),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "ss.code AS code, ss.title AS name, \
         (SELECT u.code FROM units u WHERE u.id = ss.unit_id) AS unit_code, \
         ss.from_date AS record_date, ss.kind AS detail, ss.place AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "study_session"
    }

    fn detail(&self, kind: String, _place: String) -> String {
        dangbo_domain::education::StudyKind::parse(&kind).map_or(kind, |k| k.label_vi().to_string())
    }
}

/// The participating units of sessions, each standing for its attendances.
struct Participations;

static PARTICIPATIONS: Participations = Participations;

impl Source for Participations {
    fn name(&self) -> &'static str {
        "study_units"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "study_units su JOIN study_sessions sx ON sx.id = su.session_id".to_string(),
            in_subtree("su.unit_path", bounds.lo, bounds.hi),
        )
    }

    fn weight(&self) -> &'static str {
        "(CASE WHEN su.by_count = 1 THEN COALESCE(su.attended, 0) ELSE (SELECT COUNT(*) \
         FROM study_attendance sa WHERE sa.session_id = su.session_id AND sa.unit_id = su.unit_id \
         AND sa.attendance = 'present') END + su.non_members)"
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "sx.code AS code, sx.title AS name, \
         (SELECT u.code FROM units u WHERE u.id = su.unit_id) AS unit_code, \
         sx.from_date AS record_date, \
         CAST((CASE WHEN su.by_count = 1 THEN COALESCE(su.attended, 0) ELSE (SELECT COUNT(*) \
         FROM study_attendance sa WHERE sa.session_id = su.session_id AND sa.unit_id = su.unit_id \
         AND sa.attendance = 'present') END + su.non_members) AS TEXT) AS detail, '' AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "study_session"
    }

    fn detail(&self, attended: String, _note: String) -> String {
        format!("{attended} lượt")
    }
}

/// Members' attendance rows.
struct Attendances;

static ATTENDANCES: Attendances = Attendances;

impl Source for Attendances {
    fn name(&self) -> &'static str {
        "study_attendance"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "study_attendance sa JOIN study_sessions sy ON sy.id = sa.session_id".to_string(),
            in_subtree("sa.unit_path", bounds.lo, bounds.hi),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "(SELECT m.code FROM members m WHERE m.id = sa.member_id) AS code, \
         (SELECT m.full_name FROM members m WHERE m.id = sa.member_id) AS name, \
         (SELECT u.code FROM units u WHERE u.id = sa.unit_id) AS unit_code, \
         sy.from_date AS record_date, sy.title AS detail, sy.code AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "member"
    }
}

fn measure(definition: Definition, counted: Counted) -> Measure {
    let source: &'static dyn Source = match counted {
        Counted::Sessions | Counted::SessionsOf(_) => &SESSIONS,
        Counted::Attendances => &PARTICIPATIONS,
        Counted::MembersStudied | Counted::MembersStudiedDocument(_) => &ATTENDANCES,
    };
    Measure {
        definition,
        source,
        summary: None,
        condition: Box::new(move |bounds: &Bounds, window: &Window, sql: &mut Sql| {
            let from = sql.param(window.from);
            let to = sql.param(window.to);
            match counted {
                Counted::Sessions => format!("ss.from_date >= {from} AND ss.from_date <= {to}"),
                Counted::SessionsOf(kind) => format!(
                    "ss.kind = '{}' AND ss.from_date >= {from} AND ss.from_date <= {to}",
                    kind.code()
                ),
                Counted::Attendances => format!("sx.from_date >= {from} AND sx.from_date <= {to}"),
                // Each member once: their first presence in the period in the subtree (at a
                // session on the document, for a document's count).
                Counted::MembersStudied | Counted::MembersStudiedDocument(_) => {
                    let on_document = |alias: &str| match counted {
                        Counted::MembersStudiedDocument(id) => format!(
                            " AND EXISTS (SELECT 1 FROM study_session_documents sd \
                             WHERE sd.session_id = {alias}.session_id AND sd.document_id = {id})"
                        ),
                        _ => String::new(),
                    };
                    format!(
                        "sa.attendance = 'present' AND sy.from_date >= {from} \
                         AND sy.from_date <= {to}{} AND NOT EXISTS (SELECT 1 \
                         FROM study_attendance sb JOIN study_sessions sz ON sz.id = sb.session_id \
                         WHERE sb.member_id = sa.member_id AND sb.attendance = 'present' AND {} \
                         AND sz.from_date >= {from}{} AND (sz.from_date < sy.from_date \
                         OR (sz.from_date = sy.from_date AND sb.session_id < sa.session_id)))",
                        on_document("sa"),
                        in_subtree("sb.unit_path", bounds.lo, bounds.hi),
                        on_document("sb")
                    )
                }
            }
        }),
    }
}

fn counts() -> Vec<Measure> {
    dangbo_domain::education::figures::counts()
        .into_iter()
        .map(|(definition, counted)| measure(definition, counted))
        .collect()
}

pub(crate) const REGISTRATION: Registration = Registration {
    counts,
    ratios: dangbo_domain::education::figures::ratios,
    family: |key| {
        dangbo_domain::education::figures::family(key)
            .map(|(definition, counted)| measure(definition, counted))
    },
};
