//! `cargo xtask list`: every model's lessons and exercises, one line each.

use crate::project::{self, claim};
use crate::Result;

pub fn main() -> Result<()> {
    for model in project::models() {
        let lessons = project::lessons(&model);
        let exercises = project::exercises(&model)?;
        println!(
            "{} ({} lessons, {} exercises): cargo xtask run {} <NN_topic>",
            model.name,
            lessons.len(),
            exercises.len(),
            model.name
        );
        for l in &lessons {
            // `+break`: the lesson also runs broken, with `-- --break`.
            let mark = if l.has_break() { "+break" } else { "" };
            println!("  {:<28} {mark:<6} {}", l.name, claim(&l.path));
        }
        for e in &exercises {
            println!("  exercise {:<30} {}", e.name(), e.goal());
        }
        println!();
    }
    println!(
        "+break: also run the broken version, `cargo xtask run <model> <NN_topic> -- --break`."
    );
    println!("Check an exercise with `cargo xtask exercise check <model>/<NN_topic>`.");
    Ok(())
}
