//! The simulator as a driver of the node core: it turns its queued events into core events (skipping crashed
//! nodes, which stand for processes that are not running) and carries out the actions through the network
//! model. No protocol rule lives here.

use std::collections::HashMap;

use super::engine::{Sch, Simulation, aggregator};
use super::scenario::FaultKind;
use crate::containers::{BlockHeader, Checkpoint};
use crate::node::{Action, ChainStore, Event, Msg, Recipient, Refusal};

/// The simulator's one block store, shared by every node (a missing block is fetched by root instantly).
struct SharedChain<'a> {
    blocks: &'a mut HashMap<[u8; 32], BlockHeader>,
    justified: Checkpoint,
    genesis: Checkpoint,
}

impl ChainStore for SharedChain<'_> {
    fn block(&self, root: &[u8; 32]) -> Option<BlockHeader> {
        self.blocks.get(root).copied()
    }
    fn insert(&mut self, header: BlockHeader) {
        self.blocks.insert(header.root(), header);
    }
    fn justified(&self) -> Checkpoint {
        self.justified
    }
    fn genesis(&self) -> Checkpoint {
        self.genesis
    }
}

impl Simulation {
    /// Proposal attempt `attempt` of `slot` is valid: every live member of the proposer entry hears it.
    pub(super) fn fallback(&mut self, slot: u64, attempt: u32) {
        let Some(&entry) = self.proposer_of.get(&slot) else { return };
        for id in self.entries[entry].nodes.clone() {
            if !self.nodes[id].has(FaultKind::Crashed, slot) {
                self.drive(id, Event::ProposalDue { slot, attempt });
            }
        }
    }

    /// Race mode: one member's random moment to propose.
    pub(super) fn race_proposal(&mut self, id: usize, slot: u64) {
        if !self.nodes[id].has(FaultKind::Crashed, slot) {
            self.drive(id, Event::ProposalDue { slot, attempt: 0 });
        }
    }

    /// Interval 1 (plus any lateness) of a live node.
    pub(super) fn attest(&mut self, id: usize, slot: u64) {
        self.drive(id, Event::AttestationDue { slot });
    }

    /// Feeds one event to node `id`'s core and carries out its actions in order.
    pub(super) fn drive(&mut self, id: usize, event: Event<Sch>) {
        let mut chain =
            SharedChain { blocks: &mut self.blocks, justified: self.justified, genesis: self.genesis };
        let actions = self.nodes[id].handle(self.now, event, &mut chain);
        let (entry, member) = (self.nodes[id].entry(), self.nodes[id].member());
        for action in actions {
            match action {
                Action::Send { to: Recipient::Member(m), msg } => {
                    if matches!(msg, Msg::SignOff { .. }) {
                        self.sign_off_messages += 1;
                    }
                    let to = self.entries[entry].nodes[usize::from(m)];
                    self.send(id, to, msg);
                }
                Action::Send { to: Recipient::Everyone, msg } => {
                    for to in (0..self.nodes.len()).filter(|&to| to != id) {
                        self.send(id, to, msg.clone());
                    }
                }
                Action::Send { to: Recipient::Aggregators, msg } => self.send(id, aggregator(self), msg),
                Action::Certified(header) => {
                    let (root, now) = (header.root(), self.now);
                    let list = self.certified.entry(header.slot).or_default();
                    if !list.iter().any(|(r, _)| *r == root) {
                        list.push((root, now));
                    }
                }
                Action::VoteSigned { data, share } => {
                    self.produced[entry].entry(data).or_default().insert(member, share);
                }
                Action::Refused(Refusal::Signer) => self.report.signer_refusals += 1,
                Action::Refused(Refusal::Protection) => self.report.protection_refusals += 1,
            }
        }
    }
}
