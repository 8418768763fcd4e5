//! The slashing detector, and the check that accounting and slashing agree at run time.
//!
//! The detector sees every share anyone produced (evidence can surface after the aggregation deadline): it
//! tallies each group's slots over all of them and, for every two conflicting units the group reached m on,
//! builds the `SlashingEvidence` and keeps it if the registry verifies it. Separately, every two conflicting
//! units the aggregator actually credited a group for are listed; each must be among the proven ones.

use std::collections::{BTreeMap, BTreeSet};

use super::engine::{Sch, Simulation};
use crate::accounting::{Component, Credit, GroupTally, MemberVote, tally};
use crate::slashing::{Offence, SlashingEvidence, credits_conflict};

/// Two conflicting units of one entry, each with the slot it was reached in, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ConflictKey {
    pub entry: usize,
    pub a: (u64, Credit),
    pub b: (u64, Credit),
}

impl ConflictKey {
    fn new(entry: usize, x: (u64, Credit), y: (u64, Credit)) -> Self {
        ConflictKey { entry, a: x.min(y), b: x.max(y) }
    }
}

/// A verified evidence.
pub(super) struct Detected {
    pub key: ConflictKey,
    pub offence: Offence,
}

/// The report's name of a component.
pub(super) fn component_name(c: Component) -> &'static str {
    match c {
        Component::Source => "source",
        Component::Target => "target",
        Component::Head => "head",
    }
}

/// Every pair of `units` that conflicts, by index.
fn conflicting_pairs(units: &[(u64, Credit)]) -> impl Iterator<Item = (usize, usize)> + '_ {
    (0..units.len()).flat_map(move |i| {
        (i + 1..units.len())
            .filter(move |&j| {
                let ((sa, a), (sb, b)) = (units[i], units[j]);
                credits_conflict(&a, Some(sa), &b, Some(sb)).is_some()
            })
            .map(move |j| (i, j))
    })
}

impl Simulation {
    /// Slashing evidence the detector can build from every produced share and the registry accepts.
    pub(super) fn detect_slashings(&self) -> Vec<Detected> {
        let mut found = Vec::new();
        for (e, meta) in self.entries.iter().enumerate().filter(|(_, m)| !m.single) {
            let mut by_slot: BTreeMap<u64, Vec<MemberVote<Sch>>> = BTreeMap::new();
            for (data, shares) in &self.produced[e] {
                let votes = by_slot.entry(data.slot).or_default();
                votes.extend(shares.values().map(|s| MemberVote {
                    member: s.member,
                    data: *data,
                    signature: s.signature.clone(),
                }));
            }
            let tallies: Vec<GroupTally<Sch>> =
                by_slot.iter().map(|(slot, votes)| tally(&meta.attestation, *slot, votes)).collect();
            let mut units = Vec::new();
            let mut owner = Vec::new();
            for (i, t) in tallies.iter().enumerate() {
                units.extend(t.credits.iter().map(|(c, _)| (t.slot, *c)));
                owner.extend(t.credits.iter().map(|_| i));
            }
            for (i, j) in conflicting_pairs(&units) {
                let (a, b) = ((&tallies[owner[i]], units[i].1), (&tallies[owner[j]], units[j].1));
                let Ok(evidence) = SlashingEvidence::build(e as u64, a, b) else { continue };
                if let Ok(offence) = self.registry.verify_evidence(&evidence, self.sc.slots) {
                    found.push(Detected { key: ConflictKey::new(e, units[i], units[j]), offence });
                }
            }
        }
        found
    }

    /// Every pair of conflicting units the aggregator credited a group for.
    pub(super) fn conflicting_credits(&self) -> BTreeSet<ConflictKey> {
        let mut found = BTreeSet::new();
        for (e, units) in self.credited.iter().enumerate() {
            found.extend(conflicting_pairs(units).map(|(i, j)| ConflictKey::new(e, units[i], units[j])));
        }
        found
    }
}
