//! Kafka's partition assignors (range, round-robin, cooperative-sticky): which member of a
//! consumer group owns which partition after a rebalance.

use super::Assignor;

/// Assigns `partitions` partitions to `members` (already sorted by member id).
/// `previous` is the current owner of each partition (for the sticky assignor).
pub fn assign(
    assignor: Assignor,
    partitions: u32,
    members: &[usize],
    previous: &[Option<usize>],
) -> Vec<Option<usize>> {
    let p = partitions as usize;
    let c = members.len();
    let mut owner = vec![None; p];
    if c == 0 {
        return owner;
    }
    match assignor {
        Assignor::Range => {
            let (base, extra) = (p / c, p % c);
            let mut next = 0;
            for (i, &m) in members.iter().enumerate() {
                let take = base + usize::from(i < extra);
                for slot in owner.iter_mut().skip(next).take(take) {
                    *slot = Some(m);
                }
                next += take;
            }
        }
        Assignor::RoundRobin => {
            for (i, slot) in owner.iter_mut().enumerate() {
                *slot = Some(members[i % c]);
            }
        }
        Assignor::CooperativeSticky => {
            let (base, extra) = (p / c, p % c);
            let kept = |m: usize| previous.iter().filter(|&&o| o == Some(m)).count();
            // Members that already hold the most get the extra slots, so fewer partitions move.
            let mut by_holding: Vec<usize> = members.to_vec();
            crate::kernel::collections::sort_by_key(&mut by_holding, |&m| {
                (std::cmp::Reverse(kept(m)), members.iter().position(|&x| x == m))
            });
            let quota: litemap::LiteMap<usize, usize> = crate::kernel::collections::map_of(
                by_holding
                    .iter()
                    .enumerate()
                    .map(|(i, &m)| (m, base + usize::from(i < extra))),
            );
            let mut count: litemap::LiteMap<usize, usize> =
                crate::kernel::collections::map_of(members.iter().map(|&m| (m, 0)));
            for (partition, prev) in previous.iter().enumerate().take(p) {
                if let Some(m) = prev {
                    if let (Some(&q), Some(n)) = (quota.get(m), count.get_mut(m)) {
                        if *n < q {
                            owner[partition] = Some(*m);
                            *n += 1;
                        }
                    }
                }
            }
            for slot in owner.iter_mut() {
                if slot.is_none() {
                    let least = members
                        .iter()
                        .filter(|m| count[m] < quota[m])
                        .min_by_key(|m| (count[m], members.iter().position(|x| x == *m)))
                        .copied();
                    if let Some(m) = least {
                        *slot = Some(m);
                        *count.get_mut(&m).unwrap_or(&mut 0) += 1;
                    }
                }
            }
        }
    }
    owner
}
