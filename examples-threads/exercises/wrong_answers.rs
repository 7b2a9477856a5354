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
