//! The organization tree: unit kinds, and the tree's [`figures`].

pub mod figures;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::fold;

/// What a unit of the party organization tree is (DOMAIN.md glossary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Tỉnh ủy / Thành ủy.
    Province,
    /// Huyện ủy (abolished 1 July 2025; kept for history).
    District,
    /// Đảng ủy xã / phường / đặc khu (since 1 July 2025 directly under the province).
    Commune,
    /// Đảng ủy trực thuộc (agencies, armed forces, enterprises).
    DirectCommittee,
    /// Đảng bộ cơ sở.
    GrassrootsCommittee,
    /// Chi bộ cơ sở.
    GrassrootsBranch,
    /// Đảng bộ bộ phận.
    SubCommittee,
    /// Chi bộ trực thuộc.
    Branch,
}

impl UnitKind {
    pub const ALL: [UnitKind; 8] = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::DirectCommittee,
        UnitKind::GrassrootsCommittee,
        UnitKind::GrassrootsBranch,
        UnitKind::SubCommittee,
        UnitKind::Branch,
    ];

    /// The stable code stored in the database and used in the API.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::DirectCommittee => "direct_committee",
            UnitKind::GrassrootsCommittee => "grassroots_committee",
            UnitKind::GrassrootsBranch => "grassroots_branch",
            UnitKind::SubCommittee => "sub_committee",
            UnitKind::Branch => "branch",
        }
    }

    /// The Vietnamese name, as written in import files and shown to users.
    pub fn label_vi(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh ủy",
            UnitKind::District => "Huyện ủy",
            UnitKind::Commune => "Đảng ủy xã",
            UnitKind::DirectCommittee => "Đảng ủy trực thuộc",
            UnitKind::GrassrootsCommittee => "Đảng bộ cơ sở",
            UnitKind::GrassrootsBranch => "Chi bộ cơ sở",
            UnitKind::SubCommittee => "Đảng bộ bộ phận",
            UnitKind::Branch => "Chi bộ trực thuộc",
        }
    }

    /// Reads a kind from its code or a Vietnamese name, ignoring case and tone marks
    /// ("Chi bộ cơ sở", "chi bo co so", "grassroots_branch").
    pub fn parse(input: &str) -> Option<UnitKind> {
        let key = fold(input);
        let aliases: &[(&str, UnitKind)] = &[
            ("tinh uy", UnitKind::Province),
            ("thanh uy", UnitKind::Province),
            ("dang bo tinh", UnitKind::Province),
            ("huyen uy", UnitKind::District),
            ("dang bo huyen", UnitKind::District),
            ("dang uy xa", UnitKind::Commune),
            ("dang uy phuong", UnitKind::Commune),
            ("dang uy dac khu", UnitKind::Commune),
            ("dang uy truc thuoc", UnitKind::DirectCommittee),
            ("dang bo co so", UnitKind::GrassrootsCommittee),
            ("dang uy co so", UnitKind::GrassrootsCommittee),
            ("chi bo co so", UnitKind::GrassrootsBranch),
            ("dang bo bo phan", UnitKind::SubCommittee),
            ("chi bo truc thuoc", UnitKind::Branch),
            ("chi bo", UnitKind::Branch),
        ];
        UnitKind::ALL
            .into_iter()
            .find(|k| k.code() == key)
            .or_else(|| aliases.iter().find(|(a, _)| *a == key).map(|(_, k)| *k))
    }

    /// Grassroots party organizations (tổ chức cơ sở đảng).
    pub fn is_grassroots(self) -> bool {
        matches!(
            self,
            UnitKind::GrassrootsCommittee | UnitKind::GrassrootsBranch
        )
    }

    /// Members carry out their party activity in a chi bộ: a branch or a grassroots branch.
    pub fn holds_members(self) -> bool {
        matches!(self, UnitKind::Branch | UnitKind::GrassrootsBranch)
    }
}

/// Whether something that starts on `start` and ends on `end` (exclusive: the first day it no
/// longer exists) exists on `date`.
pub fn exists_between(start: NaiveDate, end: Option<NaiveDate>, date: NaiveDate) -> bool {
    start <= date && end.is_none_or(|end| date < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_codes_and_vietnamese_names() {
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.code()), Some(kind));
            assert_eq!(UnitKind::parse(kind.label_vi()), Some(kind), "{kind:?}");
        }
        assert_eq!(
            UnitKind::parse("CHI BO CO SO"),
            Some(UnitKind::GrassrootsBranch)
        );
        assert_eq!(UnitKind::parse("tổ đảng"), None);
    }
}
