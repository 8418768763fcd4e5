//! Lean consensus containers (ndvt-adapter): strict SSZ decoding must be canonical and total.
//!
//! Kept outside `checks/` because it needs ndvt-adapter, which the aggregation crate's stable replay cannot
//! depend on; `dvt-adapter/tests/fuzz_corpus.rs` includes this file by path and replays its corpus.
//! Input: one byte choosing the container, then the SSZ bytes.

use core::fmt::Debug;

use ndvt_adapter::containers::{
    AggregatedAttestation, AggregatedSignatureProof, Attestation, AttestationData, BlockHeader, Checkpoint,
    SignedAttestation, Validator, decode, encode,
};
use ndvt_adapter::slashing::SlashingEvidence;
use ndvt_aggregation::Ed25519;
use ssz::{Decode, Encode};
use tree_hash::TreeHash;

/// The containers in input-byte order (`data[0] % 8`).
pub const CONTAINERS: [&str; 8] = [
    "Checkpoint",
    "AttestationData",
    "Attestation",
    "SignedAttestation",
    "AggregatedAttestation",
    "AggregatedSignatureProof",
    "Validator",
    "BlockHeader",
];

/// Decodes `data[1..]` as the container `data[0]` names. Accepted bytes re-encode to themselves and decode
/// to the same value, and their `hash_tree_root` is computed; rejected bytes give a typed error. Panics
/// only when one of those invariants breaks.
pub fn decode_containers(data: &[u8]) {
    let Some((&kind, bytes)) = data.split_first() else { return };
    let name = CONTAINERS[usize::from(kind % 8)];
    match kind % 8 {
        0 => check::<Checkpoint>(name, bytes, |v| v.tree_hash_root().0),
        1 => check::<AttestationData>(name, bytes, |v| v.tree_hash_root().0),
        2 => check::<Attestation>(name, bytes, |v| v.tree_hash_root().0),
        // A signed attestation has no root of its own (its signature is opaque bytes): its message has.
        3 => check::<SignedAttestation>(name, bytes, |v| v.message.tree_hash_root().0),
        4 => check::<AggregatedAttestation>(name, bytes, |v| v.tree_hash_root().0),
        5 => check::<AggregatedSignatureProof>(name, bytes, |v| v.tree_hash_root().0),
        6 => check::<Validator>(name, bytes, |v| v.tree_hash_root().0),
        _ => check::<BlockHeader>(name, bytes, |v| v.tree_hash_root().0),
    }
}

fn check<T: Decode + Encode + PartialEq + Debug>(
    name: &'static str,
    bytes: &[u8],
    root: impl Fn(&T) -> [u8; 32],
) {
    match decode::<T>(name, bytes) {
        Ok(value) => {
            let again = encode(&value);
            assert_eq!(again, bytes, "{name}: an accepted encoding must be the canonical one");
            assert_eq!(decode::<T>(name, &again).as_ref(), Ok(&value), "{name}: decode(encode(v)) != v");
            let _ = root(&value);
        }
        Err(e) => assert_eq!(e.container(), name, "the error names the container"),
    }
}

/// Decodes `data` as slashing evidence (Ed25519 member signatures, the cheap scheme: the container and its
/// shape checks are what is fuzzed, and they are scheme-generic). Accepted bytes re-encode to themselves and
/// decode to the same value; rejected bytes give a typed error. Panics only when an invariant breaks.
pub fn decode_evidence(data: &[u8]) {
    if let Ok(evidence) = SlashingEvidence::<Ed25519>::from_ssz_bytes(data) {
        let again = evidence.to_ssz_bytes().expect("decoded evidence re-encodes");
        assert_eq!(again, data, "an accepted evidence encoding must be the canonical one");
        let back = SlashingEvidence::<Ed25519>::from_ssz_bytes(&again).expect("canonical bytes decode");
        assert_eq!(back, evidence, "decode(encode(v)) != v");
    }
}
