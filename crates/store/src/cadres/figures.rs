//! Cadre work's figures in the engine, over the holdings of a subtree and the training facts of
//! its members. A holder's level on the date is the highest of their training facts dated by
//! then, or, for a member with no facts of the kind, the level on their record. People are
//! counted once per figure: a holding counts unless the same person has an earlier one that the
//! figure also keeps in the same subtree.

use dangbo_domain::cadres::figures::Counted;
use dangbo_domain::cadres::standards::standards;
use dangbo_domain::cadres::{Move, Post, PostGroup};
use dangbo_domain::education::TrainingKind;
use dangbo_domain::figures::Window;

use super::training::person_rank_on;
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
        "(SELECT COALESCE(pm.code, pp.code, '') FROM persons pp LEFT JOIN members pm \
         ON pm.id = pp.member_id WHERE pp.id = h.person_id) AS code, \
         (SELECT COALESCE(pm.full_name, pp.full_name) FROM persons pp LEFT JOIN members pm \
         ON pm.id = pp.member_id WHERE pp.id = h.person_id) AS name, \
         (SELECT u.code FROM units u WHERE u.id = h.unit_id) AS unit_code, \
         h.from_date AS record_date, h.post AS detail, h.start_move AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "holding"
    }

    fn detail(&self, post: String, start: String) -> String {
        let post = Post::parse(&post).map_or(post, |p| p.label_vi().to_string());
        match Move::parse(&start) {
            Some(start) => format!("{post} ({})", start.label_vi().to_lowercase()),
            None => post,
        }
    }
}

/// The training facts of members, where the member was on the fact's day.
struct Training;

static TRAINING: Training = Training;

impl Source for Training {
    fn name(&self) -> &'static str {
        "training"
    }

    fn rows(&self, bounds: &Bounds, _window: &Window, _sql: &mut Sql) -> (String, String) {
        (
            "training_facts tf JOIN persons tp ON tp.id = tf.person_id \
             JOIN member_spans ts ON ts.member_id = tp.member_id"
                .to_string(),
            format!(
                "{} AND ts.status <> '' AND {}",
                in_subtree("ts.unit_path", bounds.lo, bounds.hi),
                in_force("ts.from_date", "ts.to_date", "tf.on_date")
            ),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "(SELECT m.code FROM members m WHERE m.id = tp.member_id) AS code, \
         (SELECT m.full_name FROM members m WHERE m.id = tp.member_id) AS name, \
         (SELECT u.code FROM units u WHERE u.id = ts.unit_id) AS unit_code, \
         tf.on_date AS record_date, tf.institution AS detail, tf.diploma AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "member"
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

/// The codes of the moves that bring someone into a post.
fn starting_moves() -> String {
    Move::ALL
        .iter()
        .filter(|m| m.starts())
        .map(|m| format!("'{}'", m.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `h` is the first of its person's holdings kept by `keeps` (a condition on `h2`) in the subtree.
fn first_of_person(bounds: &Bounds, keeps: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM holdings h2 WHERE h2.person_id = h.person_id AND h2.id < h.id \
         AND {} AND {keeps})",
        in_subtree("h2.unit_path", bounds.lo, bounds.hi)
    )
}

/// `h` is the first holding of its unit kept by `keeps` (a condition on `h2`).
fn first_of_unit(keeps: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM holdings h2 WHERE h2.unit_id = h.unit_id AND h2.id < h.id \
         AND {keeps})"
    )
}

/// The holder of the holding `alias` also holds `post` in the same unit on `on`.
fn also_holds(alias: &str, post: Post, on: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM holdings h3 WHERE h3.person_id = {alias}.person_id \
         AND h3.unit_id = {alias}.unit_id AND h3.post = '{}' AND {})",
        post.code(),
        in_force("h3.from_date", "h3.to_date", on)
    )
}

/// The holdings of `alias` of posts `posts` held on `on`.
fn held(alias: &str, posts: &str, on: &str) -> String {
    format!(
        "{alias}.post IN ({posts}) AND {}",
        in_force(
            &format!("{alias}.from_date"),
            &format!("{alias}.to_date"),
            on
        )
    )
}

/// The rank of the theory level a group's standard asks for on a day, if it asks for one.
fn theory_needed(group: PostGroup, window: &Window) -> Option<usize> {
    let editions = standards();
    let needed = editions.on(window.as_of).rules.of(group)?.theory?;
    TrainingKind::Theory
        .parse_level(needed.code())
        .map(|(rank, _)| rank)
}

fn condition(counted: Counted, bounds: &Bounds, window: &Window, sql: &mut Sql) -> String {
    match counted {
        Counted::Holders(post) => {
            let on = sql.param(window.as_of);
            let posts = format!("'{}'", post.code());
            format!(
                "{} AND {}",
                held("h", &posts, &on),
                first_of_person(bounds, &held("h2", &posts, &on))
            )
        }
        Counted::GroupHolders(group)
        | Counted::MeetingTheory(group)
        | Counted::BelowTheory(group) => {
            // A group without a theory standard on the date has no share: nothing is counted.
            let Some(needed) = theory_needed(group, window) else {
                return "1 = 0".to_string();
            };
            let on = sql.param(window.as_of);
            let posts = posts_of(group);
            let holders = format!(
                "{} AND {}",
                held("h", &posts, &on),
                first_of_person(bounds, &held("h2", &posts, &on))
            );
            let rank = person_rank_on(TrainingKind::Theory, "h.person_id", &on);
            match counted {
                Counted::MeetingTheory(_) => format!("{holders} AND {rank} >= {needed}"),
                Counted::BelowTheory(_) => format!("{holders} AND {rank} < {needed}"),
                _ => holders,
            }
        }
        Counted::Moves | Counted::MovesOf(_) => {
            let from = sql.param(window.from);
            let to = sql.param(window.to);
            let (column, moves) = match counted {
                Counted::MovesOf(kind) if !kind.starts() => {
                    ("to_date", format!("'{}'", kind.code()))
                }
                Counted::MovesOf(kind) => ("from_date", format!("'{}'", kind.code())),
                _ => ("from_date", starting_moves()),
            };
            let move_column = if column == "to_date" {
                "end_move"
            } else {
                "start_move"
            };
            let keeps = |alias: &str| {
                format!(
                    "{alias}.{move_column} IN ({moves}) AND {alias}.{column} >= {from} \
                     AND {alias}.{column} <= {to}"
                )
            };
            format!(
                "{} AND {}",
                keeps("h"),
                first_of_person(bounds, &keeps("h2"))
            )
        }
        Counted::BranchSecretariesVillageHeads | Counted::SecretariesCouncilChairs => {
            let (post, other) = if counted == Counted::SecretariesCouncilChairs {
                (Post::Secretary, Post::CouncilChair)
            } else {
                (Post::BranchSecretary, Post::VillageHead)
            };
            let on = sql.param(window.as_of);
            let posts = format!("'{}'", post.code());
            let keeps = |alias: &str| {
                format!(
                    "{} AND {}",
                    held(alias, &posts, &on),
                    also_holds(alias, other, &on)
                )
            };
            // Each unit once, even when two of its holders of the post overlap.
            format!("{} AND {}", keeps("h"), first_of_unit(&keeps("h2")))
        }
        Counted::BranchesWithVillageHead | Counted::UnitsWithCouncilChair => {
            let post = if counted == Counted::UnitsWithCouncilChair {
                Post::CouncilChair
            } else {
                Post::VillageHead
            };
            let on = sql.param(window.as_of);
            let posts = format!("'{}'", post.code());
            format!(
                "{} AND {}",
                held("h", &posts, &on),
                first_of_unit(&held("h2", &posts, &on))
            )
        }
        Counted::Trained(..) => "1 = 0".to_string(),
    }
}

/// A member counts once per level reached in the period, at the first fact of it.
fn trained(kind: TrainingKind, level: &str, window: &Window, sql: &mut Sql) -> String {
    let from = sql.param(window.from);
    let to = sql.param(window.to);
    format!(
        "tf.kind = '{}' AND tf.level = '{level}' AND tf.on_date >= {from} AND tf.on_date <= {to} \
         AND NOT EXISTS (SELECT 1 FROM training_facts tf2 WHERE tf2.person_id = tf.person_id \
         AND tf2.kind = tf.kind AND tf2.level = tf.level AND tf2.on_date >= {from} \
         AND (tf2.on_date < tf.on_date OR (tf2.on_date = tf.on_date AND tf2.id < tf.id)))",
        kind.code()
    )
}

fn measure(definition: dangbo_domain::figures::Definition, counted: Counted) -> Measure {
    if let Counted::Trained(kind, level) = counted {
        return Measure {
            definition,
            source: &TRAINING,
            summary: None,
            condition: Box::new(move |_: &Bounds, window: &Window, sql: &mut Sql| {
                trained(kind, level, window, sql)
            }),
        };
    }
    Measure {
        definition,
        source: &HOLDINGS,
        summary: None,
        condition: Box::new(move |bounds: &Bounds, window: &Window, sql: &mut Sql| {
            condition(counted, bounds, window, sql)
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
