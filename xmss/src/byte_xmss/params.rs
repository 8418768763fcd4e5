//! Parameter sets of the byte-oriented schemes: hash family, lifetime and base.
//!
//! Every set hashes the message to 144 bits and reads them as `v = 144 / log2(w)` digits of base `w`
//! (72 chains for base 4, 48 for base 8), with the target sum 10% above the mean digit sum,
//! `T = ceil(1.1 · v(w−1)/2)` (hash-sig's "Off10" rule): verification walks `v(w−1) − T` steps, and about
//! one message hash in 46 (base 4) or 70 (base 8) meets the target at signing. The rationale is in
//! docs/HASH-BACKENDS.md.

use crate::backend::Element;
use crate::byte_xmss::backend::Bytes;
use crate::byte_xmss::encoding::BitDigits;
use crate::byte_xmss::hash::MESSAGE_HASH_LEN;
use crate::byte_xmss::{Blake3, Sha3};
use crate::instance::{Activation, Instance, SignatureLayout, check};

/// Chains `v` of a byte set with `log_base`-bit digits.
pub const fn dimension(log_base: u32) -> usize {
    MESSAGE_HASH_LEN * 8 / log_base as usize
}

/// Target sum of a byte set: 10% above the mean `v(w−1)/2`, rounded up.
pub const fn target_sum(log_base: u32) -> usize {
    (11 * dimension(log_base) * ((1 << log_base) - 1)).div_ceil(20)
}

macro_rules! byte_instance {
    ($(#[$doc:meta])* $ty:ident, $hash:ty, $name:literal, $id:literal, $log_lifetime:literal, $log_base:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $ty;

        impl Instance for $ty {
            type Hash = Bytes<$hash>;
            type Encoding = BitDigits<$log_base>;
            const NAME: &'static str = $name;
            const ID: u8 = $id;
            const LOG_LIFETIME: u32 = $log_lifetime;
            const DIMENSION: usize = dimension($log_base);
            const BASE: usize = 1 << $log_base;
            const TARGET_SUM: usize = target_sum($log_base);
            const SIGNATURE_LAYOUT: SignatureLayout = SignatureLayout::TipsRhoPath;
            const ACTIVATION: Activation = Activation::Exact;
        }

        const _: () = check::<$ty>();
        const _: () = assert!((MESSAGE_HASH_LEN * 8) % $log_base == 0 && $ty::DIMENSION <= 255);
    };
}

byte_instance!(
    /// SHA-3, lifetime 2^18, base 4 (72 chains, T = 119).
    Sha3L18W4, Sha3, "sha3-l18-w4", 16, 18, 2
);
byte_instance!(
    /// SHA-3, lifetime 2^18, base 8 (48 chains, T = 185).
    Sha3L18W8, Sha3, "sha3-l18-w8", 17, 18, 3
);
byte_instance!(
    /// SHA-3, lifetime 2^20, base 4 (72 chains, T = 119).
    Sha3L20W4, Sha3, "sha3-l20-w4", 18, 20, 2
);
byte_instance!(
    /// SHA-3, lifetime 2^20, base 8 (48 chains, T = 185).
    Sha3L20W8, Sha3, "sha3-l20-w8", 19, 20, 3
);
byte_instance!(
    /// SHA-3, lifetime 2^32, base 4 (72 chains, T = 119).
    Sha3L32W4, Sha3, "sha3-l32-w4", 20, 32, 2
);
byte_instance!(
    /// SHA-3, lifetime 2^32, base 8 (48 chains, T = 185).
    Sha3L32W8, Sha3, "sha3-l32-w8", 21, 32, 3
);
byte_instance!(
    /// BLAKE3, lifetime 2^18, base 4 (72 chains, T = 119).
    Blake3L18W4, Blake3, "blake3-l18-w4", 22, 18, 2
);
byte_instance!(
    /// BLAKE3, lifetime 2^18, base 8 (48 chains, T = 185).
    Blake3L18W8, Blake3, "blake3-l18-w8", 23, 18, 3
);
byte_instance!(
    /// BLAKE3, lifetime 2^20, base 4 (72 chains, T = 119).
    Blake3L20W4, Blake3, "blake3-l20-w4", 24, 20, 2
);
byte_instance!(
    /// BLAKE3, lifetime 2^20, base 8 (48 chains, T = 185).
    Blake3L20W8, Blake3, "blake3-l20-w8", 25, 20, 3
);
byte_instance!(
    /// BLAKE3, lifetime 2^32, base 4 (72 chains, T = 119).
    Blake3L32W4, Blake3, "blake3-l32-w4", 26, 32, 2
);
byte_instance!(
    /// BLAKE3, lifetime 2^32, base 8 (48 chains, T = 185).
    Blake3L32W8, Blake3, "blake3-l32-w8", 27, 32, 3
);
byte_instance!(
    /// A small SHA-3 set for tests and examples only: lifetime 2^8, base 8.
    Sha3Test, Sha3, "sha3-test", 28, 8, 3
);
byte_instance!(
    /// A small BLAKE3 set for tests and examples only: lifetime 2^8, base 8.
    Blake3Test, Blake3, "blake3-test", 29, 8, 3
);

const _: () = assert!(Sha3L18W4::DIMENSION == 72 && Sha3L18W4::TARGET_SUM == 119);
const _: () = assert!(Blake3L32W8::DIMENSION == 48 && Blake3L32W8::TARGET_SUM == 185);
const _: () = assert!(Blake3L32W8::SIGNATURE_BYTES == 24 + 32 * 32 + 32 * 48);
const _: () = assert!(Blake3L32W8::PUBLIC_KEY_BYTES == 32 + <[u8; 18] as Element>::BYTES);
