//! Parameter sets of the byte-oriented schemes: hash family, lifetime and base.
//!
//! Every set hashes the message to 144 bits and reads them as `v = 144 / log2(w)` digits of base `w`
//! (72 chains for base 4, 48 for base 8), with the target sum 10% above the mean digit sum,
//! `T = ceil(1.1 · v(w−1)/2)` (hash-sig's "Off10" rule): verification walks `v(w−1) − T` steps, and about
//! one message hash in 46 (base 4) or 70 (base 8) meets the target at signing. The rationale is in
//! docs/HASH-BACKENDS.md.

use core::fmt::Debug;

use crate::byte_xmss::hash::{DIGEST_LEN, MESSAGE_HASH_LEN, PARAMETER_LEN, RHO_LEN, TweakableHash};
use crate::byte_xmss::{Blake3, Sha3};

/// A parameter set of the byte-oriented generalized XMSS.
pub trait ByteInstance: Copy + Clone + Debug + Default + PartialEq + Eq + Send + Sync + 'static {
    /// The hash back-end.
    type Hash: TweakableHash;
    /// Name used by the CLI and in reports, e.g. `sha3-l20-w4`.
    const NAME: &'static str;
    /// log2 of the number of epochs. Even, between 2 and 32.
    const LOG_LIFETIME: u32;
    /// Bits per codeword digit: 2 (base 4) or 3 (base 8).
    const LOG_BASE: u32;
    /// Signing gives up after this many encoding attempts.
    const MAX_TRIES: u64 = 100_000;

    /// Chain length `w`.
    const BASE: usize = 1 << Self::LOG_BASE;
    /// Number of chains `v`.
    const DIMENSION: usize = MESSAGE_HASH_LEN * 8 / Self::LOG_BASE as usize;
    /// Target sum `T`: 10% above the mean `v(w−1)/2`, rounded up.
    const TARGET_SUM: usize = (11 * Self::DIMENSION * (Self::BASE - 1)).div_ceil(20);
    /// Number of epochs.
    const LIFETIME: u64 = 1 << Self::LOG_LIFETIME;
    /// Leaves per bottom tree, `2^(LOG_LIFETIME / 2)`; also the number of bottom trees.
    const LEAVES_PER_BOTTOM_TREE: u64 = 1 << (Self::LOG_LIFETIME / 2);
    /// Encoded public key: root ‖ parameter.
    const PUBLIC_KEY_BYTES: usize = DIGEST_LEN + PARAMETER_LEN;
    /// Encoded signature: rho ‖ co-path ‖ chain values.
    const SIGNATURE_BYTES: usize =
        RHO_LEN + DIGEST_LEN * Self::LOG_LIFETIME as usize + DIGEST_LEN * Self::DIMENSION;
}

/// Compile-time checks every byte instance must pass.
pub(crate) const fn check<I: ByteInstance>() {
    assert!(I::LOG_LIFETIME >= 2 && I::LOG_LIFETIME <= 32 && I::LOG_LIFETIME % 2 == 0);
    assert!(I::LOG_BASE >= 1 && I::LOG_BASE <= 4);
    assert!((MESSAGE_HASH_LEN * 8).is_multiple_of(I::LOG_BASE as usize));
    assert!(I::DIMENSION <= 255 && I::TARGET_SUM <= I::DIMENSION * (I::BASE - 1));
}

macro_rules! byte_instance {
    ($(#[$doc:meta])* $ty:ident, $hash:ty, $name:literal, $log_lifetime:literal, $log_base:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $ty;

        impl ByteInstance for $ty {
            type Hash = $hash;
            const NAME: &'static str = $name;
            const LOG_LIFETIME: u32 = $log_lifetime;
            const LOG_BASE: u32 = $log_base;
        }

        const _: () = check::<$ty>();
    };
}

byte_instance!(
    /// SHA-3, lifetime 2^18, base 4 (72 chains, T = 119).
    Sha3L18W4, Sha3, "sha3-l18-w4", 18, 2
);
byte_instance!(
    /// SHA-3, lifetime 2^18, base 8 (48 chains, T = 185).
    Sha3L18W8, Sha3, "sha3-l18-w8", 18, 3
);
byte_instance!(
    /// SHA-3, lifetime 2^20, base 4 (72 chains, T = 119).
    Sha3L20W4, Sha3, "sha3-l20-w4", 20, 2
);
byte_instance!(
    /// SHA-3, lifetime 2^20, base 8 (48 chains, T = 185).
    Sha3L20W8, Sha3, "sha3-l20-w8", 20, 3
);
byte_instance!(
    /// SHA-3, lifetime 2^32, base 4 (72 chains, T = 119).
    Sha3L32W4, Sha3, "sha3-l32-w4", 32, 2
);
byte_instance!(
    /// SHA-3, lifetime 2^32, base 8 (48 chains, T = 185).
    Sha3L32W8, Sha3, "sha3-l32-w8", 32, 3
);
byte_instance!(
    /// BLAKE3, lifetime 2^18, base 4 (72 chains, T = 119).
    Blake3L18W4, Blake3, "blake3-l18-w4", 18, 2
);
byte_instance!(
    /// BLAKE3, lifetime 2^18, base 8 (48 chains, T = 185).
    Blake3L18W8, Blake3, "blake3-l18-w8", 18, 3
);
byte_instance!(
    /// BLAKE3, lifetime 2^20, base 4 (72 chains, T = 119).
    Blake3L20W4, Blake3, "blake3-l20-w4", 20, 2
);
byte_instance!(
    /// BLAKE3, lifetime 2^20, base 8 (48 chains, T = 185).
    Blake3L20W8, Blake3, "blake3-l20-w8", 20, 3
);
byte_instance!(
    /// BLAKE3, lifetime 2^32, base 4 (72 chains, T = 119).
    Blake3L32W4, Blake3, "blake3-l32-w4", 32, 2
);
byte_instance!(
    /// BLAKE3, lifetime 2^32, base 8 (48 chains, T = 185).
    Blake3L32W8, Blake3, "blake3-l32-w8", 32, 3
);
byte_instance!(
    /// A small SHA-3 set for tests and examples only: lifetime 2^8, base 8.
    Sha3Test, Sha3, "sha3-test", 8, 3
);
byte_instance!(
    /// A small BLAKE3 set for tests and examples only: lifetime 2^8, base 8.
    Blake3Test, Blake3, "blake3-test", 8, 3
);

const _: () = assert!(Sha3L18W4::DIMENSION == 72 && Sha3L18W4::TARGET_SUM == 119);
const _: () = assert!(Blake3L32W8::DIMENSION == 48 && Blake3L32W8::TARGET_SUM == 185);
const _: () = assert!(Blake3L32W8::SIGNATURE_BYTES == 24 + 32 * 32 + 32 * 48);
