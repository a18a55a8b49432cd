//! The ratings' figures in the engine: the current year ratings of the review year of the date
//! asked, of members (at the branch where they were rated) and of grassroots organizations, by
//! level as the year's scheme defines it.

use chrono::Datelike;
use dangbo_domain::figures::{Definition, Window};
use dangbo_domain::ratings::figures::{Rated, RatingsCounted};
use dangbo_domain::ratings::{Period, levels, scheme_for};

use crate::engine::sql::in_subtree;
use crate::figures::{Bounds, KeyType, Measure, Registration, Source, Sql};

/// Current year ratings, by the unit where they count.
pub(crate) struct Ratings;

static RATINGS: Ratings = Ratings;

impl Source for Ratings {
    fn name(&self) -> &'static str {
        "ratings"
    }

    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String) {
        let year = sql.param(i64::from(window.as_of.year()));
        (
            "ratings r".to_string(),
            format!(
                "{} AND r.year = {year} AND r.quarter IS NULL AND r.current = 1",
                in_subtree("r.unit_path", bounds.lo, bounds.hi)
            ),
        )
    }

    fn record_columns(&self, _window: &Window, _sql: &mut Sql) -> String {
        "COALESCE((SELECT m.code FROM members m WHERE m.id = r.member_id), \
                  (SELECT u.code FROM units u WHERE u.id = r.unit_id)) AS code, \
         COALESCE((SELECT m.full_name FROM members m WHERE m.id = r.member_id), \
                  (SELECT n.name FROM unit_names n WHERE n.unit_id = r.unit_id \
                   ORDER BY n.from_date DESC LIMIT 1)) AS name, \
         (SELECT u.code FROM units u WHERE u.id = r.unit_id) AS unit_code, \
         NULL AS record_date, r.level AS detail, \
         r.subject || ' ' || CAST(r.year AS TEXT) AS note"
            .to_string()
    }

    fn record_kind(&self) -> &'static str {
        "rating"
    }

    /// The level in words, as the scheme of the rating's year names it ("member 2021").
    fn detail(&self, level: String, subject_and_year: String) -> String {
        let (subject, year) = subject_and_year
            .split_once(' ')
            .unwrap_or((subject_and_year.as_str(), ""));
        let (Some(subject), Ok(year)) = (
            dangbo_domain::ratings::Subject::parse(subject),
            year.parse::<i32>(),
        ) else {
            return level;
        };
        dangbo_domain::ratings::level_words(Period::year(year), subject, &level)
    }

    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        Some(&[("r.unit_path", KeyType::Text), ("r.id", KeyType::Int)])
    }
}

fn measure(definition: Definition, rated: Rated, counted: RatingsCounted) -> Measure {
    Measure {
        definition,
        source: &RATINGS,
        summary: None,
        condition: Box::new(move |_: &Bounds, window: &Window, sql: &mut Sql| {
            let subject = rated.subject();
            let who = match rated {
                Rated::Members => "r.subject = 'member'".to_string(),
                // The kinds are the program's own codes, written inline: a condition that ends
                // up "1 = 0" must leave no parameter unused.
                _ => {
                    let kinds: Vec<String> = rated
                        .unit_kinds()
                        .iter()
                        .map(|k| format!("'{k}'"))
                        .collect();
                    format!(
                        "(r.subject = 'organization' AND (SELECT u.kind FROM units u \
                         WHERE u.id = r.unit_id) IN ({}))",
                        kinds.join(", ")
                    )
                }
            };
            let year = window.as_of.year();
            let scheme = &scheme_for(Period::year(year)).rules;
            let list = levels(scheme, subject);
            let codes: Vec<&str> = match counted {
                RatingsCounted::Rated => return who,
                RatingsCounted::FailingTwoYears => {
                    // Failing this year and, under the year before's scheme, the year before.
                    let failing = |year: i32, sql: &mut Sql| -> Vec<String> {
                        levels(&scheme_for(Period::year(year)).rules, subject)
                            .iter()
                            .filter(|l| l.failing)
                            .map(|l| sql.param(l.code))
                            .collect()
                    };
                    let now = failing(year, sql);
                    let before = failing(year - 1, sql);
                    let previous_year = sql.param(i64::from(year - 1));
                    return format!(
                        "({who} AND r.level IN ({}) AND EXISTS (SELECT 1 FROM ratings p \
                         WHERE p.member_id = r.member_id AND p.year = {previous_year} \
                         AND p.quarter IS NULL AND p.current = 1 AND p.level IN ({})))",
                        now.join(", "),
                        before.join(", ")
                    );
                }
                RatingsCounted::GoodOrBetter => list
                    .iter()
                    .filter(|l| l.good_or_better)
                    .map(|l| l.code)
                    .collect(),
                RatingsCounted::Failing => {
                    list.iter().filter(|l| l.failing).map(|l| l.code).collect()
                }
                RatingsCounted::Level(code) => list
                    .iter()
                    .filter(|l| l.code == code || l.also_counts_as == Some(code))
                    .map(|l| l.code)
                    .collect(),
            };
            if codes.is_empty() {
                return "1 = 0".to_string();
            }
            let codes: Vec<String> = codes.into_iter().map(|c| sql.param(c)).collect();
            format!("({who} AND r.level IN ({}))", codes.join(", "))
        }),
    }
}

fn counts() -> Vec<Measure> {
    dangbo_domain::ratings::figures::counts()
        .into_iter()
        .map(|(definition, rated, counted)| measure(definition, rated, counted))
        .collect()
}

pub(crate) const REGISTRATION: Registration = Registration {
    counts,
    ratios: dangbo_domain::ratings::figures::ratios,
    family: |_| None,
};
