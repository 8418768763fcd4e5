//! The in-node network shim: the scenario's loss, latency and jitter, and partitions, applied to what this
//! node receives before its core sees it, by the simulator's own network model (`sim::Network`, with this
//! node as the receiver). It stands in for `tc netem`, which needs network namespaces this devnet does not
//! have (docs/DEVNET.md, "Faults").
//!
//! A partition is a cut connection: a message relayed by a peer on the other side is neither delivered nor
//! forwarded (gossipsub is told to ignore it), so nothing crosses the cut by any path. Loss and delay are the
//! link to this node's core alone: a lost or delayed message is still forwarded at once, so that every node
//! loses and delays independently, as in the model.

use std::collections::HashMap;

use libp2p::PeerId;
use ndvt_adapter::sim::{Network, Route, Scenario, resolve_partitions};
use sha2::{Digest, Sha256};

/// A sender the shim does not know (not one of the devnet's identities): outside every partition.
const UNKNOWN: usize = usize::MAX;

/// One node's shim.
pub struct Shim {
    net: Option<Network>,
    me: usize,
    peers: HashMap<PeerId, usize>,
}

impl Shim {
    /// The shim of identity `me` for `scenario`; `peers` maps every identity's peer id to it. Without
    /// `enabled` it delivers everything at once (a node on a real network does not fake one).
    pub fn new(scenario: &Scenario, me: usize, peers: HashMap<PeerId, usize>, enabled: bool) -> Self {
        let seed: [u8; 32] = Sha256::digest(
            [b"ndvt/devnet/shim".as_slice(), &scenario.seed.to_le_bytes(), &(me as u64).to_le_bytes()]
                .concat(),
        )
        .into();
        let net = enabled.then(|| Network::seeded(scenario.network, resolve_partitions(scenario), seed));
        Shim { net, me, peers }
    }

    fn sender(&self, relay: &PeerId) -> usize {
        self.peers.get(relay).copied().unwrap_or(UNKNOWN)
    }

    /// True if the peer that relayed a message is across a partition from this node in `slot`.
    pub fn cut(&self, relay: &PeerId, slot: u64) -> bool {
        self.net.as_ref().is_some_and(|n| n.cut(self.sender(relay), self.me, slot))
    }

    /// What happens to a message for this node's core relayed by `relay` in `slot` (one draw of the model).
    pub fn route(&mut self, relay: &PeerId, slot: u64) -> Route {
        let from = self.sender(relay);
        match self.net.as_mut() {
            Some(n) => n.route(from, self.me, slot),
            None => Route::Deliver(0),
        }
    }

    /// The report's names of what this shim applies.
    pub fn mechanisms(&self) -> Vec<&'static str> {
        let Some(n) = &self.net else { return Vec::new() };
        let c = n.config();
        let mut out = Vec::new();
        if c.loss > 0.0 {
            out.push("loss-shim");
        }
        if c.latency_ms > 0 || c.jitter_ms > 0 {
            out.push("jitter-shim");
        }
        if n.has_partitions() {
            out.push("partition-shim");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(extra: &str) -> Scenario {
        Scenario::from_toml(&format!("slots = 8\n[[groups]]\nm = 2\nn = 4\n{extra}")).unwrap()
    }

    fn peers(n: usize) -> (Vec<PeerId>, HashMap<PeerId, usize>) {
        let ids: Vec<PeerId> = (0..n).map(|_| PeerId::random()).collect();
        let map = ids.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        (ids, map)
    }

    #[test]
    fn a_partition_cuts_peers_across_it_only_in_its_slots() {
        let s = scenario(
            "[network]\nlatency_ms = 0\njitter_ms = 0\nloss = 0.0\n\
             [[partitions]]\ngroup = 0\nmembers = [0, 1]\nfrom_slot = 2\nuntil_slot = 4",
        );
        let (ids, map) = peers(4);
        let mut shim = Shim::new(&s, 0, map, true);
        assert!(shim.cut(&ids[2], 2) && shim.cut(&ids[3], 3));
        assert!(!shim.cut(&ids[1], 2) && !shim.cut(&ids[2], 4) && !shim.cut(&ids[2], 1));
        assert_eq!(shim.route(&ids[3], 2), Route::Cut);
        assert_eq!(shim.route(&ids[1], 2), Route::Deliver(0));
        // A stranger is outside the partition: cut from its members.
        assert!(shim.cut(&PeerId::random(), 3));
        assert_eq!(shim.mechanisms(), vec!["partition-shim"]);
    }

    #[test]
    fn loss_and_delay_follow_the_scenario_and_the_seed() {
        let s = scenario("[network]\nlatency_ms = 80\njitter_ms = 500\nloss = 0.3");
        let (ids, map) = peers(4);
        let draws = |map: HashMap<PeerId, usize>| {
            let mut shim = Shim::new(&s, 1, map, true);
            (0..4000).map(|_| shim.route(&ids[2], 1)).collect::<Vec<_>>()
        };
        let a = draws(map.clone());
        assert_eq!(a, draws(map.clone()), "the same identity and seed draw the same");
        let lost = a.iter().filter(|r| **r == Route::Lost).count() as f64 / a.len() as f64;
        assert!((lost - 0.3).abs() < 0.03, "lost {lost}");
        assert!(a.iter().all(|r| matches!(r, Route::Lost | Route::Deliver(80..=580))));
        let off = Shim::new(&s, 1, map, false);
        assert!(off.mechanisms().is_empty());
        assert_eq!(Shim::new(&s, 1, HashMap::new(), true).mechanisms(), vec!["loss-shim", "jitter-shim"]);
    }
}
