//! The discrete-event engine: the event queue, the nodes and the slot clock.
//!
//! Time is in milliseconds; slot s starts at `s × 4000` and has five 800 ms intervals: the block is proposed
//! and signed off in interval 0, members attest at the start of interval 1, the aggregator closes the slot's
//! votes at the start of interval 2. Every member is its own node with its own view of the chain (the
//! certified blocks it received); only justification is read from one shared place (see SIMULATOR.md).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

use ndvt_aggregation::{GroupKey, GroupSigner, Share, ThresholdPolicy, Xmss, XmssMember};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::error::SimError;
use super::keys::{Instance, KeySetupError, NodeSigners, node_signers, prepare};
use super::network::{Network, resolve_partitions};
use super::report::{Components, Report};
use super::scenario::{FaultConfig, FaultKind, ProposalMode, Scenario};
use crate::accounting::{Credit, MemberVote};
use crate::containers::{AttestationData, BlockHeader, Checkpoint};
use crate::node::{Event as NodeEvent, NodeConfig, NodeCore};
use crate::registry::{KeyPair, Registry, RegistryConfig};

/// The scheme every simulated identity signs with.
pub type Sch = Xmss<Instance>;
use super::roster::MIN_BALANCE;
pub(super) use crate::node::{INTERVAL_MS, SLOT_MS};

/// A message between nodes.
pub(super) type Msg = crate::node::Msg<Sch>;

#[derive(Clone, Debug)]
pub(super) enum Event {
    SlotStart(u64),
    Fallback { slot: u64, attempt: u32 },
    RaceProposal { node: usize, slot: u64 },
    Attest { node: usize, slot: u64 },
    Aggregate(u64),
    // Boxed: a message carries a signature, far larger than the other events.
    Deliver { to: usize, msg: Box<Msg> },
}

struct Scheduled {
    time: u64,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, o: &Self) -> bool {
        (self.time, self.seq) == (o.time, o.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Scheduled {
    // Reversed: BinaryHeap is a max-heap and the earliest event must come first.
    fn cmp(&self, o: &Self) -> Ordering {
        (o.time, o.seq).cmp(&(self.time, self.seq))
    }
}

/// One virtual identity: the shared node core, driven by this simulator.
pub(super) type Node = NodeCore<Sch, XmssMember<Instance>>;

/// A registry entry as the simulator sees it.
pub(super) struct EntryMeta {
    pub name: String,
    pub single: bool,
    pub nodes: Vec<usize>,
    pub balance: u64,
    pub crashed: u8,
    pub byzantine: u8,
    /// Attestation keys (a 1-of-1 group for a single validator, so one tally serves both).
    pub attestation: GroupKey<Sch>,
    pub proposal: GroupKey<Sch>,
}

/// One slot's votes at the aggregator: entry → (arrival time, vote).
pub(super) type Inbox = BTreeMap<usize, Vec<(u64, MemberVote<Sch>)>>;

/// Running counters of one entry.
#[derive(Default)]
pub(super) struct EntryStats {
    pub duties: u64,
    pub quorum: u64,
    pub correct: Components,
    pub ttq: Vec<u64>,
    pub rewards: i64,
}

/// The whole simulated devnet.
pub struct Simulation {
    pub(super) sc: Scenario,
    pub(super) registry: Registry<Sch>,
    pub(super) nodes: Vec<Node>,
    pub(super) entries: Vec<EntryMeta>,
    pub(super) stats: Vec<EntryStats>,
    pub(super) net: Network,
    queue: BinaryHeap<Scheduled>,
    seq: u64,
    pub(super) now: u64,
    pub(super) role_seed: [u8; 32],
    pub(super) genesis: Checkpoint,
    pub(super) blocks: HashMap<[u8; 32], BlockHeader>,
    /// Certified roots per slot, with the time of certification, in order.
    pub(super) certified: BTreeMap<u64, Vec<([u8; 32], u64)>>,
    pub(super) proposer_of: BTreeMap<u64, usize>,
    pub(super) canonical: Vec<Checkpoint>,
    pub(super) justified: Checkpoint,
    /// Votes at the aggregator: slot → entry → (arrival, vote).
    pub(super) inbox: BTreeMap<u64, Inbox>,
    pub(super) closed: HashSet<u64>,
    /// Every attestation share any identity produced (the slashing detector sees all).
    pub(super) produced: Vec<BTreeMap<AttestationData, BTreeMap<u8, Share<Sch>>>>,
    /// Per entry, every unit the aggregator credited it for, with the slot.
    pub(super) credited: Vec<Vec<(u64, Credit)>>,
    pub(super) report: Report,
    pub(super) sign_off_messages: u64,
    pub(super) overhead: super::tally::OverheadSums,
    pub(super) verify_aggregates: bool,
    _dir: tempfile::TempDir,
}

/// The node id of the aggregator (it has no keys; it stands for the network's aggregating nodes).
pub(super) fn aggregator(sim: &Simulation) -> usize {
    sim.nodes.len()
}

impl Simulation {
    /// Builds the devnet: keys for every identity behind durable signers in a temporary directory, the
    /// registry, the network. `verify_aggregates` re-verifies every slot's aggregates (slower).
    pub fn new(scenario: &Scenario, verify_aggregates: bool) -> Result<Self, SimError> {
        scenario.validate()?;
        let sc = scenario.clone();
        let dir = tempfile::tempdir().map_err(KeySetupError::TempDir)?;
        let mut registry =
            Registry::<Sch>::new(RegistryConfig { min_balance: MIN_BALANCE, slashable_window: 8192 });
        // Cores need their group's proposal keys, known once the group is registered: keys first.
        let (mut pending, mut entries) = (Vec::new(), Vec::new());
        for (gi, g) in sc.groups.iter().enumerate() {
            let first = pending.len();
            for member in 0..g.n {
                let faults: Vec<FaultConfig> =
                    g.faults.iter().filter(|f| f.member == member).copied().collect();
                let rogue = faults.iter().any(|f| f.kind.is_byzantine());
                let signers = node_signers(dir.path(), sc.seed, pending.len(), member, sc.slots, rogue)?;
                pending.push((entries.len(), member, faults, signers));
            }
            let ids: Vec<usize> = (first..pending.len()).collect();
            let pairs = ids.iter().map(|&i| key_pair(&pending[i].3)).collect();
            let policy =
                if g.backup { ThresholdPolicy::AllowDisjointQuorums } else { ThresholdPolicy::Strict };
            let balance = g.balance_increments.unwrap_or(u64::from(g.n)) * MIN_BALANCE;
            let (index, _) = registry.add_group(g.m, pairs, balance, policy)?;
            let keys = registry.group(index)?.current().clone();
            let count = |k: &dyn Fn(FaultKind) -> bool| {
                g.faults.iter().filter(|f| k(f.kind) && f.from_slot == 0).count() as u8
            };
            entries.push(EntryMeta {
                name: g.name.clone().unwrap_or_else(|| format!("group {gi} ({}-of-{})", g.m, g.n)),
                single: false,
                nodes: ids,
                balance,
                crashed: count(&|k| k == FaultKind::Crashed),
                byzantine: count(&FaultKind::is_byzantine),
                attestation: keys.attestation,
                proposal: keys.proposal,
            });
        }
        for si in 0..sc.singles {
            let signers = node_signers(dir.path(), sc.seed, pending.len(), 0, sc.slots, false)?;
            let pair = key_pair(&signers);
            registry.add_single(pair.clone(), MIN_BALANCE)?;
            let strict = ThresholdPolicy::Strict;
            entries.push(EntryMeta {
                name: format!("single {si}"),
                single: true,
                nodes: vec![pending.len()],
                balance: MIN_BALANCE,
                crashed: 0,
                byzantine: 0,
                attestation: GroupKey::new(1, vec![pair.attestation], strict)?.0,
                proposal: GroupKey::new(1, vec![pair.proposal], strict)?.0,
            });
            pending.push((entries.len() - 1, 0, Vec::new(), signers));
        }
        let genesis = super::roster::genesis_checkpoint();
        let rng = ChaCha8Rng::seed_from_u64(sc.seed);
        let role_seed = super::roster::role_seed(sc.seed);
        let stats = entries.iter().map(|_| EntryStats::default()).collect();
        let produced = entries.iter().map(|_| BTreeMap::new()).collect();
        let credited = entries.iter().map(|_| Vec::new()).collect();
        let nodes = pending
            .into_iter()
            .enumerate()
            .map(|(identity, (entry, member, faults, signers))| {
                let meta: &EntryMeta = &entries[entry];
                let cfg = NodeConfig {
                    identity,
                    entry,
                    member,
                    single: meta.single,
                    proposal_keys: meta.proposal.clone(),
                    mode: sc.proposal.mode,
                    fallback_timeout_ms: sc.proposal.fallback_timeout_ms,
                    faults,
                };
                NodeCore::new(cfg, signers, genesis)
            })
            .collect();
        let report = Report {
            scenario: sc.name.clone(),
            seed: sc.seed,
            slots: sc.slots,
            groups: sc.groups.len(),
            singles: sc.singles as usize,
            ..Report::default()
        };
        Ok(Simulation {
            net: Network::new(sc.network, resolve_partitions(&sc), rng),
            sc,
            registry,
            nodes,
            entries,
            stats,
            queue: BinaryHeap::new(),
            seq: 0,
            now: 0,
            role_seed,
            genesis,
            blocks: HashMap::new(),
            certified: BTreeMap::new(),
            proposer_of: BTreeMap::new(),
            canonical: vec![genesis],
            justified: genesis,
            inbox: BTreeMap::new(),
            closed: HashSet::new(),
            produced,
            credited,
            report,
            sign_off_messages: 0,
            overhead: super::tally::OverheadSums::default(),
            verify_aggregates,
            _dir: dir,
        })
    }

    /// The registry the run uses.
    pub fn registry(&self) -> &Registry<Sch> {
        &self.registry
    }

    pub(super) fn schedule(&mut self, time: u64, event: Event) {
        self.seq += 1;
        self.queue.push(Scheduled { time, seq: self.seq, event });
    }

    /// Sends `msg` from `from` to `to` through the network model.
    pub(super) fn send(&mut self, from: usize, to: usize, msg: Msg) {
        let slot = self.now / SLOT_MS;
        if let Some(delay) = self.net.delay(from, to, slot) {
            self.schedule(self.now + delay, Event::Deliver { to, msg: Box::new(msg) });
        }
    }

    /// Runs every slot; `progress(done, total)` is called after each slot.
    pub fn run(mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<Report, SimError> {
        self.schedule(SLOT_MS, Event::SlotStart(1));
        let last = self.sc.slots;
        while let Some(Scheduled { time, event, .. }) = self.queue.pop() {
            self.now = time;
            match event {
                Event::SlotStart(slot) => self.slot_start(slot)?,
                Event::Fallback { slot, attempt } => self.fallback(slot, attempt),
                Event::RaceProposal { node, slot } => self.race_proposal(node, slot),
                Event::Attest { node, slot } => self.attest(node, slot),
                Event::Aggregate(slot) => {
                    self.aggregate(slot)?;
                    progress(slot, last);
                }
                Event::Deliver { to, msg } => self.deliver(to, *msg),
            }
        }
        Ok(self.finish())
    }

    fn slot_start(&mut self, slot: u64) -> Result<(), SimError> {
        for id in 0..self.nodes.len() {
            prepare(self.nodes[id].signers_mut(), slot)?;
            self.drive(id, NodeEvent::SlotStart { slot });
        }
        let t0 = slot * SLOT_MS;
        if slot < self.sc.slots {
            self.schedule(t0 + SLOT_MS, Event::SlotStart(slot + 1));
        }
        self.schedule(t0 + 2 * INTERVAL_MS, Event::Aggregate(slot));
        for id in 0..self.nodes.len() {
            let node = &self.nodes[id];
            if !node.has(FaultKind::Crashed, slot) {
                let at = t0 + INTERVAL_MS + node.late_ms(slot);
                self.schedule(at, Event::Attest { node: id, slot });
            }
        }
        let Some(entry) = crate::roles::proposer(&self.registry.balances(), &self.role_seed, slot) else {
            return Ok(());
        };
        self.proposer_of.insert(slot, entry);
        if self.entries[entry].single {
            self.fallback(slot, 0);
            return Ok(());
        }
        match self.sc.proposal.mode {
            ProposalMode::Primary => {
                self.fallback(slot, 0);
                let timeout = self.sc.proposal.fallback_timeout_ms.max(1);
                let n = self.entries[entry].nodes.len() as u64;
                for attempt in 1..n {
                    let at = attempt * timeout;
                    if at >= SLOT_MS {
                        break;
                    }
                    self.schedule(t0 + at, Event::Fallback { slot, attempt: attempt as u32 });
                }
            }
            ProposalMode::Race => {
                for id in self.entries[entry].nodes.clone() {
                    let offset = self.net.uniform(self.sc.proposal.race_spread_ms.max(1));
                    self.schedule(t0 + offset, Event::RaceProposal { node: id, slot });
                }
            }
        }
        Ok(())
    }

    fn deliver(&mut self, to: usize, msg: Msg) {
        if to == aggregator(self) {
            // The aggregator only collects votes; blocks reach it through the certified-block record.
            if let Msg::Vote { entry, vote } = msg {
                self.receive_vote(entry, vote);
            }
            return;
        }
        let slot = self.now / SLOT_MS;
        if self.nodes[to].has(FaultKind::Crashed, slot) {
            return;
        }
        self.drive(to, NodeEvent::Received(msg));
    }

    fn receive_vote(&mut self, entry: usize, vote: MemberVote<Sch>) {
        if self.closed.contains(&vote.data.slot) {
            return; // arrived after the aggregation deadline
        }
        let now = self.now;
        self.inbox.entry(vote.data.slot).or_default().entry(entry).or_default().push((now, vote));
    }
}

fn key_pair(signers: &NodeSigners) -> KeyPair<Sch> {
    KeyPair { attestation: signers.attestation.public_key(), proposal: signers.proposal.public_key() }
}
