#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ndvt_adapter::accounting::MemberVote;
use ndvt_adapter::containers::{AttestationData, BlockHeader, Checkpoint};
use ndvt_adapter::node::Msg;
use ndvt_adapter::node::wire::{Kind, encode_msg};
use ndvt_adapter::sim::{
    GroupConfig, Roster, Scenario, create_node_keys, identities, key_dirs, open_node_signers,
};
use ndvt_aggregation::GroupSigner;
use tree_hash::Hash256;

use super::*;
use crate::wire::compress;

/// A 2-of-3 group and one single validator, with identity 0's signers.
fn setup() -> (Roster, ndvt_adapter::sim::NodeSigners, tempfile::TempDir) {
    let scenario = Scenario {
        slots: 8,
        groups: vec![GroupConfig {
            name: None,
            m: 2,
            n: 3,
            balance_increments: None,
            backup: false,
            faults: vec![],
        }],
        singles: 1,
        ..Scenario::default_devnet()
    };
    let scenario = Scenario { partitions: vec![], ..scenario };
    let ids = identities(&scenario).unwrap();
    let dir = tempfile::tempdir().unwrap();
    create_node_keys(dir.path(), scenario.seed, 0, scenario.slots).unwrap();
    let (a, p) = key_dirs(dir.path(), 0);
    let signers = open_node_signers(&a, &p, 0).unwrap();
    (Roster::new(&scenario, &ids).unwrap(), signers, dir)
}

fn data(slot: u64) -> AttestationData {
    let cp = |b: u8, slot| Checkpoint { root: Hash256::from([b; 32]), slot };
    AttestationData { slot, head: cp(1, slot), target: cp(2, 0), source: cp(2, 0) }
}

fn payload(msg: &Msg<Sch>) -> (Kind, Vec<u8>) {
    let (kind, ssz) = encode_msg(msg);
    (kind, compress(&ssz))
}

fn vote(signers: &mut ndvt_adapter::sim::NodeSigners, slot: u64) -> Msg<Sch> {
    signers.attestation.signer_mut().prepare_until(slot).unwrap();
    let d = data(slot);
    let share = signers.attestation.sign(slot, &d.signing_root()).unwrap();
    Msg::Vote { entry: 0, vote: MemberVote { member: 0, data: d, signature: share.signature } }
}

fn header(slot: u64, proposer_index: u64) -> BlockHeader {
    BlockHeader { slot, proposer_index, ..BlockHeader::default() }
}

/// A block whose certificate holds `shares` of the proposer's group.
fn block(header: BlockHeader, roster: &Roster, shares: &[ndvt_aggregation::Share<Sch>]) -> Msg<Sch> {
    let entry = usize::try_from(header.proposer_index).unwrap().min(roster.entries.len() - 1);
    let certificate = ndvt_aggregation::GroupSignature::combine(&roster.entries[entry].proposal, shares)
        .or_else(|_| {
            // No shares: the encoding of an empty certificate over the block (decodes, never verifies).
            let mut bytes = roster.entries[entry].proposal.id().to_vec();
            bytes.extend(header.slot.to_le_bytes());
            bytes.extend(header.root());
            bytes.push(0);
            ndvt_aggregation::GroupSignature::from_bytes(&bytes)
        })
        .unwrap();
    Msg::Block(ndvt_adapter::block::BlockCertificate { header, signature: certificate })
}

#[test]
fn a_valid_vote_passes_once_then_is_a_duplicate() {
    let (roster, mut signers, _dir) = setup();
    let mut v = Validator::new(&roster);
    let (kind, bytes) = payload(&vote(&mut signers, 2));
    assert!(v.check(kind, &bytes, 2).is_ok());
    assert_eq!(v.check(kind, &bytes, 2).err(), Some(DropReason::Duplicate));
    assert_eq!(v.dropped().get(&DropReason::Duplicate), Some(&1));
}

#[test]
fn each_bad_input_class_is_dropped_with_its_reason() {
    let (roster, mut signers, _dir) = setup();
    let mut v = Validator::new(&roster);
    assert_eq!(
        v.check(Kind::Block, &[0xff, 0xff, 0xff, 0xff, 0xff, 0x0f], 1).err(),
        Some(DropReason::BadSnappy)
    );
    assert_eq!(v.check(Kind::Block, &compress(b"not a header"), 1).err(), Some(DropReason::BadSsz));
    let (kind, bytes) = payload(&block(header(1, 9), &roster, &[]));
    assert_eq!(v.check(kind, &bytes, 1).err(), Some(DropReason::UnknownValidator));
    let (kind, bytes) = payload(&block(header(5, 0), &roster, &[]));
    assert_eq!(v.check(kind, &bytes, 3).err(), Some(DropReason::FutureSlot));
    // A vote signed by member 0, claimed by member 1.
    let Msg::Vote { entry, mut vote } = vote(&mut signers, 3) else { unreachable!() };
    vote.member = 1;
    let (kind, bytes) = payload(&Msg::Vote { entry, vote: vote.clone() });
    assert_eq!(v.check(kind, &bytes, 3).err(), Some(DropReason::InvalidSignature));
    vote.member = 7;
    let (kind, bytes) = payload(&Msg::Vote { entry, vote });
    assert_eq!(v.check(kind, &bytes, 3).err(), Some(DropReason::UnknownValidator));
    for reason in
        [DropReason::BadSnappy, DropReason::BadSsz, DropReason::FutureSlot, DropReason::InvalidSignature]
    {
        assert_eq!(v.dropped().get(&reason), Some(&1), "{reason:?}");
    }
    assert_eq!(v.dropped().get(&DropReason::UnknownValidator), Some(&2));
}

#[test]
fn a_sign_off_over_another_root_than_it_names_is_an_invalid_signature() {
    let (roster, mut signers, _dir) = setup();
    let mut v = Validator::new(&roster);
    let h = header(2, 0);
    signers.proposal.signer_mut().prepare_until(2).unwrap();
    let share = signers.proposal.sign(2, &h.root()).unwrap();
    let (kind, bytes) = payload(&Msg::SignOff { entry: 0, root: h.root(), share: share.clone() });
    assert!(v.check(kind, &bytes, 2).is_ok());
    let (kind, bytes) = payload(&Msg::SignOff { entry: 0, root: [9; 32], share });
    assert_eq!(v.check(kind, &bytes, 2).err(), Some(DropReason::InvalidSignature));
}

#[test]
fn a_block_passes_only_with_m_of_its_groups_signatures() {
    let (roster, mut signers, dir) = setup();
    let mut v = Validator::new(&roster);
    let h = header(2, 0);
    signers.proposal.signer_mut().prepare_until(2).unwrap();
    let first = signers.proposal.sign(2, &h.root()).unwrap();
    // One of the 2-of-3 group's members: below the threshold, not certified.
    let (kind, bytes) = payload(&block(h, &roster, std::slice::from_ref(&first)));
    assert_eq!(v.check(kind, &bytes, 2).err(), Some(DropReason::InvalidSignature));
    // Member 1's signature as well: certified.
    create_node_keys(dir.path(), Scenario::default_devnet().seed, 1, 8).unwrap();
    let (a, p) = key_dirs(dir.path(), 1);
    let mut second = open_node_signers(&a, &p, 1).unwrap();
    second.proposal.signer_mut().prepare_until(2).unwrap();
    let share = second.proposal.sign(2, &h.root()).unwrap();
    let (kind, bytes) = payload(&block(h, &roster, &[first, share]));
    assert!(v.check(kind, &bytes, 2).is_ok());
    assert_eq!(v.dropped().get(&DropReason::InvalidSignature), Some(&1));
}
