//! Checks of every gossip payload before the node core sees it, sans IO. A payload that fails is dropped
//! with a counted [`DropReason`], never stored, and reported to gossipsub as rejected (or ignored, for a
//! duplicate) so that a peer flooding garbage loses its score and its mesh place.

use std::collections::{BTreeMap, HashSet};

use ndvt_adapter::block::BlockCertificate;
use ndvt_adapter::node::Msg;
use ndvt_adapter::node::wire::{Kind, WireError, decode_msg, msg_slot};
use ndvt_adapter::sim::{Roster, Sch};
use ndvt_aggregation::Scheme;
use sha2::{Digest, Sha256};

use crate::wire::decompress;

/// How many slots ahead of the local clock a message may be (clock disparity between honest nodes).
pub const FUTURE_SLOTS: u64 = 1;
/// Slots of payload hashes kept to recognise duplicates (longer than gossipsub's 24 s seen-cache).
const SEEN_SLOTS: u64 = 16;

/// Why a payload was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Not raw snappy, or claiming more than the payload limit.
    BadSnappy,
    /// Not the canonical SSZ of the topic's container (or a signature that does not decode).
    BadSsz,
    /// The signature does not verify under the registry's key.
    InvalidSignature,
    /// The registry entry or member it names does not exist.
    UnknownValidator,
    /// Its slot is more than [`FUTURE_SLOTS`] ahead of the local clock.
    FutureSlot,
    /// The same payload was already accepted.
    Duplicate,
}

impl DropReason {
    /// Every reason.
    pub const ALL: [DropReason; 6] = [
        DropReason::BadSnappy,
        DropReason::BadSsz,
        DropReason::InvalidSignature,
        DropReason::UnknownValidator,
        DropReason::FutureSlot,
        DropReason::Duplicate,
    ];
}

/// The checker: the registry's keys, the payloads seen, and the drop counters.
pub struct Validator<'r> {
    roster: &'r Roster,
    seen: BTreeMap<u64, HashSet<[u8; 32]>>,
    dropped: BTreeMap<DropReason, u64>,
}

impl<'r> Validator<'r> {
    /// A checker against `roster`'s keys.
    pub fn new(roster: &'r Roster) -> Self {
        Validator { roster, seen: BTreeMap::new(), dropped: BTreeMap::new() }
    }

    /// Drops so far, per reason.
    pub fn dropped(&self) -> &BTreeMap<DropReason, u64> {
        &self.dropped
    }

    /// Checks a payload of `kind` received at local slot `now_slot`; counts the reason of a drop.
    pub fn check(&mut self, kind: Kind, data: &[u8], now_slot: u64) -> Result<Msg<Sch>, DropReason> {
        let result = self.check_uncounted(kind, data, now_slot);
        if let Err(reason) = result {
            *self.dropped.entry(reason).or_default() += 1;
        }
        result
    }

    /// Checks a block fetched by root (SSZ, no snappy: the request/response framing carried it) as a gossiped
    /// one, but without the duplicate rule (it was asked for); counts the reason of a drop.
    pub fn check_fetched(&mut self, ssz: &[u8], now_slot: u64) -> Result<BlockCertificate<Sch>, DropReason> {
        let result = self.decode_checked(Kind::Block, ssz, now_slot).and_then(|msg| match msg {
            Msg::Block(c) => Ok(c),
            _ => Err(DropReason::BadSsz),
        });
        if let Err(reason) = result {
            *self.dropped.entry(reason).or_default() += 1;
        }
        result
    }

    /// Strict decoding, the slot bound and the keys' check.
    fn decode_checked(&self, kind: Kind, ssz: &[u8], now_slot: u64) -> Result<Msg<Sch>, DropReason> {
        let msg = decode_msg::<Sch>(kind, ssz).map_err(|e| match e {
            WireError::Index { .. } => DropReason::UnknownValidator,
            _ => DropReason::BadSsz,
        })?;
        if msg_slot(&msg) > now_slot + FUTURE_SLOTS {
            return Err(DropReason::FutureSlot);
        }
        self.check_keys(&msg)?;
        Ok(msg)
    }

    fn check_uncounted(&mut self, kind: Kind, data: &[u8], now_slot: u64) -> Result<Msg<Sch>, DropReason> {
        let ssz = decompress(data).map_err(|_| DropReason::BadSnappy)?;
        let msg = self.decode_checked(kind, &ssz, now_slot)?;
        let slot = msg_slot(&msg);
        let digest: [u8; 32] = Sha256::digest(&ssz).into();
        if self.seen.values().any(|s| s.contains(&digest)) {
            return Err(DropReason::Duplicate);
        }
        self.seen.entry(slot).or_default().insert(digest);
        // Forget payloads of old slots: memory stays bounded by the slots a message may still arrive in.
        let keep = now_slot.saturating_sub(SEEN_SLOTS);
        self.seen = self.seen.split_off(&keep);
        Ok(msg)
    }

    /// The registry entry and member exist, and the signature (if the kind carries one) verifies.
    fn check_keys(&self, msg: &Msg<Sch>) -> Result<(), DropReason> {
        let entries = &self.roster.entries;
        let entry = |index: u64| {
            usize::try_from(index).ok().and_then(|i| entries.get(i)).ok_or(DropReason::UnknownValidator)
        };
        match msg {
            // Certified means m of the proposer's group signed this root at this slot.
            Msg::Block(c) => {
                let e = entry(c.header.proposer_index)?;
                c.verify(&e.proposal).map(|_| ()).map_err(|_| DropReason::InvalidSignature)
            }
            Msg::Proposal(p) => {
                let e = entry(p.header.proposer_index)?;
                if p.proposer_member >= e.proposal.size() {
                    return Err(DropReason::UnknownValidator);
                }
                Ok(())
            }
            Msg::SignOff { entry: index, root, share } => {
                let e = entry(*index as u64)?;
                let pk = e
                    .proposal
                    .members()
                    .get(usize::from(share.member))
                    .ok_or(DropReason::UnknownValidator)?;
                if share.message != *root || Sch::verify(pk, share.epoch, root, &share.signature).is_err() {
                    return Err(DropReason::InvalidSignature);
                }
                Ok(())
            }
            Msg::Vote { entry: index, vote } => {
                let e = entry(*index as u64)?;
                let pk = e
                    .attestation
                    .members()
                    .get(usize::from(vote.member))
                    .ok_or(DropReason::UnknownValidator)?;
                let root = vote.data.signing_root();
                if Sch::verify(pk, vote.data.slot, &root, &vote.signature).is_err() {
                    return Err(DropReason::InvalidSignature);
                }
                Ok(())
            }
            Msg::Aggregate { data, aggregate } => {
                let slot = data.slot;
                if aggregate.participation().len() != entries.len() {
                    return Err(DropReason::UnknownValidator);
                }
                // Every part against the registry's keys of its slot (a group's m shares under its key).
                let participants = self.roster.registry.attestation_participants(slot);
                if aggregate.participation().count_ones() == 0
                    || aggregate.verify(&participants, slot, &data.signing_root()).is_err()
                {
                    return Err(DropReason::InvalidSignature);
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
