//! One interface over every parameter set of every back-end, for benchmarks, comparison tables and code
//! that wants to swap hash and parameters without caring which back-end runs.
//!
//! The Poseidon1 sets ([`crate::Devnet4`], [`crate::TestInstance`]) keep their packed field-element
//! implementation and leanSig byte format and join as [`Poseidon<I>`]; the SHA-3 and BLAKE3 sets run the
//! byte-oriented code of [`crate::byte_xmss`] and join as [`Bytes<I>`]. The wrappers keep the trait's
//! constants from clashing with the parameter-set traits' constants of the same names.
//!
//! ```
//! use ndvt_xmss::hazmat::RawSign;
//! use ndvt_xmss::{Bytes, Poseidon, TestInstance, XmssScheme, byte_xmss::Blake3Test};
//!
//! fn round_trip<S: XmssScheme>() -> bool {
//!     let Ok((sk, pk)) = S::key_gen(&[3; 32], 0, 8) else { return false };
//!     let Ok(sig) = sk.sign_raw(1, &[9; 32]) else { return false };
//!     S::verify(&pk, 1, &[9; 32], &sig).is_ok() && S::signature_bytes(&sig).len() == S::SIGNATURE_BYTES
//! }
//! assert!(round_trip::<Poseidon<TestInstance>>() && round_trip::<Bytes<Blake3Test>>());
//! ```

use core::ops::Range;

use core::marker::PhantomData;

use crate::byte_xmss::{ByteInstance, BytePublicKey, ByteSecretKey, ByteSignature, TweakableHash};
use crate::error::{KeyError, VerifyError};
use crate::hazmat::RawSign;
use crate::instance::Instance;
use crate::public_key::PublicKey;
use crate::secret_key::SecretKey;
use crate::signature::Signature;

/// A generalized-XMSS parameter set on some hash back-end.
pub trait XmssScheme: Send + Sync + 'static {
    /// Parameter-set name, e.g. `devnet4`, `sha3-l20-w4`, `blake3-l32-w8`.
    const NAME: &'static str;
    /// Hash family: `poseidon1`, `sha3` or `blake3`.
    const HASH: &'static str;
    /// log2 of the number of epochs.
    const LOG_LIFETIME: u32;
    /// Number of chains `v`.
    const DIMENSION: usize;
    /// Chain length `w`.
    const BASE: usize;
    /// Target sum `T`.
    const TARGET_SUM: usize;
    /// Encoded public key size.
    const PUBLIC_KEY_BYTES: usize;
    /// Encoded signature size.
    const SIGNATURE_BYTES: usize;
    /// Whether the back-end counts its hash calls ([`crate::byte_xmss::hash_count`]).
    const COUNTS_HASH_CALLS: bool;

    /// The secret key. Raw signing with it lives in [`crate::hazmat::RawSign`].
    type SecretKey: Send + Sync + RawSign<Signature = Self::Signature>;
    /// The public key.
    type PublicKey: Send + Sync;
    /// The signature.
    type Signature: Send + Sync;

    /// Deterministic key generation, active for at least `[start, start + count)`.
    fn key_gen(
        seed: &[u8; 32],
        start: u64,
        count: u64,
    ) -> Result<(Self::SecretKey, Self::PublicKey), KeyError>;
    /// The key's activation range.
    fn activation(sk: &Self::SecretKey) -> Range<u64>;
    /// The epochs the key can sign without advancing.
    fn prepared(sk: &Self::SecretKey) -> Range<u64>;
    /// Verifies.
    fn verify(
        pk: &Self::PublicKey,
        epoch: u64,
        message: &[u8; 32],
        sig: &Self::Signature,
    ) -> Result<(), VerifyError>;
    /// Encodes a signature.
    fn signature_bytes(sig: &Self::Signature) -> Vec<u8>;
    /// Size of the secret key: its encoding (Poseidon) or the key material it holds (byte back-ends).
    fn secret_key_bytes(sk: &Self::SecretKey) -> usize;
}

/// A Poseidon1 parameter set as an [`XmssScheme`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Poseidon<I: Instance>(PhantomData<I>);

/// A SHA-3 or BLAKE3 parameter set as an [`XmssScheme`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bytes<I: ByteInstance>(PhantomData<I>);

impl<I: Instance> XmssScheme for Poseidon<I> {
    const NAME: &'static str = I::NAME;
    const HASH: &'static str = "poseidon1";
    const LOG_LIFETIME: u32 = I::LOG_LIFETIME;
    const DIMENSION: usize = I::DIMENSION;
    const BASE: usize = I::BASE;
    const TARGET_SUM: usize = I::TARGET_SUM;
    const PUBLIC_KEY_BYTES: usize = I::PUBLIC_KEY_BYTES;
    const SIGNATURE_BYTES: usize = I::SIGNATURE_BYTES;
    const COUNTS_HASH_CALLS: bool = false;
    type SecretKey = SecretKey<I>;
    type PublicKey = PublicKey<I>;
    type Signature = Signature<I>;

    fn key_gen(seed: &[u8; 32], start: u64, count: u64) -> Result<(SecretKey<I>, PublicKey<I>), KeyError> {
        SecretKey::from_seed(seed, start, count)
    }
    fn activation(sk: &SecretKey<I>) -> Range<u64> {
        sk.activation()
    }
    fn prepared(sk: &SecretKey<I>) -> Range<u64> {
        sk.prepared()
    }
    fn verify(
        pk: &PublicKey<I>,
        epoch: u64,
        message: &[u8; 32],
        sig: &Signature<I>,
    ) -> Result<(), VerifyError> {
        pk.verify(epoch, message, sig)
    }
    fn signature_bytes(sig: &Signature<I>) -> Vec<u8> {
        sig.to_bytes()
    }
    fn secret_key_bytes(sk: &SecretKey<I>) -> usize {
        sk.to_bytes().len()
    }
}

impl<I: ByteInstance> XmssScheme for Bytes<I> {
    const NAME: &'static str = I::NAME;
    const HASH: &'static str = <I::Hash as TweakableHash>::NAME;
    const LOG_LIFETIME: u32 = I::LOG_LIFETIME;
    const DIMENSION: usize = I::DIMENSION;
    const BASE: usize = I::BASE;
    const TARGET_SUM: usize = I::TARGET_SUM;
    const PUBLIC_KEY_BYTES: usize = I::PUBLIC_KEY_BYTES;
    const SIGNATURE_BYTES: usize = I::SIGNATURE_BYTES;
    const COUNTS_HASH_CALLS: bool = true;
    type SecretKey = ByteSecretKey<I>;
    type PublicKey = BytePublicKey<I>;
    type Signature = ByteSignature<I>;

    fn key_gen(
        seed: &[u8; 32],
        start: u64,
        count: u64,
    ) -> Result<(ByteSecretKey<I>, BytePublicKey<I>), KeyError> {
        ByteSecretKey::from_seed(seed, start, count)
    }
    fn activation(sk: &ByteSecretKey<I>) -> Range<u64> {
        sk.activation()
    }
    fn prepared(sk: &ByteSecretKey<I>) -> Range<u64> {
        sk.prepared()
    }
    fn verify(
        pk: &BytePublicKey<I>,
        epoch: u64,
        message: &[u8; 32],
        sig: &ByteSignature<I>,
    ) -> Result<(), VerifyError> {
        pk.verify(epoch, message, sig)
    }
    fn signature_bytes(sig: &ByteSignature<I>) -> Vec<u8> {
        sig.to_bytes()
    }
    fn secret_key_bytes(sk: &ByteSecretKey<I>) -> usize {
        sk.key_material_bytes()
    }
}
