//! Succinct proofs over real Devnet 4 signatures (the leanSig vectors): a signature's chain walks, its leaf
//! sponge and its Merkle path, each proven, reproduce the public key's root (feature `succinct`).
#![cfg(feature = "succinct")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../xmss/tests/vectors.rs"]
mod vectors;

use std::sync::LazyLock;

use ndvt_aggregation::succinct::security::{
    leaf_sponge_security, merkle_path_security, message_hash_security,
};
use ndvt_aggregation::succinct::{
    LeafInput, LeafStatement, MerkleOpening, MerklePathProof, MerklePathStatement, MessageInput,
    MessageStatement, StarkProof, SuccinctError, WalkStart, prove_chain_walks, prove_leaves,
    prove_merkle_paths, prove_message_hashes, verify_chain_walks, verify_leaves, verify_merkle_paths,
    verify_message_hashes,
};
use ndvt_xmss::primitives::{codeword, leaf};
use ndvt_xmss::{Devnet4, Digest, F, Instance, PublicKey, Signature};
use p3_field::PrimeCharacteristicRing;

struct Case {
    pk: PublicKey<Devnet4>,
    epoch: u32,
    message: [u8; 32],
    sig: Signature<Devnet4>,
}

/// The 16 Devnet 4 signatures of the leanSig vectors, all under one public key.
static CASES: LazyLock<Vec<Case>> = LazyLock::new(|| {
    let v = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    let key = &v["keys"][0];
    let pk = PublicKey::<Devnet4>::from_bytes(&vectors::bytes(&key["public_key"])).unwrap();
    key["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let epoch = s["epoch"].as_u64().or_else(|| s["epoch"].as_str()?.parse().ok()).unwrap() as u32;
            let case = Case {
                pk,
                epoch,
                message: vectors::bytes(&s["message"]).try_into().unwrap(),
                sig: Signature::from_bytes(&vectors::bytes(&s["signature"])).unwrap(),
            };
            case.pk.verify(u64::from(epoch), &case.message, &case.sig).unwrap();
            case
        })
        .collect()
});

/// The chain walks of a signature: chain i from its codeword digit to the end of the chain.
fn walks(case: &Case) -> Vec<WalkStart> {
    let mut digits = [0u8; 46];
    codeword::<Devnet4>(case.pk.parameter(), case.epoch, case.sig.rho(), &case.message, &mut digits).unwrap();
    let top = Devnet4::BASE as u8 - 1;
    digits
        .iter()
        .zip(case.sig.hashes())
        .enumerate()
        .map(|(i, (&x, start))| WalkStart {
            chain_index: i as u8,
            start_pos: x,
            steps: top - x,
            start: *start,
        })
        .collect()
}

/// The proven chain ends of a signature.
fn ends_of(case: &Case) -> Vec<Digest> {
    let (statement, proof) = prove_chain_walks(case.pk.parameter(), case.epoch, &walks(case)).unwrap();
    verify_chain_walks(&statement, &proof).unwrap();
    statement.walks.iter().map(|w| w.end).collect()
}

static ENDS: LazyLock<Vec<Vec<Digest>>> = LazyLock::new(|| CASES.iter().map(ends_of).collect());

fn leaf_of(case: &Case) -> Digest {
    let k = CASES.iter().position(|c| c.epoch == case.epoch).unwrap();
    leaf(case.pk.parameter(), case.epoch, &ENDS[k])
}

static LEAVES: LazyLock<(LeafStatement, Vec<u8>)> = LazyLock::new(|| {
    let inputs: Vec<LeafInput> = CASES
        .iter()
        .zip(ENDS.iter())
        .map(|(c, ends)| LeafInput { parameter: *c.pk.parameter(), epoch: c.epoch, ends: ends.clone() })
        .collect();
    let (statement, proof) = prove_leaves(46, &inputs).unwrap();
    (statement, proof.to_bytes())
});

fn opening(case: &Case, leaf: Digest) -> MerkleOpening {
    MerkleOpening {
        parameter: *case.pk.parameter(),
        position: case.epoch,
        leaf,
        co_path: case.sig.path().to_vec(),
    }
}

static PROVEN: LazyLock<(MerklePathStatement, Vec<u8>)> = LazyLock::new(|| {
    let openings: Vec<MerkleOpening> = CASES.iter().map(|c| opening(c, leaf_of(c))).collect();
    let (statement, proof) = prove_merkle_paths(32, &openings).unwrap();
    (statement, proof.to_bytes())
});

fn proven() -> (MerklePathStatement, MerklePathProof) {
    (PROVEN.0.clone(), MerklePathProof::from_bytes(&PROVEN.1).unwrap())
}

fn assert_rejected(statement: &MerklePathStatement, proof: &MerklePathProof) {
    match verify_merkle_paths(statement, proof) {
        Err(SuccinctError::Rejected(_)) => {}
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[test]
fn proven_chains_and_paths_reach_the_public_key_root() {
    let (statement, proof) = proven();
    assert_eq!(statement.paths.len(), 16);
    for (path, case) in statement.paths.iter().zip(CASES.iter()) {
        assert_eq!(path.root, *case.pk.root(), "epoch {}", case.epoch);
        assert_eq!(path.position, case.epoch);
    }
    verify_merkle_paths(&statement, &proof).unwrap();
}

#[test]
fn a_single_path_proves_alone() {
    let case = &CASES[5];
    let (statement, proof) = prove_merkle_paths(32, &[opening(case, leaf_of(case))]).unwrap();
    assert_eq!(statement.paths[0].root, *case.pk.root());
    verify_merkle_paths(&statement, &MerklePathProof::from_bytes(&proof.to_bytes()).unwrap()).unwrap();
}

#[test]
fn every_public_input_of_a_path_is_bound() {
    let (statement, proof) = proven();
    type Edit = Box<dyn Fn(&mut MerklePathStatement)>;
    let edits: Vec<Edit> = vec![
        Box::new(|s| s.paths[0].root[0] += F::ONE),
        Box::new(|s| s.paths[15].root[7] += F::ONE),
        Box::new(|s| s.paths[3].leaf[4] += F::ONE),
        Box::new(|s| s.paths[3].parameter[0] += F::ONE),
        Box::new(|s| s.paths[7].position ^= 1),
        Box::new(|s| s.paths[7].position ^= 1 << 31),
        Box::new(|s| s.paths.swap(2, 9)),
    ];
    for (k, edit) in edits.iter().enumerate() {
        let mut bad = statement.clone();
        edit(&mut bad);
        assert_ne!(bad, statement, "edit {k}");
        assert_rejected(&bad, &proof);
    }
    // Fewer paths need a smaller trace: refused before the STARK runs.
    let mut fewer = statement.clone();
    fewer.paths.truncate(8);
    assert_rejected(&fewer, &proof);
}

#[test]
fn tampered_merkle_proof_bytes_are_rejected_without_panicking() {
    let (statement, _) = proven();
    let bytes = &PROVEN.1;
    for pos in (0..bytes.len()).step_by(bytes.len() / 150) {
        let mut bad = bytes.clone();
        bad[pos] ^= 0x10;
        if let Ok(proof) = MerklePathProof::from_bytes(&bad) {
            assert!(verify_merkle_paths(&statement, &proof).is_err(), "flip at byte {pos} accepted");
        }
    }
}

#[test]
fn a_chain_proof_does_not_verify_as_a_merkle_proof() {
    let case = &CASES[0];
    let (_, chain_proof) = prove_chain_walks(case.pk.parameter(), case.epoch, &walks(case)).unwrap();
    let (statement, _) = proven();
    let mut one = statement.clone();
    // 46 walks and 16 paths of depth 32 both take 512 rows: the height check passes, the AIR and the
    // transcript's domain tag do not.
    assert_eq!(chain_proof.degree_bits(), 9);
    one.paths.truncate(16);
    assert!(matches!(verify_merkle_paths(&one, &chain_proof), Err(SuccinctError::Rejected(_))));
}

#[test]
fn invalid_merkle_statements_are_refused() {
    let case = &CASES[0];
    let good = opening(case, [F::ZERO; 8]);
    assert!(matches!(
        prove_merkle_paths(0, std::slice::from_ref(&good)).unwrap_err(),
        SuccinctError::Depth { got: 0, max: 32 }
    ));
    assert!(matches!(
        prove_merkle_paths(33, std::slice::from_ref(&good)).unwrap_err(),
        SuccinctError::Depth { got: 33, max: 32 }
    ));
    assert!(matches!(prove_merkle_paths(32, &[]).unwrap_err(), SuccinctError::NoPaths));
    assert!(matches!(
        prove_merkle_paths(31, std::slice::from_ref(&good)).unwrap_err(),
        SuccinctError::CoPathLength { index: 0, got: 32, expected: 31 }
    ));
    let mut far = good.clone();
    far.position = 1 << 20;
    far.co_path.truncate(20);
    assert!(matches!(
        prove_merkle_paths(20, &[far]).unwrap_err(),
        SuccinctError::PositionOutOfTree { index: 0, position, depth: 20 } if position == 1 << 20
    ));
    let (statement, proof) = proven();
    let mut bad = statement.clone();
    bad.depth = 33;
    assert!(matches!(
        verify_merkle_paths(&bad, &proof).unwrap_err(),
        SuccinctError::Depth { got: 33, max: 32 }
    ));
}

#[test]
fn merkle_security_is_at_least_100_conjectured_bits() {
    for paths in [1, 16, 1_024] {
        let report = merkle_path_security(32, paths).unwrap();
        assert!(report.conjectured_bits >= 100, "{paths} paths: {report:?}");
    }
}

#[test]
fn proven_leaves_are_the_xmss_leaves() {
    let (statement, bytes) = &*LEAVES;
    assert_eq!(statement.leaves.len(), 16);
    for (claim, case) in statement.leaves.iter().zip(CASES.iter()) {
        assert_eq!(claim.leaf, leaf_of(case), "epoch {}", case.epoch);
    }
    verify_leaves(statement, &StarkProof::from_bytes(bytes).unwrap()).unwrap();
}

#[test]
fn every_public_input_of_a_leaf_is_bound() {
    let (statement, bytes) = &*LEAVES;
    let proof = StarkProof::from_bytes(bytes).unwrap();
    type Edit = Box<dyn Fn(&mut LeafStatement)>;
    let edits: Vec<Edit> = vec![
        Box::new(|s| s.leaves[0].leaf[0] += F::ONE),
        Box::new(|s| s.leaves[15].leaf[7] += F::ONE),
        Box::new(|s| s.leaves[4].ends[45][3] += F::ONE),
        Box::new(|s| s.leaves[4].ends[0][0] += F::ONE),
        Box::new(|s| s.leaves[9].parameter[2] += F::ONE),
        Box::new(|s| s.leaves[9].epoch ^= 1),
        Box::new(|s| s.leaves.swap(0, 1)),
    ];
    for (k, edit) in edits.iter().enumerate() {
        let mut bad = statement.clone();
        edit(&mut bad);
        assert_ne!(&bad, statement, "edit {k}");
        match verify_leaves(&bad, &proof) {
            Err(SuccinctError::Rejected(_)) => {}
            other => panic!("edit {k}: expected Rejected, got {other:?}"),
        }
    }
    let mut short = statement.clone();
    short.leaves[2].ends.pop();
    assert!(matches!(
        verify_leaves(&short, &proof).unwrap_err(),
        SuccinctError::EndsLength { index: 2, got: 45, expected: 46 }
    ));
}

#[test]
fn invalid_leaf_statements_are_refused() {
    let input = LeafInput { parameter: [F::ZERO; 5], epoch: 1, ends: vec![[F::ZERO; 8]; 46] };
    assert!(matches!(
        prove_leaves(0, std::slice::from_ref(&input)).unwrap_err(),
        SuccinctError::Dimension { got: 0, max: 64 }
    ));
    assert!(matches!(
        prove_leaves(65, std::slice::from_ref(&input)).unwrap_err(),
        SuccinctError::Dimension { got: 65, max: 64 }
    ));
    assert!(matches!(prove_leaves(46, &[]).unwrap_err(), SuccinctError::NoLeaves));
    assert!(matches!(
        prove_leaves(4, std::slice::from_ref(&input)).unwrap_err(),
        SuccinctError::EndsLength { index: 0, got: 46, expected: 4 }
    ));
}

#[test]
fn leaf_security_is_at_least_100_conjectured_bits() {
    for leaves in [1, 16, 1_024] {
        let report = leaf_sponge_security(46, leaves).unwrap();
        assert!(report.conjectured_bits >= 100, "{leaves} leaves: {report:?}");
    }
}

fn message_input(case: &Case) -> MessageInput {
    MessageInput {
        parameter: *case.pk.parameter(),
        epoch: case.epoch,
        message: case.message,
        rho: *case.sig.rho(),
    }
}

static MESSAGES: LazyLock<(MessageStatement, Vec<u8>)> = LazyLock::new(|| {
    let inputs: Vec<MessageInput> = CASES.iter().map(message_input).collect();
    let (statement, proof) = prove_message_hashes(&inputs).unwrap();
    (statement, proof.to_bytes())
});

#[test]
fn proven_codewords_are_the_chain_start_positions() {
    let (statement, bytes) = &*MESSAGES;
    assert_eq!(statement.claims.len(), 16);
    for (claim, case) in statement.claims.iter().zip(CASES.iter()) {
        let starts: Vec<u8> = walks(case).iter().map(|w| w.start_pos).collect();
        assert_eq!(claim.codeword.to_vec(), starts, "epoch {}", case.epoch);
    }
    verify_message_hashes(statement, &StarkProof::from_bytes(bytes).unwrap()).unwrap();
}

/// Moves one unit from the first non-zero digit to the first other digit below 7 (same digit sum).
fn shift_unit(codeword: &mut [u8; 46]) {
    let from = codeword.iter().position(|&d| d > 0).unwrap();
    let to = (0..46).find(|&i| i != from && codeword[i] < 7).unwrap();
    codeword[from] -= 1;
    codeword[to] += 1;
}

#[test]
fn every_public_input_of_a_message_hash_is_bound() {
    let (statement, bytes) = &*MESSAGES;
    let proof = StarkProof::from_bytes(bytes).unwrap();
    type Edit = Box<dyn Fn(&mut MessageStatement)>;
    let edits: Vec<Edit> = vec![
        // Moving one unit between two digits keeps the target sum: only the proof can catch it.
        Box::new(|s| shift_unit(&mut s.claims[0].codeword)),
        Box::new(|s| {
            s.claims[15].codeword.reverse();
            shift_unit(&mut s.claims[15].codeword);
            s.claims[15].codeword.reverse();
        }),
        Box::new(|s| s.claims[3].message[31] ^= 1),
        Box::new(|s| s.claims[3].rho[6] += F::ONE),
        Box::new(|s| s.claims[7].parameter[0] += F::ONE),
        Box::new(|s| s.claims[7].epoch ^= 1 << 20),
        Box::new(|s| s.claims.swap(1, 2)),
    ];
    for (k, edit) in edits.iter().enumerate() {
        let mut bad = statement.clone();
        edit(&mut bad);
        assert_ne!(&bad, statement, "edit {k}");
        match verify_message_hashes(&bad, &proof) {
            Err(SuccinctError::Rejected(_)) => {}
            other => panic!("edit {k}: expected Rejected, got {other:?}"),
        }
    }
}

#[test]
fn invalid_codewords_and_messages_are_refused() {
    let (statement, bytes) = &*MESSAGES;
    let proof = StarkProof::from_bytes(bytes).unwrap();
    let mut off = statement.clone();
    let at = off.claims[2].codeword.iter().position(|&d| d < 7).unwrap();
    off.claims[2].codeword[at] += 1;
    assert!(matches!(
        verify_message_hashes(&off, &proof).unwrap_err(),
        SuccinctError::TargetSum { index: 2, got: 201, expected: 200 }
    ));
    let mut wide = statement.clone();
    wide.claims[1].codeword[0] = 8;
    assert!(matches!(
        verify_message_hashes(&wide, &proof).unwrap_err(),
        SuccinctError::DigitRange { index: 1 }
    ));
    assert!(matches!(prove_message_hashes(&[]).unwrap_err(), SuccinctError::NoMessages));
    // Another rho almost never yields a codeword summing to 200 (about 1 in 1,000).
    let mut input = message_input(&CASES[0]);
    input.rho[0] += F::ONE;
    assert!(matches!(prove_message_hashes(&[input]), Err(SuccinctError::Encoding { index: 0, .. })));
}

#[test]
fn message_security_is_at_least_100_conjectured_bits() {
    for messages in [1, 16, 1_024] {
        let report = message_hash_security(messages).unwrap();
        assert!(report.conjectured_bits >= 100, "{messages} messages: {report:?}");
    }
}
