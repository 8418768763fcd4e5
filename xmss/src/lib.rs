//! Generalized XMSS for lean Ethereum.
//!
//! This crate implements the hash-based signature of lean consensus: generalized XMSS with Poseidon1 over
//! KoalaBear, the aborting hypercube message hash and the target-sum incomparable encoding, a top tree over
//! bottom trees of `2^(h/2)` epochs and a prepared window of two bottom trees. Keys, signatures and public keys
//! encode to SSZ bytes identical to leanSig (commit c08a3ba, "Devnet 4") and leanSpec; decoding is strict.
//!
//! Parameter sets are types: [`Devnet4`] (lifetime 2^32, 46 chains, base 8, target sum 200) and
//! [`TestInstance`] (lifetime 2^8, 4 chains, target sum 6).
//!
//! ```
//! use ndvt_xmss::{DurableSigner, PublicKey, SecretKey, Signature, TestInstance};
//!
//! // A key re-derived from a seed is an import: its first signable epoch is explicit (here 0, a new key).
//! let dir = std::env::temp_dir().join(format!("ndvt-doc-lib-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! let (sk, pk) = SecretKey::<TestInstance>::from_seed(&[1; 32], 0, 64)?;
//! let mut signer = DurableSigner::create(&dir, sk, 0)?;
//! let message = [0x42; 32];
//! let signature = signer.sign_at(17, &message)?;
//! let bytes = signature.to_bytes();
//! assert_eq!(bytes.len(), 424);
//!
//! // Bytes from the network: strict decoding, then verification, each with a typed error.
//! let pk = PublicKey::<TestInstance>::from_bytes(&pk.to_bytes())?;
//! pk.verify(17, &message, &Signature::from_bytes(&bytes)?)?;
//! # drop(signer); std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Other hash back-ends (SHA-3, BLAKE3) and their parameter sets live in [`byte_xmss`]; [`XmssScheme`] is the
//! one interface over every parameter set of every back-end.
//!
//! The public API signs only through [`DurableSigner`], which persists a watermark before it releases a
//! signature. Raw signing, which keeps no record of used epochs (a one-time key used for two different
//! messages can be forged), and the secret-deriving PRF live in [`hazmat`].

mod batch_verify;
pub mod byte_xmss;
mod chain;
mod consistency;
pub mod durable;
mod error;
mod field;
pub mod hazmat;
mod instance;
mod keccak_x8;
mod keygen;
mod leaf;
mod message_hash;
mod poseidon;
mod prf;
mod public_key;
mod scheme;
mod secret_key;
mod secret_key_codec;
mod signature;
pub mod simd;
mod traits;
mod tree;
mod tweak;

pub use batch_verify::{BatchItem, verify_batch};
pub use consistency::ConsistencyError;
pub use durable::{DurableError, DurableSigner, KeyStatus};
pub use error::{DecodeError, KeyError, SignError, VerifyError};
pub use field::{Digest, F, P, PackedF, Parameter, Rho};
pub use instance::{Devnet4, Instance, TestInstance};
pub use keygen::expand_activation;
pub use message_hash::EncodingError;
pub use public_key::PublicKey;
pub use scheme::{Bytes, Poseidon, XmssScheme};
pub use secret_key::{PreparedBottomTree, SecretKey};
pub use signature::{EpochSignature, Signature};

/// Building blocks, exposed for benchmarks, cross-implementation tests and other back-ends.
pub mod primitives {
    pub use crate::chain::{walk, walk_all};
    pub use crate::leaf::{leaf, leaves};
    pub use crate::message_hash::{
        MessageHasher, codeword, codeword_from_elems, digits_from_elems, encode_message, message_hash_elems,
    };
    pub use crate::poseidon::{Poseidon16, Poseidon24, compress, poseidon16, poseidon24, sponge24};
    pub use crate::tweak::{chain_tweak, message_tweak, tree_tweak};
}
