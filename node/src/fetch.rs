//! `blocks_by_root`: fetching a missing parent from a peer, in the request/response format lean clients use
//! (`/leanconsensus/req/blocks_by_root/1/ssz_snappy`, as in ream, ethlambda and gean, after the consensus
//! specs' req/resp encoding).
//!
//! ```text
//! request  = varint(len(ssz)) ‖ snappy frames(ssz)        ssz = List[Root, 1024]
//! response = chunk*                                       one chunk per block the responder holds
//! chunk    = result u8 (0 = success) ‖ varint(len(ssz)) ‖ snappy frames(ssz)   ssz = Block (docs/ADAPTER.md)
//! ```
//!
//! Lengths are unsigned LEB128 varints in their shortest form; every snappy stream must decompress to exactly
//! its declared length, with nothing after it. Reads are bounded before anything is decoded. The framing is
//! sans-IO (bytes in, typed values or a typed error out); the libp2p codec (`net` feature) reads a bounded
//! stream and calls it. A fetched block is then checked as a gossiped one is (its certificate verifies under
//! the proposer's group key), so a responder can withhold blocks but never forge one.

use std::io::{Read, Write};

use crate::wire::MAX_PAYLOAD_BYTES;

/// The protocol id.
pub const BLOCKS_BY_ROOT: &str = "/leanconsensus/req/blocks_by_root/1/ssz_snappy";
/// Most roots in one request (leanSpec's `MAX_REQUEST_BLOCKS`).
pub const MAX_REQUEST_BLOCKS: usize = 1024;
/// Most blocks a node answers per request; the rest of a long request goes unanswered (ask again).
pub const MAX_RESPONSE_BLOCKS: usize = 64;
/// Most bytes read from a request stream: the largest request, framed (snappy frames add 4 bytes per 64 KiB
/// chunk plus the 10-byte stream identifier; uncompressible data is stored, not expanded).
pub const MAX_REQUEST_STREAM: u64 = 64 * 1024;
/// Most bytes read from a response stream.
pub const MAX_RESPONSE_STREAM: u64 = 8 * 1024 * 1024;

/// Why request or response bytes were refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// A length prefix is truncated, longer than five bytes or not in its shortest form.
    #[error("bad length prefix")]
    Varint,
    /// A declared length is beyond the limit (or, for a request, not a whole number of roots).
    #[error("declared length {got} is not allowed (limit {limit})")]
    Length {
        /// The declared length.
        got: u64,
        /// The limit.
        limit: u64,
    },
    /// The snappy frames do not decompress to exactly the declared length.
    #[error("snappy frames do not decompress to the declared {declared} bytes")]
    Snappy {
        /// The declared length.
        declared: u64,
    },
    /// Bytes follow the request.
    #[error("bytes after the request")]
    Trailing,
    /// More chunks than the responder may send.
    #[error("more than {MAX_RESPONSE_BLOCKS} blocks in one response")]
    TooManyBlocks,
    /// The responder reported an error (a non-zero result code).
    #[error("the peer answered with error code {0}")]
    ErrorCode(u8),
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The varint at the start of `bytes` and the rest.
fn take_varint(bytes: &[u8]) -> Result<(u64, &[u8]), FetchError> {
    let mut v = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            // Shortest form only: a last byte of zero after others means the value fit in fewer.
            if i > 0 && b == 0 {
                return Err(FetchError::Varint);
            }
            return Ok((v, &bytes[i + 1..]));
        }
    }
    Err(FetchError::Varint)
}

fn put_framed(out: &mut Vec<u8>, ssz: &[u8]) {
    put_varint(out, ssz.len() as u64);
    if ssz.is_empty() {
        // An empty payload is its length alone: a decoder reads no frame for it.
        return;
    }
    let mut encoder = snap::write::FrameEncoder::new(out);
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(ssz).and_then(|()| encoder.flush());
}

/// A length-prefixed snappy stream at the start of `bytes`: its payload (at most `limit` bytes) and the rest.
/// The frame decoder reads whole frames, so it stops exactly at the frame that completes the payload.
fn take_framed(bytes: &[u8], limit: u64) -> Result<(Vec<u8>, &[u8]), FetchError> {
    let (declared, rest) = take_varint(bytes)?;
    if declared > limit {
        return Err(FetchError::Length { got: declared, limit });
    }
    let mut decoder = snap::read::FrameDecoder::new(rest);
    let mut payload = Vec::with_capacity(declared as usize);
    let snappy = FetchError::Snappy { declared };
    (&mut decoder).take(declared).read_to_end(&mut payload).map_err(|_| snappy.clone())?;
    if payload.len() as u64 != declared {
        return Err(snappy);
    }
    let rest = *decoder.get_ref();
    // A frame that held more than the declared bytes leaves them buffered: with its input cut off, the
    // decoder must have nothing more to give.
    *decoder.get_mut() = &[];
    if decoder.read(&mut [0u8; 1]).map_err(|_| snappy.clone())? != 0 {
        return Err(snappy);
    }
    Ok((payload, rest))
}

/// A request for `roots` (at most [`MAX_REQUEST_BLOCKS`]; extra roots are not sent).
pub fn encode_request(roots: &[[u8; 32]]) -> Vec<u8> {
    let ssz: Vec<u8> = roots.iter().take(MAX_REQUEST_BLOCKS).flatten().copied().collect();
    let mut out = Vec::new();
    put_framed(&mut out, &ssz);
    out
}

/// Strictly decodes a request.
pub fn decode_request(bytes: &[u8]) -> Result<Vec<[u8; 32]>, FetchError> {
    let limit = (MAX_REQUEST_BLOCKS * 32) as u64;
    let (ssz, rest) = take_framed(bytes, limit)?;
    if !rest.is_empty() {
        return Err(FetchError::Trailing);
    }
    if ssz.len() % 32 != 0 {
        return Err(FetchError::Length { got: ssz.len() as u64, limit });
    }
    Ok(ssz.chunks_exact(32).map(|c| core::array::from_fn(|i| c[i])).collect())
}

/// A response carrying `blocks` (SSZ of each `Block`), at most [`MAX_RESPONSE_BLOCKS`].
pub fn encode_response(blocks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for ssz in blocks.iter().take(MAX_RESPONSE_BLOCKS) {
        out.push(0);
        put_framed(&mut out, ssz);
    }
    out
}

/// Strictly decodes a response into the blocks' SSZ bytes (each still to be decoded and verified).
pub fn decode_response(mut bytes: &[u8]) -> Result<Vec<Vec<u8>>, FetchError> {
    let mut blocks = Vec::new();
    while let Some((&code, rest)) = bytes.split_first() {
        if code != 0 {
            return Err(FetchError::ErrorCode(code));
        }
        if blocks.len() == MAX_RESPONSE_BLOCKS {
            return Err(FetchError::TooManyBlocks);
        }
        let (ssz, rest) = take_framed(rest, MAX_PAYLOAD_BYTES as u64)?;
        blocks.push(ssz);
        bytes = rest;
    }
    Ok(blocks)
}

#[cfg(feature = "net")]
pub use codec::BlocksByRootCodec;

#[cfg(feature = "net")]
mod codec {
    use std::io;

    use libp2p::StreamProtocol;
    use libp2p::futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

    use super::*;

    /// The libp2p codec: bounded reads of a whole stream, then the strict framing above.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct BlocksByRootCodec;

    async fn read_bounded<T: AsyncRead + Unpin + Send>(io: &mut T, limit: u64) -> io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        io.take(limit + 1).read_to_end(&mut buf).await?;
        if buf.len() as u64 > limit {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "stream longer than its limit"));
        }
        Ok(buf)
    }

    fn invalid(e: FetchError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }

    #[async_trait::async_trait]
    impl libp2p::request_response::Codec for BlocksByRootCodec {
        type Protocol = StreamProtocol;
        type Request = Vec<[u8; 32]>;
        type Response = Vec<Vec<u8>>;

        async fn read_request<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Self::Request>
        where
            T: AsyncRead + Unpin + Send,
        {
            decode_request(&read_bounded(io, MAX_REQUEST_STREAM).await?).map_err(invalid)
        }

        async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Self::Response>
        where
            T: AsyncRead + Unpin + Send,
        {
            decode_response(&read_bounded(io, MAX_RESPONSE_STREAM).await?).map_err(invalid)
        }

        async fn write_request<T>(
            &mut self,
            _: &StreamProtocol,
            io: &mut T,
            req: Self::Request,
        ) -> io::Result<()>
        where
            T: AsyncWrite + Unpin + Send,
        {
            io.write_all(&encode_request(&req)).await
        }

        async fn write_response<T>(
            &mut self,
            _: &StreamProtocol,
            io: &mut T,
            res: Self::Response,
        ) -> io::Result<()>
        where
            T: AsyncWrite + Unpin + Send,
        {
            io.write_all(&encode_response(&res)).await
        }
    }
}

#[cfg(test)]
#[path = "fetch_tests.rs"]
mod tests;
