//! The succinct aggregate as lean consensus carries it: leanSpec's `AggregatedSignatureProof`, a
//! participation bitlist over the registry and the proof bytes.
//!
//! The statement is not sent: the verifier rebuilds it from what it already has, the registry, the epoch
//! and the message (the attestation data root), and the bitlist. Each set bit, in registry order, becomes one
//! participant: a group entry with its `m` and roster, or a single validator as a 1-of-1 participant. So the
//! proof binds every participating group id (its `m`, `n` and keys) and every bit.
//!
//! The concatenation aggregate is the reference: [`SuccinctAggregate::prove`] takes one, counts exactly the
//! signatures it carries, and proves exactly its participation; the proof is refused where the concatenation
//! aggregate would be (a group below its threshold, a bad signature), and it verifies for the same
//! registry, epoch, message and bits.
//!
//! SSZ: the container `{participants: Bitlist[N], proof_data: ByteList[2^20]}` is two 4-byte little-endian
//! offsets (the first is 8) followed by the bitlist bytes and the proof bytes. Decoding is strict: the offsets
//! must be exactly those, the bitlist canonical and within the registry limit, the proof at most
//! [`MAX_PROOF_BYTES`] and canonical itself.

use ndvt_xmss::Devnet4;

use super::super::error::SuccinctError;
use super::proof::{AggregateProof, prove_aggregate, verify_aggregate};
use super::registry::Participation;
use super::statement::{AggregateStatement, Contribution, Participant};
use crate::aggregate::{ConcatAggregate, Participant as Entry};
use crate::bitlist::BitList;
use crate::xmss_scheme::Xmss;

/// The scheme of lean consensus keys.
pub type Lean = Xmss<Devnet4>;

/// Largest proof an aggregate carries: leanSpec's `ByteListMiB`. ndvt's proofs stay under 512 KiB up to
/// [`super::MAX_SIGNATURES`] signatures.
pub const MAX_PROOF_BYTES: usize = 1 << 20;

/// Bytes of the container's fixed part: two offsets.
const FIXED: usize = 8;

/// Participation and proof: one succinct aggregate for one (epoch, message).
///
/// ```
/// use ndvt_aggregation::succinct::SuccinctAggregate;
/// use ndvt_aggregation::succinct::fixture::single_epoch_signature;
/// use ndvt_aggregation::{ConcatAggregate, Participant};
///
/// // A registry of one single-key validator, who signed `msg` at epoch 40.
/// let msg = [1u8; 32];
/// let (pk, sig) = single_epoch_signature(3, 40, &msg);
/// let registry = vec![Participant::Single(pk)];
/// let mut reference = ConcatAggregate::new(40, msg, 1);
/// reference.add_single(0, sig)?;
///
/// let aggregate = SuccinctAggregate::prove(&reference, &registry)?;
/// let bytes = aggregate.to_ssz_bytes(); // leanSpec's `AggregatedSignatureProof`
/// SuccinctAggregate::from_ssz_bytes(&bytes, 4096)?.verify(&registry, 40, &msg)?;
/// assert!(aggregate.verify(&registry, 41, &msg).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SuccinctAggregate {
    participation: BitList,
    proof: Vec<u8>,
}

impl core::fmt::Debug for SuccinctAggregate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "SuccinctAggregate({} participants, {} proof bytes)",
            self.participation.count_ones(),
            self.proof.len()
        )
    }
}

/// The statement that `participation` over `registry` makes for `(epoch, message)`.
pub fn statement_for(
    registry: &[Entry<Lean>],
    participation: &BitList,
    epoch: u64,
    message: &[u8; 32],
) -> Result<AggregateStatement, SuccinctError> {
    let bound = Participation::new(registry, participation)?;
    let epoch = u32::try_from(epoch).map_err(|_| SuccinctError::EpochRange(epoch))?;
    let participants = participation
        .ones()
        .map(|i| match &registry[i] {
            Entry::Single(pk) => Participant::single(*pk),
            Entry::Group(group) => Participant::from_group_key(group),
        })
        .collect();
    let statement = AggregateStatement { message: *message, epoch, participants, participation: bound };
    statement.validate()?;
    Ok(statement)
}

impl SuccinctAggregate {
    /// Proves what `concat` shows over `registry`: every signature is checked, and every participant must
    /// reach its threshold, as [`ConcatAggregate::verify`] requires.
    pub fn prove(concat: &ConcatAggregate<Lean>, registry: &[Entry<Lean>]) -> Result<Self, SuccinctError> {
        let participation = concat.participation();
        let statement = statement_for(registry, &participation, concat.epoch(), concat.message())?;
        // Statement participant q is the q-th set bit.
        let rank: Vec<usize> = participation.ones().collect();
        let contributions: Vec<Contribution> = concat
            .shares()
            .map(|(i, member, signature)| Contribution {
                participant: rank.partition_point(|&r| r < i),
                member,
                signature: signature.clone(),
            })
            .collect();
        // Errors name participants by registry index, as the concatenation aggregate's do.
        let registry_index = |q: usize| rank.get(q).copied().unwrap_or(q);
        let proof = prove_aggregate(&statement, &contributions)
            .map_err(|e| match e {
                SuccinctError::BelowThreshold { participant, got, need } => {
                    SuccinctError::BelowThreshold { participant: registry_index(participant), got, need }
                }
                SuccinctError::InvalidSignature { participant, member } => {
                    SuccinctError::InvalidSignature { participant: registry_index(participant), member }
                }
                SuccinctError::UnknownMember { participant, member } => {
                    SuccinctError::UnknownMember { participant: registry_index(participant), member }
                }
                other => other,
            })?
            .to_bytes();
        Self::from_parts(participation, proof)
    }

    /// An aggregate from its two fields (the proof is decoded only by [`Self::verify`]).
    pub fn from_parts(participation: BitList, proof: Vec<u8>) -> Result<Self, SuccinctError> {
        if proof.len() > MAX_PROOF_BYTES {
            return Err(SuccinctError::ProofTooLarge { got: proof.len(), max: MAX_PROOF_BYTES });
        }
        Ok(SuccinctAggregate { participation, proof })
    }

    /// Verifies that every participant set in the bitlist reached its threshold over `(epoch, message)`.
    pub fn verify(
        &self,
        registry: &[Entry<Lean>],
        epoch: u64,
        message: &[u8; 32],
    ) -> Result<(), SuccinctError> {
        let statement = statement_for(registry, &self.participation, epoch, message)?;
        verify_aggregate(&statement, &AggregateProof::from_bytes(&self.proof)?)
    }

    /// One bit per registry entry.
    pub fn participation(&self) -> &BitList {
        &self.participation
    }

    /// The proof bytes (leanSpec's `proof_data`).
    pub fn proof_bytes(&self) -> &[u8] {
        &self.proof
    }

    /// The SSZ encoding of `{participants, proof_data}`.
    pub fn to_ssz_bytes(&self) -> Vec<u8> {
        let bits = self.participation.to_bytes();
        let mut out = Vec::with_capacity(FIXED + bits.len() + self.proof.len());
        out.extend_from_slice(&(FIXED as u32).to_le_bytes());
        out.extend_from_slice(&((FIXED + bits.len()) as u32).to_le_bytes());
        out.extend_from_slice(&bits);
        out.extend_from_slice(&self.proof);
        out
    }

    /// Decodes the SSZ container strictly; `max_participants` is the bitlist limit (the registry limit).
    pub fn from_ssz_bytes(bytes: &[u8], max_participants: usize) -> Result<Self, SuccinctError> {
        let offset = |at: usize, field: &'static str| -> Result<usize, SuccinctError> {
            let word: [u8; 4] = bytes
                .get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .ok_or(SuccinctError::ContainerOffset { field, offset: at, len: bytes.len() })?;
            Ok(u32::from_le_bytes(word) as usize)
        };
        let (first, second) = (offset(0, "participants")?, offset(4, "proof_data")?);
        if first != FIXED {
            return Err(SuccinctError::ContainerOffset {
                field: "participants",
                offset: first,
                len: bytes.len(),
            });
        }
        if second < first || second > bytes.len() {
            return Err(SuccinctError::ContainerOffset {
                field: "proof_data",
                offset: second,
                len: bytes.len(),
            });
        }
        let participation = BitList::from_bytes(&bytes[first..second], max_participants)?;
        Self::from_parts(participation, bytes[second..].to_vec())
    }
}
