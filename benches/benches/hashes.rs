//! Criterion benches for the SHA-3 and BLAKE3 back-ends: one primitive call (single and eight lanes) at the
//! sizes generalized XMSS uses, and sign and verify for one lifetime-2^18 and one lifetime-2^32 set of each
//! hash. Keys are active for 64 epochs only (an exact short range), so setup takes milliseconds.
//!
//! Run with `cargo bench -p ndvt-benches --bench hashes [-- <filter>]`.

// Bench setup fails loudly on broken fixtures; criterion requires public functions without docs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ndvt_xmss::hazmat::RawSign;
use ndvt_xmss::{Instance, SecretKey};
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ndvt_xmss::byte_xmss::{Blake3, Blake3L18W8, Blake3L32W8, ByteHash, Sha3, Sha3L18W4, Sha3L32W8};

/// Input sizes: a chain step (parameter 18 ‖ tweak 8 ‖ value 32) and a tree node (… ‖ left ‖ right).
const SIZES: [(&str, usize); 2] = [("chain-step-58B", 58), ("tree-node-90B", 90)];

fn primitive<H: ByteHash>(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("{}_primitive", H::NAME));
    let data = [0x5au8; 128];
    for (name, len) in SIZES {
        group.bench_function(BenchmarkId::new("single", name), |b| {
            b.iter(|| H::digest(black_box(&data[..len])))
        });
        group.bench_function(BenchmarkId::new("eight-lanes", name), |b| {
            b.iter(|| H::digest_x8(black_box([&data[..len]; 8])))
        });
    }
    group.finish();
}

fn sign_verify<I: Instance>(c: &mut Criterion) {
    let c_trees = I::LEAVES_PER_BOTTOM_TREE;
    let (sk, pk) = SecretKey::<I>::from_seed(&[7; 32], c_trees - 32, 64).unwrap();
    let message = [0x33; 32];
    let epoch = c_trees;
    let signature = sk.sign_raw(epoch, &message).unwrap();
    let mut group = c.benchmark_group(I::NAME);
    group.bench_function("verify", |b| b.iter(|| pk.verify(epoch, black_box(&message), &signature).unwrap()));
    group.bench_function("sign", |b| b.iter(|| sk.sign_raw(epoch, black_box(&message)).unwrap()));
    group.finish();
}

fn benches(c: &mut Criterion) {
    primitive::<Sha3>(c);
    primitive::<Blake3>(c);
    sign_verify::<Sha3L18W4>(c);
    sign_verify::<Sha3L32W8>(c);
    sign_verify::<Blake3L18W8>(c);
    sign_verify::<Blake3L32W8>(c);
}

criterion_group!(hashes, ndvt_benches::print_platform, benches);
criterion_main!(hashes);
