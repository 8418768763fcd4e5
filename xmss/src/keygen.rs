//! Key generation: from a 32-byte seed (deterministic) or from a cryptographic RNG.
//!
//! The seed is expanded with SHAKE128 under a domain tag that names the instance, into the PRF key, the hash
//! parameter and a key for the top tree's padding nodes. Keys generated here are not bit-compatible with
//! leanSig's RNG-driven key generation (nothing requires that); their signatures and encodings are.

use core::marker::PhantomData;

use rand_core::CryptoRng;
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};
use zeroize::{Zeroize, Zeroizing};

use crate::error::KeyError;
use crate::field::{Digest, Parameter, from_u128};
use crate::instance::{Instance, check};
use crate::prf::PRF_KEY_LEN;
use crate::public_key::PublicKey;
use crate::secret_key::{SecretKey, bottom_tree};
use crate::tree::SubTree;

const KEYGEN_DOMAIN: &[u8] = b"ndvt/xmss/keygen/v1/";
const PADDING_DOMAIN: &[u8] = b"ndvt/xmss/padding/v1/";

/// Rounds a requested activation range out to whole bottom trees, at least two, inside the lifetime
/// (leanSig's rule, so activation ranges agree with keys made there). Returns bottom-tree indices `[first, end)`.
pub fn expand_activation<I: Instance>(start: u64, count: u64) -> Result<(u64, u64), KeyError> {
    let lifetime = I::LIFETIME;
    let end = start.checked_add(count).filter(|&e| e <= lifetime);
    let Some(end) = end else {
        return Err(KeyError::ActivationBeyondLifetime { start, end: start.saturating_add(count), lifetime });
    };
    if count == 0 {
        return Err(KeyError::EmptyActivation);
    }
    let c = I::LEAVES_PER_BOTTOM_TREE;
    let mut first = start / c;
    let mut last = end.div_ceil(c);
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

fn read_elems<R: XofReader, const N: usize>(reader: &mut R) -> [crate::field::F; N] {
    core::array::from_fn(|_| {
        let mut buf = [0u8; 16];
        reader.read(&mut buf);
        from_u128(u128::from_be_bytes(buf))
    })
}

fn padding_node(pad_key: &[u8; 32], level: u32, pos: u64) -> Digest {
    let mut h = Shake128::default();
    h.update(PADDING_DOMAIN);
    h.update(pad_key);
    h.update(&level.to_le_bytes());
    h.update(&pos.to_le_bytes());
    read_elems(&mut h.finalize_xof())
}

impl<I: Instance> SecretKey<I> {
    /// Generates a key pair deterministically from `seed`, active for at least `[start, start + count)`.
    ///
    /// The same seed always gives the same key, so a key made from a seed that was used before has a history:
    /// store it with [`crate::DurableSigner::create`] and a first signable epoch above every epoch it may have
    /// signed, never at its activation start.
    ///
    /// The range is rounded out to whole bottom trees of `2^(h/2)` epochs, at least two; check
    /// [`SecretKey::activation`] for the result. Cost is one leaf per active epoch.
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
        let (first, end) = expand_activation::<I>(start, count)?;
        let mut xof = Shake128::default();
        xof.update(KEYGEN_DOMAIN);
        xof.update(I::NAME.as_bytes());
        xof.update(&[0]);
        xof.update(seed);
        let mut reader = xof.finalize_xof();
        let mut prf_key = [0u8; PRF_KEY_LEN];
        reader.read(&mut prf_key);
        let parameter: Parameter = read_elems(&mut reader);
        let mut pad_key = Zeroizing::new([0u8; 32]);
        reader.read(pad_key.as_mut());

        let total = end - first;
        let left = bottom_tree::<I>(&prf_key, &parameter, first);
        progress(1, total);
        let right = bottom_tree::<I>(&prf_key, &parameter, first + 1);
        progress(2, total);
        let mut roots = Vec::with_capacity(total as usize);
        roots.extend(left.root());
        roots.extend(right.root());
        for index in first + 2..end {
            roots.extend(bottom_tree::<I>(&prf_key, &parameter, index).root());
            progress(index - first + 1, total);
        }
        let top =
            SubTree::top(&parameter, I::LOG_LIFETIME, first, roots, |l, p| padding_node(&pad_key, l, p));
        let c = I::LEAVES_PER_BOTTOM_TREE;
        let sk = SecretKey {
            prf_key,
            parameter,
            activation_start: first * c,
            activation_len: total * c,
            top,
            left_index: first,
            left,
            right,
            _instance: PhantomData,
        };
        prf_key.zeroize();
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
