use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

// Checking allocates many short-lived strings per file; mimalloc is markedly faster than glibc's malloc at that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = beian::Cli::parse();
    match beian::run(cli) {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`beian check … | head`) is not an error.
        Err(beian::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(anstream::stderr(), "error: {e}");
            ExitCode::from(2)
        }
    }
}
