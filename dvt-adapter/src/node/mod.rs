//! The node core: what one virtual identity (a group member or a single validator) does, as a sans-IO state
//! machine.
//!
//! A driver feeds it [`Event`]s (the slot clock's duties and the messages the network delivered) together with
//! the node's [`ChainStore`], and carries out the [`Action`]s it returns: messages to publish, blocks that
//! reached their sign-offs, refusals to count and shares to log. The core never touches a clock, a socket or a
//! random source, so the deterministic simulator (`sim`) and a networked node drive the same rules. Signing is
//! the one synchronous call out: the core asks its own durable [`Signers`] directly, because whether a
//! signature is released (and whether a restarted member refuses an epoch it already signed) decides what the
//! core does next in the same step.
//!
//! Timing rules stay in `block`: a driver fires [`Event::ProposalDue`] for attempt k at
//! `k × fallback_timeout_ms` into the slot (or once at a random offset in race mode) and
//! [`Event::AttestationDue`] at the start of interval 1; the core decides whether the duty is its own.

pub mod aggregate;
mod attest;
mod core;
pub mod detect;
mod propose;
pub mod schedule;
mod view;
pub mod wire;

#[cfg(test)]
mod tests;

use ndvt_aggregation::{ConcatAggregate, Scheme, Share};
use sha2::{Digest, Sha256};

pub use self::core::{NodeConfig, NodeCore};
use crate::accounting::MemberVote;
use crate::block::{BlockCertificate, Proposal};
use crate::containers::{AttestationData, BlockHeader, Checkpoint};

/// Slot length: lean's 4 s slots.
pub const SLOT_MS: u64 = 4000;
/// One of the slot's five intervals (proposal and sign-off, attestation, aggregation, …).
pub const INTERVAL_MS: u64 = 800;

/// A message between nodes.
#[derive(Clone, Debug)]
pub enum Msg<S: Scheme> {
    /// A primary's (or racing member's) block, sent to the other members of its group.
    Proposal(Proposal),
    /// A member's sign-off of a proposed block root, sent back to the proposing member.
    SignOff {
        /// The registry entry of the signer's group (so a network node can check the share against it).
        entry: usize,
        /// The signed block root.
        root: [u8; 32],
        /// The member's proposal-key share over it.
        share: Share<S>,
    },
    /// A block that reached its sign-offs, published to every node with them as its certificate: at least
    /// m of the proposing group's members signed its root at epoch `header.slot` (a single validator: its
    /// own signature, as a 1-of-1 group). Nodes adopt only blocks whose certificate verifies.
    Block(BlockCertificate<S>),
    /// One member's vote, sent to the aggregators.
    Vote {
        /// The voter's registry entry.
        entry: usize,
        /// The vote.
        vote: MemberVote<S>,
    },
    /// An aggregator's aggregate of one slot's votes for `data`, to every node (lean's aggregation topic).
    Aggregate {
        /// The data every signature in it signed (its `hash_tree_root` at epoch `data.slot`).
        data: AttestationData,
        /// The registry entries that reached a quorum for `data`, with their signatures.
        aggregate: ConcatAggregate<S>,
    },
}

/// What a driver feeds the core.
#[derive(Clone, Debug)]
pub enum Event<S: Scheme> {
    /// A slot began: the node re-reads the justified checkpoint and moves its head back onto its branch.
    SlotStart {
        /// The slot.
        slot: u64,
    },
    /// The node's entry is the slot's proposer and proposal attempt `attempt` is now valid. Every member gets
    /// it; only the attempt's primary (any member in race mode, the validator itself if single) acts.
    ProposalDue {
        /// The slot.
        slot: u64,
        /// The attempt (0 in race mode and for single validators).
        attempt: u32,
    },
    /// Interval 1: sign the node's own view.
    AttestationDue {
        /// The slot.
        slot: u64,
    },
    /// The network delivered a message.
    Received(Msg<S>),
}

/// Whom a message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipient {
    /// One member of the node's own group.
    Member(u8),
    /// Every other node.
    Everyone,
    /// The aggregators of the node's attestation subnet.
    Aggregators,
}

/// Why the core declined to sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The durable signer refused (for XMSS: the epoch is at or below its watermark).
    Signer,
    /// Slashing protection: the vote conflicts with one the node signed, or its target precedes its source.
    Protection,
}

/// What the core asks its driver to do, in order.
#[derive(Clone, Debug)]
pub enum Action<S: Scheme> {
    /// Publish a message.
    Send {
        /// To whom.
        to: Recipient,
        /// The message.
        msg: Msg<S>,
    },
    /// A block this node assembled reached its sign-offs (the driver records it; a `Send` to everyone follows).
    Certified(BlockHeader),
    /// The node signed a vote (a log record: a slashing detector watches these).
    VoteSigned {
        /// The vote's data.
        data: AttestationData,
        /// The share.
        share: Share<S>,
    },
    /// The node declined to sign.
    Refused(Refusal),
}

/// The blocks a node can look up by root, and the checkpoints it builds on. A networked node keeps its own;
/// the simulator shares one between its nodes (a missing block is "fetched by root" by reading it).
pub trait ChainStore {
    /// The header of `root`, if known.
    fn block(&self, root: &[u8; 32]) -> Option<BlockHeader>;
    /// Stores a header the node built.
    fn insert(&mut self, header: BlockHeader);
    /// The latest justified checkpoint.
    fn justified(&self) -> Checkpoint;
    /// The genesis checkpoint.
    fn genesis(&self) -> Checkpoint;
}

/// One identity's signers, each its own durable signer.
pub struct Signers<G> {
    /// Attestation key.
    pub attestation: G,
    /// Proposal key.
    pub proposal: G,
    /// Second signers over the same keys (an equivocating member's restored backup) — attestation, proposal.
    pub rogue: Option<(G, G)>,
}

/// SHA-256 of the concatenated parts (opaque roots of the model's blocks and forks).
pub(crate) fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}
