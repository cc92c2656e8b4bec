//! Compiles the protobuf messages in `proto/` with protox (a pure-Rust
//! protobuf compiler, so no `protoc` has to be installed) and prost-build.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "proto/sellout/v1/money.proto",
        "proto/sellout/v1/checkout.proto",
        "proto/sellout/v1/orders.proto",
        "proto/sellout/v1/scan.proto",
    ];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let descriptors = protox::compile(files, ["proto"])?;
    prost_build::Config::new().compile_fds(descriptors)?;
    Ok(())
}
