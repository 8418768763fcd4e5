//! Secret keys of the byte-oriented schemes: key generation over an activation range, the prepared window of
//! two bottom trees, advancing it, and signing.
//!
//! As for the Poseidon keys: not `Clone`, `Debug` names no secret, the PRF key (the only secret) is
//! zeroized on drop, and a key holds only the top tree over its activation range and two bottom trees, so a
//! lifetime of 2^32 costs `2^17` leaves to generate, not `2^32`.
//!
//! An activation range shorter than two bottom trees (and within two consecutive ones) is kept exact: the
//! bottom trees hold only the active leaves and pseudorandom padding around them, the way the top tree is
//! padded, so a short-lived key of lifetime 2^32 costs only its own epochs. Such a key cannot advance.

use core::marker::PhantomData;
use core::ops::Range;

use rand_core::CryptoRng;
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};
use zeroize::{Zeroize, Zeroizing};

use crate::byte_xmss::chain::{chain_starts, leaves, walk_all};
use crate::byte_xmss::encoding::{codeword_from_hash, message_hash_x8};
use crate::byte_xmss::hash::{BATCH, Digest, PARAMETER_LEN, PRF_KEY_LEN, Parameter, RHO_LEN, Rho, prf_x8};
use crate::byte_xmss::params::{ByteInstance, check};
use crate::byte_xmss::signature::{BytePublicKey, ByteSignature};
use crate::byte_xmss::tree::SubTree;
use crate::error::{KeyError, SignError};

const KEYGEN_DOMAIN: &[u8] = b"ndvt/bxmss/keygen/v1/";
const PADDING_DOMAIN: &[u8] = b"ndvt/bxmss/padding/v1/";
const TAG_RANDOMNESS: u8 = 0x01;

/// A secret key of parameter set `I`.
pub struct ByteSecretKey<I: ByteInstance> {
    prf_key: [u8; PRF_KEY_LEN],
    parameter: Parameter,
    activation_start: u64,
    activation_len: u64,
    top: SubTree,
    left_index: u64,
    left: SubTree,
    right: SubTree,
    _instance: PhantomData<I>,
}

impl<I: ByteInstance> Drop for ByteSecretKey<I> {
    fn drop(&mut self) {
        self.prf_key.zeroize();
    }
}

impl<I: ByteInstance> core::fmt::Debug for ByteSecretKey<I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ByteSecretKey")
            .field("instance", &I::NAME)
            .field("activation", &self.activation())
            .field("prepared", &self.prepared())
            .finish_non_exhaustive()
    }
}

/// Rounds `[start, start + count)` out to whole bottom trees, at least two, inside the lifetime; returns
/// bottom-tree indices `[first, end)` (the rule of the Poseidon keys and leanSig).
pub fn byte_activation<I: ByteInstance>(start: u64, count: u64) -> Result<(u64, u64), KeyError> {
    let lifetime = I::LIFETIME;
    let Some(end) = start.checked_add(count).filter(|&e| e <= lifetime) else {
        return Err(KeyError::ActivationBeyondLifetime { start, end: start.saturating_add(count), lifetime });
    };
    if count == 0 {
        return Err(KeyError::EmptyActivation);
    }
    let c = I::LEAVES_PER_BOTTOM_TREE;
    let (mut first, mut last) = (start / c, end.div_ceil(c));
    if last - first < 2 {
        last = first + 2;
    }
    if last > c {
        first = c - (last - first).min(c);
        last = c;
    }
    Ok((first, last))
}

fn bottom_tree<I: ByteInstance>(key: &[u8; PRF_KEY_LEN], parameter: &Parameter, index: u64) -> SubTree {
    let c = I::LEAVES_PER_BOTTOM_TREE;
    let leaves = leaves::<I>(key, parameter, index * c..(index + 1) * c);
    SubTree::bottom::<I::Hash>(parameter, I::LOG_LIFETIME, index, leaves)
}

/// The bottom tree `index` restricted to the epochs in `active` (padded around them), or `None` if the
/// tree holds none of them.
fn partial_bottom_tree<I: ByteInstance>(
    key: &[u8; PRF_KEY_LEN],
    parameter: &Parameter,
    index: u64,
    active: &Range<u64>,
    pad: impl FnMut(u32, u64) -> Digest,
) -> Option<SubTree> {
    let c = I::LEAVES_PER_BOTTOM_TREE;
    let (from, to) = (active.start.max(index * c), active.end.min((index + 1) * c));
    if from >= to {
        return None;
    }
    let leaves = leaves::<I>(key, parameter, from..to);
    Some(SubTree::sparse::<I::Hash>(parameter, 0, I::LOG_LIFETIME / 2, from, leaves, pad))
}

fn padding_node(pad_key: &[u8; 32], level: u32, position: u64) -> Digest {
    let mut h = Shake128::default();
    h.update(PADDING_DOMAIN);
    h.update(pad_key);
    h.update(&level.to_le_bytes());
    h.update(&position.to_le_bytes());
    let mut out = [0u8; 32];
    h.finalize_xof().read(&mut out);
    out
}

impl<I: ByteInstance> ByteSecretKey<I> {
    /// Generates a key pair deterministically from `seed`, active for at least `[start, start + count)`.
    ///
    /// A range within two consecutive bottom trees and shorter than two is kept exact (cost: one leaf per
    /// epoch); longer ranges are rounded out to whole bottom trees ([`byte_activation`]) and the window can
    /// then advance. See [`ByteSecretKey::activation`] for the result.
    ///
    /// ```
    /// use ndvt_xmss::hazmat::RawSign;
    /// use ndvt_xmss::byte_xmss::{Blake3Test, ByteSecretKey};
    /// let (sk, pk) = ByteSecretKey::<Blake3Test>::from_seed(&[7; 32], 0, 32)?;
    /// assert_eq!(sk.activation(), 0..32);
    /// let signature = sk.sign_raw(5, &[0xab; 32])?;
    /// pk.verify(5, &[0xab; 32], &signature)?;
    /// assert!(pk.verify(6, &[0xab; 32], &signature).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_seed(seed: &[u8; 32], start: u64, count: u64) -> Result<(Self, BytePublicKey<I>), KeyError> {
        const { check::<I>() };
        let (first, end) = byte_activation::<I>(start, count)?;
        let mut xof = Shake128::default();
        xof.update(KEYGEN_DOMAIN);
        xof.update(I::NAME.as_bytes());
        xof.update(&[0]);
        xof.update(seed);
        let mut reader = xof.finalize_xof();
        let mut prf_key = Zeroizing::new([0u8; PRF_KEY_LEN]);
        reader.read(prf_key.as_mut());
        let mut parameter = [0u8; PARAMETER_LEN];
        reader.read(&mut parameter);
        let mut pad_key = Zeroizing::new([0u8; 32]);
        reader.read(pad_key.as_mut());

        let c = I::LEAVES_PER_BOTTOM_TREE;
        let pad = |l: u32, p: u64| padding_node(&pad_key, l, p);
        let (activation, left_index, left, right, roots) = if count < 2 * c
            && (start + count).div_ceil(c) - start / c <= 2
        {
            // Exact short range: the window is the two bottom trees around it, inside the lifetime.
            let active = start..start + count;
            let left_index = (start / c).min(c - 2);
            let left = partial_bottom_tree::<I>(&prf_key, &parameter, left_index, &active, pad);
            let right = partial_bottom_tree::<I>(&prf_key, &parameter, left_index + 1, &active, pad);
            let first_root = if left.is_some() { left_index } else { left_index + 1 };
            let roots: Vec<Digest> =
                [&left, &right].into_iter().flatten().filter_map(SubTree::root).collect();
            let empty = || SubTree { layers: Vec::new() };
            (active, left_index, left.unwrap_or_else(empty), right.unwrap_or_else(empty), (first_root, roots))
        } else {
            let left = bottom_tree::<I>(&prf_key, &parameter, first);
            let right = bottom_tree::<I>(&prf_key, &parameter, first + 1);
            let mut roots = Vec::with_capacity((end - first) as usize);
            roots.extend(left.root());
            roots.extend(right.root());
            for index in first + 2..end {
                roots.extend(bottom_tree::<I>(&prf_key, &parameter, index).root());
            }
            (first * c..end * c, first, left, right, (first, roots))
        };
        let half = I::LOG_LIFETIME / 2;
        let top = SubTree::sparse::<I::Hash>(&parameter, half, I::LOG_LIFETIME, roots.0, roots.1, pad);
        let sk = ByteSecretKey {
            prf_key: *prf_key,
            parameter,
            activation_start: activation.start,
            activation_len: activation.end - activation.start,
            top,
            left_index,
            left,
            right,
            _instance: PhantomData,
        };
        let pk = sk.public_key();
        Ok((sk, pk))
    }

    /// Generates a key pair from a cryptographic RNG (32 bytes of seed drawn from it).
    pub fn generate<R: CryptoRng + ?Sized>(
        rng: &mut R,
        start: u64,
        count: u64,
    ) -> Result<(Self, BytePublicKey<I>), KeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(seed.as_mut());
        Self::from_seed(&seed, start, count)
    }

    /// The epochs this key may sign: `[start, end)`.
    pub fn activation(&self) -> Range<u64> {
        self.activation_start..self.activation_start + self.activation_len
    }

    /// The epochs the key can sign without advancing: two bottom trees.
    pub fn prepared(&self) -> Range<u64> {
        let c = I::LEAVES_PER_BOTTOM_TREE;
        self.left_index * c..(self.left_index + 2) * c
    }

    /// The public key.
    pub fn public_key(&self) -> BytePublicKey<I> {
        // Generation guarantees a non-empty last layer; a default root could never verify.
        BytePublicKey {
            root: self.top.root().unwrap_or_default(),
            parameter: self.parameter,
            _instance: PhantomData,
        }
    }

    /// Bytes of key material held in memory: PRF key, parameter, activation bounds and every tree node.
    pub fn key_material_bytes(&self) -> usize {
        let nodes = self.top.node_count() + self.left.node_count() + self.right.node_count();
        PRF_KEY_LEN + PARAMETER_LEN + 3 * 8 + nodes * 32
    }

    /// Moves the prepared window one bottom tree forward (computes the next bottom tree, about
    /// `2^(h/2)` leaves).
    pub fn advance(&mut self) -> Result<(), KeyError> {
        let end = self.activation().end;
        if self.prepared().end + I::LEAVES_PER_BOTTOM_TREE > end {
            return Err(KeyError::ActivationExhausted { end });
        }
        let index = self.left_index + 2;
        let next = bottom_tree::<I>(&self.prf_key, &self.parameter, index);
        if next.root() != self.top.lowest(index) {
            return Err(KeyError::InconsistentTree { index });
        }
        self.left = core::mem::replace(&mut self.right, next);
        self.left_index += 1;
        Ok(())
    }

    /// Signs `message` at `epoch` and verifies the result against the key's own public key before returning.
    ///
    /// Low level: it keeps no record of used epochs, and a one-time key that signs two different messages
    /// can be forged. Production signing goes through a durable signer.
    pub(crate) fn sign(&self, epoch: u64, message: &[u8; 32]) -> Result<ByteSignature<I>, SignError> {
        const { check::<I>() };
        let signature = self.sign_unchecked(epoch, message)?;
        self.public_key().verify(epoch, message, &signature).map_err(SignError::SelfCheck)?;
        Ok(signature)
    }

    fn sign_unchecked(&self, epoch: u64, message: &[u8; 32]) -> Result<ByteSignature<I>, SignError> {
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

        let epoch32 = epoch as u32; // below the lifetime, at most 2^32
        let mut x = [0u8; 256];
        let rho = self
            .find_rho(epoch32, message, &mut x)
            .ok_or(SignError::EncodingAttemptsExceeded(I::MAX_TRIES))?;
        let mut hashes = chain_starts::<I::Hash>(&self.prf_key, epoch32, I::DIMENSION);
        let zero = [0u8; 256];
        walk_all::<I::Hash>(&self.parameter, epoch32, &mut hashes, &zero[..I::DIMENSION], &x[..I::DIMENSION]);
        Ok(ByteSignature { rho, path, hashes, _instance: PhantomData })
    }

    /// The first attempt whose rho gives a codeword (deterministic: rho = PRF(key, epoch, message, attempt));
    /// the codeword is left in `x`. Attempts are hashed eight at a time.
    fn find_rho(&self, epoch: u32, message: &[u8; 32], x: &mut [u8]) -> Option<Rho> {
        let mut base = [0u8; 1 + 4 + 32 + 8];
        base[0] = TAG_RANDOMNESS;
        base[1..5].copy_from_slice(&epoch.to_be_bytes());
        base[5..37].copy_from_slice(message);
        let mut first = 0u64;
        while first < I::MAX_TRIES {
            let inputs: [[u8; 45]; BATCH] = core::array::from_fn(|l| {
                let mut input = base;
                input[37..].copy_from_slice(&(first + l as u64).to_be_bytes());
                input
            });
            let outs = prf_x8::<I::Hash>(&self.prf_key, core::array::from_fn(|l| &inputs[l][..]), BATCH);
            let rhos: [Rho; BATCH] = outs.map(|o| core::array::from_fn(|i| o[i]));
            let hashes = message_hash_x8::<I>(&self.parameter, epoch, &rhos, message);
            for (l, hash) in hashes.iter().enumerate() {
                if first + l as u64 >= I::MAX_TRIES {
                    return None;
                }
                if codeword_from_hash::<I>(hash, x).is_ok() {
                    return Some(rhos[l]);
                }
            }
            first += BATCH as u64;
        }
        None
    }
}

const _: () = assert!(RHO_LEN <= 32);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::byte_xmss::params::{Blake3Test, Sha3L32W8};

    #[test]
    fn activation_rounds_out_to_bottom_trees() {
        let e = |s, c| byte_activation::<Blake3Test>(s, c).unwrap();
        assert_eq!(e(0, 256), (0, 16));
        assert_eq!(e(70, 100), (4, 11));
        assert_eq!(e(250, 5), (14, 16));
        assert_eq!(e(0, 1), (0, 2));
        assert_eq!(byte_activation::<Sha3L32W8>(5, 1).unwrap(), (0, 2));
        assert_eq!(byte_activation::<Blake3Test>(0, 0), Err(KeyError::EmptyActivation));
        assert!(matches!(
            byte_activation::<Blake3Test>(250, 7),
            Err(KeyError::ActivationBeyondLifetime { .. })
        ));
        assert!(matches!(
            byte_activation::<Blake3Test>(u64::MAX, 2),
            Err(KeyError::ActivationBeyondLifetime { .. })
        ));
    }

    #[test]
    fn debug_names_no_secret() {
        let (sk, _) = ByteSecretKey::<Blake3Test>::from_seed(&[1; 32], 0, 32).unwrap();
        let text = format!("{sk:?}");
        assert!(text.contains("blake3-test") && !text.contains("prf_key"));
    }

    /// A key whose top tree no longer matches its bottom trees says so, rather than claiming exhaustion.
    #[test]
    fn advance_on_a_corrupted_top_tree_names_the_tree() {
        let (mut sk, _) = ByteSecretKey::<Blake3Test>::from_seed(&[4; 32], 0, 64).unwrap();
        let index = sk.left_index + 2;
        let layer = &mut sk.top.layers[0];
        let at = usize::try_from(index - layer.start).unwrap();
        layer.nodes[at][0] ^= 1;
        let window = sk.prepared();
        assert_eq!(sk.advance(), Err(KeyError::InconsistentTree { index }));
        assert_eq!(sk.prepared(), window);
    }
}
