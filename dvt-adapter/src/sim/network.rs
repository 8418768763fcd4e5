//! The network model: one-way latency plus uniform jitter, independent loss, and partitions that cut a set
//! of nodes off from every other node for a slot range. Deterministic under the run's RNG.

use rand_chacha::ChaCha8Rng;
use rand_core::Rng;

use super::scenario::NetworkConfig;

/// A partition resolved to node ids.
#[derive(Clone, Debug)]
pub struct Partition {
    /// Isolated nodes.
    pub nodes: Vec<usize>,
    /// First slot.
    pub from_slot: u64,
    /// First slot after.
    pub until_slot: u64,
}

/// The network.
#[derive(Debug)]
pub struct Network {
    config: NetworkConfig,
    partitions: Vec<Partition>,
    rng: ChaCha8Rng,
    /// Messages sent.
    pub sent: u64,
    /// Messages lost or cut by a partition.
    pub dropped: u64,
}

impl Network {
    /// A network with its own RNG stream.
    pub fn new(config: NetworkConfig, partitions: Vec<Partition>, rng: ChaCha8Rng) -> Self {
        Network { config, partitions, rng, sent: 0, dropped: 0 }
    }

    /// A uniform draw in `0..bound` (0 when `bound` is 0).
    pub fn uniform(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.rng.next_u64() % bound }
    }

    fn cut(&self, from: usize, to: usize, slot: u64) -> bool {
        self.partitions.iter().any(|p| {
            slot >= p.from_slot && slot < p.until_slot && (p.nodes.contains(&from) != p.nodes.contains(&to))
        })
    }

    /// The delay of one message, or `None` if it is lost. A node's messages to itself are instant.
    pub fn delay(&mut self, from: usize, to: usize, slot: u64) -> Option<u64> {
        self.sent += 1;
        if from == to {
            return Some(0);
        }
        if self.cut(from, to, slot) {
            self.dropped += 1;
            return None;
        }
        // 53 random bits as a fraction in [0, 1).
        let draw = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        if draw < self.config.loss {
            self.dropped += 1;
            return None;
        }
        Some(self.config.latency_ms + self.uniform(self.config.jitter_ms + 1))
    }
}

#[cfg(test)]
mod tests {
    use rand_core::SeedableRng;

    use super::*;

    #[test]
    fn partitions_cut_both_ways_and_only_across() {
        let p = Partition { nodes: vec![1, 2], from_slot: 5, until_slot: 7 };
        let mut n = Network::new(
            NetworkConfig { latency_ms: 10, jitter_ms: 0, loss: 0.0 },
            vec![p],
            ChaCha8Rng::seed_from_u64(1),
        );
        assert_eq!(n.delay(0, 1, 5), None);
        assert_eq!(n.delay(1, 0, 6), None);
        assert_eq!(n.delay(1, 2, 5), Some(10));
        assert_eq!(n.delay(0, 1, 7), Some(10));
        assert_eq!(n.delay(3, 3, 5), Some(0));
    }

    #[test]
    fn loss_and_jitter_follow_the_config() {
        let cfg = NetworkConfig { latency_ms: 100, jitter_ms: 50, loss: 0.3 };
        let mut n = Network::new(cfg, vec![], ChaCha8Rng::seed_from_u64(2));
        let delays: Vec<_> = (0..10_000).map(|_| n.delay(0, 1, 0)).collect();
        let lost = delays.iter().filter(|d| d.is_none()).count() as f64 / 10_000.0;
        assert!((lost - 0.3).abs() < 0.02, "lost {lost}");
        assert!(delays.iter().flatten().all(|d| (100..=150).contains(d)));
    }
}
