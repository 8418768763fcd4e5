//! The Merkle tree of one key, split into a top tree and bottom trees (leanSig's layout), for every back-end.
//!
//! The full tree has depth `h = LOG_LIFETIME`. Bottom tree `j` holds the leaves of epochs
//! `[j·2^(h/2), (j+1)·2^(h/2))` and its root is node `j` of level `h/2`. The top tree holds levels `h/2..=h`
//! above the bottom roots of the activation range. A key holds only the nodes its range reaches: every
//! layer is padded to start at an even position and end at an odd one with filler nodes, so each parent
//! has two children. That is leanSig's padded top tree and leanVM's filler rule alike: a node whose span
//! misses the range is a filler, every other node is the hash of its children. Node `(level, pos)` is the
//! back-end's [`TweakableHash::parent`].

use crate::backend::{Element, TweakableHash};

/// One layer of a (sparse) tree: the nodes at positions `start..start + nodes.len()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Layer<D> {
    pub start: u64,
    pub nodes: Vec<D>,
}

/// Consecutive layers `lowest_layer..` of a tree of depth `depth`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SubTree<D> {
    pub depth: u64,
    pub lowest_layer: u64,
    pub layers: Vec<Layer<D>>,
}

impl<D: Element> SubTree<D> {
    /// Bottom tree `index` of a tree of depth `depth` from all its `2^(depth/2)` leaves.
    pub fn bottom<H: TweakableHash<Digest = D>>(
        parameter: &H::Parameter,
        depth: u32,
        index: u64,
        leaves: Vec<D>,
    ) -> Self {
        let half = depth / 2;
        debug_assert_eq!(leaves.len() as u64, 1u64 << half);
        let mut layers = vec![Layer { start: index << half, nodes: leaves }];
        for level in 1..=half {
            let prev = &layers[(level - 1) as usize];
            let start = prev.start >> 1;
            let nodes = H::hash_layer(parameter, level as u8, start, &prev.nodes);
            layers.push(Layer { start, nodes });
        }
        SubTree { depth: u64::from(depth), lowest_layer: 0, layers }
    }

    /// The levels `from_level..=to_level` above the consecutive nodes `nodes` of `from_level`, the first at
    /// `start`. Every layer below `to_level` is padded by `pad(level, position)`; `to_level` itself only when
    /// `pad_last` (leanSig's top tree pads its root layer; a bottom tree's root layer is the top tree's).
    /// This is the top tree over bottom roots, and a bottom tree over part of its leaves.
    #[allow(clippy::too_many_arguments)] // each argument is one coordinate of the tree; a struct would only rename them
    pub fn sparse<H: TweakableHash<Digest = D>>(
        parameter: &H::Parameter,
        depth: u32,
        from_level: u32,
        to_level: u32,
        start: u64,
        nodes: Vec<D>,
        pad_last: bool,
        mut pad: impl FnMut(u32, u64) -> D,
    ) -> Self {
        let mut layers = Vec::with_capacity((to_level - from_level) as usize + 1);
        let mut current = Layer { start, nodes };
        for level in from_level..to_level {
            pad_layer(&mut current, level, &mut pad);
            let start = current.start >> 1;
            let nodes = H::hash_layer(parameter, (level + 1) as u8, start, &current.nodes);
            layers.push(current);
            current = Layer { start, nodes };
        }
        if pad_last {
            pad_layer(&mut current, to_level, &mut pad);
        }
        layers.push(current);
        SubTree { depth: u64::from(depth), lowest_layer: u64::from(from_level), layers }
    }

    /// A tree that holds nothing (a bottom tree of the window with no active epoch).
    pub fn empty(depth: u32) -> Self {
        SubTree { depth: u64::from(depth), lowest_layer: 0, layers: Vec::new() }
    }

    /// The root: node 0 of the last layer.
    pub fn root(&self) -> Option<D> {
        self.layers.last().and_then(|l| l.nodes.first()).copied()
    }

    /// The node at `position` of the lowest layer, if held.
    pub fn lowest(&self, position: u64) -> Option<D> {
        let layer = self.layers.first()?;
        layer.nodes.get(usize::try_from(position.checked_sub(layer.start)?).ok()?).copied()
    }

    /// Appends the siblings of `position` (in the lowest layer) on the way up `levels` layers.
    /// `None` if the tree does not hold a sibling (a malformed or wrong tree).
    pub fn co_path(&self, position: u64, levels: u32, out: &mut Vec<D>) -> Option<()> {
        let mut pos = position;
        for layer in self.layers.get(..levels as usize)? {
            let offset = (pos ^ 1).checked_sub(layer.start)?;
            out.push(*layer.nodes.get(usize::try_from(offset).ok()?)?);
            pos >>= 1;
        }
        Some(())
    }
}

fn pad_layer<D>(layer: &mut Layer<D>, level: u32, pad: &mut impl FnMut(u32, u64) -> D) {
    if layer.start & 1 == 1 {
        layer.start -= 1;
        layer.nodes.insert(0, pad(level, layer.start));
    }
    let end = layer.start + layer.nodes.len() as u64;
    if end & 1 == 1 {
        layer.nodes.push(pad(level, end));
    }
}

/// Recomputes the root from a leaf at `position` and its co-path (siblings from the leaf level up).
pub(crate) fn root_from_path<H: TweakableHash>(
    parameter: &H::Parameter,
    position: u32,
    leaf: H::Digest,
    co_path: &[H::Digest],
) -> H::Digest {
    let mut current = leaf;
    let mut pos = position;
    for (l, sibling) in co_path.iter().enumerate() {
        let (left, right) = if pos & 1 == 0 { (current, *sibling) } else { (*sibling, current) };
        pos >>= 1;
        current = H::parent(parameter, (l + 1) as u8, pos, &left, &right);
    }
    current
}

/// The scalar reference for [`TweakableHash::hash_layer`]: one parent at a time.
#[cfg(test)]
pub(crate) fn hash_layer_scalar<H: TweakableHash>(
    parameter: &H::Parameter,
    level: u8,
    parent_start: u64,
    children: &[H::Digest],
) -> Vec<H::Digest> {
    children
        .chunks_exact(2)
        .enumerate()
        .map(|(k, pair)| H::parent(parameter, level, (parent_start + k as u64) as u32, &pair[0], &pair[1]))
        .collect()
}
