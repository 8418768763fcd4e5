//! A node's window advance runs beside its signing, not in front of it (issue 16): a leanVM key (lifetime
//! 2^32, so one advance computes a bottom tree of 65,536 leaves, the cost a real key pays) keeps signing
//! through the node's `WindowAdvancer` while the next bottom tree is computed on tokio's blocking pool, and
//! its signing latency stays what it was without the advance.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::{Duration, Instant};

use ndvt_node::advance::WindowAdvancer;
use ndvt_xmss::leanvm::LeanVm;
use ndvt_xmss::{DurableSigner, PublicKey, SecretKey};

const TREE: u64 = 1 << 16;

fn message(epoch: u64) -> [u8; 32] {
    let mut m = [0x5a; 32];
    m[..8].copy_from_slice(&epoch.to_le_bytes());
    m
}

/// Signs `epoch` and returns how long the signer took (the signature is checked, outside the timing).
fn timed_sign(signer: &mut DurableSigner<LeanVm>, pk: &PublicKey<LeanVm>, epoch: u64) -> Duration {
    let started = Instant::now();
    let signature = signer.sign_at(epoch, &message(epoch)).expect("a prepared, unused epoch");
    let took = started.elapsed();
    pk.verify(epoch, &message(epoch), &signature).expect("a valid signature");
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn signing_latency_is_unaffected_while_a_window_advance_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (sk, pk) = SecretKey::<LeanVm>::from_seed(&[9; 32], 0, 3 * TREE).expect("keygen");
    let mut signer = DurableSigner::create(&dir.path().join("key"), sk, 0).expect("signer");
    assert_eq!(signer.prepared(), 0..2 * TREE);
    // One reservation up front, so that what is timed is signing itself, not the disk's fsync latency.
    signer.reserve(2 * TREE).expect("reserve");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .build()
        .expect("runtime");
    let _inside = rt.enter();
    let mut advancer = WindowAdvancer::<LeanVm>::default();

    let idle: Vec<Duration> = (0..24).map(|epoch| timed_sign(&mut signer, &pk, epoch)).collect();
    let mut epoch = idle.len() as u64;
    let started = Instant::now();
    assert_eq!(advancer.request("attestation", &signer, 2 * TREE).expect("request"), Some(2));
    assert!(advancer.is_running("attestation"));
    assert_eq!(advancer.request("attestation", &signer, 2 * TREE).expect("request"), None, "one job per key");
    let mut during = Vec::new();
    let done = loop {
        if let Some(done) = advancer.try_finished() {
            break done;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the advance did not finish");
        during.push(timed_sign(&mut signer, &pk, epoch));
        epoch += 1;
    };
    let advance = started.elapsed();
    let compute = Duration::from_millis(done.compute_ms);
    let (idle_median, during_median) = (median(idle), median(during.clone()));
    let during_max = during.iter().max().copied().unwrap_or_default();
    eprintln!(
        "advance {advance:?} (worker {compute:?}); {} signatures during it; sign median idle {idle_median:?}, \
         during {during_median:?}, max during {during_max:?}",
        during.len()
    );
    // Signing went on while the tree was computed, and no signature waited for it: an inline advance would
    // have held one signature for the whole computation.
    assert!(during.len() >= 8, "only {} signatures while the advance ran", during.len());
    assert!(during_max < compute / 4, "a signature took {during_max:?}, the advance {compute:?}");
    // Unaffected: the other core computes the tree, so the median stays within noise of the idle one.
    assert!(
        during_median <= idle_median * 2 + Duration::from_millis(2),
        "median {during_median:?} during the advance against {idle_median:?} without"
    );

    assert!(advancer.install(done, &mut signer).expect("install"), "the tree the window needs next");
    assert!(!advancer.is_running("attestation"));
    assert_eq!(signer.prepared(), TREE..3 * TREE);
    timed_sign(&mut signer, &pk, 2 * TREE + 1);
}
