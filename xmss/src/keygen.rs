//! Key generation: from a 32-byte seed (deterministic) or from a cryptographic RNG, for every parameter set.
//!
//! The back-end expands the seed ([`TweakableHash::derive`]) into the PRF key, the hash parameter and the key
//! of the filler nodes. The activation range is kept as the instance says ([`Activation`]): rounded out to
//! whole bottom trees (leanSig) or exactly as asked (leanVM, where the root depends on the range).

use core::marker::PhantomData;
use core::ops::Range;

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::backend::TweakableHash;
use crate::error::KeyError;
use crate::instance::{Activation, Instance, check};
use crate::public_key::PublicKey;
use crate::secret_key::{SecretKey, SharedPrfKey};
use crate::tree::SubTree;
use crate::window::bottom_tree;

/// Rounds a requested activation range out to whole bottom trees, at least two, inside the lifetime
/// (leanSig's rule, so activation ranges agree with keys made there). Returns bottom-tree indices `[first, end)`.
pub fn expand_activation<I: Instance>(start: u64, count: u64) -> Result<(u64, u64), KeyError> {
    check_range::<I>(start, count)?;
    let c = I::LEAVES_PER_BOTTOM_TREE;
    let mut first = start / c;
    let mut last = (start + count).div_ceil(c);
    if last - first < 2 {
        last = first + 2;
    }
    let trees = c; // number of bottom trees in the lifetime
    if last > trees {
        first = trees - (last - first).min(trees);
        last = trees;
    }
    Ok((first, last))
}

fn check_range<I: Instance>(start: u64, count: u64) -> Result<(), KeyError> {
    let lifetime = I::LIFETIME;
    if start.checked_add(count).is_none_or(|end| end > lifetime) {
        return Err(KeyError::ActivationBeyondLifetime { start, end: start.saturating_add(count), lifetime });
    }
    if count == 0 {
        return Err(KeyError::EmptyActivation);
    }
    Ok(())
}

/// The epochs a key asked for `[start, start + count)` covers, the bottom trees `[first, end)` they touch,
/// and the left tree of the first window.
pub(crate) fn plan<I: Instance>(start: u64, count: u64) -> Result<(Range<u64>, Range<u64>, u64), KeyError> {
    let c = I::LEAVES_PER_BOTTOM_TREE;
    match I::ACTIVATION {
        Activation::WholeBottomTrees => {
            let (first, end) = expand_activation::<I>(start, count)?;
            Ok((first * c..end * c, first..end, first))
        }
        Activation::Exact => {
            check_range::<I>(start, count)?;
            let (first, end) = (start / c, (start + count - 1) / c + 1);
            // The window is two trees inside the lifetime; at its very end the left one may hold nothing.
            Ok((start..start + count, first..end, first.min(c - 2)))
        }
    }
}

impl<I: Instance> SecretKey<I> {
    /// Generates a key pair deterministically from `seed`, active for at least `[start, start + count)`.
    ///
    /// The same seed always gives the same key, so a key made from a seed that was used before has a history:
    /// store it with [`crate::DurableSigner::create`] and a first signable epoch above every epoch it may have
    /// signed, never at its activation start.
    ///
    /// LeanSig-style sets round the range out to whole bottom trees of `2^(h/2)` epochs, at least two; exact
    /// sets keep it. Check [`SecretKey::activation`] for the result. Cost is one leaf per active epoch.
    ///
    /// ```
    /// use ndvt_xmss::hazmat::RawSign;
    /// use ndvt_xmss::{SecretKey, TestInstance};
    /// let (sk, pk) = SecretKey::<TestInstance>::from_seed(&[7; 32], 0, 32)?;
    /// let signature = sk.sign_raw(5, &[0xab; 32])?;
    /// pk.verify(5, &[0xab; 32], &signature)?;
    /// assert!(pk.verify(6, &[0xab; 32], &signature).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_seed(seed: &[u8; 32], start: u64, count: u64) -> Result<(Self, PublicKey<I>), KeyError> {
        Self::from_seed_with_progress(seed, start, count, |_, _| {})
    }

    /// As [`SecretKey::from_seed`], reporting `(bottom trees done, bottom trees in all)` as it goes.
    pub fn from_seed_with_progress(
        seed: &[u8; 32],
        start: u64,
        count: u64,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<(Self, PublicKey<I>), KeyError> {
        const { check::<I>() };
        let (active, trees, left_index) = plan::<I>(start, count)?;
        let derived = I::Hash::derive(I::NAME, seed);
        let (prf_key, pad_key, parameter) = (&*derived.prf_key, &*derived.pad_key, derived.parameter);
        let tree = |index| bottom_tree::<I>(prf_key, pad_key, &parameter, index, &active);

        let total = trees.end - trees.start;
        let left = tree(left_index);
        let right = tree(left_index + 1);
        let mut roots = Vec::with_capacity(total as usize);
        for index in trees.clone() {
            let root = match index - left_index {
                0 => left.root(),
                1 => right.root(),
                _ => tree(index).root(),
            };
            roots.extend(root);
            progress(index - trees.start + 1, total);
        }
        let pad = |level: u32, position: u64| I::Hash::filler(pad_key, level, position);
        let (depth, half) = (I::LOG_LIFETIME, I::LOG_LIFETIME / 2);
        let top = SubTree::sparse::<I::Hash>(&parameter, depth, half, depth, trees.start, roots, true, pad);
        let sk = SecretKey {
            prf_key: SharedPrfKey::new(Zeroizing::new(*prf_key)),
            parameter,
            activation_start: active.start,
            activation_len: active.end - active.start,
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
    ) -> Result<(Self, PublicKey<I>), KeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(seed.as_mut());
        Self::from_seed(&seed, start, count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::TestInstance;

    #[test]
    fn activation_expansion_follows_leansig() {
        // TestInstance: 16 epochs per bottom tree, 16 bottom trees.
        let e = |s, c| expand_activation::<TestInstance>(s, c).unwrap();
        assert_eq!(e(0, 256), (0, 16));
        assert_eq!(e(70, 100), (4, 11)); // the vectors' key 1: [64, 176)
        assert_eq!(e(250, 5), (14, 16)); // the vectors' key 2: [224, 256)
        assert_eq!(e(0, 1), (0, 2));
        assert_eq!(e(17, 16), (1, 3));
    }

    #[test]
    fn activation_errors_are_typed() {
        assert_eq!(expand_activation::<TestInstance>(0, 0), Err(KeyError::EmptyActivation));
        assert!(matches!(
            expand_activation::<TestInstance>(250, 7),
            Err(KeyError::ActivationBeyondLifetime { .. })
        ));
        assert!(matches!(
            expand_activation::<TestInstance>(u64::MAX, 2),
            Err(KeyError::ActivationBeyondLifetime { .. })
        ));
    }
}
