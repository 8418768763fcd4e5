//! Where the participants stand in the registry: the part of the statement that binds the registry and
//! the participation bitlist, not only the participants they select.
//!
//! Without it, one proof would verify for every registry and bitlist that select the same participants
//! in the same order (bit 0 of a 2-entry registry and bit 2 of a 3-entry one, say). The statement therefore
//! carries the registry's length, a commitment to its entries in order and the set bit indices, and the
//! proof absorbs them as public values before any challenge.

use ndvt_xmss::{Devnet4, PublicKey};
use p3_field::PrimeCharacteristicRing;
use sha3::{Digest, Sha3_256};

use super::super::config::Val;
use super::super::error::SuccinctError;
use super::statement::Participant;
use crate::aggregate::Participant as Entry;
use crate::bitlist::BitList;
use crate::xmss_scheme::Xmss;

const REGISTRY_DOMAIN: &[u8] = b"ndvt/succinct/registry/v1";

/// The registry, the bitlist over it, and hence the participants' places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participation {
    /// Entries in the registry (the bitlist's length).
    pub registry_len: u32,
    /// The commitment to the registry's entries in order ([`registry_commitment`]).
    pub registry_commitment: [u8; 32],
    /// The set bits: each participant's registry index, strictly increasing.
    pub indices: Vec<u32>,
}

/// One registry entry as the commitment sees it: its kind, threshold and roster.
struct EntryView<'a> {
    single: bool,
    threshold: u8,
    members: &'a [PublicKey<Devnet4>],
}

/// `SHA3-256(domain ‖ len u32 ‖ entries)`, each entry `kind ‖ m ‖ n ‖ member keys` (kind 0 for a single
/// validator, 1 for a group): what a group id binds, plus the entry's kind and place.
fn commit<'a>(len: u32, entries: impl Iterator<Item = EntryView<'a>>) -> [u8; 32] {
    let mut h = Sha3_256::new();
    h.update(REGISTRY_DOMAIN);
    h.update(len.to_le_bytes());
    for entry in entries {
        h.update([u8::from(!entry.single), entry.threshold, entry.members.len() as u8]);
        for pk in entry.members {
            h.update(pk.to_bytes());
        }
    }
    h.finalize().into()
}

fn registry_len(len: usize) -> Result<u32, SuccinctError> {
    u32::try_from(len).map_err(|_| SuccinctError::RegistryTooLarge(len))
}

/// The commitment to a registry's entries in order.
pub fn registry_commitment(registry: &[Entry<Xmss<Devnet4>>]) -> Result<[u8; 32], SuccinctError> {
    let views = registry.iter().map(|entry| match entry {
        Entry::Single(pk) => EntryView { single: true, threshold: 1, members: core::slice::from_ref(pk) },
        Entry::Group(group) => {
            EntryView { single: false, threshold: group.threshold(), members: group.members() }
        }
    });
    Ok(commit(registry_len(registry.len())?, views))
}

impl Participation {
    /// The participation of `bits` over `registry` (the bitlist must cover the registry exactly).
    pub fn new(registry: &[Entry<Xmss<Devnet4>>], bits: &BitList) -> Result<Self, SuccinctError> {
        if bits.len() != registry.len() {
            return Err(SuccinctError::Participation { bits: bits.len(), registry: registry.len() });
        }
        let indices = bits.ones().map(|i| i as u32).collect();
        Ok(Participation {
            registry_len: registry_len(registry.len())?,
            registry_commitment: registry_commitment(registry)?,
            indices,
        })
    }

    /// The participants themselves as the whole registry, every bit set: the participation of a
    /// statement made without a registry.
    pub fn whole(participants: &[Participant]) -> Result<Self, SuccinctError> {
        let len = registry_len(participants.len())?;
        let views = participants.iter().map(|p| EntryView {
            single: p.is_single(),
            threshold: p.threshold(),
            members: p.members(),
        });
        Ok(Participation {
            registry_len: len,
            registry_commitment: commit(len, views),
            indices: (0..len).collect(),
        })
    }

    /// Refuses a participation that cannot have selected `participants` participants.
    pub(crate) fn validate(&self, participants: usize) -> Result<(), SuccinctError> {
        if self.indices.len() != participants {
            return Err(SuccinctError::ParticipantIndices { indices: self.indices.len(), participants });
        }
        let mut previous = None;
        for &index in &self.indices {
            if index >= self.registry_len || previous.is_some_and(|p| index <= p) {
                return Err(SuccinctError::ParticipantIndex { index, registry: self.registry_len });
            }
            previous = Some(index);
        }
        Ok(())
    }

    /// The public values: the length, the commitment and every index, each 32-bit word as two 16-bit
    /// limbs and the commitment as sixteen (so the map to field elements is injective).
    pub(crate) fn public_values(&self) -> Vec<Val> {
        let limbs = |w: u32| [Val::from_u32(w & 0xffff), Val::from_u32(w >> 16)];
        let mut pv = limbs(self.registry_len).to_vec();
        for pair in self.registry_commitment.chunks_exact(2) {
            pv.push(Val::from_u16(u16::from_le_bytes([pair[0], pair[1]])));
        }
        pv.extend(self.indices.iter().flat_map(|&i| limbs(i)));
        pv
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group_key::{GroupKey, ThresholdPolicy};
    use crate::succinct::fixture::single_epoch_signature;

    /// The commitment of a registry and that of the same entries as a participant list agree, and the
    /// entry's kind counts: a single validator is not a 1-of-1 group of the same key.
    #[test]
    fn registry_and_participant_list_commit_alike_and_kinds_differ() {
        let [a, b, c] = [1, 2, 3].map(|seed| single_epoch_signature(seed, 5, &[0; 32]).0);
        let group = GroupKey::new(2, vec![b, c], ThresholdPolicy::Strict).unwrap().0;
        let registry = vec![Entry::Single(a), Entry::Group(group.clone())];
        let listed = [Participant::single(a), Participant::from_group_key(&group)];
        let mut all = BitList::zeros(2);
        all.set(0, true);
        all.set(1, true);
        assert_eq!(Participation::new(&registry, &all).unwrap(), Participation::whole(&listed).unwrap());

        let one_of_one = GroupKey::new(1, vec![a], ThresholdPolicy::Strict).unwrap().0;
        let as_group = vec![Entry::Group(one_of_one), Entry::Group(group)];
        assert_ne!(registry_commitment(&registry).unwrap(), registry_commitment(&as_group).unwrap());
    }
}
