//! The network model: one-way latency plus uniform jitter, independent loss, and partitions that cut a set
//! of nodes off from every other node for a slot range. Deterministic under the run's RNG.
//!
//! The simulator routes every message through it; a networked devnet node (`ndvt-node`'s shim) routes every
//! message it receives through its own instance, with itself as the receiver, so that both apply one rule.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use super::scenario::{NetworkConfig, Scenario};

/// What the network does with one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Delivered after this many milliseconds.
    Deliver(u64),
    /// Lost (independently, with the configured probability).
    Lost,
    /// Cut by a partition between sender and receiver.
    Cut,
}

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

    /// A network whose RNG stream is seeded from `seed` (a networked node's own stream).
    pub fn seeded(config: NetworkConfig, partitions: Vec<Partition>, seed: [u8; 32]) -> Self {
        Network::new(config, partitions, ChaCha8Rng::from_seed(seed))
    }

    /// The model's parameters.
    pub fn config(&self) -> NetworkConfig {
        self.config
    }

    /// True if any partition is configured.
    pub fn has_partitions(&self) -> bool {
        !self.partitions.is_empty()
    }

    /// A uniform draw in `0..bound` (0 when `bound` is 0).
    pub fn uniform(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.rng.next_u64() % bound }
    }

    /// True if a partition separates `from` and `to` in `slot`.
    pub fn cut(&self, from: usize, to: usize, slot: u64) -> bool {
        self.partitions.iter().any(|p| {
            slot >= p.from_slot && slot < p.until_slot && (p.nodes.contains(&from) != p.nodes.contains(&to))
        })
    }

    /// The delay of one message, or `None` if it is lost. A node's messages to itself are instant.
    pub fn delay(&mut self, from: usize, to: usize, slot: u64) -> Option<u64> {
        match self.route(from, to, slot) {
            Route::Deliver(ms) => Some(ms),
            Route::Lost | Route::Cut => None,
        }
    }

    /// What happens to one message from `from` to `to` sent in `slot`.
    pub fn route(&mut self, from: usize, to: usize, slot: u64) -> Route {
        self.sent += 1;
        if from == to {
            return Route::Deliver(0);
        }
        if self.cut(from, to, slot) {
            self.dropped += 1;
            return Route::Cut;
        }
        // 53 random bits as a fraction in [0, 1).
        let draw = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        if draw < self.config.loss {
            self.dropped += 1;
            return Route::Lost;
        }
        Route::Deliver(self.config.latency_ms + self.uniform(self.config.jitter_ms + 1))
    }
}

/// The scenario's partitions, resolved to node ids: identities are numbered group by group (each group's
/// members in order), then the single validators, in the simulator and in a devnet alike.
pub fn resolve_partitions(scenario: &Scenario) -> Vec<Partition> {
    let firsts: Vec<usize> = scenario
        .groups
        .iter()
        .scan(0usize, |next, g| Some(std::mem::replace(next, *next + usize::from(g.n))))
        .collect();
    scenario
        .partitions
        .iter()
        .filter_map(|p| {
            let first = *firsts.get(p.group)?;
            let nodes = p.members.iter().map(|&m| first + usize::from(m)).collect();
            Some(Partition { nodes, from_slot: p.from_slot, until_slot: p.until_slot })
        })
        .collect()
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
    fn partitions_resolve_to_identities_group_by_group() {
        let s = Scenario::from_toml(
            "[[groups]]\nm = 1\nn = 2\n[[groups]]\nm = 2\nn = 3\n\
             [[partitions]]\ngroup = 1\nmembers = [0, 2]\nfrom_slot = 3\nuntil_slot = 5",
        )
        .unwrap();
        let p = resolve_partitions(&s);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].nodes.clone(), p[0].from_slot, p[0].until_slot), (vec![2, 4], 3, 5));
        let mut n = Network::seeded(NetworkConfig { latency_ms: 0, jitter_ms: 0, loss: 0.0 }, p, [0; 32]);
        assert_eq!(n.route(2, 0, 3), Route::Cut);
        assert_eq!(n.route(2, 4, 4), Route::Deliver(0));
        assert_eq!(n.route(1, 4, 5), Route::Deliver(0));
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
