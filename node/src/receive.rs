//! What the node does with a gossip message: validation (counted drops, gossipsub's verdict), the network
//! shim (partitions, loss, delay: `shim.rs`), then the core, if the message is for it. No protocol rule
//! lives here.

use libp2p::PeerId;
use libp2p::gossipsub::{self, MessageAcceptance, MessageId};
use libp2p::swarm::SwarmEvent;
use ndvt_adapter::accounting::MemberVote;
use ndvt_adapter::containers::AttestationData;
use ndvt_adapter::node::aggregate::is_aggregator;
use ndvt_adapter::node::detect::{component_name, offence_name};
use ndvt_adapter::node::wire::{Kind, msg_slot};
use ndvt_adapter::node::{ChainStore, Event, Msg, SLOT_MS};
use ndvt_adapter::sim::{Route, Sch};
use ndvt_aggregation::ConcatAggregate;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::config::NodeFile;
use crate::log::unix_ms;
use crate::net::BehaviourEvent;
use crate::run::{Core, Ctx, now_ms};
use crate::store::Store;
use crate::validate::{DropReason, Validator};

/// A message the shim holds back: delivered to the core at `due` (unix ms).
pub(crate) struct Held {
    msg: Msg<Sch>,
    kind: Kind,
    id: String,
    bytes: usize,
    shim_ms: u64,
    /// The peer that relayed it (asked for its parent if that is missing).
    from: PeerId,
}

/// True if the core takes `msg`: proposals and sign-offs are for the members of their own group only.
fn for_core(msg: &Msg<Sch>, entry: usize) -> bool {
    match msg {
        Msg::Proposal(p) => p.header.proposer_index == entry as u64,
        Msg::SignOff { entry: e, .. } => *e == entry,
        Msg::Block(_) | Msg::Vote { .. } | Msg::Aggregate { .. } => true,
    }
}

impl Ctx<'_> {
    fn verdict(&mut self, id: &MessageId, source: &PeerId, acceptance: MessageAcceptance) {
        let _ = self.swarm.behaviour_mut().gossipsub.report_message_validation_result(id, source, acceptance);
    }

    /// Handles one swarm event.
    pub(crate) fn network_event(
        &mut self,
        event: SwarmEvent<BehaviourEvent>,
        validator: &mut Validator<'_>,
        core: &mut Core,
        store: &mut Store,
        file: &NodeFile,
    ) {
        match event {
            SwarmEvent::Behaviour(BehaviourEvent::Blocks(event)) => {
                self.blocks_event(event, validator, core, store, file);
            }
            SwarmEvent::Behaviour(BehaviourEvent::Gossipsub(gossipsub::Event::Message {
                propagation_source,
                message_id,
                message,
            })) => {
                let slot = now_ms(file) / SLOT_MS;
                let Some(kind) = self.topics.kind_of(message.topic.as_str(), crate::run::SUBNET) else {
                    self.verdict(&message_id, &propagation_source, MessageAcceptance::Reject);
                    return;
                };
                let id = hex::encode(&message_id.0);
                let bytes = message.data.len();
                let msg = match validator.check(kind, &message.data, slot) {
                    Err(reason) => {
                        let acceptance = if reason == DropReason::Duplicate {
                            MessageAcceptance::Ignore
                        } else {
                            MessageAcceptance::Reject
                        };
                        self.verdict(&message_id, &propagation_source, acceptance);
                        self.log.write(
                            "drop",
                            json!({"kind": kind_name(kind), "id": id, "reason": reason, "bytes": bytes}),
                        );
                        return;
                    }
                    Ok(msg) => msg,
                };
                // A partition is a cut connection: what a peer across it relays is not forwarded either, so
                // nothing crosses the cut by another path.
                if self.shim.cut(&propagation_source, slot) {
                    self.verdict(&message_id, &propagation_source, MessageAcceptance::Ignore);
                    self.log.write(
                        "drop",
                        json!({"kind": kind_name(kind), "id": id, "reason": "partition", "bytes": bytes}),
                    );
                    return;
                }
                self.verdict(&message_id, &propagation_source, MessageAcceptance::Accept);
                let held = Held { msg, kind, id, bytes, shim_ms: 0, from: propagation_source };
                if !for_core(&held.msg, core.entry()) {
                    self.log_recv(&held);
                    return;
                }
                match self.shim.route(&propagation_source, slot) {
                    Route::Deliver(0) => self.deliver(held, core, store, file),
                    Route::Deliver(ms) => {
                        self.held_seq += 1;
                        self.held.insert((unix_ms() + ms, self.held_seq), Held { shim_ms: ms, ..held });
                    }
                    Route::Lost | Route::Cut => self.log.write(
                        "drop",
                        json!({"kind": kind_name(kind), "id": held.id, "reason": "loss", "bytes": bytes}),
                    ),
                }
            }
            SwarmEvent::ConnectionEstablished { peer_id, .. } => {
                self.log.write("connected", json!({"peer": peer_id.to_string()}));
            }
            _ => {}
        }
    }

    /// Delivers every held message that is due.
    pub(crate) fn release_due(&mut self, core: &mut Core, store: &mut Store, file: &NodeFile) {
        while let Some(entry) = self.held.first_entry() {
            if entry.key().0 > unix_ms() {
                break;
            }
            let held = entry.remove();
            self.deliver(held, core, store, file);
        }
    }

    fn log_recv(&mut self, h: &Held) {
        self.log.write(
            "recv",
            json!({"kind": kind_name(h.kind), "id": h.id, "bytes": h.bytes, "slot": msg_slot(&h.msg), "vote": vote_fields(&h.msg), "shim_ms": h.shim_ms}),
        );
    }

    fn deliver(&mut self, held: Held, core: &mut Core, store: &mut Store, file: &NodeFile) {
        self.log_recv(&held);
        let mut block = None;
        match &held.msg {
            Msg::Block(c) => {
                store.insert(c.header);
                self.keep_block(&held.msg, &ndvt_adapter::node::wire::encode_msg(&held.msg).1);
                block = Some(c.clone());
            }
            Msg::Vote { entry, vote } => self.see_vote(*entry, vote.clone()),
            Msg::Aggregate { data, aggregate } => self.justify(data, aggregate, store),
            _ => {}
        }
        let now = now_ms(file);
        let actions = core.handle(now, Event::Received(held.msg), store);
        self.carry_out(core, actions, now / SLOT_MS);
        if let Some(c) = block {
            self.want_parent(&c, store, held.from);
        }
    }
}

impl Ctx<'_> {
    /// A verified aggregate moves the justified checkpoint once two thirds of the balance is behind a target.
    pub(crate) fn justify(
        &mut self,
        data: &AttestationData,
        aggregate: &ConcatAggregate<Sch>,
        store: &mut Store,
    ) {
        if let Some(cp) = self.justifier.observe(data, &aggregate.participation()) {
            store.justify(cp);
            self.log.write("justified", json!({"slot": cp.slot, "root": hex::encode(cp.root.0)}));
        }
    }

    /// A verified vote (received, or this node's own) goes to the slashing detector and, if this node
    /// aggregates its slot, to the aggregator; a member's second, conflicting vote of a slot is logged at once
    /// as its equivocation.
    pub(crate) fn see_vote(&mut self, entry: usize, vote: MemberVote<Sch>) {
        let (member, slot) = (vote.member, vote.data.slot);
        if is_aggregator(self.identity, slot, self.roster_identities) {
            self.aggregator.add(entry, vote.clone());
        }
        let data = hex::encode(vote.data.signing_root());
        if let Some(earlier) = self.detector.add(entry, vote) {
            let earlier = hex::encode(earlier.signing_root());
            self.log.write(
                "equivocation",
                json!({"entry": entry, "member": member, "slot": slot, "data": [earlier, data]}),
            );
        }
    }

    /// Slashing evidence the votes seen so far prove (verified by the registry), each logged once.
    pub(crate) fn detect(&mut self, now_slot: u64) {
        let roster = self.roster;
        let group = |e: usize| roster.entries.get(e).filter(|m| !m.single).map(|m| &m.attestation);
        for d in self.detector.detect(&roster.registry, group, now_slot) {
            // One key per conflict, the same at every node, so that the report counts each event once.
            let key: [u8; 32] = Sha256::digest(format!("{:?}", d.key)).into();
            self.log.write(
                "slashing",
                json!({
                    "entry": d.key.entry,
                    "offence": offence_name(d.offence),
                    "component": component_name(d.key.a.1.component()),
                    "slots": [d.key.a.0, d.key.b.0],
                    "key": hex::encode(key),
                }),
            );
        }
    }
}

pub(crate) fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Block => "block",
        Kind::Proposal => "proposal",
        Kind::SignOff => "sign_off",
        Kind::Vote => "vote",
        Kind::Aggregate => "aggregate",
    }
}

/// A vote's entry, member and signed data root (what the devnet's report tallies).
pub(crate) fn vote_fields(msg: &Msg<Sch>) -> serde_json::Value {
    match msg {
        Msg::Vote { entry, vote } => json!({
            "entry": entry,
            "member": vote.member,
            "data": hex::encode(vote.data.signing_root()),
            "head": hex::encode(vote.data.head.root.0),
            "target": hex::encode(vote.data.target.root.0),
            "source": hex::encode(vote.data.source.root.0),
        }),
        _ => serde_json::Value::Null,
    }
}
