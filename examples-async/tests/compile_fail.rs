//! What the compiler refuses cannot be a runnable lesson, so it is a test:
//! each file in `tests/ui/` must fail to compile with exactly the message in
//! its `.stderr` (a bare `compile_fail` doctest would pass on any error).
//!
//! After a toolchain update changes the wording, regenerate the expected
//! output with `TRYBUILD=overwrite cargo test -p examples-async --test compile_fail`
//! and read the diff before committing it.

#[test]
fn not_send_across_await_is_refused() {
    let cases = trybuild::TestCases::new();
    // Lesson 10: a std MutexGuard held across `.await` in a spawned task.
    cases.compile_fail("tests/ui/std_guard_across_await.rs");
    // Lesson 09: an Rc held across `.await` in a spawned task.
    cases.compile_fail("tests/ui/rc_across_await.rs");
}
