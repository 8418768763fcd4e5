//! Criterion benches for the succinct proofs (feature `succinct`): proving and verifying one signature's
//! chain walks (46 chains, 7 − start steps each, 122 steps in all as in a Devnet 4 signature whose
//! codeword sums to 200), Merkle paths of depth 32 (one, and sixteen in one proof), one Devnet 4 leaf
//! sponge and one Devnet 4 message hash with its codeword; and the m-of-n aggregate proof (group
//! `succinct/aggregate`) of 1, 2 and 16 signatures, plus 128 and 1,024 with `NDVT_BENCH_FULL=1`, in the shape
//! `ndvt bench aggregate` uses: N/8 groups of 8-of-11 and N mod 8 single-key validators.
//!
//! Run with `cargo bench -p ndvt-benches --features succinct --bench succinct`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndvt_aggregation::succinct::fixture::{self, AggregateShape};
use ndvt_aggregation::succinct::{
    AggregateProof, AggregateStatement, ChainWalkProof, Contribution, LeafInput, MerkleOpening,
    MerklePathProof, MessageInput, StarkProof, WalkStart, prove_aggregate, prove_chain_walks, prove_leaves,
    prove_merkle_paths, prove_message_hashes, verify_aggregate, verify_chain_walks, verify_leaves,
    verify_merkle_paths, verify_message_hashes,
};
use ndvt_xmss::primitives::codeword;
use ndvt_xmss::{Devnet4, F, Parameter};
use p3_field::PrimeCharacteristicRing;

/// 46 start positions summing to 200 (a Devnet 4 codeword), so the walks total 46·7 − 200 = 122 steps.
fn signature_walks() -> Vec<WalkStart> {
    let mut positions = [4u8; 46];
    for p in positions.iter_mut().take(200 - 4 * 46) {
        *p += 1;
    }
    positions
        .iter()
        .enumerate()
        .map(|(c, &start_pos)| WalkStart {
            chain_index: c as u8,
            start_pos,
            steps: 7 - start_pos,
            start: core::array::from_fn(|i| F::from_u32((c * 8 + i) as u32)),
        })
        .collect()
}

fn chain_walks(c: &mut Criterion) {
    let parameter: Parameter = core::array::from_fn(|i| F::from_u32(i as u32 + 1));
    let walks = signature_walks();
    assert_eq!(walks.iter().map(|w| u32::from(w.steps)).sum::<u32>(), 122);
    let (statement, proof) = prove_chain_walks(&parameter, 7, &walks).unwrap();
    let bytes = proof.to_bytes();
    eprintln!(
        "succinct chain walks: 46 walks, proof {} bytes, trace 2^{} rows",
        bytes.len(),
        proof.degree_bits()
    );

    let mut group = c.benchmark_group("succinct");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("prove_chain_walks_46", |b| {
        b.iter(|| prove_chain_walks(black_box(&parameter), 7, black_box(&walks)).unwrap())
    });
    group.bench_function("verify_chain_walks_46", |b| {
        b.iter(|| {
            let proof = ChainWalkProof::from_bytes(black_box(&bytes)).unwrap();
            verify_chain_walks(black_box(&statement), &proof).unwrap()
        })
    });
    group.finish();
}

fn merkle_paths(c: &mut Criterion) {
    let openings: Vec<MerkleOpening> = (0..16u32)
        .map(|k| MerkleOpening {
            parameter: core::array::from_fn(|i| F::from_u32(k + i as u32)),
            position: k.wrapping_mul(0x9e37_79b9),
            leaf: core::array::from_fn(|i| F::from_u32(k * 8 + i as u32)),
            co_path: (0..32u32)
                .map(|l| core::array::from_fn(|i| F::from_u32(k * 1_000 + l * 8 + i as u32)))
                .collect(),
        })
        .collect();
    let mut group = c.benchmark_group("succinct");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    for count in [1usize, 16] {
        let (statement, proof) = prove_merkle_paths(32, &openings[..count]).unwrap();
        let bytes = proof.to_bytes();
        eprintln!(
            "succinct merkle paths: {count} of depth 32, proof {} bytes, trace 2^{} rows",
            bytes.len(),
            proof.degree_bits()
        );
        group.bench_function(format!("prove_merkle_paths_{count}x32"), |b| {
            b.iter(|| prove_merkle_paths(32, black_box(&openings[..count])).unwrap())
        });
        group.bench_function(format!("verify_merkle_paths_{count}x32"), |b| {
            b.iter(|| {
                let proof = MerklePathProof::from_bytes(black_box(&bytes)).unwrap();
                verify_merkle_paths(black_box(&statement), &proof).unwrap()
            })
        });
    }
    group.finish();
}

fn leaf_and_message(c: &mut Criterion) {
    let parameter: Parameter = core::array::from_fn(|i| F::from_u32(i as u32 + 1));
    let leaf = LeafInput {
        parameter,
        epoch: 77,
        ends: (0..46u32).map(|k| core::array::from_fn(|i| F::from_u32(k * 8 + i as u32))).collect(),
    };
    // The first rho whose hash gives a codeword summing to 200 (about one in a thousand).
    let message = (0u32..)
        .map(|seed| MessageInput {
            parameter,
            epoch: 77,
            message: [0x42; 32],
            rho: core::array::from_fn(|i| F::from_u32(seed * 7 + i as u32)),
        })
        .find(|m| codeword::<Devnet4>(&m.parameter, m.epoch, &m.rho, &m.message, &mut [0; 46]).is_ok())
        .unwrap();
    let (leaf_statement, leaf_proof) = prove_leaves(46, std::slice::from_ref(&leaf)).unwrap();
    let leaf_bytes = leaf_proof.to_bytes();
    let (message_statement, message_proof) = prove_message_hashes(&[message]).unwrap();
    let message_bytes = message_proof.to_bytes();
    eprintln!(
        "succinct leaf sponge: 1 leaf of 46 chains, proof {} bytes; message hash: 1, proof {} bytes",
        leaf_bytes.len(),
        message_bytes.len()
    );
    let mut group = c.benchmark_group("succinct");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("prove_leaf_1", |b| {
        b.iter(|| prove_leaves(46, black_box(std::slice::from_ref(&leaf))).unwrap())
    });
    group.bench_function("verify_leaf_1", |b| {
        b.iter(|| {
            verify_leaves(&leaf_statement, &StarkProof::from_bytes(black_box(&leaf_bytes)).unwrap()).unwrap()
        })
    });
    group.bench_function("prove_message_1", |b| {
        b.iter(|| prove_message_hashes(black_box(&[message])).unwrap())
    });
    group.bench_function("verify_message_1", |b| {
        b.iter(|| {
            verify_message_hashes(
                &message_statement,
                &StarkProof::from_bytes(black_box(&message_bytes)).unwrap(),
            )
            .unwrap()
        })
    });
    group.finish();
}

fn full() -> bool {
    std::env::var_os("NDVT_BENCH_FULL").is_some_and(|v| !v.is_empty() && v != "0")
}

/// `n` signatures on single-epoch Devnet 4 keys: n/8 groups of 8-of-11 and n mod 8 single-key validators.
fn aggregate_fixture(n: usize) -> (AggregateStatement, Vec<Contribution>) {
    fixture::aggregate(AggregateShape::for_signatures(n, 8, 11), 1_234_567, &[0x5a; 32]).unwrap()
}

fn aggregate(c: &mut Criterion) {
    let mut counts = vec![1usize, 2, 16];
    if full() {
        counts.extend([128, 1_024]);
    } else {
        eprintln!("skipping the aggregate of 128 and 1,024 signatures: set NDVT_BENCH_FULL=1");
    }
    let mut group = c.benchmark_group("succinct/aggregate");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    for n in counts {
        let (statement, contributions) = aggregate_fixture(n);
        assert_eq!(statement.signatures(), n);
        let bytes = prove_aggregate(&statement, &contributions).unwrap().to_bytes();
        eprintln!("succinct aggregate: {n} signatures, proof {} bytes", bytes.len());
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("prove", n), |b| {
            b.iter(|| prove_aggregate(black_box(&statement), black_box(&contributions)).unwrap())
        });
        group.bench_function(BenchmarkId::new("verify", n), |b| {
            b.iter(|| {
                let proof = AggregateProof::from_bytes(black_box(&bytes)).unwrap();
                verify_aggregate(black_box(&statement), &proof).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    ndvt_benches::print_platform,
    chain_walks,
    merkle_paths,
    leaf_and_message,
    aggregate
);
criterion_main!(benches);
