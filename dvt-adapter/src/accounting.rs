//! Threshold accounting: a group has taken an action iff at least m of its members signed the same data.
//!
//! Attestations are accounted per component. Each member signs its whole `AttestationData`; the tally then
//! asks, for source, target and head separately, whether at least m members' verified votes agree on that
//! checkpoint. A head split among honest members (some saw the block in time, some did not) therefore costs
//! only the head reward: the members still agree on the source and target they share.
//!
//! Rewards model (a model for comparison, not the spec's numbers): per slot an entry's base reward is
//! `balance / min_balance × base_per_increment`; the components pay Altair's weights out of 64 (source 14,
//! target 26, head 14, from consensus-specs `altair/beacon-chain.md`); a missed or wrong source or target is
//! penalised by its weight, a missed head is not; the proposer of an included vote earns 8/56 of that vote's
//! component rewards.

use std::collections::BTreeMap;

use ndvt_aggregation::{GroupKey, Scheme};

use crate::containers::{AttestationData, Checkpoint};

/// One member's vote, as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberVote<S: Scheme> {
    /// The member's index in its group.
    pub member: u8,
    /// The vote.
    pub data: AttestationData,
    /// The member's signature over `hash_tree_root(data)` at epoch `data.slot`.
    pub signature: S::Signature,
}

/// Why a vote was left out of a tally.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VoteRejection {
    /// The vote is for another slot.
    #[error("vote for slot {got}, tallying slot {expected}")]
    WrongSlot {
        /// The slot tallied.
        expected: u64,
        /// The vote's slot.
        got: u64,
    },
    /// The member index is outside the group.
    #[error("member {index} is not in the group of {n}")]
    UnknownMember {
        /// The index.
        index: u8,
        /// Group size.
        n: u8,
    },
    /// The signature does not verify.
    #[error("member {member}: invalid signature: {reason}")]
    BadSignature {
        /// The member.
        member: u8,
        /// The scheme's reason.
        reason: String,
    },
}

/// The three attestation components.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    /// The source (justified) checkpoint.
    Source,
    /// The target checkpoint.
    Target,
    /// The head.
    Head,
}

impl Component {
    /// All three, in reward order.
    pub const ALL: [Component; 3] = [Component::Source, Component::Target, Component::Head];

    fn of(self, d: &AttestationData) -> Checkpoint {
        match self {
            Component::Source => d.source,
            Component::Target => d.target,
            Component::Head => d.head,
        }
    }
}

/// What a group did in one slot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupTally {
    /// The slot.
    pub slot: u64,
    /// Members with at least one valid vote, as a bitmask.
    pub voters: u16,
    /// Votes left out, with why.
    pub rejected: Vec<VoteRejection>,
    /// Per component, every checkpoint at least m members voted for (more than one only with disjoint
    /// quorums or equivocation) and the members behind it.
    pub quorums: BTreeMap<Component, Vec<(Checkpoint, u16)>>,
    /// Whole `AttestationData` values at least m members signed.
    pub full: Vec<(AttestationData, u16)>,
}

impl GroupTally {
    /// True if at least m members voted `value` for `component`.
    pub fn counts(&self, component: Component, value: &Checkpoint) -> bool {
        self.quorums.get(&component).is_some_and(|q| q.iter().any(|(c, _)| c == value))
    }

    /// True if at least m members signed exactly `data`.
    pub fn counts_data(&self, data: &AttestationData) -> bool {
        self.full.iter().any(|(d, _)| d == data)
    }
}

/// Verifies each vote and tallies the group's slot: invalid votes are reported and left out.
pub fn tally<S: Scheme>(group: &GroupKey<S>, slot: u64, votes: &[MemberVote<S>]) -> GroupTally {
    let mut t = GroupTally { slot, ..GroupTally::default() };
    let mut by_component: BTreeMap<(Component, Checkpoint), u16> = BTreeMap::new();
    let mut by_data: BTreeMap<AttestationData, u16> = BTreeMap::new();
    for vote in votes {
        if vote.data.slot != slot {
            t.rejected.push(VoteRejection::WrongSlot { expected: slot, got: vote.data.slot });
            continue;
        }
        let Some(pk) = group.members().get(usize::from(vote.member)) else {
            t.rejected.push(VoteRejection::UnknownMember { index: vote.member, n: group.size() });
            continue;
        };
        if let Err(e) = S::verify(pk, slot, &vote.data.signing_root(), &vote.signature) {
            t.rejected.push(VoteRejection::BadSignature { member: vote.member, reason: e.to_string() });
            continue;
        }
        let bit = 1u16 << vote.member;
        t.voters |= bit;
        for c in Component::ALL {
            *by_component.entry((c, c.of(&vote.data))).or_default() |= bit;
        }
        *by_data.entry(vote.data).or_default() |= bit;
    }
    let m = u32::from(group.threshold());
    for ((c, value), mask) in by_component {
        if mask.count_ones() >= m {
            t.quorums.entry(c).or_default().push((value, mask));
        }
    }
    t.full = by_data.into_iter().filter(|(_, mask)| mask.count_ones() >= m).collect();
    t
}

/// The rewards model's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RewardModel {
    /// Reward units per minimum balance per slot.
    pub base_per_increment: i64,
    /// One increment of balance (the minimum balance).
    pub increment: u64,
}

impl Default for RewardModel {
    fn default() -> Self {
        RewardModel { base_per_increment: 64, increment: 32_000_000_000 }
    }
}

/// Altair's weights out of 64.
const SOURCE_WEIGHT: i64 = 14;
const TARGET_WEIGHT: i64 = 26;
const HEAD_WEIGHT: i64 = 14;
const PROPOSER_WEIGHT: i64 = 8;
const WEIGHT_DENOMINATOR: i64 = 64;

/// Reward (positive) or penalty (negative) per component for one entry and slot, in reward units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rewards {
    /// Source component.
    pub source: i64,
    /// Target component.
    pub target: i64,
    /// Head component.
    pub head: i64,
}

impl Rewards {
    /// The sum.
    pub fn total(&self) -> i64 {
        self.source + self.target + self.head
    }

    /// What the proposer that included this vote earns for it (8/56 of the positive rewards).
    pub fn proposer_share(&self) -> i64 {
        let earned = self.source.max(0) + self.target.max(0) + self.head.max(0);
        earned * PROPOSER_WEIGHT / (WEIGHT_DENOMINATOR - PROPOSER_WEIGHT)
    }
}

impl RewardModel {
    /// The base reward of `balance` per slot.
    pub fn base(&self, balance: u64) -> i64 {
        let increments = balance.checked_div(self.increment).unwrap_or(0);
        i64::try_from(increments).unwrap_or(i64::MAX / 1024).saturating_mul(self.base_per_increment)
    }

    /// Rewards of an entry whose tally is `tally`, against the canonical vote `canonical`.
    pub fn rewards(&self, tally: &GroupTally, canonical: &AttestationData, balance: u64) -> Rewards {
        let base = self.base(balance);
        let pay = |c: Component, w: i64, penalised: bool| {
            if tally.counts(c, &c.of(canonical)) {
                base * w / WEIGHT_DENOMINATOR
            } else if penalised {
                -(base * w / WEIGHT_DENOMINATOR)
            } else {
                0
            }
        };
        Rewards {
            source: pay(Component::Source, SOURCE_WEIGHT, true),
            target: pay(Component::Target, TARGET_WEIGHT, true),
            head: pay(Component::Head, HEAD_WEIGHT, false),
        }
    }
}

#[cfg(test)]
#[path = "accounting_tests.rs"]
mod tests;
