//! The succinct aggregate's decoders (feature `succinct`): the SSZ container and the proof inside it.

use ndvt_aggregation::succinct::{AggregateProof, SuccinctAggregate};

/// The registry limit the container is decoded against (leanSpec `VALIDATOR_REGISTRY_LIMIT`).
pub const REGISTRY_LIMIT: usize = 4096;

/// `SuccinctAggregate::from_ssz_bytes` and `AggregateProof::from_bytes` answer every input with a value or a
/// typed error, and an accepted value re-encodes to exactly its input; the proof decoder also sees the whole
/// input, not only what a container wraps.
pub fn decode_succinct(data: &[u8]) {
    if let Ok(aggregate) = SuccinctAggregate::from_ssz_bytes(data, REGISTRY_LIMIT) {
        assert_eq!(aggregate.to_ssz_bytes(), data);
        proof_round_trip(aggregate.proof_bytes());
    }
    proof_round_trip(data);
}

fn proof_round_trip(bytes: &[u8]) {
    if let Ok(proof) = AggregateProof::from_bytes(bytes) {
        assert_eq!(proof.to_bytes(), bytes);
    }
}
