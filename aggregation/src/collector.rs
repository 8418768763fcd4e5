//! Collects shares as they arrive — any order, duplicates, invalid ones — verifies each once, and yields
//! the group signature as soon as m valid distinct shares are in.

use std::collections::{BTreeMap, HashMap};

use crate::error::{GroupSignatureError, SchemeError};
use crate::group_key::GroupKey;
use crate::group_signature::GroupSignature;
use crate::scheme::{Scheme, Share};

/// Rejected shares remembered per collector (enough for every member resending a few bad shares).
const MAX_REMEMBERED_INVALID: usize = 64;

/// What happened to an offered share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Offer<S: Scheme> {
    /// A new valid share; the threshold is not reached yet.
    Accepted {
        /// Valid distinct members so far.
        have: usize,
        /// The threshold.
        need: usize,
    },
    /// This member already has a valid share here; nothing was verified.
    Duplicate,
    /// This share brought the group to its threshold: the group signature of the valid shares so far.
    Complete(GroupSignature<S>),
    /// A further valid share after the threshold was reached; [`Collector::signature`] includes it.
    Extra,
}

/// Share collector for one group, epoch and message.
#[derive(Debug)]
pub struct Collector<'g, S: Scheme> {
    group: &'g GroupKey<S>,
    epoch: u64,
    message: [u8; 32],
    valid: BTreeMap<u8, S::Signature>,
    invalid: HashMap<(u8, Vec<u8>), SchemeError>,
}

impl<'g, S: Scheme> Collector<'g, S> {
    /// A collector for `(epoch, message)` signed by members of `group`.
    pub fn new(group: &'g GroupKey<S>, epoch: u64, message: [u8; 32]) -> Self {
        Collector { group, epoch, message, valid: BTreeMap::new(), invalid: HashMap::new() }
    }

    /// Valid distinct members so far.
    pub fn count(&self) -> usize {
        self.valid.len()
    }

    /// Offers a share. Errors say why the share was dropped; the collector is unchanged by them.
    pub fn offer(&mut self, share: &Share<S>) -> Result<Offer<S>, GroupSignatureError> {
        if share.epoch != self.epoch {
            return Err(GroupSignatureError::MixedEpoch { expected: self.epoch, got: share.epoch });
        }
        if share.message != self.message {
            return Err(GroupSignatureError::MixedMessage);
        }
        let n = self.group.size();
        if share.member >= n {
            return Err(GroupSignatureError::UnknownMember { index: share.member, n });
        }
        if self.valid.contains_key(&share.member) {
            return Ok(Offer::Duplicate);
        }
        let key = (share.member, S::signature_to_bytes(&share.signature));
        let invalid =
            |source: SchemeError| GroupSignatureError::InvalidMemberSignature { index: share.member, source };
        // A resent bad share is refused with the reason it was refused for the first time, without re-verifying.
        if let Some(first) = self.invalid.get(&key) {
            return Err(invalid(first.clone()));
        }
        let pk = &self.group.members()[usize::from(share.member)];
        if let Err(e) = S::verify(pk, self.epoch, &self.message, &share.signature) {
            let e = SchemeError::new(e);
            // The cache only saves re-verifying a resent bad share; bounded so a flood cannot grow it.
            if self.invalid.len() < MAX_REMEMBERED_INVALID {
                self.invalid.insert(key, e.clone());
            }
            return Err(invalid(e));
        }
        self.valid.insert(share.member, share.signature.clone());
        let (have, need) = (self.valid.len(), usize::from(self.group.threshold()));
        Ok(match have.cmp(&need) {
            core::cmp::Ordering::Less => Offer::Accepted { have, need },
            core::cmp::Ordering::Equal => Offer::Complete(self.assemble()),
            core::cmp::Ordering::Greater => Offer::Extra,
        })
    }

    /// The group signature over every valid share so far, once the threshold is reached.
    pub fn signature(&self) -> Option<GroupSignature<S>> {
        (self.valid.len() >= usize::from(self.group.threshold())).then(|| self.assemble())
    }

    fn assemble(&self) -> GroupSignature<S> {
        GroupSignature {
            group_id: self.group.id(),
            epoch: self.epoch,
            message: self.message,
            entries: self.valid.iter().map(|(i, s)| (*i, s.clone())).collect(),
        }
    }
}
