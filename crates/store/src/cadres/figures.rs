//! Cadre work's figures in the engine, over the holdings of a subtree. A holder's theory level on
//! the date is the highest training fact dated by then, or, for a member with no facts, the level
//! on their record.

use dangbo_domain::cadres::figures::Counted;
use dangbo_domain::cadres::standards::standards;
use dangbo_domain::cadres::{Post, PostGroup};
use dangbo_domain::figures::{Definition, Window};
use dangbo_domain::members::TheoryLevel;

use crate::engine::sql::{in_force, in_subtree};
use crate::figures::{Bounds, Measure, Registration, Source, Sql};

/// The posts held in units.
struct Holdings;

static HOLDINGS: Holdings = Holdings;

impl Source for Holdings {
    fn name(&self) -> &'static str {
        "holdings"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "holdings h".to_string(),
            in_subtree("h.unit_path", bounds.lo, bounds.hi),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "COALESCE((SELECT m.code FROM members m WHERE m.id = h.member_id), '') AS code, \
         h.person_name AS name, (SELECT u.code FROM units u WHERE u.id = h.unit_id) AS unit_code, \
         h.from_date AS record_date, h.post AS detail, h.start_move AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "holding"
    }

    fn detail(&self, post: String, _note: String) -> String {
        Post::parse(&post)
            .map(|p| p.label_vi().to_string())
            .unwrap_or(post)
    }
}

/// The codes of a group's posts, inline (the program's own codes).
fn posts_of(group: PostGroup) -> String {
    Post::ALL
        .iter()
        .filter(|p| p.group() == group)
        .map(|p| format!("'{}'", p.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A theory level's rank (none 0 … bachelor 4) from a column of codes.
fn theory_rank(column: &str) -> String {
    let arms: Vec<String> = TheoryLevel::ALL
        .iter()
        .enumerate()
        .map(|(i, l)| format!("WHEN '{}' THEN {i}", l.code()))
        .collect();
    format!("CASE {column} {} ELSE 0 END", arms.join(" "))
}

/// Whether the holder of `h` also holds `post` on the date `on`.
fn also_holds(post: Post, on: &str) -> String {
    format!(
        "h.member_id IS NOT NULL AND EXISTS (SELECT 1 FROM holdings h2 \
         WHERE h2.member_id = h.member_id AND h2.post = '{}' AND {})",
        post.code(),
        in_force("h2.from_date", "h2.to_date", on)
    )
}

fn condition(counted: Counted, window: &Window, sql: &mut Sql) -> String {
    let held = |sql: &mut Sql| {
        let on = sql.param(window.as_of);
        (in_force("h.from_date", "h.to_date", &on), on)
    };
    match counted {
        Counted::Holders(post) => {
            let (held, _) = held(sql);
            format!("h.post = '{}' AND {held}", post.code())
        }
        Counted::GroupHolders(group) => {
            let (held, _) = held(sql);
            format!(
                "h.member_id IS NOT NULL AND h.post IN ({}) AND {held}",
                posts_of(group)
            )
        }
        Counted::MeetingTheory(group) => {
            let (held, on) = held(sql);
            let editions = standards();
            let needed = editions
                .on(window.as_of)
                .rules
                .of(group)
                .and_then(|s| s.theory)
                .map(|t| TheoryLevel::ALL.iter().position(|l| *l == t).unwrap_or(0))
                .unwrap_or(0);
            format!(
                "h.member_id IS NOT NULL AND h.post IN ({}) AND {held} AND COALESCE(\
                 (SELECT MAX({}) FROM training_facts f WHERE f.member_id = h.member_id \
                  AND f.kind = 'theory' AND f.on_date <= {on}), \
                 (SELECT {} FROM members m WHERE m.id = h.member_id), 0) >= {needed}",
                posts_of(group),
                theory_rank("f.level"),
                theory_rank("m.theory_level")
            )
        }
        Counted::Moves | Counted::MovesOf(_) => {
            let from = sql.param(window.from);
            let to = sql.param(window.to);
            match counted {
                Counted::MovesOf(kind) if !kind.starts() => format!(
                    "h.end_move = '{}' AND h.to_date >= {from} AND h.to_date <= {to}",
                    kind.code()
                ),
                Counted::MovesOf(kind) => format!(
                    "h.start_move = '{}' AND h.from_date >= {from} AND h.from_date <= {to}",
                    kind.code()
                ),
                _ => format!(
                    "h.start_move IN ('appointment', 'election', 'rotation', 'reassignment', \
                     'secondment') AND h.from_date >= {from} AND h.from_date <= {to}"
                ),
            }
        }
        Counted::BranchSecretariesVillageHeads => {
            let (held, on) = held(sql);
            format!(
                "h.post = 'branch_secretary' AND {held} AND {}",
                also_holds(Post::VillageHead, &on)
            )
        }
        Counted::BranchesWithVillageHead => {
            // Each branch once, however many villages it covers.
            let (held, on) = held(sql);
            format!(
                "h.post = 'village_head' AND {held} AND NOT EXISTS (SELECT 1 FROM holdings h2 \
                 WHERE h2.unit_id = h.unit_id AND h2.post = 'village_head' AND h2.id < h.id \
                 AND {})",
                in_force("h2.from_date", "h2.to_date", &on)
            )
        }
        Counted::SecretariesCouncilChairs => {
            let (held, on) = held(sql);
            format!(
                "h.post = 'secretary' AND {held} AND {}",
                also_holds(Post::CouncilChair, &on)
            )
        }
    }
}

fn measure(definition: Definition, counted: Counted) -> Measure {
    Measure {
        definition,
        source: &HOLDINGS,
        summary: None,
        condition: Box::new(move |_: &Bounds, window: &Window, sql: &mut Sql| {
            condition(counted, window, sql)
        }),
    }
}

fn counts() -> Vec<Measure> {
    dangbo_domain::cadres::figures::counts()
        .into_iter()
        .map(|(definition, counted)| measure(definition, counted))
        .collect()
}

pub(crate) const REGISTRATION: Registration = Registration {
    counts,
    ratios: dangbo_domain::cadres::figures::ratios,
    family: |_| None,
};
