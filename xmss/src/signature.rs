//! The signature: Merkle co-path, randomness rho, and one value per chain; SSZ bytes identical to leanSig.
//!
//! ```text
//! off_path: u32 = 36 ‖ rho: 7 FE ‖ off_hashes: u32 ‖ path { off: u32 = 4 ‖ siblings: h × 32 B } ‖ hashes: v × 32 B
//! ```
//! Decoding is strict: canonical offsets, exactly `h` siblings and `v` chain values, every word below p,
//! no trailing bytes. Every signature of an instance therefore has the same size (424 B test, 2536 B Devnet 4).

use core::marker::PhantomData;

use crate::error::DecodeError;
use crate::field::{DIGEST_BYTES, Digest, FE_BYTES, RAND_LEN, Rho, get_digests, get_elems, put_elems};
use crate::instance::Instance;

const RHO_BYTES: usize = RAND_LEN * FE_BYTES;
/// Offset of the path container: after off_path, rho and off_hashes.
const PATH_OFFSET: usize = 4 + RHO_BYTES + 4;
/// Offset of the sibling list inside the path container.
const SIBLINGS_OFFSET: usize = 4;

/// A one-time signature for some epoch (the epoch itself travels beside it, see [`EpochSignature`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Signature<I: Instance> {
    pub(crate) path: Vec<Digest>,
    pub(crate) rho: Rho,
    pub(crate) hashes: Vec<Digest>,
    pub(crate) _instance: PhantomData<I>,
}

impl<I: Instance> core::fmt::Debug for Signature<I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Signature<{}>({})", I::NAME, hex_prefix(&self.to_bytes()))
    }
}

pub(crate) fn hex_prefix(bytes: &[u8]) -> String {
    let mut s: String = bytes.iter().take(12).map(|b| format!("{b:02x}")).collect();
    s.push('…');
    s
}

impl<I: Instance> Signature<I> {
    /// Encoded size of every signature of this instance.
    pub const BYTES: usize = I::SIGNATURE_BYTES;

    /// The Merkle co-path, from the leaf level up.
    pub fn path(&self) -> &[Digest] {
        &self.path
    }

    /// The encoding randomness.
    pub fn rho(&self) -> &Rho {
        &self.rho
    }

    /// The chain values, one per chain.
    pub fn hashes(&self) -> &[Digest] {
        &self.hashes
    }

    /// SSZ encoding (leanSig layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES);
        let hashes_offset = PATH_OFFSET + SIBLINGS_OFFSET + DIGEST_BYTES * self.path.len();
        out.extend_from_slice(&(PATH_OFFSET as u32).to_le_bytes());
        put_elems(&mut out, &self.rho);
        out.extend_from_slice(&(hashes_offset as u32).to_le_bytes());
        out.extend_from_slice(&(SIBLINGS_OFFSET as u32).to_le_bytes());
        put_elems(&mut out, self.path.as_flattened());
        put_elems(&mut out, self.hashes.as_flattened());
        out
    }

    /// Strict SSZ decoding.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() < PATH_OFFSET + SIBLINGS_OFFSET {
            return Err(DecodeError::Length { what: "signature", expected: Self::BYTES, got: bytes.len() });
        }
        let path_offset = read_u32(bytes, 0);
        if path_offset != PATH_OFFSET as u64 {
            return Err(DecodeError::Offset {
                what: "signature.path",
                expected: PATH_OFFSET as u64,
                got: path_offset,
            });
        }
        let rho = get_elems::<RAND_LEN>(&bytes[4..4 + RHO_BYTES], "signature.rho")?;
        let hashes_offset = read_u32(bytes, 4 + RHO_BYTES);
        let canonical_hashes_offset =
            (PATH_OFFSET + SIBLINGS_OFFSET + DIGEST_BYTES * I::LOG_LIFETIME as usize) as u64;
        let min = (PATH_OFFSET + SIBLINGS_OFFSET) as u64;
        if hashes_offset > bytes.len() as u64 && hashes_offset == canonical_hashes_offset {
            // The canonical layout, cut short.
            return Err(DecodeError::Length { what: "signature", expected: Self::BYTES, got: bytes.len() });
        }
        if hashes_offset < min
            || hashes_offset > bytes.len() as u64
            || !(hashes_offset - min).is_multiple_of(DIGEST_BYTES as u64)
        {
            return Err(DecodeError::Offset {
                what: "signature.hashes",
                expected: canonical_hashes_offset,
                got: hashes_offset,
            });
        }
        let siblings_offset = read_u32(bytes, PATH_OFFSET);
        if siblings_offset != SIBLINGS_OFFSET as u64 {
            return Err(DecodeError::Offset {
                what: "signature.path.siblings",
                expected: SIBLINGS_OFFSET as u64,
                got: siblings_offset,
            });
        }
        let path_len = ((hashes_offset - min) as usize) / DIGEST_BYTES;
        if path_len != I::LOG_LIFETIME as usize {
            return Err(DecodeError::PathLength { expected: I::LOG_LIFETIME as usize, got: path_len });
        }
        let hash_bytes = &bytes[hashes_offset as usize..];
        if !hash_bytes.len().is_multiple_of(DIGEST_BYTES) {
            return Err(DecodeError::Length { what: "signature", expected: Self::BYTES, got: bytes.len() });
        }
        if hash_bytes.len() / DIGEST_BYTES != I::DIMENSION {
            return Err(DecodeError::HashCount {
                expected: I::DIMENSION,
                got: hash_bytes.len() / DIGEST_BYTES,
            });
        }
        let path = get_digests(&bytes[min as usize..hashes_offset as usize], "signature.path.siblings")?;
        let hashes = get_digests(hash_bytes, "signature.hashes")?;
        Ok(Signature { path, rho, hashes, _instance: PhantomData })
    }
}

pub(crate) fn read_u32(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]))
}

/// A signature together with the epoch it was made for.
///
/// This is what the RustCrypto `Verifier` and `SignerMut` traits carry. Its byte form (ndvt's, not a lean
/// consensus encoding) is the epoch as a little-endian `u32` followed by the SSZ signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochSignature<I: Instance> {
    /// The epoch the one-time key belongs to.
    pub epoch: u32,
    /// The signature.
    pub signature: Signature<I>,
}

impl<I: Instance> EpochSignature<I> {
    /// Encoded size.
    pub const BYTES: usize = 4 + I::SIGNATURE_BYTES;

    /// `epoch (u32 LE) ‖ SSZ signature`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.epoch.to_le_bytes().to_vec();
        out.extend_from_slice(&self.signature.to_bytes());
        out
    }

    /// Strict decoding of [`EpochSignature::to_bytes`]; the epoch must lie within the lifetime.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() < 4 {
            return Err(DecodeError::Length {
                what: "epoch signature",
                expected: Self::BYTES,
                got: bytes.len(),
            });
        }
        let epoch = read_u32(bytes, 0);
        if epoch >= I::LIFETIME {
            return Err(DecodeError::EpochOutOfRange { epoch, log_lifetime: I::LOG_LIFETIME });
        }
        Ok(Self { epoch: epoch as u32, signature: Signature::from_bytes(&bytes[4..])? })
    }
}
