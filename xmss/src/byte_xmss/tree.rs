//! The Merkle tree of a byte-oriented key: bottom trees of `2^(h/2)` leaves under a top tree over their
//! roots (the same layout as the Poseidon back-end and leanSig). Node `(level, position)` is
//! `H(parameter ‖ tweak(level, position) ‖ left ‖ right)`. Top-tree layers are padded to start at an even
//! position and end at an odd one with pseudorandom nodes, so keys need only their activation range.

use rayon::prelude::*;

use crate::byte_xmss::hash::{BATCH, Digest, Parameter, Tweak, TweakableHash, tweak_hash, tweak_hash_x8};

/// The nodes at positions `start..start + nodes.len()` of one level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Layer {
    pub start: u64,
    pub nodes: Vec<Digest>,
}

/// Consecutive levels of a tree, lowest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SubTree {
    pub layers: Vec<Layer>,
}

/// The parent at (`level`, `position`) of `left` and `right`.
pub(crate) fn parent<H: TweakableHash>(
    parameter: &Parameter,
    level: u8,
    position: u32,
    left: &Digest,
    right: &Digest,
) -> Digest {
    tweak_hash::<H>(parameter, Tweak::Tree { level, position }, &[left, right])
}

/// Hashes the pairs of `children` into parents at `level`, the first at `parent_start`; eight at a time,
/// and wide layers across threads.
pub(crate) fn hash_layer<H: TweakableHash>(
    parameter: &Parameter,
    level: u8,
    parent_start: u64,
    children: &[Digest],
) -> Vec<Digest> {
    let count = children.len() / 2;
    let mut parents = vec![[0u8; 32]; count];
    let full = count / BATCH * BATCH;
    let batch = |first: u64, out: &mut [Digest], kids: &[Digest]| {
        let tweaks = core::array::from_fn(|l| Tweak::Tree { level, position: (first + l as u64) as u32 });
        let data = core::array::from_fn(|l| [&kids[2 * l][..], &kids[2 * l + 1][..]]);
        out.copy_from_slice(&tweak_hash_x8::<H>(parameter, tweaks, data, BATCH));
    };
    // Below a few thousand parents the thread hand-off costs more than it saves.
    if full >= 4096 {
        parents[..full]
            .par_chunks_mut(BATCH)
            .zip(children[..2 * full].par_chunks(2 * BATCH))
            .enumerate()
            .for_each(|(b, (out, kids))| batch(parent_start + (b * BATCH) as u64, out, kids));
    } else {
        for (b, (out, kids)) in parents[..full].chunks_mut(BATCH).zip(children.chunks(2 * BATCH)).enumerate()
        {
            batch(parent_start + (b * BATCH) as u64, out, kids);
        }
    }
    for k in full..count {
        let position = (parent_start + k as u64) as u32;
        parents[k] = parent::<H>(parameter, level, position, &children[2 * k], &children[2 * k + 1]);
    }
    parents
}

impl SubTree {
    /// Bottom tree `index` of a tree of depth `depth`, from its `2^(depth/2)` leaves.
    pub fn bottom<H: TweakableHash>(
        parameter: &Parameter,
        depth: u32,
        index: u64,
        leaves: Vec<Digest>,
    ) -> Self {
        let half = depth / 2;
        let mut layers = vec![Layer { start: index << half, nodes: leaves }];
        for level in 1..=half {
            let prev = &layers[layers.len() - 1];
            let start = prev.start >> 1;
            let nodes = hash_layer::<H>(parameter, level as u8, start, &prev.nodes);
            layers.push(Layer { start, nodes });
        }
        SubTree { layers }
    }

    /// The levels `from_level..=to_level` above the consecutive nodes `nodes` of `from_level`, starting at
    /// `start`. Below `to_level` every layer is padded by `pad(level, position)` to start at an even
    /// position and end at an odd one; `to_level` holds what the range reaches (one node for a root).
    /// This is the top tree over bottom roots, and a bottom tree over a partial range of leaves.
    pub fn sparse<H: TweakableHash>(
        parameter: &Parameter,
        from_level: u32,
        to_level: u32,
        start: u64,
        nodes: Vec<Digest>,
        mut pad: impl FnMut(u32, u64) -> Digest,
    ) -> Self {
        let mut layers = Vec::with_capacity((to_level - from_level) as usize + 1);
        let mut current = Layer { start, nodes };
        for level in from_level..to_level {
            pad_layer(&mut current, level, &mut pad);
            let start = current.start >> 1;
            let nodes = hash_layer::<H>(parameter, (level + 1) as u8, start, &current.nodes);
            layers.push(current);
            current = Layer { start, nodes };
        }
        layers.push(current);
        SubTree { layers }
    }

    /// Node 0 of the last layer.
    pub fn root(&self) -> Option<Digest> {
        self.layers.last().and_then(|l| l.nodes.first()).copied()
    }

    /// The node at `position` of the lowest layer, if held.
    pub fn lowest(&self, position: u64) -> Option<Digest> {
        let layer = self.layers.first()?;
        layer.nodes.get(usize::try_from(position.checked_sub(layer.start)?).ok()?).copied()
    }

    /// Appends the siblings of `position` (in the lowest layer) on the way up `levels` layers.
    pub fn co_path(&self, position: u64, levels: u32, out: &mut Vec<Digest>) -> Option<()> {
        let mut pos = position;
        for layer in self.layers.get(..levels as usize)? {
            let offset = usize::try_from((pos ^ 1).checked_sub(layer.start)?).ok()?;
            out.push(*layer.nodes.get(offset)?);
            pos >>= 1;
        }
        Some(())
    }

    /// Number of nodes held (for size reports).
    pub fn node_count(&self) -> usize {
        self.layers.iter().map(|l| l.nodes.len()).sum()
    }
}

fn pad_layer(layer: &mut Layer, level: u32, pad: &mut impl FnMut(u32, u64) -> Digest) {
    if layer.start & 1 == 1 {
        layer.start -= 1;
        layer.nodes.insert(0, pad(level, layer.start));
    }
    let end = layer.start + layer.nodes.len() as u64;
    if end & 1 == 1 {
        layer.nodes.push(pad(level, end));
    }
}

/// The root reached from `leaf` at `position` through its co-path.
pub(crate) fn root_from_path<H: TweakableHash>(
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
        current = parent::<H>(parameter, (l + 1) as u8, pos, &left, &right);
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::byte_xmss::{Blake3, Sha3};

    fn node(seed: u64) -> Digest {
        let mut d = [0u8; 32];
        d[..8].copy_from_slice(&seed.to_le_bytes());
        d
    }

    fn every_leaf_opens<H: TweakableHash>() {
        let parameter = [3u8; 18];
        let depth = 8;
        let (first, count) = (3u64, 5u64);
        let bottoms: Vec<SubTree> = (first..first + count)
            .map(|j| SubTree::bottom::<H>(&parameter, depth, j, (0..16).map(|i| node(j * 16 + i)).collect()))
            .collect();
        let roots = bottoms.iter().map(|b| b.root().unwrap()).collect();
        let top = SubTree::sparse::<H>(&parameter, depth / 2, depth, first, roots, |l, p| {
            node(10_000 + u64::from(l) * 100 + p)
        });
        let root = top.root().unwrap();
        for (j, bottom) in (first..).zip(&bottoms) {
            for i in 0..16u64 {
                let epoch = j * 16 + i;
                let mut path = Vec::new();
                bottom.co_path(epoch, depth / 2, &mut path).unwrap();
                top.co_path(j, depth / 2, &mut path).unwrap();
                assert_eq!(root_from_path::<H>(&parameter, epoch as u32, node(epoch), &path), root);
            }
        }
    }

    #[test]
    fn every_leaf_opens_to_the_root() {
        every_leaf_opens::<Sha3>();
        every_leaf_opens::<Blake3>();
    }

    #[test]
    fn a_partial_bottom_tree_opens_its_leaves_to_the_full_trees_root() {
        let parameter = [4u8; 18];
        let full = SubTree::bottom::<Sha3>(&parameter, 8, 2, (32..48).map(node).collect());
        // Leaves 37..42 of bottom tree 2, everything else padding taken from the full tree.
        let pad = |l: u32, p: u64| full.layers[l as usize].nodes[(p - (32 >> l)) as usize];
        let partial = SubTree::sparse::<Sha3>(&parameter, 0, 4, 37, (37..42).map(node).collect(), pad);
        assert_eq!(partial.root(), full.root());
        for epoch in 37..42u64 {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            partial.co_path(epoch, 4, &mut a).unwrap();
            full.co_path(epoch, 4, &mut b).unwrap();
            assert_eq!(a, b);
        }
        assert!(partial.co_path(33, 4, &mut Vec::new()).is_none());
    }

    #[test]
    fn batched_layer_matches_single_parents() {
        let parameter = [5u8; 18];
        let children: Vec<Digest> = (0..38).map(node).collect();
        let parents = hash_layer::<Sha3>(&parameter, 2, 6, &children);
        for (k, p) in parents.iter().enumerate() {
            assert_eq!(
                *p,
                parent::<Sha3>(&parameter, 2, 6 + k as u32, &children[2 * k], &children[2 * k + 1])
            );
        }
    }
}
