//! Key rotation: an m-of-n signed message replaces one member's key pair from a given slot, without an
//! exit. The rotated-out key set keeps its slot range in the registry, so evidence against votes it signed
//! is accepted for `slashable_window` slots after the rotation takes effect (`Registry::verify_evidence`).
//!
//! The message is signed by at least m members' current *proposal* keys at XMSS epoch `signing_slot`
//! (members' durable signers make that epoch unusable for a block sign-off in the same slot, so the group
//! picks a slot in which it does not propose). The group id changes with the roster (it binds the keys);
//! the registry index does not.

use ndvt_aggregation::{
    GroupKey, GroupKeyError, GroupSignature, GroupSignatureError, Scheme, ThresholdReport,
};
use ssz_derive::{Decode, Encode};
use ssz_types::VariableList;
use ssz_types::typenum::U128;
use tree_hash::{Hash256, TreeHash};
use tree_hash_derive::TreeHash;

use crate::registry::{Entry, KeySet, Registry, RegistryError};

/// The rotation message; its `hash_tree_root` is what the members sign.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TreeHash)]
pub struct RotationMessage {
    /// The group's registry index.
    pub validator_index: u64,
    /// The current attestation group id (binds the message to one roster).
    pub group_id: Hash256,
    /// The member being replaced.
    pub member: u64,
    /// The new attestation public key's bytes.
    pub new_attestation_key: VariableList<u8, U128>,
    /// The new proposal public key's bytes.
    pub new_proposal_key: VariableList<u8, U128>,
    /// The XMSS epoch the members sign at.
    pub signing_slot: u64,
    /// First slot the new key signs for; the old key signs up to the slot before.
    pub effective_slot: u64,
}

impl RotationMessage {
    /// The signed message.
    pub fn signing_root(&self) -> [u8; 32] {
        self.tree_hash_root().0
    }
}

/// Why a rotation was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RotationError<S: Scheme> {
    /// The index is not a group, or is unknown.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The message names another roster (stale or for another group).
    #[error("the rotation names another group id than the group's current one")]
    WrongGroup,
    /// The member index is outside the group.
    #[error("member {member} is not in the group of {n}")]
    UnknownMember {
        /// The member.
        member: u64,
        /// Group size.
        n: u8,
    },
    /// The effective slot must follow the signing slot and the current key set's start.
    #[error("effective slot {effective} must be after the signing slot {signing} and slot {current_from}")]
    BadSlots {
        /// The effective slot.
        effective: u64,
        /// The signing slot.
        signing: u64,
        /// Start of the current key set.
        current_from: u64,
    },
    /// A new key does not decode.
    #[error("the new {which} key does not decode")]
    BadKey {
        /// Which key.
        which: &'static str,
        /// The scheme's reason.
        #[source]
        source: S::Error,
    },
    /// Fewer than m members, or an invalid member signature.
    #[error("invalid rotation signature")]
    Signature(#[source] GroupSignatureError),
    /// The new roster fails the group rules or the threshold linter.
    #[error("the new roster fails the group rules or the threshold linter")]
    Group(#[from] GroupKeyError),
}

impl<S: Scheme> Registry<S> {
    /// Applies a signed rotation; returns the linter's report for the new roster.
    pub fn apply_rotation(
        &mut self,
        message: &RotationMessage,
        signature: &GroupSignature<S>,
    ) -> Result<ThresholdReport, RotationError<S>> {
        let index = message.validator_index;
        let group = self.group(index)?;
        let current = group.current();
        if message.group_id.0 != current.attestation.id() {
            return Err(RotationError::WrongGroup);
        }
        let n = current.attestation.size();
        let member = usize::try_from(message.member)
            .ok()
            .filter(|m| *m < usize::from(n))
            .ok_or(RotationError::UnknownMember { member: message.member, n })?;
        if message.effective_slot <= message.signing_slot || message.effective_slot <= current.from_slot {
            return Err(RotationError::BadSlots {
                effective: message.effective_slot,
                signing: message.signing_slot,
                current_from: current.from_slot,
            });
        }
        let decode = |which: &'static str, bytes: &[u8]| {
            S::public_key_from_bytes(bytes).map_err(|source| RotationError::BadKey { which, source })
        };
        let attestation_key = decode("attestation", &message.new_attestation_key)?;
        let proposal_key = decode("proposal", &message.new_proposal_key)?;
        signature
            .verify(&current.proposal, message.signing_slot, &message.signing_root())
            .map_err(RotationError::Signature)?;
        self.check_unused(&[attestation_key.clone(), proposal_key.clone()])?;
        let mut attestation_members = current.attestation.members().to_vec();
        let mut proposal_members = current.proposal.members().to_vec();
        attestation_members[member] = attestation_key;
        proposal_members[member] = proposal_key;
        let m = current.attestation.threshold();
        let (attestation, report) = GroupKey::new(m, attestation_members, group.policy)?;
        let (proposal, _) = GroupKey::new(m, proposal_members, group.policy)?;
        let effective = message.effective_slot;
        // The lookups above hold: the entry exists and is a group.
        if let Some(Entry::Group(g)) = self.entries.get_mut(index as usize) {
            if let Some(last) = g.key_sets.last_mut() {
                last.until_slot = Some(effective);
            }
            g.key_sets.push(KeySet { from_slot: effective, until_slot: None, attestation, proposal });
            g.report = report.clone();
        }
        Ok(report)
    }
}

#[cfg(test)]
#[path = "rotation_tests.rs"]
mod tests;
