//! The secret key: PRF key, hash parameter, activation range, the top tree and the prepared window of two
//! consecutive bottom trees; signing and advancing the window. One implementation for every parameter set.
//!
//! The key is not `Clone`, its `Debug` output names no secret, and the PRF key (the only secret: every tree
//! node is a hash of public one-time keys or a filler, and appears in signatures' co-paths) is zeroized on
//! drop.

use core::marker::PhantomData;
use core::ops::Range;

use zeroize::Zeroize;

use crate::backend::{Encoding, TweakableHash};
use crate::error::{KeyError, SignError};
use crate::instance::{Digest, Instance, Parameter, Rho, check};
use crate::public_key::PublicKey;
use crate::signature::Signature;
use crate::tree::SubTree;

/// Bytes of the PRF key.
pub const PRF_KEY_LEN: usize = 32;

/// A generalized-XMSS secret key of instance `I`.
pub struct SecretKey<I: Instance> {
    pub(crate) prf_key: [u8; PRF_KEY_LEN],
    pub(crate) parameter: Parameter<I>,
    pub(crate) activation_start: u64,
    pub(crate) activation_len: u64,
    pub(crate) top: SubTree<Digest<I>>,
    pub(crate) left_index: u64,
    pub(crate) left: SubTree<Digest<I>>,
    pub(crate) right: SubTree<Digest<I>>,
    pub(crate) _instance: PhantomData<I>,
}

impl<I: Instance> Drop for SecretKey<I> {
    fn drop(&mut self) {
        self.prf_key.zeroize();
    }
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

/// A bottom tree computed ahead of time, to be installed with [`SecretKey::install_next`].
pub struct PreparedBottomTree<I: Instance> {
    index: u64,
    tree: SubTree<Digest<I>>,
}

impl<I: Instance> PreparedBottomTree<I> {
    /// The bottom-tree index it covers.
    pub fn index(&self) -> u64 {
        self.index
    }
}

impl<I: Instance> SecretKey<I> {
    /// The epochs this key may sign: `[start, end)`.
    pub fn activation(&self) -> Range<u64> {
        self.activation_start..self.activation_start + self.activation_len
    }

    /// The epochs the key can sign right now without advancing: the active epochs of two bottom trees.
    pub fn prepared(&self) -> Range<u64> {
        let c = I::LEAVES_PER_BOTTOM_TREE;
        let active = self.activation();
        let start = (self.left_index * c).max(active.start);
        start..((self.left_index + 2) * c).min(active.end).max(start)
    }

    /// The public key (the top tree's root and the parameter).
    pub fn public_key(&self) -> PublicKey<I> {
        // Decoding and generation both guarantee a non-empty last layer; a default root could never verify.
        let root = self.top.root().unwrap_or_default();
        PublicKey { root, parameter: self.parameter, _instance: PhantomData }
    }

    /// Whether the window can still move forward within the activation range.
    pub fn can_advance(&self) -> bool {
        (self.left_index + 2) * I::LEAVES_PER_BOTTOM_TREE < self.activation().end
    }

    /// Computes the bottom tree that the next advance needs, without changing the key.
    /// This is the expensive half of advancing (about 2^(h/2) leaves), safe to run off the signing path.
    pub fn prepare_next(&self) -> Result<PreparedBottomTree<I>, KeyError> {
        if !self.can_advance() {
            return Err(KeyError::ActivationExhausted { end: self.activation().end });
        }
        let index = self.left_index + 2;
        // Exact ranges pad with fillers keyed on the PRF key (`check` makes sure the back-end does that).
        let tree = bottom_tree::<I>(&self.prf_key, &self.prf_key, &self.parameter, index, &self.activation());
        Ok(PreparedBottomTree { index, tree })
    }

    /// Moves the window one bottom tree forward using a tree from [`SecretKey::prepare_next`].
    /// Refuses (returning the tree) if it is not the tree this key needs next.
    pub fn install_next(&mut self, next: PreparedBottomTree<I>) -> Result<(), PreparedBottomTree<I>> {
        if next.index != self.left_index + 2 || next.tree.root() != self.top.lowest(next.index) {
            return Err(next);
        }
        self.left = core::mem::replace(&mut self.right, next.tree);
        self.left_index += 1;
        Ok(())
    }

    /// Moves the prepared window forward by one bottom tree (computes and installs it).
    pub fn advance(&mut self) -> Result<(), KeyError> {
        let next = self.prepare_next()?;
        let index = next.index;
        self.install_next(next).map_err(|_| KeyError::InconsistentTree { index })
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

/// Bottom tree `index` restricted to the `active` epochs: the full tree when it lies inside them, a tree
/// padded with fillers around them at the ends of an exact range, an empty tree when it holds none.
pub(crate) fn bottom_tree<I: Instance>(
    prf_key: &[u8; PRF_KEY_LEN],
    pad_key: &[u8; 32],
    parameter: &Parameter<I>,
    index: u64,
    active: &Range<u64>,
) -> SubTree<Digest<I>> {
    let c = I::LEAVES_PER_BOTTOM_TREE;
    let (from, to) = (active.start.max(index * c), active.end.min((index + 1) * c));
    if from >= to {
        return SubTree::empty(I::LOG_LIFETIME);
    }
    let leaves = I::Hash::leaves(prf_key, parameter, from..to, I::DIMENSION, I::BASE);
    if to - from == c {
        return SubTree::bottom::<I::Hash>(parameter, I::LOG_LIFETIME, index, leaves);
    }
    let pad = |level: u32, position: u64| I::Hash::filler(pad_key, level, position);
    SubTree::sparse::<I::Hash>(parameter, I::LOG_LIFETIME, 0, I::LOG_LIFETIME / 2, from, leaves, false, pad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TestInstance;

    /// A key whose top tree no longer matches its bottom trees says so, rather than claiming exhaustion,
    /// and stays where it was.
    #[test]
    fn advance_on_a_corrupted_top_tree_names_the_tree() {
        let (mut sk, _) = SecretKey::<TestInstance>::from_seed(&[4; 32], 0, 128).expect("keygen");
        let index = sk.left_index + 2;
        let layer = &mut sk.top.layers[0];
        let at = usize::try_from(index - layer.start).expect("small index");
        layer.nodes[at][0] += <crate::field::F as p3_field::PrimeCharacteristicRing>::ONE;
        let window = sk.prepared();
        assert_eq!(sk.advance(), Err(KeyError::InconsistentTree { index }));
        assert_eq!(sk.prepared(), window);
    }
}
