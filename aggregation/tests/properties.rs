//! Property: a collector yields a group signature iff at least m distinct roster members validly signed the
//! same (epoch, message), and what it yields verifies; shares that are reordered, duplicated, foreign, or on
//! another message never count. 10,000 cases per scheme (XMSS test instance and Ed25519).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::LazyLock;

use common::{Fixture, TestXmss};
use ndvt_aggregation::{
    Collector, Ed25519, GroupKey, GroupSignature, GroupSigner, Scheme, Share, ThresholdPolicy,
};
use proptest::prelude::*;

const TARGET: [u8; 32] = [0x51; 32];
const OTHER: [u8; 32] = [0x52; 32];
const EPOCH: u64 = 4;

/// Per scheme: 16 members, each with a share on TARGET and one on OTHER (at epochs EPOCH and EPOCH + 1
/// for XMSS one-time keys), and a foreign signer's share on TARGET.
struct Pool<S: Scheme> {
    keys: Vec<S::PublicKey>,
    target: Vec<Share<S>>,
    other: Vec<Share<S>>,
    foreign: S::Signature,
}

fn pool<S: Fixture>() -> Pool<S> {
    let mut ms: Vec<S::Member> = (0..16u8).map(|i| S::member(i, 100 + i)).collect();
    let keys = ms.iter().map(|m| m.public_key()).collect();
    let target = ms.iter_mut().map(|m| m.sign(EPOCH, &TARGET).map_err(|e| e.to_string()).unwrap()).collect();
    let other =
        ms.iter_mut().map(|m| m.sign(EPOCH + 1, &OTHER).map_err(|e| e.to_string()).unwrap()).collect();
    Pool { keys, target, other, foreign: S::foreign(EPOCH, &TARGET).1 }
}

static XMSS: LazyLock<Pool<TestXmss>> = LazyLock::new(pool::<TestXmss>);
static ED25519: LazyLock<Pool<Ed25519>> = LazyLock::new(pool::<Ed25519>);

/// What one offered share is: a valid share, a share on another message, a foreign key's signature put
/// under a member's index, or another member's signature under this index.
#[derive(Clone, Debug)]
enum Kind {
    Valid,
    OtherMessage,
    Foreign,
    Swapped(u8),
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![6 => Just(Kind::Valid), 1 => Just(Kind::OtherMessage), 1 => Just(Kind::Foreign), 1 => (0u8..16).prop_map(Kind::Swapped)]
}

fn check<S: Scheme>(pool: &Pool<S>, n: u8, m: u8, offers: &[(u8, Kind)]) -> Result<(), TestCaseError> {
    let m = m.min(n);
    let (group, _) =
        GroupKey::<S>::new(m, pool.keys[..usize::from(n)].to_vec(), ThresholdPolicy::AllowDisjointQuorums)
            .unwrap();
    let mut collector = Collector::new(&group, EPOCH, TARGET);
    let mut honest = std::collections::BTreeSet::new();
    for (member, kind) in offers {
        let member = member % 16;
        let share = match kind {
            Kind::Valid => pool.target[usize::from(member)].clone(),
            Kind::OtherMessage => pool.other[usize::from(member)].clone(),
            Kind::Foreign => Share { member, epoch: EPOCH, message: TARGET, signature: pool.foreign.clone() },
            Kind::Swapped(j) => {
                let j = j % 16;
                Share {
                    member,
                    epoch: EPOCH,
                    message: TARGET,
                    signature: pool.target[usize::from(j)].signature.clone(),
                }
            }
        };
        let validly_signed = member < n && matches!(kind, Kind::Valid)
            || matches!(kind, Kind::Swapped(j) if j % 16 == member && member < n);
        if validly_signed {
            honest.insert(member);
        }
        let _ = collector.offer(&share);
    }
    let reached = honest.len() >= usize::from(m);
    prop_assert_eq!(collector.signature().is_some(), reached, "honest {:?} m {} n {}", honest, m, n);
    if let Some(signature) = collector.signature() {
        let mask = signature.verify(&group, EPOCH, &TARGET).unwrap();
        prop_assert_eq!(u32::from(mask).count_ones() as usize, honest.len());
        let round = GroupSignature::<S>::from_bytes(&signature.to_bytes()).unwrap();
        prop_assert_eq!(round, signature);
    }
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn collector_accepts_iff_threshold_xmss(n in 1u8..=16, m in 1u8..=16, offers in proptest::collection::vec((0u8..18, kind()), 0..24)) {
        check(&XMSS, n, m, &offers)?;
    }

    #[test]
    fn collector_accepts_iff_threshold_ed25519(n in 1u8..=16, m in 1u8..=16, offers in proptest::collection::vec((0u8..18, kind()), 0..24)) {
        check(&ED25519, n, m, &offers)?;
    }
}
