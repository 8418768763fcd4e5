//! Missing parents by root: a node that receives a certified block whose parent it does not hold (it restarted,
//! or was cut off while the parent went by) asks the peer that relayed the block for it over `blocks_by_root`,
//! and walks back one parent at a time until it reaches a block it holds or genesis. Every node answers such
//! requests from the certified blocks it has seen. A fetched block is checked exactly as a gossiped one, and it
//! must be the block that was asked for; then it goes to the core as a received block. The blocks that waited
//! for it (its descendants, received while their ancestry was incomplete) go to the core again once the chain
//! reaches a block the node holds, so that fork choice sees them with their ancestry.

use std::collections::HashMap;

use libp2p::PeerId;
use libp2p::request_response::{self, Message, OutboundRequestId};
use ndvt_adapter::block::BlockCertificate;
use ndvt_adapter::containers::BlockHeader;
use ndvt_adapter::node::{ChainStore, Event, Msg, SLOT_MS};
use ndvt_adapter::sim::Sch;
use serde_json::json;

use crate::config::NodeFile;
use crate::fetch::MAX_RESPONSE_BLOCKS;
use crate::run::{Core, Ctx, now_ms};
use crate::store::Store;
use crate::validate::Validator;

/// Most certified blocks a node keeps to answer with (as many as its block store holds).
const MAX_KEPT: usize = 4096;
/// Most parents in flight at once: a node this far behind catches up through justification first.
const MAX_IN_FLIGHT: usize = 16;
/// Most blocks waiting for their ancestry (a certificate of a 16-member leanVM group is about 19 KiB, so this
/// holds at most about 5 MiB when a peer never answers).
const MAX_ORPHANS: usize = 256;

/// What a node remembers for `blocks_by_root`: the blocks it can serve and the requests it has out.
#[derive(Default)]
pub(crate) struct Backfill {
    /// SSZ of every certified block seen (sent or received), by root.
    kept: HashMap<[u8; 32], Vec<u8>>,
    /// Outstanding requests: which root each asks for.
    asked: HashMap<OutboundRequestId, [u8; 32]>,
    /// Blocks whose ancestry was incomplete when they arrived, to hand to the core again once it is not.
    orphans: Vec<BlockCertificate<Sch>>,
}

type BlocksEvent = request_response::Event<Vec<[u8; 32]>, Vec<Vec<u8>>>;

impl Ctx<'_> {
    /// Keeps a certified block's SSZ bytes (`ssz`, the encoding of `msg` the caller already holds) to answer
    /// peers' requests for it.
    pub(crate) fn keep_block(&mut self, msg: &Msg<Sch>, ssz: &[u8]) {
        if let Msg::Block(c) = msg
            && self.backfill.kept.len() < MAX_KEPT
        {
            self.backfill.kept.insert(c.header.root(), ssz.to_vec());
        }
    }

    /// Asks `peer` for the parent of `block` when this node holds neither it nor a request for it, and keeps
    /// `block` as an orphan until it arrives. Returns whether the parent is held.
    pub(crate) fn want_parent(&mut self, block: &BlockCertificate<Sch>, store: &Store, peer: PeerId) -> bool {
        let header = &block.header;
        let parent = header.parent_root.0;
        if parent == store.genesis().root.0 || store.block(&parent).is_some() {
            return true;
        }
        if self.backfill.orphans.len() < MAX_ORPHANS {
            self.backfill.orphans.push(block.clone());
        }
        if self.backfill.asked.values().any(|r| *r == parent) || self.backfill.asked.len() >= MAX_IN_FLIGHT {
            return false;
        }
        let id = self.swarm.behaviour_mut().blocks.send_request(&peer, vec![parent]);
        self.backfill.asked.insert(id, parent);
        self.log.write(
            "fetch",
            json!({"root": hex::encode(parent), "peer": peer.to_string(), "child_slot": header.slot}),
        );
        false
    }

    /// Handles one `blocks_by_root` event: answers a request, takes in a response, or forgets a failure.
    pub(crate) fn blocks_event(
        &mut self,
        event: BlocksEvent,
        validator: &mut Validator<'_>,
        core: &mut Core,
        store: &mut Store,
        file: &NodeFile,
    ) {
        match event {
            request_response::Event::Message {
                peer,
                message: Message::Request { request, channel, .. },
                ..
            } => {
                let blocks: Vec<Vec<u8>> = request
                    .iter()
                    .filter_map(|root| self.backfill.kept.get(root).cloned())
                    .take(MAX_RESPONSE_BLOCKS)
                    .collect();
                self.log.write(
                    "served",
                    json!({"peer": peer.to_string(), "asked": request.len(), "blocks": blocks.len()}),
                );
                // A failure means the requester went away; nothing to do.
                let _ = self.swarm.behaviour_mut().blocks.send_response(channel, blocks);
            }
            request_response::Event::Message {
                peer,
                message: Message::Response { request_id, response },
                ..
            } => {
                let Some(root) = self.backfill.asked.remove(&request_id) else { return };
                if response.is_empty() {
                    self.log
                        .write("fetch_empty", json!({"root": hex::encode(root), "peer": peer.to_string()}));
                }
                for ssz in response {
                    self.take_fetched(&ssz, root, peer, validator, core, store, file);
                }
            }
            request_response::Event::OutboundFailure { request_id, peer, error, .. } => {
                if let Some(root) = self.backfill.asked.remove(&request_id) {
                    self.log.write(
                        "fetch_failed",
                        json!({"root": hex::encode(root), "peer": peer.to_string(), "error": error.to_string()}),
                    );
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn take_fetched(
        &mut self,
        ssz: &[u8],
        asked: [u8; 32],
        peer: PeerId,
        validator: &mut Validator<'_>,
        core: &mut Core,
        store: &mut Store,
        file: &NodeFile,
    ) {
        let now = now_ms(file);
        let certificate = match validator.check_fetched(ssz, now / SLOT_MS) {
            Ok(c) => c,
            Err(reason) => {
                self.log.write("drop", json!({"kind": "block", "reason": reason, "fetched": true}));
                return;
            }
        };
        let header = certificate.header;
        if header.root() != asked {
            self.log.write("drop", json!({"kind": "block", "reason": "unrequested", "fetched": true}));
            return;
        }
        self.log.write(
            "fetched",
            json!({"slot": header.slot, "root": hex::encode(asked), "peer": peer.to_string(), "bytes": ssz.len()}),
        );
        store.insert(header);
        let msg = Msg::Block(certificate.clone());
        // Strict decoding accepted it, so these bytes are its canonical encoding.
        self.keep_block(&msg, ssz);
        let actions = core.handle(now, Event::Received(msg), store);
        self.carry_out(core, actions, now / SLOT_MS);
        if self.want_parent(&certificate, store, peer) {
            // Ancestries may be whole again: the blocks that waited for one, oldest first.
            let (mut ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.backfill.orphans)
                .into_iter()
                .partition(|c| rooted(store, &c.header));
            self.backfill.orphans = waiting;
            ready.sort_by_key(|c| c.header.slot);
            for orphan in ready {
                let actions = core.handle(now, Event::Received(Msg::Block(orphan)), store);
                self.carry_out(core, actions, now / SLOT_MS);
            }
        }
    }
}

/// Whether the store holds every ancestor of `header` down to genesis (bounded by the store's size).
fn rooted(store: &Store, header: &BlockHeader) -> bool {
    let genesis = store.genesis().root.0;
    let mut cur = header.parent_root.0;
    for _ in 0..MAX_KEPT {
        if cur == genesis {
            return true;
        }
        match store.block(&cur) {
            Some(h) => cur = h.parent_root.0,
            None => return false,
        }
    }
    false
}
