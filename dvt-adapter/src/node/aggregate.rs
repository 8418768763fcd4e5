//! Aggregating a slot's votes (interval 2) and justifying a checkpoint from the aggregates, sans IO.
//!
//! An aggregator keeps the verified votes of the slots it aggregates; at interval 2 it tallies each registry
//! entry's votes (as [`crate::accounting::tally`] defines a quorum) and puts every entry that reached one
//! into the [`ConcatAggregate`] of the voted data: a group's m shares as one group signature, a single
//! validator's signature as it is. Every node (aggregator or not) feeds the aggregates it received and
//! verified to its [`Justifier`], which justifies a target once aggregates with the node's justified source
//! carry two thirds of the registry's balance. The simulator's aggregator builds its aggregates with the
//! same [`add_entry`] and justifies with the same [`supermajority`] rule.

use std::collections::{BTreeMap, BTreeSet};

use ndvt_aggregation::{AggregateError, BitList, ConcatAggregate, GroupKey, GroupSignature, Scheme, Share};

use crate::accounting::{MemberVote, tally};
use crate::containers::{AttestationData, Checkpoint};

/// How many identities aggregate each slot: two, so that one crashed or late aggregator loses nothing.
pub const AGGREGATORS_PER_SLOT: usize = 2;

/// How many open slots an aggregator keeps votes for, and how far behind the newest vote an open slot may
/// fall before it is dropped unclosed. The validator refuses votes for slots far in the future before they
/// get here; this bounds memory on its own. It is not a distance from the last closed slot: the duty
/// rotates, so a node's next slot to aggregate is up to half the identities away from its last.
const KEPT_SLOTS: u64 = 4;

/// True if identity `identity` (of `identities`) aggregates `slot`: identities `slot mod N` and the one half
/// the list away, so the duty rotates through every node and its two holders are far apart in the list.
pub fn is_aggregator(identity: usize, slot: u64, identities: usize) -> bool {
    let n = identities.max(1);
    let first = (slot % n as u64) as usize;
    (0..AGGREGATORS_PER_SLOT.min(n)).any(|k| (first + k * n.div_ceil(AGGREGATORS_PER_SLOT)) % n == identity)
}

/// True if `weight` is a two-thirds supermajority of `total` (lean's justification threshold).
pub fn supermajority(weight: u64, total: u64) -> bool {
    u128::from(weight) * 3 >= u128::from(total) * 2
}

/// True if `weight` is more than a third of `total`: with less than a third of the balance Byzantine (the
/// assumption justification rests on), such a set holds at least one honest entry.
pub fn honest_witness(weight: u64, total: u64) -> bool {
    u128::from(weight) * 3 > u128::from(total)
}

/// Adds entry `entry`'s full quorums (`full`: data and member mask, from its tally) to the aggregates of
/// their data, taking each member's first vote of that data from `votes`. Returns how many member
/// signatures went in.
pub fn add_entry<S: Scheme>(
    aggregates: &mut BTreeMap<AttestationData, ConcatAggregate<S>>,
    entry: usize,
    key: &GroupKey<S>,
    single: bool,
    votes: &[MemberVote<S>],
    full: &[(AttestationData, u16)],
    registry_len: usize,
) -> Result<u64, AggregateError> {
    let mut added = 0;
    for (data, mask) in full {
        // One hash tree root per data, not one per share.
        let root = data.signing_root();
        let agg =
            aggregates.entry(*data).or_insert_with(|| ConcatAggregate::new(data.slot, root, registry_len));
        let mut shares: BTreeMap<u8, Share<S>> = BTreeMap::new();
        for v in votes.iter().filter(|v| v.data == *data && mask >> v.member & 1 == 1) {
            shares.entry(v.member).or_insert_with(|| Share {
                member: v.member,
                epoch: data.slot,
                message: root,
                signature: v.signature.clone(),
            });
        }
        let shares: Vec<Share<S>> = shares.into_values().collect();
        added += shares.len() as u64;
        if single {
            if let Some(s) = shares.first() {
                agg.add_single(entry, s.signature.clone())?;
            }
        } else if let Ok(group) = GroupSignature::combine(key, &shares) {
            agg.add_group(entry, &group)?;
        }
    }
    Ok(added)
}

/// A registry entry as an aggregator sees it.
#[derive(Clone, Debug)]
pub struct Voter<S: Scheme> {
    /// Its attestation keys (a 1-of-1 group for a single validator).
    pub key: GroupKey<S>,
    /// A single validator's part is its bare signature.
    pub single: bool,
}

/// An aggregator's votes, per slot and registry entry, in arrival order.
pub struct Aggregator<S: Scheme> {
    voters: Vec<Voter<S>>,
    votes: BTreeMap<u64, BTreeMap<usize, Vec<MemberVote<S>>>>,
    /// The latest slot closed: its votes and older ones can no longer be aggregated.
    closed: Option<u64>,
}

impl<S: Scheme> Aggregator<S> {
    /// An aggregator over a registry of `voters`, in registry order.
    pub fn new(voters: Vec<Voter<S>>) -> Self {
        Aggregator { voters, votes: BTreeMap::new(), closed: None }
    }

    /// Keeps a vote for entry `entry` (checked again, with the entry's key, when the slot is closed). Votes for
    /// an unknown entry or a slot already closed are not kept; open slots more than [`KEPT_SLOTS`] behind the
    /// vote are dropped (their close never came), and a vote for yet another slot beyond [`KEPT_SLOTS`] open
    /// ones is not kept.
    pub fn add(&mut self, entry: usize, vote: MemberVote<S>) {
        let slot = vote.data.slot;
        if entry >= self.voters.len() || self.closed.is_some_and(|last| slot <= last) {
            return;
        }
        self.votes = self.votes.split_off(&slot.saturating_sub(KEPT_SLOTS));
        if !self.votes.contains_key(&slot) && self.votes.len() as u64 >= KEPT_SLOTS {
            return;
        }
        self.votes.entry(slot).or_default().entry(entry).or_default().push(vote);
    }

    /// Closes `slot` (and every slot before it): its aggregates, one per voted data, in data order.
    pub fn close(&mut self, slot: u64) -> Result<Vec<(AttestationData, ConcatAggregate<S>)>, AggregateError> {
        let votes = self.votes.remove(&slot).unwrap_or_default();
        self.votes = self.votes.split_off(&slot);
        self.closed = Some(self.closed.map_or(slot, |last| last.max(slot)));
        let mut aggregates = BTreeMap::new();
        for (entry, list) in &votes {
            let voter = &self.voters[*entry];
            let t = tally(&voter.key, slot, list);
            add_entry(&mut aggregates, *entry, &voter.key, voter.single, list, &t.full, self.voters.len())?;
        }
        Ok(aggregates.into_iter().filter(|(_, a)| a.participation().count_ones() > 0).collect())
    }
}

/// A node's justification: the entries that aggregates (already verified) show voting each (source, target),
/// and the latest justified checkpoint.
pub struct Justifier {
    balances: Vec<u64>,
    justified: Checkpoint,
    support: BTreeMap<(Checkpoint, Checkpoint), BTreeSet<usize>>,
    /// Per (slot, source): the entries whose votes of that slot named the source.
    sources: BTreeMap<(u64, Checkpoint), BTreeSet<usize>>,
}

impl Justifier {
    /// A justifier over the registry's `balances` (in registry order), starting at `genesis`.
    pub fn new(balances: Vec<u64>, genesis: Checkpoint) -> Self {
        Justifier { balances, justified: genesis, support: BTreeMap::new(), sources: BTreeMap::new() }
    }

    /// The justified checkpoint.
    pub fn justified(&self) -> Checkpoint {
        self.justified
    }

    /// Counts a verified aggregate of `data` with `participation`; returns the newly justified checkpoint, if
    /// any. Two rules move it forward:
    /// - a supermajority link: aggregates from the justified source to a later target carry two thirds of the
    ///   balance (lean's rule);
    /// - catching up (a node that restarted, joined late, or missed one of the aggregates that justified the
    ///   network's source): aggregates of one slot carry more than a third of the balance naming one later
    ///   source. Honest validators name only a checkpoint they saw justified, and with fewer than a third of
    ///   the balance Byzantine (the assumption justification rests on anyway) more than a third holds an
    ///   honest one, so that source is justified. Two thirds would not do: members of one group who disagree
    ///   on the source sign different data, their group reaches no quorum, and the balance naming the newer
    ///   source can stay below two thirds for ever (seen on the default scenario's devnet: six nodes that had
    ///   missed one aggregate voted an older source for the rest of the run, and justification stopped).
    pub fn observe(&mut self, data: &AttestationData, participation: &BitList) -> Option<Checkpoint> {
        let total: u64 = self.balances.iter().sum();
        let ones: Vec<usize> = participation.ones().filter(|&e| e < self.balances.len()).collect();
        let weight = |set: &BTreeSet<usize>| set.iter().map(|&e| self.balances[e]).sum::<u64>();
        let before = self.justified;
        if data.source.slot > self.justified.slot {
            let named = self.sources.entry((data.slot, data.source)).or_default();
            named.extend(ones.iter().copied());
            if honest_witness(weight(named), total) {
                self.justified = data.source;
            }
        }
        if data.source == self.justified && data.target.slot > self.justified.slot {
            let voters = self.support.entry((data.source, data.target)).or_default();
            voters.extend(ones.iter().copied());
            if supermajority(weight(voters), total) {
                self.justified = data.target;
            }
        }
        if self.justified == before {
            return None;
        }
        // Support counted from an older source can never justify again: both rules need a later checkpoint.
        let justified = self.justified;
        self.support.retain(|(source, _), _| *source == justified);
        self.sources.retain(|(_, source), _| source.slot > justified.slot);
        Some(justified)
    }
}

#[cfg(test)]
#[path = "aggregate_tests.rs"]
mod tests;
