//! Raw operations that bypass the durable signer: **hazardous material**.
//!
//! A generalized-XMSS key is a sequence of one-time keys, one per epoch. Signing two different messages at one
//! epoch reveals enough chain values for anyone to forge a third; nothing in this module prevents that.
//! Production code signs through [`crate::DurableSigner`], which persists a watermark before it releases a
//! signature. What lives here is for cross-implementation tests, benchmarks, fuzzing and reference vectors:
//!
//! - [`RawSign`]: sign with a bare secret key, keeping no record of used epochs;
//! - [`chain_start`], [`chain_starts`], [`randomness`], [`randomness_batch`]: the SHAKE128 PRF that derives
//!   the secret chain starts and the signing randomness.
//!
//! The names follow ed25519-dalek's `hazmat` module: importing from here is a visible decision in review.
//!
//! ```
//! use ndvt_xmss::hazmat::RawSign;
//! use ndvt_xmss::{SecretKey, TestInstance};
//!
//! // A reference vector: sign at a chosen epoch with a key that has no durable record.
//! let (sk, pk) = SecretKey::<TestInstance>::from_seed(&[1; 32], 0, 64)?;
//! let signature = sk.sign_raw(17, &[0x42; 32])?;
//! pk.verify(17, &[0x42; 32], &signature)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Outside this module there is no way to sign without a durable record. A bare key has no public `sign`:
//!
//! ```compile_fail
//! use ndvt_xmss::{SecretKey, TestInstance};
//! let (sk, _) = SecretKey::<TestInstance>::from_seed(&[1; 32], 0, 64).unwrap();
//! let _ = sk.sign(17, &[0x42; 32]);
//! ```
//!
//! and a durable signer never hands out its key (read-only accessors give what callers need):
//!
//! ```compile_fail
//! fn leak(signer: &ndvt_xmss::DurableSigner<ndvt_xmss::TestInstance>) {
//!     let _ = signer.key();
//! }
//! ```

pub use crate::prf::{PRF_KEY_LEN, chain_start, chain_starts, randomness, randomness_batch};

use crate::error::SignError;
use crate::instance::{Instance, Rho};
use crate::secret_key::SecretKey;
use crate::signature::Signature;

/// Signing with a bare secret key: no record of used epochs is kept or checked.
pub trait RawSign {
    /// The signature type.
    type Signature;
    /// The randomness type.
    type Rho;

    /// Signs `message` at `epoch`, the randomness searched for deterministically; the signature is
    /// verified before it is returned. Signing two different messages at one epoch breaks the key.
    fn sign_raw(&self, epoch: u64, message: &[u8; 32]) -> Result<Self::Signature, SignError>;

    /// Signs with the given randomness instead of searching (re-creating another implementation's
    /// signature byte for byte); [`SignError::Randomness`] if it gives no codeword.
    fn sign_raw_with_rho(
        &self,
        epoch: u64,
        message: &[u8; 32],
        rho: &Self::Rho,
    ) -> Result<Self::Signature, SignError>;
}

impl<I: Instance> RawSign for SecretKey<I> {
    type Signature = Signature<I>;
    type Rho = Rho<I>;

    fn sign_raw(&self, epoch: u64, message: &[u8; 32]) -> Result<Signature<I>, SignError> {
        self.sign(epoch, message)
    }

    fn sign_raw_with_rho(
        &self,
        epoch: u64,
        message: &[u8; 32],
        rho: &Rho<I>,
    ) -> Result<Signature<I>, SignError> {
        self.sign_with(epoch, message, Some(rho))
    }
}
