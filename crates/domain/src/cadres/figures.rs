//! Cadre work's figures: holders of each post on a date, the moves of a period by kind, the
//! concurrency shares (branch secretaries who are also village heads; committee secretaries who
//! also chair the People's Council), and the share of each group's holders meeting its
//! political-theory standard on the date.

use crate::figures::{Definition, Timing};

use super::{Move, Post, PostGroup};

/// What a cadres count keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Holdings of a post held on the date.
    Holders(Post),
    /// Holdings of a group's posts held on the date (members only: their levels are known).
    GroupHolders(PostGroup),
    /// Of those, the holders whose theory level on the date meets the group's standard.
    MeetingTheory(PostGroup),
    /// Holdings started in the period by a decision that brings a cadre into a post.
    Moves,
    /// Holdings started (or, for the ending kinds, ended) in the period by one kind.
    MovesOf(Move),
    /// Branch secretaries on the date who are also a village head then.
    BranchSecretariesVillageHeads,
    /// Branches with a village head on the date.
    BranchesWithVillageHead,
    /// Committee secretaries on the date who also chair the People's Council then.
    SecretariesCouncilChairs,
}

/// Every count, in the order reports list them.
pub fn counts() -> Vec<(Definition, Counted)> {
    let stock = |key: String, label: String, c| (Definition::count(&key, &label, Timing::Stock), c);
    let flow = |key: String, label: String, c| (Definition::count(&key, &label, Timing::Flow), c);
    let mut list = Vec::new();
    for &post in Post::ALL {
        list.push(stock(
            format!("positions.holders.{}", post.code()),
            format!("Số người giữ chức {}", post.label_vi()),
            Counted::Holders(post),
        ));
    }
    list.push(stock(
        "positions.branch_secretaries_village_heads".into(),
        "Bí thư chi bộ kiêm trưởng thôn, tổ trưởng tổ dân phố".into(),
        Counted::BranchSecretariesVillageHeads,
    ));
    list.push(stock(
        "positions.branches_with_village_head".into(),
        "Chi bộ gắn với thôn, tổ dân phố có trưởng thôn".into(),
        Counted::BranchesWithVillageHead,
    ));
    list.push(stock(
        "positions.secretaries_council_chairs".into(),
        "Bí thư cấp ủy kiêm Chủ tịch HĐND".into(),
        Counted::SecretariesCouncilChairs,
    ));
    for &group in PostGroup::ALL {
        list.push(stock(
            format!("positions.group.{}", group.code()),
            format!("{} là đảng viên đang giữ chức", group.label_vi()),
            Counted::GroupHolders(group),
        ));
        list.push(stock(
            format!("positions.meeting_theory_standard.{}", group.code()),
            format!("{} đạt chuẩn lý luận chính trị", group.label_vi()),
            Counted::MeetingTheory(group),
        ));
    }
    list.push(flow(
        "cadres.moves".into(),
        "Cán bộ được bổ nhiệm, bầu, luân chuyển, điều động, biệt phái".into(),
        Counted::Moves,
    ));
    for &kind in Move::ALL {
        list.push(flow(
            format!("cadres.moves.{}", kind.code()),
            format!("Cán bộ: {}", kind.label_vi().to_lowercase()),
            Counted::MovesOf(kind),
        ));
    }
    list
}

/// The concurrency shares and the standard's shares by group.
pub fn ratios() -> Vec<Definition> {
    let mut list = vec![
        Definition::ratio(
            "positions.concurrent.branch_secretary_village_head",
            "Tỷ lệ bí thư chi bộ kiêm trưởng thôn, tổ trưởng tổ dân phố",
            "positions.branch_secretaries_village_heads",
            "positions.branches_with_village_head",
        ),
        Definition::ratio(
            "positions.concurrent.secretary_council_chair",
            "Tỷ lệ bí thư cấp ủy kiêm Chủ tịch HĐND",
            "positions.secretaries_council_chairs",
            "positions.holders.secretary",
        ),
    ];
    for &group in PostGroup::ALL {
        list.push(Definition::ratio(
            &format!("positions.theory_standard.{}", group.code()),
            &format!(
                "Tỷ lệ {} đạt chuẩn lý luận chính trị",
                group.label_vi().to_lowercase()
            ),
            &format!("positions.meeting_theory_standard.{}", group.code()),
            &format!("positions.group.{}", group.code()),
        ));
    }
    list
}
