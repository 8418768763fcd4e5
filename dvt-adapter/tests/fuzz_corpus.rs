//! The lean consensus container fuzz target's committed corpus, replayed on stable through the same check
//! libFuzzer runs (`fuzz/src/containers.rs`, included by path), so a regression is caught without libFuzzer.
//! `NDVT_WRITE_FUZZ_CORPUS=1` rewrites the seeds; otherwise the committed seeds must equal their generator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../fuzz/src/containers.rs"]
mod containers;

use std::path::PathBuf;

use ndvt_adapter::containers::{
    AggregatedAttestation, AggregatedSignatureProof, AggregationBits, Attestation, AttestationData,
    BlockHeader, Checkpoint, SignedAttestation, Validator, encode,
};
use ssz_types::{FixedVector, VariableList};
use tree_hash::Hash256;

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/decode_containers"))
}

fn data() -> AttestationData {
    AttestationData {
        slot: 9,
        head: Checkpoint { root: Hash256::from([0x11; 32]), slot: 9 },
        target: Checkpoint { root: Hash256::from([0x22; 32]), slot: 8 },
        source: Checkpoint { root: Hash256::from([0x33; 32]), slot: 4 },
    }
}

fn bits(len: usize, set: &[usize]) -> AggregationBits {
    let mut b = AggregationBits::with_capacity(len).unwrap();
    for &i in set {
        b.set(i, true).unwrap();
    }
    b
}

/// One valid encoding of every container, prefixed by its selector byte.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let with = |kind: u8, bytes: Vec<u8>| {
        let mut out = vec![kind];
        out.extend(bytes);
        (format!("seed-{}", containers::CONTAINERS[usize::from(kind)]), out)
    };
    vec![
        with(0, encode(&data().head)),
        with(1, encode(&data())),
        with(2, encode(&Attestation { validator_id: 7, data: data() })),
        with(
            3,
            encode(&SignedAttestation {
                validator_id: 7,
                message: data(),
                signature: VariableList::new(vec![0x5a; 424]).unwrap(),
            }),
        ),
        with(4, encode(&AggregatedAttestation { aggregation_bits: bits(12, &[0, 3, 11]), data: data() })),
        with(
            5,
            encode(&AggregatedSignatureProof {
                participants: bits(9, &[1, 8]),
                proof_data: VariableList::new(vec![1, 2, 3, 4]).unwrap(),
            }),
        ),
        with(
            6,
            encode(&Validator {
                attestation_public_key: FixedVector::new(vec![0xaa; 52]).unwrap(),
                proposal_public_key: FixedVector::new(vec![0xbb; 52]).unwrap(),
                index: 3,
            }),
        ),
        with(
            7,
            encode(&BlockHeader {
                slot: 3,
                proposer_index: 5,
                parent_root: Hash256::from([1; 32]),
                state_root: Hash256::from([2; 32]),
                body_root: Hash256::from([3; 32]),
            }),
        ),
    ]
}

#[test]
fn seeds_are_committed() {
    let dir = corpus_dir();
    let write = std::env::var_os("NDVT_WRITE_FUZZ_CORPUS").is_some();
    if write {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (name, bytes) in seeds() {
        containers::decode_containers(&bytes);
        let path = dir.join(&name);
        if write {
            std::fs::write(&path, &bytes).unwrap();
        } else {
            let committed = std::fs::read(&path).unwrap_or_else(|e| {
                panic!("{} is missing ({e}): run with NDVT_WRITE_FUZZ_CORPUS=1", path.display())
            });
            assert!(committed == bytes, "{} differs from its generator", path.display());
        }
    }
}

#[test]
fn every_corpus_file_passes_the_check() {
    let files = corpus_files(&corpus_dir());
    assert!(files.len() >= 8, "the decode_containers corpus is missing seeds");
    for f in files {
        containers::decode_containers(&std::fs::read(&f).unwrap());
    }
}

/// The files of a committed corpus, in name order.
fn corpus_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// A deterministic miniature of the fuzzer: `seed` truncated at every length, and with every byte from
/// `first_flip` on flipped, goes through `check`.
fn mutate(seed: &[u8], first_flip: usize, check: impl Fn(&[u8])) {
    for cut in 0..seed.len() {
        check(&seed[..cut]);
    }
    for i in first_flip..seed.len() {
        let mut m = seed.to_vec();
        m[i] ^= 0xff;
        check(&m);
    }
}

#[test]
fn mutated_seeds_never_panic_and_stay_canonical() {
    // Byte 0 selects the container: flipping it only re-labels the input, so the flips start after it.
    for (_, seed) in seeds() {
        mutate(&seed, 1, containers::decode_containers);
    }
}

/// The slashing-evidence target's corpus (seeded from `evidence_ssz_tests`): every file, and every truncation
/// and byte flip of each, goes through the check libFuzzer runs.
#[test]
fn evidence_corpus_passes_the_check_under_mutation() {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/decode_evidence"));
    let files = corpus_files(&dir);
    assert!(!files.is_empty(), "the decode_evidence corpus is missing its seed");
    for f in files {
        let seed = std::fs::read(&f).unwrap();
        containers::decode_evidence(&seed);
        mutate(&seed, 0, containers::decode_evidence);
    }
}
