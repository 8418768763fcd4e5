//! The SSZ form of every [`Msg`] the node core exchanges, decoded strictly (canonical bytes only, every
//! signature decoding under the scheme). A networked driver compresses these bytes and puts each kind on its
//! own gossip topic; the kind is therefore not part of the bytes.
//!
//! ```text
//! Block     { header: BlockHeader, certificate: ByteList[2^17] }   (ndvt's group-signature bytes)
//! BlockHeader = { slot: u64, proposer_index: u64, parent_root, state_root, body_root: Bytes32 }
//! Proposal  { header: BlockHeader, proposer_member: u8, attempt: u32 }
//! SignOff   { validator_index: u64, member: u8, slot: u64, root: Bytes32, signature: ByteList[4096] }
//! Vote      { validator_index: u64, member: u8, data: AttestationData, signature: ByteList[4096] }
//! Aggregate { data: AttestationData, aggregate: ByteList[2^20] }   (ndvt's concatenation-aggregate bytes)
//! ```
//!
//! A block's certificate is the proposing group's m-of-n signature over `hash_tree_root(header)` at epoch
//! `header.slot`, and must name exactly those. A sign-off's share signs `root` at epoch `slot`; a vote's signs `hash_tree_root(data)` at `data.slot`, and so
//! does every signature of an aggregate, whose own epoch and message must be exactly those.

use ndvt_aggregation::{AggregateError, ConcatAggregate, GroupSignature, GroupSignatureError, Scheme, Share};
use ssz_derive::{Decode, Encode};
use ssz_types::VariableList;
use tree_hash::Hash256;

use super::Msg;
use crate::accounting::MemberVote;
use crate::block::{BlockCertificate, Proposal};
use crate::containers::{AttestationData, BlockHeader, ContainerError, SignatureBytesLimit, decode, encode};

/// Which gossip topic (and SSZ container) a message travels as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A certified block, to everyone.
    Block,
    /// A primary's block, to its group's members.
    Proposal,
    /// A member's sign-off, to its group's proposer.
    SignOff,
    /// A member's vote, to the aggregators.
    Vote,
    /// An aggregator's aggregate, to everyone.
    Aggregate,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [Kind::Block, Kind::Proposal, Kind::SignOff, Kind::Vote, Kind::Aggregate];
}

/// The largest aggregate's bytes: 16 entries of 16 members' XMSS signatures are far below it; it is also the
/// node's decompressed-payload limit.
pub type AggregateBytesLimit = ssz_types::typenum::U1048576;

/// The largest block certificate's bytes: 16 members' signatures of at most 4,096 bytes each, plus the
/// group signature's header and member indices.
pub type CertificateBytesLimit = ssz_types::typenum::U131072;

/// Why message bytes were refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// The SSZ bytes are malformed or not canonical.
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// The signature bytes do not decode under the scheme.
    #[error("the {container}'s signature does not decode")]
    Signature {
        /// The container.
        container: &'static str,
    },
    /// The aggregate's bytes do not decode, or its epoch or message is not its data's slot and root.
    #[error("the aggregate does not decode or is not over its data")]
    Aggregate(#[source] AggregateError),
    /// The block certificate's bytes do not decode, or it is not over the block's root at the block's slot.
    #[error("the block certificate does not decode or is not over its block")]
    Certificate(#[source] GroupSignatureError),
    /// A registry index or member index does not fit this platform's or the protocol's range.
    #[error("the {container}'s index is out of range")]
    Index {
        /// The container.
        container: &'static str,
    },
}

#[derive(Encode, Decode)]
struct BlockSsz {
    header: BlockHeader,
    certificate: VariableList<u8, CertificateBytesLimit>,
}

#[derive(Encode, Decode)]
struct ProposalSsz {
    header: BlockHeader,
    proposer_member: u8,
    attempt: u32,
}

#[derive(Encode, Decode)]
struct SignOffSsz {
    validator_index: u64,
    member: u8,
    slot: u64,
    root: Hash256,
    signature: VariableList<u8, SignatureBytesLimit>,
}

#[derive(Encode, Decode)]
struct AggregateSsz {
    data: AttestationData,
    aggregate: VariableList<u8, AggregateBytesLimit>,
}

#[derive(Encode, Decode)]
struct VoteSsz {
    validator_index: u64,
    member: u8,
    data: AttestationData,
    signature: VariableList<u8, SignatureBytesLimit>,
}

fn signature_list<S: Scheme>(signature: &S::Signature) -> VariableList<u8, SignatureBytesLimit> {
    // Every scheme's signature fits the 4096-byte list (the XMSS instances are far below it); an oversize one
    // would be a scheme bug, and encodes as empty so that no peer can accept it.
    VariableList::new(S::signature_to_bytes(signature)).unwrap_or_default()
}

/// The message's kind and SSZ bytes.
pub fn encode_msg<S: Scheme>(msg: &Msg<S>) -> (Kind, Vec<u8>) {
    match msg {
        Msg::Block(c) => (
            Kind::Block,
            // A certificate of the largest group is far below the limit; an oversize one (a bug) encodes as
            // empty bytes, which every receiver refuses.
            encode(&BlockSsz {
                header: c.header,
                certificate: VariableList::new(c.signature.to_bytes()).unwrap_or_default(),
            }),
        ),
        Msg::Proposal(p) => (
            Kind::Proposal,
            encode(&ProposalSsz { header: p.header, proposer_member: p.proposer_member, attempt: p.attempt }),
        ),
        Msg::SignOff { entry, root, share } => (
            Kind::SignOff,
            encode(&SignOffSsz {
                validator_index: *entry as u64,
                member: share.member,
                slot: share.epoch,
                root: Hash256::from(*root),
                signature: signature_list::<S>(&share.signature),
            }),
        ),
        Msg::Vote { entry, vote } => (
            Kind::Vote,
            encode(&VoteSsz {
                validator_index: *entry as u64,
                member: vote.member,
                data: vote.data,
                signature: signature_list::<S>(&vote.signature),
            }),
        ),
        Msg::Aggregate { data, aggregate } => (
            Kind::Aggregate,
            // An aggregate over the largest registry is far below the limit; an oversize one (a bug) encodes
            // as empty bytes, which every receiver refuses.
            encode(&AggregateSsz {
                data: *data,
                aggregate: VariableList::new(aggregate.to_bytes()).unwrap_or_default(),
            }),
        ),
    }
}

/// Strictly decodes `bytes` as a message of `kind`.
pub fn decode_msg<S: Scheme>(kind: Kind, bytes: &[u8]) -> Result<Msg<S>, WireError> {
    let index = |container, v: u64| usize::try_from(v).map_err(|_| WireError::Index { container });
    let signature =
        |container, b: &[u8]| S::signature_from_bytes(b).map_err(|_| WireError::Signature { container });
    Ok(match kind {
        Kind::Block => {
            let b: BlockSsz = decode("Block", bytes)?;
            let certificate =
                GroupSignature::<S>::from_bytes(&b.certificate).map_err(WireError::Certificate)?;
            if certificate.epoch() != b.header.slot {
                let (expected, got) = (b.header.slot, certificate.epoch());
                return Err(WireError::Certificate(GroupSignatureError::MixedEpoch { expected, got }));
            }
            if *certificate.message() != b.header.root() {
                return Err(WireError::Certificate(GroupSignatureError::MixedMessage));
            }
            Msg::Block(BlockCertificate { header: b.header, signature: certificate })
        }
        Kind::Proposal => {
            let p: ProposalSsz = decode("Proposal", bytes)?;
            Msg::Proposal(Proposal {
                header: p.header,
                proposer_member: p.proposer_member,
                attempt: p.attempt,
            })
        }
        Kind::SignOff => {
            let s: SignOffSsz = decode("SignOff", bytes)?;
            let share = Share {
                member: s.member,
                epoch: s.slot,
                message: s.root.0,
                signature: signature("SignOff", &s.signature)?,
            };
            Msg::SignOff { entry: index("SignOff", s.validator_index)?, root: s.root.0, share }
        }
        Kind::Vote => {
            let v: VoteSsz = decode("Vote", bytes)?;
            let signature = signature("Vote", &v.signature)?;
            let vote = MemberVote { member: v.member, data: v.data, signature };
            Msg::Vote { entry: index("Vote", v.validator_index)?, vote }
        }
        Kind::Aggregate => {
            let a: AggregateSsz = decode("Aggregate", bytes)?;
            let aggregate = ConcatAggregate::<S>::from_bytes(&a.aggregate).map_err(WireError::Aggregate)?;
            if aggregate.epoch() != a.data.slot || *aggregate.message() != a.data.signing_root() {
                return Err(WireError::Aggregate(AggregateError::Mismatch));
            }
            Msg::Aggregate { data: a.data, aggregate }
        }
    })
}

/// The slot a message is about (for the "too far in the future" check).
pub fn msg_slot<S: Scheme>(msg: &Msg<S>) -> u64 {
    match msg {
        Msg::Block(c) => c.header.slot,
        Msg::Proposal(p) => p.header.slot,
        Msg::SignOff { share, .. } => share.epoch,
        Msg::Vote { vote, .. } => vote.data.slot,
        Msg::Aggregate { data, .. } => data.slot,
    }
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
