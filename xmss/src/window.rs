//! The prepared window: the two consecutive bottom trees a key can sign from, and moving it forward.
//!
//! Advancing has an expensive half (computing the next bottom tree: about 2^(h/2) leaves, each a full set of
//! chain walks) and a cheap half (installing it). The expensive half needs only the PRF key, the parameter,
//! the activation range and the tree's index, so a key hands it out as a [`WindowJob`] that another thread
//! runs while the key keeps signing; the tree comes back as a [`PreparedBottomTree`] and is installed only if
//! it hashes to the key's own top-tree node at that index.

use core::fmt;
use core::ops::Range;

use crate::backend::TweakableHash;
use crate::error::KeyError;
use crate::instance::{Digest, Instance, Parameter};
use crate::secret_key::{PRF_KEY_LEN, SecretKey, SharedPrfKey};
use crate::tree::SubTree;

/// A bottom tree computed ahead of time, to be installed with [`SecretKey::install_next`].
pub struct PreparedBottomTree<I: Instance> {
    index: u64,
    tree: SubTree<Digest<I>>,
}

impl<I: Instance> PreparedBottomTree<I> {
    /// The bottom-tree index it covers.
    pub fn index(&self) -> u64 {
        self.index
    }
}

impl<I: Instance> fmt::Debug for PreparedBottomTree<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedBottomTree").field("instance", &I::NAME).field("index", &self.index).finish()
    }
}

/// The expensive half of one window advance, detached from its key so that it can run on another thread
/// ([`SecretKey::window_job`]). It shares the key's PRF key (one copy of the secret, zeroized when the last
/// holder drops it); it is not `Clone` and its `Debug` output names no secret.
pub struct WindowJob<I: Instance> {
    prf_key: SharedPrfKey,
    parameter: Parameter<I>,
    index: u64,
    activation: Range<u64>,
}

impl<I: Instance> WindowJob<I> {
    /// The bottom-tree index this job computes.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// Computes the bottom tree. Pure and deterministic: running a job twice gives the same tree.
    pub fn run(self) -> PreparedBottomTree<I> {
        // Exact ranges pad with fillers keyed on the PRF key (`check` makes sure the back-end does that).
        let tree =
            bottom_tree::<I>(&self.prf_key, &self.prf_key, &self.parameter, self.index, &self.activation);
        PreparedBottomTree { index: self.index, tree }
    }
}

impl<I: Instance> fmt::Debug for WindowJob<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WindowJob")
            .field("instance", &I::NAME)
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<I: Instance> SecretKey<I> {
    /// The epochs the key can sign right now without advancing: the active epochs of two bottom trees.
    pub fn prepared(&self) -> Range<u64> {
        let c = I::LEAVES_PER_BOTTOM_TREE;
        let active = self.activation();
        let start = (self.left_index * c).max(active.start);
        start..((self.left_index + 2) * c).min(active.end).max(start)
    }

    /// Whether the window can still move forward within the activation range.
    pub fn can_advance(&self) -> bool {
        (self.left_index + 2) * I::LEAVES_PER_BOTTOM_TREE < self.activation().end
    }

    /// The job that computes the bottom tree the next advance needs, to run anywhere (another thread) while
    /// this key keeps signing; install its result with [`SecretKey::install_next`].
    pub fn window_job(&self) -> Result<WindowJob<I>, KeyError> {
        if !self.can_advance() {
            return Err(KeyError::ActivationExhausted { end: self.activation().end });
        }
        Ok(WindowJob {
            prf_key: SharedPrfKey::clone(&self.prf_key),
            parameter: self.parameter,
            index: self.left_index + 2,
            activation: self.activation(),
        })
    }

    /// Computes the bottom tree that the next advance needs, without changing the key (on this thread; see
    /// [`SecretKey::window_job`] to run it elsewhere).
    pub fn prepare_next(&self) -> Result<PreparedBottomTree<I>, KeyError> {
        Ok(self.window_job()?.run())
    }

    /// Moves the window one bottom tree forward using a tree from [`SecretKey::prepare_next`] or a
    /// [`WindowJob`]. Refuses (returning the tree) if it is not the tree this key needs next: another index
    /// (the window moved meanwhile), or a tree that does not hash to the key's top-tree node.
    pub fn install_next(&mut self, next: PreparedBottomTree<I>) -> Result<(), PreparedBottomTree<I>> {
        if next.index != self.left_index + 2 || next.tree.root() != self.top.lowest(next.index) {
            return Err(next);
        }
        self.left = core::mem::replace(&mut self.right, next.tree);
        self.left_index += 1;
        Ok(())
    }

    /// Moves the prepared window forward by one bottom tree (computes and installs it).
    pub fn advance(&mut self) -> Result<(), KeyError> {
        let next = self.prepare_next()?;
        let index = next.index;
        self.install_next(next).map_err(|_| KeyError::InconsistentTree { index })
    }
}

/// Bottom tree `index` restricted to the `active` epochs: the full tree when it lies inside them, a tree
/// padded with fillers around them at the ends of an exact range, an empty tree when it holds none.
pub(crate) fn bottom_tree<I: Instance>(
    prf_key: &[u8; PRF_KEY_LEN],
    pad_key: &[u8; 32],
    parameter: &Parameter<I>,
    index: u64,
    active: &Range<u64>,
) -> SubTree<Digest<I>> {
    let c = I::LEAVES_PER_BOTTOM_TREE;
    let (from, to) = (active.start.max(index * c), active.end.min((index + 1) * c));
    if from >= to {
        return SubTree::empty(I::LOG_LIFETIME);
    }
    let leaves = I::Hash::leaves(prf_key, parameter, from..to, I::DIMENSION, I::BASE);
    if to - from == c {
        return SubTree::bottom::<I::Hash>(parameter, I::LOG_LIFETIME, index, leaves);
    }
    let pad = |level: u32, position: u64| I::Hash::filler(pad_key, level, position);
    SubTree::sparse::<I::Hash>(parameter, I::LOG_LIFETIME, 0, I::LOG_LIFETIME / 2, from, leaves, false, pad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TestInstance;

    /// A key whose top tree no longer matches its bottom trees says so, rather than claiming exhaustion,
    /// and stays where it was.
    #[test]
    fn advance_on_a_corrupted_top_tree_names_the_tree() {
        let (mut sk, _) = SecretKey::<TestInstance>::from_seed(&[4; 32], 0, 128).expect("keygen");
        let index = sk.left_index + 2;
        let layer = &mut sk.top.layers[0];
        let at = usize::try_from(index - layer.start).expect("small index");
        layer.nodes[at][0] += <crate::field::F as p3_field::PrimeCharacteristicRing>::ONE;
        let window = sk.prepared();
        assert_eq!(sk.advance(), Err(KeyError::InconsistentTree { index }));
        assert_eq!(sk.prepared(), window);
    }

    /// A job run on another thread while the key is in use gives the tree an in-place advance computes, and
    /// a tree for an index the window has already passed is refused without moving it.
    #[test]
    fn a_job_from_another_thread_installs_and_a_stale_tree_is_refused() {
        let (mut sk, _) = SecretKey::<TestInstance>::from_seed(&[5; 32], 0, 128).expect("keygen");
        let job = sk.window_job().expect("the window can advance");
        let index = job.index();
        let tree = std::thread::spawn(move || job.run()).join().expect("job thread");
        assert_eq!(tree.index(), index);
        let stale = sk.prepare_next().expect("same job again");
        sk.install_next(tree).expect("the tree the key needs next");
        let window = sk.prepared();
        assert_eq!(sk.install_next(stale).map_err(|t| t.index()), Err(index));
        assert_eq!(sk.prepared(), window);
    }

    /// A job's `Debug` output carries its index and instance only.
    #[test]
    fn job_debug_names_no_secret() {
        let (sk, _) = SecretKey::<TestInstance>::from_seed(&[6; 32], 0, 128).expect("keygen");
        let shown = format!("{:?}", sk.window_job().expect("job"));
        assert!(shown.starts_with("WindowJob {") && shown.contains("index"), "{shown}");
        assert!(!shown.contains("prf"), "{shown}");
    }
}
