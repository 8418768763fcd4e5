//! The sixteen-lane BLAKE2s compression with AVX-512 intrinsics: every state and message word of the sixteen
//! lanes is one `zmm` register, all ten rounds are unrolled with constant message indices, and the 32 words
//! (16 state, 16 message) fit AVX-512's 32 vector registers, so nothing spills.
//!
//! Why intrinsics: the safe lane loops of [`super::lanes`] are arrays of `u32`, which LLVM splits into
//! scalars and then re-vectorizes only in part (measured on an AVX-512 AMD EPYC: a mix of 128-, 256- and
//! 512-bit operations with inserts and extracts, about 48 ns per lane-compression in signing). The only
//! `unsafe` here is the unaligned load and store between `[u32; 16]` and `__m512i`: every arithmetic
//! intrinsic is a safe function under the `avx512f` target feature, which this module is compiled only with.

#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m512i, _mm512_add_epi32, _mm512_loadu_si512, _mm512_ror_epi32, _mm512_set1_epi32, _mm512_storeu_si512,
    _mm512_xor_si512,
};

use super::lanes::{Block, IV, SIGMA, State};

/// Lane `l` of the word `$w: &[u32; 16]` into lane `l` of a register.
macro_rules! load {
    ($w:expr) => {{
        let w: &[u32; 16] = $w;
        // SAFETY: `w` is 64 readable bytes; `loadu` has no alignment requirement.
        unsafe { _mm512_loadu_si512(w.as_ptr().cast()) }
    }};
}

/// `x` in every lane.
macro_rules! splat {
    ($x:expr) => {
        _mm512_set1_epi32($x as i32)
    };
}

/// `G` on four state words with message words `x` and `y`.
macro_rules! g {
    ($v:ident, $a:literal, $b:literal, $c:literal, $d:literal, $x:expr, $y:expr) => {
        $v[$a] = _mm512_add_epi32(_mm512_add_epi32($v[$a], $v[$b]), $x);
        $v[$d] = _mm512_ror_epi32::<16>(_mm512_xor_si512($v[$d], $v[$a]));
        $v[$c] = _mm512_add_epi32($v[$c], $v[$d]);
        $v[$b] = _mm512_ror_epi32::<12>(_mm512_xor_si512($v[$b], $v[$c]));
        $v[$a] = _mm512_add_epi32(_mm512_add_epi32($v[$a], $v[$b]), $y);
        $v[$d] = _mm512_ror_epi32::<8>(_mm512_xor_si512($v[$d], $v[$a]));
        $v[$c] = _mm512_add_epi32($v[$c], $v[$d]);
        $v[$b] = _mm512_ror_epi32::<7>(_mm512_xor_si512($v[$b], $v[$c]));
    };
}

/// One round with schedule `SIGMA[r]`; `r` is a literal, so every index is a constant.
macro_rules! round {
    ($v:ident, $m:ident, $r:literal) => {
        let s = &SIGMA[$r];
        g!($v, 0, 4, 8, 12, $m[s[0]], $m[s[1]]);
        g!($v, 1, 5, 9, 13, $m[s[2]], $m[s[3]]);
        g!($v, 2, 6, 10, 14, $m[s[4]], $m[s[5]]);
        g!($v, 3, 7, 11, 15, $m[s[6]], $m[s[7]]);
        g!($v, 0, 5, 10, 15, $m[s[8]], $m[s[9]]);
        g!($v, 1, 6, 11, 12, $m[s[10]], $m[s[11]]);
        g!($v, 2, 7, 8, 13, $m[s[12]], $m[s[13]]);
        g!($v, 3, 4, 9, 14, $m[s[14]], $m[s[15]]);
    };
}

/// [`super::lanes::compress`] on sixteen lanes: the same inputs, the same chaining value out.
#[inline]
pub(super) fn compress(h: &mut State<16>, m: &Block<16>, counter: u64, last: bool) {
    // SAFETY: this module is compiled only when `avx512f` is enabled for the whole build, so the CPU the
    // program was built for has it (the `#[target_feature]` function's only precondition).
    unsafe { compress_avx512(h, m, counter, last) }
}

#[target_feature(enable = "avx512f")]
fn compress_avx512(h: &mut State<16>, m: &Block<16>, counter: u64, last: bool) {
    let m: [__m512i; 16] = [
        load!(&m[0]),
        load!(&m[1]),
        load!(&m[2]),
        load!(&m[3]),
        load!(&m[4]),
        load!(&m[5]),
        load!(&m[6]),
        load!(&m[7]),
        load!(&m[8]),
        load!(&m[9]),
        load!(&m[10]),
        load!(&m[11]),
        load!(&m[12]),
        load!(&m[13]),
        load!(&m[14]),
        load!(&m[15]),
    ];
    let hv: [__m512i; 8] = [
        load!(&h[0]),
        load!(&h[1]),
        load!(&h[2]),
        load!(&h[3]),
        load!(&h[4]),
        load!(&h[5]),
        load!(&h[6]),
        load!(&h[7]),
    ];
    let mut v: [__m512i; 16] = [
        hv[0],
        hv[1],
        hv[2],
        hv[3],
        hv[4],
        hv[5],
        hv[6],
        hv[7],
        splat!(IV[0]),
        splat!(IV[1]),
        splat!(IV[2]),
        splat!(IV[3]),
        splat!(IV[4] ^ counter as u32),
        splat!(IV[5] ^ (counter >> 32) as u32),
        splat!(if last { !IV[6] } else { IV[6] }),
        splat!(IV[7]),
    ];
    round!(v, m, 0);
    round!(v, m, 1);
    round!(v, m, 2);
    round!(v, m, 3);
    round!(v, m, 4);
    round!(v, m, 5);
    round!(v, m, 6);
    round!(v, m, 7);
    round!(v, m, 8);
    round!(v, m, 9);
    for i in 0..8 {
        let out = _mm512_xor_si512(hv[i], _mm512_xor_si512(v[i], v[i + 8]));
        // SAFETY: `h[i]` is 64 writable bytes; `storeu` has no alignment requirement.
        unsafe { _mm512_storeu_si512(h[i].as_mut_ptr().cast(), out) }
    }
    // The working state lives in registers, which code cannot wipe; whatever the register allocator spills
    // sits in stack slots that the next call overwrites, as with any temporary. The portable form wipes its
    // state array because that array is named memory the compiler keeps.
}
