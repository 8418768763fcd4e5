//! A node's view of the chain: the certified blocks it knows, its head, its target.

use tree_hash::Hash256;

use super::engine::Simulation;
use crate::containers::Checkpoint;

impl Simulation {
    /// Teaches node `id` the certified block `root` and its ancestors; moves its head forward.
    pub(super) fn learn_block(&mut self, id: usize, root: [u8; 32]) {
        let mut cur = root;
        while !self.nodes[id].known.contains(&cur) {
            let Some(h) = self.blocks.get(&cur) else { return };
            self.nodes[id].known.insert(cur);
            cur = h.parent_root.0;
        }
        // Fork choice: the highest certified block that descends from the justified checkpoint (a block on
        // a branch that skips it, built by a proposer with a stale view, never becomes head).
        if let Some(h) = self.blocks.get(&root).copied()
            && h.slot > self.nodes[id].head.slot
        {
            let cp = Checkpoint { root: Hash256::from(root), slot: h.slot };
            if self.descends(cp, self.justified) {
                self.nodes[id].head = cp;
            }
        }
    }

    /// True if `cp` is `ancestor` or one of its descendants.
    pub(super) fn descends(&self, mut cp: Checkpoint, ancestor: Checkpoint) -> bool {
        while cp.slot > ancestor.slot {
            cp = self.parent(cp);
        }
        cp == ancestor
    }

    /// After justification moved: a node whose head left the justified branch falls back to the justified
    /// checkpoint (fetching it by root) and then to the highest known block on that branch.
    pub(super) fn refocus(&mut self, id: usize) {
        let justified = self.justified;
        if self.descends(self.nodes[id].head, justified) {
            return;
        }
        self.learn_block(id, justified.root.0);
        self.nodes[id].head = justified;
        let mut best = justified;
        for root in &self.nodes[id].known {
            if let Some(h) = self.blocks.get(root) {
                let cp = Checkpoint { root: Hash256::from(*root), slot: h.slot };
                if cp.slot > best.slot && self.descends(cp, justified) {
                    best = cp;
                }
            }
        }
        self.nodes[id].head = best;
    }

    /// The checkpoint of `root`'s parent.
    pub(super) fn parent(&self, cp: Checkpoint) -> Checkpoint {
        match self.blocks.get(&cp.root.0) {
            Some(h) => {
                let slot = self.blocks.get(&h.parent_root.0).map_or(0, |p| p.slot);
                Checkpoint { root: h.parent_root, slot }
            }
            None => self.genesis,
        }
    }

    /// The latest ancestor of `cp` (inclusive) below `slot`.
    pub(super) fn ancestor_below(&self, mut cp: Checkpoint, slot: u64) -> Checkpoint {
        while cp.slot >= slot && cp.slot > 0 {
            cp = self.parent(cp);
        }
        cp
    }
}
