//! Hash consistency of a decoded secret key, for imports: a key whose trees do not hash to its public key
//! would sign garbage. Signing self-verifies anyway; this catches a bad import before it is trusted.

use crate::backend::TweakableHash;
use crate::instance::{Digest, Instance, Parameter};
use crate::secret_key::SecretKey;
use crate::tree::SubTree;

/// What [`SecretKey::check_consistency`] found wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsistencyError {
    /// A node of the named tree is not the hash of its children.
    #[error("{0}: a node is not the hash of its children")]
    NodeMismatch(&'static str),
    /// A bottom tree's root is not the node the top tree commits to.
    #[error("{0} bottom tree's root differs from the top tree's node")]
    BottomRootMismatch(&'static str),
}

fn check_tree<I: Instance>(
    parameter: &Parameter<I>,
    tree: &SubTree<Digest<I>>,
    name: &'static str,
) -> Result<(), ConsistencyError> {
    for (k, pair) in tree.layers.windows(2).enumerate() {
        let (children, parents) = (&pair[0], &pair[1]);
        let level = (tree.lowest_layer + k as u64 + 1) as u8;
        let computed = I::Hash::hash_layer(parameter, level, children.start >> 1, &children.nodes);
        // Every stored parent whose children are stored must be their hash; the rest is padding.
        let first = children.start >> 1;
        let ok = parents.nodes.iter().enumerate().all(|(i, stored)| {
            let pos = parents.start + i as u64;
            pos.checked_sub(first).and_then(|k| computed.get(k as usize)).is_none_or(|c| c == stored)
        });
        let covered = (first..first + computed.len() as u64)
            .all(|pos| pos >= parents.start && pos < parents.start + parents.nodes.len() as u64);
        let ok = ok && covered;
        if !ok {
            return Err(ConsistencyError::NodeMismatch(name));
        }
    }
    Ok(())
}

impl<I: Instance> SecretKey<I> {
    /// Re-hashes the top tree and both prepared bottom trees and checks the bottom roots against the top tree.
    /// Costs about `2^(h/2+1)` node hashes (a fraction of a second for Devnet 4); leaves are not recomputed.
    pub fn check_consistency(&self) -> Result<(), ConsistencyError> {
        check_tree::<I>(&self.parameter, &self.top, "top tree")?;
        check_tree::<I>(&self.parameter, &self.left, "left bottom tree")?;
        check_tree::<I>(&self.parameter, &self.right, "right bottom tree")?;
        // A bottom tree of the window that holds no active epoch has no root to compare.
        let differs = |tree: &SubTree<Digest<I>>, index| {
            !tree.layers.is_empty() && tree.root() != self.top.lowest(index)
        };
        if differs(&self.left, self.left_index) {
            return Err(ConsistencyError::BottomRootMismatch("left"));
        }
        if differs(&self.right, self.left_index + 1) {
            return Err(ConsistencyError::BottomRootMismatch("right"));
        }
        Ok(())
    }
}
