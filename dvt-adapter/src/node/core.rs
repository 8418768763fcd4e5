//! The node's state and the event dispatch.

use std::collections::{BTreeMap, HashSet};

use ndvt_aggregation::{GroupKey, GroupSigner, Scheme, Share};

use super::{Action, ChainStore, Event, Msg, Signers};
use crate::containers::{AttestationData, Checkpoint};
use crate::sim::{FaultConfig, FaultKind, ProposalMode};

/// What a node is: its place in the registry, its group's proposal keys and its configured behaviour.
pub struct NodeConfig<S: Scheme> {
    /// The identity's position in the devnet's list of identities (each group's members, then the singles).
    pub identity: usize,
    /// Registry entry.
    pub entry: usize,
    /// Member index (0 for a single validator).
    pub member: u8,
    /// A single-key validator signs its own block, with no sign-off round.
    pub single: bool,
    /// The group's proposal keys (a 1-of-1 group for a single validator): sign-offs are checked against them.
    pub proposal_keys: GroupKey<S>,
    /// Primary-and-fallback or race.
    pub mode: ProposalMode,
    /// Time after which the next fallback primary's proposal is valid.
    pub fallback_timeout_ms: u64,
    /// Behaviour faults (Byzantine, wrong view, failed primary). Crashes and lateness are the driver's.
    pub faults: Vec<FaultConfig>,
}

/// One virtual identity's protocol state.
pub struct NodeCore<S: Scheme, G> {
    pub(super) cfg: NodeConfig<S>,
    pub(super) signers: Signers<G>,
    /// Every certified block this node knows (and genesis).
    pub(super) known: HashSet<[u8; 32]>,
    pub(super) head: Checkpoint,
    /// Sign-offs a proposer collects, per block root.
    pub(super) collecting: BTreeMap<[u8; 32], BTreeMap<u8, Share<S>>>,
    pub(super) certified: HashSet<[u8; 32]>,
    /// The last slot this node signed off a block in.
    pub(super) signed_off: Option<u64>,
    /// Every vote this node signed: its slashing-protection record, as any validator client keeps.
    pub(super) votes: Vec<AttestationData>,
}

impl<S: Scheme, G: GroupSigner<S>> NodeCore<S, G> {
    /// A node that knows only `genesis`.
    pub fn new(cfg: NodeConfig<S>, signers: Signers<G>, genesis: Checkpoint) -> Self {
        NodeCore {
            cfg,
            signers,
            known: HashSet::from([genesis.root.0]),
            head: genesis,
            collecting: BTreeMap::new(),
            certified: HashSet::new(),
            signed_off: None,
            votes: Vec::new(),
        }
    }

    /// Handles one event at `now_ms` (milliseconds since genesis) and returns what the driver must do.
    pub fn handle(&mut self, now_ms: u64, event: Event<S>, chain: &mut impl ChainStore) -> Vec<Action<S>> {
        let mut out = Vec::new();
        match event {
            Event::SlotStart { .. } => self.refocus(chain),
            Event::ProposalDue { slot, attempt } => self.proposal_due(slot, attempt, chain, &mut out),
            Event::AttestationDue { slot } => self.attest(slot, chain, &mut out),
            Event::Received(Msg::Proposal(p)) => self.receive_proposal(now_ms, p, chain, &mut out),
            Event::Received(Msg::SignOff { root, share, .. }) => {
                self.receive_sign_off(root, share, chain, &mut out)
            }
            Event::Received(Msg::Block(c)) => self.learn_block(c.header.root(), chain),
            // Votes and aggregates are the aggregators' and the justifier's business (`aggregate`).
            Event::Received(Msg::Vote { .. } | Msg::Aggregate { .. }) => {}
        }
        out
    }

    /// The registry entry.
    pub fn entry(&self) -> usize {
        self.cfg.entry
    }

    /// The member index.
    pub fn member(&self) -> u8 {
        self.cfg.member
    }

    /// The node's head.
    pub fn head(&self) -> Checkpoint {
        self.head
    }

    /// The votes this node signed (its slashing-protection record).
    pub fn votes(&self) -> &[AttestationData] {
        &self.votes
    }

    /// The signers (a driver advances their prepared windows, off the signing path).
    pub fn signers(&self) -> &Signers<G> {
        &self.signers
    }

    /// The signers, mutably.
    pub fn signers_mut(&mut self) -> &mut Signers<G> {
        &mut self.signers
    }

    /// True if a fault of `kind` is configured for `slot`.
    pub fn has(&self, kind: FaultKind, slot: u64) -> bool {
        self.cfg.faults.iter().any(|f| f.kind == kind && f.active(slot))
    }

    /// How late a `late` node attests in `slot` (a driver's delay).
    pub fn late_ms(&self, slot: u64) -> u64 {
        self.cfg
            .faults
            .iter()
            .filter(|f| f.kind == FaultKind::Late && f.active(slot))
            .map(|f| f.delay_ms)
            .sum()
    }
}
