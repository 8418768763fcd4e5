//! Gossip payloads (ndvt-node's validation, without its network stack): raw snappy, strict SSZ of the
//! topic's message, registry lookup, signature, slot and duplicate checks must be total.
//!
//! Kept outside `checks/` for the same reason as `containers.rs`; `node/tests/fuzz_corpus.rs` includes this
//! file by path and replays its corpus. Input: one byte choosing the topic's kind, then the gossip payload.

use std::sync::OnceLock;

use ndvt_adapter::node::wire::{Kind, decode_msg, encode_msg};
use ndvt_adapter::sim::{GroupConfig, Roster, Scenario, Sch, identities};
use ndvt_node::validate::Validator;
use ndvt_node::wire::{compress, decompress};

/// The local slot every payload is checked at.
pub const NOW_SLOT: u64 = 4;

/// The registry payloads are checked against: a 2-of-3 group and a single validator (seed 1).
pub fn scenario() -> Scenario {
    Scenario {
        slots: 8,
        seed: 1,
        groups: vec![GroupConfig {
            name: None,
            m: 2,
            n: 3,
            balance_increments: None,
            backup: false,
            faults: vec![],
        }],
        singles: 1,
        partitions: vec![],
        ..Scenario::default_devnet()
    }
}

fn roster() -> &'static Roster {
    static ROSTER: OnceLock<Roster> = OnceLock::new();
    ROSTER.get_or_init(|| {
        let s = scenario();
        let ids = identities(&s).expect("the fixed scenario's keys generate");
        Roster::new(&s, &ids).expect("the fixed scenario's registry builds")
    })
}

/// Checks `data[1..]` as a payload of the kind `data[0]` names. An accepted payload's message re-encodes to
/// the payload's SSZ bytes and survives a second compression; a dropped one gives a reason. Panics only when
/// one of those invariants breaks.
pub fn decode_gossip(data: &[u8]) {
    let Some((&k, payload)) = data.split_first() else { return };
    let kind = Kind::ALL[usize::from(k) % Kind::ALL.len()];
    let mut v = Validator::new(roster());
    if let Ok(msg) = v.check(kind, payload, NOW_SLOT) {
        let (again_kind, ssz) = encode_msg(&msg);
        assert_eq!(again_kind, kind, "a payload decoded as another kind");
        assert_eq!(
            decompress(payload).ok().as_deref(),
            Some(ssz.as_slice()),
            "accepted bytes are not canonical"
        );
        assert!(decode_msg::<Sch>(kind, &decompress(&compress(&ssz)).expect("own compression")).is_ok());
        // The same payload again is a duplicate, never a second acceptance.
        assert!(v.check(kind, payload, NOW_SLOT).is_err(), "a duplicate was accepted");
    }
}

/// Checks `data` as a `blocks_by_root` request and as a response (`ndvt_node::fetch`): decoding is total, an
/// accepted request or response re-encodes to exactly its bytes, and every block of a response goes through
/// the fetched-block check (decoding and certificate against the registry), which is total too.
pub fn decode_fetch(data: &[u8]) {
    use ndvt_node::fetch::{decode_request, decode_response, encode_request, encode_response};
    if let Ok(roots) = decode_request(data) {
        assert_eq!(encode_request(&roots), data, "an accepted request is not canonical");
    }
    if let Ok(blocks) = decode_response(data) {
        // The decoder accepts any valid snappy framing; only the payloads must survive a round trip.
        assert_eq!(decode_response(&encode_response(&blocks)).ok().as_ref(), Some(&blocks));
        let mut v = Validator::new(roster());
        for ssz in &blocks {
            if let Ok(c) = v.check_fetched(ssz, NOW_SLOT) {
                let (_, again) = encode_msg(&ndvt_adapter::node::Msg::Block(c));
                assert_eq!(&again, ssz, "an accepted fetched block is not canonical");
            }
        }
    }
}
