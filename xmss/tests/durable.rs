//! Reliability of the durable signer: a one-time key never signs two different messages for one epoch,
//! across persistence failures, restarts, backups, reservations, second handles and racing threads.
//!
//! The suite (`suites/durable.rs`) runs once per hash back-end, on each back-end's lifetime-2^8 set: keys
//! active on the whole lifetime `[0, 256)` (prepared window `[0, 32)`), in directories under Cargo's
//! per-target scratch directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

/// Poseidon1 (leanSig's test instance).
mod poseidon1 {
    type T = ndvt_xmss::TestInstance;
    include!("suites/durable.rs");
}

/// leanVM's BLAKE2s, lifetime 2^8.
mod leanvm {
    type T = ndvt_xmss::leanvm::LeanVmTest;
    include!("suites/durable.rs");
}

/// SHA-3, lifetime 2^8.
mod sha3 {
    type T = ndvt_xmss::byte_xmss::Sha3Test;
    include!("suites/durable.rs");
}

/// BLAKE3, lifetime 2^8.
mod blake3 {
    type T = ndvt_xmss::byte_xmss::Blake3Test;
    include!("suites/durable.rs");
}
