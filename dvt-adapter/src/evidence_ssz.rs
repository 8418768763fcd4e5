//! The SSZ form of [`SlashingEvidence`], decoded strictly: canonical bytes only, at most 16 votes per side,
//! every signature decoding under the scheme, and the evidence's shape checked as
//! [`SlashingEvidence::check_shape`] checks it. Only the signatures and the threshold are left to
//! [`SlashingEvidence::verify`], which needs the group's keys.
//!
//! ```text
//! SlashingEvidence { validator_index: u64, component: u8 (0 source, 1 target, 2 head), a: Side, b: Side }
//! Side { unit: List[Checkpoint, 2] (source | source, target | head), votes: List[Vote, 16] }
//! Vote { member: u8, data: AttestationData, signature: ByteList[4096] }
//! ```

use ndvt_aggregation::Scheme;
use ssz_derive::{Decode, Encode};
use ssz_types::VariableList;
use ssz_types::typenum::{U2, U16};

use crate::accounting::{Component, Credit, MemberVote};
use crate::containers::{AttestationData, Checkpoint, ContainerError, SignatureBytesLimit, decode, encode};
use crate::slashing::{EvidenceSide, Side, SlashingError, SlashingEvidence};

const CONTAINER: &str = "SlashingEvidence";

#[derive(Encode, Decode)]
struct VoteBytes {
    member: u8,
    data: AttestationData,
    signature: VariableList<u8, SignatureBytesLimit>,
}

#[derive(Encode, Decode)]
struct SideBytes {
    unit: VariableList<Checkpoint, U2>,
    votes: VariableList<VoteBytes, U16>,
}

#[derive(Encode, Decode)]
struct EvidenceBytes {
    validator_index: u64,
    component: u8,
    a: SideBytes,
    b: SideBytes,
}

fn component_byte(c: Component) -> u8 {
    match c {
        Component::Source => 0,
        Component::Target => 1,
        Component::Head => 2,
    }
}

fn unit_checkpoints(credit: &Credit) -> Vec<Checkpoint> {
    match credit {
        Credit::Source(c) | Credit::Head(c) => vec![*c],
        Credit::Target { source, target } => vec![*source, *target],
    }
}

fn credit_from<S: Scheme>(
    side: Side,
    component: Component,
    unit: &[Checkpoint],
) -> Result<Credit, SlashingError<S>> {
    let expected = if component == Component::Target { 2 } else { 1 };
    let shape = SlashingError::CreditShape { side, component, expected, got: unit.len() };
    match (component, unit) {
        (Component::Source, [c]) => Ok(Credit::Source(*c)),
        (Component::Head, [c]) => Ok(Credit::Head(*c)),
        (Component::Target, [source, target]) => Ok(Credit::Target { source: *source, target: *target }),
        _ => Err(shape),
    }
}

fn side_bytes<S: Scheme>(side: &EvidenceSide<S>) -> Result<SideBytes, SlashingError<S>> {
    let too_long = |_| SlashingError::Decode(ContainerError::NonCanonical { container: CONTAINER });
    let votes = side
        .votes
        .iter()
        .map(|v| {
            let signature = VariableList::new(S::signature_to_bytes(&v.signature)).map_err(too_long)?;
            Ok(VoteBytes { member: v.member, data: v.data, signature })
        })
        .collect::<Result<Vec<_>, SlashingError<S>>>()?;
    Ok(SideBytes {
        unit: VariableList::new(unit_checkpoints(&side.credit)).map_err(too_long)?,
        votes: VariableList::new(votes).map_err(too_long)?,
    })
}

fn side_from<S: Scheme>(
    side: Side,
    component: Component,
    bytes: SideBytes,
) -> Result<EvidenceSide<S>, SlashingError<S>> {
    let credit = credit_from(side, component, &bytes.unit)?;
    let votes = bytes
        .votes
        .iter()
        .map(|v| {
            let signature = S::signature_from_bytes(&v.signature)
                .map_err(|source| SlashingError::SignatureBytes { side, member: v.member, source })?;
            // One signature, one encoding: evidence bytes cannot be malleated by re-encoding a signature.
            if S::signature_to_bytes(&signature) != v.signature[..] {
                return Err(SlashingError::Decode(ContainerError::NonCanonical { container: CONTAINER }));
            }
            Ok(MemberVote { member: v.member, data: v.data, signature })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(EvidenceSide { credit, votes })
}

impl<S: Scheme> SlashingEvidence<S> {
    /// The SSZ bytes; refuses evidence whose shape is invalid (it has no well-formed encoding).
    pub fn to_ssz_bytes(&self) -> Result<Vec<u8>, SlashingError<S>> {
        self.check_shape()?;
        Ok(encode(&EvidenceBytes {
            validator_index: self.validator_index,
            component: component_byte(self.a.credit.component()),
            a: side_bytes(&self.a)?,
            b: side_bytes(&self.b)?,
        }))
    }

    /// Strict decoding of [`SlashingEvidence::to_ssz_bytes`], with the shape checked; the signatures and the
    /// threshold are checked by [`SlashingEvidence::verify`].
    pub fn from_ssz_bytes(bytes: &[u8]) -> Result<Self, SlashingError<S>> {
        let raw: EvidenceBytes = decode(CONTAINER, bytes).map_err(SlashingError::Decode)?;
        let component = match raw.component {
            0 => Component::Source,
            1 => Component::Target,
            2 => Component::Head,
            other => return Err(SlashingError::UnknownComponent(other)),
        };
        let evidence = SlashingEvidence {
            validator_index: raw.validator_index,
            a: side_from(Side::A, component, raw.a)?,
            b: side_from(Side::B, component, raw.b)?,
        };
        evidence.check_shape()?;
        Ok(evidence)
    }
}

#[cfg(test)]
#[path = "evidence_ssz_tests.rs"]
mod tests;
