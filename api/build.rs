//! The migrations are embedded in the binary (`embed_migrations!`): rebuild when they change,
//! or a stale binary would migrate to an old schema.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
