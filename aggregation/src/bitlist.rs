//! SSZ `Bitlist[N]`, as lean consensus encodes aggregation participants: bits little-endian within bytes,
//! then one delimiter bit marking the length; the last byte is never zero.

/// A list of bits with its SSZ encoding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct BitList {
    bits: Vec<bool>,
}

/// Why bytes are not a canonical bitlist.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BitListError {
    /// No bytes: even the empty bitlist has its delimiter byte.
    #[error("empty input: a bitlist has at least the delimiter byte")]
    Empty,
    /// The last byte is zero, so there is no delimiter.
    #[error("the last byte is zero: missing delimiter bit")]
    NoDelimiter,
    /// More bits than allowed.
    #[error("{len} bits exceed the limit {max}")]
    TooLong {
        /// Bits encoded.
        len: usize,
        /// Limit.
        max: usize,
    },
}

impl BitList {
    /// `len` cleared bits.
    pub fn zeros(len: usize) -> Self {
        BitList { bits: vec![false; len] }
    }

    /// Number of bits.
    pub fn len(&self) -> usize {
        self.bits.len()
    }

    /// Whether there are no bits.
    pub fn is_empty(&self) -> bool {
        self.bits.is_empty()
    }

    /// Bit `i` (false beyond the end).
    pub fn get(&self, i: usize) -> bool {
        self.bits.get(i).copied().unwrap_or(false)
    }

    /// Sets bit `i`; returns false (and changes nothing) beyond the end.
    pub fn set(&mut self, i: usize, value: bool) -> bool {
        match self.bits.get_mut(i) {
            Some(b) => {
                *b = value;
                true
            }
            None => false,
        }
    }

    /// Indices of set bits, increasing.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| i)
    }

    /// Number of set bits.
    pub fn count_ones(&self) -> usize {
        self.bits.iter().filter(|b| **b).count()
    }

    /// SSZ encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![0u8; self.bits.len() / 8 + 1];
        for i in self.ones() {
            out[i / 8] |= 1 << (i % 8);
        }
        out[self.bits.len() / 8] |= 1 << (self.bits.len() % 8);
        out
    }

    /// Strict SSZ decoding with at most `max` bits.
    pub fn from_bytes(bytes: &[u8], max: usize) -> Result<Self, BitListError> {
        let last = *bytes.last().ok_or(BitListError::Empty)?;
        if last == 0 {
            return Err(BitListError::NoDelimiter);
        }
        let len = 8 * (bytes.len() - 1) + (7 - last.leading_zeros() as usize);
        if len > max {
            return Err(BitListError::TooLong { len, max });
        }
        Ok(BitList { bits: (0..len).map(|i| bytes[i / 8] >> (i % 8) & 1 == 1).collect() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_encodings() {
        assert_eq!(BitList::zeros(0).to_bytes(), vec![0x01]);
        let mut b = BitList::zeros(3);
        b.set(0, true);
        b.set(2, true);
        assert_eq!(b.to_bytes(), vec![0b1101]);
        let mut b = BitList::zeros(8);
        b.set(7, true);
        assert_eq!(b.to_bytes(), vec![0x80, 0x01]);
    }

    #[test]
    fn round_trips_and_rejects_non_canonical() {
        for len in 0..40 {
            let mut b = BitList::zeros(len);
            for i in (0..len).step_by(3) {
                b.set(i, true);
            }
            assert_eq!(BitList::from_bytes(&b.to_bytes(), 64).unwrap(), b);
        }
        assert_eq!(BitList::from_bytes(&[], 8), Err(BitListError::Empty));
        assert_eq!(BitList::from_bytes(&[0x01, 0x00], 8), Err(BitListError::NoDelimiter));
        assert_eq!(BitList::from_bytes(&[0x00, 0x02], 8), Err(BitListError::TooLong { len: 9, max: 8 }));
    }
}
