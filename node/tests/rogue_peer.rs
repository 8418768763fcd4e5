#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! A rogue libp2p peer, in process, publishes one payload of every bad-input class to a running node: the
//! node drops each with its counted reason, rejects it to gossipsub, and keeps running to its last slot.

use std::time::{Duration, Instant};

use libp2p::futures::StreamExt;
use libp2p::gossipsub::{self, IdentTopic};
use libp2p::identity::Keypair;
use libp2p::swarm::SwarmEvent;
use ndvt_adapter::containers::BlockHeader;
use ndvt_adapter::node::Msg;
use ndvt_adapter::node::wire::{Kind, encode_msg};
use ndvt_adapter::sim::{GroupConfig, Scenario, Sch, create_node_keys, identities, key_dirs};
use ndvt_node::NodeFile;
use ndvt_node::config::write_identities;
use ndvt_node::log::unix_ms;
use ndvt_node::net::{BehaviourEvent, loopback, swarm};
use ndvt_node::run::{SUBNET, fork_digest};
use ndvt_node::wire::{Topics, compress};

const PORT: u16 = 19_071;

#[test]
fn a_rogue_peer_is_dropped_with_a_counted_reason_per_class_and_the_node_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario {
        slots: 8,
        groups: vec![GroupConfig {
            name: None,
            m: 1,
            n: 1,
            balance_increments: None,
            backup: false,
            faults: vec![],
        }],
        singles: 0,
        partitions: vec![],
        ..Scenario::default_devnet()
    };
    let ids = identities(&scenario).unwrap();
    create_node_keys(dir.path(), scenario.seed, 0, scenario.slots).unwrap();
    std::fs::write(dir.path().join("scenario.toml"), scenario.to_toml().unwrap()).unwrap();
    write_identities(&dir.path().join("identities.json"), &ids).unwrap();
    let (a, p) = key_dirs(dir.path(), 0);
    let log = dir.path().join("node.jsonl");
    // Slot 1 begins a second from now; the node stops by itself when slot 4 begins.
    let file = NodeFile {
        identity: 0,
        scenario: dir.path().join("scenario.toml"),
        identities: dir.path().join("identities.json"),
        genesis_ms: unix_ms() - 3_000,
        attestation_key_dir: a,
        proposal_key_dir: p,
        listen_port: PORT,
        listen_host: "127.0.0.1".into(),
        bootstrap: vec![],
        log: log.clone(),
        last_slot: Some(3),
        late_by_signal: false,
        network_shim: false,
        rogue_key_dirs: None,
    };
    let node = std::thread::spawn(move || ndvt_node::run(&file));

    let topics = Topics::new(fork_digest(&ids));
    let names: Vec<String> = Kind::ALL.iter().map(|k| topics.of(*k, SUBNET)).collect();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let mut rogue = swarm(Keypair::generate_secp256k1(), loopback(PORT + 1), &names).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        rogue.dial(loopback(PORT)).unwrap();
        let block = topics.of(Kind::Block, SUBNET);
        let vote_topic = topics.of(Kind::Vote, SUBNET);
        let header = |slot, proposer_index| BlockHeader { slot, proposer_index, ..BlockHeader::default() };
        let ssz = |m: Msg<Sch>| compress(&encode_msg(&m).1);
        let (bad_vote, future_sign_off) = forged(&dir, &scenario);
        // Spread over topics: peer scoring counts invalid messages per topic, and five on one topic would
        // grey-list the rogue (as intended) before the last ones reach the node's validation.
        let garbage: Vec<(String, Vec<u8>)> = vec![
            (block.clone(), vec![0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 1]),
            (topics.of(Kind::Proposal, SUBNET), compress(b"not a proposal")),
            (vote_topic.clone(), bad_vote),
            (topics.of(Kind::SignOff, SUBNET), future_sign_off),
            (block.clone(), ssz(uncertified(header(1, 77)))),
        ];
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut subscribed = 0;
        let mut sent = false;
        while Instant::now() < deadline && !node.is_finished() {
            let ev = tokio::time::timeout(Duration::from_millis(200), rogue.select_next_some()).await;
            if let Ok(SwarmEvent::Behaviour(BehaviourEvent::Gossipsub(gossipsub::Event::Subscribed {
                ..
            }))) = ev
            {
                subscribed += 1;
            }
            if !sent && subscribed >= names.len() {
                for (topic, data) in &garbage {
                    rogue
                        .behaviour_mut()
                        .gossipsub
                        .publish(IdentTopic::new(topic.clone()), data.clone())
                        .unwrap();
                }
                sent = true;
            }
        }
        assert!(sent, "the node never subscribed");
    });
    node.join().unwrap().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let reasons: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["ev"] == "drop")
        .map(|r| r["reason"].as_str().unwrap().to_string())
        .collect();
    for want in ["bad_snappy", "bad_ssz", "unknown_validator", "future_slot", "invalid_signature"] {
        assert_eq!(reasons.iter().filter(|r| *r == want).count(), 1, "{want}: {reasons:?}");
    }
    let stop = text.lines().last().unwrap();
    assert!(stop.contains("\"ev\":\"stop\""), "the node did not run to its last slot: {stop}");
    assert!(stop.contains("\"bad_snappy\":1"), "{stop}");
}

/// Payloads signed with a second copy of identity 0's keys (the node holds the first): a vote whose signature
/// is over other data, and a well-signed sign-off claiming slot 500.
fn forged(dir: &tempfile::TempDir, scenario: &Scenario) -> (Vec<u8>, Vec<u8>) {
    use ndvt_adapter::accounting::MemberVote;
    use ndvt_adapter::containers::AttestationData;
    use ndvt_aggregation::GroupSigner;
    let copy = dir.path().join("copy");
    create_node_keys(&copy, scenario.seed, 0, scenario.slots).unwrap();
    let (a, p) = key_dirs(&copy, 0);
    let mut signers = ndvt_adapter::sim::open_node_signers(&a, &p, 0).unwrap();
    signers.attestation.signer_mut().prepare_until(1).unwrap();
    signers.proposal.signer_mut().prepare_until(1).unwrap();
    let signed = AttestationData { slot: 1, ..AttestationData::default() };
    let share = signers.attestation.sign(1, &signed.signing_root()).unwrap();
    let mut claimed = signed;
    claimed.head.slot = 1;
    let vote: Msg<Sch> =
        Msg::Vote { entry: 0, vote: MemberVote { member: 0, data: claimed, signature: share.signature } };
    let root = [5u8; 32];
    let mut share = signers.proposal.sign(1, &root).unwrap();
    share.epoch = 500;
    let sign_off: Msg<Sch> = Msg::SignOff { entry: 0, root, share };
    (compress(&encode_msg(&vote).1), compress(&encode_msg(&sign_off).1))
}

/// A block with an empty certificate over it: decodes, and names a proposer the registry may not have.
fn uncertified(header: ndvt_adapter::containers::BlockHeader) -> Msg<Sch> {
    let mut bytes = vec![0u8; 32];
    bytes.extend(header.slot.to_le_bytes());
    bytes.extend(header.root());
    bytes.push(0);
    let signature = ndvt_aggregation::GroupSignature::from_bytes(&bytes).unwrap();
    Msg::Block(ndvt_adapter::block::BlockCertificate { header, signature })
}
