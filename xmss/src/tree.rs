//! The Merkle tree of one key, split into a top tree and bottom trees (leanSig's layout).
//!
//! The full tree has depth `h = LOG_LIFETIME`. Bottom tree `j` holds the leaves of epochs
//! `[j·2^(h/2), (j+1)·2^(h/2))` and its root is node `j` of level `h/2`. The top tree holds levels `h/2..=h`
//! above the bottom roots of the activation range. Every top-tree layer is padded to start at an even index
//! and end at an odd one, so each parent has two children; the padding nodes are part of the secret key.
//! Node `(level, pos)` is `compress24(parameter ‖ tree_tweak(level, pos) ‖ left ‖ right)`.

use p3_field::{Algebra, PackedValue, PrimeCharacteristicRing};
use p3_symmetric::Permutation;
use rayon::prelude::*;

use crate::field::{Digest, F, HASH_LEN, PackedF, Parameter};
use crate::poseidon::{Poseidon24, compress, poseidon24};
use crate::tweak::tree_tweak;

/// One layer of a (sparse) tree: the nodes at positions `start..start + nodes.len()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Layer {
    pub start: u64,
    pub nodes: Vec<Digest>,
}

/// Consecutive layers `lowest_layer..` of a tree of depth `depth`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SubTree {
    pub depth: u64,
    pub lowest_layer: u64,
    pub layers: Vec<Layer>,
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

/// The parent of `left` and `right`; `level` and `pos` are the parent's.
pub(crate) fn parent(parameter: &Parameter, level: u8, pos: u32, left: &Digest, right: &Digest) -> Digest {
    node(parameter, &tree_tweak(level, pos), left, right)
}

/// Hashes pairs of `children` (an even number, the first at an even position) into the parents at `level`,
/// the first parent being at `parent_start`. Packed over SIMD lanes and rayon for wide layers.
pub(crate) fn hash_layer(
    parameter: &Parameter,
    level: u8,
    parent_start: u64,
    children: &[Digest],
) -> Vec<Digest> {
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
        parents[k] = parent(
            parameter,
            level,
            (parent_start + k as u64) as u32,
            &children[2 * k],
            &children[2 * k + 1],
        );
    }
    parents
}

impl SubTree {
    /// Bottom tree `index` of a tree of depth `depth` from its `2^(depth/2)` leaves.
    pub fn bottom(parameter: &Parameter, depth: u32, index: u64, leaves: Vec<Digest>) -> Self {
        let half = depth / 2;
        debug_assert_eq!(leaves.len() as u64, 1u64 << half);
        let mut layers = vec![Layer { start: index << half, nodes: leaves }];
        for level in 1..=half {
            let prev = &layers[(level - 1) as usize];
            let start = prev.start >> 1;
            let nodes = hash_layer(parameter, level as u8, start, &prev.nodes);
            layers.push(Layer { start, nodes });
        }
        SubTree { depth: u64::from(depth), lowest_layer: 0, layers }
    }

    /// The top tree over the consecutive bottom roots starting at bottom tree `start_index`.
    /// `pad(level, pos)` supplies the padding node at a position outside the range.
    pub fn top(
        parameter: &Parameter,
        depth: u32,
        start_index: u64,
        roots: Vec<Digest>,
        mut pad: impl FnMut(u32, u64) -> Digest,
    ) -> Self {
        let half = depth / 2;
        let mut layers = Vec::with_capacity(half as usize + 1);
        let mut current = Layer { start: start_index, nodes: roots };
        for level in half..depth {
            pad_layer(&mut current, level, &mut pad);
            let start = current.start >> 1;
            let nodes = hash_layer(parameter, (level + 1) as u8, start, &current.nodes);
            layers.push(current);
            current = Layer { start, nodes };
        }
        pad_layer(&mut current, depth, &mut pad);
        layers.push(current);
        SubTree { depth: u64::from(depth), lowest_layer: u64::from(half), layers }
    }

    /// The root: node 0 of the last layer.
    pub fn root(&self) -> Option<Digest> {
        self.layers.last().and_then(|l| l.nodes.first()).copied()
    }

    /// Appends the siblings of `position` (in the lowest layer) on the way up `levels` layers.
    /// `None` if the tree does not hold a sibling (a malformed or wrong tree).
    pub fn co_path(&self, position: u64, levels: u32, out: &mut Vec<Digest>) -> Option<()> {
        let mut pos = position;
        for layer in self.layers.get(..levels as usize)? {
            let offset = (pos ^ 1).checked_sub(layer.start)?;
            out.push(*layer.nodes.get(usize::try_from(offset).ok()?)?);
            pos >>= 1;
        }
        Some(())
    }
}

fn pad_layer(layer: &mut Layer, level: u32, pad: &mut impl FnMut(u32, u64) -> Digest) {
    if layer.start & 1 == 1 {
        layer.start -= 1;
        layer.nodes.insert(0, pad(level, layer.start));
    }
    if (layer.start + layer.nodes.len() as u64) & 1 == 1 {
        let pos = layer.start + layer.nodes.len() as u64;
        layer.nodes.push(pad(level, pos));
    }
}

/// Recomputes the root from a leaf at `position` and its co-path (siblings from the leaf level up).
pub(crate) fn root_from_path(
    parameter: &Parameter,
    position: u32,
    leaf: Digest,
    co_path: &[Digest],
) -> Digest {
    let mut current = leaf;
    let mut pos = position;
    for (l, sibling) in co_path.iter().enumerate() {
        let (left, right) = if pos & 1 == 0 { (current, *sibling) } else { (*sibling, current) };
        pos >>= 1;
        current = parent(parameter, (l + 1) as u8, pos, &left, &right);
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(seed: u32) -> Digest {
        core::array::from_fn(|i| F::from_u32(seed * 8 + i as u32))
    }

    #[test]
    fn packed_layer_matches_scalar_parents() {
        let parameter: Parameter = core::array::from_fn(|i| F::from_u32(i as u32 + 5));
        let children: Vec<Digest> = (0..70).map(digest).collect();
        let parents = hash_layer(&parameter, 3, 10, &children);
        for (k, p) in parents.iter().enumerate() {
            assert_eq!(*p, parent(&parameter, 3, 10 + k as u32, &children[2 * k], &children[2 * k + 1]));
        }
    }

    #[test]
    fn every_leaf_opens_to_the_root() {
        let parameter: Parameter = core::array::from_fn(|i| F::from_u32(i as u32 + 9));
        let depth = 8;
        let (first, count) = (3u64, 5u64); // bottom trees 3..8, a ragged top layer
        let bottoms: Vec<SubTree> = (first..first + count)
            .map(|j| {
                SubTree::bottom(&parameter, depth, j, (0..16).map(|i| digest((j * 16 + i) as u32)).collect())
            })
            .collect();
        let roots = bottoms.iter().map(|b| b.root().unwrap()).collect();
        let top = SubTree::top(&parameter, depth, first, roots, |l, p| digest(10_000 + l * 100 + p as u32));
        let root = top.root().unwrap();
        for (j, bottom) in (first..).zip(&bottoms) {
            for i in 0..16u64 {
                let epoch = j * 16 + i;
                let mut path = Vec::new();
                bottom.co_path(epoch, depth / 2, &mut path).unwrap();
                top.co_path(j, depth / 2, &mut path).unwrap();
                assert_eq!(path.len(), depth as usize);
                assert_eq!(root_from_path(&parameter, epoch as u32, digest(epoch as u32), &path), root);
            }
        }
    }
}
