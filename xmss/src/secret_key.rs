//! The secret key: PRF key, hash parameter, activation range, the top tree and the prepared window of two
//! consecutive bottom trees; signing and advancing the window.
//!
//! The key is not `Clone`, its `Debug` output names no secret, and the PRF key (the only secret: every tree
//! node is a hash of public one-time keys and appears in signatures' co-paths) is zeroized on drop.

use core::marker::PhantomData;
use core::ops::Range;

use zeroize::Zeroize;

use crate::chain::walk_all;
use crate::error::{KeyError, SignError};
use crate::field::{Digest, PackedF, Parameter, RAND_LEN, Rho};
use crate::instance::{Instance, check};
use crate::leaf::leaves;
use crate::message_hash::{MessageHasher, codeword_from_elems};
use crate::prf::{PRF_KEY_LEN, chain_starts, randomness_batch};
use crate::public_key::PublicKey;
use crate::signature::Signature;
use crate::tree::SubTree;
use p3_field::PackedValue;

/// A generalized-XMSS secret key of instance `I`.
pub struct SecretKey<I: Instance> {
    pub(crate) prf_key: [u8; PRF_KEY_LEN],
    pub(crate) parameter: Parameter,
    pub(crate) activation_start: u64,
    pub(crate) activation_len: u64,
    pub(crate) top: SubTree,
    pub(crate) left_index: u64,
    pub(crate) left: SubTree,
    pub(crate) right: SubTree,
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
pub struct PreparedBottomTree {
    index: u64,
    tree: SubTree,
}

impl PreparedBottomTree {
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

    /// The epochs the key can sign right now without advancing: two bottom trees.
    pub fn prepared(&self) -> Range<u64> {
        let c = I::LEAVES_PER_BOTTOM_TREE;
        self.left_index * c..(self.left_index + 2) * c
    }

    /// The public key (the top tree's root and the parameter).
    pub fn public_key(&self) -> PublicKey<I> {
        // Decoding and generation both guarantee a non-empty last layer; a default root could never verify.
        let root = self.top.root().unwrap_or_default();
        PublicKey { root, parameter: self.parameter, _instance: PhantomData }
    }

    /// Whether the window can still move forward within the activation range.
    pub fn can_advance(&self) -> bool {
        self.prepared().end + I::LEAVES_PER_BOTTOM_TREE <= self.activation().end
    }

    /// Computes the bottom tree that the next advance needs, without changing the key.
    /// This is the expensive half of advancing (about 2^(h/2) leaves), safe to run off the signing path.
    pub fn prepare_next(&self) -> Result<PreparedBottomTree, KeyError> {
        if !self.can_advance() {
            return Err(KeyError::ActivationExhausted { end: self.activation().end });
        }
        let index = self.left_index + 2;
        Ok(PreparedBottomTree { index, tree: bottom_tree::<I>(&self.prf_key, &self.parameter, index) })
    }

    /// Moves the window one bottom tree forward using a tree from [`SecretKey::prepare_next`].
    /// Refuses (returning the tree) if it is not the tree this key needs next.
    pub fn install_next(&mut self, next: PreparedBottomTree) -> Result<(), PreparedBottomTree> {
        if next.index != self.left_index + 2 || next.tree.root() != self.top_node(next.index) {
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

    fn top_node(&self, bottom_index: u64) -> Option<Digest> {
        let layer = self.top.layers.first()?;
        layer.nodes.get(usize::try_from(bottom_index.checked_sub(layer.start)?).ok()?).copied()
    }

    /// Signs `message` at `epoch` and checks the result against the key's own public key before returning it.
    ///
    /// This is the low-level operation: it does not remember which epochs were used. Signing two different
    /// messages at one epoch reveals enough chain values to forge; the durable signer prevents that. Outside
    /// the crate it is reachable only as [`crate::hazmat::RawSign`].
    pub(crate) fn sign(&self, epoch: u64, message: &[u8; 32]) -> Result<Signature<I>, SignError> {
        const { check::<I>() };
        let signature = self.sign_unchecked(epoch, message)?;
        self.public_key().verify(epoch, message, &signature).map_err(SignError::SelfCheck)?;
        Ok(signature)
    }

    fn sign_unchecked(&self, epoch: u64, message: &[u8; 32]) -> Result<Signature<I>, SignError> {
        let active = self.activation();
        if !active.contains(&epoch) {
            return Err(SignError::OutsideActivation { epoch, start: active.start, end: active.end });
        }
        let window = self.prepared();
        if !window.contains(&epoch) {
            return Err(SignError::NotPrepared { epoch, start: window.start, end: window.end });
        }
        let half = I::LOG_LIFETIME / 2;
        let bottom = if epoch < window.start + I::LEAVES_PER_BOTTOM_TREE { &self.left } else { &self.right };
        let mut path = Vec::with_capacity(I::LOG_LIFETIME as usize);
        bottom.co_path(epoch, half, &mut path).ok_or(SignError::MissingPath(epoch))?;
        self.top.co_path(epoch >> half, half, &mut path).ok_or(SignError::MissingPath(epoch))?;

        let epoch32 = epoch as u32; // epoch < lifetime <= 2^32
        let mut x = [0u8; 256];
        let found = find_rho::<I>(&self.prf_key, &self.parameter, epoch32, message, &mut x);
        let rho = found.ok_or(SignError::EncodingAttemptsExceeded(I::MAX_TRIES))?;
        let items: Vec<(u32, u64)> = (0..I::DIMENSION as u64).map(|c| (epoch32, c)).collect();
        // The secret chain starts are walked in place to the signature's public values, overwriting them.
        let mut hashes = chain_starts(&self.prf_key, &items);
        let zero = [0u8; 256];
        walk_all(&self.parameter, epoch32, &mut hashes, &zero[..I::DIMENSION], &x[..I::DIMENSION]);
        Ok(Signature { path, rho, hashes, _instance: PhantomData })
    }
}

/// The first attempt (in order, as leanSig) whose rho gives a codeword; the codeword is left in `x`.
/// Attempts are hashed one SIMD width at a time.
fn find_rho<I: Instance>(
    prf_key: &[u8; PRF_KEY_LEN],
    parameter: &Parameter,
    epoch: u32,
    message: &[u8; 32],
    x: &mut [u8],
) -> Option<Rho> {
    let hasher = MessageHasher::new(parameter, epoch, message);
    let lanes = PackedF::WIDTH as u64;
    let mut first = 0;
    while first < I::MAX_TRIES {
        let rhos = randomness_batch(prf_key, epoch, message, first, lanes as usize);
        let packed: [PackedF; RAND_LEN] = core::array::from_fn(|i| PackedF::from_fn(|l| rhos[l][i]));
        let out = hasher.elems_packed(&packed);
        for (l, rho) in rhos.iter().enumerate() {
            if first + l as u64 >= I::MAX_TRIES {
                return None;
            }
            let elems = core::array::from_fn(|i| out[i].as_slice()[l]);
            if codeword_from_elems::<I>(&elems, x).is_ok() {
                return Some(*rho);
            }
        }
        first += lanes;
    }
    None
}

/// Bottom tree `index` of the key, recomputed from the PRF key.
pub(crate) fn bottom_tree<I: Instance>(
    prf_key: &[u8; PRF_KEY_LEN],
    parameter: &Parameter,
    index: u64,
) -> SubTree {
    let c = I::LEAVES_PER_BOTTOM_TREE;
    SubTree::bottom(parameter, I::LOG_LIFETIME, index, leaves::<I>(prf_key, parameter, index * c, c))
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
