//! The public statement of an aggregate proof: message, epoch and the participating validators.

use ndvt_xmss::{Devnet4, PublicKey, Signature};
use p3_field::PrimeCharacteristicRing;

use super::super::config::Val;
use super::super::error::SuccinctError;
use super::MAX_MEMBERS;
use super::key_table::ENTRY;
use super::registry::Participation;
use crate::{GroupKey, Xmss};

/// The most signatures one aggregate proof may carry.
pub const MAX_SIGNATURES: usize = 1 << 10;
/// The most member keys a statement can list: every participant needs a threshold of at least one, so
/// there are at most [`MAX_SIGNATURES`] participants of at most [`MAX_MEMBERS`] keys each.
pub const MAX_KEY_ENTRIES: usize = MAX_SIGNATURES * MAX_MEMBERS;

/// A participating validator: a group whose threshold `m` of its `n` member keys must have signed, or a
/// single-key validator (1 of 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    threshold: u8,
    members: Vec<PublicKey<Devnet4>>,
    /// A single-key validator's registry entry, not a group's (the registry commitment tells them apart).
    single: bool,
}

impl Participant {
    /// A group of `members` (1 to 16 distinct keys, in roster order) with threshold `threshold`.
    pub fn group(threshold: u8, members: Vec<PublicKey<Devnet4>>) -> Result<Self, SuccinctError> {
        let n = members.len();
        if n == 0 || n > MAX_MEMBERS || threshold == 0 || usize::from(threshold) > n {
            return Err(SuccinctError::GroupShape { threshold, members: n });
        }
        if members.iter().enumerate().any(|(i, pk)| members[..i].contains(pk)) {
            return Err(SuccinctError::DuplicateMemberKey);
        }
        Ok(Participant { threshold, members, single: false })
    }

    /// A single-key validator.
    pub fn single(key: PublicKey<Devnet4>) -> Self {
        Participant { threshold: 1, members: vec![key], single: true }
    }

    /// The participant of a lean group key (its threshold and roster).
    pub fn from_group_key(group: &GroupKey<Xmss<Devnet4>>) -> Self {
        Participant { threshold: group.threshold(), members: group.members().to_vec(), single: false }
    }

    /// The threshold `m`.
    pub fn threshold(&self) -> u8 {
        self.threshold
    }

    /// The member keys, in roster order.
    pub fn members(&self) -> &[PublicKey<Devnet4>] {
        &self.members
    }

    /// Whether this is a single-key validator (rather than a group, of any size).
    pub fn is_single(&self) -> bool {
        self.single
    }
}

/// What an aggregate proof proves: every participant reached its threshold of valid Devnet 4 signatures
/// on `message` at `epoch`, the participants being the set bits of `participation` over its registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggregateStatement {
    /// The signed 32-byte message.
    pub message: [u8; 32],
    /// The epoch every signature is at.
    pub epoch: u32,
    /// The participating validators, in registry order.
    pub participants: Vec<Participant>,
    /// The registry they come from and their places in it.
    pub participation: Participation,
}

/// One member's signature offered to the prover.
#[derive(Clone, Debug)]
pub struct Contribution {
    /// Index of the participant in the statement.
    pub participant: usize,
    /// The member's roster index within the participant.
    pub member: u8,
    /// The member's signature on the statement's message and epoch.
    pub signature: Signature<Devnet4>,
}

impl AggregateStatement {
    /// A statement whose registry is its participant list, every bit set ([`Participation::whole`]).
    pub fn new(message: [u8; 32], epoch: u32, participants: Vec<Participant>) -> Result<Self, SuccinctError> {
        let participation = Participation::whole(&participants)?;
        Ok(AggregateStatement { message, epoch, participants, participation })
    }

    /// Refuses statements the proof cannot carry.
    pub(crate) fn validate(&self) -> Result<(), SuccinctError> {
        if self.participants.is_empty() {
            return Err(SuccinctError::NoParticipants);
        }
        self.participation.validate(self.participants.len())?;
        let signatures = self.signatures();
        if signatures > MAX_SIGNATURES {
            return Err(SuccinctError::TooManySignatures { got: signatures, max: MAX_SIGNATURES });
        }
        Ok(())
    }

    /// Signatures a proof of this statement carries: exactly each participant's threshold.
    pub fn signatures(&self) -> usize {
        self.participants.iter().map(|p| usize::from(p.threshold)).sum()
    }

    /// The key table's entries, `(participant, member, threshold, parameter, root)`, in statement order.
    pub(crate) fn key_entries(&self) -> Vec<[Val; ENTRY]> {
        let mut entries = Vec::new();
        for (q, participant) in self.participants.iter().enumerate() {
            for (j, pk) in participant.members.iter().enumerate() {
                let mut entry = [Val::ZERO; ENTRY];
                entry[0] = Val::from_usize(q);
                entry[1] = Val::from_usize(j);
                entry[2] = Val::from_u8(participant.threshold);
                entry[3..8].copy_from_slice(pk.parameter());
                entry[8..16].copy_from_slice(pk.root());
                entries.push(entry);
            }
        }
        entries
    }

    /// Index of `(participant, member)` in [`Self::key_entries`].
    pub(crate) fn entry_index(&self, participant: usize, member: u8) -> usize {
        self.participants[..participant].iter().map(|p| p.members.len()).sum::<usize>() + usize::from(member)
    }
}
