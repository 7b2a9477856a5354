// The wrong answers a learner would write, kept beside each solution, run
// against that exercise's own tests: `cargo xtask test` proves each FAILS,
// by its tests and quickly. A module per wrong answer, named
// `<topic>_<file stem>`; its `sut` is the wrong file and the tests are the
// exercise's tests.rs, included whole (with the feature `wrong-answers` on,
// tests.rs selects no file of its own). Not run by `cargo test`: the target
// needs that feature. may's worker count is global per process, so
// `cargo xtask test` runs each module in a process of its own (a name filter).

#[path = "01_find_the_stall"]
mod find_the_stall_wrong_sleep_on_a_thread {
    #[path = "wrong_sleep_on_a_thread.rs"]
    mod sut;
    include!("01_find_the_stall/tests.rs");
}

#[path = "02_coroutine_server"]
mod coroutine_server_wrong_one_at_a_time {
    #[path = "wrong_one_at_a_time.rs"]
    mod sut;
    include!("02_coroutine_server/tests.rs");
}

#[path = "03_cancel_the_ticker"]
mod cancel_the_ticker_wrong_stop_flag {
    #[path = "wrong_stop_flag.rs"]
    mod sut;
    include!("03_cancel_the_ticker/tests.rs");
}

#[path = "04_fetch_all"]
mod fetch_all_wrong_joined_in_turn {
    #[path = "wrong_joined_in_turn.rs"]
    mod sut;
    include!("04_fetch_all/tests.rs");
}
