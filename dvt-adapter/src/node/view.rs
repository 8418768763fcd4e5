//! Fork choice: the certified blocks the node knows, its head, its target.

use ndvt_aggregation::Scheme;
use tree_hash::Hash256;

use super::{ChainStore, NodeCore};
use crate::containers::Checkpoint;

impl<S: Scheme, G> NodeCore<S, G> {
    /// Learns the certified block `root` and its ancestors (fetched by root); moves the head forward.
    pub(super) fn learn_block(&mut self, root: [u8; 32], chain: &impl ChainStore) {
        let mut cur = root;
        while !self.known.contains(&cur) {
            let Some(h) = chain.block(&cur) else { return };
            self.known.insert(cur);
            cur = h.parent_root.0;
        }
        // Fork choice: the highest certified block that descends from the justified checkpoint (a block on
        // a branch that skips it, built by a proposer with a stale view, never becomes head).
        if let Some(h) = chain.block(&root)
            && h.slot > self.head.slot
        {
            let cp = Checkpoint { root: Hash256::from(root), slot: h.slot };
            if descends(chain, cp, chain.justified()) {
                self.head = cp;
            }
        }
    }

    /// After justification moved: a head that left the justified branch falls back to the justified
    /// checkpoint (fetching it by root) and then to the highest known block on that branch.
    pub(super) fn refocus(&mut self, chain: &impl ChainStore) {
        let justified = chain.justified();
        if descends(chain, self.head, justified) {
            return;
        }
        self.learn_block(justified.root.0, chain);
        let mut best = justified;
        for root in &self.known {
            if let Some(h) = chain.block(root) {
                let cp = Checkpoint { root: Hash256::from(*root), slot: h.slot };
                if cp.slot > best.slot && descends(chain, cp, justified) {
                    best = cp;
                }
            }
        }
        self.head = best;
    }
}

/// True if `cp` is `ancestor` or one of its descendants.
pub(super) fn descends(chain: &impl ChainStore, mut cp: Checkpoint, ancestor: Checkpoint) -> bool {
    while cp.slot > ancestor.slot {
        cp = parent(chain, cp);
    }
    cp == ancestor
}

/// The checkpoint of `cp`'s parent (genesis for an unknown block).
pub(super) fn parent(chain: &impl ChainStore, cp: Checkpoint) -> Checkpoint {
    match chain.block(&cp.root.0) {
        Some(h) => {
            let slot = chain.block(&h.parent_root.0).map_or(0, |p| p.slot);
            Checkpoint { root: h.parent_root, slot }
        }
        None => chain.genesis(),
    }
}

/// The latest ancestor of `cp` (inclusive) below `slot`.
pub(super) fn ancestor_below(chain: &impl ChainStore, mut cp: Checkpoint, slot: u64) -> Checkpoint {
    while cp.slot >= slot && cp.slot > 0 {
        cp = parent(chain, cp);
    }
    cp
}
