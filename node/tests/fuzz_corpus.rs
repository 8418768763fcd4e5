//! The gossip fuzz target's committed corpus, replayed on stable through the same check libFuzzer runs
//! (`fuzz/src/gossip.rs`, included by path). `NDVT_WRITE_FUZZ_CORPUS=1` rewrites the seeds; otherwise the
//! committed seeds must equal their generator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../../fuzz/src/gossip.rs"]
mod gossip;

use std::path::PathBuf;

use ndvt_adapter::accounting::MemberVote;
use ndvt_adapter::block::{BlockCertificate, Proposal};
use ndvt_adapter::containers::{AttestationData, BlockHeader, Checkpoint};
use ndvt_adapter::node::Msg;
use ndvt_adapter::node::wire::encode_msg;
use ndvt_adapter::sim::{Sch, create_node_keys, key_dirs, open_node_signers};
use ndvt_aggregation::{ConcatAggregate, GroupSignature, GroupSigner};
use ndvt_node::validate::Validator;
use ndvt_node::wire::compress;
use tree_hash::Hash256;

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/decode_gossip"))
}

fn fetch_corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/decode_fetch"))
}

/// `blocks_by_root` seeds: a request for two roots, and a response carrying the certified seed block.
fn fetch_seeds() -> Vec<(String, Vec<u8>)> {
    let block = seeds().into_iter().find(|(name, _)| name == "seed-block").unwrap().1;
    let ssz = ndvt_node::wire::decompress(&block[1..]).unwrap();
    vec![
        ("seed-request".into(), ndvt_node::fetch::encode_request(&[[1; 32], [2; 32]])),
        ("seed-response".into(), ndvt_node::fetch::encode_response(&[ssz])),
    ]
}

/// Writes the seeds when `NDVT_WRITE_FUZZ_CORPUS` is set; otherwise they must equal the committed files.
fn match_committed(dir: &std::path::Path, seeds: &[(String, Vec<u8>)]) {
    if std::env::var_os("NDVT_WRITE_FUZZ_CORPUS").is_some() {
        std::fs::create_dir_all(dir).unwrap();
        for (name, bytes) in seeds {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    for (name, bytes) in seeds {
        assert_eq!(&std::fs::read(dir.join(name)).unwrap(), bytes, "{name} differs from its generator");
    }
}

#[test]
fn fetch_seeds_are_accepted_and_match_the_committed_corpus() {
    let seeds = fetch_seeds();
    let roots = ndvt_node::fetch::decode_request(&seeds[0].1).unwrap();
    assert_eq!(roots, vec![[1; 32], [2; 32]]);
    let blocks = ndvt_node::fetch::decode_response(&seeds[1].1).unwrap();
    let mut v = Validator::new(gossip_roster());
    assert!(v.check_fetched(&blocks[0], gossip::NOW_SLOT).is_ok(), "the fetched seed block is not accepted");
    for (_, bytes) in &seeds {
        gossip::decode_fetch(bytes);
    }
    match_committed(&fetch_corpus_dir(), &seeds);
}

fn seed(msg: &Msg<Sch>) -> Vec<u8> {
    let (kind, ssz) = encode_msg(msg);
    let selector = ndvt_adapter::node::wire::Kind::ALL.iter().position(|k| *k == kind).unwrap() as u8;
    [vec![selector], compress(&ssz)].concat()
}

/// One valid payload of every kind (signed by identity 0 of the fixed scenario), each accepted.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let s = gossip::scenario();
    let dir = tempfile::tempdir().unwrap();
    create_node_keys(dir.path(), s.seed, 0, s.slots).unwrap();
    let (a, p) = key_dirs(dir.path(), 0);
    let mut signers = open_node_signers(&a, &p, 0).unwrap();
    signers.attestation.signer_mut().prepare_until(3).unwrap();
    signers.proposal.signer_mut().prepare_until(3).unwrap();
    let header = BlockHeader { slot: 3, proposer_index: 0, ..BlockHeader::default() };
    let cp = |b: u8, slot| Checkpoint { root: Hash256::from([b; 32]), slot };
    let data = AttestationData { slot: 3, head: cp(1, 3), target: cp(2, 2), source: cp(0, 0) };
    let vote = signers.attestation.sign(3, &data.signing_root()).unwrap();
    let share = signers.proposal.sign(3, &header.root()).unwrap();
    // The single validator (identity 3, registry entry 1) alone in an aggregate of the same data.
    create_node_keys(dir.path(), s.seed, 3, s.slots).unwrap();
    let (a, p) = key_dirs(dir.path(), 3);
    let mut single = open_node_signers(&a, &p, 0).unwrap();
    single.attestation.signer_mut().prepare_until(3).unwrap();
    let mut aggregate = ConcatAggregate::new(3, data.signing_root(), 2);
    aggregate.add_single(1, single.attestation.sign(3, &data.signing_root()).unwrap().signature).unwrap();
    // The single validator's block, certified by its own signature (a 1-of-1 group).
    single.proposal.signer_mut().prepare_until(3).unwrap();
    let own = BlockHeader { proposer_index: 1, ..header };
    let own_share = single.proposal.sign(3, &own.root()).unwrap();
    let certificate = GroupSignature::combine(&gossip_roster().entries[1].proposal, &[own_share]).unwrap();
    vec![
        ("seed-block".into(), seed(&Msg::Block(BlockCertificate { header: own, signature: certificate }))),
        ("seed-proposal".into(), seed(&Msg::Proposal(Proposal { header, proposer_member: 1, attempt: 1 }))),
        ("seed-sign-off".into(), seed(&Msg::SignOff { entry: 0, root: header.root(), share })),
        (
            "seed-vote".into(),
            seed(&Msg::Vote { entry: 0, vote: MemberVote { member: 0, data, signature: vote.signature } }),
        ),
        ("seed-aggregate".into(), seed(&Msg::Aggregate { data, aggregate })),
    ]
}

#[test]
fn seeds_are_accepted_and_match_the_committed_corpus() {
    let seeds = seeds();
    for (name, bytes) in &seeds {
        let kinds = ndvt_adapter::node::wire::Kind::ALL;
        let kind = kinds[usize::from(bytes[0]) % kinds.len()];
        let mut v = Validator::new(gossip_roster());
        assert!(v.check(kind, &bytes[1..], gossip::NOW_SLOT).is_ok(), "{name} is not accepted");
        gossip::decode_gossip(bytes);
    }
    match_committed(&corpus_dir(), &seeds);
}

#[test]
fn every_committed_input_replays_without_a_panic() {
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        gossip::decode_gossip(&bytes);
        for cut in 0..bytes.len().min(64) {
            gossip::decode_gossip(&bytes[..cut]);
        }
    }
    for entry in std::fs::read_dir(fetch_corpus_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for cut in 0..=bytes.len() {
            gossip::decode_fetch(&bytes[..cut]);
        }
    }
}

fn gossip_roster() -> &'static ndvt_adapter::sim::Roster {
    static R: std::sync::OnceLock<ndvt_adapter::sim::Roster> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        let s = gossip::scenario();
        ndvt_adapter::sim::Roster::new(&s, &ndvt_adapter::sim::identities(&s).unwrap()).unwrap()
    })
}
