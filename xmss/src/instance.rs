//! Parameter sets as types.
//!
//! An [`Instance`] fixes the lifetime, the number of chains `v`, the chain length `w`, the target sum `T`
//! and the message-hash decomposition `(z, Q)`. The field-element lengths (hash 8, parameter 5, tweak 2,
//! rho 7, message 9, sponge capacity 9) belong to the Poseidon1/KoalaBear back-end and are shared.

use core::fmt::Debug;

use crate::field::{DIGEST_BYTES, FE_BYTES, P, PARAMETER_LEN, RAND_LEN};

/// A generalized-XMSS parameter set over the Poseidon1/KoalaBear back-end.
pub trait Instance: Copy + Clone + Debug + Default + PartialEq + Eq + Send + Sync + 'static {
    /// Short name used by the CLI and in reports.
    const NAME: &'static str;
    /// log2 of the number of epochs. Even, between 2 and 32.
    const LOG_LIFETIME: u32;
    /// Number of hash chains `v`.
    const DIMENSION: usize;
    /// Chain length `w` (the base of the codeword digits).
    const BASE: usize;
    /// Target sum `T` of the codeword digits.
    const TARGET_SUM: usize;
    /// Base-`w` digits taken from each message-hash output element.
    const Z: usize;
    /// The divisor `Q` of the aborting decomposition, with `Q · w^z <= p`.
    const Q: u64;
    /// Signing gives up after this many encoding attempts.
    const MAX_TRIES: u64 = 100_000;

    /// Number of epochs, `2^LOG_LIFETIME`.
    const LIFETIME: u64 = 1 << Self::LOG_LIFETIME;
    /// Leaves per bottom tree, `2^(LOG_LIFETIME / 2)`; also the number of bottom trees.
    const LEAVES_PER_BOTTOM_TREE: u64 = 1 << (Self::LOG_LIFETIME / 2);
    /// Encoded public key size.
    const PUBLIC_KEY_BYTES: usize = DIGEST_BYTES + PARAMETER_LEN * FE_BYTES;
    /// Encoded signature size: offsets, rho, the co-path container and the chain values.
    const SIGNATURE_BYTES: usize = 4
        + RAND_LEN * FE_BYTES
        + 4
        + 4
        + DIGEST_BYTES * Self::LOG_LIFETIME as usize
        + DIGEST_BYTES * Self::DIMENSION;
}

/// Compile-time checks every instance must pass; evaluated where keys are generated, signed or verified.
pub(crate) const fn check<I: Instance>() {
    assert!(I::LOG_LIFETIME >= 2 && I::LOG_LIFETIME <= 32 && I::LOG_LIFETIME % 2 == 0);
    assert!(I::DIMENSION >= 1 && I::DIMENSION <= 256);
    assert!(I::BASE >= 2 && I::BASE <= 256);
    assert!(I::TARGET_SUM <= I::DIMENSION * (I::BASE - 1));
    assert!(I::Z >= 1 && I::DIMENSION.div_ceil(I::Z) <= crate::field::HASH_LEN);
    assert!(I::Q >= 1);
    // Q · w^z must not exceed p; checked without overflow.
    let mut bound = I::Q as u128;
    let mut i = 0;
    while i < I::Z {
        bound *= I::BASE as u128;
        i += 1;
    }
    assert!(bound <= P as u128);
}

/// Lean consensus Devnet 4 (leanSig `SIGAbortingTargetSumLifetime32Dim46Base8`, leanSpec `PROD_CONFIG`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Devnet4;

impl Instance for Devnet4 {
    const NAME: &'static str = "devnet4";
    const LOG_LIFETIME: u32 = 32;
    const DIMENSION: usize = 46;
    const BASE: usize = 8;
    const TARGET_SUM: usize = 200;
    const Z: usize = 8;
    const Q: u64 = 127;
}

/// The small test instance (leanSig `SchemeAbortingTargetSumLifetime8Dim46Base8`, leanSpec `TEST_CONFIG`):
/// lifetime 2^8, 4 chains. For tests and demonstrations only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestInstance;

impl Instance for TestInstance {
    const NAME: &'static str = "test";
    const LOG_LIFETIME: u32 = 8;
    const DIMENSION: usize = 4;
    const BASE: usize = 8;
    const TARGET_SUM: usize = 6;
    const Z: usize = 8;
    const Q: u64 = 127;
}

const _: () = check::<Devnet4>();
const _: () = check::<TestInstance>();
const _: () = assert!(Devnet4::SIGNATURE_BYTES == 2536 && TestInstance::SIGNATURE_BYTES == 424);
const _: () = assert!(Devnet4::PUBLIC_KEY_BYTES == 52);
