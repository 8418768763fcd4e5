//! The secret key: PRF key, hash parameter, activation range, the top tree and the prepared window of two
//! consecutive bottom trees; signing and advancing the window. One implementation for every parameter set.
//!
//! The key is not `Clone`, its `Debug` output names no secret, and the PRF key (the only secret: every tree
//! node is a hash of public one-time keys or a filler, and appears in signatures' co-paths) is zeroized on
//! drop.

use core::marker::PhantomData;
use core::ops::Range;

use std::sync::Arc;

use zeroize::Zeroizing;

use crate::backend::{Encoding, TweakableHash};
use crate::error::SignError;
use crate::instance::{Digest, Instance, Parameter, Rho, check};
use crate::public_key::PublicKey;
use crate::signature::Signature;
use crate::tree::SubTree;

/// Bytes of the PRF key.
pub const PRF_KEY_LEN: usize = 32;

/// The PRF key behind a reference count: a key and the window jobs it hands out read one copy of the secret.
pub(crate) type SharedPrfKey = Arc<Zeroizing<[u8; PRF_KEY_LEN]>>;

/// A generalized-XMSS secret key of instance `I`.
pub struct SecretKey<I: Instance> {
    /// Shared, never copied, with the window jobs the key hands out ([`SecretKey::window_job`]); zeroized when
    /// the last holder drops it.
    pub(crate) prf_key: SharedPrfKey,
    pub(crate) parameter: Parameter<I>,
    pub(crate) activation_start: u64,
    pub(crate) activation_len: u64,
    pub(crate) top: SubTree<Digest<I>>,
    pub(crate) left_index: u64,
    pub(crate) left: SubTree<Digest<I>>,
    pub(crate) right: SubTree<Digest<I>>,
    pub(crate) _instance: PhantomData<I>,
}

impl<I: Instance> core::fmt::Debug for SecretKey<I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SecretKey")
            .field("instance", &I::NAME)
            .field("activation", &self.activation())
            .field("prepared", &self.prepared())
            .finish_non_exhaustive()
    }
}

impl<I: Instance> SecretKey<I> {
    /// The epochs this key may sign: `[start, end)`.
    pub fn activation(&self) -> Range<u64> {
        self.activation_start..self.activation_start + self.activation_len
    }

    /// The public key (the top tree's root and the parameter).
    pub fn public_key(&self) -> PublicKey<I> {
        // Decoding and generation both guarantee a non-empty last layer; a default root could never verify.
        let root = self.top.root().unwrap_or_default();
        PublicKey { root, parameter: self.parameter, _instance: PhantomData }
    }

    /// Signs `message` at `epoch` and checks the result against the key's own public key before returning it.
    ///
    /// This is the low-level operation: it does not remember which epochs were used. Signing two different
    /// messages at one epoch reveals enough chain values to forge; the durable signer prevents that. Outside
    /// the crate it is reachable only as [`crate::hazmat::RawSign`].
    pub(crate) fn sign(&self, epoch: u64, message: &[u8; 32]) -> Result<Signature<I>, SignError> {
        self.sign_with(epoch, message, None)
    }

    /// [`SecretKey::sign`] with the randomness `rho` given instead of searched for (reference vectors).
    pub(crate) fn sign_with(
        &self,
        epoch: u64,
        message: &[u8; 32],
        rho: Option<&Rho<I>>,
    ) -> Result<Signature<I>, SignError> {
        const { check::<I>() };
        let signature = self.sign_unchecked(epoch, message, rho)?;
        self.public_key().verify(epoch, message, &signature).map_err(SignError::SelfCheck)?;
        Ok(signature)
    }

    fn sign_unchecked(
        &self,
        epoch: u64,
        message: &[u8; 32],
        given: Option<&Rho<I>>,
    ) -> Result<Signature<I>, SignError> {
        let active = self.activation();
        if !active.contains(&epoch) {
            return Err(SignError::OutsideActivation { epoch, start: active.start, end: active.end });
        }
        let window = self.prepared();
        if !window.contains(&epoch) {
            return Err(SignError::NotPrepared { epoch, start: window.start, end: window.end });
        }
        let half = I::LOG_LIFETIME / 2;
        let c = I::LEAVES_PER_BOTTOM_TREE;
        let bottom = if epoch < (self.left_index + 1) * c { &self.left } else { &self.right };
        let mut path = Vec::with_capacity(I::LOG_LIFETIME as usize);
        bottom.co_path(epoch, half, &mut path).ok_or(SignError::MissingPath(epoch))?;
        self.top.co_path(epoch >> half, half, &mut path).ok_or(SignError::MissingPath(epoch))?;

        let epoch32 = epoch as u32; // epoch < lifetime <= 2^32
        let mut x = [0u8; 256];
        let rho = match given {
            Some(rho) => {
                let digest = I::Hash::message_digest(&self.parameter, epoch32, rho, message);
                codeword_from_digest::<I>(&digest, &mut x).map_err(SignError::Randomness)?;
                *rho
            }
            None => find_rho::<I>(&self.prf_key, &self.parameter, epoch32, message, &mut x)
                .ok_or(SignError::EncodingAttemptsExceeded(I::MAX_TRIES))?,
        };
        // The secret chain starts are walked in place to the signature's public values, overwriting them.
        let mut hashes = I::Hash::chain_starts(&self.prf_key, epoch32, I::DIMENSION);
        let zero = [0u8; 256];
        I::Hash::walk_all(&self.parameter, epoch32, &mut hashes, &zero[..I::DIMENSION], &x[..I::DIMENSION]);
        Ok(Signature { path, rho, hashes, _instance: PhantomData })
    }
}

/// The codeword of `message` at `epoch` under randomness `rho` (what a verifier computes first), into
/// `out[..I::DIMENSION]`; the typed reason when there is none.
pub fn codeword<I: Instance>(
    parameter: &Parameter<I>,
    epoch: u32,
    rho: &Rho<I>,
    message: &[u8; 32],
    out: &mut [u8],
) -> Result<(), crate::error::EncodingError> {
    codeword_from_digest::<I>(&I::Hash::message_digest(parameter, epoch, rho, message), out)
}

/// The codeword of a message digest under `I`'s encoding, into `out[..I::DIMENSION]`.
pub(crate) fn codeword_from_digest<I: Instance>(
    digest: &<I::Hash as TweakableHash>::MessageDigest,
    out: &mut [u8],
) -> Result<(), crate::error::EncodingError> {
    I::Encoding::codeword(digest, I::DIMENSION, I::BASE, I::TARGET_SUM, out)
}

/// The first attempt (in order) whose rho gives a codeword, within the attempt cap; the codeword is left in
/// `x`. The back-end hashes one batch of attempts per call.
fn find_rho<I: Instance>(
    prf_key: &[u8; PRF_KEY_LEN],
    parameter: &Parameter<I>,
    epoch: u32,
    message: &[u8; 32],
    x: &mut [u8],
) -> Option<Rho<I>> {
    let mut first = 0;
    while first < I::MAX_TRIES {
        let budget = I::MAX_TRIES - first;
        let mut seen = 0u64;
        let mut accept = |digest: &<I::Hash as TweakableHash>::MessageDigest| {
            seen += 1;
            seen <= budget && codeword_from_digest::<I>(digest, x).is_ok()
        };
        let (tried, rho) = I::Hash::grind(prf_key, parameter, epoch, message, first, &mut accept);
        if rho.is_some() {
            return rho;
        }
        first += tried.max(1);
    }
    None
}
