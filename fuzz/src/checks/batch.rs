//! Single against batch verification: `verify_batch` packs independent signatures into SIMD lanes and must
//! answer, item by item, exactly what `PublicKey::verify` answers, whatever the other items of the batch
//! are; `PublicKey::verify_many` and `Scheme::verify_batch` likewise.
//!
//! Input: up to 40 items (more than two SIMD chunks), each `key ‖ pair ‖ flags [‖ edits]`; see [`item`].

use ndvt_aggregation::{Scheme, VerifyItem};
use ndvt_xmss::{BatchItem, PublicKey, Signature, TestInstance, verify_batch};

use super::fixtures::{EPOCH, EPOCH2, FuzzScheme, MSG, MSG2, TestXmss};
use super::input::Input;

struct Item {
    key: PublicKey<TestInstance>,
    epoch: u64,
    message: [u8; 32],
    signature: Signature<TestInstance>,
}

/// `key % 5` picks a fixture key (0 the single validator, 1–4 the members) and its signature on the pair
/// `pair & 1`; bits 1–2 of `pair` set the epoch (the pair's, the other pair's, `pair >> 3`, or a raw u64),
/// bit 7 the other pair's message. `flags` bit 0 edits the signature and bit 1 the key with `(position u16,
/// xor u8)`; an edit that no longer decodes drops the item.
fn item(input: &mut Input<'_>) -> Option<Item> {
    let w = TestXmss::world();
    let k = usize::from(input.u8() % 5);
    let (pair, flags) = (input.u8(), input.u8());
    let second = pair & 1 == 1;
    let mut key = if k == 0 { w.single } else { w.group.members()[k - 1] };
    let mut signature = match (k, second) {
        (0, false) => w.single_sig.clone(),
        (0, true) => w.single_sig2.clone(),
        (k, false) => w.member_sigs[k - 1].clone(),
        (k, true) => w.member_sigs2[k - 1].clone(),
    };
    let (own_epoch, other_epoch) = if second { (EPOCH2, EPOCH) } else { (EPOCH, EPOCH2) };
    let epoch = match (pair >> 1) & 3 {
        0 => own_epoch,
        1 => other_epoch,
        2 => u64::from(pair >> 3),
        _ => input.u64(),
    };
    let message = if (pair & 0x80 != 0) != second { MSG2 } else { MSG };
    if flags & 1 != 0 {
        let mut bytes = signature.to_bytes();
        let (at, xor) = (usize::from(input.u16()), input.u8());
        let len = bytes.len();
        bytes[at % len] ^= xor;
        signature = Signature::from_bytes(&bytes).ok()?;
    }
    if flags & 2 != 0 {
        let mut bytes = key.to_bytes();
        let (at, xor) = (usize::from(input.u16()), input.u8());
        let len = bytes.len();
        bytes[at % len] ^= xor;
        key = PublicKey::from_bytes(&bytes).ok()?;
    }
    Some(Item { key, epoch, message, signature })
}

/// The batch-verify target.
pub fn batch_verify(data: &[u8]) {
    let mut input = Input::new(data);
    let mut items = Vec::new();
    while !input.is_empty() && items.len() < 40 {
        if let Some(i) = item(&mut input) {
            items.push(i);
        }
    }
    let single: Vec<_> = items.iter().map(|i| i.key.verify(i.epoch, &i.message, &i.signature)).collect();
    let batch: Vec<BatchItem<'_, TestInstance>> = items
        .iter()
        .map(|i| BatchItem {
            public_key: &i.key,
            epoch: i.epoch,
            message: &i.message,
            signature: &i.signature,
        })
        .collect();
    assert_eq!(verify_batch(&batch), single, "verify_batch disagrees with verify");
    let scheme: Vec<VerifyItem<'_, TestXmss>> = items
        .iter()
        .map(|i| VerifyItem {
            public_key: &i.key,
            epoch: i.epoch,
            message: &i.message,
            signature: &i.signature,
        })
        .collect();
    assert_eq!(<TestXmss as Scheme>::verify_batch(&scheme), single, "Scheme::verify_batch disagrees");
    if let Some(first) = items.first() {
        let same_key: Vec<(u64, &[u8; 32], &Signature<TestInstance>)> =
            items.iter().map(|i| (i.epoch, &i.message, &i.signature)).collect();
        let expected: Vec<_> =
            items.iter().map(|i| first.key.verify(i.epoch, &i.message, &i.signature)).collect();
        assert_eq!(first.key.verify_many(&same_key), expected, "verify_many disagrees with verify");
    }
}
