//! The signature: Merkle co-path, randomness rho, and one value per chain, in the instance's layout.
//!
//! leanSig's SSZ container ([`SignatureLayout::Ssz`], Devnet 4):
//! ```text
//! off_path: u32 = 4 + |rho| + 4 ‖ rho ‖ off_hashes: u32 ‖ path { off: u32 = 4 ‖ siblings: h digests } ‖ hashes: v digests
//! ```
//! leanVM's fixed concatenation ([`SignatureLayout::TipsRhoPath`]): `hashes: v digests ‖ rho ‖ path: h digests`.
//! Decoding is strict: canonical offsets, exactly `h` siblings and `v` chain values, every element canonical,
//! no trailing bytes. Every signature of an instance therefore has the same size (424 B test, 2536 B Devnet 4,
//! 1208 B leanVM).

use core::marker::PhantomData;

use crate::backend::{Element, read_list, write_list};
use crate::error::DecodeError;
use crate::instance::{Digest, Instance, Rho, SignatureLayout};

/// A one-time signature for some epoch (the epoch itself travels beside it, see [`EpochSignature`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Signature<I: Instance> {
    pub(crate) path: Vec<Digest<I>>,
    pub(crate) rho: Rho<I>,
    pub(crate) hashes: Vec<Digest<I>>,
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
    pub fn path(&self) -> &[Digest<I>] {
        &self.path
    }

    /// The encoding randomness.
    pub fn rho(&self) -> &Rho<I> {
        &self.rho
    }

    /// The chain values, one per chain.
    pub fn hashes(&self) -> &[Digest<I>] {
        &self.hashes
    }

    /// Offset of the SSZ path container: after off_path, rho and off_hashes.
    const PATH_OFFSET: usize = 4 + Rho::<I>::BYTES + 4;
    /// Offset of the sibling list inside the SSZ path container.
    const SIBLINGS_OFFSET: usize = 4;

    /// The encoding in the instance's layout.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES);
        match I::SIGNATURE_LAYOUT {
            SignatureLayout::Ssz => {
                let hashes_offset =
                    Self::PATH_OFFSET + Self::SIBLINGS_OFFSET + Digest::<I>::BYTES * self.path.len();
                out.extend_from_slice(&(Self::PATH_OFFSET as u32).to_le_bytes());
                self.rho.write(&mut out);
                out.extend_from_slice(&(hashes_offset as u32).to_le_bytes());
                out.extend_from_slice(&(Self::SIBLINGS_OFFSET as u32).to_le_bytes());
                write_list(&mut out, &self.path);
                write_list(&mut out, &self.hashes);
            }
            SignatureLayout::TipsRhoPath => {
                write_list(&mut out, &self.hashes);
                self.rho.write(&mut out);
                write_list(&mut out, &self.path);
            }
        }
        out
    }

    /// Strict decoding of [`Signature::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        match I::SIGNATURE_LAYOUT {
            SignatureLayout::Ssz => Self::from_ssz(bytes),
            SignatureLayout::TipsRhoPath => Self::from_concatenation(bytes),
        }
    }

    fn from_concatenation(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() != Self::BYTES {
            return Err(DecodeError::Length { what: "signature", expected: Self::BYTES, got: bytes.len() });
        }
        let tips_end = Digest::<I>::BYTES * I::DIMENSION;
        let rho_end = tips_end + Rho::<I>::BYTES;
        let hashes = read_list(&bytes[..tips_end], "signature.hashes")?;
        let rho = Rho::<I>::read(&bytes[tips_end..rho_end], "signature.rho")?;
        let path = read_list(&bytes[rho_end..], "signature.path.siblings")?;
        Ok(Signature { path, rho, hashes, _instance: PhantomData })
    }

    fn from_ssz(bytes: &[u8]) -> Result<Self, DecodeError> {
        let (path_at, siblings_at, digest) = (Self::PATH_OFFSET, Self::SIBLINGS_OFFSET, Digest::<I>::BYTES);
        if bytes.len() < path_at + siblings_at {
            return Err(DecodeError::Length { what: "signature", expected: Self::BYTES, got: bytes.len() });
        }
        let path_offset = read_u32(bytes, 0);
        if path_offset != path_at as u64 {
            return Err(DecodeError::Offset {
                what: "signature.path",
                expected: path_at as u64,
                got: path_offset,
            });
        }
        let rho = Rho::<I>::read(&bytes[4..path_at - 4], "signature.rho")?;
        let hashes_offset = read_u32(bytes, path_at - 4);
        let canonical_hashes_offset = (path_at + siblings_at + digest * I::LOG_LIFETIME as usize) as u64;
        let min = (path_at + siblings_at) as u64;
        if hashes_offset > bytes.len() as u64 && hashes_offset == canonical_hashes_offset {
            // The canonical layout, cut short.
            return Err(DecodeError::Length { what: "signature", expected: Self::BYTES, got: bytes.len() });
        }
        if hashes_offset < min
            || hashes_offset > bytes.len() as u64
            || !(hashes_offset - min).is_multiple_of(digest as u64)
        {
            return Err(DecodeError::Offset {
                what: "signature.hashes",
                expected: canonical_hashes_offset,
                got: hashes_offset,
            });
        }
        let siblings_offset = read_u32(bytes, path_at);
        if siblings_offset != siblings_at as u64 {
            return Err(DecodeError::Offset {
                what: "signature.path.siblings",
                expected: siblings_at as u64,
                got: siblings_offset,
            });
        }
        let path_len = ((hashes_offset - min) as usize) / digest;
        if path_len != I::LOG_LIFETIME as usize {
            return Err(DecodeError::PathLength { expected: I::LOG_LIFETIME as usize, got: path_len });
        }
        let hash_bytes = &bytes[hashes_offset as usize..];
        if !hash_bytes.len().is_multiple_of(digest) {
            return Err(DecodeError::Length { what: "signature", expected: Self::BYTES, got: bytes.len() });
        }
        if hash_bytes.len() / digest != I::DIMENSION {
            return Err(DecodeError::HashCount { expected: I::DIMENSION, got: hash_bytes.len() / digest });
        }
        let path = read_list(&bytes[min as usize..hashes_offset as usize], "signature.path.siblings")?;
        let hashes = read_list(hash_bytes, "signature.hashes")?;
        Ok(Signature { path, rho, hashes, _instance: PhantomData })
    }
}

pub(crate) fn read_u32(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]))
}

/// A signature together with the epoch it was made for.
///
/// This is what the RustCrypto `Verifier` and `SignerMut` traits carry. Its byte form (ndvt's, not a lean
/// consensus encoding) is the epoch as a little-endian `u32` followed by the signature in its instance's layout.
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

    /// `epoch (u32 LE) ‖ signature`.
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
