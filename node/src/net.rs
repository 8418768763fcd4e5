//! The libp2p swarm of one node: QUIC on loopback (or any address), gossipsub with lean's parameters,
//! anonymous messages, application-side validation and peer scoring that grey-lists a peer after a few
//! invalid messages; and `blocks_by_root` request/response for missing parents (`fetch.rs`).

use std::time::Duration;

use libp2p::gossipsub::{
    self, IdentTopic, MessageAuthenticity, MessageId, PeerScoreParams, PeerScoreThresholds, TopicScoreParams,
    ValidationMode,
};
use libp2p::identity::Keypair;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::NetworkBehaviour;
use libp2p::{Multiaddr, StreamProtocol, Swarm, SwarmBuilder};
use sha2::{Digest, Sha256};

use crate::fetch::{BLOCKS_BY_ROOT, BlocksByRootCodec};
use crate::wire::{MAX_PAYLOAD_BYTES, message_id};

pub use behaviour::{Behaviour, BehaviourEvent};

mod behaviour {
    // The derive also writes `BehaviourEvent`, one variant per field, which it cannot document.
    #![allow(missing_docs)]

    use super::{BlocksByRootCodec, NetworkBehaviour, gossipsub, request_response};

    /// What a node speaks: lean's gossip and its `blocks_by_root` request/response.
    #[derive(NetworkBehaviour)]
    pub struct Behaviour {
        /// Gossipsub with lean's parameters.
        pub gossipsub: gossipsub::Behaviour,
        /// `blocks_by_root`: roots out, certified blocks (SSZ) back.
        pub blocks: request_response::Behaviour<BlocksByRootCodec>,
    }
}

/// How long a `blocks_by_root` request may take before it fails (a second peer is asked next time).
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the swarm could not be built or started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NetError {
    /// Gossipsub refused its configuration.
    #[error("gossipsub configuration: {0}")]
    Config(String),
    /// Listening failed.
    #[error("cannot listen on {addr}")]
    Listen {
        /// The address.
        addr: Multiaddr,
        /// Why.
        #[source]
        source: libp2p::TransportError<std::io::Error>,
    },
    /// Subscribing failed.
    #[error("cannot subscribe to {0}")]
    Subscribe(String),
}

/// The gossipsub configuration lean clients use (leanSpec networking; ream and ethlambda set the same).
pub fn gossipsub_config() -> Result<gossipsub::Config, NetError> {
    gossipsub::ConfigBuilder::default()
        .mesh_n(8)
        .mesh_n_low(6)
        .mesh_n_high(12)
        .gossip_lazy(6)
        .heartbeat_interval(Duration::from_millis(700))
        .fanout_ttl(Duration::from_secs(60))
        .history_length(6)
        .history_gossip(3)
        .duplicate_cache_time(Duration::from_secs(24))
        .max_transmit_size(MAX_PAYLOAD_BYTES)
        .validation_mode(ValidationMode::Anonymous)
        // The node reports every message's validation result itself (accept, reject or ignore).
        .validate_messages()
        .message_id_fn(|m: &gossipsub::Message| {
            MessageId::from(message_id(m.topic.as_str(), &m.data).to_vec())
        })
        .build()
        .map_err(|e| NetError::Config(e.to_string()))
}

/// Peer scoring: an invalid message costs `10 × count²` on its topic, so three put a peer below the
/// grey-list threshold (−80), where gossipsub ignores it and prunes it from the mesh.
fn score_params(topics: &[String]) -> PeerScoreParams {
    // Every devnet node shares 127.0.0.1: the default IP-colocation penalty would grey-list honest peers once
    // more than a few run on one host (seen with 16 nodes: four received nothing).
    let mut params = PeerScoreParams { ip_colocation_factor_weight: 0.0, ..PeerScoreParams::default() };
    for t in topics {
        let topic = TopicScoreParams {
            topic_weight: 1.0,
            // Small devnets carry few messages: no penalty for a quiet mesh.
            mesh_message_deliveries_weight: 0.0,
            mesh_failure_penalty_weight: 0.0,
            invalid_message_deliveries_weight: -10.0,
            invalid_message_deliveries_decay: 0.3,
            ..TopicScoreParams::default()
        };
        params.topics.insert(IdentTopic::new(t.clone()).hash(), topic);
    }
    params
}

/// A swarm listening on `listen`, subscribed to `topics`, answering and sending `blocks_by_root`.
pub fn swarm(keypair: Keypair, listen: Multiaddr, topics: &[String]) -> Result<Swarm<Behaviour>, NetError> {
    let config = gossipsub_config()?;
    let mut behaviour = gossipsub::Behaviour::new(MessageAuthenticity::Anonymous, config)
        .map_err(|e| NetError::Config(e.to_string()))?;
    behaviour
        .with_peer_score(score_params(topics), PeerScoreThresholds::default())
        .map_err(NetError::Config)?;
    for t in topics {
        behaviour.subscribe(&IdentTopic::new(t.clone())).map_err(|_| NetError::Subscribe(t.clone()))?;
    }
    let blocks = request_response::Behaviour::with_codec(
        BlocksByRootCodec,
        [(StreamProtocol::new(BLOCKS_BY_ROOT), ProtocolSupport::Full)],
        request_response::Config::default().with_request_timeout(FETCH_TIMEOUT),
    );
    let behaviour = Behaviour { gossipsub: behaviour, blocks };
    let mut swarm = SwarmBuilder::with_existing_identity(keypair)
        .with_tokio()
        .with_quic()
        .with_behaviour(|_| behaviour)
        .map_err(|e| NetError::Config(e.to_string()))?
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(3600)))
        .build();
    swarm.listen_on(listen.clone()).map_err(|source| NetError::Listen { addr: listen, source })?;
    Ok(swarm)
}

/// Identity `identity`'s peer key in the devnet of `devnet` (its identities' digest), derived so that every
/// node knows every other's peer id (the shim needs to know who relayed a message). Devnet-only: anyone
/// who knows the public keys can derive these, which is harmless here because a peer id carries no stake
/// (every vote and sign-off is checked against its XMSS key) but would not do for a real network.
pub fn peer_keypair(devnet: &[u8; 32], identity: usize) -> Result<Keypair, NetError> {
    let seed = [b"ndvt/devnet/peer".as_slice(), devnet, &(identity as u64).to_le_bytes()].concat();
    let mut bytes: [u8; 32] = Sha256::digest(seed).into();
    let secret = libp2p::identity::secp256k1::SecretKey::try_from_bytes(&mut bytes)
        .map_err(|e| NetError::Config(format!("peer key of identity {identity}: {e}")))?;
    Ok(libp2p::identity::secp256k1::Keypair::from(secret).into())
}

/// The QUIC multiaddr of `port` on 127.0.0.1.
pub fn loopback(port: u16) -> Multiaddr {
    format!("/ip4/127.0.0.1/udp/{port}/quic-v1").parse().unwrap_or_else(|_| Multiaddr::empty())
}
