//! Parameter sets as types.
//!
//! An [`Instance`] picks a hash back-end ([`TweakableHash`]), an incomparable encoding ([`Encoding`]), the
//! lifetime, the number of chains `v`, the chain length `w`, the target sum `T`, how activation ranges are
//! kept and how signatures are laid out. Everything else (trees, the prepared window, signing, verification,
//! the durable signer) is the one core, written once over this trait. The Poseidon1 sets are here; the
//! SHA-3 and BLAKE3 sets are in [`crate::byte_xmss`], the leanVM BLAKE2s sets in [`crate::leanvm`].

use core::fmt::Debug;

use crate::backend::{Element, Encoding, TweakableHash};
use crate::message_hash::AbortingHypercube;
use crate::poseidon_backend::Poseidon1;

/// How a key covers the activation range it is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// Rounded out to whole bottom trees of `2^(h/2)` epochs, at least two (leanSig's rule).
    WholeBottomTrees,
    /// Exactly the epochs asked for: nodes outside the range are filler nodes (leanVM's rule), so the
    /// root depends on the range and bottom trees at its ends are partial.
    Exact,
}

/// How a signature's parts are laid out in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureLayout {
    /// leanSig's SSZ container: `off_path ‖ rho ‖ off_hashes ‖ path { off ‖ siblings } ‖ chain values`.
    Ssz,
    /// Fixed concatenation `chain values ‖ rho ‖ path` (leanVM's bincode layout, no length prefixes).
    TipsRhoPath,
}

/// A generalized-XMSS parameter set.
pub trait Instance: Copy + Clone + Debug + Default + PartialEq + Eq + Send + Sync + 'static {
    /// The hash back-end.
    type Hash: TweakableHash;
    /// The incomparable encoding of message digests into codewords.
    type Encoding: Encoding<Digest = <Self::Hash as TweakableHash>::MessageDigest>;
    /// Short name used by the CLI, in reports and in key files.
    const NAME: &'static str;
    /// One-byte identifier of the set in ndvt's group and aggregate encodings; unique across sets.
    const ID: u8;
    /// log2 of the number of epochs. Even, between 2 and 32.
    const LOG_LIFETIME: u32;
    /// Number of hash chains `v`.
    const DIMENSION: usize;
    /// Chain length `w` (the base of the codeword digits).
    const BASE: usize;
    /// Target sum `T` of the codeword digits.
    const TARGET_SUM: usize;
    /// Signing gives up after this many encoding attempts ([`crate::SignError::EncodingAttemptsExceeded`]).
    const MAX_TRIES: u64 = 100_000;
    /// How activation ranges are kept.
    const ACTIVATION: Activation = Activation::WholeBottomTrees;
    /// How signatures are laid out.
    const SIGNATURE_LAYOUT: SignatureLayout = SignatureLayout::Ssz;

    /// Number of epochs, `2^LOG_LIFETIME`.
    const LIFETIME: u64 = 1 << Self::LOG_LIFETIME;
    /// Leaves per bottom tree, `2^(LOG_LIFETIME / 2)`; also the number of bottom trees.
    const LEAVES_PER_BOTTOM_TREE: u64 = 1 << (Self::LOG_LIFETIME / 2);
    /// Encoded public key size: root ‖ parameter.
    const PUBLIC_KEY_BYTES: usize = Digest::<Self>::BYTES + <Parameter<Self> as Element>::BYTES;
    /// Encoded signature size.
    const SIGNATURE_BYTES: usize = Rho::<Self>::BYTES
        + Digest::<Self>::BYTES * (Self::LOG_LIFETIME as usize + Self::DIMENSION)
        + match Self::SIGNATURE_LAYOUT {
            SignatureLayout::Ssz => 12,
            SignatureLayout::TipsRhoPath => 0,
        };
}

/// The tree-node and chain-value type of an instance.
pub type Digest<I> = <<I as Instance>::Hash as TweakableHash>::Digest;
/// The public parameter type of an instance.
pub type Parameter<I> = <<I as Instance>::Hash as TweakableHash>::Parameter;
/// The randomness type of an instance.
pub type Rho<I> = <<I as Instance>::Hash as TweakableHash>::Rho;

/// Compile-time checks every instance must pass; evaluated where keys are generated, signed or verified.
pub(crate) const fn check<I: Instance>() {
    assert!(I::LOG_LIFETIME >= 2 && I::LOG_LIFETIME <= 32 && I::LOG_LIFETIME % 2 == 0);
    assert!(I::DIMENSION >= 1 && I::DIMENSION <= 256);
    assert!(I::BASE >= 2 && I::BASE <= 256);
    assert!(I::TARGET_SUM <= I::DIMENSION * (I::BASE - 1));
    // Exact ranges pad bottom trees when the window advances, long after the seed is gone.
    assert!(matches!(I::ACTIVATION, Activation::WholeBottomTrees) || I::Hash::PAD_KEY_IS_PRF_KEY);
}

/// Lean consensus Devnet 4 (leanSig `SIGAbortingTargetSumLifetime32Dim46Base8`, leanSpec `PROD_CONFIG`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Devnet4;

impl Instance for Devnet4 {
    type Hash = Poseidon1;
    type Encoding = AbortingHypercube<8, 127>;
    const NAME: &'static str = "devnet4";
    const ID: u8 = 1;
    const LOG_LIFETIME: u32 = 32;
    const DIMENSION: usize = 46;
    const BASE: usize = 8;
    const TARGET_SUM: usize = 200;
}

/// The small test instance (leanSig `SchemeAbortingTargetSumLifetime8Dim46Base8`, leanSpec `TEST_CONFIG`):
/// lifetime 2^8, 4 chains. For tests and demonstrations only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestInstance;

impl Instance for TestInstance {
    type Hash = Poseidon1;
    type Encoding = AbortingHypercube<8, 127>;
    const NAME: &'static str = "test";
    const ID: u8 = 2;
    const LOG_LIFETIME: u32 = 8;
    const DIMENSION: usize = 4;
    const BASE: usize = 8;
    const TARGET_SUM: usize = 6;
}

const _: () = check::<Devnet4>();
const _: () = check::<TestInstance>();
const _: () = AbortingHypercube::<8, 127>::check(Devnet4::DIMENSION, Devnet4::BASE);
const _: () = AbortingHypercube::<8, 127>::check(TestInstance::DIMENSION, TestInstance::BASE);
const _: () = assert!(Devnet4::SIGNATURE_BYTES == 2536 && TestInstance::SIGNATURE_BYTES == 424);
const _: () = assert!(Devnet4::PUBLIC_KEY_BYTES == 52);
