//! The keystore password, normalised as EIP-2335 ("Password requirements") prescribes: NFKD, then the C0
//! (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F) control codes removed, then UTF-8. A trailing newline
//! from a password file is a C0 code, so it never changes the key.

use unicode_normalization::UnicodeNormalization as _;
use zeroize::Zeroizing;

/// A normalised password. Not `Clone`; zeroized on drop; its `Debug` shows nothing of it.
pub struct Password(Zeroizing<Vec<u8>>);

impl Password {
    /// Normalises `text` (EIP-2335).
    pub fn new(text: &str) -> Self {
        let mut out = Zeroizing::new(Vec::with_capacity(text.len() * 2));
        let mut buf = [0u8; 4];
        for c in text.nfkd().filter(|c| !is_control(*c)) {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        buf.fill(0);
        Password(out)
    }

    /// Normalises the bytes of a password file or variable, which must be UTF-8.
    pub fn from_utf8(bytes: &[u8]) -> Option<Self> {
        core::str::from_utf8(bytes).ok().map(Self::new)
    }

    /// The normalised bytes the KDF takes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Whether nothing is left after normalisation (an empty password protects nothing).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl core::fmt::Debug for Password {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Password(..)")
    }
}

fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_follows_eip_2335() {
        // EIP-2335's test password: "𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑" normalises to "testpassword🔑".
        let p = Password::new(
            "\u{1d531}\u{1d522}\u{1d530}\u{1d531}\u{1d52d}\u{1d51e}\u{1d530}\u{1d530}\u{1d534}\u{1d52c}\u{1d52f}\u{1d521}\u{1f511}",
        );
        assert_eq!(p.bytes(), "testpassword\u{1f511}".as_bytes());
        assert_eq!(Password::new("pass\nword\u{7f}\u{85}\n").bytes(), b"password");
        assert!(Password::new("\n\t").is_empty());
        assert_eq!(format!("{:?}", Password::new("secret")), "Password(..)");
        assert!(Password::from_utf8(&[0xff]).is_none());
    }
}
