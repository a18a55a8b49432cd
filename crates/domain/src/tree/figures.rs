//! The organization tree's figures: units of given kinds existing on a date in a subtree.

use crate::figures::{Definition, Timing};
use crate::tree::UnitKind;

/// The unit counts: each counts the units of some kinds existing on the date, the root included.
pub fn counts() -> Vec<(Definition, Vec<UnitKind>)> {
    let count = |key: &str, label: &str, kinds: Vec<UnitKind>| {
        (Definition::count(key, label, Timing::Stock), kinds)
    };
    vec![
        count(
            "units.grassroots",
            "Tổ chức cơ sở đảng",
            vec![UnitKind::GrassrootsCommittee, UnitKind::GrassrootsBranch],
        ),
        count(
            "units.grassroots_committees",
            "Đảng bộ cơ sở",
            vec![UnitKind::GrassrootsCommittee],
        ),
        count(
            "units.grassroots_branches",
            "Chi bộ cơ sở",
            vec![UnitKind::GrassrootsBranch],
        ),
        count(
            "units.communes",
            "Đảng bộ xã, phường",
            vec![UnitKind::Commune],
        ),
        count(
            "units.sub_committees",
            "Đảng bộ bộ phận",
            vec![UnitKind::SubCommittee],
        ),
        count(
            "units.branches",
            "Chi bộ trực thuộc",
            vec![UnitKind::Branch],
        ),
    ]
}
