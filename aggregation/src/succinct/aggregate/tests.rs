//! Soundness against dishonest provers: witnesses the honest prover would refuse are fed to the trace
//! builder directly, and no proof of them may verify.

use std::panic::{AssertUnwindSafe, catch_unwind};

use ndvt_xmss::primitives::walk;

use super::super::fixture::single_epoch_signature;
use p3_field::PrimeCharacteristicRing;

use super::super::config::{Val, config};
use super::super::error::{Rejection, SuccinctError};
use super::proof::{
    AggregateProof, DOMAIN_TAG, prove_signers, prove_signers_with, select_signers, verify_aggregate, witness,
};
use super::statement::{AggregateStatement, Contribution, Participant};
use super::{CHAINS, SignerWitness, TOP};

const EPOCH: u32 = 4242;
const MESSAGE: [u8; 32] = [0xa5; 32];

/// A group `m`-of-`n` where everyone signed, then `singles` single validators.
fn setup(m: u8, n: u8, singles: usize) -> (AggregateStatement, Vec<Contribution>) {
    let keys: Vec<_> = (0..n).map(|j| single_epoch_signature(u64::from(j), EPOCH, &MESSAGE)).collect();
    let mut participants = vec![Participant::group(m, keys.iter().map(|k| k.0).collect()).unwrap()];
    let mut contributions: Vec<Contribution> = keys
        .iter()
        .enumerate()
        .map(|(j, k)| Contribution { participant: 0, member: j as u8, signature: k.1.clone() })
        .collect();
    for s in 0..singles {
        let (pk, sig) = single_epoch_signature(1000 + s as u64, EPOCH, &MESSAGE);
        contributions.push(Contribution { participant: participants.len(), member: 0, signature: sig });
        participants.push(Participant::single(pk));
    }
    (AggregateStatement::new(MESSAGE, EPOCH, participants).unwrap(), contributions)
}

/// True if no verifying proof comes out of these rows: the prover's own constraint check (debug builds)
/// panics, proving fails, or the proof does not verify.
fn refused(statement: &AggregateStatement, signers: &[SignerWitness]) -> bool {
    match catch_unwind(AssertUnwindSafe(|| prove_signers(statement, signers))) {
        Err(_) | Ok(Err(_)) => true,
        Ok(Ok(proof)) => match verify_aggregate(statement, &proof) {
            Ok(()) => false,
            // The rows fill the statement's table heights: the constraints and lookups must be what
            // rejects them, not the shape check in front of them.
            Err(e) => {
                assert!(!matches!(e, SuccinctError::Rejected(Rejection::Heights { .. })), "{e}");
                true
            }
        },
    }
}

fn honest(statement: &AggregateStatement, contributions: &[Contribution]) -> Vec<SignerWitness> {
    select_signers(statement, contributions).unwrap()
}

#[test]
fn the_honest_rows_verify_through_the_same_path() {
    let (statement, contributions) = setup(3, 4, 3);
    assert!(!refused(&statement, &honest(&statement, &contributions)));
}

/// 3-of-4 plus three singles needs 6 signatures; five (two from the group) fill the same table heights.
#[test]
fn a_group_with_m_minus_one_signatures_cannot_be_proven() {
    let (statement, contributions) = setup(3, 4, 3);
    let mut signers = honest(&statement, &contributions);
    signers.remove(2);
    assert_eq!(signers.len(), 5);
    assert!(refused(&statement, &signers));
}

#[test]
fn a_duplicate_member_cannot_be_counted_twice() {
    let (statement, contributions) = setup(2, 3, 1);
    let mut signers = honest(&statement, &contributions);
    let pk = statement.participants[0].members()[0];
    signers[1] = witness(&statement, 0, 2, &pk, &contributions[0]).unwrap();
    assert_eq!((signers[0].member, signers[1].member), (0, 0));
    assert!(refused(&statement, &signers));
}

#[test]
fn members_must_be_listed_in_increasing_order() {
    let (statement, contributions) = setup(2, 3, 1);
    let mut signers = honest(&statement, &contributions);
    signers.swap(0, 1);
    assert!(refused(&statement, &signers));
}

#[test]
fn a_signature_under_a_key_outside_the_group_cannot_be_counted() {
    let (statement, contributions) = setup(2, 3, 1);
    let mut signers = honest(&statement, &contributions);
    let (outsider, sig) = single_epoch_signature(777, EPOCH, &MESSAGE);
    let forged = Contribution { participant: 0, member: 1, signature: sig };
    signers[1] = witness(&statement, 0, 2, &outsider, &forged).unwrap();
    assert!(refused(&statement, &signers));
}

#[test]
fn a_lower_threshold_cannot_be_claimed() {
    let (statement, contributions) = setup(3, 4, 3);
    let mut signers = honest(&statement, &contributions);
    // Claim threshold 2 for the group (the key table says 3) and drop one group signature.
    signers.remove(2);
    for w in signers.iter_mut().filter(|w| w.participant == 0) {
        w.threshold = 2;
    }
    assert!(refused(&statement, &signers));
}

#[test]
fn every_participant_must_be_covered() {
    let (statement, contributions) = setup(2, 3, 2);
    let mut signers = honest(&statement, &contributions);
    // Leave out the last single validator and count a third group member in its place.
    signers.pop();
    let pk = statement.participants[0].members()[2];
    signers.insert(2, witness(&statement, 0, 2, &pk, &contributions[2]).unwrap());
    assert_eq!(signers.len(), 4);
    assert!(refused(&statement, &signers));
}

/// A chain that still has steps to take cannot pass its end off as the hash of a chain with digit 7,
/// which the chain table sends without walking.
#[test]
fn a_chain_cannot_skip_its_walk_by_claiming_digit_7() {
    let (statement, contributions) = setup(2, 3, 1);
    let mut signers = honest(&statement, &contributions);
    let w = &mut signers[0];
    let chain = (0..CHAINS).find(|&c| usize::from(w.digits[c]) < TOP).unwrap();
    w.digits[chain] = TOP as u8;
    w.hashes[chain] = w.ends[chain];
    assert!(refused(&statement, &signers));
}

/// A walk cannot start one position after the codeword digit (one step fewer, from a hash the signer
/// never revealed).
#[test]
fn a_walk_cannot_start_after_the_digit() {
    let (statement, contributions) = setup(2, 3, 1);
    let mut signers = honest(&statement, &contributions);
    let w = &mut signers[1];
    let chain = (0..CHAINS).find(|&c| usize::from(w.digits[c]) + 1 < TOP).unwrap();
    let digit = w.digits[chain];
    w.hashes[chain] = walk(&w.parameter, EPOCH, chain as u8, digit, 1, &w.hashes[chain]);
    w.digits[chain] = digit + 1;
    assert!(refused(&statement, &signers));
}

/// The prover grinds before the LogUp challenges and the verifier checks it: a proof made without the
/// lookup grinding, or with its proof-of-work witness dropped or changed, does not verify.
#[test]
fn the_lookup_grinding_is_performed_and_checked() {
    let (statement, contributions) = setup(1, 1, 0);
    let signers = honest(&statement, &contributions);
    let ungrounded = prove_signers_with(&statement, &signers, &config(DOMAIN_TAG)).unwrap();
    assert!(verify_aggregate(&statement, &ungrounded).is_err(), "a proof without lookup grinding verified");

    let proof = prove_signers(&statement, &signers).unwrap();
    verify_aggregate(&statement, &proof).unwrap();
    let ground = proof.0.lookup_pow_witness.expect("the prover grinds before the LogUp challenges");
    for forged in [None, Some(ground + Val::ONE)] {
        let mut copy = AggregateProof::from_bytes(&proof.to_bytes()).unwrap();
        copy.0.lookup_pow_witness = forged;
        assert!(verify_aggregate(&statement, &copy).is_err(), "{forged:?} accepted");
    }
}
