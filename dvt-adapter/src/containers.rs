//! Lean consensus containers as leanSpec defines them (fork lstar), with SSZ and `hash_tree_root` from the
//! sigp crates (`ethereum_ssz`, `ssz_types`, `tree_hash`).
//!
//! The signed message of an attestation is `hash_tree_root(AttestationData)` and the XMSS epoch is the slot;
//! a block is signed through its header root. Signatures are carried as their own SSZ bytes inside a
//! variable-size field, which gives the same container encoding as embedding the XMSS signature container
//! (an offset, then the signature's bytes).

use ssz::{Decode, Encode};
use ssz_derive::{Decode, Encode};
use ssz_types::typenum::{U52, U4096, U1048576};
use ssz_types::{BitList, FixedVector, VariableList};
use tree_hash::{Hash256, TreeHash};
use tree_hash_derive::TreeHash;

/// leanSpec `VALIDATOR_REGISTRY_LIMIT` (2^12): the largest participation bitfield.
pub type ValidatorRegistryLimit = U4096;
/// Participation bits over the registry (leanSpec `AggregationBits`).
pub type AggregationBits = BitList<ValidatorRegistryLimit>;
/// Largest accepted signature encoding; a Devnet-4 signature is 2536 bytes.
pub type SignatureBytesLimit = U4096;
/// leanSpec `ByteListMiB`: proof bytes of an aggregate.
pub type ProofBytesLimit = U1048576;

/// A block root and its slot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Encode, Decode, TreeHash)]
pub struct Checkpoint {
    /// The block root.
    pub root: Hash256,
    /// The block's slot.
    pub slot: u64,
}

/// What a validator votes for in a slot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Encode, Decode, TreeHash)]
pub struct AttestationData {
    /// The slot of the vote (also the XMSS epoch of its signature).
    pub slot: u64,
    /// The head the voter saw.
    pub head: Checkpoint,
    /// The target checkpoint.
    pub target: Checkpoint,
    /// The source (justified) checkpoint.
    pub source: Checkpoint,
}

impl AttestationData {
    /// The signed message: `hash_tree_root(self)`.
    pub fn signing_root(&self) -> [u8; 32] {
        self.tree_hash_root().0
    }
}

/// One validator's vote (unsigned).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TreeHash)]
pub struct Attestation {
    /// Registry index of the voter.
    pub validator_id: u64,
    /// The vote.
    pub data: AttestationData,
}

/// One validator's vote with its signature (leanSpec `SignedAttestation`). For a group member,
/// `validator_id` is the group's registry index and the member is identified by the key that verifies.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SignedAttestation {
    /// Registry index of the voter.
    pub validator_id: u64,
    /// The vote.
    pub message: AttestationData,
    /// The signature's SSZ bytes.
    pub signature: VariableList<u8, SignatureBytesLimit>,
}

/// A vote and the registry entries that made it (leanSpec `AggregatedAttestation`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TreeHash)]
pub struct AggregatedAttestation {
    /// One bit per registry entry; a group's bit is set only when at least m of its members signed.
    pub aggregation_bits: AggregationBits,
    /// The vote.
    pub data: AttestationData,
}

/// Participants and proof bytes (leanSpec `AggregatedSignatureProof`). The simulator carries the encoded
/// [`ndvt_aggregation::ConcatAggregate`] here; a succinct aggregate (`ndvt_aggregation::succinct`, feature
/// `succinct`) has exactly this SSZ layout, so its `to_ssz_bytes` decode here unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TreeHash)]
pub struct AggregatedSignatureProof {
    /// One bit per registry entry.
    pub participants: AggregationBits,
    /// The aggregate's bytes.
    pub proof_data: VariableList<u8, ProofBytesLimit>,
}

/// A registry entry's keys as leanSpec lists a validator: separate attestation and proposal keys (52-byte
/// XMSS public keys) and its index. A native-DVT group contributes one such record per virtual identity.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TreeHash)]
pub struct Validator {
    /// Attestation public key.
    pub attestation_public_key: FixedVector<u8, U52>,
    /// Proposal public key.
    pub proposal_public_key: FixedVector<u8, U52>,
    /// Validator index.
    pub index: u64,
}

/// A block header; its root is what a proposer (or a group's m sign-offs) signs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Encode, Decode, TreeHash)]
pub struct BlockHeader {
    /// The block's slot.
    pub slot: u64,
    /// Registry index of the proposer (a group's index for a group).
    pub proposer_index: u64,
    /// The parent block's root.
    pub parent_root: Hash256,
    /// The post-state root.
    pub state_root: Hash256,
    /// The body root.
    pub body_root: Hash256,
}

impl BlockHeader {
    /// The block root: `hash_tree_root(self)`.
    pub fn root(&self) -> [u8; 32] {
        self.tree_hash_root().0
    }
}

/// The SSZ decoder's reason, as an error type (`ssz::DecodeError` implements neither `Display` nor `Error`).
#[derive(Clone, Debug, PartialEq)]
pub struct SszError(pub ssz::DecodeError);

impl core::fmt::Display for SszError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl std::error::Error for SszError {}

/// Why container bytes were refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ContainerError {
    /// The SSZ bytes are malformed for this container.
    #[error("malformed {container}")]
    Decode {
        /// The container's name.
        container: &'static str,
        /// The decoder's reason.
        #[source]
        source: SszError,
    },
    /// The bytes decode, but are not the value's one canonical encoding.
    #[error("{container} bytes are not canonical")]
    NonCanonical {
        /// The container's name.
        container: &'static str,
    },
}

impl ContainerError {
    /// The container the bytes were refused as.
    pub fn container(&self) -> &'static str {
        match self {
            ContainerError::Decode { container, .. } | ContainerError::NonCanonical { container } => {
                container
            }
        }
    }
}

/// Strict SSZ decoding with a typed error naming the container.
pub fn decode<T: Decode + Encode>(container: &'static str, bytes: &[u8]) -> Result<T, ContainerError> {
    let value =
        T::from_ssz_bytes(bytes).map_err(|e| ContainerError::Decode { container, source: SszError(e) })?;
    // Canonical: one value, one encoding, so that a root or a signature can never be malleated by re-encoding.
    if value.as_ssz_bytes() != bytes {
        return Err(ContainerError::NonCanonical { container });
    }
    Ok(value)
}

/// SSZ encoding.
pub fn encode<T: Encode>(value: &T) -> Vec<u8> {
    value.as_ssz_bytes()
}

#[cfg(test)]
#[path = "containers_tests.rs"]
mod tests;
