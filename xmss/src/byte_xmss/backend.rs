//! The byte back-ends as one [`TweakableHash`]: [`Bytes<H>`] over any [`ByteHash`] primitive (SHA-3,
//! BLAKE3). Tree nodes are `H(parameter ‖ tweak(level, position) ‖ left ‖ right)`, eight at a time.
//!
//! A seed expands under SHAKE128 with a domain that names the parameter set into the PRF key and the 18-byte
//! parameter; filler nodes are a SHAKE128 of the PRF key and their position, so that these sets keep exact
//! activation ranges (a short-lived key of lifetime 2^32 costs only its own epochs) and still advance. Signing is deterministic: attempt `k`'s rho is
//! the PRF of (epoch, message, k).

use core::marker::PhantomData;
use core::ops::Range;

use rayon::prelude::*;
use sha3::digest::XofReader;
use zeroize::Zeroizing;

use crate::backend::{Derived, TweakableHash, filler_parts, shake128};
use crate::byte_xmss::chain::{chain_starts, leaf, leaves, walk_all};
use crate::byte_xmss::hash::{
    BATCH, ByteHash, Digest, PRF_KEY_LEN, Parameter, RHO_LEN, Rho, Tweak, prf_x8, tweak_hash, tweak_hash_x8,
};

const KEYGEN_DOMAIN: &[u8] = b"ndvt/bxmss/keygen/v1/";
const PADDING_DOMAIN: &[u8] = b"ndvt/bxmss/padding/v1/";
const TAG_RANDOMNESS: u8 = 0x01;

/// Generalized XMSS's hash calls over the byte primitive `H`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bytes<H: ByteHash>(PhantomData<H>);

impl<H: ByteHash> TweakableHash for Bytes<H> {
    const FAMILY: &'static str = H::NAME;
    const PAD_KEY_IS_PRF_KEY: bool = true;
    const COUNTS_HASH_CALLS: bool = true;
    type Digest = Digest;
    type Parameter = Parameter;
    type Rho = Rho;
    type MessageDigest = [u8; 32];

    fn derive(instance: &str, seed: &[u8; 32]) -> Derived<Self> {
        let mut reader = shake128(&[KEYGEN_DOMAIN, instance.as_bytes(), &[0], seed]);
        let mut prf_key = Zeroizing::new([0u8; PRF_KEY_LEN]);
        reader.read(prf_key.as_mut());
        let mut parameter = [0u8; 18];
        reader.read(&mut parameter);
        // Fillers key on the PRF key, so that exact ranges can pad bottom trees when the window advances.
        let pad_key = prf_key.clone();
        Derived { prf_key, parameter, pad_key }
    }

    fn filler(pad_key: &[u8; 32], level: u32, position: u64) -> Digest {
        let (level, position) = (level.to_le_bytes(), position.to_le_bytes());
        let mut out = [0u8; 32];
        shake128(&filler_parts(PADDING_DOMAIN, pad_key, &level, &position)).read(&mut out);
        out
    }

    fn chain_starts(prf_key: &[u8; 32], epoch: u32, count: usize) -> Vec<Digest> {
        chain_starts::<H>(prf_key, epoch, count)
    }

    fn walk_all(parameter: &Parameter, epoch: u32, values: &mut [Digest], from: &[u8], to: &[u8]) {
        walk_all::<H>(parameter, epoch, values, from, to);
    }

    fn leaf(parameter: &Parameter, epoch: u32, ends: &[Digest]) -> Digest {
        leaf::<H>(parameter, epoch, ends)
    }

    fn leaves(
        key: &[u8; 32],
        p: &Parameter,
        epochs: Range<u64>,
        dimension: usize,
        base: usize,
    ) -> Vec<Digest> {
        leaves::<H>(key, p, epochs, dimension, base)
    }

    fn parent(parameter: &Parameter, level: u8, position: u32, left: &Digest, right: &Digest) -> Digest {
        tweak_hash::<H>(parameter, Tweak::Tree { level, position }, &[left, right])
    }

    /// Eight parents per call, and wide layers across threads.
    fn hash_layer(parameter: &Parameter, level: u8, parent_start: u64, children: &[Digest]) -> Vec<Digest> {
        let count = children.len() / 2;
        let mut parents = vec![[0u8; 32]; count];
        let full = count / BATCH * BATCH;
        let batch = |first: u64, out: &mut [Digest], kids: &[Digest]| {
            let tweaks = core::array::from_fn(|l| Tweak::Tree { level, position: (first + l as u64) as u32 });
            let data = core::array::from_fn(|l| [&kids[2 * l][..], &kids[2 * l + 1][..]]);
            out.copy_from_slice(&tweak_hash_x8::<H>(parameter, tweaks, data, BATCH));
        };
        // Below a few thousand parents the thread hand-off costs more than it saves.
        let chunks = parents[..full].par_chunks_mut(BATCH).zip(children[..2 * full].par_chunks(2 * BATCH));
        if full >= 4096 {
            chunks
                .enumerate()
                .for_each(|(b, (out, kids))| batch(parent_start + (b * BATCH) as u64, out, kids));
        } else {
            let serial = parents[..full].chunks_mut(BATCH).zip(children.chunks(2 * BATCH));
            for (b, (out, kids)) in serial.enumerate() {
                batch(parent_start + (b * BATCH) as u64, out, kids);
            }
        }
        for k in full..count {
            let position = (parent_start + k as u64) as u32;
            parents[k] = Self::parent(parameter, level, position, &children[2 * k], &children[2 * k + 1]);
        }
        parents
    }

    fn message_digest(parameter: &Parameter, epoch: u32, rho: &Rho, message: &[u8; 32]) -> [u8; 32] {
        tweak_hash::<H>(parameter, Tweak::Message { epoch }, &[rho, message])
    }

    fn grind(
        prf_key: &[u8; 32],
        parameter: &Parameter,
        epoch: u32,
        message: &[u8; 32],
        first: u64,
        accept: &mut dyn FnMut(&[u8; 32]) -> bool,
    ) -> (u64, Option<Rho>) {
        let mut base = [0u8; 1 + 4 + 32 + 8];
        base[0] = TAG_RANDOMNESS;
        base[1..5].copy_from_slice(&epoch.to_be_bytes());
        base[5..37].copy_from_slice(message);
        let inputs: [[u8; 45]; BATCH] = core::array::from_fn(|l| {
            let mut input = base;
            input[37..].copy_from_slice(&(first + l as u64).to_be_bytes());
            input
        });
        let outs = prf_x8::<H>(prf_key, core::array::from_fn(|l| &inputs[l][..]), BATCH);
        let rhos: [Rho; BATCH] = outs.map(|o| core::array::from_fn(|i| o[i]));
        let tweak = Tweak::Message { epoch };
        let data = core::array::from_fn(|l| [&rhos[l][..], &message[..]]);
        let digests = tweak_hash_x8::<H>(parameter, [tweak; BATCH], data, BATCH);
        for (l, digest) in digests.iter().enumerate() {
            if accept(digest) {
                return (l as u64 + 1, Some(rhos[l]));
            }
        }
        (BATCH as u64, None)
    }
}

const _: () = assert!(RHO_LEN <= 32);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::byte_xmss::{Blake3, Sha3};
    use crate::tree::hash_layer_scalar;

    fn node(seed: u64) -> Digest {
        let mut d = [0u8; 32];
        d[..8].copy_from_slice(&seed.to_le_bytes());
        d
    }

    fn batched_layer_matches_single_parents<H: ByteHash>() {
        let parameter = [5u8; 18];
        let children: Vec<Digest> = (0..38).map(node).collect();
        let parents = Bytes::<H>::hash_layer(&parameter, 2, 6, &children);
        assert_eq!(parents, hash_layer_scalar::<Bytes<H>>(&parameter, 2, 6, &children));
    }

    #[test]
    fn batched_layers_match_single_parents() {
        batched_layer_matches_single_parents::<Sha3>();
        batched_layer_matches_single_parents::<Blake3>();
    }
}
