//! Criterion benches for ndvt-xmss: Poseidon1 permutations, verify, sign, key generation, advancing the
//! prepared window and the signature codec.
//!
//! Run with `cargo bench -p ndvt-benches --bench xmss [-- <filter>]`. The Devnet 4 key generation, signing
//! and advance benches need a real Devnet 4 key (hundreds of thousands of leaves) and only run when
//! `NDVT_BENCH_FULL=1` is set; everything else runs in seconds, including in criterion's test mode
//! (`cargo test -p ndvt-benches --benches`).

// Bench setup fails loudly on broken fixtures; there is no caller to hand an error to, and criterion
// requires public functions without docs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../xmss/tests/vectors.rs"]
mod vectors;

use ndvt_xmss::hazmat::RawSign;
use std::hint::black_box;
use std::sync::LazyLock;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use ndvt_xmss::primitives::{leaves, poseidon16, poseidon24};
use ndvt_xmss::{
    BatchItem, Devnet4, F, Instance, PackedF, Parameter, PublicKey, SecretKey, Signature, TestInstance,
    verify_batch,
};
use p3_field::{PackedValue, PrimeCharacteristicRing};
use p3_symmetric::Permutation;

/// The environment variable that enables the expensive Devnet 4 benches.
const FULL_ENV: &str = "NDVT_BENCH_FULL";

/// Whether the expensive Devnet 4 benches (keygen, sign, advance) should run.
fn full() -> bool {
    std::env::var_os(FULL_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

fn skip(what: &str) {
    eprintln!("skipping {what}: set {FULL_ENV}=1 to run it (Devnet 4 keys take seconds to minutes each)");
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------

/// The first leanSig Devnet 4 vector: public key, epoch, message and encoded signature.
struct Devnet4Vector {
    public_key: PublicKey<Devnet4>,
    epoch: u64,
    message: [u8; 32],
    signature_bytes: Vec<u8>,
    signature: Signature<Devnet4>,
}

static DEVNET4_VECTOR: LazyLock<Devnet4Vector> = LazyLock::new(|| {
    let v = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    let key = &v["keys"][0];
    let s = &key["signatures"][0];
    let public_key = PublicKey::from_bytes(&vectors::bytes(&key["public_key"])).expect("public key decodes");
    let signature_bytes = vectors::bytes(&s["signature"]);
    let signature = Signature::from_bytes(&signature_bytes).expect("signature decodes");
    let message = vectors::bytes(&s["message"]).try_into().expect("32-byte message");
    let epoch = s["epoch"].as_u64().expect("epoch");
    public_key.verify(epoch, &message, &signature).expect("vector signature verifies");
    Devnet4Vector { public_key, epoch, message, signature_bytes, signature }
});

/// A full TestInstance key (all 256 epochs).
static TEST_KEY: LazyLock<(SecretKey<TestInstance>, PublicKey<TestInstance>)> =
    LazyLock::new(|| SecretKey::from_seed(&[1; 32], 0, TestInstance::LIFETIME).expect("test key"));

/// A Devnet 4 key of three bottom trees (196,608 epochs): the prepared window covers the first two, and
/// the third lets `prepare_next` run. Built on first use only, i.e. only when a full-mode bench needs it.
static DEVNET4_KEY: LazyLock<(SecretKey<Devnet4>, PublicKey<Devnet4>)> = LazyLock::new(|| {
    let epochs = 3 * Devnet4::LEAVES_PER_BOTTOM_TREE;
    eprintln!("building a Devnet 4 key of {epochs} epochs for the sign/advance benches...");
    let start = std::time::Instant::now();
    let key = SecretKey::from_seed(&[1; 32], 0, epochs).expect("devnet4 key");
    eprintln!("Devnet 4 key built in {:.1?}", start.elapsed());
    key
});

/// A message that differs per iteration.
fn message(counter: u64) -> [u8; 32] {
    let mut m = [0x5a; 32];
    m[..8].copy_from_slice(&counter.to_le_bytes());
    m
}

// ---------------------------------------------------------------------------------------------------------
// poseidon
// ---------------------------------------------------------------------------------------------------------

fn bench_poseidon(c: &mut Criterion) {
    let lanes = PackedF::WIDTH;
    let mut group = c.benchmark_group("poseidon");

    group.throughput(Throughput::Elements(1));
    group.bench_function("scalar_w16", |b| {
        let mut state: [F; 16] = core::array::from_fn(|i| F::from_u32(i as u32));
        b.iter(|| {
            poseidon16().permute_mut(black_box(&mut state));
        });
    });
    group.bench_function("scalar_w24", |b| {
        let mut state: [F; 24] = core::array::from_fn(|i| F::from_u32(i as u32));
        b.iter(|| {
            poseidon24().permute_mut(black_box(&mut state));
        });
    });

    // One packed permutation is `lanes` permutations: elements/s is permutations/s.
    group.throughput(Throughput::Elements(lanes as u64));
    group.bench_function(BenchmarkId::new("packed_w16", format!("{lanes}_lanes")), |b| {
        let mut state: [PackedF; 16] =
            core::array::from_fn(|i| PackedF::from_fn(|l| F::from_u32((l * 100 + i) as u32)));
        b.iter(|| {
            poseidon16().permute_mut(black_box(&mut state));
        });
    });
    group.bench_function(BenchmarkId::new("packed_w24", format!("{lanes}_lanes")), |b| {
        let mut state: [PackedF; 24] =
            core::array::from_fn(|i| PackedF::from_fn(|l| F::from_u32((l * 100 + i) as u32)));
        b.iter(|| {
            poseidon24().permute_mut(black_box(&mut state));
        });
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------------------
// xmss_verify
// ---------------------------------------------------------------------------------------------------------

fn bench_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("xmss_verify");
    group.throughput(Throughput::Elements(1));

    group.bench_function("devnet4", |b| {
        let v = &*DEVNET4_VECTOR;
        b.iter(|| {
            black_box(&v.public_key)
                .verify(black_box(v.epoch), black_box(&v.message), black_box(&v.signature))
                .unwrap();
        });
    });

    group.bench_function("test_instance", |b| {
        let (sk, pk) = &*TEST_KEY;
        let epoch = 17;
        let msg = message(17);
        let signature = sk.sign_raw(epoch, &msg).unwrap();
        b.iter(|| {
            black_box(pk).verify(black_box(epoch), black_box(&msg), black_box(&signature)).unwrap();
        });
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------------------
// xmss_sign
// ---------------------------------------------------------------------------------------------------------

/// Signs a fresh message each iteration, cycling over the key's prepared epochs. Re-signing an epoch is
/// unsafe in production but fine here: the low-level key keeps no state and the cost does not depend on it.
fn sign_loop<I: Instance>(b: &mut criterion::Bencher<'_>, sk: &SecretKey<I>) {
    let window = sk.prepared();
    let span = window.end - window.start;
    let mut counter = 0u64;
    b.iter(|| {
        counter += 1;
        let epoch = window.start + counter.wrapping_mul(0x9e37_79b9) % span;
        black_box(sk.sign_raw(epoch, &message(counter)).unwrap());
    });
}

fn bench_sign(c: &mut Criterion) {
    let mut group = c.benchmark_group("xmss_sign");
    group.throughput(Throughput::Elements(1));

    group.bench_function("test_instance", |b| sign_loop(b, &TEST_KEY.0));

    if full() {
        group.bench_function("devnet4", |b| sign_loop(b, &DEVNET4_KEY.0));
    } else {
        skip("xmss_sign/devnet4");
    }
    group.finish();
}

// ---------------------------------------------------------------------------------------------------------
// xmss_keygen
// ---------------------------------------------------------------------------------------------------------

fn bench_keygen(c: &mut Criterion) {
    let mut group = c.benchmark_group("xmss_keygen");

    // Throughput in epochs (leaves), so the per-leaf cost is visible.
    let test_epochs = TestInstance::LIFETIME;
    group.throughput(Throughput::Elements(test_epochs));
    group.bench_function(BenchmarkId::new("test_instance", test_epochs), |b| {
        b.iter(|| black_box(SecretKey::<TestInstance>::from_seed(&[2; 32], 0, test_epochs).unwrap()));
    });

    // The keygen hot loop: Devnet 4 leaves (46 chains of 7 steps, then the leaf sponge), SIMD-batched.
    let leaf_count = 1024;
    let prf_key = [3u8; 32];
    let parameter: Parameter = core::array::from_fn(|i| F::from_u32(1000 + i as u32));
    group.throughput(Throughput::Elements(leaf_count));
    group.bench_function(BenchmarkId::new("devnet4_leaves", leaf_count), |b| {
        b.iter(|| {
            black_box(leaves(
                black_box(&prf_key),
                &parameter,
                0,
                leaf_count,
                Devnet4::DIMENSION,
                Devnet4::BASE,
            ))
        });
    });

    // The smallest Devnet 4 key: two bottom trees of 65,536 leaves.
    let min_epochs = 2 * Devnet4::LEAVES_PER_BOTTOM_TREE;
    if full() {
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        // Flat sampling, 10 samples in 60 s: one key per sample wherever a key takes over 6 s.
        group.measurement_time(Duration::from_secs(60));
        group.throughput(Throughput::Elements(min_epochs));
        group.bench_function(BenchmarkId::new("devnet4", min_epochs), |b| {
            b.iter(|| black_box(SecretKey::<Devnet4>::from_seed(&[4; 32], 0, 1).unwrap()));
        });
    } else {
        skip(&format!("xmss_keygen/devnet4/{min_epochs}"));
    }
    group.finish();
}

// ---------------------------------------------------------------------------------------------------------
// xmss_advance
// ---------------------------------------------------------------------------------------------------------

fn bench_advance(c: &mut Criterion) {
    if !full() {
        skip("xmss_advance/devnet4_prepare_next");
        return;
    }
    let mut group = c.benchmark_group("xmss_advance");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    // Flat sampling, 10 samples in 30 s: one bottom tree per sample wherever one takes over 3 s.
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(Devnet4::LEAVES_PER_BOTTOM_TREE));
    group.bench_function("devnet4_prepare_next", |b| {
        let sk = &DEVNET4_KEY.0;
        b.iter(|| black_box(sk.prepare_next().unwrap()));
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------------------
// codec
// ---------------------------------------------------------------------------------------------------------

fn bench_codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("codec");
    group.throughput(Throughput::Bytes(Signature::<Devnet4>::BYTES as u64));
    group.bench_function("devnet4_signature_from_bytes", |b| {
        let bytes = &DEVNET4_VECTOR.signature_bytes;
        b.iter(|| black_box(Signature::<Devnet4>::from_bytes(black_box(bytes)).unwrap()));
    });
    group.bench_function("devnet4_signature_to_bytes", |b| {
        let signature = &DEVNET4_VECTOR.signature;
        b.iter(|| black_box(black_box(signature).to_bytes()));
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------------------
// batch verification
// ---------------------------------------------------------------------------------------------------------

/// All sixteen Devnet 4 vector signatures, repeated to `n` items: one SIMD width per chunk on AVX-512.
fn bench_verify_batch(c: &mut Criterion) {
    let v = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    let key = &v["keys"][0];
    let pk = PublicKey::<Devnet4>::from_bytes(&vectors::bytes(&key["public_key"])).expect("public key");
    let signed: Vec<(u64, [u8; 32], Signature<Devnet4>)> = key["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .map(|s| {
            let sig = Signature::from_bytes(&vectors::bytes(&s["signature"])).expect("signature");
            (
                s["epoch"].as_u64().expect("epoch"),
                vectors::bytes(&s["message"]).try_into().expect("message"),
                sig,
            )
        })
        .collect();
    let mut group = c.benchmark_group("verify_batch");
    for n in [16usize, 256] {
        let items: Vec<BatchItem<'_, Devnet4>> = (0..n)
            .map(|i| {
                let (epoch, message, signature) = &signed[i % signed.len()];
                BatchItem { public_key: &pk, epoch: *epoch, message, signature }
            })
            .collect();
        group.throughput(Throughput::Elements(n as u64));
        for threads in [1, rayon::current_num_threads()] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            group.bench_function(
                BenchmarkId::new(format!("devnet4_{n}"), format!("{threads}_threads")),
                |b| {
                    b.iter(|| {
                        pool.install(|| assert!(verify_batch(black_box(&items)).iter().all(Result::is_ok)))
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    ndvt_benches::print_platform,
    bench_poseidon,
    bench_verify,
    bench_verify_batch,
    bench_sign,
    bench_keygen,
    bench_advance,
    bench_codec
);
criterion_main!(benches);
