//! The slashing detector, and the check that accounting and slashing agree at run time.
//!
//! The detector sees every share anyone produced (evidence can surface after the aggregation deadline): it
//! tallies each group's slots over all of them and keeps every evidence the registry verifies, by the rule a
//! networked node runs too (`node::detect`). Separately, every two conflicting units the aggregator actually
//! credited a group for are listed; each must be among the proven ones.

use std::collections::{BTreeMap, BTreeSet};

use super::engine::{Sch, Simulation};
use crate::accounting::{GroupTally, MemberVote, tally};
pub(super) use crate::node::detect::{ConflictKey, Detected, component_name, offence_name};
use crate::node::detect::{conflict_key, conflicting_pairs, evidence_in};

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
            let refs: Vec<&GroupTally<Sch>> = tallies.iter().collect();
            found.extend(evidence_in(&self.registry, e, &refs, self.sc.slots, &BTreeSet::new()));
        }
        found
    }

    /// Every pair of conflicting units the aggregator credited a group for.
    pub(super) fn conflicting_credits(&self) -> BTreeSet<ConflictKey> {
        let mut found = BTreeSet::new();
        for (e, units) in self.credited.iter().enumerate() {
            found.extend(conflicting_pairs(units).map(|(i, j)| conflict_key(e, units[i], units[j])));
        }
        found
    }
}
