//! The Poseidon1/KoalaBear back-end (leanSig's hash): field-element digests, every batched call packed over
//! the build's KoalaBear lanes (16 with AVX-512, 8 with AVX2 or NEON).
//!
//! Tree node `(level, pos)` is `compress24(parameter ‖ tree_tweak(level, pos) ‖ left ‖ right)`; chains,
//! leaves and the message hash are in [`crate::chain`], [`crate::leaf`] and [`crate::message_hash`]; the
//! SHAKE128 PRF in [`crate::prf`]. A seed expands under SHAKE128 with a domain that names the instance into
//! the PRF key, the parameter and the key of the top tree's padding nodes. Keys made this way are not
//! bit-compatible with leanSig's RNG-driven key generation (nothing requires that); signatures and
//! encodings are.

use core::ops::Range;

use p3_field::{Algebra, PackedValue, PrimeCharacteristicRing};
use p3_symmetric::Permutation;
use rayon::prelude::*;
use sha3::digest::XofReader;
use zeroize::Zeroizing;

use crate::backend::{Derived, TweakableHash, filler_parts, shake128};
use crate::batch_verify::BatchItem;
use crate::chain::walk_all;
use crate::error::VerifyError;
use crate::field::{Digest, F, HASH_LEN, PackedF, Parameter, RAND_LEN, Rho, from_u128};
use crate::instance::Instance;
use crate::leaf::{hash_leaf, leaves, sponge_capacity};
use crate::message_hash::MessageHasher;
use crate::poseidon::{Poseidon24, compress, poseidon24};
use crate::prf::{chain_starts, randomness_batch};
use crate::tweak::tree_tweak;

const KEYGEN_DOMAIN: &[u8] = b"ndvt/xmss/keygen/v1/";
const PADDING_DOMAIN: &[u8] = b"ndvt/xmss/padding/v1/";

/// Poseidon1 over KoalaBear, leanSig c08a3ba's tweakable hash.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Poseidon1;

fn read_elems<R: XofReader, const N: usize>(reader: &mut R) -> [F; N] {
    core::array::from_fn(|_| {
        let mut buf = [0u8; 16];
        reader.read(&mut buf);
        from_u128(u128::from_be_bytes(buf))
    })
}

#[inline]
pub(crate) fn node<R>(parameter: &[R; 5], tweak: &[R; 2], left: &[R; 8], right: &[R; 8]) -> [R; 8]
where
    R: Algebra<F> + Copy,
    Poseidon24: Permutation<[R; 24]>,
{
    let mut input = [R::ZERO; 24];
    input[..5].copy_from_slice(parameter);
    input[5..7].copy_from_slice(tweak);
    input[7..15].copy_from_slice(left);
    input[15..23].copy_from_slice(right);
    compress(poseidon24(), input)
}

impl TweakableHash for Poseidon1 {
    const FAMILY: &'static str = "poseidon1";
    const PAD_KEY_IS_PRF_KEY: bool = false;
    type Digest = Digest;
    type Parameter = Parameter;
    type Rho = Rho;
    type MessageDigest = [F; HASH_LEN];

    fn derive(instance: &str, seed: &[u8; 32]) -> Derived<Self> {
        let mut reader = shake128(&[KEYGEN_DOMAIN, instance.as_bytes(), &[0], seed]);
        let mut prf_key = Zeroizing::new([0u8; 32]);
        reader.read(prf_key.as_mut());
        let parameter = read_elems(&mut reader);
        let mut pad_key = Zeroizing::new([0u8; 32]);
        reader.read(pad_key.as_mut());
        Derived { prf_key, parameter, pad_key }
    }

    fn filler(pad_key: &[u8; 32], level: u32, position: u64) -> Digest {
        let (level, position) = (level.to_le_bytes(), position.to_le_bytes());
        read_elems(&mut shake128(&filler_parts(PADDING_DOMAIN, pad_key, &level, &position)))
    }

    fn chain_starts(prf_key: &[u8; 32], epoch: u32, count: usize) -> Vec<Digest> {
        let items: Vec<(u32, u64)> = (0..count as u64).map(|c| (epoch, c)).collect();
        chain_starts(prf_key, &items)
    }

    fn walk_all(parameter: &Parameter, epoch: u32, values: &mut [Digest], from: &[u8], to: &[u8]) {
        walk_all(parameter, epoch, values, from, to);
    }

    fn leaf(parameter: &Parameter, epoch: u32, ends: &[Digest]) -> Digest {
        hash_leaf(&sponge_capacity(ends.len()), parameter, &tree_tweak(0, epoch), ends)
    }

    fn leaves(
        prf_key: &[u8; 32],
        parameter: &Parameter,
        epochs: Range<u64>,
        dimension: usize,
        base: usize,
    ) -> Vec<Digest> {
        leaves(prf_key, parameter, epochs.start, epochs.end - epochs.start, dimension, base)
    }

    fn parent(parameter: &Parameter, level: u8, position: u32, left: &Digest, right: &Digest) -> Digest {
        node(parameter, &tree_tweak(level, position), left, right)
    }

    /// Packed over the SIMD lanes, and across threads (rayon) for wide layers.
    fn hash_layer(parameter: &Parameter, level: u8, parent_start: u64, children: &[Digest]) -> Vec<Digest> {
        let lanes = PackedF::WIDTH;
        let count = children.len() / 2;
        let mut parents = vec![[F::ZERO; HASH_LEN]; count];
        let packed_parameter = parameter.map(PackedF::from);
        let full = count / lanes * lanes;
        parents[..full]
            .par_chunks_mut(lanes)
            .zip(children[..2 * full].par_chunks(2 * lanes))
            .enumerate()
            .for_each(|(b, (out, kids))| {
                let first = parent_start + (b * lanes) as u64;
                let tweak: [PackedF; 2] = core::array::from_fn(|t| {
                    PackedF::from_fn(|l| tree_tweak(level, (first + l as u64) as u32)[t])
                });
                let left: [PackedF; 8] = core::array::from_fn(|i| PackedF::from_fn(|l| kids[2 * l][i]));
                let right: [PackedF; 8] = core::array::from_fn(|i| PackedF::from_fn(|l| kids[2 * l + 1][i]));
                let packed = node(&packed_parameter, &tweak, &left, &right);
                for (l, slot) in out.iter_mut().enumerate() {
                    *slot = core::array::from_fn(|i| packed[i].as_slice()[l]);
                }
            });
        for k in full..count {
            let position = (parent_start + k as u64) as u32;
            parents[k] = Self::parent(parameter, level, position, &children[2 * k], &children[2 * k + 1]);
        }
        parents
    }

    fn message_digest(parameter: &Parameter, epoch: u32, rho: &Rho, message: &[u8; 32]) -> [F; HASH_LEN] {
        MessageHasher::new(parameter, epoch, message).elems(rho)
    }

    /// In leanSig's order: attempt `k`'s rho is the PRF of (key, epoch, message, k); one SIMD width of
    /// attempts per message-hash call.
    fn grind(
        prf_key: &[u8; 32],
        parameter: &Parameter,
        epoch: u32,
        message: &[u8; 32],
        first: u64,
        accept: &mut dyn FnMut(&[F; HASH_LEN]) -> bool,
    ) -> (u64, Option<Rho>) {
        let hasher = MessageHasher::new(parameter, epoch, message);
        let lanes = PackedF::WIDTH;
        let rhos = randomness_batch(prf_key, epoch, message, first, lanes);
        let packed: [PackedF; RAND_LEN] = core::array::from_fn(|i| PackedF::from_fn(|l| rhos[l][i]));
        let out = hasher.elems_packed(&packed);
        for (l, rho) in rhos.iter().enumerate() {
            let elems = core::array::from_fn(|i| out[i].as_slice()[l]);
            if accept(&elems) {
                return (l as u64 + 1, Some(*rho));
            }
        }
        (lanes as u64, None)
    }

    fn verify_batch<I: Instance<Hash = Self>>(items: &[BatchItem<'_, I>]) -> Vec<Result<(), VerifyError>> {
        crate::poseidon_batch::verify_batch(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::hash_layer_scalar;

    fn digest(seed: u32) -> Digest {
        core::array::from_fn(|i| F::from_u32(seed * 8 + i as u32))
    }

    #[test]
    fn packed_layer_matches_scalar_parents() {
        let parameter: Parameter = core::array::from_fn(|i| F::from_u32(i as u32 + 5));
        let children: Vec<Digest> = (0..70).map(digest).collect();
        let parents = Poseidon1::hash_layer(&parameter, 3, 10, &children);
        assert_eq!(parents, hash_layer_scalar::<Poseidon1>(&parameter, 3, 10, &children));
    }
}
