//! Threshold accounting: a group has taken an action iff at least m of its members signed the same data.
//!
//! Attestations are accounted per component. Each member signs its whole `AttestationData`; the tally then
//! asks, for source, target and head separately, whether at least m members' verified votes agree on that
//! component's unit ([`Credit`]: the source, the source-to-target link, the head). A head split among honest
//! members (some saw the block in time, some did not) therefore costs only the head reward: the members still
//! agree on the source and target they share. Slashing evidence ([`crate::slashing`]) is built in the same
//! units, so whatever a group is credited for twice in conflict is provable.
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
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VoteRejection<S: Scheme> {
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
    #[error("member {member}'s signature is invalid")]
    BadSignature {
        /// The member.
        member: u8,
        /// The scheme's reason.
        #[source]
        source: S::Error,
    },
}

/// The three attestation components.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    /// The source (justified) checkpoint.
    Source,
    /// The target checkpoint, voted from its source (the Casper FFG link).
    Target,
    /// The head.
    Head,
}

impl Component {
    /// All three, in reward order.
    pub const ALL: [Component; 3] = [Component::Source, Component::Target, Component::Head];
}

/// What a group can be credited for in one component: the unit that accounting counts and slashing
/// evidence proves (see [`crate::slashing`]), so that the two can never disagree.
///
/// The target is credited as a Casper FFG link, its checkpoint together with the source it is voted from:
/// a surround vote is a relation between links, and a group credited for a target only through members
/// that disagree on the source could not be shown to have cast either link. Altair's target flag likewise
/// requires the matching source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Credit {
    /// A source checkpoint.
    Source(Checkpoint),
    /// A target checkpoint and the source it is voted from.
    Target {
        /// The link's source.
        source: Checkpoint,
        /// The link's target.
        target: Checkpoint,
    },
    /// A head.
    Head(Checkpoint),
}

impl Credit {
    /// The unit of `component` that `data` votes for.
    pub fn of(component: Component, data: &AttestationData) -> Credit {
        match component {
            Component::Source => Credit::Source(data.source),
            Component::Target => Credit::Target { source: data.source, target: data.target },
            Component::Head => Credit::Head(data.head),
        }
    }

    /// The component this unit belongs to.
    pub fn component(&self) -> Component {
        match self {
            Credit::Source(_) => Component::Source,
            Credit::Target { .. } => Component::Target,
            Credit::Head(_) => Component::Head,
        }
    }

    /// True if `data` votes for this unit.
    pub fn holds_for(&self, data: &AttestationData) -> bool {
        Credit::of(self.component(), data) == *self
    }
}

/// What a group did in one slot.
#[derive(Debug)]
pub struct GroupTally<S: Scheme> {
    /// The slot.
    pub slot: u64,
    /// The group's threshold m.
    pub threshold: u8,
    /// Members with at least one valid vote, as a bitmask.
    pub voters: u16,
    /// Votes left out, with why.
    pub rejected: Vec<VoteRejection<S>>,
    /// The votes whose signatures verified, in arrival order: what the credits rest on, and what slashing
    /// evidence against them is built from.
    pub accepted: Vec<MemberVote<S>>,
    /// Every unit at least m members' verified votes share, with the members behind it, in `Credit` order
    /// (more than one per component only with disjoint quorums or equivocation).
    pub credits: Vec<(Credit, u16)>,
    /// Whole `AttestationData` values at least m members signed.
    pub full: Vec<(AttestationData, u16)>,
}

impl<S: Scheme> GroupTally<S> {
    /// True if the group is credited for `credit`: at least m members' votes share it.
    pub fn counts(&self, credit: &Credit) -> bool {
        self.credits.iter().any(|(c, _)| c == credit)
    }

    /// True if the group is credited for `component` as `canonical` votes it.
    pub fn counts_canonical(&self, component: Component, canonical: &AttestationData) -> bool {
        self.counts(&Credit::of(component, canonical))
    }

    /// True if at least m members signed exactly `data`.
    pub fn counts_data(&self, data: &AttestationData) -> bool {
        self.full.iter().any(|(d, _)| d == data)
    }
}

/// Verifies each vote and tallies the group's slot: invalid votes are reported and left out.
pub fn tally<S: Scheme>(group: &GroupKey<S>, slot: u64, votes: &[MemberVote<S>]) -> GroupTally<S> {
    let mut t = GroupTally {
        slot,
        threshold: group.threshold(),
        voters: 0,
        rejected: Vec::new(),
        accepted: Vec::new(),
        credits: Vec::new(),
        full: Vec::new(),
    };
    let mut by_credit: BTreeMap<Credit, u16> = BTreeMap::new();
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
        if let Err(source) = S::verify(pk, slot, &vote.data.signing_root(), &vote.signature) {
            t.rejected.push(VoteRejection::BadSignature { member: vote.member, source });
            continue;
        }
        let bit = 1u16 << vote.member;
        t.voters |= bit;
        for c in Component::ALL {
            *by_credit.entry(Credit::of(c, &vote.data)).or_default() |= bit;
        }
        *by_data.entry(vote.data).or_default() |= bit;
        t.accepted.push(vote.clone());
    }
    let m = u32::from(group.threshold());
    t.credits = by_credit.into_iter().filter(|(_, mask)| mask.count_ones() >= m).collect();
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
    pub fn rewards<S: Scheme>(
        &self,
        tally: &GroupTally<S>,
        canonical: &AttestationData,
        balance: u64,
    ) -> Rewards {
        let base = self.base(balance);
        let pay = |c: Component, w: i64, penalised: bool| {
            if tally.counts_canonical(c, canonical) {
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
