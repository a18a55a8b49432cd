//! The figures of work programmes: directing documents issued in the period, by kind and by who
//! issued them (the unit's own committee, the units under it, the mass organizations beside it);
//! and the targets set for the period, in all and those met ("47/55"), by domain.

use crate::figures::{Definition, Timing};

use super::{DocumentKind, Domain};

/// Who issued a document, seen from the unit a figure is counted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuedBy {
    /// Any issuer in the subtree.
    Anyone,
    /// The unit's own committee (or its standing committee).
    Itself,
    /// The committees of the units under it.
    SubUnits,
    /// The Fatherland Front and the mass organizations beside the unit or under it.
    MassOrganizations,
}

impl IssuedBy {
    const ALL: [IssuedBy; 4] = [
        IssuedBy::Anyone,
        IssuedBy::Itself,
        IssuedBy::SubUnits,
        IssuedBy::MassOrganizations,
    ];

    /// The part of the key after `documents.issued`.
    fn key_part(self) -> &'static str {
        match self {
            IssuedBy::Anyone => "",
            IssuedBy::Itself => ".own",
            IssuedBy::SubUnits => ".sub_units",
            IssuedBy::MassOrganizations => ".mass_organizations",
        }
    }

    fn label(self) -> &'static str {
        match self {
            IssuedBy::Anyone => "",
            IssuedBy::Itself => " của cấp ủy",
            IssuedBy::SubUnits => " của cấp ủy cấp dưới",
            IssuedBy::MassOrganizations => " của Mặt trận, đoàn thể",
        }
    }
}

/// The counts the catalogue lists: every document issued, and by issuer.
pub fn counts() -> Vec<(Definition, IssuedBy, Option<DocumentKind>)> {
    IssuedBy::ALL
        .iter()
        .map(|&by| {
            (
                Definition::count(
                    &format!("documents.issued{}", by.key_part()),
                    &format!("Văn bản ban hành{}", by.label()),
                    Timing::Flow,
                ),
                by,
                None,
            )
        })
        .collect()
}

/// A count by kind, `documents.issued[.own|.sub_units|.mass_organizations].<kind>`
/// (`documents.issued.own.thematic_resolution`: the committee's own thematic resolutions).
pub fn family(key: &str) -> Option<(Definition, IssuedBy, Option<DocumentKind>)> {
    let rest = key.strip_prefix("documents.issued.")?;
    let (by, kind) = IssuedBy::ALL
        .iter()
        .filter(|by| **by != IssuedBy::Anyone)
        .find_map(|&by| {
            rest.strip_prefix(&by.key_part()[1..])
                .and_then(|k| k.strip_prefix('.'))
                .map(|k| (by, k))
        })
        .unwrap_or((IssuedBy::Anyone, rest));
    let kind = DocumentKind::ALL
        .iter()
        .copied()
        .find(|k| k.code() == kind)?;
    Some((
        Definition::count(
            key,
            &format!("{} ban hành{}", kind.label_vi(), by.label()),
            Timing::Flow,
        ),
        by,
        Some(kind),
    ))
}

/// Which targets a target figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetsCounted {
    /// Every target whose period overlaps the period asked about.
    Set,
    /// Those of them achieved, as judged on what is counted up to the period's end.
    Met,
}

impl TargetsCounted {
    fn key(self) -> &'static str {
        match self {
            TargetsCounted::Set => "targets.total",
            TargetsCounted::Met => "targets.met",
        }
    }

    fn label(self) -> &'static str {
        match self {
            TargetsCounted::Set => "Chỉ tiêu",
            TargetsCounted::Met => "Chỉ tiêu đạt",
        }
    }
}

/// The share of targets met, "47/55".
pub const TARGETS_MET_SHARE: &str = "targets.met_share";

/// Whether a figure counts targets: a target cannot be bound to one (it would judge itself).
pub fn counts_targets(key: &str) -> bool {
    key.starts_with("targets.")
}

/// `targets.total` and `targets.met`, every domain together.
pub fn target_counts() -> Vec<(Definition, TargetsCounted, Option<Domain>)> {
    [TargetsCounted::Set, TargetsCounted::Met]
        .into_iter()
        .map(|counted| {
            (
                Definition::count(counted.key(), counted.label(), Timing::Flow),
                counted,
                None,
            )
        })
        .collect()
}

/// `targets.total.<domain>` and `targets.met.<domain>` for the four main domains (a field of
/// party building counts in `party_building`).
pub fn target_family(key: &str) -> Option<(Definition, TargetsCounted, Option<Domain>)> {
    [TargetsCounted::Set, TargetsCounted::Met]
        .into_iter()
        .find_map(|counted| {
            let code = key.strip_prefix(counted.key())?.strip_prefix('.')?;
            let domain = Domain::MAIN.into_iter().find(|d| d.code() == code)?;
            Some((
                Definition::count(
                    key,
                    &format!("{}: {}", counted.label(), domain.label_vi().to_lowercase()),
                    Timing::Flow,
                ),
                counted,
                Some(domain),
            ))
        })
}

/// The ratio of targets met over targets set.
pub fn target_ratios() -> Vec<Definition> {
    vec![Definition::ratio(
        TARGETS_MET_SHARE,
        "Tỷ lệ chỉ tiêu đạt",
        TargetsCounted::Met.key(),
        TargetsCounted::Set.key(),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_by_issuer_and_kind() {
        let keys: Vec<String> = counts().into_iter().map(|(d, ..)| d.key).collect();
        assert_eq!(
            keys,
            [
                "documents.issued",
                "documents.issued.own",
                "documents.issued.sub_units",
                "documents.issued.mass_organizations"
            ]
        );
        let (definition, by, kind) = family("documents.issued.own.thematic_resolution").unwrap();
        assert_eq!(
            (by, kind),
            (IssuedBy::Itself, Some(DocumentKind::ThematicResolution))
        );
        assert_eq!(
            definition.label_vi,
            "Nghị quyết chuyên đề ban hành của cấp ủy"
        );
        let (_, by, kind) = family("documents.issued.plan").unwrap();
        assert_eq!((by, kind), (IssuedBy::Anyone, Some(DocumentKind::Plan)));
        assert!(
            family("documents.issued.own").is_none(),
            "a catalogue count, not a family"
        );
        assert!(family("documents.issued.own.memo").is_none());
        assert!(family("documents.issued.sub_units.plan.x").is_none());
    }

    #[test]
    fn target_keys_by_domain() {
        let keys: Vec<String> = target_counts().into_iter().map(|(d, ..)| d.key).collect();
        assert_eq!(keys, ["targets.total", "targets.met"]);
        let (definition, counted, domain) = target_family("targets.met.economy").unwrap();
        assert_eq!(
            (counted, domain),
            (TargetsCounted::Met, Some(Domain::Economy))
        );
        assert_eq!(definition.label_vi, "Chỉ tiêu đạt: kinh tế");
        assert!(target_family("targets.total.party_building").is_some());
        assert!(
            target_family("targets.total.organization").is_none(),
            "a field of party building counts in party building"
        );
        assert!(target_family("targets.met").is_none());
        assert!(target_family("targets.metric.economy").is_none());
        assert!(counts_targets("targets.met_share"));
    }
}
