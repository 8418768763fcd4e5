//! Slashing evidence against a group: at least m members signed A and at least m members signed a
//! conflicting B. Evidence short of m on either side proves nothing about the group and is refused.
//!
//! Conflicts: a *double vote* is two different votes for the same slot (lean consensus allows one vote per
//! slot, and the slot is the XMSS epoch) or two different target checkpoints with the same target slot
//! (Casper FFG); a *surround vote* is one vote whose source-to-target span strictly contains the other's.
//! Two votes of consecutive slots that share a target are normal in lean consensus and do not conflict.

use ndvt_aggregation::{GroupKey, GroupSignature, GroupSignatureError, Scheme, Share};

use crate::containers::AttestationData;
use crate::registry::{Registry, RegistryError};

/// A group's vote: the data and a group signature over its root at epoch `data.slot`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupVote<S: Scheme> {
    /// The vote.
    pub data: AttestationData,
    /// At least m members' signatures over `hash_tree_root(data)`.
    pub signature: GroupSignature<S>,
}

/// Which side of the evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The first vote.
    A,
    /// The second vote.
    B,
}

/// The offence the evidence proves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offence {
    /// Two different votes for the same slot, or different targets with the same target slot.
    DoubleVote,
    /// One vote's source-to-target span strictly contains the other's.
    SurroundVote,
}

/// Why evidence was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SlashingError {
    /// Both sides are the same vote.
    #[error("both sides sign the same data")]
    SameData,
    /// The votes do not conflict.
    #[error("the votes do not conflict (neither a double nor a surround vote)")]
    NotConflicting,
    /// One side has fewer than m member signatures.
    #[error("side {side:?} has {have} member signatures, the threshold is {need}")]
    Short {
        /// The short side.
        side: Side,
        /// Members on it.
        have: usize,
        /// The threshold m.
        need: usize,
    },
    /// One side's group signature is invalid for another reason.
    #[error("side {side:?}: {error}")]
    Invalid {
        /// The side.
        side: Side,
        /// What is wrong.
        error: GroupSignatureError,
    },
    /// The accused entry or its keys for the slot could not be found.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The key set that signed was rotated out longer ago than the slashable window.
    #[error("the keys that signed slot {slot} were rotated out at slot {until}; slashable until {deadline}")]
    OutsideWindow {
        /// The vote's slot.
        slot: u64,
        /// When the key set stopped signing.
        until: u64,
        /// The last slot at which evidence against it is accepted.
        deadline: u64,
    },
}

/// The conflict between two votes, if any.
pub fn conflict(a: &AttestationData, b: &AttestationData) -> Option<Offence> {
    if a == b {
        return None;
    }
    if a.slot == b.slot || (a.target.slot == b.target.slot && a.target != b.target) {
        return Some(Offence::DoubleVote);
    }
    let surrounds = |x: &AttestationData, y: &AttestationData| {
        x.source.slot < y.source.slot && y.target.slot < x.target.slot
    };
    (surrounds(a, b) || surrounds(b, a)).then_some(Offence::SurroundVote)
}

/// Two conflicting group votes of one registry entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlashingEvidence<S: Scheme> {
    /// The accused group's registry index.
    pub validator_index: u64,
    /// First vote.
    pub a: GroupVote<S>,
    /// Second vote.
    pub b: GroupVote<S>,
}

fn side_vote<S: Scheme>(
    group: &GroupKey<S>,
    side: Side,
    data: AttestationData,
    shares: &[Share<S>],
) -> Result<GroupVote<S>, SlashingError> {
    let signature = GroupSignature::combine(group, shares).map_err(|e| classify(side, e))?;
    signature.verify(group, data.slot, &data.signing_root()).map_err(|e| classify(side, e))?;
    Ok(GroupVote { data, signature })
}

fn classify(side: Side, error: GroupSignatureError) -> SlashingError {
    match error {
        GroupSignatureError::BelowThreshold { have, need } => SlashingError::Short { side, have, need },
        error => SlashingError::Invalid { side, error },
    }
}

impl<S: Scheme> SlashingEvidence<S> {
    /// Builds evidence from member shares on each side; refuses short or non-conflicting evidence.
    pub fn build(
        validator_index: u64,
        group: &GroupKey<S>,
        a: (AttestationData, &[Share<S>]),
        b: (AttestationData, &[Share<S>]),
    ) -> Result<Self, SlashingError> {
        check_conflict(&a.0, &b.0)?;
        let a = side_vote(group, Side::A, a.0, a.1)?;
        let b = side_vote(group, Side::B, b.0, b.1)?;
        Ok(SlashingEvidence { validator_index, a, b })
    }

    /// Verifies the evidence against the key sets that signed each side.
    pub fn verify(&self, keys_a: &GroupKey<S>, keys_b: &GroupKey<S>) -> Result<Offence, SlashingError> {
        let offence = check_conflict(&self.a.data, &self.b.data)?;
        for (side, vote, keys) in [(Side::A, &self.a, keys_a), (Side::B, &self.b, keys_b)] {
            vote.signature
                .verify(keys, vote.data.slot, &vote.data.signing_root())
                .map_err(|e| classify(side, e))?;
        }
        Ok(offence)
    }
}

fn check_conflict(a: &AttestationData, b: &AttestationData) -> Result<Offence, SlashingError> {
    if a == b {
        return Err(SlashingError::SameData);
    }
    conflict(a, b).ok_or(SlashingError::NotConflicting)
}

impl<S: Scheme> Registry<S> {
    /// Verifies evidence against the accused group's key sets at each vote's slot, at `now`: a key set
    /// rotated out stays slashable for `slashable_window` slots after it stopped signing.
    pub fn verify_evidence(
        &self,
        evidence: &SlashingEvidence<S>,
        now: u64,
    ) -> Result<Offence, SlashingError> {
        let index = evidence.validator_index;
        let mut keys = Vec::with_capacity(2);
        for vote in [&evidence.a, &evidence.b] {
            let set = self.group_keys_at(index, vote.data.slot)?;
            if let Some(until) = set.until_slot {
                let deadline = until.saturating_add(self.config().slashable_window);
                if now > deadline {
                    return Err(SlashingError::OutsideWindow { slot: vote.data.slot, until, deadline });
                }
            }
            keys.push(&set.attestation);
        }
        evidence.verify(keys[0], keys[1])
    }
}

#[cfg(test)]
#[path = "slashing_tests.rs"]
mod tests;
