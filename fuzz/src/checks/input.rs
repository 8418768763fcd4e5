//! A byte cursor over the fuzzer's input. Reads past the end yield zeros, so every input is a valid program
//! of choices and the seeds are plain byte strings the generator writes directly.

pub(crate) struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Input { data }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Up to `n` bytes (fewer at the end of the input).
    pub(crate) fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.data.split_at(n.min(self.data.len()));
        self.data = tail;
        head
    }

    pub(crate) fn u8(&mut self) -> u8 {
        self.bytes(1).first().copied().unwrap_or(0)
    }

    pub(crate) fn u16(&mut self) -> u16 {
        let mut b = [0u8; 2];
        b[..].iter_mut().zip(self.bytes(2)).for_each(|(d, s)| *d = *s);
        u16::from_le_bytes(b)
    }

    pub(crate) fn u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        b[..].iter_mut().zip(self.bytes(4)).for_each(|(d, s)| *d = *s);
        u32::from_le_bytes(b)
    }

    pub(crate) fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        b[..].iter_mut().zip(self.bytes(8)).for_each(|(d, s)| *d = *s);
        u64::from_le_bytes(b)
    }

    pub(crate) fn array32(&mut self) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[..].iter_mut().zip(self.bytes(32)).for_each(|(d, s)| *d = *s);
        b
    }

    /// A length-prefixed slice: `len u16 LE ‖ bytes`.
    pub(crate) fn chunk(&mut self) -> &'a [u8] {
        let n = usize::from(self.u16());
        self.bytes(n)
    }

    /// Everything left.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        self.bytes(self.data.len())
    }
}
