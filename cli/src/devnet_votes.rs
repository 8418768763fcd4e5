//! The votes of a devnet run as its aggregators saw them, read from the nodes' logs: what counts towards a
//! group's quorum is what reached one of the slot's aggregators before interval 2 closed the slot (received
//! by gossip, or the aggregator's own vote), as at the simulator's one aggregator. Gossip latency and the
//! double votes of honest members are read from every node's receipts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ndvt_adapter::node::aggregate::is_aggregator;
use ndvt_adapter::node::{INTERVAL_MS, SLOT_MS};
use ndvt_adapter::sim::Identity;
use serde_json::Value;

use crate::devnet_report::{s, u};

/// A vote as an aggregator first saw it.
pub(crate) struct SeenVote {
    pub t: u64,
    pub data: String,
    pub head: String,
    pub target: String,
    pub source: String,
}

/// What the logs say about votes.
pub(crate) struct Votes {
    /// Publish-to-receipt latencies of every message, without the delay a shim added on purpose, sorted.
    pub latencies: Vec<u64>,
    /// (slot, entry) → member → its first vote at an aggregator, in time.
    pub votes: BTreeMap<(u64, usize), BTreeMap<u64, SeenVote>>,
    /// (slot, entry, member) of honest members seen with two different votes of one slot.
    pub double_votes: BTreeSet<(u64, usize, u64)>,
}

/// Reads the votes of `logs`; `sent` maps message ids to their publish time.
pub(crate) fn read_votes(
    logs: &[Value],
    sent: &HashMap<String, u64>,
    ids: &[Identity],
    genesis_ms: u64,
    byzantine_members: &BTreeSet<(usize, u8)>,
) -> Votes {
    let mut out = Votes { latencies: Vec::new(), votes: BTreeMap::new(), double_votes: BTreeSet::new() };
    let mut first_data: BTreeMap<(u64, usize, u64), String> = BTreeMap::new();
    for r in logs {
        let own = match s(r, "ev").as_str() {
            "recv" => false,
            "signed" if r.get("probe").is_none() => true,
            _ => continue,
        };
        let t = u(r, "t_ms");
        if !own && let Some(t0) = sent.get(&s(r, "id")) {
            out.latencies.push(t.saturating_sub(u(r, "shim_ms")).saturating_sub(*t0));
        }
        let Some(v) = r.get("vote").filter(|v| v.is_object()) else { continue };
        let key = (u(r, "slot"), u(v, "entry") as usize);
        let seen = SeenVote {
            t,
            data: s(v, "data"),
            head: s(v, "head"),
            target: s(v, "target"),
            source: s(v, "source"),
        };
        let member = u(v, "member");
        match first_data.get(&(key.0, key.1, member)) {
            Some(d) if *d != seen.data => {
                if !byzantine_members.contains(&(key.1, member as u8)) {
                    out.double_votes.insert((key.0, key.1, member));
                }
            }
            Some(_) => {}
            None => {
                first_data.insert((key.0, key.1, member), seen.data.clone());
            }
        }
        // Only what an aggregator of the slot had before interval 2 counts (a late member's vote past it is
        // a missed duty, as in the simulator).
        if !is_aggregator(u(r, "node") as usize, key.0, ids.len())
            || t >= genesis_ms + key.0 * SLOT_MS + 2 * INTERVAL_MS
        {
            continue;
        }
        let members = out.votes.entry(key).or_default();
        match members.get_mut(&member) {
            Some(old) if old.data == seen.data => old.t = old.t.min(t),
            Some(_) => {}
            None => {
                members.insert(member, seen);
            }
        }
    }
    out.latencies.sort_unstable();
    out
}
