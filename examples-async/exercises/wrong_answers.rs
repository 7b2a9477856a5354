// The wrong answers a learner would write, kept beside each solution, run
// against that exercise's own tests: `cargo xtask test` proves each FAILS,
// by its tests and quickly. A module per wrong answer, named
// `<topic>_<file stem>`; its `sut` is the wrong file and the tests are the
// exercise's tests.rs, included whole (with the feature `wrong-answers` on,
// tests.rs selects no file of its own). Not run by `cargo test`: the target
// needs that feature.

#[path = "01_fetch_timeout"]
mod fetch_timeout_wrong_awaited_in_turn {
    #[path = "wrong_awaited_in_turn.rs"]
    mod sut;
    include!("01_fetch_timeout/tests.rs");
}

#[path = "02_unblock_runtime"]
mod unblock_runtime_wrong_spawned_task {
    #[path = "wrong_spawned_task.rs"]
    mod sut;
    include!("02_unblock_runtime/tests.rs");
}

#[path = "03_bounded_pipeline"]
mod bounded_pipeline_wrong_abort_on_shutdown {
    #[path = "wrong_abort_on_shutdown.rs"]
    mod sut;
    include!("03_bounded_pipeline/tests.rs");
}

#[path = "04_fetch_all"]
mod fetch_all_wrong_lazy_futures {
    #[path = "wrong_lazy_futures.rs"]
    mod sut;
    include!("04_fetch_all/tests.rs");
}

#[path = "10_paused_clock"]
mod paused_clock_wrong_std_instant {
    #[path = "wrong_std_instant.rs"]
    mod sut;
    include!("10_paused_clock/tests.rs");
}

#[path = "10_paused_clock"]
mod paused_clock_wrong_std_sleep {
    #[path = "wrong_std_sleep.rs"]
    mod sut;
    include!("10_paused_clock/tests.rs");
}
