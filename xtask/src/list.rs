//! `cargo xtask list`: every model's lessons and exercises, one line each.

use crate::project::{self, claim};
use crate::Result;

pub fn main() -> Result<()> {
    for model in project::models() {
        let lessons = project::lessons(&model);
        let exercises = project::exercises(&model)?;
        println!(
            "{} ({} lessons, {} exercises): cargo xtask run {} <NN>",
            model.name,
            lessons.len(),
            exercises.len(),
            model.name
        );
        for l in &lessons {
            println!("  {:<28} {}", l.name, claim(&l.path));
        }
        for e in &exercises {
            println!("  exercise {:<30} {}", e.name(), e.goal());
        }
        println!();
    }
    println!("Check an exercise with `cargo xtask exercise check <model>/<NN_topic>`.");
    Ok(())
}
