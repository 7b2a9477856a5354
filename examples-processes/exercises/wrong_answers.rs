// The wrong answers a learner would write, kept beside each solution, run
// against that exercise's own tests: `cargo xtask test` proves each FAILS,
// by its tests and quickly. A module per wrong answer, named
// `<topic>_<file stem>`; its `sut` is the wrong file and the tests are the
// exercise's tests.rs, included whole (with the feature `wrong-answers` on,
// tests.rs selects no file of its own). Not run by `cargo test`: the target
// needs that feature.

#[path = "01_fan_out"]
mod fan_out_wrong_wait_in_turn {
    #[path = "wrong_wait_in_turn.rs"]
    mod sut;
    include!("01_fan_out/tests.rs");
}

#[path = "02_survive_crash"]
mod survive_crash_wrong_no_restart {
    #[path = "wrong_no_restart.rs"]
    mod sut;
    include!("02_survive_crash/tests.rs");
}

#[path = "03_timeout_kill"]
mod timeout_kill_wrong_kill_no_reap {
    #[path = "wrong_kill_no_reap.rs"]
    mod sut;
    include!("03_timeout_kill/tests.rs");
}

#[path = "04_pipe_both_ways"]
mod pipe_both_ways_wrong_read_then_write {
    #[path = "wrong_read_then_write.rs"]
    mod sut;
    include!("04_pipe_both_ways/tests.rs");
}
