#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The core on its own: events in, actions out, with real XMSS keys behind durable signers.

use std::collections::HashMap;
use std::path::Path;

use ndvt_aggregation::{GroupKey, GroupSignature, GroupSigner, ThresholdPolicy, Xmss, XmssMember};
use ndvt_xmss::{DurableSigner, SecretKey, TestInstance};
use tree_hash::Hash256;

use super::*;
use crate::block::BlockCertificate;
use crate::containers::{BlockHeader, Checkpoint};
use crate::sim::ProposalMode;

type Sch = Xmss<TestInstance>;
type Core = NodeCore<Sch, XmssMember<TestInstance>>;

#[derive(Default)]
struct Store(HashMap<[u8; 32], BlockHeader>);

impl ChainStore for Store {
    fn block(&self, root: &[u8; 32]) -> Option<BlockHeader> {
        self.0.get(root).copied()
    }
    fn insert(&mut self, header: BlockHeader) {
        self.0.insert(header.root(), header);
    }
    fn justified(&self) -> Checkpoint {
        genesis()
    }
    fn genesis(&self) -> Checkpoint {
        genesis()
    }
}

/// A block message as a driver hands it in. The core relies on its driver to have verified the certificate
/// (the node does, at the edge), so these tests carry one with no signatures.
fn block(header: BlockHeader) -> Msg<Sch> {
    let mut bytes = vec![0u8; 32];
    bytes.extend(header.slot.to_le_bytes());
    bytes.extend(header.root());
    bytes.push(0);
    Msg::Block(BlockCertificate { header, signature: GroupSignature::from_bytes(&bytes).unwrap() })
}

fn genesis() -> Checkpoint {
    Checkpoint { root: Hash256::from([7u8; 32]), slot: 0 }
}

fn create(dir: &Path, seed: u8, member: u8) -> XmssMember<TestInstance> {
    let (sk, _) = SecretKey::<TestInstance>::from_seed(&[seed; 32], 0, 16).unwrap();
    let mut signer = DurableSigner::create(dir, sk, 1).unwrap();
    signer.prepare_until(8).unwrap();
    XmssMember::new(member, signer)
}

fn open(dir: &Path, member: u8) -> XmssMember<TestInstance> {
    XmssMember::new(member, DurableSigner::open(dir).unwrap())
}

/// n members' signers under `root` (attestation and proposal keys per member).
fn signers(root: &Path, n: u8) -> Vec<Signers<XmssMember<TestInstance>>> {
    (0..n)
        .map(|i| Signers {
            attestation: create(&root.join(format!("a{i}")), 2 * i + 1, i),
            proposal: create(&root.join(format!("p{i}")), 2 * i + 2, i),
            rogue: None,
        })
        .collect()
}

fn core(
    member: u8,
    m: u8,
    all: &[Signers<XmssMember<TestInstance>>],
    own: Signers<XmssMember<TestInstance>>,
) -> Core {
    let keys = all.iter().map(|s| s.proposal.public_key()).collect();
    let (proposal_keys, _) = GroupKey::new(m, keys, ThresholdPolicy::Strict).unwrap();
    let cfg = NodeConfig {
        identity: usize::from(member),
        entry: 0,
        member,
        single: all.len() == 1,
        proposal_keys,
        mode: ProposalMode::Primary,
        fallback_timeout_ms: 150,
        faults: Vec::new(),
    };
    NodeCore::new(cfg, own, genesis())
}

fn group(root: &Path, m: u8, n: u8) -> Vec<Core> {
    let all = signers(root, n);
    let public: Vec<_> = signers(&root.join("pub"), n);
    all.into_iter().enumerate().map(|(i, own)| core(i as u8, m, &public, own)).collect()
}

#[test]
fn a_single_validator_certifies_its_own_block_and_adopts_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut own = signers(dir.path(), 1);
    let public = signers(&dir.path().join("pub"), 1);
    let mut node = core(0, 1, &public, own.remove(0));
    let mut store = Store::default();
    let actions = node.handle(4000, Event::ProposalDue { slot: 1, attempt: 0 }, &mut store);
    let [
        Action::Certified(h),
        Action::Send { to: Recipient::Everyone, msg: Msg::Block(BlockCertificate { header: b, signature }) },
    ] = &actions[..]
    else {
        panic!("{actions:?}")
    };
    assert_eq!((h, h.slot, h.parent_root), (b, 1, genesis().root));
    // Its certificate is its own signature as a 1-of-1 group, over the block's root at its slot.
    let (own_key, _) =
        GroupKey::new(1, vec![public[0].proposal.public_key()], ThresholdPolicy::Strict).unwrap();
    signature.verify(&own_key, 1, &h.root()).unwrap();
    assert_eq!(node.head(), Checkpoint { root: Hash256::from(h.root()), slot: 1 });
}

#[test]
fn only_the_primary_proposes_and_m_sign_offs_certify() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = group(dir.path(), 2, 3);
    let mut store = Store::default();
    let mut proposals = Vec::new();
    for node in &mut nodes {
        proposals.extend(node.handle(4000, Event::ProposalDue { slot: 1, attempt: 0 }, &mut store));
    }
    assert_eq!(proposals.len(), 2, "one primary, one proposal to each other member: {proposals:?}");
    let mut sign_offs = Vec::new();
    let mut primary = None;
    for action in proposals {
        let Action::Send { to: Recipient::Member(to), msg: msg @ Msg::Proposal(p) } = action else {
            panic!()
        };
        primary = Some(p.proposer_member);
        sign_offs.extend(nodes[usize::from(to)].handle(4050, Event::Received(msg), &mut store));
    }
    let primary = usize::from(primary.unwrap());
    let Action::Send { to: Recipient::Member(to), msg } = sign_offs.remove(0) else { panic!() };
    assert_eq!(usize::from(to), primary);
    let out = nodes[primary].handle(4100, Event::Received(msg), &mut store);
    assert!(
        matches!(out[..], [Action::Certified(h), Action::Send { to: Recipient::Everyone, .. }] if h.slot == 1)
    );
    // A fallback tick after certification does not make anyone propose a second block.
    for node in &mut nodes {
        assert!(node.handle(4150, Event::ProposalDue { slot: 1, attempt: 1 }, &mut store).is_empty());
    }
}

#[test]
fn a_proposal_from_a_member_that_is_not_primary_gets_no_sign_off() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = group(dir.path(), 2, 3);
    let mut store = Store::default();
    let first = crate::block::primary(1, &nodes[0].cfg.proposal_keys.id(), 3, 0).unwrap();
    let impostor = (first + 1) % 3;
    let header = BlockHeader { slot: 1, parent_root: genesis().root, ..BlockHeader::default() };
    let p = crate::block::Proposal { header, proposer_member: impostor, attempt: 0 };
    let judge = usize::from((first + 2) % 3);
    assert!(nodes[judge].handle(4050, Event::Received(Msg::Proposal(p)), &mut store).is_empty());
}

#[test]
fn a_restarted_member_signer_refuses_the_epoch_it_already_signed() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = group(dir.path(), 2, 3);
    let mut store = Store::default();
    let out = nodes[0].handle(4800, Event::AttestationDue { slot: 1 }, &mut store);
    let [Action::VoteSigned { data, .. }, Action::Send { to: Recipient::Aggregators, .. }] = &out[..] else {
        panic!("{out:?}")
    };
    assert_eq!(data.head, genesis());
    // The process dies: its protection record and view are gone, only the key directories remain.
    let public = signers(&dir.path().join("pub2"), 3);
    drop(nodes);
    let reopened = Signers {
        attestation: open(&dir.path().join("a0"), 0),
        proposal: open(&dir.path().join("p0"), 0),
        rogue: None,
    };
    let mut restarted = core(0, 2, &public, reopened);
    // After restart it has learned a block of slot 1, so its vote for slot 1 would differ: the signer refuses.
    let header = BlockHeader { slot: 1, parent_root: genesis().root, ..BlockHeader::default() };
    store.insert(header);
    restarted.handle(5000, Event::Received(block(header)), &mut store);
    let out = restarted.handle(5000, Event::AttestationDue { slot: 1 }, &mut store);
    assert!(matches!(out[..], [Action::Refused(Refusal::Signer)]), "{out:?}");
    // The next slot is signable again.
    let out = restarted.handle(8800, Event::AttestationDue { slot: 2 }, &mut store);
    assert!(matches!(out[..], [Action::VoteSigned { .. }, Action::Send { .. }]), "{out:?}");
}

#[test]
fn slashing_protection_refuses_a_conflicting_vote_in_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = group(dir.path(), 2, 3);
    let mut store = Store::default();
    assert_eq!(nodes[1].handle(4800, Event::AttestationDue { slot: 1 }, &mut store).len(), 2);
    let header = BlockHeader { slot: 1, parent_root: genesis().root, ..BlockHeader::default() };
    store.insert(header);
    nodes[1].handle(5000, Event::Received(block(header)), &mut store);
    let out = nodes[1].handle(5000, Event::AttestationDue { slot: 1 }, &mut store);
    assert!(matches!(out[..], [Action::Refused(Refusal::Protection)]), "{out:?}");
}
