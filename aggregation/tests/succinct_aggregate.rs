//! The aggregate proof end to end: groups and single validators, real Devnet 4 signatures, soundness
//! against every public input (feature `succinct`).
#![cfg(feature = "succinct")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ndvt_aggregation::succinct::fixture::single_epoch_signature;
use ndvt_aggregation::succinct::security::aggregate_security;
use ndvt_aggregation::succinct::{
    AggregateProof, AggregateStatement, Contribution, MAX_KEY_ENTRIES, MAX_SIGNATURES, Participant,
    SuccinctError, prove_aggregate, verify_aggregate,
};
use ndvt_xmss::{Devnet4, PublicKey, Signature};

const EPOCH: u32 = 1_234_567;
const MESSAGE: [u8; 32] = [0x5a; 32];

struct Fixture {
    statement: AggregateStatement,
    contributions: Vec<Contribution>,
}

fn member(seed: u64) -> (PublicKey<Devnet4>, Signature<Devnet4>) {
    single_epoch_signature(seed, EPOCH, &MESSAGE)
}

/// Groups `(m, n, signers)` and single validators; seeds are unique per member.
fn fixture(groups: &[(u8, u8, &[u8])], singles: usize) -> Fixture {
    let mut participants = Vec::new();
    let mut contributions = Vec::new();
    for (q, &(m, n, signers)) in groups.iter().enumerate() {
        let keys: Vec<_> = (0..n).map(|j| member(100 * q as u64 + u64::from(j))).collect();
        participants.push(Participant::group(m, keys.iter().map(|k| k.0).collect()).unwrap());
        for &j in signers {
            contributions.push(Contribution {
                participant: q,
                member: j,
                signature: keys[usize::from(j)].1.clone(),
            });
        }
    }
    for s in 0..singles {
        let (pk, sig) = member(10_000 + s as u64);
        contributions.push(Contribution { participant: participants.len(), member: 0, signature: sig });
        participants.push(Participant::single(pk));
    }
    Fixture { statement: AggregateStatement::new(MESSAGE, EPOCH, participants).unwrap(), contributions }
}

#[test]
fn one_single_validator() {
    let f = fixture(&[], 1);
    let proof = prove_aggregate(&f.statement, &f.contributions).unwrap();
    verify_aggregate(&f.statement, &proof).unwrap();
    let bytes = proof.to_bytes();
    verify_aggregate(&f.statement, &AggregateProof::from_bytes(&bytes).unwrap()).unwrap();
    eprintln!("1 signature: {} bytes", bytes.len());
}

#[test]
fn groups_and_singles() {
    let f = fixture(&[(2, 3, &[0, 2]), (3, 4, &[3, 1, 0, 2])], 1);
    let proof = prove_aggregate(&f.statement, &f.contributions).unwrap();
    verify_aggregate(&f.statement, &proof).unwrap();
}

/// One proof, then every public input changed in turn: the verifier must refuse each.
#[test]
fn every_public_input_is_bound() {
    // 2-of-3 and 3-of-4 (5 signatures), then a single: changing one threshold keeps the table heights.
    let f = fixture(&[(2, 3, &[0, 1, 2]), (3, 4, &[0, 1, 2, 3])], 1);
    let proof = prove_aggregate(&f.statement, &f.contributions).unwrap();
    verify_aggregate(&f.statement, &proof).unwrap();
    let refused = |change: &dyn Fn(&mut AggregateStatement), what: &str| {
        let mut statement = f.statement.clone();
        change(&mut statement);
        // A participant added or removed gets its place in the (unchanged) registry commitment, so that
        // the proof, not the statement's own consistency check, is what refuses it.
        let n = statement.participants.len() as u32;
        if statement.participation.indices.len() != n as usize {
            statement.participation.registry_len = n;
            statement.participation.indices = (0..n).collect();
        }
        assert_ne!(statement, f.statement, "{what}");
        assert!(
            matches!(verify_aggregate(&statement, &proof), Err(SuccinctError::Rejected(_))),
            "{what}: accepted"
        );
    };
    refused(&|s| s.message[31] ^= 1, "message");
    refused(&|s| s.epoch += 1, "epoch");
    let keys = |s: &AggregateStatement, q: usize| s.participants[q].members().to_vec();
    refused(&|s| s.participants[0] = Participant::group(3, keys(s, 0)).unwrap(), "threshold raised");
    refused(
        &|s| {
            s.participants[0] = Participant::group(3, keys(s, 0)).unwrap();
            s.participants[1] = Participant::group(2, keys(s, 1)).unwrap();
        },
        "thresholds exchanged",
    );
    refused(
        &|s| {
            let mut k = keys(s, 1);
            k[3] = member(9_999).0;
            s.participants[1] = Participant::group(3, k).unwrap();
        },
        "a member key replaced",
    );
    refused(
        &|s| {
            let mut k = keys(s, 0);
            k.swap(0, 1);
            s.participants[0] = Participant::group(2, k).unwrap();
        },
        "roster order",
    );
    refused(&|s| s.participants.swap(0, 1), "participant order");
    refused(&|s| s.participants[2] = Participant::single(member(8_888).0), "single validator replaced");
    refused(&|s| s.participants.push(Participant::single(member(7_777).0)), "participant added");
    refused(&|s| drop(s.participants.pop()), "participant removed");
}

#[test]
fn the_honest_prover_refuses_what_it_cannot_prove() {
    let f = fixture(&[(3, 4, &[0, 2])], 0);
    assert!(matches!(
        prove_aggregate(&f.statement, &f.contributions),
        Err(SuccinctError::BelowThreshold { participant: 0, got: 2, need: 3 })
    ));
    let mut f = fixture(&[(2, 3, &[0, 1])], 0);
    f.contributions.push(f.contributions[0].clone());
    f.contributions[1].signature = f.contributions[0].signature.clone();
    assert!(matches!(
        prove_aggregate(&f.statement, &f.contributions),
        Err(SuccinctError::InvalidSignature { participant: 0, member: 1 })
    ));
    let mut f = fixture(&[(1, 2, &[0])], 0);
    f.contributions[0].member = 2;
    assert!(matches!(
        prove_aggregate(&f.statement, &f.contributions),
        Err(SuccinctError::UnknownMember { participant: 0, member: 2 })
    ));
    f.contributions[0].participant = 1;
    assert!(matches!(
        prove_aggregate(&f.statement, &f.contributions),
        Err(SuccinctError::UnknownParticipant { participant: 1, participants: 1 })
    ));
    let empty = AggregateStatement::new(MESSAGE, EPOCH, vec![]).unwrap();
    assert!(matches!(prove_aggregate(&empty, &[]), Err(SuccinctError::NoParticipants)));
}

/// The participation must give each participant one registry index, strictly increasing, inside the
/// registry.
#[test]
fn participation_indices_are_checked() {
    let f = fixture(&[], 2);
    let proof = prove_aggregate(&f.statement, &f.contributions).unwrap();
    let with = |edit: &dyn Fn(&mut AggregateStatement)| {
        let mut s = f.statement.clone();
        edit(&mut s);
        verify_aggregate(&s, &proof).unwrap_err()
    };
    assert!(matches!(
        with(&|s| s.participation.indices.truncate(1)),
        SuccinctError::ParticipantIndices { indices: 1, participants: 2 }
    ));
    assert!(matches!(
        with(&|s| s.participation.indices = vec![1, 1]),
        SuccinctError::ParticipantIndex { index: 1, registry: 2 }
    ));
    assert!(matches!(
        with(&|s| s.participation.indices = vec![0, 2]),
        SuccinctError::ParticipantIndex { index: 2, registry: 2 }
    ));
    assert!(matches!(with(&|s| s.participation.registry_len = 3), SuccinctError::Rejected(_)));
    assert!(matches!(with(&|s| s.participation.registry_commitment[31] ^= 1), SuccinctError::Rejected(_)));
}

#[test]
fn group_shapes_are_checked() {
    let k: Vec<_> = (0..17).map(|j| member(500 + j).0).collect();
    for (m, n) in [(0u8, 3usize), (4, 3), (1, 0), (1, 17)] {
        assert!(matches!(
            Participant::group(m, k[..n].to_vec()),
            Err(SuccinctError::GroupShape { threshold, members }) if threshold == m && members == n
        ));
    }
    assert!(matches!(Participant::group(1, vec![k[0], k[1], k[0]]), Err(SuccinctError::DuplicateMemberKey)));
}

/// Tampered bytes never panic: every flipped byte is refused by the decoder or the verifier, and so are
/// truncations and trailing bytes.
#[test]
fn tampered_proof_bytes_are_rejected() {
    let f = fixture(&[], 1);
    let bytes = prove_aggregate(&f.statement, &f.contributions).unwrap().to_bytes();
    let step = (bytes.len() / 37).max(1);
    for at in (0..bytes.len()).step_by(step) {
        let mut tampered = bytes.clone();
        tampered[at] ^= 0x40;
        if let Ok(proof) = AggregateProof::from_bytes(&tampered) {
            assert!(verify_aggregate(&f.statement, &proof).is_err(), "byte {at} flipped and accepted");
        }
    }
    for len in [0, 1, bytes.len() / 2, bytes.len() - 1] {
        assert!(matches!(AggregateProof::from_bytes(&bytes[..len]), Err(SuccinctError::Decode(_))));
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(AggregateProof::from_bytes(&long), Err(SuccinctError::Decode(_))));
    assert_eq!(AggregateProof::from_bytes(&bytes).unwrap().to_bytes(), bytes, "one encoding");
}

/// Every conjectured soundness term, the LogUp fingerprint included, stays at or above 100 bits from one
/// signature up to the largest shape the verifier accepts (the most signatures over the most keys).
#[test]
fn every_aggregate_soundness_term_is_at_least_100_conjectured_bits() {
    let shapes =
        [(1, 1), (2, 3), (16, 22), (128, 176), (MAX_SIGNATURES, 1_408), (MAX_SIGNATURES, MAX_KEY_ENTRIES)];
    for (signatures, keys) in shapes {
        let r = aggregate_security(signatures, keys).unwrap();
        let terms: Vec<String> =
            r.conjectured_terms.iter().map(|t| format!("{} {:.1}", t.label, t.bits)).collect();
        eprintln!(
            "{signatures} signatures, {keys} keys: 2^{} rows, conjectured {} bits, proven {}; {}",
            r.degree_bits,
            r.conjectured_bits,
            r.proven_bits,
            terms.join(", ")
        );
        for label in
            ["air-composition", "deep-ali", "ldt-query-phase", "batch-combination", "logup-fingerprint"]
        {
            assert!(r.conjectured_terms.iter().any(|t| t.label == label), "{label} missing: {terms:?}");
        }
        for t in &r.conjectured_terms {
            assert!(
                t.bits >= 100.0,
                "{signatures} signatures, {keys} keys: {} at {:.2} bits",
                t.label,
                t.bits
            );
        }
        assert!(r.conjectured_bits >= 100);
    }
}
