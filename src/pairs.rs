//! Name-value lists (extra query parameters, headers) and their canonical order, sorted
//! without allocating when they are short.

use core::cmp::Ordering;

use crate::Error;

/// Extra query parameters or headers the no-allocation core sorts on the stack.
pub(crate) const INLINE_MAX: usize = 32;

/// The most pairs the signer adds in front of the caller's: the six response overrides and
/// a multipart step's three parameters, or `content-type`, `host` and four bindings.
const OWN_MAX: usize = 10;

/// The signer's own pairs (host, content type and bindings; or response overrides and a
/// multipart step's parameters), gathered on the caller's stack before signing: a [`Pairs`]
/// borrows them, so the list a URL is signed with stays small to move.
pub(crate) struct OwnPairs<'a> {
    items: [(&'a str, &'a str); OWN_MAX],
    len: usize,
}

impl<'a> OwnPairs<'a> {
    pub(crate) const fn new() -> Self {
        Self {
            items: [("", ""); OWN_MAX],
            len: 0,
        }
    }

    /// Adds one of the signer's own pairs.
    pub(crate) fn push(&mut self, name: &'a str, value: &'a str) {
        let slot = self
            .items
            .get_mut(self.len)
            .expect("the signer adds at most OWN_MAX pairs of its own");
        *slot = (name, value);
        self.len += 1;
    }

    pub(crate) fn as_slice(&self) -> &[(&'a str, &'a str)] {
        &self.items[..self.len]
    }
}

/// Name-value pairs from two places (the signer's own, then the caller's), seen as one list.
#[derive(Clone, Copy)]
pub(crate) struct Pairs<'a> {
    head: &'a [(&'a str, &'a str)],
    tail: &'a [(&'a str, &'a str)],
}

impl<'a> Pairs<'a> {
    /// The caller's pairs alone.
    pub(crate) fn new(tail: &'a [(&'a str, &'a str)]) -> Self {
        Self { head: &[], tail }
    }

    /// The signer's own pairs, then the caller's.
    pub(crate) fn with_own(own: &'a OwnPairs<'a>, tail: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            head: own.as_slice(),
            tail,
        }
    }

    /// The caller's pairs (the signer's own are valid by construction).
    pub(crate) fn callers(&self) -> &'a [(&'a str, &'a str)] {
        self.tail
    }

    pub(crate) fn len(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    pub(crate) fn get(&self, i: usize) -> (&'a str, &'a str) {
        match self.head.get(i) {
            Some(&pair) => pair,
            None => self.tail[i - self.head.len()],
        }
    }
}

/// A sorted permutation of `0..n`, on the stack when it fits.
pub(crate) enum Order {
    /// `0..n` as it is: the input was already in order.
    Identity(usize),
    Inline([u16; INLINE_MAX], usize),
    #[cfg(feature = "alloc")]
    Heap(alloc::vec::Vec<usize>),
}

impl Order {
    /// Sorts `0..n` by `cmp`, ties broken by position (so repeated header names keep the
    /// caller's order, which SigV4 requires when it joins their values).
    #[cfg_attr(
        feature = "alloc",
        allow(clippy::unnecessary_wraps, reason = "fails only without `alloc`")
    )]
    pub(crate) fn sorted(
        n: usize,
        mut cmp: impl FnMut(usize, usize) -> Ordering,
    ) -> Result<Self, Error> {
        let mut by = |a: usize, b: usize| cmp(a, b).then(a.cmp(&b));
        // Already in order (always so for the signer's own headers): nothing to store.
        if (1..n).all(|i| by(i - 1, i).is_lt()) {
            return Ok(Self::Identity(n));
        }
        if n <= INLINE_MAX {
            let mut idx = [0u16; INLINE_MAX];
            for (i, slot) in idx.iter_mut().enumerate().take(n) {
                *slot = i as u16;
            }
            idx[..n].sort_unstable_by(|&a, &b| by(usize::from(a), usize::from(b)));
            return Ok(Self::Inline(idx, n));
        }
        #[cfg(feature = "alloc")]
        {
            let mut idx: alloc::vec::Vec<usize> = (0..n).collect();
            idx.sort_unstable_by(|&a, &b| by(a, b));
            Ok(Self::Heap(idx))
        }
        #[cfg(not(feature = "alloc"))]
        {
            Err(Error::TooManyParameters { max: INLINE_MAX })
        }
    }

    /// The indices in sorted order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (identity, inline, heap): (usize, &[u16], &[usize]) = match self {
            Self::Identity(n) => (*n, &[], &[]),
            Self::Inline(idx, n) => (0, &idx[..*n], &[]),
            #[cfg(feature = "alloc")]
            Self::Heap(idx) => (0, &[], idx),
        };
        (0..identity)
            .chain(inline.iter().map(|&i| usize::from(i)))
            .chain(heap.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_by_value(values: &[u32]) -> alloc::vec::Vec<usize> {
        Order::sorted(values.len(), |a, b| values[a].cmp(&values[b]))
            .expect("sorts with alloc")
            .iter()
            .collect()
    }

    #[test]
    fn already_sorted_input_is_the_identity() {
        let order = Order::sorted(3, |a, b| a.cmp(&b)).expect("sorts");
        assert!(matches!(order, Order::Identity(3)));
    }

    #[test]
    fn ties_keep_the_callers_order() {
        assert_eq!(sorted_by_value(&[2, 1, 2, 1]), [1, 3, 0, 2]);
    }

    #[test]
    fn short_lists_sort_inline() {
        let short: alloc::vec::Vec<u32> = (0..INLINE_MAX as u32).rev().collect();
        let order = Order::sorted(short.len(), |a, b| short[a].cmp(&short[b])).expect("sorts");
        assert!(matches!(order, Order::Inline(..)));
        let expected: alloc::vec::Vec<usize> = (0..short.len()).rev().collect();
        assert_eq!(order.iter().collect::<alloc::vec::Vec<_>>(), expected);
    }

    /// Past the inline capacity, a list sorts on the heap with `alloc` and is refused with
    /// a typed error without it.
    #[test]
    fn long_lists_need_alloc() {
        let long: alloc::vec::Vec<u32> = (0..=INLINE_MAX as u32).rev().collect();
        let sorted = Order::sorted(long.len(), |a, b| long[a].cmp(&long[b]));
        #[cfg(feature = "alloc")]
        {
            let expected: alloc::vec::Vec<usize> = (0..long.len()).rev().collect();
            let order = sorted.expect("sorts on the heap");
            assert_eq!(order.iter().collect::<alloc::vec::Vec<_>>(), expected);
        }
        #[cfg(not(feature = "alloc"))]
        assert_eq!(
            sorted.err(),
            Some(Error::TooManyParameters { max: INLINE_MAX })
        );
    }

    #[test]
    fn own_pairs_come_before_the_callers() {
        let callers = [("c", "3")];
        let mut own = OwnPairs::new();
        own.push("a", "1");
        own.push("b", "2");
        let pairs = Pairs::with_own(&own, &callers);
        let all: alloc::vec::Vec<_> = (0..pairs.len()).map(|i| pairs.get(i)).collect();
        assert_eq!(all, [("a", "1"), ("b", "2"), ("c", "3")]);
        assert_eq!(pairs.callers(), &callers);
    }
}
