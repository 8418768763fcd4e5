//! Process-level reliability of `ndvt key sign`: SIGKILL at random moments, and two processes racing for
//! one key. The guarantee checked after every trial: no epoch is ever released for two different messages,
//! and every released epoch is at or below the persisted watermark (`ndvt key info`).
//!
//! The suite (`suites/crash.rs`) runs once per hash back-end on its lifetime-2^8 set. The CI run makes 200
//! crash trials on the Poseidon1 set and 60 on each other one. `NDVT_CRASH_TRIALS` sets the count (the long run is 10,000:
//! `NDVT_CRASH_TRIALS=10000 cargo test -p ndvt-cli --test crash -- --nocapture`), and `NDVT_CRASH_SEED`
//! replays a run (the seed is printed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

/// Poseidon1 (leanSig's test instance).
mod poseidon1 {
    type T = ndvt_xmss::TestInstance;
    const TRIALS: usize = 200;
    include!("suites/crash.rs");
}

/// leanVM's BLAKE2s, lifetime 2^8.
mod leanvm {
    type T = ndvt_xmss::leanvm::LeanVmTest;
    const TRIALS: usize = 60;
    include!("suites/crash.rs");
}

/// SHA-3, lifetime 2^8.
mod sha3 {
    type T = ndvt_xmss::byte_xmss::Sha3Test;
    const TRIALS: usize = 60;
    include!("suites/crash.rs");
}

/// BLAKE3, lifetime 2^8.
mod blake3 {
    type T = ndvt_xmss::byte_xmss::Blake3Test;
    const TRIALS: usize = 60;
    include!("suites/crash.rs");
}
