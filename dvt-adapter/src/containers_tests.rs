//! Roots computed independently from the SSZ merkleization rules (consensus-specs `ssz/simple-serialize.md`:
//! a uint64 is one chunk, little-endian, zero-padded; a container's root merkleizes its fields' roots padded
//! to a power of two with zero chunks; a bitlist mixes its length into the root of its packed bits), with
//! plain SHA-256 — no code shared with `tree_hash`.

use sha2::{Digest, Sha256};
use ssz::Encode;
use ssz_types::{FixedVector, VariableList};
use tree_hash::{Hash256, TreeHash};

use super::*;

fn h(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut s = Sha256::new();
    s.update(a);
    s.update(b);
    s.finalize().into()
}

fn u64_chunk(v: u64) -> [u8; 32] {
    let mut c = [0u8; 32];
    c[..8].copy_from_slice(&v.to_le_bytes());
    c
}

fn checkpoint_root(root: [u8; 32], slot: u64) -> [u8; 32] {
    h(&root, &u64_chunk(slot))
}

fn sample() -> AttestationData {
    AttestationData {
        slot: 9,
        head: Checkpoint { root: Hash256::from([0x11; 32]), slot: 9 },
        target: Checkpoint { root: Hash256::from([0x22; 32]), slot: 8 },
        source: Checkpoint { root: Hash256::from([0x33; 32]), slot: 4 },
    }
}

#[test]
fn checkpoint_root_matches_hand_merkleization() {
    let c = Checkpoint { root: Hash256::from([0xab; 32]), slot: 0x0102_0304 };
    assert_eq!(c.tree_hash_root().0, checkpoint_root([0xab; 32], 0x0102_0304));
}

#[test]
fn attestation_data_root_matches_hand_merkleization() {
    let d = sample();
    let leaves = [
        u64_chunk(9),
        checkpoint_root([0x11; 32], 9),
        checkpoint_root([0x22; 32], 8),
        checkpoint_root([0x33; 32], 4),
    ];
    let expected = h(&h(&leaves[0], &leaves[1]), &h(&leaves[2], &leaves[3]));
    assert_eq!(d.signing_root(), expected);
    // The same root computed outside Rust with Python's hashlib from the same rules.
    assert_eq!(hex(&expected), "24dcd5f47a5927bf43038b137e9cedf829b0445d9634ca79ea8946f64aa499dc");
    // The fixed-size encoding: slot, then three 40-byte checkpoints.
    assert_eq!(d.as_ssz_bytes().len(), 8 + 3 * 40);
}

#[test]
fn block_header_root_matches_hand_merkleization() {
    let b = BlockHeader {
        slot: 3,
        proposer_index: 5,
        parent_root: Hash256::from([1; 32]),
        state_root: Hash256::from([2; 32]),
        body_root: Hash256::from([3; 32]),
    };
    let z = [0u8; 32];
    let l = [u64_chunk(3), u64_chunk(5), [1; 32], [2; 32], [3; 32], z, z, z];
    let expected = h(&h(&h(&l[0], &l[1]), &h(&l[2], &l[3])), &h(&h(&l[4], &l[5]), &h(&l[6], &l[7])));
    assert_eq!(b.root(), expected);
    // The same root computed outside Rust with Python's hashlib from the same rules.
    assert_eq!(hex(&b.root()), "96414a4f32febeaa652db3ba16277453af86eef9b0f94e2d9646c8595aa12b9d");
}

#[test]
fn validator_root_matches_hand_merkleization() {
    let v = Validator {
        attestation_public_key: FixedVector::new(vec![0xa1; 52]).unwrap(),
        proposal_public_key: FixedVector::new(vec![0xb2; 52]).unwrap(),
        index: 6,
    };
    // A 52-byte vector packs into two chunks, the second zero-padded after 20 bytes.
    let bytes52 = |b: u8| {
        let mut second = [0u8; 32];
        second[..20].fill(b);
        h(&[b; 32], &second)
    };
    let expected = h(&h(&bytes52(0xa1), &bytes52(0xb2)), &h(&u64_chunk(6), &[0u8; 32]));
    assert_eq!(v.tree_hash_root().0, expected);
    assert_eq!(encode(&v).len(), 52 + 52 + 8);
    assert!(matches!(
        decode::<Validator>("Validator", &encode(&v)[..100]),
        Err(ContainerError::Decode { .. })
    ));
}

#[test]
fn aggregation_bits_root_mixes_in_length() {
    let mut bits = AggregationBits::with_capacity(10).unwrap();
    bits.set(0, true).unwrap();
    bits.set(9, true).unwrap();
    // Packed bits 0b0000_0001, 0b0000_0010 in a 4096-bit list: 16 chunks of 32 bytes, zero beyond the first.
    let mut chunk = [0u8; 32];
    chunk[0] = 0x01;
    chunk[1] = 0x02;
    let mut level = vec![chunk];
    level.resize(16, [0u8; 32]);
    while level.len() > 1 {
        level = level.chunks(2).map(|p| h(&p[0], &p[1])).collect();
    }
    let expected = h(&level[0], &u64_chunk(10));
    assert_eq!(bits.tree_hash_root().0, expected);
}

#[test]
fn decode_round_trip_and_typed_errors() {
    let d = sample();
    let bytes = encode(&d);
    assert_eq!(decode::<AttestationData>("AttestationData", &bytes).unwrap(), d);
    let short = decode::<AttestationData>("AttestationData", &bytes[..100]).unwrap_err();
    assert!(matches!(short, ContainerError::Decode { container: "AttestationData", .. }));
    // The decoder's reason is the typed source, not repeated in the message.
    let source = std::error::Error::source(&short).expect("the decoder's reason is the source");
    assert!(!short.to_string().contains(&source.to_string()), "{short}");
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(
        decode::<AttestationData>("AttestationData", &long),
        Err(ContainerError::Decode { .. })
    ));
    let signed = SignedAttestation {
        validator_id: 4,
        message: d,
        signature: VariableList::new(vec![7u8; 424]).unwrap(),
    };
    let sb = encode(&signed);
    assert_eq!(sb.len(), 8 + 128 + 4 + 424);
    assert_eq!(decode::<SignedAttestation>("SignedAttestation", &sb).unwrap(), signed);
    let oversized = {
        let mut b = sb[..140].to_vec();
        b.extend(std::iter::repeat_n(0u8, 5000));
        b
    };
    assert!(matches!(
        decode::<SignedAttestation>("SignedAttestation", &oversized),
        Err(ContainerError::Decode { .. })
    ));
}

/// The bytes `ndvt_aggregation::succinct::SuccinctAggregate::to_ssz_bytes` gives for three participants with
/// bit 1 set and proof `[1, 2, 3]` (pinned in `aggregation/tests/succinct_wire.rs`): the succinct aggregate
/// travels in this container unchanged.
const SUCCINCT_CONTAINER: [u8; 12] = [8, 0, 0, 0, 9, 0, 0, 0, 0b1010, 1, 2, 3];

#[test]
fn aggregated_signature_proof_is_the_succinct_aggregate_container() {
    let mut participants = AggregationBits::with_capacity(3).unwrap();
    participants.set(1, true).unwrap();
    let proof =
        AggregatedSignatureProof { participants, proof_data: VariableList::new(vec![1, 2, 3]).unwrap() };
    assert_eq!(encode(&proof), SUCCINCT_CONTAINER);
    assert_eq!(
        decode::<AggregatedSignatureProof>("AggregatedSignatureProof", &SUCCINCT_CONTAINER).unwrap(),
        proof
    );
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

proptest::proptest! {
    #[test]
    fn attestation_data_round_trips(slot in 0u64.., a in 0u64.., b in 0u64.., r in proptest::array::uniform32(0u8..)) {
        let d = AttestationData {
            slot,
            head: Checkpoint { root: Hash256::from(r), slot: a },
            target: Checkpoint { root: Hash256::from(r), slot: b },
            source: Checkpoint::default(),
        };
        proptest::prop_assert_eq!(decode::<AttestationData>("AttestationData", &encode(&d)).unwrap(), d);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(0u8.., 0..300)) {
        let _ = decode::<SignedAttestation>("SignedAttestation", &bytes);
        let _ = decode::<AggregatedSignatureProof>("AggregatedSignatureProof", &bytes);
        let _ = decode::<BlockHeader>("BlockHeader", &bytes);
    }
}
