//! The driver: one tokio task owning the node core, its slot clock, its swarm and its event log. It turns
//! clock ticks and validated gossip into core events and carries out the core's actions; no protocol rule
//! lives here.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use libp2p::futures::StreamExt;
use libp2p::gossipsub::IdentTopic;
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, Swarm};
use ndvt_adapter::accounting::MemberVote;
use ndvt_adapter::node::aggregate::{Aggregator, Justifier, Voter, is_aggregator};
use ndvt_adapter::node::detect::SlashingDetector;
use ndvt_adapter::node::schedule::{Duty, duties};
use ndvt_adapter::node::wire::{Kind, encode_msg};
use ndvt_adapter::node::{Action, Event, Msg, NodeCore, Refusal, SLOT_MS, Signers};
use ndvt_adapter::sim::{
    FaultKind, Identity, Instance, NodeSigners, Roster, Sch, open_node_signers, open_rogue_signers,
};
use ndvt_aggregation::XmssMember;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::signal::unix::{SignalKind, signal};

use crate::advance::{WindowAdvancer, install_finished, prepare_inline, request_all};
use crate::backfill::Backfill;
use crate::config::{NodeFile, read_identities};
use crate::log::{EventLog, unix_ms};
use crate::net::{Behaviour, NetError, peer_keypair, swarm};
use crate::receive::{Held, kind_name, vote_fields};
use crate::shim::Shim;
use crate::validate::{DropReason, Validator};
use crate::wire::{Topics, compress, message_id};

/// The one attestation subnet of a devnet (every node subscribes to it).
pub const SUBNET: u64 = 0;

pub(crate) type Core = NodeCore<Sch, XmssMember<Instance>>;

/// Why a node could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The configuration or a file it names is unusable.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The registry could not be rebuilt from the identities.
    #[error("registry: {0}")]
    Roster(#[from] ndvt_adapter::sim::SimError),
    /// The identity is not in the identities file.
    #[error("identity {0} is not in the identities file")]
    UnknownIdentity(usize),
    /// A key directory could not be opened or advanced.
    #[error("key directory: {0}")]
    Keys(#[from] ndvt_xmss::DurableError),
    /// The event log could not be opened.
    #[error("event log: {0}")]
    Log(#[source] std::io::Error),
    /// The network could not start.
    #[error(transparent)]
    Net(#[from] NetError),
    /// The runtime could not start.
    #[error("runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// Runs the node of `file` until SIGTERM (or its last slot).
pub fn run(file: &NodeFile) -> Result<(), RunError> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(RunError::Runtime)?;
    rt.block_on(run_async(file))
}

/// Asks each signer to sign its last signed epoch again over a different message: a signer that kept its
/// record across a crash refuses. Returns (key, epoch, refused) per signer that has signed before.
fn probe_restart(signers: &mut NodeSigners) -> Vec<(&'static str, u64, bool)> {
    let mut out = Vec::new();
    for (name, member) in [("attestation", &mut signers.attestation), ("proposal", &mut signers.proposal)] {
        let signer = member.signer_mut();
        if let Some((epoch, message)) = signer.record().last {
            let mut probe = message;
            probe[0] ^= 0xff;
            out.push((name, epoch, signer.sign_at(epoch, &probe).is_err()));
        }
    }
    out
}

async fn run_async(file: &NodeFile) -> Result<(), RunError> {
    let scenario = file.load_scenario()?;
    let ids = read_identities(&file.identities)?;
    let roster = Roster::new(&scenario, &ids)?;
    let node_config = || {
        let mut cfg = roster.node_config(file.identity).ok_or(RunError::UnknownIdentity(file.identity))?;
        if file.late_by_signal {
            // The pause from outside is the lateness; delaying the duty as well would count it twice.
            cfg.faults.retain(|f| f.kind != FaultKind::Late);
        }
        Ok::<_, RunError>(cfg)
    };
    let cfg = node_config()?;
    let (entry, member) = (cfg.entry, cfg.member);
    let mut log = EventLog::open(&file.log, file.identity).map_err(RunError::Log)?;
    let mut signers: Signers<_> =
        open_node_signers(&file.attestation_key_dir, &file.proposal_key_dir, member)?;
    if let Some((a, p)) = &file.rogue_key_dirs {
        signers.rogue = Some(open_rogue_signers(a, p, member)?);
        log.write("rogue_signers", json!({"attestation": a, "proposal": p}));
    }
    for (key, epoch, refused) in probe_restart(&mut signers) {
        let ev = if refused { "refused" } else { "signed" };
        log.write(ev, json!({"kind": key, "slot": epoch, "probe": true}));
    }
    let spread = scenario.proposal.race_spread_ms.max(1);
    let race_offset = |slot: u64| {
        let d = Sha256::digest(
            [b"ndvt/race".as_slice(), &(file.identity as u64).to_le_bytes(), &slot.to_le_bytes()].concat(),
        );
        u64::from_le_bytes(core::array::from_fn(|i| d[i])) % spread
    };
    let sched = node_config()?;
    let mut core: Core = NodeCore::new(cfg, signers, roster.genesis);
    let mut store = crate::store::Store::new(roster.genesis);
    let mut validator = Validator::new(&roster);
    let topics = Topics::new(fork_digest(&ids));
    let names: Vec<String> = Kind::ALL.iter().map(|k| topics.of(*k, SUBNET)).collect();
    let listen: Multiaddr =
        format!("/ip4/{}/udp/{}/quic-v1", file.listen_host, file.listen_port).parse().map_err(|_| {
            NetError::Config(format!("bad listen address {}:{}", file.listen_host, file.listen_port))
        })?;
    // Every node derives every identity's peer id, so that the shim knows who relayed a message.
    let digest = devnet_digest(&ids);
    let mut peers = HashMap::new();
    for i in 0..ids.len() {
        peers.insert(peer_keypair(&digest, i)?.public().to_peer_id(), i);
    }
    let shim = Shim::new(&scenario, file.identity, peers, file.network_shim);
    let mut swarm = swarm(peer_keypair(&digest, file.identity)?, listen, &names)?;
    // Peers start in any order: an address is dialled again every second until a connection to it is up.
    let mut undialled: Vec<Multiaddr> = file.bootstrap.iter().filter_map(|p| p.parse().ok()).collect();
    let mut redial = tokio::time::interval(Duration::from_secs(1));
    log.write("start", json!({"entry": entry, "member": member, "pid": std::process::id(), "peer_id": swarm.local_peer_id().to_string(), "justified_slot": 0, "shim": shim.mechanisms()}));
    let mut term = signal(SignalKind::terminate()).map_err(RunError::Runtime)?;
    let mut ctx = Ctx {
        log: &mut log,
        topics: &topics,
        swarm: &mut swarm,
        head_slot: 0,
        shim,
        held: BTreeMap::new(),
        backfill: Backfill::default(),
        held_seq: 0,
        roster: &roster,
        detector: SlashingDetector::default(),
        identity: file.identity,
        roster_identities: ids.len(),
        aggregator: Aggregator::new(
            roster.entries.iter().map(|e| Voter { key: e.attestation.clone(), single: e.single }).collect(),
        ),
        justifier: Justifier::new(roster.registry.balances(), roster.genesis),
    };
    let mut advancer = WindowAdvancer::default();
    let mut pending: BTreeMap<(u64, Duty), u64> = BTreeMap::new();
    let mut slot = now_ms(file).div_ceil(SLOT_MS).max(1);
    for (t, d) in duties(&sched, slot, roster.proposer(slot), race_offset(slot)) {
        pending.insert((t, d), slot);
    }
    loop {
        let next = pending.keys().next().map_or(SLOT_MS, |(t, _)| *t);
        // Absolute time: before genesis `now_ms` is 0, and the wait must still end at the duty's moment.
        let wait = Duration::from_millis((file.genesis_ms + next).saturating_sub(unix_ms()));
        let held_wait =
            ctx.held.keys().next().map(|(due, _)| Duration::from_millis(due.saturating_sub(unix_ms())));
        tokio::select! {
            _ = tokio::time::sleep(held_wait.unwrap_or_default()), if held_wait.is_some() => {
                ctx.release_due(&mut core, &mut store, file);
            }
            _ = tokio::time::sleep(wait) => {
                if file.genesis_ms + next > unix_ms() {
                    continue;
                }
                let Some(((_, duty), s)) = pending.pop_first() else { continue };
                if duty == Duty::SlotStart {
                    // The slots before this one are in: look for slashing evidence in them.
                    ctx.detect(s);
                    if file.last_slot.is_some_and(|last| s > last) {
                        break;
                    }
                    // Windows advance in the background, half a bottom tree ahead; the inline advance is
                    // the fallback for a tree that is late for the next slot.
                    request_all(&mut advancer, core.signers_mut(), s + 1 + WindowAdvancer::<Instance>::LOOKAHEAD, ctx.log);
                    prepare_inline(core.signers_mut(), s + 1, ctx.log);
                    slot = s + 1;
                    for (t2, d2) in duties(&sched, slot, roster.proposer(slot), race_offset(slot)) {
                        pending.insert((t2, d2), slot);
                    }
                }
                let event = match duty {
                    Duty::SlotStart => Event::SlotStart { slot: s },
                    Duty::Proposal(attempt) => Event::ProposalDue { slot: s, attempt },
                    Duty::Attestation => Event::AttestationDue { slot: s },
                    Duty::Aggregation => {
                        ctx.aggregate(s, &mut store);
                        continue;
                    }
                };
                let actions = core.handle(now_ms(file), event, &mut store);
                ctx.carry_out(&mut core, actions, s);
            }
            event = ctx.swarm.select_next_some() => {
                if let SwarmEvent::ConnectionEstablished { endpoint, .. } = &event {
                    // The connected address may carry a `/p2p/<peer id>` suffix the dialled one lacks.
                    let connected = endpoint.get_remote_address().to_string();
                    undialled.retain(|a| !connected.starts_with(&a.to_string()));
                }
                ctx.network_event(event, &mut validator, &mut core, &mut store, file);
            }
            _ = redial.tick(), if !undialled.is_empty() => {
                for addr in &undialled {
                    let _ = ctx.swarm.dial(addr.clone());
                }
            }
            Some(done) = advancer.finished() => {
                install_finished(&mut advancer, done, core.signers_mut(), ctx.log);
            }
            _ = term.recv() => break,
        }
    }
    let dropped: BTreeMap<DropReason, u64> = validator.dropped().clone();
    log.write("stop", json!({"dropped": dropped, "log_failures": log.failures}));
    Ok(())
}

/// The devnet's digest of its identities' public keys.
pub fn devnet_digest(ids: &[Identity]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"ndvt/devnet/fork");
    for id in ids {
        h.update(&id.attestation_public_key);
        h.update(&id.proposal_public_key);
    }
    h.finalize().into()
}

/// The devnet's fork digest: 4 bytes of the identities' digest, so that two devnets never share topics.
pub fn fork_digest(ids: &[Identity]) -> [u8; 4] {
    let d = devnet_digest(ids);
    [d[0], d[1], d[2], d[3]]
}

pub(crate) fn now_ms(file: &NodeFile) -> u64 {
    unix_ms().saturating_sub(file.genesis_ms)
}

/// What the event handlers share: the log, the swarm, the shim and what it holds back.
pub(crate) struct Ctx<'a> {
    pub(crate) log: &'a mut EventLog,
    pub(crate) topics: &'a Topics,
    pub(crate) swarm: &'a mut Swarm<Behaviour>,
    /// Blocks kept to serve and parents being fetched (`backfill.rs`).
    pub(crate) backfill: Backfill,
    pub(crate) head_slot: u64,
    pub(crate) shim: Shim,
    /// Messages the shim delays, by (due unix ms, arrival order).
    pub(crate) held: BTreeMap<(u64, u64), Held>,
    pub(crate) held_seq: u64,
    pub(crate) roster: &'a Roster,
    /// The votes seen (received and own), for slashing evidence.
    pub(crate) detector: SlashingDetector<Sch>,
    /// This node's identity and how many identities the devnet has (who aggregates which slot).
    pub(crate) identity: usize,
    pub(crate) roster_identities: usize,
    /// The votes of the slots this node aggregates.
    pub(crate) aggregator: Aggregator<Sch>,
    /// The justified checkpoint, from the aggregates this node verified.
    pub(crate) justifier: Justifier,
}

impl Ctx<'_> {
    pub(crate) fn carry_out(&mut self, core: &mut Core, actions: Vec<Action<Sch>>, slot: u64) {
        for action in actions {
            match action {
                Action::Send { msg, .. } => self.publish(&msg),
                Action::Certified(h) => self.log.write(
                    "certified",
                    json!({"slot": h.slot, "root": hex::encode(h.root()), "entry": h.proposer_index}),
                ),
                Action::VoteSigned { data, share } => {
                    let vote = MemberVote { member: share.member, data, signature: share.signature };
                    // The vote's fields too: an aggregator's own vote reaches its aggregate without gossip.
                    let fields = vote_fields(&Msg::Vote { entry: core.entry(), vote: vote.clone() });
                    self.log.write(
                        "signed",
                        json!({"kind": "vote", "slot": data.slot, "data": hex::encode(data.signing_root()), "vote": fields}),
                    );
                    self.see_vote(core.entry(), vote);
                }
                Action::Refused(r) => {
                    let why = if r == Refusal::Signer { "signer" } else { "protection" };
                    self.log.write("refused", json!({"kind": why, "slot": slot, "probe": false}));
                }
            }
        }
        let head = core.head();
        if head.slot != self.head_slot {
            self.head_slot = head.slot;
            self.log.write("head", json!({"slot": head.slot, "root": hex::encode(head.root.0)}));
        }
    }

    /// Interval 2: an aggregator of `slot` publishes one aggregate per voted data and counts it itself (gossip
    /// does not deliver a node's own messages back to it).
    fn aggregate(&mut self, slot: u64, store: &mut crate::store::Store) {
        if !is_aggregator(self.identity, slot, self.roster_identities) {
            return;
        }
        let aggregates = match self.aggregator.close(slot) {
            Ok(a) => a,
            Err(e) => {
                self.log.write("aggregate_failed", json!({"slot": slot, "error": e.to_string()}));
                return;
            }
        };
        for (data, aggregate) in aggregates {
            let participants: Vec<usize> = aggregate.participation().ones().collect();
            self.log.write(
                "aggregated",
                json!({"slot": slot, "data": hex::encode(data.signing_root()), "participants": participants}),
            );
            self.justify(&data, &aggregate, store);
            self.publish(&Msg::Aggregate { data, aggregate });
        }
    }

    fn publish(&mut self, msg: &Msg<Sch>) {
        let (kind, ssz) = encode_msg(msg);
        let data = compress(&ssz);
        let topic = self.topics.of(kind, SUBNET);
        let id = hex::encode(message_id(&topic, &data));
        if let Msg::SignOff { share, .. } = msg {
            self.log.write("signed", json!({"kind": "sign_off", "slot": share.epoch}));
        }
        let fields = json!({"kind": kind_name(kind), "id": id, "bytes": data.len(), "slot": ndvt_adapter::node::wire::msg_slot(msg), "vote": vote_fields(msg)});
        self.keep_block(msg, &ssz);
        match self.swarm.behaviour_mut().gossipsub.publish(IdentTopic::new(topic), data) {
            Ok(_) => self.log.write("sent", fields),
            Err(e) => self
                .log
                .write("publish_failed", json!({"kind": kind_name(kind), "id": id, "error": e.to_string()})),
        }
    }
}
