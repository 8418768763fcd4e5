//! Attesting from the node's own view (interval 1), behind its own slashing protection and durable signer.

use ndvt_aggregation::{GroupSigner, Scheme};
use tree_hash::Hash256;

use super::view::{ancestor_below, parent};
use super::{Action, ChainStore, Msg, NodeCore, Recipient, Refusal, hash};
use crate::accounting::MemberVote;
use crate::containers::{AttestationData, Checkpoint};
use crate::sim::FaultKind;
use crate::slashing::conflict;

impl<S: Scheme, G: GroupSigner<S>> NodeCore<S, G> {
    /// Signs the node's view (or, if Byzantine, its view and a conflicting one) and sends it to the aggregators.
    pub(super) fn attest(&mut self, slot: u64, chain: &impl ChainStore, out: &mut Vec<Action<S>>) {
        let mut head = self.head;
        if self.has(FaultKind::DifferentHead, slot) && head.slot > 0 {
            head = parent(chain, head);
        }
        let mut target = ancestor_below(chain, self.head, slot);
        if self.has(FaultKind::DifferentTarget, slot) {
            target = sibling(target);
        }
        let data = AttestationData { slot, head, target, source: chain.justified() };
        if self.has(FaultKind::EquivocatingTarget, slot) {
            // Heads nobody else uses, so the two votes share nothing but the source.
            let identity = self.cfg.identity as u64;
            let own_head = |k: u8| Checkpoint {
                root: Hash256::from(hash(&[b"own head", &identity.to_le_bytes(), &slot.to_le_bytes(), &[k]])),
                slot,
            };
            self.sign_vote(AttestationData { head: own_head(0), ..data }, false, out);
            let other = AttestationData { head: own_head(1), target: sibling(target), ..data };
            self.sign_vote(other, true, out);
            return;
        }
        self.sign_vote(data, false, out);
        if self.has(FaultKind::Equivocating, slot) {
            let fork = Checkpoint { root: Hash256::from(hash(&[b"fork", &slot.to_le_bytes()])), slot };
            self.sign_vote(AttestationData { head: fork, ..data }, true, out);
        }
    }

    fn sign_vote(&mut self, data: AttestationData, rogue: bool, out: &mut Vec<Action<S>>) {
        // Slashing protection: an honest member never signs a vote whose target precedes its source or
        // that conflicts with one of its own earlier votes (a Byzantine member's second signer skips this).
        if !rogue {
            if data.target.slot < data.source.slot || self.votes.iter().any(|v| conflict(v, &data).is_some())
            {
                out.push(Action::Refused(Refusal::Protection));
                return;
            }
            self.votes.push(data);
        }
        let root = data.signing_root();
        let result = match (rogue, self.signers.rogue.as_mut()) {
            (true, Some((a, _))) => a.sign(data.slot, &root).ok(),
            _ => self.signers.attestation.sign(data.slot, &root).ok(),
        };
        let Some(share) = result else {
            out.push(Action::Refused(Refusal::Signer));
            return;
        };
        let member = self.cfg.member;
        let vote = MemberVote { member, data, signature: share.signature.clone() };
        out.push(Action::VoteSigned { data, share });
        out.push(Action::Send { to: Recipient::Aggregators, msg: Msg::Vote { entry: self.cfg.entry, vote } });
    }
}

/// The block a `different-target` member saw at `target`'s slot instead of `target` (one per target, so
/// every member that saw the fork names the same block).
fn sibling(target: Checkpoint) -> Checkpoint {
    Checkpoint { root: Hash256::from(hash(&[b"sibling", target.root.as_slice()])), slot: target.slot }
}
