//! What each node does: propose (primary, fallback or race), sign off, certify, learn blocks and attest.
//! Every signature goes through the node's own durable signer; a refusal is counted, never bypassed
//! (only an equivocating member falls back to its second signer).

use ndvt_aggregation::{GroupSignature, GroupSigner, Scheme};
use tree_hash::Hash256;

use super::engine::{Msg, SLOT_MS, Sch, Simulation, aggregator, hash};
use super::scenario::{FaultKind, ProposalMode};
use crate::accounting::MemberVote;
use crate::block::{MemberView, Proposal, RaceRule, check_proposal, primary, sign_off};
use crate::containers::{AttestationData, BlockHeader, Checkpoint};
use crate::slashing::conflict;

impl Simulation {
    fn header(&self, id: usize, slot: u64, attempt: u32, fork: u8) -> BlockHeader {
        let node = &self.nodes[id];
        let parent = node.head.root;
        BlockHeader {
            slot,
            proposer_index: node.entry as u64,
            parent_root: parent,
            state_root: Hash256::from(hash(&[b"state", parent.as_slice(), &slot.to_le_bytes()])),
            body_root: Hash256::from(hash(&[
                b"body",
                &slot.to_le_bytes(),
                &[node.member, fork],
                &attempt.to_le_bytes(),
                &(node.entry as u64).to_le_bytes(),
            ])),
        }
    }

    pub(super) fn propose_single(&mut self, entry: usize, slot: u64) {
        let id = self.entries[entry].nodes[0];
        if self.nodes[id].has(FaultKind::Crashed, slot) {
            return;
        }
        let header = self.header(id, slot, 0, 0);
        self.blocks.insert(header.root(), header);
        match sign_off(&mut self.nodes[id].signers.proposal, &header) {
            Ok(_) => self.certify(id, header),
            Err(_) => self.report.signer_refusals += 1,
        }
    }

    /// Primary mode: attempt `attempt`'s primary proposes unless it already saw a certified block.
    pub(super) fn fallback(&mut self, slot: u64, attempt: u32) {
        let Some(&entry) = self.proposer_of.get(&slot) else { return };
        let group_id = self.entries[entry].proposal.id();
        let n = self.entries[entry].nodes.len() as u8;
        let Some(member) = primary(slot, &group_id, n, attempt) else { return };
        let id = self.entries[entry].nodes[usize::from(member)];
        let node = &self.nodes[id];
        let seen = self.certified.get(&slot).is_some_and(|c| c.iter().any(|(r, _)| node.known.contains(r)));
        // A member that already signed off a block of this slot knows one is in flight, and could not
        // sign its own anyway: it does not fall back.
        if node.has(FaultKind::Crashed, slot)
            || node.has(FaultKind::FailedPrimary, slot)
            || node.signed_off == Some(slot)
            || seen
        {
            return;
        }
        self.propose(id, slot, attempt);
    }

    /// Race mode: a member proposes unless it already signed off someone's block or saw one certified.
    pub(super) fn race_proposal(&mut self, id: usize, slot: u64) {
        let node = &self.nodes[id];
        let seen = self.certified.get(&slot).is_some_and(|c| c.iter().any(|(r, _)| node.known.contains(r)));
        if node.has(FaultKind::Crashed, slot)
            || node.has(FaultKind::FailedPrimary, slot)
            || node.signed_off == Some(slot)
            || seen
        {
            return;
        }
        self.propose(id, slot, 0);
    }

    fn propose(&mut self, id: usize, slot: u64, attempt: u32) {
        let equivocating = self.nodes[id].has(FaultKind::Equivocating, slot);
        let entry = self.nodes[id].entry;
        let members = self.entries[entry].nodes.clone();
        let a = self.header(id, slot, attempt, 0);
        self.blocks.insert(a.root(), a);
        self.sign_own(id, &a, false);
        let b = equivocating.then(|| self.header(id, slot, attempt, 1));
        if let Some(b) = b {
            self.blocks.insert(b.root(), b);
            self.sign_own(id, &b, true);
        }
        let proposer_member = self.nodes[id].member;
        for (i, &to) in members.iter().enumerate() {
            if to == id {
                continue;
            }
            // An equivocating primary shows block a to even members and block b to odd ones.
            let header = match b {
                Some(b) if i % 2 == 1 => b,
                _ => a,
            };
            self.send(id, to, Msg::Proposal(Proposal { header, proposer_member, attempt }));
        }
    }

    fn sign_own(&mut self, id: usize, header: &BlockHeader, rogue: bool) {
        let node = &mut self.nodes[id];
        let result = match (rogue, node.signers.rogue.as_mut()) {
            (true, Some((_, p))) => sign_off(p, header),
            _ => sign_off(&mut node.signers.proposal, header),
        };
        match result {
            Ok(share) => {
                node.signed_off = Some(header.slot);
                let member = node.member;
                node.collecting.entry(header.root()).or_default().insert(member, share);
            }
            Err(_) => self.report.signer_refusals += 1,
        }
    }

    pub(super) fn receive_proposal(&mut self, id: usize, p: Proposal) {
        let slot = self.now / SLOT_MS;
        // A proposal's parent is a certified block the member may have missed: it fetches it by root.
        self.learn_block(id, p.header.parent_root.0);
        let node = &self.nodes[id];
        let entry = node.entry;
        let view = MemberView {
            slot,
            elapsed_ms: self.now - slot * SLOT_MS,
            proposer_index: entry as u64,
            head_root: node.head.root.0,
        };
        let group_id = self.entries[entry].proposal.id();
        let n = self.entries[entry].nodes.len() as u8;
        let valid = match self.sc.proposal.mode {
            ProposalMode::Primary => {
                check_proposal(&view, &group_id, n, self.sc.proposal.fallback_timeout_ms.max(1), &p)
            }
            ProposalMode::Race => RaceRule::check(&view, &p.header),
        };
        if valid.is_err() {
            return;
        }
        let equivocating = node.has(FaultKind::Equivocating, slot);
        let node = &mut self.nodes[id];
        let share = match sign_off(&mut node.signers.proposal, &p.header) {
            Ok(s) => Some(s),
            Err(_) => {
                self.report.signer_refusals += 1;
                match (equivocating, node.signers.rogue.as_mut()) {
                    (true, Some((_, rogue))) => sign_off(rogue, &p.header).ok(),
                    _ => None,
                }
            }
        };
        let Some(share) = share else { return };
        node.signed_off = Some(slot);
        let to = self.entries[entry].nodes[usize::from(p.proposer_member)];
        self.sign_off_messages += 1;
        self.send(id, to, Msg::SignOff { root: p.header.root(), share });
    }

    pub(super) fn receive_sign_off(
        &mut self,
        id: usize,
        root: [u8; 32],
        share: ndvt_aggregation::Share<Sch>,
    ) {
        let Some(header) = self.blocks.get(&root).copied() else { return };
        let entry = self.nodes[id].entry;
        let keys = &self.entries[entry].proposal;
        let Some(pk) = keys.members().get(usize::from(share.member)) else { return };
        if share.epoch != header.slot
            || share.message != root
            || Sch::verify(pk, header.slot, &root, &share.signature).is_err()
        {
            return;
        }
        let m = usize::from(keys.threshold());
        let node = &mut self.nodes[id];
        let shares = node.collecting.entry(root).or_default();
        shares.insert(share.member, share);
        if shares.len() >= m && !node.certified.contains(&root) {
            let all: Vec<_> = shares.values().cloned().collect();
            let complete = GroupSignature::combine(keys, &all)
                .and_then(|sig| sig.check_structure(keys, header.slot, &root))
                .is_ok();
            if complete {
                self.nodes[id].certified.insert(root);
                self.certify(id, header);
            }
        }
    }

    /// A block reached its sign-offs: record it and broadcast it to every node.
    fn certify(&mut self, from: usize, header: BlockHeader) {
        let root = header.root();
        let now = self.now;
        let list = self.certified.entry(header.slot).or_default();
        if !list.iter().any(|(r, _)| *r == root) {
            list.push((root, now));
        }
        self.learn_block(from, root);
        for to in 0..self.nodes.len() {
            if to != from {
                self.send(from, to, Msg::Block(header));
            }
        }
    }

    /// Interval 1: the node signs its view (or, if Byzantine, its view and a conflicting one).
    pub(super) fn attest(&mut self, id: usize, slot: u64) {
        let node = &self.nodes[id];
        let mut head = node.head;
        if node.has(FaultKind::DifferentHead, slot) && head.slot > 0 {
            head = self.parent(head);
        }
        let mut target = self.ancestor_below(node.head, slot);
        if node.has(FaultKind::DifferentTarget, slot) {
            target = sibling(target);
        }
        let data = AttestationData { slot, head, target, source: self.justified };
        if node.has(FaultKind::EquivocatingTarget, slot) {
            let own_head = |k: u8| Checkpoint {
                root: Hash256::from(hash(&[
                    b"own head",
                    &(id as u64).to_le_bytes(),
                    &slot.to_le_bytes(),
                    &[k],
                ])),
                slot,
            };
            self.sign_vote(id, AttestationData { head: own_head(0), ..data }, false);
            let other = AttestationData { head: own_head(1), target: sibling(target), ..data };
            self.sign_vote(id, other, true);
            return;
        }
        let equivocating = node.has(FaultKind::Equivocating, slot);
        self.sign_vote(id, data, false);
        if equivocating {
            let fork = Checkpoint { root: Hash256::from(hash(&[b"fork", &slot.to_le_bytes()])), slot };
            self.sign_vote(id, AttestationData { head: fork, ..data }, true);
        }
    }

    fn sign_vote(&mut self, id: usize, data: AttestationData, rogue: bool) {
        let node = &mut self.nodes[id];
        // Slashing protection: an honest member never signs a vote whose target precedes its source or
        // that conflicts with one of its own earlier votes (a Byzantine member's second signer skips this).
        if !rogue {
            if data.target.slot < data.source.slot || node.votes.iter().any(|v| conflict(v, &data).is_some())
            {
                self.report.protection_refusals += 1;
                return;
            }
            node.votes.push(data);
        }
        let root = data.signing_root();
        let result = match (rogue, node.signers.rogue.as_mut()) {
            (true, Some((a, _))) => a.sign(data.slot, &root).map_err(|e| e.to_string()),
            _ => node.signers.attestation.sign(data.slot, &root).map_err(|e| e.to_string()),
        };
        let Ok(share) = result else {
            self.report.signer_refusals += 1;
            return;
        };
        let (entry, member) = (node.entry, node.member);
        self.produced[entry].entry(data).or_default().insert(member, share.clone());
        let vote = MemberVote { member, data, signature: share.signature };
        self.send(id, aggregator(self), Msg::Vote { entry, vote });
    }
}

/// The block a `different-target` member saw at `target`'s slot instead of `target` (one per target, so
/// every member that saw the fork names the same block).
fn sibling(target: Checkpoint) -> Checkpoint {
    Checkpoint { root: Hash256::from(hash(&[b"sibling", target.root.as_slice()])), slot: target.slot }
}
