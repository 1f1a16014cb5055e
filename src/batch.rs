//! Runs a batch of files in parallel with output in argument order.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work` over `0..n` on all cores and hands each result to `sink` in index order as soon as it and every
/// earlier one are done, so output streams. Workers stay at most `WINDOW` items ahead of the sink, so memory is
/// bounded whatever the number of files.
pub(crate) fn ordered_parallel<T: Send>(
    n: usize,
    work: impl Fn(usize) -> T + Sync,
    mut sink: impl FnMut(usize, T),
) {
    const WINDOW: usize = 64;
    let threads = std::thread::available_parallelism()
        .map_or(1, |p| p.get())
        .min(n.max(1));
    if threads <= 1 {
        for i in 0..n {
            sink(i, work(i));
        }
        return;
    }
    struct State<T> {
        done: std::collections::BTreeMap<usize, T>,
        /// Items handed to the sink so far.
        written: usize,
    }
    let next = AtomicUsize::new(0);
    let state = Mutex::new(State {
        done: std::collections::BTreeMap::new(),
        written: 0,
    });
    let ready = std::sync::Condvar::new();
    let room = std::sync::Condvar::new();
    let workers_left = AtomicUsize::new(threads);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (next, state, ready, room, work, workers_left) =
                (&next, &state, &ready, &room, &work, &workers_left);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    // Wait until the sink is close enough behind.
                    if let Ok(mut st) = state.lock() {
                        while i >= st.written + WINDOW {
                            st = match room.wait(st) {
                                Ok(s) => s,
                                Err(_) => return,
                            };
                        }
                    }
                    let r = work(i);
                    if let Ok(mut st) = state.lock() {
                        st.done.insert(i, r);
                    }
                    ready.notify_one();
                }
                workers_left.fetch_sub(1, Ordering::SeqCst);
                ready.notify_one();
            });
        }
        let mut want = 0;
        while want < n {
            let batch: Vec<(usize, T)> = {
                let Ok(mut st) = state.lock() else { break };
                loop {
                    if st.done.contains_key(&want) {
                        break;
                    }
                    if workers_left.load(Ordering::SeqCst) == 0 && !st.done.contains_key(&want) {
                        break;
                    }
                    st = match ready.wait_timeout(st, std::time::Duration::from_millis(50)) {
                        Ok((s, _)) => s,
                        Err(_) => return,
                    };
                }
                let mut v = Vec::new();
                while let Some(r) = st.done.remove(&want) {
                    v.push((want, r));
                    want += 1;
                }
                v
            };
            if batch.is_empty() {
                break;
            }
            for (i, r) in batch {
                sink(i, r);
            }
            if let Ok(mut st) = state.lock() {
                st.written = want;
            }
            room.notify_all();
        }
    });
}
