//! Properties of `PartPlan` for object sizes from 0 past each store's maximum (log-uniform,
//! plus the edges around every limit) and any preferred part size: the parts cover the
//! object exactly once in order, every limit of the store holds, every part but the last has
//! the same size, the preferred size is kept when valid, and otherwise the documented rule
//! picks the size, or the documented error comes back.
//!
//! Case counts are fixed in code and failures are not persisted, so a run is the same
//! everywhere.

use presign::{DEFAULT_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, PartPlan, PlanError, Store};
use proptest::prelude::*;
use proptest::sample::select;

const MIB: u64 = 1 << 20;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn store() -> impl Strategy<Value = Store> {
    select(vec![Store::S3, Store::R2])
}

/// `2^e + r mod 2^e` for `e` in `0..=max_exp`: every order of magnitude equally likely.
fn log_uniform(max_exp: u32) -> impl Strategy<Value = u64> {
    (0..=max_exp, any::<u64>()).prop_map(|(e, r)| (1u64 << e) + r % (1u64 << e))
}

/// Values on and next to every limit that a plan depends on.
fn edges(store: Store) -> Vec<u64> {
    let mut v = vec![
        0,
        1,
        MIN_PART_SIZE - 1,
        MIN_PART_SIZE,
        MIN_PART_SIZE + 1,
        DEFAULT_PART_SIZE,
        u64::from(MAX_PARTS) * MIN_PART_SIZE,
        u64::from(MAX_PARTS) * MIN_PART_SIZE + 1,
        u64::from(MAX_PARTS) * DEFAULT_PART_SIZE,
        u64::from(MAX_PARTS) * DEFAULT_PART_SIZE + 1,
        store.max_part_size() - 1,
        store.max_part_size(),
        store.max_part_size() + 1,
        store.max_object_size() - 1,
        store.max_object_size(),
        store.max_object_size() + 1,
        u64::MAX - 1,
        u64::MAX,
    ];
    v.sort_unstable();
    v
}

/// An object size: log-uniform up to 2^46 (past S3's 10,000 x 5 GiB) or an edge.
fn object_size(store: Store) -> impl Strategy<Value = u64> {
    prop_oneof![3 => log_uniform(46), 1 => select(edges(store))]
}

/// A preferred part size: none (the default), log-uniform up to 2^34 (past 5 GiB), an edge,
/// or a few MiB as a slow link would ask.
fn preferred() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![
        1 => Just(None),
        2 => log_uniform(34).prop_map(Some),
        1 => store().prop_flat_map(|s| select(edges(s))).prop_map(Some),
        1 => (1u64..=64).prop_map(|m| Some(m * MIB)),
    ]
}

fn plan(size: u64, store: Store, preferred: Option<u64>) -> Result<PartPlan, PlanError> {
    match preferred {
        Some(p) => PartPlan::with_part_size(size, store, p),
        None => PartPlan::new(size, store),
    }
}

/// The part size the module documentation promises, or the error it promises.
fn model(size: u64, store: Store, preferred: u64) -> Result<u64, PlanError> {
    if preferred > store.max_part_size() {
        return Err(PlanError::PartSizeTooLarge {
            preferred,
            max: store.max_part_size(),
            store,
        });
    }
    if size == 0 {
        return Err(PlanError::EmptyObject);
    }
    if size > store.max_object_size() {
        return Err(PlanError::ObjectTooLarge {
            size,
            max: store.max_object_size(),
            store,
        });
    }
    let wanted = preferred.max(MIN_PART_SIZE);
    if size.div_ceil(wanted) <= u64::from(MAX_PARTS) {
        return Ok(wanted);
    }
    // The smallest whole MiB with which 10,000 parts hold the object, found by walking up
    // (not by the closed form the crate uses).
    let mut mib = size / u64::from(MAX_PARTS) / MIB;
    while size.div_ceil(mib.max(1) * MIB) > u64::from(MAX_PARTS) {
        mib += 1;
    }
    Ok(mib * MIB)
}

/// Every property of one accepted plan.
fn check_plan(plan: &PartPlan, size: u64, store: Store) -> Result<(), TestCaseError> {
    let count = plan.part_count();
    prop_assert!((1..=MAX_PARTS).contains(&count));
    prop_assert_eq!(plan.object_size(), size);
    prop_assert_eq!(plan.store(), store);
    prop_assert!(plan.part_size() >= MIN_PART_SIZE);
    prop_assert!(plan.part_size() <= store.max_part_size());
    prop_assert_eq!(plan.parts().len(), usize::from(count));

    let mut next_byte = 0u64;
    for (expected_number, part) in (1u16..).zip(plan.parts()) {
        prop_assert_eq!(part.number(), expected_number);
        // In order, no gap, no overlap.
        prop_assert_eq!(part.first_byte(), next_byte);
        prop_assert!(part.len() >= 1);
        prop_assert_eq!(part.last_byte(), part.first_byte() + part.len() - 1);
        prop_assert_eq!(part.end_byte(), part.first_byte() + part.len());
        if part.number() < count {
            // Every part but the last: the same size (R2's rule), within the store's limits.
            prop_assert_eq!(part.len(), plan.part_size());
            prop_assert!(part.len() >= MIN_PART_SIZE);
            prop_assert!(part.len() <= store.max_part_size());
        } else {
            prop_assert!(part.len() <= plan.part_size());
            prop_assert_eq!(part.len(), plan.last_part_size());
        }
        prop_assert_eq!(Some(part), plan.part(part.number()));
        next_byte = part.end_byte();
    }
    // Exactly [0, size).
    prop_assert_eq!(next_byte, size);
    prop_assert_eq!(plan.part(0), None);
    prop_assert_eq!(plan.part(count + 1), None);
    Ok(())
}

proptest! {
    #![proptest_config(config(1024))]

    /// Plans for any size and preference: the model's size or its error, and every
    /// property of the parts.
    #[test]
    fn plans_follow_the_documented_rules(
        (store, size) in store().prop_flat_map(|s| (Just(s), object_size(s))),
        preferred in preferred(),
    ) {
        let result = plan(size, store, preferred);
        let expected = model(size, store, preferred.unwrap_or(DEFAULT_PART_SIZE));
        match (&result, expected) {
            (Ok(p), Ok(part_size)) => {
                prop_assert_eq!(p.part_size(), part_size);
                check_plan(p, size, store)?;
            }
            (Err(e), Err(m)) => prop_assert_eq!(*e, m),
            _ => prop_assert!(false, "plan {:?}, model {:?}", result, expected),
        }
    }

    /// A valid preferred size is used to the byte.
    #[test]
    fn valid_preferred_size_is_honoured(
        store in store(),
        preferred in MIN_PART_SIZE..=Store::R2.max_part_size(),
        parts in 1u64..=u64::from(MAX_PARTS),
        short in any::<u64>(),
    ) {
        // An object of exactly `parts` parts of the preferred size, the last one shorter.
        let size = (parts * preferred - short % preferred).min(store.max_object_size());
        let p = PartPlan::with_part_size(size, store, preferred).map_err(|e| {
            TestCaseError::fail(format!("{size} bytes at {preferred}: {e}"))
        })?;
        prop_assert_eq!(p.part_size(), preferred);
        check_plan(&p, size, store)?;
    }

    /// The grown size is the smallest whole MiB that fits: one MiB less does not.
    #[test]
    fn grown_size_is_minimal(
        store in store(),
        size in (u64::from(MAX_PARTS) * DEFAULT_PART_SIZE + 1)..=Store::R2.max_object_size(),
    ) {
        let p = PartPlan::new(size, store).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(p.part_size() % MIB, 0);
        prop_assert!(size.div_ceil(p.part_size() - MIB) > u64::from(MAX_PARTS));
        check_plan(&p, size, store)?;
    }

    /// `fits_single_put` is the part maximum, and the range header is the part's bytes.
    #[test]
    fn single_put_and_range_header(
        (store, size) in store().prop_flat_map(|s| (Just(s), object_size(s))),
    ) {
        prop_assert_eq!(store.fits_single_put(size), size <= store.max_part_size());
        if let Ok(p) = PartPlan::new(size, store) {
            let last = p.parts().next_back().ok_or_else(|| TestCaseError::fail("no part"))?;
            prop_assert_eq!(
                last.range_header().to_string(),
                format!("bytes={}-{}", last.first_byte(), size - 1)
            );
            let rev: Vec<_> = p.parts().rev().take(3).collect();
            let fwd: Vec<_> = p.parts().collect();
            prop_assert_eq!(rev, fwd.iter().rev().take(3).copied().collect::<Vec<_>>());
        }
    }
}

#[test]
fn every_edge_pair_is_planned_or_refused_as_documented() {
    for store in [Store::S3, Store::R2] {
        for &size in &edges(store) {
            for &preferred in &edges(store) {
                let result = PartPlan::with_part_size(size, store, preferred);
                assert_eq!(
                    result.map(|p| p.part_size()),
                    model(size, store, preferred),
                    "{store} {size} {preferred}"
                );
                if let Ok(p) = result {
                    check_plan(&p, size, store).unwrap();
                }
            }
        }
    }
}

#[test]
fn largest_objects_use_the_fewest_whole_mib() {
    let s3 = PartPlan::new(Store::S3.max_object_size(), Store::S3).unwrap();
    assert_eq!((s3.part_size(), s3.part_count()), (5 << 30, 10_000));
    let r2 = PartPlan::new(Store::R2.max_object_size(), Store::R2).unwrap();
    assert_eq!((r2.part_size(), r2.part_count()), (524 * MIB, 9_996));
}
