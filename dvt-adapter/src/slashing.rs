//! Slashing evidence against a group, in the unit accounting credits it for ([`Credit`]).
//!
//! A group is credited for a component's unit (a source, a source-to-target link, a head) once at least m
//! members' votes share it, whatever the rest of their votes. Evidence has the same shape: per side a unit and
//! at least m distinct members' signatures, each over its own full `AttestationData` at that data's slot, all
//! sharing the side's unit. So a group credited for two conflicting units is provably slashable by
//! construction: the evidence is the votes that earned the credits. And the evidence convicts members: two
//! sets of at least m out of n share at least 2m − n members, and each of them signed two conflicting votes.
//!
//! Conflicts between two units of one component:
//! - *double vote*: two links whose targets differ but have the same slot (Casper FFG), or two different units
//!   whose votes were all cast in one slot (lean consensus allows one vote per slot, and the slot is the XMSS
//!   epoch, so every member behind both signed two votes there);
//! - *surround vote*: one link's source-to-target span strictly contains the other's, by slots.
//!
//! Two votes of consecutive slots that share a link are ordinary lean votes and do not conflict.

use ndvt_aggregation::{GroupKey, Scheme};

use crate::accounting::{Component, Credit, GroupTally, MemberVote};
use crate::containers::{AttestationData, Checkpoint, ContainerError};
use crate::registry::{Registry, RegistryError};

/// The most votes one side of an evidence carries: one per member of the largest group.
pub const MAX_SIDE_VOTES: usize = 16;

/// Which side of the evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The first unit.
    A,
    /// The second unit.
    B,
}

/// The offence the evidence proves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Offence {
    /// Different targets with the same target slot, or two different units voted in one slot.
    DoubleVote,
    /// One link's source-to-target span strictly contains the other's.
    SurroundVote,
}

/// Why evidence was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SlashingError<S: Scheme> {
    /// The sides name units of different components.
    #[error("side A names a {a:?} unit, side B a {b:?} unit")]
    MixedComponents {
        /// Side A's component.
        a: Component,
        /// Side B's component.
        b: Component,
    },
    /// Both sides name the same unit.
    #[error("both sides name the same unit")]
    SameCredit,
    /// The units do not conflict.
    #[error("the units do not conflict (neither a double nor a surround vote)")]
    NotConflicting,
    /// A side carries no vote.
    #[error("side {0:?} has no vote")]
    EmptySide(Side),
    /// A side carries more votes than any group has members.
    #[error("side {side:?} has {count} votes, at most {MAX_SIDE_VOTES} are allowed")]
    TooManyVotes {
        /// The side.
        side: Side,
        /// Votes on it.
        count: usize,
    },
    /// A member appears twice on one side.
    #[error("side {side:?}: member {member} appears twice")]
    DuplicateMember {
        /// The side.
        side: Side,
        /// The member.
        member: u8,
    },
    /// Members are not in strictly increasing order.
    #[error("side {side:?}: member {member} follows member {previous}")]
    UnorderedMembers {
        /// The side.
        side: Side,
        /// The earlier member.
        previous: u8,
        /// The member out of order.
        member: u8,
    },
    /// A vote does not share its side's unit.
    #[error("side {side:?}: member {member}'s vote does not share the side's unit")]
    CreditMismatch {
        /// The side.
        side: Side,
        /// The member.
        member: u8,
    },
    /// A member index outside the group.
    #[error("side {side:?}: member {member} is not in the group of {n}")]
    UnknownMember {
        /// The side.
        side: Side,
        /// The member.
        member: u8,
        /// Group size.
        n: u8,
    },
    /// A side has fewer than m distinct members.
    #[error("side {side:?} has {have} member signatures, the threshold is {need}")]
    Short {
        /// The short side.
        side: Side,
        /// Members on it.
        have: usize,
        /// The threshold m.
        need: usize,
    },
    /// A member's signature does not verify over its vote at the vote's slot.
    #[error("side {side:?}: member {member}'s signature is invalid")]
    BadSignature {
        /// The side.
        side: Side,
        /// The member.
        member: u8,
        /// The scheme's reason.
        #[source]
        source: S::Error,
    },
    /// The accused entry or its keys for a vote's slot could not be found.
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
    /// The evidence bytes are not one canonical SSZ `SlashingEvidence`.
    #[error("malformed evidence bytes")]
    Decode(#[source] ContainerError),
    /// The component byte names no component.
    #[error("component byte {0} names no component (0 source, 1 target, 2 head)")]
    UnknownComponent(u8),
    /// A side's unit has the wrong number of checkpoints for its component.
    #[error("side {side:?}: a {component:?} unit has {expected} checkpoints, got {got}")]
    CreditShape {
        /// The side.
        side: Side,
        /// The evidence's component.
        component: Component,
        /// Checkpoints the component's unit has.
        expected: usize,
        /// Checkpoints found.
        got: usize,
    },
    /// A member's signature bytes do not decode.
    #[error("side {side:?}: member {member}'s signature bytes do not decode")]
    SignatureBytes {
        /// The side.
        side: Side,
        /// The member.
        member: u8,
        /// The scheme's reason.
        #[source]
        source: S::Error,
    },
}

/// The conflict between two units of one component, if any. `slot_a` (`slot_b`) is the one slot every vote
/// behind `a` (`b`) was cast in, when there is one.
pub fn credits_conflict(a: &Credit, slot_a: Option<u64>, b: &Credit, slot_b: Option<u64>) -> Option<Offence> {
    if a == b || a.component() != b.component() {
        return None;
    }
    if let (Credit::Target { source: sa, target: ta }, Credit::Target { source: sb, target: tb }) = (a, b) {
        if ta.slot == tb.slot && ta != tb {
            return Some(Offence::DoubleVote);
        }
        let surrounds = |s1: &Checkpoint, t1: &Checkpoint, s2: &Checkpoint, t2: &Checkpoint| {
            s1.slot < s2.slot && t2.slot < t1.slot
        };
        if surrounds(sa, ta, sb, tb) || surrounds(sb, tb, sa, ta) {
            return Some(Offence::SurroundVote);
        }
    }
    match (slot_a, slot_b) {
        (Some(x), Some(y)) if x == y => Some(Offence::DoubleVote),
        _ => None,
    }
}

/// The conflict between two votes, if any: the same rule as between units, applied to each component of
/// the two votes (a member's own slashing protection).
pub fn conflict(a: &AttestationData, b: &AttestationData) -> Option<Offence> {
    if a == b {
        return None;
    }
    Component::ALL
        .into_iter()
        .find_map(|c| credits_conflict(&Credit::of(c, a), Some(a.slot), &Credit::of(c, b), Some(b.slot)))
}

/// One side of an evidence: a unit and the member votes that share it, members strictly increasing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceSide<S: Scheme> {
    /// The unit the side proves the group voted for.
    pub credit: Credit,
    /// At least m members' votes, each sharing `credit`, each signed over its own data at its own slot.
    pub votes: Vec<MemberVote<S>>,
}

impl<S: Scheme> EvidenceSide<S> {
    /// The one slot all votes were cast in, if there is one.
    fn single_slot(&self) -> Option<u64> {
        let first = self.votes.first()?.data.slot;
        self.votes.iter().all(|v| v.data.slot == first).then_some(first)
    }

    /// Everything about the side that needs no keys.
    fn check_shape(&self, side: Side) -> Result<(), SlashingError<S>> {
        if self.votes.is_empty() {
            return Err(SlashingError::EmptySide(side));
        }
        if self.votes.len() > MAX_SIDE_VOTES {
            return Err(SlashingError::TooManyVotes { side, count: self.votes.len() });
        }
        let mut previous: Option<u8> = None;
        for v in &self.votes {
            match previous {
                Some(p) if p == v.member => return Err(SlashingError::DuplicateMember { side, member: p }),
                Some(p) if p > v.member => {
                    return Err(SlashingError::UnorderedMembers { side, previous: p, member: v.member });
                }
                _ => {}
            }
            previous = Some(v.member);
            if !self.credit.holds_for(&v.data) {
                return Err(SlashingError::CreditMismatch { side, member: v.member });
            }
        }
        Ok(())
    }

    /// Every signature against the key set in force at its vote's slot, and the threshold.
    fn check_signatures<'k>(
        &self,
        side: Side,
        keys_at: &impl Fn(u64) -> Result<&'k GroupKey<S>, SlashingError<S>>,
    ) -> Result<(), SlashingError<S>>
    where
        S: 'k,
    {
        let mut need = 0;
        for v in &self.votes {
            let group = keys_at(v.data.slot)?;
            need = need.max(usize::from(group.threshold()));
            let Some(pk) = group.members().get(usize::from(v.member)) else {
                return Err(SlashingError::UnknownMember { side, member: v.member, n: group.size() });
            };
            S::verify(pk, v.data.slot, &v.data.signing_root(), &v.signature)
                .map_err(|source| SlashingError::BadSignature { side, member: v.member, source })?;
        }
        if self.votes.len() < need {
            return Err(SlashingError::Short { side, have: self.votes.len(), need });
        }
        Ok(())
    }
}

/// Two conflicting units of one registry entry, each with at least m member votes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlashingEvidence<S: Scheme> {
    /// The accused group's registry index.
    pub validator_index: u64,
    /// First side.
    pub a: EvidenceSide<S>,
    /// Second side.
    pub b: EvidenceSide<S>,
}

/// The votes of `tally` that share `credit`, one per member (its first), members increasing.
fn side_from<S: Scheme>(
    side: Side,
    tally: &GroupTally<S>,
    credit: Credit,
) -> Result<EvidenceSide<S>, SlashingError<S>> {
    let mut votes: Vec<MemberVote<S>> = Vec::new();
    for v in tally.accepted.iter().filter(|v| credit.holds_for(&v.data)) {
        if !votes.iter().any(|w| w.member == v.member) {
            votes.push(v.clone());
        }
    }
    votes.sort_by_key(|v| v.member);
    let need = usize::from(tally.threshold);
    if votes.len() < need {
        return Err(SlashingError::Short { side, have: votes.len(), need });
    }
    Ok(EvidenceSide { credit, votes })
}

impl<S: Scheme> SlashingEvidence<S> {
    /// Builds the evidence that the group was credited for `a.1` in tally `a.0` and for `b.1` in tally `b.0`,
    /// from the verified votes behind those credits. Refuses units short of m votes, or that do not conflict.
    /// The tallies' votes are trusted as verified: check the result with [`SlashingEvidence::verify`].
    pub fn build(
        validator_index: u64,
        a: (&GroupTally<S>, Credit),
        b: (&GroupTally<S>, Credit),
    ) -> Result<Self, SlashingError<S>> {
        let evidence = SlashingEvidence {
            validator_index,
            a: side_from(Side::A, a.0, a.1)?,
            b: side_from(Side::B, b.0, b.1)?,
        };
        evidence.check_shape()?;
        Ok(evidence)
    }

    /// Everything that needs no keys (the SSZ decoder runs it too): both sides name distinct units of one
    /// component, carry 1 to 16 votes of strictly increasing members, each vote shares its side's unit, and
    /// the units conflict. Returns the offence.
    pub fn check_shape(&self) -> Result<Offence, SlashingError<S>> {
        let (a, b) = (self.a.credit.component(), self.b.credit.component());
        if a != b {
            return Err(SlashingError::MixedComponents { a, b });
        }
        if self.a.credit == self.b.credit {
            return Err(SlashingError::SameCredit);
        }
        self.a.check_shape(Side::A)?;
        self.b.check_shape(Side::B)?;
        credits_conflict(&self.a.credit, self.a.single_slot(), &self.b.credit, self.b.single_slot())
            .ok_or(SlashingError::NotConflicting)
    }

    /// Verifies the evidence against one key set: the shape, then on each side at least m distinct members
    /// of the group whose signatures verify over their own data at their data's slot.
    pub fn verify(&self, group: &GroupKey<S>) -> Result<Offence, SlashingError<S>> {
        self.verify_with(&|_| Ok(group))
    }

    /// As [`SlashingEvidence::verify`], with the key set in force at each vote's slot.
    fn verify_with<'k>(
        &self,
        keys_at: &impl Fn(u64) -> Result<&'k GroupKey<S>, SlashingError<S>>,
    ) -> Result<Offence, SlashingError<S>>
    where
        S: 'k,
    {
        let offence = self.check_shape()?;
        self.a.check_signatures(Side::A, keys_at)?;
        self.b.check_signatures(Side::B, keys_at)?;
        Ok(offence)
    }
}

impl<S: Scheme> Registry<S> {
    /// Verifies evidence against the accused group's key set at each vote's slot, at `now`: a key set
    /// rotated out stays slashable for `slashable_window` slots after it stopped signing.
    pub fn verify_evidence(
        &self,
        evidence: &SlashingEvidence<S>,
        now: u64,
    ) -> Result<Offence, SlashingError<S>> {
        let index = evidence.validator_index;
        let window = self.config().slashable_window;
        evidence.verify_with(&|slot| {
            let set = self.group_keys_at(index, slot)?;
            if let Some(until) = set.until_slot {
                let deadline = until.saturating_add(window);
                if now > deadline {
                    return Err(SlashingError::OutsideWindow { slot, until, deadline });
                }
            }
            Ok(&set.attestation)
        })
    }
}

#[cfg(test)]
#[path = "slashing_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "slashing_props.rs"]
mod props;
