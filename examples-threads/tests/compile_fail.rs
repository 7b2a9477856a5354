//! What the compiler refuses: each file in `tests/ui/` must fail to compile
//! with the message committed next to it in a `.stderr` file. A bare
//! `compile_fail` doctest would pass on any error (a typo included), so these
//! check the message itself. Lesson 04 points here.
//!
//! The messages change a little between compiler versions: after a toolchain
//! update, regenerate them with `TRYBUILD=overwrite cargo test -p
//! examples-threads --test compile_fail` and read the diff before committing.

#[test]
fn the_compiler_refuses_these() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
