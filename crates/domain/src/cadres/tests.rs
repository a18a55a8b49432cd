use super::standards::{Levels, Standard, shortfalls, standards};
use super::*;
use crate::members::{GeneralEducation, Qualification, TheoryLevel};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn a_branch_secretary_becomes_village_head_from_a_day() {
    let holdings = [
        Holding {
            post: Post::BranchSecretary,
            from: d(2020, 10, 1),
            to: None,
        },
        Holding {
            post: Post::VillageHead,
            from: d(2023, 1, 1),
            to: Some(d(2025, 7, 1)),
        },
    ];
    let both = |day| concurrent(&holdings, Post::BranchSecretary, Post::VillageHead, day);
    assert!(!both(d(2022, 12, 31)));
    assert!(both(d(2023, 1, 1)));
    assert!(both(d(2025, 6, 30)));
    // The end day is the first day no longer held.
    assert!(!both(d(2025, 7, 1)));
    assert!(!concurrent(
        &holdings,
        Post::BranchSecretary,
        Post::BranchSecretary,
        d(2024, 1, 1)
    ));
}

#[test]
fn a_holding_starts_by_a_starting_decision_and_ends_after_it_starts() {
    let h = Holding {
        post: Post::Secretary,
        from: d(2020, 10, 1),
        to: Some(d(2020, 10, 1)),
    };
    assert!(check_holding(&h, Move::Election).is_err());
    let h = Holding { to: None, ..h };
    assert!(check_holding(&h, Move::Election).is_ok());
    assert!(check_holding(&h, Move::Dismissal).is_err());
    assert_eq!(Move::parse("Luân chuyển"), Some(Move::Rotation));
    assert_eq!(Post::parse("trưởng thôn"), Some(Post::VillageHead));
    assert_eq!(Post::CouncilChair.group(), PostGroup::Government);
    assert!(Post::BranchSecretary.is_party_post());
}

#[test]
fn a_holder_below_the_standard_is_named_by_what_they_lack() {
    let standard = Standard {
        theory: Some(TheoryLevel::Intermediate),
        education: Some(GeneralEducation::UpperSecondary),
        qualification: Some(Qualification::Intermediate),
        max_first_age: Some(45),
    };
    let met = Levels {
        theory: Some(TheoryLevel::Advanced),
        education: Some(GeneralEducation::UpperSecondary),
        qualification: Some(Qualification::University),
    };
    assert!(shortfalls(&standard, &met, Some(40)).is_empty());
    let short = Levels {
        theory: Some(TheoryLevel::Elementary),
        ..met
    };
    let lacks = shortfalls(&standard, &short, Some(46));
    let fields: Vec<&str> = lacks.iter().map(|s| s.field).collect();
    assert_eq!(fields, ["theory", "age"]);
    // A level not recorded does not meet a standard that asks for one.
    let unknown = Levels::default();
    assert_eq!(shortfalls(&standard, &unknown, None).len(), 3);
    let editions = standards();
    let edition = editions.on(d(2021, 1, 1));
    assert_eq!(edition.document, "04/2004/QĐ-BNV");
    assert!(edition.rules.of(PostGroup::PartyCommittee).is_some());
    assert!(edition.rules.of(PostGroup::Village).is_none());
}
