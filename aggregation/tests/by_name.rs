//! Groups and aggregates by instance name (the bindings' API): create, share, combine, verify, aggregate,
//! and one test per class of error asserting its exact variant.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use ndvt_aggregation::by_name::{self, ContributionBytes, Error, ParticipantBytes};
use ndvt_aggregation::{GroupKeyError, ShareDecodeError};
use ndvt_xmss::by_name::{self as keys, Origin, Signer};
use ndvt_xmss::registry::InstanceId;
use zeroize::Zeroizing;

const ID: InstanceId = InstanceId::Test;
const MSG: [u8; 32] = [0x42; 32];

/// `n` signers of the test set, each in its own directory under a fresh temporary folder.
fn members(tag: &str, n: u8) -> (std::path::PathBuf, Vec<Box<dyn Signer>>) {
    let root = std::env::temp_dir().join(format!("ndvt-agg-by-name-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let signers = (0..n)
        .map(|i| {
            let seed = Zeroizing::new([i + 1; 32]);
            let origin = Origin::Seed { seed: &seed, first_epoch: 0 };
            keys::generate(ID, &root.join(i.to_string()), origin, 0, Some(64)).unwrap()
        })
        .collect();
    (root, signers)
}

fn share_of(signer: &mut Box<dyn Signer>, epoch: u64, message: &[u8; 32]) -> Vec<u8> {
    let sig = signer.sign(epoch, message).unwrap();
    by_name::share(ID, &signer.public_key(), epoch, message, &sig).unwrap()
}

#[test]
fn a_group_signs_combines_verifies_and_aggregates() {
    let (root, mut signers) = members("flow", 4);
    let pks: Vec<Vec<u8>> = signers.iter().map(|s| s.public_key()).collect();
    let pk_refs: Vec<&[u8]> = pks[..3].iter().map(Vec::as_slice).collect();
    let (group, findings) = by_name::create_group(ID, 2, &pk_refs, false).unwrap();
    assert_eq!((findings.report.liveness_margin, findings.report.safety_margin), (1, 0));

    let shares: Vec<Vec<u8>> = signers[..2].iter_mut().map(|s| share_of(s, 7, &MSG)).collect();
    let share_refs: Vec<&[u8]> = shares.iter().map(Vec::as_slice).collect();
    let signature = by_name::combine(ID, &group, &share_refs).unwrap();
    assert_eq!(signature[..32], findings.group_id);
    by_name::verify_group(ID, &group, 7, &MSG, &signature).unwrap();
    assert!(by_name::verify_group(ID, &group, 8, &MSG, &signature).is_err());
    assert!(by_name::verify_group(ID, &group, 7, &[0; 32], &signature).is_err());
    assert!(by_name::verify_group(ID, &group, 7, &MSG, &signature[1..]).is_err());
    assert!(by_name::verify_group(ID, &group[1..], 7, &MSG, &signature).is_err());

    // Registry: the group, then member 3 as a single validator.
    let single = signers[3].sign(7, &MSG).unwrap();
    let aggregate = by_name::concat_aggregate(
        ID,
        2,
        7,
        &MSG,
        &[(0, ContributionBytes::Group(&signature)), (1, ContributionBytes::Single(&single))],
    )
    .unwrap();
    let registry = [ParticipantBytes::Group(&group), ParticipantBytes::Single(&pks[3])];
    by_name::verify_aggregate(ID, &registry, 7, &MSG, &aggregate).unwrap();
    assert!(by_name::verify_aggregate(ID, &registry, 8, &MSG, &aggregate).is_err());
    let swapped = [ParticipantBytes::Single(&pks[3]), ParticipantBytes::Group(&group)];
    assert!(by_name::verify_aggregate(ID, &swapped, 7, &MSG, &aggregate).is_err());
    let e =
        by_name::concat_aggregate(ID, 2, 7, &MSG, &[(5, ContributionBytes::Single(&single))]).unwrap_err();
    assert!(matches!(e, Error::Contribution { index: 0, .. }), "{e:?}");
    drop(signers);
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn the_linter_refusing_is_its_own_class() {
    let (root, signers) = members("linter", 2);
    let pks: Vec<Vec<u8>> = signers.iter().map(|s| s.public_key()).collect();
    let refs: Vec<&[u8]> = pks.iter().map(Vec::as_slice).collect();
    let e = by_name::create_group(ID, 1, &refs, false).unwrap_err();
    assert!(matches!(e, Error::Linter(GroupKeyError::DisjointQuorums { .. })), "{e:?}");
    let e = by_name::create_group(ID, 0, &refs, false).unwrap_err();
    assert!(matches!(e, Error::Linter(GroupKeyError::ZeroThreshold)), "{e:?}");
    let e = by_name::create_group(ID, 3, &refs, false).unwrap_err();
    assert!(matches!(e, Error::Linter(GroupKeyError::ThresholdAboveMembers { m: 3, n: 2 })), "{e:?}");
    let (_, findings) = by_name::create_group(ID, 1, &refs, true).unwrap();
    assert!(findings.report.safety_margin < 0 && !findings.report.warnings.is_empty());
    drop(signers);
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn malformed_members_shares_and_too_few_shares_are_distinct() {
    let (root, mut signers) = members("bad", 3);
    let pks: Vec<Vec<u8>> = signers.iter().map(|s| s.public_key()).collect();
    let bad = [&pks[0][..], &pks[1][..51]];
    let e = by_name::create_group(ID, 2, &bad, false).unwrap_err();
    assert!(matches!(e, Error::GroupKey(GroupKeyError::MemberKey { index: 1, .. })), "{e:?}");

    let refs: Vec<&[u8]> = pks.iter().map(Vec::as_slice).collect();
    let (group, _) = by_name::create_group(ID, 2, &refs, false).unwrap();
    let one = share_of(&mut signers[0], 3, &MSG);
    let e = by_name::combine(ID, &group, &[&one, &one]).unwrap_err();
    assert!(matches!(e, Error::BelowThreshold { valid: 1, needed: 2, .. }), "{e:?}");
    let e = by_name::combine(ID, &group, &[&one, &one[1..]]).unwrap_err();
    assert!(matches!(e, Error::Share { index: 1, source: ShareDecodeError::WrongScheme { .. } }), "{e:?}");
    let e = by_name::combine(ID, &group[..10], &[&one]).unwrap_err();
    assert!(matches!(e, Error::GroupKey(_)), "{e:?}");
    let e = by_name::share(ID, &pks[0], 3, &MSG, &[0; 10]).unwrap_err();
    assert!(matches!(e, Error::Signature(ShareDecodeError::Signature(_))), "{e:?}");
    let e = by_name::share(ID, &pks[0], 3, &[0; 31], &[0; 10]).unwrap_err();
    assert!(matches!(e, Error::MessageLength(31)), "{e:?}");
    drop(signers);
    std::fs::remove_dir_all(root).unwrap();
}
