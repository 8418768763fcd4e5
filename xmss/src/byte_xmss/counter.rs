//! Counting hash calls and compression/permutation blocks, summed over every thread.
//!
//! Each thread owns its counters and is their only writer, so a count is a plain load and store (no locked
//! instruction, no shared cache line on the hot path); [`totals`] adds up every thread that has ever hashed.
//! The benchmark reads totals before and after an operation.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Counts {
    calls: AtomicU64,
    blocks: AtomicU64,
}

static REGISTRY: Mutex<Vec<Arc<Counts>>> = Mutex::new(Vec::new());

thread_local! {
    static LOCAL: Arc<Counts> = {
        let counts = Arc::new(Counts::default());
        REGISTRY.lock().unwrap_or_else(|e| e.into_inner()).push(Arc::clone(&counts));
        counts
    };
}

/// Adds `calls` primitive calls costing `blocks` blocks in all to this thread's counters.
#[inline]
pub(crate) fn record(calls: u64, blocks: u64) {
    LOCAL.with(|c| {
        c.calls.store(c.calls.load(Relaxed) + calls, Relaxed);
        c.blocks.store(c.blocks.load(Relaxed) + blocks, Relaxed);
    });
}

/// Hash and PRF calls made by the byte-oriented back-ends so far, over all threads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HashCount {
    /// Primitive calls (tweakable hash, message hash and PRF).
    pub calls: u64,
    /// Compression-function calls (BLAKE3) or Keccak-f\[1600\] permutations (SHA-3) those calls cost.
    pub blocks: u64,
}

impl HashCount {
    /// The calls made since `earlier`.
    pub fn since(self, earlier: HashCount) -> HashCount {
        HashCount { calls: self.calls - earlier.calls, blocks: self.blocks - earlier.blocks }
    }
}

/// The running totals.
pub fn totals() -> HashCount {
    let registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    registry.iter().fold(HashCount::default(), |acc, c| HashCount {
        calls: acc.calls + c.calls.load(Relaxed),
        blocks: acc.blocks + c.blocks.load(Relaxed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_other_threads_are_included() {
        let before = totals();
        record(2, 5);
        std::thread::spawn(|| record(3, 7)).join().unwrap();
        let delta = totals().since(before);
        // Other tests may hash concurrently: the delta is at least ours.
        assert!(delta.calls >= 5 && delta.blocks >= 12);
    }
}
