//! Step 1 of the succinct aggregate: proofs of hash-chain walks (feature `succinct`).
#![cfg(feature = "succinct")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::LazyLock;

use ndvt_aggregation::succinct::security::chain_walk_security;
use ndvt_aggregation::succinct::{
    ChainWalkProof, ChainWalkStatement, MAX_STEPS, MAX_WALKS, ProofDecodeError, SuccinctError, WalkStart,
    prove_chain_walks, verify_chain_walks,
};
use ndvt_xmss::primitives::walk;
use ndvt_xmss::{Digest, F, Parameter};
use p3_field::PrimeCharacteristicRing;

const EPOCH: u32 = 0xdead_beef;

fn parameter() -> Parameter {
    core::array::from_fn(|i| F::from_u32(1_000 + i as u32))
}

fn digest(seed: u32) -> Digest {
    core::array::from_fn(|i| {
        F::from_u32(seed.wrapping_mul(2_654_435_761).wrapping_add(i as u32) % 0x7f00_0001)
    })
}

/// One signature's worth of walks: 46 chains from varied start positions to the chain end (position 7).
fn signature_walks() -> Vec<WalkStart> {
    (0..46u8)
        .map(|c| {
            let start_pos = (c * 5) % 8;
            WalkStart { chain_index: c, start_pos, steps: 7 - start_pos, start: digest(u32::from(c)) }
        })
        .collect()
}

static PROVEN: LazyLock<(ChainWalkStatement, Vec<u8>)> = LazyLock::new(|| {
    let (statement, proof) = prove_chain_walks(&parameter(), EPOCH, &signature_walks()).unwrap();
    (statement, proof.to_bytes())
});

fn proven() -> (ChainWalkStatement, ChainWalkProof) {
    (PROVEN.0.clone(), ChainWalkProof::from_bytes(&PROVEN.1).unwrap())
}

fn assert_rejected(statement: &ChainWalkStatement, proof: &ChainWalkProof) {
    match verify_chain_walks(statement, proof) {
        Err(SuccinctError::Rejected(_)) => {}
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[test]
fn proven_ends_are_the_xmss_chain_ends() {
    let (statement, proof) = proven();
    assert_eq!(statement.walks.len(), 46);
    for (w, start) in statement.walks.iter().zip(signature_walks()) {
        let expected =
            walk(&parameter(), EPOCH, start.chain_index, start.start_pos, start.steps, &start.start);
        assert_eq!(w.end, expected, "chain {}", w.chain_index);
    }
    verify_chain_walks(&statement, &proof).unwrap();
}

#[test]
fn encoding_round_trips_exactly() {
    let (_, proof) = proven();
    assert_eq!(proof.to_bytes(), PROVEN.1);
}

#[test]
fn a_wrong_end_value_is_rejected() {
    let (statement, proof) = proven();
    for (j, i) in [(0usize, 0usize), (17, 7), (45, 3)] {
        let mut bad = statement.clone();
        bad.walks[j].end[i] += F::ONE;
        assert_rejected(&bad, &proof);
    }
}

#[test]
fn every_other_public_input_is_bound() {
    let (statement, proof) = proven();
    type Edit = Box<dyn Fn(&mut ChainWalkStatement)>;
    let mut edits: Vec<Edit> = vec![
        Box::new(|s| s.parameter[4] += F::ONE),
        Box::new(|s| s.epoch ^= 1),
        Box::new(|s| s.epoch ^= 1 << 31),
        Box::new(|s| s.walks[3].chain_index ^= 1),
        Box::new(|s| s.walks[3].start[2] += F::ONE),
        Box::new(|s| s.walks.swap(1, 2)),
    ];
    // A walk with a shorter claim from a later start: same end position, different statement.
    edits.push(Box::new(|s| {
        let w = &mut s.walks[0];
        w.start_pos += 1;
        w.steps -= 1;
    }));
    for (k, edit) in edits.iter().enumerate() {
        let mut bad = statement.clone();
        edit(&mut bad);
        assert_ne!(bad, statement, "edit {k}");
        assert_rejected(&bad, &proof);
    }
}

#[test]
fn a_proof_of_another_statement_is_rejected() {
    let (statement, proof) = proven();
    let mut walks = signature_walks();
    walks[0].start = digest(999);
    let (other, _) = prove_chain_walks(&parameter(), EPOCH, &walks).unwrap();
    assert_ne!(other, statement);
    assert_rejected(&other, &proof);
    // Dropping a walk changes the trace height the statement needs.
    let mut fewer = statement.clone();
    fewer.walks.truncate(31);
    assert_rejected(&fewer, &proof);
}

#[test]
fn tampered_proof_bytes_are_rejected_without_panicking() {
    let (statement, _) = proven();
    let bytes = &PROVEN.1;
    // Every 97th byte, and every byte of the first and last 64: flip the low bit.
    let positions: Vec<usize> =
        (0..64).chain((64..bytes.len() - 64).step_by(97)).chain(bytes.len() - 64..bytes.len()).collect();
    for &pos in &positions {
        let mut bad = bytes.clone();
        bad[pos] ^= 1;
        if let Ok(proof) = ChainWalkProof::from_bytes(&bad) {
            assert!(verify_chain_walks(&statement, &proof).is_err(), "flip at byte {pos} accepted");
        }
    }
}

#[test]
fn truncated_and_extended_proofs_are_decode_errors() {
    let bytes = &PROVEN.1;
    for cut in [0, 1, 4, 40, bytes.len() / 2, bytes.len() - 1] {
        match ChainWalkProof::from_bytes(&bytes[..cut]) {
            Err(SuccinctError::Decode(ProofDecodeError::Truncated { .. }))
            | Err(SuccinctError::Decode(ProofDecodeError::LengthExceedsInput { .. })) => {}
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(
        ChainWalkProof::from_bytes(&long).unwrap_err(),
        SuccinctError::Decode(ProofDecodeError::TrailingBytes { count: 1 })
    ));
}

#[test]
fn non_canonical_words_and_bad_tags_are_decode_errors() {
    let bytes = &PROVEN.1;
    // The trace commitment starts with its root count (1), then the first digest element at byte 4.
    let mut bad = bytes.clone();
    bad[4..8].copy_from_slice(&0x7f00_0001u32.to_le_bytes());
    assert!(matches!(
        ChainWalkProof::from_bytes(&bad),
        Err(SuccinctError::Decode(ProofDecodeError::NonCanonicalFieldElement { value: 0x7f00_0001, .. }))
    ));
    let mut two_roots = bytes.clone();
    two_roots[0] = 2;
    assert!(matches!(
        ChainWalkProof::from_bytes(&two_roots),
        Err(SuccinctError::Decode(ProofDecodeError::CapSize { got: 2, .. }))
    ));
    let mut huge = bytes.clone();
    huge[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        ChainWalkProof::from_bytes(&huge),
        Err(SuccinctError::Decode(ProofDecodeError::LengthExceedsInput { .. }))
    ));
    // Two commitments of 4 + 32 bytes, then the random-commitment option tag.
    let mut tag = bytes.clone();
    assert_eq!(tag[72], 0);
    tag[72] = 2;
    assert!(matches!(
        ChainWalkProof::from_bytes(&tag).unwrap_err(),
        SuccinctError::Decode(ProofDecodeError::OptionTag { what: "random commitment", tag: 2 })
    ));
    // degree_bits is the byte before the final 4-byte ood witness.
    let mut degree = bytes.clone();
    let at = degree.len() - 5;
    degree[at] = 25;
    assert!(matches!(
        ChainWalkProof::from_bytes(&degree).unwrap_err(),
        SuccinctError::Decode(ProofDecodeError::DegreeBits { got: 25, max: 24 })
    ));
}

#[test]
fn invalid_statements_are_refused_by_prover_and_verifier() {
    let p = parameter();
    assert!(matches!(prove_chain_walks(&p, 0, &[]).unwrap_err(), SuccinctError::NoWalks));
    let long = WalkStart { chain_index: 0, start_pos: 0, steps: MAX_STEPS + 1, start: digest(1) };
    assert!(matches!(
        prove_chain_walks(&p, 0, &[long]).unwrap_err(),
        SuccinctError::TooManySteps { index: 0, steps, max: MAX_STEPS } if steps == MAX_STEPS + 1
    ));
    let late = WalkStart { chain_index: 0, start_pos: 250, steps: 6, start: digest(1) };
    assert!(matches!(
        prove_chain_walks(&p, 0, &[late]).unwrap_err(),
        SuccinctError::PositionOverflow { index: 0, start_pos: 250, steps: 6 }
    ));
    let many = vec![WalkStart { chain_index: 0, start_pos: 0, steps: 0, start: digest(1) }; MAX_WALKS + 1];
    assert!(matches!(
        prove_chain_walks(&p, 0, &many).unwrap_err(),
        SuccinctError::TooManyWalks { got, max: MAX_WALKS } if got == MAX_WALKS + 1
    ));
    let (statement, proof) = proven();
    let mut bad = statement.clone();
    bad.walks[0].steps = MAX_STEPS + 1;
    assert!(matches!(verify_chain_walks(&bad, &proof), Err(SuccinctError::TooManySteps { .. })));
    bad.walks.clear();
    assert!(matches!(verify_chain_walks(&bad, &proof).unwrap_err(), SuccinctError::NoWalks));
}

#[test]
fn single_walks_of_every_length_prove_and_verify() {
    for steps in 0..=MAX_STEPS {
        let start =
            WalkStart { chain_index: 9, start_pos: 7 - steps, steps, start: digest(u32::from(steps)) };
        let (statement, proof) = prove_chain_walks(&parameter(), 3, &[start]).unwrap();
        assert_eq!(statement.walks[0].end, walk(&parameter(), 3, 9, 7 - steps, steps, &start.start));
        verify_chain_walks(&statement, &ChainWalkProof::from_bytes(&proof.to_bytes()).unwrap()).unwrap();
    }
}

#[test]
fn security_is_at_least_100_conjectured_bits() {
    for walks in [1, 46, 1_024, MAX_WALKS] {
        let report = chain_walk_security(walks).unwrap();
        assert!(report.conjectured_bits >= 100, "{walks} walks: {report:?}");
    }
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Any single-byte change either fails to decode or decodes to a proof that re-encodes to the same
        /// (changed) bytes — the encoding is canonical — and does not verify.
        #[test]
        fn mutated_proofs_are_canonical_and_never_verify(at in any::<prop::sample::Index>(), xor in 1u8..=255) {
            let (statement, _) = proven();
            let mut bad = PROVEN.1.clone();
            let pos = at.index(bad.len());
            bad[pos] ^= xor;
            if let Ok(proof) = ChainWalkProof::from_bytes(&bad) {
                prop_assert_eq!(&proof.to_bytes(), &bad);
                prop_assert!(verify_chain_walks(&statement, &proof).is_err());
            }
        }

        /// Arbitrary bytes never panic the decoder.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let _ = ChainWalkProof::from_bytes(&bytes);
        }
    }
}
