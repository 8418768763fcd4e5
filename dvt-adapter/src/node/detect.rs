//! Slashing detection, sans IO, shared by the simulator's detector (which sees every share produced) and a
//! networked node (which sees the votes it received and its own): tally an entry's votes slot by slot, and
//! for every two conflicting units the group reached m on, build the `SlashingEvidence` and keep it if the
//! registry verifies it.

use std::collections::{BTreeMap, BTreeSet};

use ndvt_aggregation::{GroupKey, Scheme};

use crate::accounting::{Component, Credit, GroupTally, MemberVote, tally};
use crate::containers::AttestationData;
use crate::registry::Registry;
use crate::slashing::{Offence, SlashingEvidence, conflict, credits_conflict};

/// Two conflicting units of one entry, each with the slot it was reached in, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConflictKey {
    /// The registry entry.
    pub entry: usize,
    /// The earlier unit and its slot.
    pub a: (u64, Credit),
    /// The later one.
    pub b: (u64, Credit),
}

/// The key of two conflicting units of `entry`, in order.
pub fn conflict_key(entry: usize, x: (u64, Credit), y: (u64, Credit)) -> ConflictKey {
    ConflictKey { entry, a: x.min(y), b: x.max(y) }
}

/// A verified evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detected {
    /// What conflicts.
    pub key: ConflictKey,
    /// The offence the registry accepted.
    pub offence: Offence,
}

/// The report's name of a component.
pub fn component_name(c: Component) -> &'static str {
    match c {
        Component::Source => "source",
        Component::Target => "target",
        Component::Head => "head",
    }
}

/// The report's name of an offence.
pub fn offence_name(o: Offence) -> &'static str {
    match o {
        Offence::DoubleVote => "double-vote",
        _ => "surround-vote",
    }
}

/// Every pair of `units` that conflicts, by index.
pub fn conflicting_pairs(units: &[(u64, Credit)]) -> impl Iterator<Item = (usize, usize)> + '_ {
    (0..units.len()).flat_map(move |i| {
        (i + 1..units.len())
            .filter(move |&j| {
                let ((sa, a), (sb, b)) = (units[i], units[j]);
                credits_conflict(&a, Some(sa), &b, Some(sb)).is_some()
            })
            .map(move |j| (i, j))
    })
}

/// The verified evidences in entry `entry`'s `tallies` (one per slot) that `known` does not already hold,
/// checked by `registry` at slot `now`.
pub fn evidence_in<S: Scheme>(
    registry: &Registry<S>,
    entry: usize,
    tallies: &[&GroupTally<S>],
    now: u64,
    known: &BTreeSet<ConflictKey>,
) -> Vec<Detected> {
    let mut units = Vec::new();
    let mut owner = Vec::new();
    for (i, t) in tallies.iter().enumerate() {
        units.extend(t.credits.iter().map(|(c, _)| (t.slot, *c)));
        owner.extend(t.credits.iter().map(|_| i));
    }
    let mut found = Vec::new();
    for (i, j) in conflicting_pairs(&units) {
        let key = conflict_key(entry, units[i], units[j]);
        if known.contains(&key) {
            continue;
        }
        let (a, b) = ((tallies[owner[i]], units[i].1), (tallies[owner[j]], units[j].1));
        let Ok(evidence) = SlashingEvidence::build(entry as u64, a, b) else { continue };
        if let Ok(offence) = registry.verify_evidence(&evidence, now) {
            found.push(Detected { key, offence });
        }
    }
    found
}

/// How many slots of votes a node keeps for detection (surround votes reaching farther back go unseen).
pub const DETECTION_SLOTS: u64 = 64;
/// Distinct votes kept per member and slot: two prove an equivocation; more only cost memory.
const VOTES_PER_MEMBER_SLOT: usize = 2;

/// A node's detector: the verified votes it saw, by entry and slot, and the evidence it already reported.
pub struct SlashingDetector<S: Scheme> {
    votes: BTreeMap<(u64, usize), Vec<MemberVote<S>>>,
    tallies: BTreeMap<(u64, usize), GroupTally<S>>,
    dirty: BTreeSet<(u64, usize)>,
    known: BTreeSet<ConflictKey>,
}

impl<S: Scheme> Default for SlashingDetector<S> {
    fn default() -> Self {
        SlashingDetector {
            votes: BTreeMap::new(),
            tallies: BTreeMap::new(),
            dirty: BTreeSet::new(),
            known: BTreeSet::new(),
        }
    }
}

impl<S: Scheme> SlashingDetector<S> {
    /// Records a vote of `entry` (its signature already checked, or this node's own). Returns the member's
    /// earlier vote of the same slot it conflicts with, if any: a member's own equivocation, which proves
    /// that member Byzantine but is slashable only if m of its group did the same.
    pub fn add(&mut self, entry: usize, vote: MemberVote<S>) -> Option<AttestationData> {
        let list = self.votes.entry((vote.data.slot, entry)).or_default();
        let mine: Vec<&MemberVote<S>> = list.iter().filter(|v| v.member == vote.member).collect();
        if mine.iter().any(|v| v.data == vote.data) || mine.len() >= VOTES_PER_MEMBER_SLOT {
            return None;
        }
        let earlier = mine.iter().map(|v| v.data).find(|d| conflict(d, &vote.data).is_some());
        self.dirty.insert((vote.data.slot, entry));
        list.push(vote);
        earlier
    }

    /// Tallies what changed and returns the evidence not reported before, at slot `now`; `group` gives
    /// an entry's attestation keys (None for a single validator, which is not tallied as a group).
    pub fn detect<'k>(
        &mut self,
        registry: &Registry<S>,
        group: impl Fn(usize) -> Option<&'k GroupKey<S>>,
        now: u64,
    ) -> Vec<Detected>
    where
        S: 'k,
    {
        let keep = now.saturating_sub(DETECTION_SLOTS);
        self.votes = self.votes.split_off(&(keep, 0));
        self.tallies = self.tallies.split_off(&(keep, 0));
        let dirty = std::mem::take(&mut self.dirty);
        let mut entries = BTreeSet::new();
        for (slot, entry) in dirty.into_iter().filter(|(s, _)| *s >= keep) {
            let (Some(keys), Some(votes)) = (group(entry), self.votes.get(&(slot, entry))) else { continue };
            self.tallies.insert((slot, entry), tally(keys, slot, votes));
            entries.insert(entry);
        }
        let mut found = Vec::new();
        for entry in entries {
            let tallies: Vec<&GroupTally<S>> =
                self.tallies.iter().filter(|((_, e), _)| *e == entry).map(|(_, t)| t).collect();
            let new = evidence_in(registry, entry, &tallies, now, &self.known);
            self.known.extend(new.iter().map(|d| d.key));
            found.extend(new);
        }
        found
    }
}
