//! Block production by a group: a primary proposes, the members sign off, the block counts with m sign-offs.
//!
//! The primary of attempt k in a slot is the k-th member of a permutation drawn from (slot, group id), so
//! every member computes it alone; attempt k + 1 becomes valid `timeout` after attempt k (fallback
//! primaries). A member signs off a block iff it is for the slot, names the group as proposer, comes from
//! the primary of an attempt that is already valid, and builds on the member's own head. It signs the
//! header root with its *proposal* key at epoch = slot, through its durable signer: a member that signed off
//! one block of a slot cannot sign off another, so two blocks of one slot both reaching m would need 2m − n
//! members to break their signers — none while 2m > n and fewer than 2m − n members are Byzantine.
//!
//! The thread's *race* variant (every member may propose at once; the first block with m sign-offs wins)
//! needs no primary and no timeout, and its safety rests on exactly the same fact: each member's durable
//! signer releases at most one sign-off per slot. [`RaceRule`] states its sign-off rule.

use ndvt_aggregation::{GroupKey, GroupSignature, GroupSignatureError, GroupSigner, Scheme, Share};
use sha2::{Digest, Sha256};

use crate::containers::BlockHeader;

/// The members of an n-group in primary order for `slot`: attempt k's primary is `order[k % n]`.
pub fn primary_order(slot: u64, group_id: &[u8; 32], n: u8) -> Vec<u8> {
    let key = |member: u8| -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"ndvt/primary/v1");
        h.update(slot.to_le_bytes());
        h.update(group_id);
        h.update([member]);
        h.finalize().into()
    };
    let mut order: Vec<u8> = (0..n).collect();
    order.sort_by_cached_key(|m| key(*m));
    order
}

/// The primary of attempt `attempt` in `slot`.
pub fn primary(slot: u64, group_id: &[u8; 32], n: u8, attempt: u32) -> Option<u8> {
    let order = primary_order(slot, group_id, n);
    let len = order.len();
    order.get((attempt as usize).checked_rem(len)?).copied()
}

/// The highest attempt valid `elapsed_ms` into the slot, with a fallback every `timeout_ms`.
pub fn attempt_at(elapsed_ms: u64, timeout_ms: u64) -> u32 {
    u32::try_from(elapsed_ms.checked_div(timeout_ms).unwrap_or(0)).unwrap_or(u32::MAX)
}

/// A proposal as a member receives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// The block header.
    pub header: BlockHeader,
    /// The proposing member.
    pub proposer_member: u8,
    /// The attempt it claims to be.
    pub attempt: u32,
}

/// Why a member refuses to sign off, or a certificate is invalid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BlockError {
    /// The block is for another slot.
    #[error("block for slot {got}, the member is in slot {expected}")]
    WrongSlot {
        /// The member's slot.
        expected: u64,
        /// The block's slot.
        got: u64,
    },
    /// The block names another proposer index.
    #[error("block names proposer {got}, the slot's proposer is {expected}")]
    WrongProposer {
        /// The slot's proposer.
        expected: u64,
        /// The block's.
        got: u64,
    },
    /// The proposing member is not the primary of the attempt.
    #[error("member {got} is not the primary of attempt {attempt} (member {expected} is)")]
    NotPrimary {
        /// The primary.
        expected: u8,
        /// The proposing member.
        got: u8,
        /// The attempt.
        attempt: u32,
    },
    /// The attempt's timeout has not passed yet.
    #[error("attempt {attempt} is not valid yet (attempt {current} is)")]
    TooEarly {
        /// Claimed attempt.
        attempt: u32,
        /// Highest valid attempt now.
        current: u32,
    },
    /// The block does not build on the member's head.
    #[error("the block's parent is not the member's head")]
    WrongParent,
    /// The certificate's group signature is invalid (fewer than m sign-offs, bad signature...).
    #[error("invalid block certificate")]
    Certificate(#[from] GroupSignatureError),
}

/// What a member knows when it judges a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberView {
    /// The current slot.
    pub slot: u64,
    /// Milliseconds since the slot started.
    pub elapsed_ms: u64,
    /// The slot's proposer (the group's registry index).
    pub proposer_index: u64,
    /// The member's head root.
    pub head_root: [u8; 32],
}

/// The primary-and-fallback sign-off rule.
pub fn check_proposal(
    view: &MemberView,
    group_id: &[u8; 32],
    n: u8,
    timeout_ms: u64,
    proposal: &Proposal,
) -> Result<(), BlockError> {
    let h = &proposal.header;
    if h.slot != view.slot {
        return Err(BlockError::WrongSlot { expected: view.slot, got: h.slot });
    }
    if h.proposer_index != view.proposer_index {
        return Err(BlockError::WrongProposer { expected: view.proposer_index, got: h.proposer_index });
    }
    let current = attempt_at(view.elapsed_ms, timeout_ms);
    if proposal.attempt > current {
        return Err(BlockError::TooEarly { attempt: proposal.attempt, current });
    }
    let expected = primary(view.slot, group_id, n, proposal.attempt).unwrap_or(u8::MAX);
    if expected != proposal.proposer_member {
        return Err(BlockError::NotPrimary {
            expected,
            got: proposal.proposer_member,
            attempt: proposal.attempt,
        });
    }
    if h.parent_root.0 != view.head_root {
        return Err(BlockError::WrongParent);
    }
    Ok(())
}

/// The race variant's rule: sign off the first proposal of the slot that builds on the member's head,
/// whoever proposed it. Safety comes from the member's signer alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RaceRule;

impl RaceRule {
    /// Checks slot, proposer index and parent (no primary, no timeout).
    pub fn check(view: &MemberView, header: &BlockHeader) -> Result<(), BlockError> {
        if header.slot != view.slot {
            return Err(BlockError::WrongSlot { expected: view.slot, got: header.slot });
        }
        if header.proposer_index != view.proposer_index {
            return Err(BlockError::WrongProposer {
                expected: view.proposer_index,
                got: header.proposer_index,
            });
        }
        if header.parent_root.0 != view.head_root {
            return Err(BlockError::WrongParent);
        }
        Ok(())
    }
}

/// Signs off `header` with the member's proposal key at epoch = slot. The error is the signer's own (for
/// XMSS the durable signer's refusal of a second sign-off in the slot).
pub fn sign_off<S: Scheme, G: GroupSigner<S>>(
    signer: &mut G,
    header: &BlockHeader,
) -> Result<Share<S>, G::Error> {
    signer.sign(header.slot, &header.root())
}

/// A block with at least m sign-offs of its group's proposal keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockCertificate<S: Scheme> {
    /// The block header.
    pub header: BlockHeader,
    /// The sign-offs over the header root at epoch = slot.
    pub signature: GroupSignature<S>,
}

impl<S: Scheme> BlockCertificate<S> {
    /// Verifies the sign-offs against the group's proposal keys; returns the signer bitmask.
    pub fn verify(&self, proposal_keys: &GroupKey<S>) -> Result<u16, BlockError> {
        Ok(self.signature.verify(proposal_keys, self.header.slot, &self.header.root())?)
    }
}

#[cfg(test)]
#[path = "block_tests.rs"]
mod tests;
