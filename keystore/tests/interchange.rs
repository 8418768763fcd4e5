//! EIP-3076 interchange: strict parsing (one test per bad-input class), the lean mapping, and property tests
//! of both JSON encodings.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use ndvt_keystore::interchange::{Entry, Interchange, SignedAttestation, SignedBlock};
use ndvt_keystore::{InterchangeError, Keystore};
use proptest::prelude::*;
use serde_json::json;

fn file(data: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "metadata": { "interchange_format_version": "5", "genesis_validators_root": format!("0x{}", "00".repeat(32)) },
        "data": data,
    }))
    .unwrap()
}

const PK: &str = "0x0102";

#[test]
fn the_highest_slot_or_epoch_of_the_key_counts() {
    let bytes = file(json!([
        { "pubkey": PK, "signed_blocks": [{ "slot": "7" }, { "slot": "3", "signing_root": format!("0x{}", "ab".repeat(32)) }],
          "signed_attestations": [{ "source_epoch": "2", "target_epoch": "9" }], "x-extra": 1 },
        { "pubkey": "0x0303", "signed_blocks": [{ "slot": "1000" }], "signed_attestations": [] },
        { "pubkey": PK, "signed_blocks": [], "signed_attestations": [{ "source_epoch": "4", "target_epoch": "5" }] },
    ]));
    let h = Interchange::from_json(&bytes).unwrap();
    assert_eq!(
        h.highest_epoch_for(&[1, 2]).unwrap(),
        Some(9),
        "entries of one key are merged, others ignored"
    );
    assert_eq!(h.highest_epoch_for(&[3, 3]).unwrap(), Some(1000));
    assert!(matches!(h.highest_epoch_for(&[9]), Err(InterchangeError::NoEntryForKey(_))));
    h.check_genesis(&[0; 32]).unwrap();
    assert!(matches!(h.check_genesis(&[1; 32]), Err(InterchangeError::GenesisMismatch { .. })));
}

#[test]
fn ndvt_writes_the_minimal_form() {
    let h = Interchange::for_key(&[1, 2], [7; 32], 0, 12);
    let v: serde_json::Value = serde_json::from_str(&h.to_json()).unwrap();
    assert_eq!(v["metadata"]["interchange_format_version"], "5");
    assert_eq!(v["metadata"]["genesis_validators_root"], format!("0x{}", "07".repeat(32)));
    assert_eq!(v["data"][0]["signed_blocks"], json!([{ "slot": "11" }]));
    assert_eq!(v["data"][0]["signed_attestations"], json!([{ "source_epoch": "0", "target_epoch": "11" }]));
    let empty = Interchange::for_key(&[1, 2], [7; 32], 64, 64);
    assert_eq!(empty.highest_epoch_for(&[1, 2]).unwrap(), None);
}

#[test]
fn one_error_per_bad_input_class() {
    let entry = |blocks: serde_json::Value, atts: serde_json::Value| {
        file(json!([{ "pubkey": PK, "signed_blocks": blocks, "signed_attestations": atts }]))
    };
    let field_of = |bytes: &[u8]| match Interchange::from_json(bytes) {
        Err(InterchangeError::Field { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    };
    assert!(matches!(Interchange::from_json(b"nope"), Err(InterchangeError::Json(_))));
    assert!(matches!(Interchange::from_json(br#"{"metadata":{}}"#), Err(InterchangeError::Json(_))));
    let v4 = br#"{"metadata":{"interchange_format_version":"4","genesis_validators_root":"0x00"},"data":[]}"#;
    assert!(matches!(Interchange::from_json(v4), Err(InterchangeError::UnknownVersion(v)) if v == "4"));
    let bad_root =
        br#"{"metadata":{"interchange_format_version":"5","genesis_validators_root":"0x00"},"data":[]}"#;
    assert_eq!(field_of(bad_root), "metadata.genesis_validators_root");
    for slot in ["-1", "+1", "01", "", "1.0", "18446744073709551616", " 1"] {
        assert_eq!(
            field_of(&entry(json!([{ "slot": slot }]), json!([]))),
            "signed_blocks[].slot",
            "{slot:?}"
        );
    }
    assert!(matches!(
        Interchange::from_json(&entry(json!([{ "slot": 1 }]), json!([]))),
        Err(InterchangeError::Json(_))
    ));
    assert_eq!(
        field_of(&entry(json!([{ "slot": "1", "signing_root": "0x12" }]), json!([]))),
        "signed_blocks[].signing_root"
    );
    assert_eq!(
        field_of(&entry(json!([]), json!([{ "source_epoch": "x", "target_epoch": "1" }]))),
        "signed_attestations[].source_epoch"
    );
    assert_eq!(
        field_of(&entry(json!([]), json!([{ "source_epoch": "1", "target_epoch": "y" }]))),
        "signed_attestations[].target_epoch"
    );
    assert_eq!(
        field_of(&entry(json!([]), json!([{ "source_epoch": "5", "target_epoch": "4" }]))),
        "signed_attestations[]"
    );
    for pk in ["0102", "0x", "0xzz", &format!("0x{}", "00".repeat(1025))] {
        let bytes = file(json!([{ "pubkey": pk, "signed_blocks": [], "signed_attestations": [] }]));
        assert_eq!(field_of(&bytes), "data[].pubkey", "{pk}");
    }
    let big = vec![b' '; ndvt_keystore::MAX_INTERCHANGE_BYTES as usize + 1];
    assert!(matches!(Interchange::from_json(&big), Err(InterchangeError::TooLarge { .. })));
}

fn arb_interchange() -> impl Strategy<Value = Interchange> {
    let root = proptest::option::of(any::<[u8; 32]>());
    let block =
        (any::<u64>(), root.clone()).prop_map(|(slot, signing_root)| SignedBlock { slot, signing_root });
    let att = (any::<u64>(), any::<u64>(), root).prop_map(|(a, b, signing_root)| SignedAttestation {
        source_epoch: a.min(b),
        target_epoch: a.max(b),
        signing_root,
    });
    let entry = (
        proptest::collection::vec(any::<u8>(), 1..64),
        proptest::collection::vec(block, 0..4),
        proptest::collection::vec(att, 0..4),
    )
        .prop_map(|(pubkey, signed_blocks, signed_attestations)| Entry {
            pubkey,
            signed_blocks,
            signed_attestations,
        });
    (any::<[u8; 32]>(), proptest::collection::vec(entry, 0..4))
        .prop_map(|(genesis_validators_root, data)| Interchange { genesis_validators_root, data })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Writing then reading an interchange file gives it back, and writing is canonical.
    #[test]
    fn interchange_round_trips(h in arb_interchange()) {
        let text = h.to_json();
        let back = Interchange::from_json(text.as_bytes()).unwrap();
        prop_assert_eq!(&back, &h);
        prop_assert_eq!(back.to_json(), text);
    }

    /// Arbitrary bytes never panic the interchange parser.
    #[test]
    fn interchange_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Interchange::from_json(&bytes);
    }

    /// Keystores of any snapshot round-trip through JSON, and every accepted edit of a field re-encodes to
    /// what was read.
    #[test]
    fn keystore_json_round_trips(next in 0u64..=64, description in "[ -~]{0,40}") {
        let ks = keystore_of(&test_key(1), next, ARGON2_SMALL);
        let bytes = edited(&ks, |v| v["description"] = json!(description));
        let parsed = Keystore::from_json(&bytes).unwrap();
        prop_assert_eq!(parsed.snapshot(), ks.snapshot());
        let again = Keystore::from_json(parsed.to_json().as_bytes()).unwrap();
        prop_assert_eq!(again.to_json(), parsed.to_json());
    }

    /// A single changed character anywhere in a keystore is refused or decrypts to the same key (it hit a
    /// field that binds nothing), never a different key and never a panic.
    #[test]
    fn a_changed_character_never_yields_another_key(at in any::<prop::sample::Index>(), c in prop::char::range(' ', '~')) {
        let key = test_key(1);
        let text = keystore_of(&key, 3, ARGON2_SMALL).to_json();
        let mut chars: Vec<char> = text.chars().collect();
        let i = at.index(chars.len());
        chars[i] = c;
        let changed: String = chars.into_iter().collect();
        if let Ok(ks) = Keystore::from_json(changed.as_bytes())
            && let Ok(k) = ks.decrypt::<ndvt_xmss::TestInstance>(&password())
        {
            prop_assert_eq!(&*k.to_bytes(), &*key.to_bytes());
        }
    }
}
