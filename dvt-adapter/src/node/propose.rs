//! Block production: proposing as primary, fallback or racer, signing off a proposal, and assembling the
//! sign-offs into a certified block. Every signature goes through the node's own durable signer; a refusal is
//! reported, never bypassed (only an equivocating member falls back to its second signer).

use ndvt_aggregation::{GroupSignature, GroupSigner, Scheme, Share};
use tree_hash::Hash256;

use super::{Action, ChainStore, Msg, NodeCore, Recipient, Refusal, SLOT_MS, hash};
use crate::block::{BlockCertificate, MemberView, Proposal, RaceRule, check_proposal, primary, sign_off};
use crate::containers::BlockHeader;
use crate::sim::{FaultKind, ProposalMode};

impl<S: Scheme, G: GroupSigner<S>> NodeCore<S, G> {
    /// The node's block for `slot` on its head; `attempt` and `fork` make a fallback's or an equivocator's
    /// second block differ.
    fn header(&self, slot: u64, attempt: u32, fork: u8) -> BlockHeader {
        let parent = self.head.root;
        let entry = self.cfg.entry as u64;
        BlockHeader {
            slot,
            proposer_index: entry,
            parent_root: parent,
            state_root: Hash256::from(hash(&[b"state", parent.as_slice(), &slot.to_le_bytes()])),
            body_root: Hash256::from(hash(&[
                b"body",
                &slot.to_le_bytes(),
                &[self.cfg.member, fork],
                &attempt.to_le_bytes(),
                &entry.to_le_bytes(),
            ])),
        }
    }

    /// Proposes if the duty is this node's: a single validator always; a group member if it is the
    /// attempt's primary (any member in race mode), has not signed off a block of the slot (it knows one is
    /// in flight, and could not sign its own anyway) and has not already seen one certified.
    pub(super) fn proposal_due(
        &mut self,
        slot: u64,
        attempt: u32,
        chain: &mut impl ChainStore,
        out: &mut Vec<Action<S>>,
    ) {
        if self.cfg.single {
            let header = self.header(slot, 0, 0);
            chain.insert(header);
            let certificate = sign_off(&mut self.signers.proposal, &header)
                .ok()
                .and_then(|share| GroupSignature::combine(&self.cfg.proposal_keys, &[share]).ok());
            match certificate {
                Some(certificate) => self.certify(header, certificate, chain, out),
                None => out.push(Action::Refused(Refusal::Signer)),
            }
            return;
        }
        let keys = &self.cfg.proposal_keys;
        if self.cfg.mode == ProposalMode::Primary
            && primary(slot, &keys.id(), keys.size(), attempt) != Some(self.cfg.member)
        {
            return;
        }
        // Every block this node knows was certified, so knowing one of the slot means seeing it certified.
        let seen = self.known.iter().any(|r| chain.block(r).is_some_and(|h| h.slot == slot));
        if self.has(FaultKind::FailedPrimary, slot) || self.signed_off == Some(slot) || seen {
            return;
        }
        self.propose(slot, attempt, chain, out);
    }

    fn propose(&mut self, slot: u64, attempt: u32, chain: &mut impl ChainStore, out: &mut Vec<Action<S>>) {
        let a = self.header(slot, attempt, 0);
        chain.insert(a);
        self.sign_own(&a, false, out);
        let b = self.has(FaultKind::Equivocating, slot).then(|| self.header(slot, attempt, 1));
        if let Some(b) = b {
            chain.insert(b);
            self.sign_own(&b, true, out);
        }
        let proposer_member = self.cfg.member;
        for member in (0..self.cfg.proposal_keys.size()).filter(|&m| m != proposer_member) {
            // An equivocating primary shows block a to even members and block b to odd ones.
            let header = match b {
                Some(b) if member % 2 == 1 => b,
                _ => a,
            };
            let msg = Msg::Proposal(Proposal { header, proposer_member, attempt });
            out.push(Action::Send { to: Recipient::Member(member), msg });
        }
    }

    fn sign_own(&mut self, header: &BlockHeader, rogue: bool, out: &mut Vec<Action<S>>) {
        let result = match (rogue, self.signers.rogue.as_mut()) {
            (true, Some((_, p))) => sign_off(p, header),
            _ => sign_off(&mut self.signers.proposal, header),
        };
        match result {
            Ok(share) => {
                self.signed_off = Some(header.slot);
                self.collecting.entry(header.root()).or_default().insert(self.cfg.member, share);
            }
            Err(_) => out.push(Action::Refused(Refusal::Signer)),
        }
    }

    /// Signs off a proposal that passes the block rule, and sends the sign-off to its proposer.
    pub(super) fn receive_proposal(
        &mut self,
        now_ms: u64,
        p: Proposal,
        chain: &mut impl ChainStore,
        out: &mut Vec<Action<S>>,
    ) {
        let slot = now_ms / SLOT_MS;
        // A proposal's parent is a certified block the member may have missed: it fetches it by root.
        self.learn_block(p.header.parent_root.0, chain);
        let view = MemberView {
            slot,
            elapsed_ms: now_ms - slot * SLOT_MS,
            proposer_index: self.cfg.entry as u64,
            head_root: self.head.root.0,
        };
        let keys = &self.cfg.proposal_keys;
        let valid = match self.cfg.mode {
            ProposalMode::Primary => {
                check_proposal(&view, &keys.id(), keys.size(), self.cfg.fallback_timeout_ms.max(1), &p)
            }
            ProposalMode::Race => RaceRule::check(&view, &p.header),
        };
        if valid.is_err() {
            return;
        }
        let equivocating = self.has(FaultKind::Equivocating, slot);
        let share = match sign_off(&mut self.signers.proposal, &p.header) {
            Ok(s) => Some(s),
            Err(_) => {
                out.push(Action::Refused(Refusal::Signer));
                match (equivocating, self.signers.rogue.as_mut()) {
                    (true, Some((_, rogue))) => sign_off(rogue, &p.header).ok(),
                    _ => None,
                }
            }
        };
        let Some(share) = share else { return };
        self.signed_off = Some(slot);
        let msg = Msg::SignOff { entry: self.cfg.entry, root: p.header.root(), share };
        out.push(Action::Send { to: Recipient::Member(p.proposer_member), msg });
    }

    /// Collects a verified sign-off; with m of them the block is certified.
    pub(super) fn receive_sign_off(
        &mut self,
        root: [u8; 32],
        share: Share<S>,
        chain: &mut impl ChainStore,
        out: &mut Vec<Action<S>>,
    ) {
        let Some(header) = chain.block(&root) else { return };
        let keys = &self.cfg.proposal_keys;
        let Some(pk) = keys.members().get(usize::from(share.member)) else { return };
        if share.epoch != header.slot
            || share.message != root
            || S::verify(pk, header.slot, &root, &share.signature).is_err()
        {
            return;
        }
        let m = usize::from(keys.threshold());
        let shares = self.collecting.entry(root).or_default();
        shares.insert(share.member, share);
        if shares.len() >= m && !self.certified.contains(&root) {
            let all: Vec<_> = shares.values().cloned().collect();
            let certificate = GroupSignature::combine(keys, &all)
                .and_then(|sig| sig.check_structure(keys, header.slot, &root).map(|_| sig));
            if let Ok(certificate) = certificate {
                self.certified.insert(root);
                self.certify(header, certificate, chain, out);
            }
        }
    }

    /// A block reached its sign-offs: the node adopts it and publishes it to everyone with its certificate.
    fn certify(
        &mut self,
        header: BlockHeader,
        certificate: GroupSignature<S>,
        chain: &mut impl ChainStore,
        out: &mut Vec<Action<S>>,
    ) {
        out.push(Action::Certified(header));
        self.learn_block(header.root(), chain);
        let msg = Msg::Block(BlockCertificate { header, signature: certificate });
        out.push(Action::Send { to: Recipient::Everyone, msg });
    }
}
