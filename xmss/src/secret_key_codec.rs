//! SSZ encoding of the secret key, byte-identical to leanSig for the Poseidon1 sets, with strict decoding and
//! structural checks. Every parameter set uses the same container with its own digest and parameter widths.
//!
//! ```text
//! prf_key: 32 B ‖ parameter ‖ activation_epoch: u64 ‖ num_active_epochs: u64 ‖ off_top: u32 = 88 ‖
//! left_bottom_tree_index: u64 ‖ off_left: u32 ‖ off_right: u32 ‖ top ‖ left ‖ right
//! HashSubTree  = depth: u64 ‖ lowest_layer: u64 ‖ off: u32 = 20 ‖ List[HashTreeLayer] (offset table first)
//! HashTreeLayer = start_index: u64 ‖ off: u32 = 12 ‖ nodes: List[Digest]
//! ```

use core::marker::PhantomData;

use zeroize::Zeroizing;

use crate::backend::{Element, read_list, write_list};
use crate::error::DecodeError;
use crate::instance::{Activation, Instance, Parameter};
use crate::secret_key::{PRF_KEY_LEN, SecretKey, SharedPrfKey};
use crate::signature::read_u32;
use crate::tree::{Layer, SubTree};
const SUBTREE_FIXED: usize = 20;
const LAYER_FIXED: usize = 12;

/// The largest encoding of one subtree with `half + 1` layers: full layers, each padded by up to two nodes.
const fn max_subtree_len(half: u32, digest: usize) -> usize {
    let layers = half as usize + 1;
    let nodes = (1usize << (half + 1)) + 2 * layers;
    SUBTREE_FIXED + layers * (4 + LAYER_FIXED) + digest * nodes
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(core::array::from_fn(|i| bytes[at + i]))
}

fn subtree_len<D: Element>(t: &SubTree<D>) -> usize {
    SUBTREE_FIXED + t.layers.iter().map(|l| 4 + LAYER_FIXED + D::BYTES * l.nodes.len()).sum::<usize>()
}

fn put_subtree<D: Element>(out: &mut Vec<u8>, t: &SubTree<D>) {
    out.extend_from_slice(&t.depth.to_le_bytes());
    out.extend_from_slice(&t.lowest_layer.to_le_bytes());
    out.extend_from_slice(&(SUBTREE_FIXED as u32).to_le_bytes());
    let mut offset = 4 * t.layers.len();
    for l in &t.layers {
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += LAYER_FIXED + D::BYTES * l.nodes.len();
    }
    for l in &t.layers {
        out.extend_from_slice(&l.start.to_le_bytes());
        out.extend_from_slice(&(LAYER_FIXED as u32).to_le_bytes());
        write_list(out, &l.nodes);
    }
}

fn offset_error(what: &'static str, expected: usize, got: u64) -> DecodeError {
    DecodeError::Offset { what, expected: expected as u64, got }
}

fn get_subtree<D: Element>(bytes: &[u8], what: &'static str) -> Result<SubTree<D>, DecodeError> {
    if bytes.len() < SUBTREE_FIXED {
        return Err(DecodeError::Length { what, expected: SUBTREE_FIXED, got: bytes.len() });
    }
    let depth = read_u64(bytes, 0);
    let lowest_layer = read_u64(bytes, 8);
    let off = read_u32(bytes, 16);
    if off != SUBTREE_FIXED as u64 {
        return Err(offset_error(what, SUBTREE_FIXED, off));
    }
    let list = &bytes[SUBTREE_FIXED..];
    let mut layers = Vec::new();
    if !list.is_empty() {
        if list.len() < 4 {
            return Err(DecodeError::Length { what, expected: 4, got: list.len() });
        }
        let first = read_u32(list, 0);
        if !first.is_multiple_of(4) || first == 0 || first as usize > list.len() {
            return Err(offset_error(what, 4, first));
        }
        let count = first as usize / 4;
        let offsets: Vec<u64> =
            (0..count).map(|i| read_u32(list, 4 * i)).chain([list.len() as u64]).collect();
        for pair in offsets.windows(2) {
            if pair[1] < pair[0] || pair[1] as usize > list.len() {
                return Err(offset_error(what, pair[0] as usize, pair[1]));
            }
            layers.push(get_layer(&list[pair[0] as usize..pair[1] as usize], what)?);
        }
    }
    Ok(SubTree { depth, lowest_layer, layers })
}

fn get_layer<D: Element>(bytes: &[u8], what: &'static str) -> Result<Layer<D>, DecodeError> {
    if bytes.len() < LAYER_FIXED {
        return Err(DecodeError::Length { what, expected: LAYER_FIXED, got: bytes.len() });
    }
    let start = read_u64(bytes, 0);
    let off = read_u32(bytes, 8);
    if off != LAYER_FIXED as u64 {
        return Err(offset_error(what, LAYER_FIXED, off));
    }
    Ok(Layer { start, nodes: read_list(&bytes[LAYER_FIXED..], what)? })
}

impl<I: Instance> SecretKey<I> {
    /// The fixed part: PRF key, parameter, activation, offsets and the window index.
    const FIXED: usize = PRF_KEY_LEN + <Parameter<I> as Element>::BYTES + 8 + 8 + 4 + 8 + 4 + 4;

    /// The largest encoding a key of this instance can have (the whole lifetime active): reads of secret-key
    /// files are capped at it, so an oversized or endless file is refused without being read.
    pub const MAX_ENCODED_LEN: usize = Self::FIXED
        + 3 * max_subtree_len(I::LOG_LIFETIME / 2, <crate::instance::Digest<I> as Element>::BYTES);

    /// SSZ encoding (leanSig layout). The buffer is zeroized when dropped.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let len = Self::FIXED + subtree_len(&self.top) + subtree_len(&self.left) + subtree_len(&self.right);
        let mut out = Zeroizing::new(Vec::with_capacity(len));
        out.extend_from_slice(&self.prf_key[..]);
        self.parameter.write(&mut out);
        out.extend_from_slice(&self.activation_start.to_le_bytes());
        out.extend_from_slice(&self.activation_len.to_le_bytes());
        out.extend_from_slice(&(Self::FIXED as u32).to_le_bytes());
        out.extend_from_slice(&self.left_index.to_le_bytes());
        let off_left = Self::FIXED + subtree_len(&self.top);
        out.extend_from_slice(&(off_left as u32).to_le_bytes());
        out.extend_from_slice(&((off_left + subtree_len(&self.left)) as u32).to_le_bytes());
        put_subtree(&mut out, &self.top);
        put_subtree(&mut out, &self.left);
        put_subtree(&mut out, &self.right);
        out
    }

    /// Strict SSZ decoding plus the structural checks signing relies on: aligned activation range inside
    /// the lifetime, a window inside it, bottom trees of the right shape at the right indices, and a top tree
    /// that covers every active bottom tree. Hash consistency is checked by [`SecretKey::check_consistency`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let fixed = Self::FIXED;
        if bytes.len() < fixed {
            return Err(DecodeError::Length { what: "secret key", expected: fixed, got: bytes.len() });
        }
        let mut prf_key = Zeroizing::new([0u8; PRF_KEY_LEN]);
        prf_key.copy_from_slice(&bytes[..PRF_KEY_LEN]);
        let at = PRF_KEY_LEN + <Parameter<I> as Element>::BYTES;
        let parameter = Element::read(&bytes[PRF_KEY_LEN..at], "secret_key.parameter")?;
        let activation_start = read_u64(bytes, at);
        let activation_len = read_u64(bytes, at + 8);
        let off_top = read_u32(bytes, at + 16);
        let left_index = read_u64(bytes, at + 20);
        let off_left = read_u32(bytes, at + 28);
        let off_right = read_u32(bytes, at + 32);
        if off_top != fixed as u64 {
            return Err(offset_error("secret_key.top_tree", fixed, off_top));
        }
        if off_left < off_top || off_right < off_left || off_right > bytes.len() as u64 {
            return Err(offset_error("secret_key.bottom_trees", off_top as usize, off_left.max(off_right)));
        }
        let top = get_subtree(&bytes[off_top as usize..off_left as usize], "secret_key.top_tree")?;
        let left = get_subtree(&bytes[off_left as usize..off_right as usize], "secret_key.left_bottom_tree")?;
        let right = get_subtree(&bytes[off_right as usize..], "secret_key.right_bottom_tree")?;
        let sk = SecretKey {
            prf_key: SharedPrfKey::new(prf_key),
            parameter,
            activation_start,
            activation_len,
            top,
            left_index,
            left,
            right,
            _instance: PhantomData,
        };
        sk.check_structure()?;
        Ok(sk)
    }

    fn check_structure(&self) -> Result<(), DecodeError> {
        let bad = |why| Err(DecodeError::SecretKey(why));
        let c = I::LEAVES_PER_BOTTOM_TREE;
        let half = u64::from(I::LOG_LIFETIME / 2);
        let end = self.activation_start.checked_add(self.activation_len);
        let end = match end {
            Some(end) if end <= I::LIFETIME => end,
            _ => return bad("activation range exceeds the lifetime"),
        };
        let (first, last) = (self.activation_start / c, end.saturating_sub(1) / c + 1);
        let lowest_window = match I::ACTIVATION {
            Activation::WholeBottomTrees => {
                if !self.activation_start.is_multiple_of(c)
                    || !self.activation_len.is_multiple_of(c)
                    || self.activation_len < 2 * c
                {
                    return bad("activation range is not whole bottom trees (at least two)");
                }
                first
            }
            Activation::Exact if self.activation_len == 0 => return bad("activation range is empty"),
            Activation::Exact => first.min(c - 2),
        };
        let window_end = self.left_index.checked_add(2);
        if self.left_index < lowest_window || window_end.is_none_or(|e| e > last.max(lowest_window + 2)) {
            return bad("prepared window lies outside the activation range");
        }
        for (tree, index) in [(&self.left, self.left_index), (&self.right, self.left_index + 1)] {
            // The active epochs the tree holds; every layer holds exactly what they reach, padded.
            let (from, to) = (self.activation_start.max(index * c), end.min((index + 1) * c));
            if from >= to {
                if !tree.layers.is_empty() {
                    return bad("bottom tree has the wrong shape");
                }
                continue;
            }
            if tree.depth != u64::from(I::LOG_LIFETIME)
                || tree.lowest_layer != 0
                || tree.layers.len() as u64 != half + 1
            {
                return bad("bottom tree has the wrong shape");
            }
            for (k, layer) in tree.layers.iter().enumerate() {
                let (lo, hi) =
                    if k as u64 == half { (index, index) } else { ((from >> k) & !1, ((to - 1) >> k) | 1) };
                if layer.start != lo || layer.nodes.len() as u64 != hi - lo + 1 {
                    return bad("bottom tree layer is not where its index puts it");
                }
            }
        }
        let top = &self.top;
        if top.depth != u64::from(I::LOG_LIFETIME)
            || top.lowest_layer != half
            || top.layers.len() as u64 != half + 1
        {
            return bad("top tree has the wrong shape");
        }
        for (k, layer) in top.layers.iter().enumerate() {
            // Layer k must hold every active node and its sibling.
            let (lo, hi) = ((first >> k) & !1, ((last - 1) >> k) | 1);
            let layer_end = layer.start.checked_add(layer.nodes.len() as u64);
            let is_root = k as u64 == half;
            let covers = if is_root {
                layer.start == 0 && !layer.nodes.is_empty()
            } else {
                layer.start <= lo && layer_end.is_some_and(|e| e > hi)
            };
            if !covers {
                return bad("top tree does not cover the activation range");
            }
        }
        Ok(())
    }
}
