//! Group signatures: at least m distinct members' signatures on one (epoch, message), indices strictly
//! increasing, bound to the group id.
//!
//! Encoding: `group_id 32 ‖ epoch u64 LE ‖ message 32 ‖ count u8 ‖ count × (member u8 ‖ signature)`.
//! A group signature holds only valid member signatures: a collector drops bad shares before combining, so a
//! group signature with one bad entry is rejected even if m others verify (no malleable padding).

use crate::error::{GroupSignatureError, SchemeError};
use crate::group_key::GroupKey;
use crate::scheme::{Scheme, Share, VerifyItem};

/// An m-of-n group signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupSignature<S: Scheme> {
    pub(crate) group_id: [u8; 32],
    pub(crate) epoch: u64,
    pub(crate) message: [u8; 32],
    pub(crate) entries: Vec<(u8, S::Signature)>,
}

const HEADER: usize = 32 + 8 + 32 + 1;

impl<S: Scheme> GroupSignature<S> {
    /// Assembles shares of `group` into a group signature: one epoch and message, members in the roster,
    /// sorted, identical duplicates merged. Signatures are not verified here; see [`crate::Collector`].
    pub fn combine(group: &GroupKey<S>, shares: &[Share<S>]) -> Result<Self, GroupSignatureError> {
        let first = shares
            .first()
            .ok_or(GroupSignatureError::BelowThreshold { have: 0, need: usize::from(group.threshold()) })?;
        let mut entries: Vec<(u8, S::Signature)> = Vec::with_capacity(shares.len());
        for share in shares {
            if share.epoch != first.epoch {
                return Err(GroupSignatureError::MixedEpoch { expected: first.epoch, got: share.epoch });
            }
            if share.message != first.message {
                return Err(GroupSignatureError::MixedMessage);
            }
            if share.member >= group.size() {
                return Err(GroupSignatureError::UnknownMember { index: share.member, n: group.size() });
            }
            entries.push((share.member, share.signature.clone()));
        }
        entries.sort_by_key(|(i, _)| *i);
        entries.dedup();
        if let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(GroupSignatureError::DuplicateMember(w[0].0));
        }
        Ok(GroupSignature { group_id: group.id(), epoch: first.epoch, message: first.message, entries })
    }

    /// The group id this signature is for.
    pub fn group_id(&self) -> [u8; 32] {
        self.group_id
    }

    /// The epoch.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The message.
    pub fn message(&self) -> &[u8; 32] {
        &self.message
    }

    /// `(member, signature)` in increasing member order.
    pub fn entries(&self) -> &[(u8, S::Signature)] {
        &self.entries
    }

    /// Checks everything but the member signatures: group, epoch, message, indices, threshold.
    /// Returns the signer set as a bitmask.
    pub fn check_structure(
        &self,
        group: &GroupKey<S>,
        epoch: u64,
        message: &[u8; 32],
    ) -> Result<u16, GroupSignatureError> {
        if self.group_id != group.id() {
            return Err(GroupSignatureError::WrongGroup);
        }
        if self.epoch != epoch {
            return Err(GroupSignatureError::MixedEpoch { expected: epoch, got: self.epoch });
        }
        if self.message != *message {
            return Err(GroupSignatureError::MixedMessage);
        }
        let mask = signer_mask(&self.entries, group.size())?;
        let need = usize::from(group.threshold());
        if self.entries.len() < need {
            return Err(GroupSignatureError::BelowThreshold { have: self.entries.len(), need });
        }
        Ok(mask)
    }

    /// Verifies the group signature: the structure, then every member signature. Returns the signer bitmask.
    pub fn verify(
        &self,
        group: &GroupKey<S>,
        epoch: u64,
        message: &[u8; 32],
    ) -> Result<u16, GroupSignatureError> {
        let mask = self.check_structure(group, epoch, message)?;
        let items = self.verify_items(group);
        first_invalid::<S>(&self.entries, S::verify_batch(&items))?;
        Ok(mask)
    }

    /// One batch item per entry (call after [`GroupSignature::check_structure`]: indices are in range).
    pub(crate) fn verify_items<'a>(&'a self, group: &'a GroupKey<S>) -> Vec<VerifyItem<'a, S>> {
        self.entries
            .iter()
            .map(|(index, signature)| VerifyItem {
                public_key: &group.members()[usize::from(*index)],
                epoch: self.epoch,
                message: &self.message,
                signature,
            })
            .collect()
    }

    /// Encoded form (see the module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.entries.len() * (1 + S::SIGNATURE_BYTES));
        out.extend_from_slice(&self.group_id);
        out.extend_from_slice(&self.epoch.to_le_bytes());
        out.extend_from_slice(&self.message);
        out.push(self.entries.len() as u8);
        for (index, signature) in &self.entries {
            out.push(*index);
            out.extend_from_slice(&S::signature_to_bytes(signature));
        }
        out
    }

    /// Strict decoding: exact length, every member signature decodes. Order, duplicates and the threshold
    /// are checked by [`GroupSignature::verify`] against a group, with their own error variants.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, GroupSignatureError> {
        if bytes.len() < HEADER {
            return Err(GroupSignatureError::Truncated(bytes.len()));
        }
        let count = usize::from(bytes[HEADER - 1]);
        let entry = 1 + S::SIGNATURE_BYTES;
        if bytes.len() != HEADER + count * entry {
            let expected = HEADER + count * entry;
            return Err(GroupSignatureError::EntryBytes { count, expected, got: bytes.len() });
        }
        let entries = bytes[HEADER..]
            .chunks_exact(entry)
            .map(|c| {
                S::signature_from_bytes(&c[1..]).map(|s| (c[0], s)).map_err(|e| {
                    GroupSignatureError::MemberSignature { index: c[0], source: SchemeError::new(e) }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(GroupSignature {
            group_id: core::array::from_fn(|i| bytes[i]),
            epoch: u64::from_le_bytes(core::array::from_fn(|i| bytes[32 + i])),
            message: core::array::from_fn(|i| bytes[40 + i]),
            entries,
        })
    }
}

/// The first failed member signature, in member order, as its typed error.
pub(crate) fn first_invalid<S: Scheme>(
    entries: &[(u8, S::Signature)],
    results: Vec<Result<(), S::Error>>,
) -> Result<(), GroupSignatureError> {
    for ((index, _), result) in entries.iter().zip(results) {
        result.map_err(|e| GroupSignatureError::InvalidMemberSignature {
            index: *index,
            source: SchemeError::new(e),
        })?;
    }
    Ok(())
}

/// The signer set of `entries` as a bitmask: every index below `n` (≤ 16), strictly increasing.
pub(crate) fn signer_mask<T>(entries: &[(u8, T)], n: u8) -> Result<u16, GroupSignatureError> {
    let mut mask = 0u16;
    let mut previous: Option<u8> = None;
    for &(index, _) in entries {
        if index >= n {
            return Err(GroupSignatureError::UnknownMember { index, n });
        }
        match previous {
            Some(p) if p == index => return Err(GroupSignatureError::DuplicateMember(index)),
            Some(p) if p > index => return Err(GroupSignatureError::UnorderedIndices { previous: p, index }),
            _ => {}
        }
        previous = Some(index);
        mask |= 1 << index;
    }
    Ok(mask)
}
