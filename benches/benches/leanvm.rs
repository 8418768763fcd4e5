//! Criterion benches for the leanVM BLAKE2s set: verify (one and batched), sign, and key generation per
//! epoch, on the repository's leanVM-b vectors and a seeded key.
//!
//! Run with `cargo bench -p ndvt-benches --bench leanvm [-- <filter>]`. Floors, in BLAKE2s compressions: a
//! verification 144 (2 message, 99 chain steps, 11 leaf, 32 path), a signature about 2^15 (grinding) plus
//! 237, a key's epoch 348 (42 PRF, 294 chain steps, 11 leaf, 1 tree node).

// Bench setup fails loudly on broken fixtures; there is no caller to hand an error to, and criterion
// requires public functions without docs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../xmss/tests/vectors.rs"]
mod vectors;

use std::hint::black_box;
use std::sync::LazyLock;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndvt_xmss::hazmat::RawSign;
use ndvt_xmss::leanvm::LeanVm;
use ndvt_xmss::{BatchItem, PublicKey, SecretKey, Signature, verify_batch};

/// Every signature of the leanVM-b vectors: (public key, epoch, message, signature).
type Signed = (PublicKey<LeanVm>, u64, [u8; 32], Signature<LeanVm>);

static SIGNED: LazyLock<Vec<Signed>> = LazyLock::new(|| {
    let v = vectors::json("leanvm-blake2s/leanvm_xmss.json");
    let mut out = Vec::new();
    for k in v["keys"].as_array().expect("keys") {
        let pk = PublicKey::from_bytes(&vectors::bytes(&k["public_key"])).expect("public key");
        for s in k["signatures"].as_array().expect("signatures") {
            let sig = Signature::from_bytes(&vectors::bytes(&s["signature"])).expect("signature");
            let message: [u8; 32] = vectors::bytes(&s["message"]).try_into().expect("message");
            let epoch = s["epoch"].as_u64().expect("epoch");
            pk.verify(epoch, &message, &sig).expect("vector signature verifies");
            out.push((pk, epoch, message, sig));
        }
    }
    out
});

fn bench_verify(c: &mut Criterion) {
    let (pk, epoch, message, sig) = &SIGNED[0];
    let mut group = c.benchmark_group("leanvm_verify");
    group.bench_function("single", |b| b.iter(|| pk.verify(black_box(*epoch), message, sig).expect("valid")));
    for n in [16usize, 256] {
        let items: Vec<BatchItem<'_, LeanVm>> = (0..n)
            .map(|i| {
                let (public_key, epoch, message, signature) = &SIGNED[i % SIGNED.len()];
                BatchItem { public_key, epoch: *epoch, message, signature }
            })
            .collect();
        group.throughput(Throughput::Elements(n as u64));
        for threads in [1, rayon::current_num_threads()] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            group.bench_function(BenchmarkId::new(format!("batch_{n}"), format!("{threads}_threads")), |b| {
                b.iter(|| pool.install(|| assert!(verify_batch(black_box(&items)).iter().all(Result::is_ok))))
            });
        }
    }
    group.finish();
}

fn bench_sign_and_keygen(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let epochs = 1024;
    let (sk, _) = pool.install(|| SecretKey::<LeanVm>::from_seed(&[7; 32], 0, epochs).expect("key"));
    let mut group = c.benchmark_group("leanvm_sign");
    let mut counter = 0u64;
    group.bench_function("one_thread", |b| {
        b.iter(|| {
            counter += 1;
            let mut message = [0u8; 32];
            message[..8].copy_from_slice(&counter.to_le_bytes());
            pool.install(|| sk.sign_raw(counter % epochs, &message).expect("sign"))
        })
    });
    group.finish();
    let mut group = c.benchmark_group("leanvm_keygen");
    group.sample_size(10);
    group.throughput(Throughput::Elements(epochs));
    group.bench_function(BenchmarkId::new("one_thread", epochs), |b| {
        b.iter(|| pool.install(|| SecretKey::<LeanVm>::from_seed(&[9; 32], 0, epochs).expect("key")))
    });
    group.finish();
}

criterion_group!(benches, ndvt_benches::print_platform, bench_verify, bench_sign_and_keygen);
criterion_main!(benches);
