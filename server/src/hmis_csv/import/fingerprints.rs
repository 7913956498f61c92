//! The 64-bit fingerprints of the IDs a file has had, to find an ID repeated in it
//! while its table already held rows: 8 bytes an ID. A hash set takes 18 to 27 bytes an
//! ID and twice that while it grows — over 400 MB for the 17 million disability
//! records of a 1,000,000-client export. The fingerprints are kept in one sorted run
//! and the newest in a small set, merged into the run (in place, from its end) when the
//! set is full.

use std::collections::HashSet;

/// Newest fingerprints kept apart before they are merged into the sorted run.
const MERGE_AT: usize = 1 << 20;

#[derive(Debug, Default)]
pub(super) struct Fingerprints {
    sorted: Vec<u64>,
    recent: HashSet<u64>,
}

impl Fingerprints {
    /// Adds a fingerprint; false when it was there already.
    pub fn insert(&mut self, fingerprint: u64) -> bool {
        if self.sorted.binary_search(&fingerprint).is_ok() || !self.recent.insert(fingerprint) {
            return false;
        }
        if self.recent.len() >= MERGE_AT {
            self.merge();
        }
        true
    }

    /// Whether the fingerprint was added.
    pub fn contains(&self, fingerprint: u64) -> bool {
        self.sorted.binary_search(&fingerprint).is_ok() || self.recent.contains(&fingerprint)
    }

    fn merge(&mut self) {
        let mut newest: Vec<u64> = self.recent.drain().collect();
        newest.sort_unstable();
        let old = self.sorted.len();
        self.sorted.reserve_exact(newest.len());
        self.sorted.resize(old + newest.len(), 0);
        // From the end: the larger of the two runs' last values goes last.
        let (mut i, mut j) = (old, newest.len());
        for k in (0..self.sorted.len()).rev() {
            if j == 0 {
                break;
            }
            if i > 0 && self.sorted[i - 1] > newest[j - 1] {
                self.sorted[k] = self.sorted[i - 1];
                i -= 1;
            } else {
                self.sorted[k] = newest[j - 1];
                j -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Answers as a hash set would, across merges.
        #[test]
        fn answers_as_a_set_does(values in proptest::collection::vec(0u64..5_000, 0..3_000), merge_every in 1usize..400) {
            let mut fingerprints = Fingerprints::default();
            let mut set = HashSet::new();
            for (n, value) in values.into_iter().enumerate() {
                prop_assert_eq!(fingerprints.insert(value), set.insert(value));
                if n % merge_every == 0 {
                    fingerprints.merge();
                }
            }
            prop_assert!(fingerprints.sorted.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(fingerprints.sorted.len() + fingerprints.recent.len(), set.len());
        }
    }

    #[test]
    fn a_full_set_is_merged_into_the_run() {
        let mut fingerprints = Fingerprints::default();
        for value in (0..MERGE_AT as u64).rev() {
            assert!(fingerprints.insert(value * 2));
        }
        assert!(fingerprints.recent.is_empty());
        assert_eq!(fingerprints.sorted.len(), MERGE_AT);
        assert!(!fingerprints.insert(0) && !fingerprints.insert(2 * (MERGE_AT as u64 - 1)));
        assert!(fingerprints.insert(1));
    }
}
