use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn facts(form: Discipline, violation_on: NaiveDate, decided_on: NaiveDate) -> DecisionFacts {
    DecisionFacts {
        subject: SubjectKind::FullMember,
        form,
        violation_on,
        decided_on,
        no_limit_kind: false,
    }
}

#[test]
fn a_probationer_is_neither_dismissed_nor_expelled() {
    let mut f = facts(Discipline::Expulsion, d(2024, 1, 1), d(2024, 6, 1));
    f.subject = SubjectKind::ProbationaryMember;
    assert_eq!(check_decision(&f).unwrap_err().rule, "discipline.form");
    f.subject = SubjectKind::Organization;
    assert_eq!(check_decision(&f).unwrap_err().rule, "discipline.form");
    f.form = Discipline::Dissolution;
    assert!(check_decision(&f).is_ok());
}

#[test]
fn the_limitation_period_runs_from_the_violation() {
    // Reprimand-level: five years; the last day inside is the day before the fifth anniversary.
    let inside = facts(Discipline::Reprimand, d(2019, 3, 10), d(2024, 3, 9));
    assert!(check_decision(&inside).is_ok());
    let late = facts(Discipline::Reprimand, d(2019, 3, 10), d(2024, 3, 10));
    let problem = check_decision(&late).unwrap_err();
    assert_eq!(problem.rule, "discipline.limitation");
    assert!(problem.message.contains("5 năm") && problem.message.contains("10/03/2024"));
    // Warning-level: ten years; expulsion has no limit, nor a kind with no limit.
    assert!(check_decision(&facts(Discipline::Warning, d(2015, 1, 1), d(2024, 12, 31))).is_ok());
    assert!(check_decision(&facts(Discipline::Warning, d(2014, 1, 1), d(2024, 1, 1))).is_err());
    assert!(check_decision(&facts(Discipline::Expulsion, d(2001, 1, 1), d(2024, 1, 1))).is_ok());
    let mut political = facts(Discipline::Warning, d(2001, 1, 1), d(2024, 1, 1));
    political.no_limit_kind = true;
    assert!(check_decision(&political).is_ok());
}

#[test]
fn a_decision_before_its_violation_is_refused() {
    let f = facts(Discipline::Warning, d(2024, 5, 1), d(2024, 4, 1));
    assert_eq!(check_decision(&f).unwrap_err().rule, "discipline.dates");
}

#[test]
fn a_complaint_is_settled_within_thirty_working_days() {
    let mut calendar = Calendar::new();
    let received = d(2026, 1, 5);
    let deadline = complaint_deadline(&mut calendar, received);
    assert_eq!(calendar.working_days_between(received, deadline), 30);
    assert!(calendar.is_working_day(deadline));
}

#[test]
fn expulsion_does_not_lapse() {
    assert_eq!(lapses_on(Discipline::Expulsion, d(2023, 1, 1)), None);
    assert_eq!(
        lapses_on(Discipline::Warning, d(2023, 1, 1)),
        Some(d(2024, 1, 1))
    );
    // QĐ 296's rule on lapsing is not verified: no date is made up.
    assert_eq!(lapses_on(Discipline::Warning, d(2025, 6, 1)), None);
}

#[test]
fn who_may_decide_which_form() {
    use crate::tree::UnitKind as K;
    let on = d(2025, 7, 1);
    let member = SubjectKind::FullMember;
    assert!(check_authority(K::Branch, true, member, Discipline::Warning, on).is_ok());
    let refused = check_authority(K::Branch, true, member, Discipline::Expulsion, on);
    assert_eq!(refused.unwrap_err().rule, "discipline.authority");
    assert!(
        check_authority(
            K::GrassrootsCommittee,
            false,
            member,
            Discipline::Expulsion,
            on
        )
        .is_ok()
    );
    // An organization is disciplined from above, never by itself; a sub-committee only reviews.
    let org = SubjectKind::Organization;
    assert!(check_authority(K::GrassrootsCommittee, true, org, Discipline::Reprimand, on).is_err());
    assert!(
        check_authority(
            K::GrassrootsCommittee,
            false,
            org,
            Discipline::Reprimand,
            on
        )
        .is_ok()
    );
    assert!(
        check_authority(
            K::GrassrootsCommittee,
            false,
            org,
            Discipline::Dissolution,
            on
        )
        .is_err()
    );
    assert!(check_authority(K::District, false, org, Discipline::Dissolution, on).is_ok());
    assert!(check_authority(K::SubCommittee, false, member, Discipline::Reprimand, on).is_err());
}
