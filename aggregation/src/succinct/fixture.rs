//! Single-epoch Devnet 4 keys for tests and benchmarks of the aggregate proof.
//!
//! A full Devnet 4 key takes seconds to generate (its tree has 2^17 live leaves), and an aggregate
//! benchmark needs hundreds of keys signing one message at one epoch. A *single-epoch key* has one real
//! leaf, at that epoch, and a random co-path above it: its public key (root, parameter) and its
//! signature are ordinary Devnet 4 objects that `PublicKey::verify` accepts, and the STARK does exactly
//! the same work for them as for a full key, since the verifier only ever sees the root. Such a key can
//! sign nothing else, so it is a fixture, not a key format: never use it to stake.

use ndvt_xmss::primitives::{codeword, compress, leaf, poseidon24, tree_tweak, walk};
use ndvt_xmss::{Devnet4, Digest, F, Instance, Parameter, PublicKey, Rho, Signature};
use p3_field::PrimeCharacteristicRing;
use rayon::prelude::*;
use sha3::Shake128;
use sha3::digest::{ExtendableOutput, Update, XofReader};

use super::aggregate::{AggregateStatement, Contribution, Participant};
use super::error::SuccinctError;

/// Deterministic field elements from a seed and a label (below p by rejection).
struct Stream(sha3::Shake128Reader);

impl Stream {
    fn new(seed: u64, label: &[u8]) -> Self {
        let mut h = Shake128::default();
        h.update(b"ndvt/succinct/fixture/v1");
        h.update(&seed.to_le_bytes());
        h.update(label);
        Stream(h.finalize_xof())
    }

    fn element(&mut self) -> F {
        loop {
            let mut word = [0u8; 4];
            self.0.read(&mut word);
            let x = u32::from_le_bytes(word) & 0x7fff_ffff;
            if x < ndvt_xmss::P {
                return F::from_u32(x);
            }
        }
    }

    fn array<const N: usize>(&mut self) -> [F; N] {
        core::array::from_fn(|_| self.element())
    }
}

fn put(out: &mut Vec<u8>, elems: &[F]) {
    use p3_field::PrimeField32;
    for e in elems {
        out.extend_from_slice(&e.as_canonical_u32().to_le_bytes());
    }
}

/// A single-epoch Devnet 4 key made from `seed`, and its signature on `message` at `epoch`.
///
/// ```
/// # #[cfg(feature = "succinct")] {
/// let (pk, sig) = ndvt_aggregation::succinct::fixture::single_epoch_signature(7, 1234, &[9; 32]);
/// assert!(pk.verify(1234, &[9; 32], &sig).is_ok());
/// assert!(pk.verify(1235, &[9; 32], &sig).is_err());
/// # }
/// ```
pub fn single_epoch_signature(
    seed: u64,
    epoch: u32,
    message: &[u8; 32],
) -> (PublicKey<Devnet4>, Signature<Devnet4>) {
    let mut keys = Stream::new(seed, b"key");
    let parameter: Parameter = keys.array();
    let starts: Vec<Digest> = (0..Devnet4::DIMENSION).map(|_| keys.array()).collect();
    let co_path: Vec<Digest> = (0..Devnet4::LOG_LIFETIME).map(|_| keys.array()).collect();

    let mut rhos = Stream::new(seed, &[b"rho".as_slice(), &epoch.to_le_bytes(), message].concat());
    let mut digits = [0u8; 46];
    let rho: Rho = loop {
        let rho = rhos.array();
        if codeword::<Devnet4>(&parameter, epoch, &rho, message, &mut digits).is_ok() {
            break rho;
        }
    };
    let top = (Devnet4::BASE - 1) as u8;
    let mut hashes = Vec::with_capacity(Devnet4::DIMENSION);
    let mut ends = Vec::with_capacity(Devnet4::DIMENSION);
    for (i, (start, &d)) in starts.iter().zip(&digits).enumerate() {
        let hash = walk(&parameter, epoch, i as u8, 0, d, start);
        ends.push(walk(&parameter, epoch, i as u8, d, top - d, &hash));
        hashes.push(hash);
    }
    let mut node = leaf(&parameter, epoch, &ends);
    for (l, sibling) in co_path.iter().enumerate() {
        let (left, right) = if (epoch >> l) & 1 == 0 { (node, *sibling) } else { (*sibling, node) };
        let mut x = [F::ZERO; 24];
        x[..5].copy_from_slice(&parameter);
        x[5..7].copy_from_slice(&tree_tweak(l as u8 + 1, (u64::from(epoch) >> (l + 1)) as u32));
        x[7..15].copy_from_slice(&left);
        x[15..23].copy_from_slice(&right);
        node = compress(poseidon24(), x);
    }

    let mut pk = Vec::with_capacity(PublicKey::<Devnet4>::BYTES);
    put(&mut pk, &node);
    put(&mut pk, &parameter);
    // leanSig's SSZ layout: offset(path) ‖ rho ‖ offset(hashes) ‖ path { offset(siblings) ‖ siblings } ‖ hashes.
    let path_offset = 4 + 4 * rho.len() + 4;
    let mut sig = Vec::with_capacity(Signature::<Devnet4>::BYTES);
    sig.extend_from_slice(&(path_offset as u32).to_le_bytes());
    put(&mut sig, &rho);
    sig.extend_from_slice(&((path_offset + 4 + 32 * co_path.len()) as u32).to_le_bytes());
    sig.extend_from_slice(&4u32.to_le_bytes());
    put(&mut sig, co_path.as_flattened());
    put(&mut sig, hashes.as_flattened());
    // Both encodings are built from canonical elements in the exact layout, so decoding cannot fail.
    #[allow(clippy::expect_used)]
    let pair = (
        PublicKey::from_bytes(&pk).expect("fixture public key encodes canonically"),
        Signature::from_bytes(&sig).expect("fixture signature encodes canonically"),
    );
    pair
}

/// The shape of a fixture aggregate: `groups` groups of `threshold`-of-`members`, then `singles`
/// single-key validators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AggregateShape {
    /// Groups.
    pub groups: usize,
    /// Each group's threshold `m`.
    pub threshold: u8,
    /// Each group's member count `n`.
    pub members: u8,
    /// Single-key validators after the groups.
    pub singles: usize,
}

impl AggregateShape {
    /// `signatures` signatures as whole groups of `threshold`-of-`members`, the remainder as single
    /// validators.
    pub fn for_signatures(signatures: usize, threshold: u8, members: u8) -> Self {
        let m = usize::from(threshold.max(1));
        AggregateShape { groups: signatures / m, threshold, members, singles: signatures % m }
    }

    /// Keys the shape needs.
    pub fn keys(&self) -> usize {
        self.groups * usize::from(self.members) + self.singles
    }
}

/// A statement of `shape` over fresh single-epoch keys that signed `message` at `epoch`, and exactly the
/// contributions it counts: group `q`'s signers are members `q, q + 1, …` (mod `n`), so the groups do not
/// all use their first members. Keys are made in parallel.
pub fn aggregate(
    shape: AggregateShape,
    epoch: u32,
    message: &[u8; 32],
) -> Result<(AggregateStatement, Vec<Contribution>), SuccinctError> {
    let pairs: Vec<_> = (0..shape.keys() as u64)
        .into_par_iter()
        .map(|seed| single_epoch_signature(seed, epoch, message))
        .collect();
    let (n, m) = (usize::from(shape.members), usize::from(shape.threshold));
    let mut participants = Vec::with_capacity(shape.groups + shape.singles);
    let mut contributions = Vec::with_capacity(shape.groups * m + shape.singles);
    let (grouped, singles) = pairs.split_at(shape.groups * n);
    for (q, roster) in grouped.chunks_exact(n.max(1)).enumerate() {
        for i in 0..m {
            let j = (q + i) % n;
            contributions.push(Contribution {
                participant: q,
                member: j as u8,
                signature: roster[j].1.clone(),
            });
        }
        participants.push(Participant::group(shape.threshold, roster.iter().map(|(pk, _)| *pk).collect())?);
    }
    for (pk, signature) in singles {
        contributions.push(Contribution {
            participant: participants.len(),
            member: 0,
            signature: signature.clone(),
        });
        participants.push(Participant::single(*pk));
    }
    Ok((AggregateStatement::new(*message, epoch, participants)?, contributions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_shape_fills_groups_then_singles() {
        let shape = |g, m, n, s| AggregateShape { groups: g, threshold: m, members: n, singles: s };
        assert_eq!(AggregateShape::for_signatures(128, 8, 11), shape(16, 8, 11, 0));
        assert_eq!(AggregateShape::for_signatures(1, 8, 11), shape(0, 8, 11, 1));
        let odd = AggregateShape::for_signatures(1_027, 8, 11);
        assert_eq!((odd.groups, odd.singles, odd.keys()), (128, 3, 128 * 11 + 3));
    }

    #[test]
    fn aggregate_carries_exactly_the_thresholds() {
        let (statement, contributions) =
            aggregate(AggregateShape::for_signatures(7, 3, 4), 5, &[1; 32]).unwrap();
        assert_eq!((statement.participants.len(), statement.signatures(), contributions.len()), (3, 7, 7));
        // Group 1 rotates its signers: members 1, 2 and 3, not 0.
        let members: Vec<u8> =
            contributions.iter().filter(|c| c.participant == 1).map(|c| c.member).collect();
        assert_eq!(members, [1, 2, 3]);
        assert_eq!(statement.participants[2].members().len(), 1);
    }

    #[test]
    fn fixtures_verify_only_where_they_were_made() {
        for seed in 0..3 {
            let (pk, sig) = single_epoch_signature(seed, 77 + seed as u32, &[seed as u8; 32]);
            pk.verify(77 + seed, &[seed as u8; 32], &sig).unwrap();
            assert!(pk.verify(77 + seed, &[seed as u8 ^ 1; 32], &sig).is_err());
        }
    }
}
