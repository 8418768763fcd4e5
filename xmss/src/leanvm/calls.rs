//! The leanVM hash calls in word form on `N` lanes: a chain step, a PRF call, a leaf, a tree node and the
//! message digest, each lane with its own tweak (and, for batch verification, its own parameter).
//!
//! Values stay in word form between calls (a chain step's output words are the next step's input words),
//! so only the edges of a batch convert between bytes and words.

use core::marker::PhantomData;

use crate::arx_lanes::Word;
use crate::leanvm::hash::{Node, prf_input};
use crate::leanvm::lanes::{Block, NodeWords, State, compress, compress_last, digest, initial, splat, words};
use crate::leanvm::layout::{LeanVmLayout, TweakKind};

/// Lane `l` of `f(l)`'s word `i`, for every word and lane: the transposition of per-lane words.
#[inline(always)]
pub(crate) fn per_lane<const N: usize, const W: usize>(f: impl Fn(usize) -> [u32; W]) -> [Word<N>; W] {
    let rows: [[u32; W]; N] = core::array::from_fn(f);
    core::array::from_fn(|i| core::array::from_fn(|l| rows[l][i]))
}

/// The same node in every lane.
#[inline(always)]
pub(crate) fn splat_node<const N: usize>(n: &Node) -> NodeWords<N> {
    words(n).map(splat)
}

/// The tweak of `kind` at (`sub_position`, `index[l]`) in every lane.
#[inline(always)]
pub(crate) fn tweaks<L: LeanVmLayout, const N: usize>(
    kind: TweakKind,
    sub_position: impl Fn(usize) -> u32,
    index: impl Fn(usize) -> u32,
) -> NodeWords<N> {
    per_lane(|l| L::tweak_words(kind, sub_position(l), index(l)))
}

/// Chain steps on `N` lanes. It owns the step block, which holds secret chain values during key generation
/// and signing, and wipes it (and the last chaining value) when dropped.
pub(crate) struct Steps<L: LeanVmLayout, const N: usize> {
    m: Block<N>,
    h: State<N>,
    layout: PhantomData<L>,
}

impl<L: LeanVmLayout, const N: usize> Steps<L, N> {
    /// Steps under the parameter words `parameter` (per lane).
    #[inline(always)]
    pub(crate) fn new(parameter: &NodeWords<N>) -> Self {
        let mut m = [splat(0); 16];
        m[4..8].copy_from_slice(parameter);
        Steps { m, h: initial(0), layout: PhantomData }
    }

    /// One step in every lane: lane `l` steps `x` out of value `value(l)` of chain `chain(l)` at epoch
    /// `epoch(l)` (tweak ‖ parameter ‖ x, 48 bytes, one compression).
    #[inline(always)]
    pub(crate) fn step(
        &mut self,
        chain: impl Fn(usize) -> usize,
        value: impl Fn(usize) -> u8,
        epoch: impl Fn(usize) -> u32,
        x: &mut NodeWords<N>,
    ) {
        let t = tweaks::<L, N>(TweakKind::Chain, |l| L::chain_position(chain(l), value(l)), epoch);
        self.m[..4].copy_from_slice(&t);
        self.m[8..12].copy_from_slice(x);
        self.h = initial(0);
        compress(&mut self.h, &self.m, 48, true);
        *x = digest(&self.h);
    }
}

impl<L: LeanVmLayout, const N: usize> Drop for Steps<L, N> {
    fn drop(&mut self) {
        crate::field::wipe(self.m.as_flattened_mut(), 0);
        crate::field::wipe(self.h.as_flattened_mut(), 0);
    }
}

/// PRF outputs in every lane from the keyed chaining value `key`: lane `l` gets PRF(domain, a(l), b(l))
/// (one compression). The caller wipes the secret output.
#[inline(always)]
pub(crate) fn prf_lanes<const N: usize>(
    key: &State<N>,
    domain: u32,
    a: impl Fn(usize) -> u64,
    b: impl Fn(usize) -> u64,
) -> NodeWords<N> {
    let input: [Word<N>; 5] = per_lane(|l| {
        let bytes = prf_input(domain, a(l), b(l));
        core::array::from_fn(|i| {
            u32::from_le_bytes([bytes[4 * i], bytes[4 * i + 1], bytes[4 * i + 2], bytes[4 * i + 3]])
        })
    });
    let mut m: Block<N> = [splat(0); 16];
    m[..5].copy_from_slice(&input);
    let mut h = *key;
    compress(&mut h, &m, 64 + 20, true);
    let out = digest(&h);
    crate::field::wipe(h.as_flattened_mut(), 0);
    out
}

/// Unkeyed BLAKE2s of a message of whole nodes (`tweak ‖ parameter ‖ body`) in every lane, cut to 16
/// bytes: leaves and tree nodes. Four nodes fill a block, so blocks are copies of nodes already in word form.
#[inline(always)]
pub(crate) fn hash_nodes<const N: usize>(nodes: &[&NodeWords<N>]) -> NodeWords<N> {
    let blocks = nodes.len().div_ceil(4).max(1);
    let mut h = initial(0);
    let mut m: Block<N> = [splat(0); 16];
    for k in 0..blocks {
        for q in 0..4 {
            match nodes.get(4 * k + q) {
                Some(n) => m[4 * q..4 * q + 4].copy_from_slice(*n),
                None => m[4 * q..4 * q + 4].fill(splat(0)),
            }
        }
        let last = k + 1 == blocks;
        let counter = if last { 16 * nodes.len() as u64 } else { 64 * (k as u64 + 1) };
        compress(&mut h, &m, counter, last);
    }
    // A key-generation leaf's blocks held chain ends freshly walked from secrets: wiping is cheap.
    crate::field::wipe(m.as_flattened_mut(), 0);
    digest(&h)
}

/// The tree node over `left` and `right` in every lane (one compression).
#[inline(always)]
pub(crate) fn hash_pair<const N: usize>(
    tweak: &NodeWords<N>,
    parameter: &NodeWords<N>,
    left: &NodeWords<N>,
    right: &NodeWords<N>,
) -> NodeWords<N> {
    hash_nodes(&[tweak, parameter, left, right])
}

/// The message digest's chaining value after its first block (tweak ‖ parameter ‖ message), which every
/// signing attempt at one (epoch, message) shares.
pub(crate) fn message_midstate<L: LeanVmLayout, const N: usize>(
    parameter: &Node,
    epoch: u32,
    message: &[u8; 32],
) -> State<N> {
    let mut m: Block<N> = [splat(0); 16];
    m[..4].copy_from_slice(&splat_node::<N>(&L::tweak(TweakKind::Message, 0, epoch)));
    m[4..8].copy_from_slice(&splat_node::<N>(parameter));
    for i in 0..8 {
        m[8 + i] = splat(u32::from_le_bytes(core::array::from_fn(|k| message[4 * i + k])));
    }
    let mut h = initial(0);
    compress(&mut h, &m, 64, false);
    h
}

/// The message digest from the midstate: lane `l` hashes randomness words `rho(l)` (24 bytes, then eight
/// zero bytes) as the second and last block.
#[inline(always)]
pub(crate) fn message_digests<const N: usize>(
    midstate: &State<N>,
    rho: impl Fn(usize) -> [u32; 6],
) -> NodeWords<N> {
    let rho: [Word<N>; 6] = per_lane(rho);
    let mut m: Block<N> = [splat(0); 16];
    m[..6].copy_from_slice(&rho);
    let mut out = [splat(0); 4];
    compress_last::<N, 6>(midstate, &m, 96, &mut out);
    out
}

/// The six little-endian words of a 24-byte randomness.
#[inline(always)]
pub(crate) fn rho_words(rho: &[u8; 24]) -> [u32; 6] {
    core::array::from_fn(|i| u32::from_le_bytes([rho[4 * i], rho[4 * i + 1], rho[4 * i + 2], rho[4 * i + 3]]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leanvm::lanes::{LANES, lane, node};
    use blake2::{Blake2s256, Digest};
    use proptest::prelude::*;

    proptest! {
        /// Whole-node messages (a tree node is 4 nodes, a leaf 44) against the crate, in every lane.
        #[test]
        fn hash_nodes_equals_the_crate(count in 1usize..48, seed in any::<u8>()) {
            let bytes: Vec<Vec<[u8; 16]>> = (0..LANES)
                .map(|l| (0..count).map(|k| core::array::from_fn(|i| seed ^ (l * 31 + k * 7 + i) as u8)).collect())
                .collect();
            let nodes: Vec<NodeWords<LANES>> = (0..count).map(|k| per_lane(|l| words(&bytes[l][k]))).collect();
            let refs: Vec<&NodeWords<LANES>> = nodes.iter().collect();
            let got = hash_nodes(&refs);
            for (l, message) in bytes.iter().enumerate() {
                let full: [u8; 32] = Blake2s256::digest(message.as_flattened()).into();
                prop_assert_eq!(&node(&lane(&got, l))[..], &full[..16]);
            }
        }
    }
}
