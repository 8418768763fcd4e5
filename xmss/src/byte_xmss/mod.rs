//! The byte-oriented hash back-ends (SHA-3, BLAKE3) and their parameter sets.
//!
//! They run the one generalized-XMSS core of this crate: [`Bytes<H>`] makes any byte primitive `H`
//! ([`ByteHash`]) a [`crate::backend::TweakableHash`], hashing `H(parameter ‖ tweak ‖ data)` with a
//! 32-byte output, eight lanes at a time. Parameter sets are types named `<hash>-l<log lifetime>-w<base>`;
//! their keys, signatures and durable signers are the crate's [`crate::SecretKey`], [`crate::Signature`]
//! and [`crate::DurableSigner`].
//!
//! ```
//! use ndvt_xmss::hazmat::RawSign;
//! use ndvt_xmss::byte_xmss::Blake3Test;
//! use ndvt_xmss::{PublicKey, SecretKey, Signature};
//!
//! let (sk, pk) = SecretKey::<Blake3Test>::from_seed(&[1; 32], 0, 64)?;
//! let bytes = sk.sign_raw(17, &[0x42; 32])?.to_bytes();
//! let pk = PublicKey::<Blake3Test>::from_bytes(&pk.to_bytes())?;
//! pk.verify(17, &[0x42; 32], &Signature::from_bytes(&bytes)?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod backend;
mod blake3_hash;
mod blake3_x8;
mod chain;
mod counter;
mod encoding;
mod hash;
mod params;
mod sha3_hash;

pub use backend::Bytes;
pub use blake3_hash::Blake3;
pub use counter::{HashCount, totals as hash_count};
pub use encoding::BitDigits;
pub use hash::{
    ByteHash, DIGEST_LEN, Digest, MESSAGE_HASH_LEN, PARAMETER_LEN, PRF_KEY_LEN, Parameter, RHO_LEN, Rho,
    TWEAK_LEN, Tweak, tweak_hash,
};
pub use params::{
    Blake3L18W4, Blake3L18W8, Blake3L20W4, Blake3L20W8, Blake3L32W4, Blake3L32W8, Blake3Test, Sha3L18W4,
    Sha3L18W8, Sha3L20W4, Sha3L20W8, Sha3L32W4, Sha3L32W8, Sha3Test,
};
pub use sha3_hash::Sha3;
