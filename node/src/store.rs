//! The node's own block store: the certified headers it received or built, and the justified checkpoint its
//! justifier (`ndvt_adapter::node::aggregate`) derived from the aggregates it verified.

use std::collections::HashMap;

use ndvt_adapter::containers::{BlockHeader, Checkpoint};
use ndvt_adapter::node::ChainStore;

/// Headers by root, bounded: old headers are never needed again once far below the head.
pub struct Store {
    blocks: HashMap<[u8; 32], BlockHeader>,
    genesis: Checkpoint,
    justified: Checkpoint,
}

/// More headers than any devnet run makes (200 slots of at most a few forks); a flood past it is refused.
const MAX_BLOCKS: usize = 4096;

impl Store {
    /// A store that knows only genesis.
    pub fn new(genesis: Checkpoint) -> Self {
        Store { blocks: HashMap::new(), genesis, justified: genesis }
    }

    /// Moves the justified checkpoint (the justifier only ever moves it forward).
    pub fn justify(&mut self, checkpoint: Checkpoint) {
        self.justified = checkpoint;
    }
}

impl ChainStore for Store {
    fn block(&self, root: &[u8; 32]) -> Option<BlockHeader> {
        self.blocks.get(root).copied()
    }
    fn insert(&mut self, header: BlockHeader) {
        if self.blocks.len() < MAX_BLOCKS {
            self.blocks.insert(header.root(), header);
        }
    }
    fn justified(&self) -> Checkpoint {
        self.justified
    }
    fn genesis(&self) -> Checkpoint {
        self.genesis
    }
}
