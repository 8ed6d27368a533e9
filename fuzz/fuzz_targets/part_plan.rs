//! `PartPlan` for any object size, store and preferred part size: either the error a model
//! of the documented rules predicts, or a plan whose parts cover the object exactly once in
//! order, every part but the last of the same size within the store's limits, at most
//! 10,000 of them, with the part size the model predicts.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use presign::{DEFAULT_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, PartPlan, PlanError, Store};

const MIB: u64 = 1 << 20;

#[derive(Arbitrary, Debug)]
struct Input {
    r2: bool,
    size: u64,
    /// Shifts `size` right, so every order of magnitude is as likely.
    size_shift: u8,
    preferred: Option<(u64, u8)>,
}

/// The part size the documentation promises, or its error (the size found by walking up
/// whole MiB, not by the crate's closed form).
fn model(size: u64, store: Store, preferred: u64) -> Result<u64, PlanError> {
    let max_part = store.max_part_size();
    if preferred > max_part {
        return Err(PlanError::PartSizeTooLarge {
            preferred,
            max: max_part,
            store,
        });
    }
    if size == 0 {
        return Err(PlanError::EmptyObject);
    }
    let max = store.max_object_size();
    if size > max {
        return Err(PlanError::ObjectTooLarge { size, max, store });
    }
    let wanted = preferred.max(MIN_PART_SIZE);
    if size.div_ceil(wanted) <= u64::from(MAX_PARTS) {
        return Ok(wanted);
    }
    let mut mib = size / u64::from(MAX_PARTS) / MIB;
    while size.div_ceil(mib.max(1) * MIB) > u64::from(MAX_PARTS) {
        mib += 1;
    }
    Ok(mib * MIB)
}

fuzz_target!(|input: Input| {
    let store = if input.r2 { Store::R2 } else { Store::S3 };
    let size = input.size >> (input.size_shift % 64);
    let preferred = input.preferred.map(|(p, shift)| p >> (shift % 64));
    let result = match preferred {
        Some(p) => PartPlan::with_part_size(size, store, p),
        None => PartPlan::new(size, store),
    };
    let expected = model(size, store, preferred.unwrap_or(DEFAULT_PART_SIZE));
    let plan = match (result, expected) {
        (Err(e), Err(m)) => {
            assert_eq!(e, m);
            assert!(!e.to_string().is_empty());
            return;
        }
        (Ok(plan), Ok(part_size)) => {
            assert_eq!(plan.part_size(), part_size);
            plan
        }
        (result, expected) => panic!("plan {result:?}, model {expected:?}"),
    };

    let count = plan.part_count();
    assert!((1..=MAX_PARTS).contains(&count));
    assert!(plan.part_size() >= MIN_PART_SIZE && plan.part_size() <= store.max_part_size());
    assert_eq!(plan.parts().len(), usize::from(count));
    let mut next = 0u64;
    for (number, part) in (1u16..).zip(plan.parts()) {
        assert_eq!(part.number(), number);
        assert_eq!(part.first_byte(), next);
        assert!(part.len() >= 1);
        assert_eq!(part.last_byte() + 1, part.end_byte());
        if number < count {
            assert_eq!(part.len(), plan.part_size());
        } else {
            assert_eq!(part.len(), plan.last_part_size());
            assert!(part.len() <= plan.part_size());
            assert_eq!(
                part.range_header().to_string(),
                format!("bytes={}-{}", part.first_byte(), size - 1)
            );
        }
        next = part.end_byte();
    }
    assert_eq!(next, size);
    assert_eq!(plan.parts().next_back(), plan.part(count));
    assert_eq!(store.fits_single_put(size), size <= store.max_part_size());
});
