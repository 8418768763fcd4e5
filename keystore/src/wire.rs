//! Small strict readers shared by the keystore and the interchange: hex fields and UUIDs.

use std::ops::RangeInclusive;

use crate::error::KeystoreError;

/// Decodes a hex field (no `0x`, as EIP-2335 writes them) whose length in bytes lies in `len`.
pub(crate) fn hex_field(
    field: &'static str,
    text: &str,
    len: RangeInclusive<usize>,
) -> Result<Vec<u8>, KeystoreError> {
    let bytes = hex::decode(text).map_err(|e| KeystoreError::Field { field, why: e.to_string() })?;
    if !len.contains(&bytes.len()) {
        return Err(KeystoreError::Field {
            field,
            why: format!("{} bytes, expected {} to {}", bytes.len(), len.start(), len.end()),
        });
    }
    Ok(bytes)
}

/// Formats 16 random bytes as an RFC 9562 version-4 UUID (lower-case, hyphenated).
pub(crate) fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex::encode(bytes);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// Checks the canonical hyphenated form `8-4-4-4-12` of lower- or upper-case hex digits.
pub(crate) fn check_uuid(text: &str) -> Result<(), KeystoreError> {
    let groups: Vec<&str> = text.split('-').collect();
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(KeystoreError::Field { field: "uuid", why: "not a hyphenated 8-4-4-4-12 hex UUID".into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_and_checked() {
        let u = uuid_v4([0xff; 16]);
        assert_eq!(u, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        check_uuid(&u).unwrap();
        assert!(check_uuid("ffffffff-ffff-4fff-bfff-fffffffffff").is_err());
        assert!(check_uuid("ffffffffffff4fffbfffffffffffffff").is_err());
        assert!(check_uuid("gfffffff-ffff-4fff-bfff-ffffffffffff").is_err());
    }
}
