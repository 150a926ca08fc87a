//! `owh`: the OpenWeightHub command-line tool.

use owh_client::{
	cli::{run, Cli},
	exit,
};
use std::process::ExitCode;

fn main() -> ExitCode {
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
