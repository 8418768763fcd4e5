//! Groups and aggregates of XMSS keys by instance name, for bindings: group key creation with the threshold
//! linter's findings, member shares, combining and verifying group signatures, and verifying concatenation
//! aggregates, all as bytes. The C ABI (`ndvt-ffi`) and the Python package call these; the key and signing
//! side is [`ndvt_xmss::by_name`].
//!
//! Group keys made here carry their parameter set's tag (the CLI's `group create --instance` form), so
//! `ndvt group verify|combine` read them too.

use ndvt_xmss::registry::InstanceId;
use ndvt_xmss::{Instance, with_instance};

use crate::aggregate::{AggregateError, ConcatAggregate, Participant};
use crate::collector::{Collector, Offer};
use crate::error::{GroupKeyError, GroupSignatureError, ShareDecodeError};
use crate::group_key::{GroupKey, ThresholdPolicy, ThresholdReport};
use crate::group_signature::GroupSignature;
use crate::keyed_share::KeyedShare;
use crate::scheme::Scheme;
use crate::xmss_scheme::Xmss;

/// Why a group call failed; one variant per class of error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The threshold linter refused the group: zero threshold, threshold above n, or two disjoint quorums
    /// under the strict policy.
    #[error("the threshold linter refused the group: {0}")]
    Linter(#[source] GroupKeyError),
    /// Group key or member key bytes are malformed (or of another parameter set).
    #[error("malformed group key: {0}")]
    GroupKey(#[source] GroupKeyError),
    /// A share's bytes do not decode.
    #[error("share {index}: {source}")]
    Share {
        /// Position in the list given.
        index: usize,
        /// Why.
        #[source]
        source: ShareDecodeError,
    },
    /// The shares do not make a group signature: fewer than m valid distinct shares for one (epoch, message).
    #[error("{valid} valid distinct shares, the group needs {needed}{}", first.as_ref().map(|e| format!(" (first rejected share: {e})")).unwrap_or_default())]
    BelowThreshold {
        /// Valid distinct shares found.
        valid: usize,
        /// The threshold m.
        needed: u8,
        /// Why the first rejected share was rejected, if one was.
        first: Option<GroupSignatureError>,
    },
    /// A member signature does not decode into a share.
    #[error("member signature: {0}")]
    Signature(#[source] ShareDecodeError),
    /// A contribution to an aggregate does not fit it (unknown participant, other epoch or message, a
    /// malformed group signature).
    #[error("contribution {index}: {source}")]
    Contribution {
        /// Position in the list given.
        index: usize,
        /// Why.
        #[source]
        source: AggregateError,
    },
    /// The message is not 32 bytes.
    #[error("message must be 32 bytes, got {0}")]
    MessageLength(usize),
}

/// The threshold linter's findings for a group it accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Findings {
    /// The group id (32 bytes), binding the set, m, n and the ordered keys.
    pub group_id: [u8; 32],
    /// The linter's margins and warnings.
    pub report: ThresholdReport,
}

fn policy(allow_disjoint_quorums: bool) -> ThresholdPolicy {
    if allow_disjoint_quorums { ThresholdPolicy::AllowDisjointQuorums } else { ThresholdPolicy::Strict }
}

fn group_error(e: GroupKeyError) -> Error {
    match e {
        GroupKeyError::ZeroThreshold
        | GroupKeyError::ThresholdAboveMembers { .. }
        | GroupKeyError::DisjointQuorums { .. } => Error::Linter(e),
        other => Error::GroupKey(other),
    }
}

/// Reads a group key. It was linted when it was created, so a backup policy chosen then stays valid.
fn read_group<I: Instance>(bytes: &[u8]) -> Result<GroupKey<Xmss<I>>, GroupKeyError> {
    GroupKey::from_bytes(bytes, ThresholdPolicy::AllowDisjointQuorums).map(|(g, _)| g)
}

fn message32(message: &[u8]) -> Result<[u8; 32], Error> {
    message.try_into().map_err(|_| Error::MessageLength(message.len()))
}

/// Builds the m-of-n group of `members` (encoded public keys, in roster order) and runs the threshold
/// linter: refuses 2m ≤ n unless `allow_disjoint_quorums`. Returns the encoded group key and the findings.
pub fn create_group(
    instance: InstanceId,
    threshold: u8,
    members: &[&[u8]],
    allow_disjoint_quorums: bool,
) -> Result<(Vec<u8>, Findings), Error> {
    fn typed<I: Instance>(
        m: u8,
        members: &[&[u8]],
        policy: ThresholdPolicy,
    ) -> Result<(Vec<u8>, Findings), Error> {
        let keys = members
            .iter()
            .enumerate()
            .map(|(index, k)| {
                <Xmss<I> as Scheme>::public_key_from_bytes(k).map_err(|source| GroupKeyError::MemberKey {
                    index,
                    source: crate::error::SchemeError::new(source),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(Error::GroupKey)?;
        let (group, report) = GroupKey::<Xmss<I>>::new(m, keys, policy).map_err(group_error)?;
        Ok((group.to_bytes(), Findings { group_id: group.id(), report }))
    }
    with_instance!(instance, I => typed::<I>(threshold, members, policy(allow_disjoint_quorums)))
}

/// A member's share: its public key and its signature on the 32-byte `message` at `epoch` (from its
/// durable signer), in the encoding [`combine`] and `ndvt group combine` take.
pub fn share(
    instance: InstanceId,
    public_key: &[u8],
    epoch: u64,
    message: &[u8],
    signature: &[u8],
) -> Result<Vec<u8>, Error> {
    fn typed<I: Instance>(pk: &[u8], epoch: u64, message: [u8; 32], sig: &[u8]) -> Result<Vec<u8>, Error> {
        let scheme = |e| Error::Signature(e);
        let public_key = <Xmss<I> as Scheme>::public_key_from_bytes(pk)
            .map_err(|e| scheme(ShareDecodeError::PublicKey(crate::error::SchemeError::new(e))))?;
        let signature = <Xmss<I> as Scheme>::signature_from_bytes(sig)
            .map_err(|e| scheme(ShareDecodeError::Signature(crate::error::SchemeError::new(e))))?;
        Ok(KeyedShare::<Xmss<I>> { public_key, epoch, message, signature }.to_bytes())
    }
    let message = message32(message)?;
    with_instance!(instance, I => typed::<I>(public_key, epoch, message, signature))
}

/// Combines shares into a group signature for the (epoch, message) of the first share. Invalid, duplicate
/// or foreign shares are skipped; fewer than m valid distinct ones is [`Error::BelowThreshold`].
pub fn combine(instance: InstanceId, group: &[u8], shares: &[&[u8]]) -> Result<Vec<u8>, Error> {
    fn typed<I: Instance>(group: &[u8], shares: &[&[u8]]) -> Result<Vec<u8>, Error> {
        let group = read_group::<I>(group).map_err(Error::GroupKey)?;
        let decoded = shares
            .iter()
            .enumerate()
            .map(|(index, b)| {
                KeyedShare::<Xmss<I>>::from_bytes(b).map_err(|source| Error::Share { index, source })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let needed = group.threshold();
        let Some(first) = decoded.first() else {
            return Err(Error::BelowThreshold { valid: 0, needed, first: None });
        };
        let mut collector = Collector::new(&group, first.epoch, first.message);
        let mut rejected = None;
        for share in &decoded {
            match share.resolve(&group).and_then(|s| collector.offer(&s)) {
                Ok(Offer::Complete(signature)) => return Ok(signature.to_bytes()),
                Ok(_) => {}
                Err(e) => {
                    rejected.get_or_insert(e);
                }
            }
        }
        Err(Error::BelowThreshold { valid: collector.count(), needed, first: rejected })
    }
    with_instance!(instance, I => typed::<I>(group, shares))
}

/// Why a group signature or aggregate was rejected (any decoding failure included).
pub type Rejection = Box<dyn std::error::Error + Send + Sync>;

/// Verifies a group signature on the 32-byte `message` at `epoch` under the encoded `group` key.
pub fn verify_group(
    instance: InstanceId,
    group: &[u8],
    epoch: u64,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Rejection> {
    fn typed<I: Instance>(group: &[u8], epoch: u64, message: &[u8; 32], sig: &[u8]) -> Result<(), Rejection> {
        let group = read_group::<I>(group)?;
        GroupSignature::<Xmss<I>>::from_bytes(sig)?.verify(&group, epoch, message)?;
        Ok(())
    }
    let message = message32(message)?;
    with_instance!(instance, I => typed::<I>(group, epoch, &message, signature))
}

/// One registry entry of a concatenation aggregate, as bytes.
#[derive(Clone, Copy, Debug)]
pub enum ParticipantBytes<'a> {
    /// A single key's encoded public key.
    Single(&'a [u8]),
    /// An m-of-n group's encoded group key.
    Group(&'a [u8]),
}

/// One participant's contribution to a concatenation aggregate, as bytes.
#[derive(Clone, Copy, Debug)]
pub enum ContributionBytes<'a> {
    /// A single key's encoded signature.
    Single(&'a [u8]),
    /// A group's encoded group signature.
    Group(&'a [u8]),
}

/// Builds the concatenation aggregate for (`epoch`, 32-byte `message`) over a registry of `registry_len`
/// entries from `(registry index, contribution)` pairs. Contributions are not verified here (the verifier
/// checks every one); they must decode and match the epoch and message.
pub fn concat_aggregate(
    instance: InstanceId,
    registry_len: usize,
    epoch: u64,
    message: &[u8],
    contributions: &[(usize, ContributionBytes<'_>)],
) -> Result<Vec<u8>, Error> {
    fn typed<I: Instance>(
        registry_len: usize,
        epoch: u64,
        message: [u8; 32],
        contributions: &[(usize, ContributionBytes<'_>)],
    ) -> Result<Vec<u8>, Error> {
        let mut aggregate = ConcatAggregate::<Xmss<I>>::new(epoch, message, registry_len);
        for (index, (participant, contribution)) in contributions.iter().enumerate() {
            let added = match contribution {
                ContributionBytes::Single(sig) => {
                    let signature = <Xmss<I> as Scheme>::signature_from_bytes(sig).map_err(|e| {
                        Error::Signature(ShareDecodeError::Signature(crate::error::SchemeError::new(e)))
                    })?;
                    aggregate.add_single(*participant, signature)
                }
                ContributionBytes::Group(sig) => {
                    let signature =
                        GroupSignature::<Xmss<I>>::from_bytes(sig).map_err(|error| Error::Contribution {
                            index,
                            source: AggregateError::Group { participant: *participant, error },
                        })?;
                    aggregate.add_group(*participant, &signature)
                }
            };
            added.map_err(|source| Error::Contribution { index, source })?;
        }
        Ok(aggregate.to_bytes())
    }
    let message = message32(message)?;
    with_instance!(instance, I => typed::<I>(registry_len, epoch, message, contributions))
}

/// Verifies a concatenation aggregate (`ConcatAggregate`) on the 32-byte `message` at `epoch` against the
/// registry it refers to, in registry order.
pub fn verify_aggregate(
    instance: InstanceId,
    registry: &[ParticipantBytes<'_>],
    epoch: u64,
    message: &[u8],
    aggregate: &[u8],
) -> Result<(), Rejection> {
    fn typed<I: Instance>(
        registry: &[ParticipantBytes<'_>],
        epoch: u64,
        message: &[u8; 32],
        aggregate: &[u8],
    ) -> Result<(), Rejection> {
        let participants = registry
            .iter()
            .enumerate()
            .map(|(i, p)| -> Result<Participant<Xmss<I>>, Rejection> {
                Ok(match p {
                    ParticipantBytes::Single(pk) => Participant::Single(
                        <Xmss<I> as Scheme>::public_key_from_bytes(pk)
                            .map_err(|e| format!("registry entry {i}: {e}"))?,
                    ),
                    ParticipantBytes::Group(g) => Participant::Group(
                        read_group::<I>(g).map_err(|e| format!("registry entry {i}: {e}"))?,
                    ),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let aggregate: ConcatAggregate<Xmss<I>> = ConcatAggregate::from_bytes(aggregate)?;
        aggregate.verify(&participants, epoch, message).map_err(|e: AggregateError| e.into())
    }
    let message = message32(message)?;
    with_instance!(instance, I => typed::<I>(registry, epoch, &message, aggregate))
}
