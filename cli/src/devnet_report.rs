//! The devnet's report, built only from what the nodes logged: the simulator's report type (participation
//! per group and component, time to quorum from real timestamps, missed proposals, conflicting blocks and
//! votes) plus what only a real run has (processes, restarts, refusals after restart, gossip latency,
//! messages and bytes, CPU and memory per node).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use ndvt_adapter::node::{INTERVAL_MS, SLOT_MS};
use ndvt_adapter::sim::{
    Components, EntryReport, FaultKind, Identity, Report, Roster, Scenario, SlashableEvent,
};
use serde::Serialize;
use serde_json::Value;

pub use crate::devnet_usage::NodeUsage;
use crate::devnet_votes::{SeenVote, read_votes};

/// The devnet report: the simulator's fields plus the real run's.
#[derive(Debug, Serialize)]
pub struct DevnetReport {
    /// What the simulator reports too, computed from the logs.
    #[serde(flatten)]
    pub report: Report,
    /// Identities (nodes) in the scenario.
    pub nodes: usize,
    /// OS processes that ran nodes (restarts count again).
    pub processes: usize,
    /// Restarts after a crash.
    pub restarts: u64,
    /// SIGSTOP/SIGCONT pauses applied to `late` members (one per late slot).
    pub pauses: u64,
    /// Refusals by a restarted node's signers of an epoch they had signed before the crash.
    pub refusals_after_restart: u64,
    /// Gossip latency from publish to receipt (one clock: every node runs on this host), ms.
    pub gossip_latency_ms_p50: Option<u64>,
    /// 99th percentile of the same.
    pub gossip_latency_ms_p99: Option<u64>,
    /// Messages published.
    pub messages: u64,
    /// Payload bytes published (compressed).
    pub bytes: u64,
    /// Messages per slot.
    pub messages_per_slot: f64,
    /// Bytes per slot.
    pub bytes_per_slot: f64,
    /// The transport.
    pub transport: String,
    /// How each fault was applied.
    pub fault_mechanisms: Vec<String>,
    /// Whether this host could run `tc netem` in a network namespace (`devnet_faults::netem_probe`): the
    /// reason the in-node shim stood in for loss and jitter.
    pub netem: String,
    /// Members seen signing two conflicting votes in one slot (Byzantine members, proven by their own
    /// signatures; slashable only when m of a group do it, which `slashable_events` counts).
    pub equivocations: u64,
    /// Payloads dropped, per reason: validation's, and the shim's `loss` and `partition`.
    pub drops: BTreeMap<String, u64>,
    /// True if every node's last head is the same block.
    pub final_heads_agree: bool,
    /// Aggregates the slots' aggregators published.
    pub aggregates: u64,
    /// The slot of the latest justified checkpoint any node reached (0: genesis).
    pub justified_slot: u64,
    /// True if every node ended on the same justified checkpoint.
    pub final_justified_agree: bool,
    /// Certified blocks nodes fetched by root (`blocks_by_root`) because they lacked a block's parent.
    pub blocks_fetched: u64,
    /// Prepared-window advances the nodes computed in the background and installed.
    pub window_advances: u64,
    /// Per identity: CPU seconds and peak RSS.
    pub usage: BTreeMap<usize, NodeUsage>,
}

impl DevnetReport {
    /// One JSON object.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The simulator's table plus the devnet's lines.
    pub fn to_table(&self) -> String {
        let mut out = self.report.to_table();
        let ms = |v: Option<u64>| v.map_or("-".into(), |v| format!("{v} ms"));
        out.push_str(&format!(
            "devnet: {} nodes in {} processes over {}; restarts {}, refusals after restart {}\n\
             gossip: {} messages ({:.1}/slot), {} bytes ({:.0}/slot), latency p50 {} p99 {}; drops {:?}\n\
             final heads agree: {}; justified slot {} (all nodes agree: {}), aggregates {}, blocks fetched {}\n\
             faults: {}; pauses {}, equivocations {}; tc netem {}\n",
            self.nodes,
            self.processes,
            self.transport,
            self.restarts,
            self.refusals_after_restart,
            self.messages,
            self.messages_per_slot,
            self.bytes,
            self.bytes_per_slot,
            ms(self.gossip_latency_ms_p50),
            ms(self.gossip_latency_ms_p99),
            self.drops,
            self.final_heads_agree,
            self.justified_slot,
            self.final_justified_agree,
            self.aggregates,
            self.blocks_fetched,
            if self.fault_mechanisms.is_empty() { "none".into() } else { self.fault_mechanisms.join(", ") },
            self.pauses,
            self.equivocations,
            self.netem,
        ));
        for (i, u) in &self.usage {
            out.push_str(&format!("  node {i}: {:.2} CPU s, peak RSS {} KiB\n", u.cpu_s, u.peak_rss_kib));
        }
        out
    }
}

fn read_logs(dir: &Path, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..n {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("node{i}.jsonl"))) else { continue };
        // A SIGKILLed node may leave a partial last line: skipped.
        out.extend(text.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()));
    }
    out
}

pub(crate) fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or_default().to_string()
}

pub(crate) fn u(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

fn percentile(v: &[u64], q: f64) -> Option<u64> {
    (!v.is_empty()).then(|| v[((v.len() - 1) as f64 * q).round() as usize])
}

/// What the driver itself did to the processes (the logs cannot tell: a stopped process logs nothing).
#[derive(Clone, Copy, Debug, Default)]
pub struct Applied {
    /// Restarts after a crash.
    pub restarts: u64,
    /// SIGSTOP/SIGCONT pauses of `late` members.
    pub pauses: u64,
}

/// Builds the report from the logs in `dir`.
pub fn build_report(
    dir: &Path,
    scenario: &Scenario,
    ids: &[Identity],
    usage: &[(usize, NodeUsage)],
    genesis_ms: u64,
    applied: Applied,
) -> Result<DevnetReport, String> {
    let restarts = applied.restarts;
    let roster = Roster::new(scenario, ids).map_err(|e| e.to_string())?;
    let logs = read_logs(dir, ids.len());
    let slots = scenario.slots;
    let mut sent: HashMap<String, u64> = HashMap::new();
    let (mut messages, mut bytes, mut processes, mut refusals_after_restart) = (0u64, 0u64, 0usize, 0u64);
    let mut released_after_restart = 0u64;
    let mut certified: BTreeMap<u64, BTreeMap<String, u64>> = BTreeMap::new();
    let mut last_head: BTreeMap<u64, String> = BTreeMap::new();
    // Each node's last justified checkpoint, and when any node first justified each checkpoint.
    let mut last_justified: BTreeMap<u64, (u64, String)> = BTreeMap::new();
    let mut justified_at: BTreeMap<(u64, String), u64> = BTreeMap::new();
    let mut aggregates = 0u64;
    let mut drops: BTreeMap<String, u64> = BTreeMap::new();
    let mut shim: BTreeSet<String> = BTreeSet::new();
    // Slashing evidence the nodes verified, once per conflict (every node logs the same key).
    let mut slashings: BTreeMap<String, (usize, String, String, (u64, u64))> = BTreeMap::new();
    let mut equivocations: BTreeSet<(u64, u64, u64)> = BTreeSet::new();
    for r in &logs {
        match s(r, "ev").as_str() {
            "sent" => {
                messages += 1;
                bytes += u(r, "bytes");
                sent.entry(s(r, "id")).or_insert(u(r, "t_ms"));
            }
            "start" => {
                processes += 1;
                let applied = r.get("shim").and_then(Value::as_array).into_iter().flatten();
                shim.extend(applied.filter_map(Value::as_str).map(str::to_string));
            }
            "refused" if r.get("probe").and_then(Value::as_bool) == Some(true) => refusals_after_restart += 1,
            "signed" if r.get("probe").and_then(Value::as_bool) == Some(true) => released_after_restart += 1,
            "certified" => {
                let first =
                    certified.entry(u(r, "slot")).or_default().entry(s(r, "root")).or_insert(u64::MAX);
                *first = (*first).min(u(r, "t_ms"));
            }
            "head" => {
                last_head.insert(u(r, "node"), s(r, "root"));
            }
            "justified" => {
                last_justified.insert(u(r, "node"), (u(r, "slot"), s(r, "root")));
                let first = justified_at.entry((u(r, "slot"), s(r, "root"))).or_insert(u64::MAX);
                *first = (*first).min(u(r, "t_ms"));
            }
            "aggregated" => aggregates += 1,
            "drop" => *drops.entry(s(r, "reason")).or_default() += 1,
            "slashing" => {
                let slots = r.get("slots").and_then(Value::as_array);
                let slot = |i: usize| slots.and_then(|a| a.get(i)).and_then(Value::as_u64).unwrap_or(0);
                let event = (u(r, "entry") as usize, s(r, "offence"), s(r, "component"), (slot(0), slot(1)));
                slashings.entry(s(r, "key")).or_insert(event);
            }
            "equivocation" => {
                equivocations.insert((u(r, "entry"), u(r, "member"), u(r, "slot")));
            }
            _ => {}
        }
    }
    // As the simulator counts them: members with a Byzantine fault, and per group those faulty from slot 0.
    let byzantine_members: BTreeSet<(usize, u8)> = scenario
        .groups
        .iter()
        .enumerate()
        .flat_map(|(e, g)| g.faults.iter().filter(|f| f.kind.is_byzantine()).map(move |f| (e, f.member)))
        .collect();
    let from_start = |e: usize, k: &dyn Fn(FaultKind) -> bool| {
        scenario
            .groups
            .get(e)
            .map_or(0, |g| g.faults.iter().filter(|f| k(f.kind) && f.from_slot == 0).count() as u8)
    };
    let seen = read_votes(&logs, &sent, ids, genesis_ms, &byzantine_members);
    let (latencies, votes, double_votes) = (seen.latencies, seen.votes, seen.double_votes);
    let genesis_root = hex::encode(roster.genesis.root.0);
    // The canonical chain as the simulator defines it: the slot's first certified block, else the previous.
    let mut canonical = vec![genesis_root.clone()];
    for slot in 1..=slots {
        let first =
            certified.get(&slot).and_then(|c| c.iter().min_by_key(|(_, t)| **t)).map(|(r, _)| r.clone());
        let prev = canonical.last().cloned().unwrap_or_default();
        canonical.push(first.unwrap_or(prev));
    }
    let mut report = Report {
        scenario: scenario.name.clone(),
        seed: scenario.seed,
        slots,
        groups: scenario.groups.len(),
        singles: scenario.singles as usize,
        ..Report::default()
    };
    let (mut gd, mut gq, mut gc, mut sd, mut sq) = (0u64, 0u64, Components::default(), 0u64, 0u64);
    for (e, meta) in roster.entries.iter().enumerate() {
        let m = usize::from(meta.attestation.threshold());
        let mut er = EntryReport {
            name: meta.name.clone(),
            m: meta.attestation.threshold(),
            n: meta.attestation.size(),
            crashed: from_start(e, &|k| k == FaultKind::Crashed),
            byzantine: from_start(e, &FaultKind::is_byzantine),
            slashable_events: slashings.values().filter(|s| s.0 == e).count() as u64,
            ..EntryReport::default()
        };
        let mut ttq = Vec::new();
        for slot in 1..=slots {
            er.duties += 1;
            let Some(members) = votes.get(&(slot, e)) else { continue };
            let mut by_data: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
            for v in members.values() {
                by_data.entry(&v.data).or_default().push(v.t);
            }
            if let Some(times) = by_data.values_mut().find(|t| t.len() >= m) {
                er.quorum += 1;
                times.sort_unstable();
                ttq.push(times[m - 1].saturating_sub(genesis_ms + slot * SLOT_MS + INTERVAL_MS));
            }
            let canon_head = &canonical[slot as usize];
            let canon_target = &canonical[slot as usize - 1];
            let count = |f: &dyn Fn(&SeenVote) -> bool| members.values().filter(|v| f(v)).count() >= m;
            // The correct source: the latest checkpoint some node had justified when the slot's votes were due.
            let due = genesis_ms + slot * SLOT_MS + INTERVAL_MS;
            let source = justified_at
                .iter()
                .filter(|(_, t)| **t <= due)
                .map(|(cp, _)| cp)
                .max()
                .map_or(&genesis_root, |(_, root)| root);
            er.correct.source += u64::from(count(&|v| &v.source == source));
            er.correct.target += u64::from(count(&|v| &v.target == canon_target));
            er.correct.head += u64::from(count(&|v| &v.head == canon_head));
        }
        ttq.sort_unstable();
        er.time_to_quorum_median_ms = percentile(&ttq, 0.5);
        er.time_to_quorum_p95_ms = percentile(&ttq, 0.95);
        er.participation = if er.duties == 0 { 0.0 } else { er.quorum as f64 / er.duties as f64 };
        er.missed_attestations = er.duties - er.quorum;
        for slot in 1..=slots {
            if roster.proposer(slot) == Some(e) {
                er.proposals_assigned += 1;
                let made = certified
                    .get(&slot)
                    .is_some_and(|c| c.values().any(|t| *t < genesis_ms + (slot + 1) * SLOT_MS));
                er.proposals_missed += u64::from(!made);
            }
        }
        report.proposals += er.proposals_assigned;
        report.proposals_missed += er.proposals_missed;
        if meta.single {
            sd += er.duties;
            sq += er.quorum;
        } else {
            gd += er.duties;
            gq += er.quorum;
            gc.source += er.correct.source;
            gc.target += er.correct.target;
            gc.head += er.correct.head;
        }
        report.entries.push(er);
    }
    let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    report.participation = ratio(gq, gd);
    report.participation_source = ratio(gc.source, gd);
    report.participation_target = ratio(gc.target, gd);
    report.participation_head = ratio(gc.head, gd);
    report.singles_participation = ratio(sq, sd);
    report.conflicting_blocks = certified.values().filter(|c| c.len() > 1).count() as u64;
    // Fewer than m Byzantine members cannot make their group slashable or fork it alone: honest members
    // signed too, which is a safety failure (the simulator's rule). A Byzantine quorum's own misbehaviour is
    // reported, not counted.
    let honest = |e: usize| {
        roster
            .entries
            .get(e)
            .is_some_and(|m| from_start(e, &FaultKind::is_byzantine) < m.attestation.threshold())
    };
    let honest_forks = certified
        .iter()
        .filter(|(slot, c)| c.len() > 1 && roster.proposer(**slot).is_some_and(&honest))
        .count() as u64;
    let honest_slashed = slashings.values().filter(|s| honest(s.0)).count() as u64;
    report.slashable_events = slashings.len() as u64;
    for (entry, offence, component, slots) in slashings.values() {
        let Some(meta) = roster.entries.get(*entry) else { continue };
        report.slashings.push(SlashableEvent {
            group: meta.name.clone(),
            offence: offence.clone(),
            component: component.clone(),
            slots: *slots,
            byzantine: from_start(*entry, &FaultKind::is_byzantine),
            m: meta.attestation.threshold(),
        });
    }
    report.signer_refusals = logs.iter().filter(|r| s(r, "ev") == "refused").count() as u64;
    report.messages_dropped = drops.values().sum();
    // Honest members never sign two votes for one slot nor two blocks of one slot; a signer that released an
    // epoch it had signed before its crash is a violation too.
    report.safety_violations =
        honest_forks + honest_slashed + double_votes.len() as u64 + released_after_restart;
    let per_slot = |x: u64| x as f64 / slots.max(1) as f64;
    report.overhead.messages_per_slot = per_slot(messages);
    let heads: BTreeSet<&String> = last_head.values().collect();
    let mut fault_mechanisms = Vec::new();
    if scenario.groups.iter().any(|g| g.faults.iter().any(|f| f.kind == FaultKind::Crashed)) {
        fault_mechanisms.push("crash: SIGKILL (restart: same key directories)".to_string());
    }
    if applied.pauses > 0 {
        fault_mechanisms.push("sigstop".to_string());
    }
    fault_mechanisms.extend(shim);
    if logs.iter().any(|r| s(r, "ev") == "rogue_signers") {
        fault_mechanisms.push("equivocator: second durable record (test-only)".to_string());
    }
    Ok(DevnetReport {
        nodes: ids.len(),
        processes,
        restarts,
        pauses: applied.pauses,
        refusals_after_restart,
        gossip_latency_ms_p50: percentile(&latencies, 0.5),
        gossip_latency_ms_p99: percentile(&latencies, 0.99),
        messages,
        bytes,
        messages_per_slot: per_slot(messages),
        bytes_per_slot: per_slot(bytes),
        transport: "quic".into(),
        fault_mechanisms,
        netem: String::new(),
        equivocations: equivocations.len() as u64,
        drops,
        final_heads_agree: heads.len() <= 1,
        aggregates,
        justified_slot: last_justified.values().map(|(slot, _)| *slot).max().unwrap_or(0),
        final_justified_agree: {
            let genesis = (0, genesis_root.clone());
            let ends: BTreeSet<&(u64, String)> =
                (0..ids.len() as u64).map(|i| last_justified.get(&i).unwrap_or(&genesis)).collect();
            ends.len() <= 1
        },
        blocks_fetched: logs.iter().filter(|r| s(r, "ev") == "fetched").count() as u64,
        window_advances: logs
            .iter()
            .filter(|r| {
                s(r, "ev") == "window_advanced" && r.get("installed").and_then(Value::as_bool) == Some(true)
            })
            .count() as u64,
        usage: usage.iter().map(|(i, u)| (*i, *u)).collect(),
        report,
    })
}
