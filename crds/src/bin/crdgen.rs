//! `crdgen`: writes Sellout's CustomResourceDefinitions as YAML.
//!
//! `cargo run -p sellout-crds --bin crdgen` rewrites
//! `charts/sellout/crds/*.yaml`; `--check` only compares and fails when the
//! files differ from what the Rust types generate.

use std::path::PathBuf;
use std::process::ExitCode;

/// Sellout's CRD generator.
fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut check = false;
    let mut dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../charts/sellout/crds"
    ));
    while let Some(a) = args.next() {
        match a.as_str() {
            "--check" => check = true,
            "--dir" => match args.next() {
                Some(d) => dir = PathBuf::from(d),
                None => return usage("--dir needs a directory"),
            },
            "-h" | "--help" => {
                println!(
                    "crdgen: write Sellout's CRDs as YAML\n\n\
                     usage: crdgen [--check] [--dir DIR]\n\n  \
                     --dir DIR  output directory (default: charts/sellout/crds)\n  \
                     --check    compare instead of writing; exit 1 if they differ"
                );
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument {other:?}")),
        }
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("crdgen: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut stale = 0;
    for (file, crd) in sellout_crds::crds() {
        let path = dir.join(file);
        let want = sellout_crds::to_yaml(&crd);
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have == want {
            continue;
        }
        if check {
            eprintln!("crdgen: {} is out of date", path.display());
            stale += 1;
        } else if let Err(e) = std::fs::write(&path, want) {
            eprintln!("crdgen: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        } else {
            println!("wrote {}", path.display());
        }
    }
    if stale > 0 {
        eprintln!("crdgen: run `cargo run -p sellout-crds --bin crdgen` and commit the result");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("crdgen: {msg}; see --help");
    ExitCode::from(2)
}
