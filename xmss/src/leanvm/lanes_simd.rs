//! The BLAKE2s compression on whole vector registers: sixteen lanes in AVX-512 `zmm` registers and eight
//! in AVX2 `ymm` registers, one state or message word of every lane per register, all ten rounds unrolled
//! with constant message indices.
//!
//! Why intrinsics: the safe lane loops of [`super::lanes`] are arrays of `u32`, which LLVM splits into
//! scalars and then re-vectorizes only in part (measured on an AVX-512 AMD EPYC: a mix of 128-, 256- and
//! 512-bit operations with inserts and extracts, about 48 ns per lane-compression in signing). The only
//! `unsafe` here is the unaligned load and store between `[u32; N]` and a register, and the call into the
//! `#[target_feature]` function, whose precondition (the CPU has the feature) holds because each variant is
//! compiled only when the whole build enables that feature. Every arithmetic intrinsic is a safe function
//! inside it.

#![allow(unsafe_code)]

#[cfg(target_feature = "avx2")]
use core::arch::x86_64::{
    __m256i, _mm256_add_epi32, _mm256_loadu_si256, _mm256_or_si256, _mm256_set1_epi32, _mm256_setr_epi8,
    _mm256_shuffle_epi8, _mm256_slli_epi32, _mm256_srli_epi32, _mm256_storeu_si256, _mm256_xor_si256,
};
#[cfg(target_feature = "avx512f")]
use core::arch::x86_64::{
    __m512i, _mm512_add_epi32, _mm512_loadu_si512, _mm512_ror_epi32, _mm512_set1_epi32, _mm512_storeu_si512,
    _mm512_xor_si512,
};

use super::lanes::{Block, IV, NodeWords, SIGMA, State};

/// `G` on four state words with message words `x` and `y`; `$add`, `$xor` and `$ror` are the vector
/// operations (`$ror` takes the rotation as a literal).
macro_rules! g {
    ($ops:ident, $v:ident, $a:literal, $b:literal, $c:literal, $d:literal, $x:expr, $y:expr) => {
        $v[$a] = $ops!(add, $ops!(add, $v[$a], $v[$b]), $x);
        $v[$d] = $ops!(ror16, $ops!(xor, $v[$d], $v[$a]));
        $v[$c] = $ops!(add, $v[$c], $v[$d]);
        $v[$b] = $ops!(ror12, $ops!(xor, $v[$b], $v[$c]));
        $v[$a] = $ops!(add, $ops!(add, $v[$a], $v[$b]), $y);
        $v[$d] = $ops!(ror8, $ops!(xor, $v[$d], $v[$a]));
        $v[$c] = $ops!(add, $v[$c], $v[$d]);
        $v[$b] = $ops!(ror7, $ops!(xor, $v[$b], $v[$c]));
    };
}

/// The rounds `$r…` in order, each with its schedule `SIGMA[r]` as constants.
macro_rules! rounds {
    ($ops:ident, $v:ident, $m:ident, $($r:literal)*) => {$(
        let s = &SIGMA[$r];
        g!($ops, $v, 0, 4, 8, 12, $m[s[0]], $m[s[1]]);
        g!($ops, $v, 1, 5, 9, 13, $m[s[2]], $m[s[3]]);
        g!($ops, $v, 2, 6, 10, 14, $m[s[4]], $m[s[5]]);
        g!($ops, $v, 3, 7, 11, 15, $m[s[6]], $m[s[7]]);
        g!($ops, $v, 0, 5, 10, 15, $m[s[8]], $m[s[9]]);
        g!($ops, $v, 1, 6, 11, 12, $m[s[10]], $m[s[11]]);
        g!($ops, $v, 2, 7, 8, 13, $m[s[12]], $m[s[13]]);
        g!($ops, $v, 3, 4, 9, 14, $m[s[14]], $m[s[15]]);
    )*};
}

/// The whole compression over one family of vector operations: loads the chaining value and block, runs
/// ten rounds (each `SIGMA[r]` a constant, so every message index is one), writes the new chaining value.
///
/// With `$fresh` the chaining value is the unkeyed initial one (constants, whatever `$h` holds), and message
/// words from `$words` on are zero: both are constants the compiler folds (a chain step's last four words
/// are zero, ten rounds of adds of them go away). The first `$outs` words of the new chaining value go to
/// `$out`: a caller that keeps only the 16-byte digest asks for four, and the compiler drops the last
/// round's work that only the other four need.
macro_rules! compress_body {
    ($ops:ident, $vec:ty, $h:ident, $m:ident, $counter:ident, $last:ident) => {
        compress_body!($ops, $vec, $h, $m, $counter, $last, false, 16, $h, 8)
    };
    (
        $ops:ident, $vec:ty, $h:ident, $m:ident, $counter:ident, $last:ident, $fresh:expr, $words:expr,
        $out:ident, $outs:expr
    ) => {{
        let m: [$vec; 16] =
            core::array::from_fn(|i| if i < $words { $ops!(load, &$m[i]) } else { $ops!(splat, 0u32) });
        let hv: [$vec; 8] = core::array::from_fn(|i| match ($fresh, i) {
            (true, 0) => $ops!(splat, IV[0] ^ 0x0101_0020),
            (true, _) => $ops!(splat, IV[i]),
            (false, _) => $ops!(load, &$h[i]),
        });
        let tail = [
            IV[4] ^ $counter as u32,
            IV[5] ^ ($counter >> 32) as u32,
            if $last { !IV[6] } else { IV[6] },
            IV[7],
        ];
        let mut v: [$vec; 16] = core::array::from_fn(|i| match i {
            0..8 => hv[i],
            8..12 => $ops!(splat, IV[i - 8]),
            _ => $ops!(splat, tail[i - 12]),
        });
        // Unrolled, so that every `SIGMA` entry is a constant and the message words stay in registers.
        rounds!($ops, v, m, 0 1 2 3 4 5 6 7 8 9);
        for i in 0..$outs {
            let out = $ops!(xor, hv[i], $ops!(xor, v[i], v[i + 8]));
            $ops!(store, &mut $out[i], out);
        }
        // The working state lives in registers, which code cannot wipe; what the register allocator spills
        // sits in stack slots that the next call overwrites, as with any temporary. The portable form wipes
        // its state array because that array is named memory the compiler keeps.
    }};
}

#[cfg(target_feature = "avx512f")]
macro_rules! zmm {
    (load, $w:expr) => {{
        let w: &[u32; 16] = $w;
        // SAFETY: `w` is 64 readable bytes; `loadu` has no alignment requirement.
        unsafe { _mm512_loadu_si512(w.as_ptr().cast()) }
    }};
    (store, $w:expr, $x:expr) => {{
        let w: &mut [u32; 16] = $w;
        // SAFETY: `w` is 64 writable bytes; `storeu` has no alignment requirement.
        unsafe { _mm512_storeu_si512(w.as_mut_ptr().cast(), $x) }
    }};
    (splat, $x:expr) => {
        _mm512_set1_epi32($x as i32)
    };
    (add, $a:expr, $b:expr) => {
        _mm512_add_epi32($a, $b)
    };
    (xor, $a:expr, $b:expr) => {
        _mm512_xor_si512($a, $b)
    };
    (ror16, $a:expr) => {
        _mm512_ror_epi32::<16>($a)
    };
    (ror12, $a:expr) => {
        _mm512_ror_epi32::<12>($a)
    };
    (ror8, $a:expr) => {
        _mm512_ror_epi32::<8>($a)
    };
    (ror7, $a:expr) => {
        _mm512_ror_epi32::<7>($a)
    };
}

/// AVX2 has no rotation: 16 and 8 are byte shuffles within each word, 12 and 7 two shifts and an or.
#[cfg(target_feature = "avx2")]
macro_rules! ymm {
    (load, $w:expr) => {{
        let w: &[u32; 8] = $w;
        // SAFETY: `w` is 32 readable bytes; `loadu` has no alignment requirement.
        unsafe { _mm256_loadu_si256(w.as_ptr().cast()) }
    }};
    (store, $w:expr, $x:expr) => {{
        let w: &mut [u32; 8] = $w;
        // SAFETY: `w` is 32 writable bytes; `storeu` has no alignment requirement.
        unsafe { _mm256_storeu_si256(w.as_mut_ptr().cast(), $x) }
    }};
    (splat, $x:expr) => {
        _mm256_set1_epi32($x as i32)
    };
    (add, $a:expr, $b:expr) => {
        _mm256_add_epi32($a, $b)
    };
    (xor, $a:expr, $b:expr) => {
        _mm256_xor_si256($a, $b)
    };
    (ror16, $a:expr) => {
        _mm256_shuffle_epi8(
            $a,
            _mm256_setr_epi8(
                2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9,
                14, 15, 12, 13,
            ),
        )
    };
    (ror8, $a:expr) => {
        _mm256_shuffle_epi8(
            $a,
            _mm256_setr_epi8(
                1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8,
                13, 14, 15, 12,
            ),
        )
    };
    (ror12, $a:expr) => {{
        let a = $a;
        _mm256_or_si256(_mm256_srli_epi32::<12>(a), _mm256_slli_epi32::<20>(a))
    }};
    (ror7, $a:expr) => {{
        let a = $a;
        _mm256_or_si256(_mm256_srli_epi32::<7>(a), _mm256_slli_epi32::<25>(a))
    }};
}

/// [`super::lanes::compress`] on sixteen lanes: the same inputs, the same chaining value out.
#[cfg(target_feature = "avx512f")]
#[inline]
pub(super) fn compress16(h: &mut State<16>, m: &Block<16>, counter: u64, last: bool) {
    #[target_feature(enable = "avx512f")]
    fn inner(h: &mut State<16>, m: &Block<16>, counter: u64, last: bool) {
        compress_body!(zmm, __m512i, h, m, counter, last)
    }
    // SAFETY: compiled only when the build enables `avx512f`, so the CPU it runs on has it.
    unsafe { inner(h, m, counter, last) }
}

/// [`super::lanes::compress_fresh`] on sixteen lanes. The initial state is constants: no chaining value
/// is read (the macro's `$h` is `m`, in an arm that `$fresh` makes dead).
#[cfg(target_feature = "avx512f")]
#[inline]
pub(super) fn compress16_fresh<const WORDS: usize>(m: &Block<16>, counter: u64, out: &mut NodeWords<16>) {
    #[target_feature(enable = "avx512f")]
    fn inner<const WORDS: usize>(m: &Block<16>, counter: u64, out: &mut NodeWords<16>) {
        let last = true;
        compress_body!(zmm, __m512i, m, m, counter, last, true, WORDS, out, 4)
    }
    // SAFETY: compiled only when the build enables `avx512f`, so the CPU it runs on has it.
    unsafe { inner::<WORDS>(m, counter, out) }
}

/// [`super::lanes::compress`] on eight lanes: the same inputs, the same chaining value out.
#[cfg(target_feature = "avx2")]
#[inline]
pub(super) fn compress8(h: &mut State<8>, m: &Block<8>, counter: u64, last: bool) {
    #[target_feature(enable = "avx2")]
    fn inner(h: &mut State<8>, m: &Block<8>, counter: u64, last: bool) {
        compress_body!(ymm, __m256i, h, m, counter, last)
    }
    // SAFETY: compiled only when the build enables `avx2`, so the CPU it runs on has it.
    unsafe { inner(h, m, counter, last) }
}

/// [`super::lanes::compress_fresh`] on eight lanes (no chaining value is read, as on sixteen).
#[cfg(target_feature = "avx2")]
#[inline]
pub(super) fn compress8_fresh<const WORDS: usize>(m: &Block<8>, counter: u64, out: &mut NodeWords<8>) {
    #[target_feature(enable = "avx2")]
    fn inner<const WORDS: usize>(m: &Block<8>, counter: u64, out: &mut NodeWords<8>) {
        let last = true;
        compress_body!(ymm, __m256i, m, m, counter, last, true, WORDS, out, 4)
    }
    // SAFETY: compiled only when the build enables `avx2`, so the CPU it runs on has it.
    unsafe { inner::<WORDS>(m, counter, out) }
}

/// [`super::lanes::compress_last`] on eight lanes.
#[cfg(target_feature = "avx2")]
#[inline]
pub(super) fn compress8_last<const WORDS: usize>(
    h: &State<8>,
    m: &Block<8>,
    counter: u64,
    out: &mut NodeWords<8>,
) {
    #[target_feature(enable = "avx2")]
    fn inner<const WORDS: usize>(h: &State<8>, m: &Block<8>, counter: u64, out: &mut NodeWords<8>) {
        let last = true;
        compress_body!(ymm, __m256i, h, m, counter, last, false, WORDS, out, 4)
    }
    // SAFETY: compiled only when the build enables `avx2`, so the CPU it runs on has it.
    unsafe { inner::<WORDS>(h, m, counter, out) }
}
