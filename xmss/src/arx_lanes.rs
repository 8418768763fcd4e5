//! The add-rotate-xor round shared by BLAKE2s and BLAKE3, on `N` independent lanes.
//!
//! Both hashes mix a 16-word state with the same quarter-round `G` (rotations 16, 12, 8, 7) applied to the
//! columns and then the diagonals; they differ in their initial state, how many rounds they run (10 and
//! 7), and how they schedule the message words. Word `i` of lane `l` is `state[i][l]`, so each lane loop
//! is one vector instruction (eight 32-bit lanes are one AVX2 register, sixteen one AVX-512 register), and
//! one lane is the plain scalar function.

/// Parallel lanes of the BLAKE3 back-end.
pub(crate) const LANES: usize = 8;

/// One 32-bit word of every lane.
pub(crate) type Word<const N: usize = LANES> = [u32; N];

#[inline(always)]
fn add3<const N: usize>(a: &Word<N>, b: &Word<N>, c: &Word<N>) -> Word<N> {
    core::array::from_fn(|l| a[l].wrapping_add(b[l]).wrapping_add(c[l]))
}

#[inline(always)]
fn add<const N: usize>(a: &Word<N>, b: &Word<N>) -> Word<N> {
    core::array::from_fn(|l| a[l].wrapping_add(b[l]))
}

#[inline(always)]
fn xor_rotr<const N: usize>(a: &Word<N>, b: &Word<N>, r: u32) -> Word<N> {
    core::array::from_fn(|l| (a[l] ^ b[l]).rotate_right(r))
}

#[inline(always)]
fn g<const N: usize>(v: &mut [Word<N>; 16], [a, b, c, d]: [usize; 4], x: &Word<N>, y: &Word<N>) {
    v[a] = add3(&v[a], &v[b], x);
    v[d] = xor_rotr(&v[d], &v[a], 16);
    v[c] = add(&v[c], &v[d]);
    v[b] = xor_rotr(&v[b], &v[c], 12);
    v[a] = add3(&v[a], &v[b], y);
    v[d] = xor_rotr(&v[d], &v[a], 8);
    v[c] = add(&v[c], &v[d]);
    v[b] = xor_rotr(&v[b], &v[c], 7);
}

/// One round: `G` on the four columns, then the four diagonals, with message words `m[s[0]], m[s[1]], …`.
#[inline(always)]
pub(crate) fn round<const N: usize>(v: &mut [Word<N>; 16], m: &[Word<N>; 16], s: &[usize; 16]) {
    g(v, [0, 4, 8, 12], &m[s[0]], &m[s[1]]);
    g(v, [1, 5, 9, 13], &m[s[2]], &m[s[3]]);
    g(v, [2, 6, 10, 14], &m[s[4]], &m[s[5]]);
    g(v, [3, 7, 11, 15], &m[s[6]], &m[s[7]]);
    g(v, [0, 5, 10, 15], &m[s[8]], &m[s[9]]);
    g(v, [1, 6, 11, 12], &m[s[10]], &m[s[11]]);
    g(v, [2, 7, 8, 13], &m[s[12]], &m[s[13]]);
    g(v, [3, 4, 9, 14], &m[s[14]], &m[s[15]]);
}

/// The message schedule of a round that takes the words in order.
pub(crate) const IN_ORDER: [usize; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
