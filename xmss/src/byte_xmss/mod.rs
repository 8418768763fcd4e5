//! Generalized XMSS over byte-oriented hashes: SHA-3 and BLAKE3 back-ends.
//!
//! The same construction as the Poseidon1/KoalaBear scheme (hash chains, the target-sum encoding, a
//! top tree over bottom trees with a prepared window of two), with a byte-level tweakable hash
//! `H(parameter ‖ tweak ‖ data)` behind the [`TweakableHash`] trait. The Poseidon scheme keeps its own
//! field-element code (its packed fast path and its leanSig byte format); all schemes meet in
//! [`crate::XmssScheme`]. Parameter sets are types, named `<hash>-l<log lifetime>-w<base>`.
//!
//! ```
//! use ndvt_xmss::hazmat::RawSign;
//! use ndvt_xmss::byte_xmss::{Blake3Test, BytePublicKey, ByteSecretKey, ByteSignature};
//!
//! let (sk, pk) = ByteSecretKey::<Blake3Test>::from_seed(&[1; 32], 0, 64)?;
//! let bytes = sk.sign_raw(17, &[0x42; 32])?.to_bytes();
//! let pk = BytePublicKey::<Blake3Test>::from_bytes(&pk.to_bytes())?;
//! pk.verify(17, &[0x42; 32], &ByteSignature::from_bytes(&bytes)?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod blake3_hash;
mod blake3_x8;
mod chain;
mod counter;
mod encoding;
mod hash;
mod params;
mod secret_key;
mod sha3_hash;
mod signature;
mod tree;

pub use blake3_hash::Blake3;
pub use counter::{HashCount, totals as hash_count};
pub use encoding::{codeword, digits, message_hash};
pub use hash::{
    DIGEST_LEN, Digest, MESSAGE_HASH_LEN, PARAMETER_LEN, PRF_KEY_LEN, Parameter, RHO_LEN, Rho, TWEAK_LEN,
    Tweak, TweakableHash, tweak_hash,
};
pub use params::{
    Blake3L18W4, Blake3L18W8, Blake3L20W4, Blake3L20W8, Blake3L32W4, Blake3L32W8, Blake3Test, ByteInstance,
    Sha3L18W4, Sha3L18W8, Sha3L20W4, Sha3L20W8, Sha3L32W4, Sha3L32W8, Sha3Test,
};
pub use secret_key::{ByteSecretKey, byte_activation};
pub use sha3_hash::Sha3;
pub use signature::{BytePublicKey, ByteSignature};
