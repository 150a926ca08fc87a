//! `owh`: the OpenWeightHub command-line tool.

use owh_client::{
	cli::{run, Cli},
	exit,
};
use std::process::ExitCode;

fn main() -> ExitCode {
	keep_freed_memory();
	let cli = Cli::parse_args();
	let runtime = match tokio::runtime::Builder::new_multi_thread()
		.enable_all()
		.build()
	{
		Ok(rt) => rt,
		Err(e) => {
			eprintln!("error: cannot start the async runtime: {e}");
			return ExitCode::FAILURE;
		}
	};
	let mut stdout = std::io::stdout().lock();
	match runtime.block_on(run(&cli, &mut stdout)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			if cli.json {
				eprintln!("{}", exit::to_json(&e));
			} else {
				let message = format!("{e:#}");
				eprintln!(
					"error: {}",
					message.split_whitespace().collect::<Vec<_>>().join(" ")
				);
			}
			ExitCode::from(exit::code_of(&e))
		}
	}
}

/// Downloads free and allocate receive buffers of up to a few hundred KiB per frame. glibc
/// returns such blocks to the kernel (`munmap`, heap trimming), so every new buffer faulted its
/// pages in again; keeping freed memory in the heap spares that (about 4 % of an install's CPU,
/// `docs/benchmarks.md`).
fn keep_freed_memory() {
	#[cfg(all(target_os = "linux", target_env = "gnu"))]
	// SAFETY: mallopt only sets allocator thresholds; it runs before any other thread starts.
	unsafe {
		libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
		libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
	}
}
