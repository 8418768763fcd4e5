//! Generalized XMSS for lean Ethereum.
//!
//! This crate implements the hash-based signatures of lean consensus: one generalized-XMSS core (hash chains,
//! a target-sum incomparable encoding, a top tree over bottom trees of `2^(h/2)` epochs, a prepared window of
//! two bottom trees, strict codecs and a durable signer), generic over a hash back-end
//! ([`backend::TweakableHash`]) and an encoding ([`backend::Encoding`]). A parameter set is a type
//! ([`Instance`]):
//!
//! - [`Devnet4`] and [`TestInstance`]: Poseidon1 over KoalaBear with the aborting hypercube encoding; keys,
//!   signatures and public keys encode to SSZ bytes identical to leanSig (commit c08a3ba, "Devnet 4");
//! - [`leanvm::LeanVm`]: leanVM's BLAKE2s XMSS, the lean devnet's signature since September 2026, byte for
//!   byte (32-byte public keys, 1,208-byte signatures), and its small test set [`leanvm::LeanVmTest`];
//! - the SHA-3 and BLAKE3 sets of [`byte_xmss`].
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
//! The public API signs only through [`DurableSigner`], which persists a watermark before it releases a
//! signature. Raw signing, which keeps no record of used epochs (a one-time key used for two different
//! messages can be forged), and the secret-deriving PRF live in [`hazmat`].

mod arx_lanes;
pub mod backend;
mod batch_verify;
pub mod by_name;
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
pub mod leanvm;
mod message_hash;
mod poseidon;
mod poseidon_backend;
mod poseidon_batch;
mod prf;
mod public_key;
pub mod registry;
mod secret_key;
mod secret_key_codec;
mod signature;
pub mod simd;
mod traits;
mod tree;
mod tweak;
mod window;

pub use batch_verify::{BatchItem, verify_batch};
pub use consistency::ConsistencyError;
pub use durable::{DurableError, DurableSigner, KeyStatus};
pub use error::{DecodeError, EncodingError, KeyError, SignError, VerifyError};
pub use field::{Digest, F, P, PackedF, Parameter, Rho};
pub use instance::{Activation, Devnet4, Instance, SignatureLayout, TestInstance};
pub use keygen::expand_activation;
pub use message_hash::AbortingHypercube;
pub use poseidon_backend::Poseidon1;
pub use public_key::PublicKey;
pub use secret_key::SecretKey;
pub use signature::{EpochSignature, Signature};
pub use window::{PreparedBottomTree, WindowJob};

/// The value types of a parameter set `I`: its digest, parameter and randomness (for Devnet 4 the field
/// arrays [`crate::Digest`], [`crate::Parameter`], [`crate::Rho`]).
pub mod types {
    pub use crate::instance::{Digest, Parameter, Rho};
}

/// Building blocks, exposed for benchmarks, cross-implementation tests and other back-ends.
pub mod primitives {
    pub use crate::chain::{walk, walk_all};
    pub use crate::leaf::{leaf, leaves};
    pub use crate::message_hash::{MessageHasher, encode_message, message_hash_elems};
    pub use crate::poseidon::{Poseidon16, Poseidon24, compress, poseidon16, poseidon24, sponge24};
    pub use crate::secret_key::codeword;
    pub use crate::tweak::{chain_tweak, message_tweak, tree_tweak};
}
