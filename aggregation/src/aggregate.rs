//! The concatenation aggregate: for one (epoch, message), a participation bitlist over a registry of single
//! validators and groups, and the signatures behind each set bit. It is the reference that any succinct
//! aggregate must agree with.
//!
//! Encoding: `epoch u64 LE ‖ message 32 ‖ bitlist length u32 LE ‖ SSZ bitlist ‖ parts`, one part per set bit
//! in registry order: `members u16 LE ‖ signatures`, where a single validator's part has `members = 0` and one
//! signature, and a group's part has its signer bitmask and one signature per set member bit, in order.

use std::collections::BTreeMap;

use crate::bitlist::{BitList, BitListError};
use crate::error::{GroupSignatureError, SchemeError};
use crate::group_key::GroupKey;
use crate::group_signature::{GroupSignature, signer_mask};
use crate::scheme::{Scheme, VerifyItem};

/// Largest registry an aggregate may cover.
pub const MAX_PARTICIPANTS: usize = 1 << 20;

/// One entry of the registry an aggregate refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Participant<S: Scheme> {
    /// A single-key validator.
    Single(S::PublicKey),
    /// An m-of-n group.
    Group(GroupKey<S>),
}

/// Why an aggregate is malformed or invalid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AggregateError {
    /// The bytes end before the header, the bitlist or a part they announce.
    #[error("aggregate of {0} bytes ends before what it announces")]
    Truncated(usize),
    /// Bytes follow the last part.
    #[error("{0} trailing bytes after the last part")]
    TrailingBytes(usize),
    /// A participant's signature bytes do not decode.
    #[error("participant {participant}'s signature does not decode")]
    SignatureBytes {
        /// Registry index.
        participant: usize,
        /// The scheme's reason.
        #[source]
        source: SchemeError,
    },
    /// The participation bitlist is malformed.
    #[error("malformed participation bitlist")]
    BitList(#[from] BitListError),
    /// The bitlist does not cover the registry exactly.
    #[error("participation covers {got} entries, the registry has {expected}")]
    ParticipantCount {
        /// Registry size.
        expected: usize,
        /// Bits in the aggregate.
        got: usize,
    },
    /// The aggregate's epoch or message is not the expected one (verify) or differs (merge).
    #[error("aggregates are over different epochs or messages")]
    Mismatch,
    /// A participant index beyond the registry.
    #[error("participant {0} is not in the registry")]
    UnknownParticipant(usize),
    /// A part's shape does not match its registry entry (group part for a single validator or the reverse).
    #[error("participant {0}: the part does not match a {1}")]
    Shape(usize, &'static str),
    /// A single validator's signature does not verify.
    #[error("participant {participant}'s signature is invalid")]
    InvalidSignature {
        /// Registry index.
        participant: usize,
        /// The scheme's reason.
        #[source]
        source: SchemeError,
    },
    /// A group's part fails as a group signature.
    #[error("participant {participant}'s group signature is invalid")]
    Group {
        /// Registry index.
        participant: usize,
        /// What is wrong with the group's signatures.
        #[source]
        error: GroupSignatureError,
    },
}

/// The signer mask of group-signature entries. The mask is the part's only record of who signed, so the
/// entries must map onto it one to one: at least one, indices below 16, strictly increasing.
fn part_mask<T>(entries: &[(u8, T)]) -> Result<u16, GroupSignatureError> {
    if entries.is_empty() {
        return Err(GroupSignatureError::BelowThreshold { have: 0, need: 1 });
    }
    signer_mask(entries, crate::MAX_MEMBERS as u8)
}

/// A group's or a single validator's signatures inside an aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part<S: Scheme> {
    members: u16,
    signatures: Vec<S::Signature>,
}

/// The concatenation aggregate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConcatAggregate<S: Scheme> {
    epoch: u64,
    message: [u8; 32],
    registry_len: usize,
    parts: BTreeMap<usize, Part<S>>,
}

impl<S: Scheme> ConcatAggregate<S> {
    /// An empty aggregate for `(epoch, message)` over a registry of `registry_len` entries.
    pub fn new(epoch: u64, message: [u8; 32], registry_len: usize) -> Self {
        ConcatAggregate { epoch, message, registry_len, parts: BTreeMap::new() }
    }

    /// The epoch every signature is over.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The message every signature is over.
    pub fn message(&self) -> &[u8; 32] {
        &self.message
    }

    /// Every signature with its registry index and member index (0 for a single validator), in registry
    /// order and, within a group, in member order.
    pub fn shares(&self) -> impl Iterator<Item = (usize, u8, &S::Signature)> + '_ {
        self.parts.iter().flat_map(|(&i, part)| {
            // A single validator's part has no mask and one signature: member 0.
            let mask = if part.members == 0 { 1 } else { part.members };
            (0..16u8)
                .filter(move |&j| mask >> j & 1 == 1)
                .zip(&part.signatures)
                .map(move |(j, sig)| (i, j, sig))
        })
    }

    /// The participation bitlist.
    pub fn participation(&self) -> BitList {
        let mut bits = BitList::zeros(self.registry_len);
        for i in self.parts.keys() {
            bits.set(*i, true);
        }
        bits
    }

    /// Adds single validator `participant`'s signature (replacing any earlier one).
    pub fn add_single(&mut self, participant: usize, signature: S::Signature) -> Result<(), AggregateError> {
        if participant >= self.registry_len {
            return Err(AggregateError::UnknownParticipant(participant));
        }
        self.parts.insert(participant, Part { members: 0, signatures: vec![signature] });
        Ok(())
    }

    /// Adds group `participant`'s group signature (its epoch and message must match).
    pub fn add_group(
        &mut self,
        participant: usize,
        signature: &GroupSignature<S>,
    ) -> Result<(), AggregateError> {
        if participant >= self.registry_len {
            return Err(AggregateError::UnknownParticipant(participant));
        }
        if signature.epoch() != self.epoch || signature.message() != &self.message {
            return Err(AggregateError::Mismatch);
        }
        let members =
            part_mask(signature.entries()).map_err(|error| AggregateError::Group { participant, error })?;
        let signatures = signature.entries().iter().map(|(_, s)| s.clone()).collect();
        self.parts.insert(participant, Part { members, signatures });
        Ok(())
    }

    /// Verifies every part against `registry` for `(epoch, message)`.
    pub fn verify(
        &self,
        registry: &[Participant<S>],
        epoch: u64,
        message: &[u8; 32],
    ) -> Result<(), AggregateError> {
        if epoch != self.epoch || *message != self.message {
            return Err(AggregateError::Mismatch);
        }
        if registry.len() != self.registry_len {
            return Err(AggregateError::ParticipantCount {
                expected: registry.len(),
                got: self.registry_len,
            });
        }
        // Structure first (cheap, per part), then every signature of every part in one batch, so a scheme
        // with a packed batch path fills its lanes across groups; then the first failure in registry order.
        let mut checked: Vec<(usize, Result<core::ops::Range<usize>, AggregateError>)> = Vec::new();
        let mut items: Vec<VerifyItem<'_, S>> = Vec::new();
        let mut owners: Vec<u8> = Vec::new();
        for (&i, part) in &self.parts {
            let first = items.len();
            let shape = self.part_items(registry, i, part, &mut items, &mut owners);
            checked.push((i, shape.map(|()| first..items.len())));
        }
        let mut results = S::verify_batch(&items);
        for (i, shape) in checked {
            let range = shape?;
            let failed = range.clone().find(|&k| results[k].is_err());
            if let Some(k) = failed {
                // Take the scheme's error out of the batch results: it becomes this error's typed source.
                let Err(e) = core::mem::replace(&mut results[k], Ok(())) else { continue };
                let source = SchemeError::new(e);
                return Err(match &registry[i] {
                    Participant::Single(_) => AggregateError::InvalidSignature { participant: i, source },
                    Participant::Group(_) => AggregateError::Group {
                        participant: i,
                        error: GroupSignatureError::InvalidMemberSignature { index: owners[k], source },
                    },
                });
            }
        }
        Ok(())
    }

    /// Checks part `i`'s shape against its registry entry and appends its signatures to the batch
    /// (`owners` records each item's member index).
    fn part_items<'a>(
        &'a self,
        registry: &'a [Participant<S>],
        i: usize,
        part: &'a Part<S>,
        items: &mut Vec<VerifyItem<'a, S>>,
        owners: &mut Vec<u8>,
    ) -> Result<(), AggregateError> {
        let (epoch, message) = (self.epoch, &self.message);
        match registry.get(i).ok_or(AggregateError::UnknownParticipant(i))? {
            Participant::Single(public_key) => {
                let [signature] = part.signatures.as_slice() else {
                    return Err(AggregateError::Shape(i, "single validator"));
                };
                if part.members != 0 {
                    return Err(AggregateError::Shape(i, "single validator"));
                }
                items.push(VerifyItem { public_key, epoch, message, signature });
                owners.push(0);
            }
            Participant::Group(group) => {
                let group_error = |error| AggregateError::Group { participant: i, error };
                let n = group.size();
                if let Some(index) = (n..16).rev().find(|b| part.members >> b & 1 == 1) {
                    return Err(group_error(GroupSignatureError::UnknownMember { index, n }));
                }
                let (have, need) = (part.members.count_ones() as usize, usize::from(group.threshold()));
                if have < need {
                    return Err(group_error(GroupSignatureError::BelowThreshold { have, need }));
                }
                let indices = (0..n).filter(|b| part.members >> b & 1 == 1);
                for (index, signature) in indices.zip(&part.signatures) {
                    let public_key = &group.members()[usize::from(index)];
                    items.push(VerifyItem { public_key, epoch, message, signature });
                    owners.push(index);
                }
            }
        }
        Ok(())
    }

    /// Merges two aggregates of the same (epoch, message, registry): the union of participants, and for a
    /// group in both, the union of its signers.
    pub fn merge(&self, other: &Self) -> Result<Self, AggregateError> {
        if self.epoch != other.epoch
            || self.message != other.message
            || self.registry_len != other.registry_len
        {
            return Err(AggregateError::Mismatch);
        }
        let mut merged = self.clone();
        for (&i, theirs) in &other.parts {
            let Some(ours) = merged.parts.get_mut(&i) else {
                merged.parts.insert(i, theirs.clone());
                continue;
            };
            if ours.members == 0 || theirs.members == 0 {
                continue; // a single validator: either signature will do
            }
            let mut signatures = Vec::new();
            let (mut a, mut b) = (ours.signatures.iter(), theirs.signatures.iter());
            for bit in 0..16 {
                let (in_a, in_b) = (ours.members >> bit & 1 == 1, theirs.members >> bit & 1 == 1);
                let (from_a, from_b) = (in_a.then(|| a.next()).flatten(), in_b.then(|| b.next()).flatten());
                if let Some(s) = from_a.or(from_b) {
                    signatures.push(s.clone());
                }
            }
            *ours = Part { members: ours.members | theirs.members, signatures };
        }
        Ok(merged)
    }

    /// Encoded form (see the module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let bits = self.participation().to_bytes();
        let mut out = self.epoch.to_le_bytes().to_vec();
        out.extend_from_slice(&self.message);
        out.extend_from_slice(&(bits.len() as u32).to_le_bytes());
        out.extend_from_slice(&bits);
        for part in self.parts.values() {
            out.extend_from_slice(&part.members.to_le_bytes());
            for s in &part.signatures {
                out.extend_from_slice(&S::signature_to_bytes(s));
            }
        }
        out
    }

    /// Strict decoding: canonical bitlist, one part per set bit, exact length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, AggregateError> {
        let short = || AggregateError::Truncated(bytes.len());
        let header = bytes.get(..44).ok_or_else(short)?;
        let epoch = u64::from_le_bytes(core::array::from_fn(|i| header[i]));
        let message = core::array::from_fn(|i| header[8 + i]);
        let bits_len = u32::from_le_bytes(core::array::from_fn(|i| header[40 + i])) as usize;
        let bits_bytes = bytes.get(44..44usize.saturating_add(bits_len)).ok_or_else(short)?;
        let bits = BitList::from_bytes(bits_bytes, MAX_PARTICIPANTS)?;
        let mut rest = &bytes[44 + bits_len..];
        let mut parts = BTreeMap::new();
        for i in bits.ones() {
            let (head, tail) = rest.split_at_checked(2).ok_or_else(short)?;
            let members = u16::from_le_bytes([head[0], head[1]]);
            let count = if members == 0 { 1 } else { members.count_ones() as usize };
            let (sigs, tail) = tail.split_at_checked(count * S::SIGNATURE_BYTES).ok_or_else(short)?;
            let signatures = sigs
                .chunks_exact(S::SIGNATURE_BYTES)
                .map(|c| {
                    S::signature_from_bytes(c).map_err(|e| AggregateError::SignatureBytes {
                        participant: i,
                        source: SchemeError::new(e),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            parts.insert(i, Part { members, signatures });
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(AggregateError::TrailingBytes(rest.len()));
        }
        Ok(ConcatAggregate { epoch, message, registry_len: bits.len(), parts })
    }
}
