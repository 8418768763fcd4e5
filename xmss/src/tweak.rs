//! Tweaks: the domain separation that makes every hash call of a key unique.
//!
//! Each tweak is an integer written in base p as two field elements, with a one-byte separator in its low
//! byte so that chain, tree and message tweaks can never collide:
//!
//! | use | integer |
//! |---|---|
//! | chain step | `epoch << 24 \| chain_index << 16 \| pos_in_chain << 8 \| 0x00` |
//! | tree node  | `level << 40 \| pos_in_level << 8 \| 0x01` |
//! | message    | `epoch << 8 \| 0x02` |

use crate::field::{F, TWEAK_LEN, base_p_pair};

const SEPARATOR_CHAIN: u64 = 0x00;
const SEPARATOR_TREE: u64 = 0x01;
const SEPARATOR_MESSAGE: u64 = 0x02;

/// The tweak of the `pos_in_chain`-th value of chain `chain_index` at `epoch`.
#[inline]
pub fn chain_tweak(epoch: u32, chain_index: u8, pos_in_chain: u8) -> [F; TWEAK_LEN] {
    let acc = (u64::from(epoch) << 24)
        | (u64::from(chain_index) << 16)
        | (u64::from(pos_in_chain) << 8)
        | SEPARATOR_CHAIN;
    base_p_pair(acc)
}

/// The tweak of the node at `pos_in_level` in tree level `level` (leaves are level 0).
#[inline]
pub fn tree_tweak(level: u8, pos_in_level: u32) -> [F; TWEAK_LEN] {
    let acc = (u64::from(level) << 40) | (u64::from(pos_in_level) << 8) | SEPARATOR_TREE;
    base_p_pair(acc)
}

/// The tweak of the message hash at `epoch`.
#[inline]
pub fn message_tweak(epoch: u32) -> [F; TWEAK_LEN] {
    base_p_pair((u64::from(epoch) << 8) | SEPARATOR_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p3_field::PrimeField32;
    use std::collections::HashSet;

    fn words(t: [F; 2]) -> [u32; 2] {
        t.map(|x| x.as_canonical_u32())
    }

    #[test]
    fn tweak_domains_are_disjoint() {
        let mut seen = HashSet::new();
        for e in [0u32, 1, 255, 65_536, u32::MAX] {
            for c in [0u8, 45, 255] {
                for p in [0u8, 1, 7, 255] {
                    assert!(seen.insert(words(chain_tweak(e, c, p))));
                }
            }
            assert!(seen.insert(words(message_tweak(e))));
        }
        for l in [0u8, 1, 16, 32] {
            for pos in [0u32, 1, 65_535, u32::MAX] {
                assert!(seen.insert(words(tree_tweak(l, pos))));
            }
        }
    }

    #[test]
    fn largest_chain_tweak_fits_two_digits() {
        let acc = (u128::from(u32::MAX) << 24) | (0xff << 16) | (0xff << 8);
        let [lo, hi] = words(chain_tweak(u32::MAX, 0xff, 0xff));
        assert_eq!(u128::from(lo) + u128::from(hi) * u128::from(crate::field::P), acc);
    }
}
