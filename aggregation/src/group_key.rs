//! Group keys: n ≤ 16 member keys and a threshold m, bound together in a group id.

use sha3::{Digest, Sha3_256};

use crate::error::{GroupKeyError, SchemeError};
use crate::scheme::Scheme;

/// Largest group.
pub const MAX_MEMBERS: usize = 16;
const GROUP_ID_DOMAIN: &[u8] = b"ndvt/group-id/v1";

/// What to do with a threshold that lets two disjoint quorums sign (2m ≤ n).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThresholdPolicy {
    /// Refuse it (the default): honest members who saw different data could both reach m and be slashed.
    Strict,
    /// Accept it knowingly, for a backup configuration where availability matters more than safety.
    AllowDisjointQuorums,
}

/// The threshold linter's findings for a valid group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThresholdReport {
    /// Members that may be offline while the group still reaches m: `n − m`.
    pub liveness_margin: u8,
    /// Members that may equivocate before two conflicting messages can each reach m: `2m − n − 1`
    /// (negative when disjoint quorums exist: then no misbehaviour is needed at all).
    pub safety_margin: i16,
    /// Warnings (m below ⌈2n/3⌉, disjoint quorums accepted by policy).
    pub warnings: Vec<String>,
}

/// An m-of-n group of public keys of scheme `S`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupKey<S: Scheme> {
    m: u8,
    members: Vec<S::PublicKey>,
    id: [u8; 32],
}

impl<S: Scheme> GroupKey<S> {
    /// Builds the group and runs the threshold linter: refuses 2m ≤ n unless `policy` allows it.
    pub fn new(
        m: u8,
        members: Vec<S::PublicKey>,
        policy: ThresholdPolicy,
    ) -> Result<(Self, ThresholdReport), GroupKeyError> {
        let n = members.len();
        if n == 0 {
            return Err(GroupKeyError::Empty);
        }
        if n > MAX_MEMBERS {
            return Err(GroupKeyError::TooManyMembers(n));
        }
        let n = n as u8;
        if m == 0 {
            return Err(GroupKeyError::ZeroThreshold);
        }
        if m > n {
            return Err(GroupKeyError::ThresholdAboveMembers { m, n });
        }
        let encoded: Vec<Vec<u8>> = members.iter().map(S::public_key_to_bytes).collect();
        for i in 0..encoded.len() {
            for j in i + 1..encoded.len() {
                if encoded[i] == encoded[j] {
                    return Err(GroupKeyError::DuplicateMemberKey { first: i as u8, second: j as u8 });
                }
            }
        }
        let disjoint = 2 * u16::from(m) <= u16::from(n);
        if disjoint && policy == ThresholdPolicy::Strict {
            return Err(GroupKeyError::DisjointQuorums { m, n });
        }
        let mut warnings = Vec::new();
        if disjoint {
            warnings.push(format!(
                "{m}-of-{n} allows two disjoint quorums: a split view among honest members can be slashable"
            ));
        }
        let two_thirds = (2 * u16::from(n)).div_ceil(3) as u8;
        if m < two_thirds {
            warnings.push(format!("threshold {m} is below ⌈2n/3⌉ = {two_thirds}"));
        }
        let report = ThresholdReport {
            liveness_margin: n - m,
            safety_margin: 2 * i16::from(m) - i16::from(n) - 1,
            warnings,
        };
        let id = group_id::<S>(m, &encoded);
        Ok((GroupKey { m, members, id }, report))
    }

    /// The threshold m.
    pub fn threshold(&self) -> u8 {
        self.m
    }

    /// The number of members n.
    pub fn size(&self) -> u8 {
        self.members.len() as u8
    }

    /// The member keys in roster order.
    pub fn members(&self) -> &[S::PublicKey] {
        &self.members
    }

    /// `SHA3-256(domain ‖ scheme ‖ m ‖ n ‖ member keys in order)`: m and n are part of the identity.
    pub fn id(&self) -> [u8; 32] {
        self.id
    }

    /// The index of `pk` in the roster.
    pub fn index_of(&self, pk: &S::PublicKey) -> Option<u8> {
        self.members.iter().position(|k| k == pk).map(|i| i as u8)
    }

    /// `scheme tag u8 ‖ m u8 ‖ n u8 ‖ member keys`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![S::TAG, self.m, self.size()];
        for pk in &self.members {
            out.extend_from_slice(&S::public_key_to_bytes(pk));
        }
        out
    }

    /// Strict decoding; the linter runs again under `policy`.
    pub fn from_bytes(
        bytes: &[u8],
        policy: ThresholdPolicy,
    ) -> Result<(Self, ThresholdReport), GroupKeyError> {
        let [tag, m, n, rest @ ..] = bytes else {
            return Err(GroupKeyError::Truncated(bytes.len()));
        };
        if *tag != S::TAG {
            return Err(GroupKeyError::WrongScheme { expected: S::TAG, found: *tag });
        }
        if rest.len() != usize::from(*n) * S::PUBLIC_KEY_BYTES {
            let expected = usize::from(*n) * S::PUBLIC_KEY_BYTES;
            return Err(GroupKeyError::KeyBytes { n: *n, expected, got: rest.len() });
        }
        let members = rest
            .chunks_exact(S::PUBLIC_KEY_BYTES)
            .enumerate()
            .map(|(i, b)| {
                S::public_key_from_bytes(b)
                    .map_err(|e| GroupKeyError::MemberKey { index: i, source: SchemeError::new(e) })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(*m, members, policy)
    }
}

fn group_id<S: Scheme>(m: u8, encoded: &[Vec<u8>]) -> [u8; 32] {
    let mut h = Sha3_256::new();
    h.update(GROUP_ID_DOMAIN);
    h.update([S::NAME.len() as u8]);
    h.update(S::NAME.as_bytes());
    h.update([m, encoded.len() as u8]);
    for pk in encoded {
        h.update(pk);
    }
    h.finalize().into()
}
