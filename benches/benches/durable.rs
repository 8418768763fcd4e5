//! The cost of durability: signing through `DurableSigner` (one atomic record write with two fsyncs per
//! signature) against the bare key, and inside a reservation (one write per reserved range).
//!
//! Run with `cargo bench -p ndvt-benches --bench durable`. The key directory lives in the system temp
//! directory (set TMPDIR to measure another file system).

// Bench setup fails loudly on broken fixtures; criterion requires public functions without docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use ndvt_xmss::hazmat::RawSign;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ndvt_xmss::{DurableSigner, SecretKey, TestInstance};

type I = TestInstance;

fn message(k: u64) -> [u8; 32] {
    let mut m = [0u8; 32];
    m[..8].copy_from_slice(&k.to_le_bytes());
    m
}

fn key() -> SecretKey<I> {
    SecretKey::<I>::from_seed(&[9; 32], 0, 256).unwrap().0
}

/// Signs through a durable signer; `reserve` = epochs reserved per write (0: none, a write per signature).
/// Only `sign_at` (and `reserve`, when it writes) is timed: a new signer is created, untimed, whenever the
/// 32-epoch prepared window of the test key is used up.
fn durable_sign(c: &mut Criterion, name: &str, reserve: u64) {
    let tmp = tempfile::tempdir().unwrap();
    let mut round = 0u64;
    let mut fresh = || {
        round += 1;
        DurableSigner::create(&tmp.path().join(format!("k{round}")), key(), 0).unwrap()
    };
    let mut signer = fresh();
    let mut k = 0u64;
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                if signer.next_epoch() >= signer.prepared().end {
                    signer = fresh();
                }
                let epoch = signer.next_epoch();
                k += 1;
                let start = Instant::now();
                if reserve > 0 && epoch % reserve == 0 {
                    signer.reserve(reserve).unwrap();
                }
                black_box(signer.sign_at(epoch, &message(k)).unwrap());
                total += start.elapsed();
            }
            total
        })
    });
}

fn bench(c: &mut Criterion) {
    let sk = key();
    let mut k = 0u64;
    c.bench_function("durable/bare_key_sign", |b| {
        b.iter(|| {
            k += 1;
            black_box(sk.sign_raw(k % 32, &message(k)).unwrap())
        })
    });
    durable_sign(c, "durable/sign_fsync_each", 0);
    durable_sign(c, "durable/sign_reserve_8", 8);
    durable_sign(c, "durable/sign_reserve_32", 32);
}

criterion_group!(benches, ndvt_benches::print_platform, bench);
criterion_main!(benches);
