//! Argument errors of every command, checked in-process against a buffer. None of these reach
//! a chain: the URL points at a closed port, so a command that wrongly connected would fail
//! with a different message.

use crate::cli::{run, Cli};
use clap::Parser;

/// Runs `owh <args>` and returns its error text (parse or run error).
fn error_of(args: &[&str]) -> String {
	let dir = tempfile::tempdir().unwrap();
	let keystore = dir.path().join("keystore.json");
	let store = dir.path().join("store");
	let mut argv = vec![
		"owh",
		"--url",
		"ws://127.0.0.1:1",
		"--keystore",
		keystore.to_str().unwrap(),
		"--store",
		store.to_str().unwrap(),
	];
	argv.extend_from_slice(args);
	let cli = match Cli::parse_args_from(argv) {
		Ok(cli) => cli,
		Err(e) => return e.to_string(),
	};
	match run_cli(&cli) {
		Ok(out) => panic!("owh {args:?} succeeded: {}", String::from_utf8_lossy(&out)),
		Err(e) => format!("{e:#}"),
	}
}

/// Runs a parsed command on a fresh runtime and returns its output.
fn run_cli(cli: &Cli) -> anyhow::Result<Vec<u8>> {
	let rt = tokio::runtime::Builder::new_current_thread()
		.enable_all()
		.build()
		.unwrap();
	let mut out = Vec::new();
	rt.block_on(run(cli, &mut out))?;
	Ok(out)
}

fn assert_error(args: &[&str], expected: &str) {
	let err = error_of(args);
	assert!(
		err.contains(expected),
		"owh {args:?}: expected {expected:?} in {err:?}"
	);
}

fn model_dir() -> tempfile::TempDir {
	let dir = tempfile::tempdir().unwrap();
	std::fs::write(dir.path().join("weights.bin"), b"weights").unwrap();
	dir
}

#[test]
fn key_argument_errors() {
	assert_error(&["key", "generate"], "--name");
	assert_error(
		&["key", "generate", "--name", "bad name"],
		"invalid key name",
	);
	assert_error(
		&["key", "generate", "--name", "k", "--words", "13"],
		"12 or 24",
	);
	assert_error(
		&["key", "import", "--name", "k", "--secret", "not a mnemonic"],
		"visible to every user",
	);
	assert_error(
		&[
			"key", "import", "--name", "k", "--secret", "//Alice", "--pem", "k.pem",
		],
		"cannot be used with",
	);
	assert_error(
		&["key", "generate", "--name", "k", "--scheme", "rsa"],
		"unsupported key type",
	);
	assert_error(
		&[
			"key",
			"generate",
			"--name",
			"k",
			"--scheme",
			"p256",
			"--show-secret",
		],
		"has none to show",
	);
	assert_error(&["key", "export", "nobody"], "no key named");
	assert_error(
		&[
			"key",
			"import",
			"--name",
			"k",
			"--json",
			"/nonexistent.json",
		],
		"cannot read",
	);
	// A real mnemonic as an argument is refused wherever it comes after.
	let phrase = crate::keys::generate_mnemonic(12).unwrap();
	assert_error(&["key", "show", "--suri", &phrase], "visible to every user");
	assert_error(&["--suri", &phrase, "key", "show"], "visible to every user");
	assert_error(&["key", "show", "nobody"], "no key named");
	assert_error(&["key", "show"], "no signing key");
	assert_error(&["key", "frobnicate"], "unrecognized subcommand");
}

#[test]
fn repo_argument_errors() {
	assert_error(&["repo", "create", "Bad_Name"], "invalid repository name");
	assert_error(&["repo", "create", "acme/model"], "no signing key");
	assert_error(&["repo", "show", "x"], "invalid repository name");
	assert_error(
		&["repo", "grant", "acme/model", "nobody", "--suri", "//Alice"],
		"is not an account",
	);
	assert_error(
		&["repo", "grant", "acme/model", "//Bob", "--role", "admin"],
		"invalid value 'admin'",
	);
	// Ownership is not a grantable role (the pallet refuses it); the CLI does not offer it.
	assert_error(
		&["repo", "grant", "acme/model", "//Bob", "--role", "owner"],
		"[possible values: maintainer, committer]",
	);
	assert_error(&["repo", "revoke", "acme/model"], "<ACCOUNT>");
	assert_error(
		&[
			"repo",
			"transfer",
			"acme/model",
			"0x1234",
			"--suri",
			"//Alice",
		],
		"is not an account",
	);
	assert_error(
		&["repo", "show", "acme/model"],
		"cannot reach the chain at ws://127.0.0.1:1",
	);
}

#[test]
fn publish_argument_errors() {
	let dir = model_dir();
	let d = dir.path().to_str().unwrap();
	assert_error(&["publish", d], "--repo");
	assert_error(
		&["publish", d, "--repo", "UPPER"],
		"invalid repository name",
	);
	assert_error(
		&["publish", d, "--repo", "acme/m", "--license", "Apache 2"],
		"not a valid SPDX expression",
	);
	assert_error(
		&["publish", d, "--repo", "acme/m", "--metric", "accuracy"],
		"expected key=value",
	);
	assert_error(
		&[
			"publish",
			d,
			"--repo",
			"acme/m",
			"--metric",
			"accuracy=high",
		],
		"invalid metric value",
	);
	assert_error(
		&["publish", d, "--repo", "acme/m", "--tag", "=x"],
		"expected key=value",
	);
	assert_error(
		&[
			"publish",
			d,
			"--repo",
			"acme/m",
			"--parent",
			"acme/base@v1:sideways",
		],
		"unknown relation",
	);
	assert_error(
		&[
			"publish",
			d,
			"--repo",
			"acme/m",
			"--parent",
			"bafkreinotanid0000000000000000000000000",
		],
		"is not a version id",
	);
	assert_error(
		&["publish", d, "--repo", "acme/m", "--alias", "Prod"],
		"invalid alias",
	);
	assert_error(
		&["publish", d, "--repo", "acme/m", "--chunk-size", "1000"],
		"power of two",
	);
	assert_error(
		&["publish", d, "--repo", "acme/m", "--mirror", "ftp://x"],
		"is not a mirror URI",
	);
	assert_error(
		&[
			"publish",
			d,
			"--repo",
			"acme/m",
			"--mirror",
			"file://relative/dir",
		],
		"is not a mirror URI",
	);
	// The range message, not just the flag name (which an "unexpected argument" error also holds).
	assert_error(
		&["publish", d, "--repo", "acme/m", "--jobs", "0"],
		"invalid value '0' for '--jobs <JOBS>': 0 is not in 1..=64",
	);
	assert_error(
		&["publish", "/nonexistent/model", "--repo", "acme/m"],
		"is not a directory",
	);
	let empty = tempfile::tempdir().unwrap();
	assert_error(
		&[
			"publish",
			empty.path().to_str().unwrap(),
			"--repo",
			"acme/m",
		],
		"holds no files",
	);
	assert_error(
		&[
			"publish",
			d,
			"--repo",
			"acme/m",
			"--metric",
			"a=1",
			"--metric",
			"a=2",
			"--dry-run",
		],
		"given twice",
	);
	assert_error(
		&[
			"publish",
			d,
			"--repo",
			"acme/m",
			"--parent",
			"acme/base@v1",
			"--dry-run",
		],
		"give parents as version ids",
	);
	assert_error(&["publish", d, "--repo", "acme/m"], "no signing key");
	assert_error(
		&["publish", d, "--repo", "acme/m", "--suri", "//Alice"],
		"cannot reach the chain",
	);
}

#[test]
fn dry_run_prints_the_manifest_and_id_without_a_chain() {
	let dir = model_dir();
	std::fs::create_dir(dir.path().join("sub")).unwrap();
	std::fs::write(dir.path().join("sub/config.json"), b"{}").unwrap();
	let cli = Cli::try_parse_from([
		"owh",
		"--url",
		"ws://127.0.0.1:1",
		"--json",
		"publish",
		dir.path().to_str().unwrap(),
		"--repo",
		"acme/m",
		"--metric",
		"acc=0.5",
		"--tag",
		"task=test",
		"--dry-run",
	])
	.unwrap();
	let out = run_cli(&cli).unwrap();
	let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
	assert!(v["version"].as_str().unwrap().starts_with("bafkrei"));
	let paths: Vec<&str> = v["manifest"]["artifacts"]
		.as_array()
		.unwrap()
		.iter()
		.map(|a| a["path"].as_str().unwrap())
		.collect();
	assert_eq!(paths, ["sub/config.json", "weights.bin"]);
	assert_eq!(v["manifest"]["metrics"]["acc"], "0.5");
	let expected = hex::encode(<[u8; 32]>::from(<sha2::Sha256 as sha2::Digest>::digest(
		b"weights",
	)));
	assert_eq!(v["manifest"]["artifacts"][1]["sha256"], expected.as_str());
}

#[test]
fn history_argument_errors() {
	assert_error(&["log", "x"], "invalid repository name");
	assert_error(&["log", "acme/m", "--limit", "0"], "at least 1");
	assert_error(&["show", "acme/m@Prod"], "invalid alias");
	assert_error(&["show"], "<VERSION>");
	assert_error(&["lineage", "acme/m", "--depth", "0"], "at least 1");
	assert_error(
		&["lineage", "acme/m", "--depth", "-1"],
		"unexpected argument",
	);
	assert_error(&["diff", "acme/m@a"], "<TO>");
	assert_error(&["diff", "acme/m@a", "NOPE"], "invalid repository name");
}

#[test]
fn alias_and_yank_argument_errors() {
	assert_error(
		&["alias", "set", "acme/m", "Prod", "acme/m@v1"],
		"invalid alias",
	);
	assert_error(&["alias", "set", "acme/m", "prod"], "<VERSION>");
	assert_error(&["alias", "rm", "acme/m", ""], "invalid alias");
	assert_error(
		&["alias", "history", "M", "prod"],
		"invalid repository name",
	);
	assert_error(&["yank", "acme/m@v1"], "--reason");
	assert_error(
		&["yank", "acme/m@v1", "--reason", "  "],
		"must not be empty",
	);
	assert_error(&["unyank", "acme/m@v1"], "no signing key");
}

#[test]
fn mirror_and_serve_argument_errors() {
	assert_error(&["mirror", "add", "acme/m@v1"], "<URI>");
	assert_error(
		&["mirror", "add", "acme/m@v1", "ftp://x/y"],
		"is not a mirror URI",
	);
	assert_error(
		&["mirror", "add", "acme/m@v1", "s3://b/p"],
		"no signing key",
	);
	assert_error(&["mirror", "rm", "acme/m@v1", "s3:"], "is not a mirror URI");
	assert_error(&["mirror", "list", "acme/m@v1"], "cannot reach the chain");
	assert_error(&["serve", "--addr", "nonsense"], "invalid socket address");
}

#[test]
fn install_and_verify_argument_errors() {
	assert_error(&["install", "acme/m@v1"], "--to");
	assert_error(
		&["install", "acme/m@v1", "--to", "/tmp/x"],
		"cannot reach the chain",
	);
	assert_error(
		&[
			"install",
			"acme/m@v1",
			"--to",
			"/tmp/x",
			"--from",
			"gopher://m",
		],
		"is not a mirror URI",
	);
	assert_error(
		&["install", "acme/m@v1", "--to", "/tmp/x", "--jobs", "0"],
		"invalid value '0' for '--jobs <JOBS>': 0 is not in 1..=64",
	);
	assert_error(
		&[
			"install",
			"acme/m@v1",
			"--to",
			"/tmp/x",
			"--io-timeout",
			"0",
		],
		"0 is not in 1..=3600",
	);
	assert_error(&["verify", "/tmp"], "--version");
	assert_error(
		&["verify", "/nonexistent/dir", "--version", "acme/m@v1"],
		"is not a directory",
	);
	assert_error(
		&["verify", "/tmp", "--version", "acme/m@BAD"],
		"invalid alias",
	);
}

#[test]
fn author_signature_argument_errors() {
	let dir = model_dir();
	let path = dir.path().to_str().unwrap();
	// Each of --author and --author-signature needs the other.
	assert_error(
		&["publish", path, "--repo", "acme/m", "--author", "//Dave"],
		"--author-signature <AUTHOR_SIGNATURE>",
	);
	assert_error(
		&[
			"publish",
			path,
			"--repo",
			"acme/m",
			"--author-signature",
			"0x00",
		],
		"--author <AUTHOR>",
	);
	// A malformed signature is refused before any file is hashed or the chain is asked.
	assert_error(
		&[
			"publish",
			path,
			"--repo",
			"acme/m",
			"--author",
			"//Dave",
			"--author-signature",
			"0x1234",
		],
		"--author-signature \"0x1234\" is not 128 hex digits",
	);
	assert_error(&["author-payload", "not-an-id"], "is not a version id");
	assert_error(
		&["author-payload", &"ab".repeat(32), "--genesis", "0x12"],
		"--genesis \"0x12\" is not 64 hex digits",
	);
}

#[test]
fn author_payload_without_a_node_is_bound_to_the_given_genesis() {
	let dir = tempfile::tempdir().unwrap();
	let id = "ab".repeat(32);
	let genesis = "11".repeat(32);
	let cli = Cli::try_parse_from([
		"owh",
		"--url",
		"ws://127.0.0.1:1",
		"--json",
		"--keystore",
		dir.path().join("k.json").to_str().unwrap(),
		"author-payload",
		&id,
		"--genesis",
		&genesis,
	])
	.unwrap();
	let out = run_cli(&cli).unwrap();
	let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
	let payload = json["payload"].as_str().unwrap();
	let expected = format!("0x{}{genesis}{id}", hex::encode(b"owh:author-version:v1:"));
	assert_eq!(payload, expected);
	let wrapped = json["wrapped_payload"].as_str().unwrap();
	assert_eq!(
		wrapped,
		format!(
			"0x{}{}{}",
			hex::encode(b"<Bytes>"),
			&expected[2..],
			hex::encode(b"</Bytes>")
		)
	);
}

#[test]
fn author_signatures_verify_raw_or_wrapped_on_their_chain_only() {
	use crate::chain::{author_payload, author_signature_valid};
	use owh_primitives::{registry::wrapped_payload, VersionId};
	let pair = crate::keys::keypair_from_suri("//Dave").unwrap();
	let author = crate::keys::account_of(&pair);
	let id = VersionId([7; 32]);
	let genesis = [1u8; 32];
	let payload = author_payload(&genesis, &id);
	let raw = pair.sign(&payload).0;
	let wrapped = pair.sign(&wrapped_payload(&payload)).0;
	assert!(author_signature_valid(&genesis, &id, &author, &raw));
	assert!(author_signature_valid(&genesis, &id, &author, &wrapped));
	assert!(!author_signature_valid(&[2; 32], &id, &author, &raw));
	assert!(!author_signature_valid(
		&genesis,
		&VersionId([8; 32]),
		&author,
		&raw
	));
	let bob = crate::keys::account_of(&crate::keys::keypair_from_suri("//Bob").unwrap());
	assert!(!author_signature_valid(&genesis, &id, &bob, &raw));
}

#[test]
fn committer_role_is_accepted_by_repo_grant() {
	let cli = Cli::try_parse_from([
		"owh",
		"repo",
		"grant",
		"acme/m",
		"//Charlie",
		"--role",
		"committer",
	])
	.unwrap();
	match cli.command {
		crate::cli::Command::Repo(crate::commands::repo::RepoCommand::Grant(args)) => {
			assert!(matches!(
				args.role,
				crate::commands::repo::RoleArg::Committer
			));
		}
		other => panic!("parsed as {other:?}"),
	}
}

#[test]
fn gov_argument_errors() {
	assert_error(
		&["gov", "vote", "0", "maybe", "--amount", "1"],
		"invalid value 'maybe'",
	);
	assert_error(
		&[
			"gov",
			"vote",
			"0",
			"aye",
			"--amount",
			"1",
			"--conviction",
			"7",
		],
		"7 is not in 0..=6",
	);
	assert_error(&["gov", "vote", "0", "aye"], "--amount");
	assert_error(
		&["gov", "vote", "0", "aye", "--amount", "1"],
		"no signing key",
	);
	assert_error(&["gov", "propose", "upgrade"], "--wasm");
	assert_error(&["gov", "propose", "yank", "acme/m@v1"], "--reason");
	// Cancelling or killing a referendum is the council's, not another referendum's.
	assert_error(
		&["gov", "propose", "cancel", "3"],
		"unrecognized subcommand 'cancel'",
	);
	assert_error(
		&["gov", "council", "propose", "kill", "3"],
		"cannot reach the chain",
	);
	assert_error(
		&["gov", "propose", "upgrade", "--wasm", "x.wasm"],
		"no signing key",
	);
	// A dry run needs no key, only the chain.
	assert_error(
		&["gov", "propose", "upgrade", "--wasm", "x.wasm", "--dry-run"],
		"cannot reach the chain",
	);
	assert_error(&["gov", "status", "1", "--timeout", "5"], "--wait");
	assert_error(&["gov", "council", "vote", "0"], "<SIDE>");
}

/// Every command path (`license meter rm`, `gov council close`, …) is written out in the CLI
/// reference (docs/cli.md and the licensing and governance pages it links), so the docs never
/// fall behind the binary.
#[test]
fn every_subcommand_is_in_the_cli_docs() {
	use clap::CommandFactory;
	fn leaves(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
		let subs: Vec<_> = cmd
			.get_subcommands()
			.filter(|s| s.get_name() != "help")
			.collect();
		if subs.is_empty() {
			out.push(path.trim().to_string());
		}
		for sub in subs {
			leaves(sub, &format!("{path} {}", sub.get_name()), out);
		}
	}
	let docs: String = [
		"cli.md",
		"licensing.md",
		"governance.md",
		"validator.md",
		"storage-proofs.md",
		"promotion.md",
	]
	.iter()
	.map(|page| {
		std::fs::read_to_string(format!("{}/../docs/{page}", env!("CARGO_MANIFEST_DIR"))).unwrap()
	})
	.collect();
	// Written as `owh <path>`, `owh --key <name> <path>` or `` `<path>`` in a table.
	let documented = |path: &str| {
		docs.lines().any(|line| {
			let mut words = Vec::new();
			let mut rest = line.split_whitespace();
			while let Some(word) = rest.next() {
				if matches!(word, "--key" | "--suri" | "--url") {
					rest.next();
				} else {
					words.push(word.trim_start_matches('`'));
				}
			}
			words.join(" ").contains(path)
		})
	};
	let mut paths = Vec::new();
	leaves(&Cli::command(), "", &mut paths);
	assert!(paths.len() > 40, "{paths:?}");
	let missing: Vec<_> = paths
		.iter()
		// A council motion takes the same `<what>` as `gov propose`.
		.filter(|p| !documented(p) && !documented(&p.replace("gov council propose ", "gov propose ")))
		.collect();
	assert!(missing.is_empty(), "not in the CLI docs: {missing:?}");
}

#[test]
fn plain_ws_off_this_machine_is_refused_before_connecting() {
	let cli = Cli::try_parse_from([
		"owh",
		"--url",
		"ws://rpc.example.org:9944",
		"repo",
		"show",
		"a/m",
	])
	.unwrap();
	let err = run_cli(&cli).unwrap_err();
	assert!(err.to_string().contains("--insecure-rpc"), "{err}");
	assert_eq!(crate::exit::code_of(&err), 7);
}

#[test]
fn symbolic_links_are_refused_unless_followed_and_no_store_path_is_recorded() {
	let dir = model_dir();
	let outside = tempfile::tempdir().unwrap();
	std::fs::write(outside.path().join("secret"), b"secret").unwrap();
	std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("link.bin")).unwrap();
	let d = dir.path().to_str().unwrap();
	assert_error(
		&["publish", d, "--repo", "acme/m", "--dry-run"],
		"leads out of the directory",
	);
	let cli = Cli::try_parse_from([
		"owh",
		"--url",
		"ws://127.0.0.1:1",
		"--json",
		"publish",
		d,
		"--repo",
		"acme/m",
		"--dry-run",
		"--follow-symlinks",
	])
	.unwrap();
	let out = run_cli(&cli).unwrap();
	let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
	let artifacts = v["manifest"]["artifacts"].as_array().unwrap();
	assert_eq!(artifacts.len(), 2);
	assert!(
		artifacts
			.iter()
			.all(|a| a["uris"].as_array().unwrap().is_empty()),
		"a local-store publish records no URI: {artifacts:?}"
	);
}
