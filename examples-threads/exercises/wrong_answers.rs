// Each loom exercise's tests.rs includes the twins' helper module, so it is
// loaded once per wrong answer: that is the design, not a mistake.
#![allow(clippy::duplicate_mod)]

// The wrong answers a learner would write, kept beside each solution, run
// against that exercise's own tests: `cargo xtask test` proves each FAILS,
// by its tests and quickly. A module per wrong answer, named
// `<topic>_<file stem>`; its `sut` is the wrong file and the tests are the
// exercise's tests.rs, included whole (with the feature `wrong-answers` on,
// tests.rs selects no file of its own). Not run by `cargo test`: the target
// needs that feature.

#[path = "01_parallel_sum"]
mod parallel_sum_wrong_joined_in_turn {
    #[path = "wrong_joined_in_turn.rs"]
    mod sut;
    include!("01_parallel_sum/tests.rs");
}

#[path = "02_fix_deadlock"]
mod fix_deadlock_wrong_unlock_between {
    #[path = "wrong_unlock_between.rs"]
    mod sut;
    include!("02_fix_deadlock/tests.rs");
}

#[path = "03_pipeline"]
mod pipeline_wrong_one_worker {
    #[path = "wrong_one_worker.rs"]
    mod sut;
    include!("03_pipeline/tests.rs");
}

#[path = "04_fetch_all"]
mod fetch_all_wrong_joined_in_turn {
    #[path = "wrong_joined_in_turn.rs"]
    mod sut;
    include!("04_fetch_all/tests.rs");
}

// The loom exercises: their tests are loom models, so these modules exist
// only with `model-check` on (`cargo xtask test` turns it on for them). Each
// includes tests/model_check/mod.rs, once per wrong answer, on purpose.
#[cfg(feature = "model-check")]
#[path = "10_fix_lost_update"]
mod fix_lost_update_wrong_add_then_check {
    #[path = "wrong_add_then_check.rs"]
    mod sut;
    include!("10_fix_lost_update/tests.rs");
}

#[cfg(feature = "model-check")]
#[path = "10_fix_lost_update"]
mod fix_lost_update_wrong_check_then_add {
    #[path = "wrong_check_then_add.rs"]
    mod sut;
    include!("10_fix_lost_update/tests.rs");
}

#[cfg(feature = "model-check")]
#[path = "11_fix_lost_wakeup"]
mod fix_lost_wakeup_wrong_check_outside_lock {
    #[path = "wrong_check_outside_lock.rs"]
    mod sut;
    include!("11_fix_lost_wakeup/tests.rs");
}

#[cfg(feature = "model-check")]
#[path = "11_fix_lost_wakeup"]
mod fix_lost_wakeup_wrong_if_not_while {
    #[path = "wrong_if_not_while.rs"]
    mod sut;
    include!("11_fix_lost_wakeup/tests.rs");
}
