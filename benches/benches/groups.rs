//! Criterion benches for the group layer: m-of-n group verification (5-of-7, 11-of-16) and the
//! concatenation aggregate over 1,000 groups, on the test instance always and on Devnet 4 with
//! `NDVT_BENCH_FULL=1` (sixteen Devnet 4 keys take about a minute to generate).
//!
//! Run with `cargo bench -p ndvt-benches --bench groups`. Group verification is m independent XMSS
//! verifications, so its floor is m × one verification; the aggregate verifies its parts in parallel.

// Bench setup fails loudly on broken fixtures; criterion requires public functions without docs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ndvt_xmss::hazmat::RawSign;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndvt_aggregation::{
    ConcatAggregate, GroupKey, GroupSignature, Participant, Share, ThresholdPolicy, Xmss,
};
use ndvt_xmss::{Devnet4, Instance, PublicKey, SecretKey, Signature, TestInstance};
use rayon::prelude::*;

const EPOCH: u64 = 7;
const MESSAGE: [u8; 32] = [0x5a; 32];
const POOL: usize = 16;
const GROUPS: usize = 1_000;

fn full() -> bool {
    std::env::var_os("NDVT_BENCH_FULL").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Sixteen keys, each with one signature on (EPOCH, MESSAGE). Fixture only: every key signs exactly one
/// message at one epoch, so the bare `SecretKey::sign` is safe here (real members sign through
/// `DurableSigner`).
fn pool<I: Instance>() -> Vec<(PublicKey<I>, Signature<I>)> {
    let active = if I::LOG_LIFETIME <= 16 { I::LIFETIME } else { 2 * I::LEAVES_PER_BOTTOM_TREE };
    (0..POOL)
        .into_par_iter()
        .map(|i| {
            let (sk, pk) = SecretKey::<I>::from_seed(&[i as u8 + 1; 32], 0, active).unwrap();
            (pk, sk.sign_raw(EPOCH, &MESSAGE).unwrap())
        })
        .collect()
}

/// The group of pool members `order` (roster order) and its signature by the first `m` of them.
fn signed_group<I: Instance>(
    keys: &[(PublicKey<I>, Signature<I>)],
    order: &[usize],
    m: u8,
) -> (GroupKey<Xmss<I>>, GroupSignature<Xmss<I>>) {
    let roster = order.iter().map(|&k| keys[k].0).collect();
    let (group, _) = GroupKey::new(m, roster, ThresholdPolicy::Strict).unwrap();
    let shares: Vec<Share<Xmss<I>>> = (0..m)
        .map(|i| Share {
            member: i,
            epoch: EPOCH,
            message: MESSAGE,
            signature: keys[order[usize::from(i)]].1.clone(),
        })
        .collect();
    let signature = GroupSignature::combine(&group, &shares).unwrap();
    (group, signature)
}

fn group_verify<I: Instance>(c: &mut Criterion, keys: &[(PublicKey<I>, Signature<I>)]) {
    let mut g = c.benchmark_group(format!("group_verify/{}", I::NAME));
    for (m, n) in [(5u8, 7usize), (11, 16)] {
        let order: Vec<usize> = (0..n).collect();
        let (group, signature) = signed_group(keys, &order, m);
        g.throughput(Throughput::Elements(u64::from(m)));
        g.bench_function(BenchmarkId::from_parameter(format!("{m}-of-{n}")), |b| {
            b.iter(|| black_box(&signature).verify(&group, EPOCH, &MESSAGE).unwrap())
        });
    }
    g.finish();
}

/// 1,000 distinct 5-of-7 groups drawn from the pool (distinct rosters, hence distinct group ids), all
/// participating with five signatures each: 5,000 member verifications per aggregate.
fn aggregate_verify<I: Instance>(c: &mut Criterion, keys: &[(PublicKey<I>, Signature<I>)]) {
    let mut registry = Vec::with_capacity(GROUPS);
    let mut aggregate = ConcatAggregate::new(EPOCH, MESSAGE, GROUPS);
    let mut seen = std::collections::BTreeSet::new();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    while registry.len() < GROUPS {
        // A deterministic shuffle of the pool (splitmix64 steps); the first seven are the roster.
        let mut order: Vec<usize> = (0..POOL).collect();
        for i in (1..POOL).rev() {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            order.swap(i, (z ^ (z >> 31)) as usize % (i + 1));
        }
        order.truncate(7);
        if !seen.insert(order.clone()) {
            continue;
        }
        let (group, signature) = signed_group(keys, &order, 5);
        aggregate.add_group(registry.len(), &signature).unwrap();
        registry.push(Participant::Group(group));
    }
    let mut c = c.benchmark_group(format!("aggregate_verify/{}", I::NAME));
    c.sample_size(10).measurement_time(Duration::from_secs(10));
    c.throughput(Throughput::Elements((GROUPS * 5) as u64));
    for threads in [1, rayon::current_num_threads()] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        c.bench_function(
            BenchmarkId::new(format!("{GROUPS}_groups_5of7"), format!("{threads}_threads")),
            |b| b.iter(|| pool.install(|| black_box(&aggregate).verify(&registry, EPOCH, &MESSAGE).unwrap())),
        );
    }
    c.finish();
}

fn test_instance(c: &mut Criterion) {
    let keys = pool::<TestInstance>();
    group_verify(c, &keys);
    aggregate_verify(c, &keys);
}

fn devnet4(c: &mut Criterion) {
    if !full() {
        eprintln!("skipping the Devnet 4 group benches: set NDVT_BENCH_FULL=1 (sixteen Devnet 4 keys)");
        return;
    }
    let keys = pool::<Devnet4>();
    group_verify(c, &keys);
    aggregate_verify(c, &keys);
}

criterion_group!(benches, ndvt_benches::print_platform, test_instance, devnet4);
criterion_main!(benches);
