//! Arweave format-2 transactions: how data is cut into chunks and committed to by its
//! `data_root`, the deep hash that is signed, and the JSON a gateway takes (`POST /tx`,
//! `POST /chunk`). These follow the rules of Arweave's reference client (`arweave` on npm,
//! 1.15), which verifies what this module produces (`tests/arweave`).

use super::wallet::Wallet;
use anyhow::{bail, Context, Result};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64URL, Engine};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha384};

/// Largest chunk Arweave stores: 256 KiB.
pub const MAX_CHUNK_SIZE: u64 = 256 * 1024;
/// Smallest last chunk: when the remainder would be shorter, the last two chunks split it.
pub const MIN_CHUNK_SIZE: u64 = 32 * 1024;
/// Data up to this size travels inside the transaction itself rather than as chunks.
pub const MAX_INLINE_DATA: u64 = MAX_CHUNK_SIZE;

/// Base64url without padding, Arweave's encoding for every binary field.
pub fn b64(bytes: &[u8]) -> String {
	B64URL.encode(bytes)
}

/// Decodes a base64url field, naming it in the error.
pub fn unb64(field: &str, text: &str) -> Result<Vec<u8>> {
	B64URL
		.decode(text)
		.with_context(|| format!("the transaction's {field} is not base64url"))
}

/// The byte ranges of data of `size` bytes cut into chunks: 256 KiB each, except that when
/// the remainder after a full chunk would be shorter than 32 KiB, that chunk and the remainder
/// split the rest in two (the first one rounded up). A size that is a multiple of 256 KiB
/// ends with an empty chunk, which counts in the `data_root` but is never uploaded.
pub fn chunk_ranges(size: u64) -> Vec<(u64, u64)> {
	let mut ranges = Vec::new();
	let (mut cursor, mut rest) = (0u64, size);
	while rest >= MAX_CHUNK_SIZE {
		let after = rest - MAX_CHUNK_SIZE;
		let len = if after > 0 && after < MIN_CHUNK_SIZE {
			rest.div_ceil(2)
		} else {
			MAX_CHUNK_SIZE
		};
		ranges.push((cursor, cursor + len));
		cursor += len;
		rest -= len;
	}
	ranges.push((cursor, cursor + rest));
	ranges
}

/// A byte offset as Arweave's Merkle tree writes it: 32 bytes, big-endian.
fn note(offset: u64) -> [u8; 32] {
	let mut out = [0u8; 32];
	out[24..].copy_from_slice(&offset.to_be_bytes());
	out
}

fn sha256(data: &[u8]) -> [u8; 32] {
	Sha256::digest(data).into()
}

/// SHA-256 over the SHA-256 of each part, the tree's way of hashing a node.
fn hash_of_hashes(parts: &[&[u8]]) -> [u8; 32] {
	let mut hasher = Sha256::new();
	for part in parts {
		hasher.update(sha256(part));
	}
	hasher.finalize().into()
}

enum Node {
	Leaf {
		id: [u8; 32],
		data_hash: [u8; 32],
		end: u64,
	},
	Branch {
		id: [u8; 32],
		left: Box<Node>,
		right: Box<Node>,
		end: u64,
	},
}

impl Node {
	fn leaf(data_hash: [u8; 32], end: u64) -> Self {
		Node::Leaf {
			id: hash_of_hashes(&[&data_hash, &note(end)]),
			data_hash,
			end,
		}
	}

	fn branch(left: Node, right: Node) -> Self {
		Node::Branch {
			id: hash_of_hashes(&[left.id(), right.id(), &note(left.end())]),
			end: right.end(),
			left: Box::new(left),
			right: Box::new(right),
		}
	}

	fn id(&self) -> &[u8; 32] {
		match self {
			Node::Leaf { id, .. } | Node::Branch { id, .. } => id,
		}
	}

	fn end(&self) -> u64 {
		match self {
			Node::Leaf { end, .. } | Node::Branch { end, .. } => *end,
		}
	}

	/// Appends the `data_path` of every leaf under this node, left to right.
	fn paths(&self, prefix: &[u8], out: &mut Vec<Vec<u8>>) {
		match self {
			Node::Leaf { data_hash, end, .. } => {
				out.push([prefix, data_hash, &note(*end)].concat());
			}
			Node::Branch { left, right, .. } => {
				let path = [prefix, left.id(), right.id(), &note(left.end())].concat();
				left.paths(&path, out);
				right.paths(&path, out);
			}
		}
	}
}

/// One chunk to upload: its byte range in the data and its proof of inclusion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeChunk {
	pub start: u64,
	pub end: u64,
	pub data_path: Vec<u8>,
}

/// The Merkle tree over a piece of data's chunks: its `data_root` and every chunk's proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataTree {
	pub size: u64,
	/// 32 bytes, or empty for empty data.
	pub root: Vec<u8>,
	/// The chunks to upload, in order (an empty last chunk is left out).
	pub chunks: Vec<TreeChunk>,
}

impl DataTree {
	/// The tree over data of `size` bytes from the SHA-256 of each of its [`chunk_ranges`],
	/// in order, so a large file is read once, chunk by chunk, to build it.
	pub fn from_chunk_hashes(size: u64, hashes: &[[u8; 32]]) -> Result<Self> {
		let ranges = chunk_ranges(size);
		if hashes.len() != ranges.len() {
			bail!(
				"{} chunk hashes for {size} bytes, which make {} chunks",
				hashes.len(),
				ranges.len()
			);
		}
		if size == 0 {
			return Ok(Self {
				size,
				root: Vec::new(),
				chunks: Vec::new(),
			});
		}
		let mut layer: Vec<Node> = hashes
			.iter()
			.zip(&ranges)
			.map(|(hash, (_, end))| Node::leaf(*hash, *end))
			.collect();
		while layer.len() > 1 {
			let mut next = Vec::with_capacity(layer.len().div_ceil(2));
			let mut nodes = layer.into_iter();
			while let Some(left) = nodes.next() {
				next.push(match nodes.next() {
					Some(right) => Node::branch(left, right),
					// An odd node is promoted unchanged.
					None => left,
				});
			}
			layer = next;
		}
		let root = layer.pop().context("a tree has a root")?;
		let mut paths = Vec::with_capacity(ranges.len());
		root.paths(&[], &mut paths);
		let chunks = ranges
			.iter()
			.zip(paths)
			.filter(|((start, end), _)| end > start)
			.map(|((start, end), data_path)| TreeChunk {
				start: *start,
				end: *end,
				data_path,
			})
			.collect();
		Ok(Self {
			size,
			root: root.id().to_vec(),
			chunks,
		})
	}

	/// The tree over data held in memory.
	pub fn of(data: &[u8]) -> Self {
		let hashes: Vec<[u8; 32]> = chunk_ranges(data.len() as u64)
			.iter()
			.map(|(start, end)| sha256(&data[*start as usize..*end as usize]))
			.collect();
		Self::from_chunk_hashes(data.len() as u64, &hashes).expect("one hash per chunk")
	}
}

/// Checks a chunk's `data_path` against a `data_root` the way a gateway does: the path must
/// lead from the root to a leaf that ends at `end` and holds the chunk's hash.
pub fn path_proves(root: &[u8], size: u64, data_path: &[u8], chunk: &[u8], end: u64) -> bool {
	let mut expected: &[u8] = root;
	let mut rest = data_path;
	// Branches: left id, right id, the offset where the left side ends.
	while rest.len() > 64 {
		let Some((node, tail)) = rest.split_at_checked(96) else {
			return false;
		};
		let (left, right, split) = (&node[..32], &node[32..64], &node[64..]);
		if hash_of_hashes(&[left, right, split]) != expected {
			return false;
		}
		let split = u64::from_be_bytes(split[24..].try_into().expect("8 bytes"));
		expected = if end <= split { left } else { right };
		rest = tail;
	}
	rest.len() == 64
		&& end <= size
		&& rest[..32] == sha256(chunk)
		&& rest[32..] == note(end)
		&& hash_of_hashes(&[&rest[..32], &rest[32..]]) == expected
}

/// A value Arweave's deep hash covers: bytes, or a list of values.
pub enum DeepHashItem<'a> {
	Blob(&'a [u8]),
	List(Vec<DeepHashItem<'a>>),
}

/// Arweave's deep hash (SHA-384): a blob is hashed with a `blob<len>` tag, a list folds its
/// items' deep hashes into the hash of a `list<len>` tag.
pub fn deep_hash(item: &DeepHashItem) -> [u8; 48] {
	let sha384 = |data: &[u8]| -> [u8; 48] { Sha384::digest(data).into() };
	match item {
		DeepHashItem::Blob(data) => {
			let tag = sha384(format!("blob{}", data.len()).as_bytes());
			sha384(&[tag, sha384(data)].concat())
		}
		DeepHashItem::List(items) => {
			let mut acc = sha384(format!("list{}", items.len()).as_bytes());
			for item in items {
				acc = sha384(&[acc, deep_hash(item)].concat());
			}
			acc
		}
	}
}

/// A tag, base64url-encoded as gateways exchange it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
	pub name: String,
	pub value: String,
}

impl Tag {
	pub fn new(name: &str, value: &str) -> Self {
		Self {
			name: b64(name.as_bytes()),
			value: b64(value.as_bytes()),
		}
	}
}

/// A format-2 transaction as `POST /tx` takes it and `GET /tx/{id}` returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
	pub format: u8,
	pub id: String,
	pub last_tx: String,
	pub owner: String,
	pub tags: Vec<Tag>,
	pub target: String,
	pub quantity: String,
	/// The data itself when it fits in one chunk, else empty (the chunks are posted apart).
	pub data: String,
	pub data_size: String,
	pub data_root: String,
	pub reward: String,
	pub signature: String,
}

impl Transaction {
	/// An unsigned transaction storing the data `tree` describes, anchored at `last_tx` (a
	/// recent block from `GET /tx_anchor`) and paying `reward` winston. `inline` is the data
	/// itself, given when it is at most [`MAX_INLINE_DATA`] bytes.
	pub fn storing(
		tree: &DataTree,
		inline: Option<&[u8]>,
		tags: Vec<Tag>,
		last_tx: &str,
		reward: u128,
	) -> Self {
		Self {
			format: 2,
			id: String::new(),
			last_tx: last_tx.to_string(),
			owner: String::new(),
			tags,
			target: String::new(),
			quantity: "0".into(),
			data: inline.map(b64).unwrap_or_default(),
			data_size: tree.size.to_string(),
			data_root: b64(&tree.root),
			reward: reward.to_string(),
			signature: String::new(),
		}
	}

	/// The 48 bytes an owner signs: the deep hash of the format, owner, target, quantity,
	/// reward, anchor, tags, data size and data root.
	pub fn signature_data(&self) -> Result<[u8; 48]> {
		if self.format != 2 {
			bail!(
				"only format-2 transactions are supported, not format {}",
				self.format
			);
		}
		let owner = unb64("owner", &self.owner)?;
		let target = unb64("target", &self.target)?;
		let last_tx = unb64("last_tx", &self.last_tx)?;
		let data_root = unb64("data_root", &self.data_root)?;
		let tags = self
			.tags
			.iter()
			.map(|t| Ok((unb64("tag name", &t.name)?, unb64("tag value", &t.value)?)))
			.collect::<Result<Vec<_>>>()?;
		let format = self.format.to_string();
		Ok(deep_hash(&DeepHashItem::List(vec![
			DeepHashItem::Blob(format.as_bytes()),
			DeepHashItem::Blob(&owner),
			DeepHashItem::Blob(&target),
			DeepHashItem::Blob(self.quantity.as_bytes()),
			DeepHashItem::Blob(self.reward.as_bytes()),
			DeepHashItem::Blob(&last_tx),
			DeepHashItem::List(
				tags.iter()
					.map(|(n, v)| {
						DeepHashItem::List(vec![DeepHashItem::Blob(n), DeepHashItem::Blob(v)])
					})
					.collect(),
			),
			DeepHashItem::Blob(self.data_size.as_bytes()),
			DeepHashItem::Blob(&data_root),
		])))
	}

	/// Signs as `wallet`: sets the owner, the signature and the id (the signature's SHA-256).
	pub fn sign(&mut self, wallet: &Wallet) -> Result<()> {
		self.owner = b64(wallet.owner());
		let signature = wallet.sign(&self.signature_data()?)?;
		self.id = b64(&sha256(&signature));
		self.signature = b64(&signature);
		Ok(())
	}

	/// Whether the id is the signature's hash and the signature the owner's over this content.
	pub fn verify(&self) -> Result<bool> {
		let signature = unb64("signature", &self.signature)?;
		if b64(&sha256(&signature)) != self.id {
			return Ok(false);
		}
		let owner = unb64("owner", &self.owner)?;
		Ok(super::wallet::verify(
			&owner,
			&self.signature_data()?,
			&signature,
		))
	}
}

/// One chunk as `POST /chunk` takes it.
#[derive(Clone, Debug, Serialize)]
pub struct ChunkUpload {
	pub data_root: String,
	pub data_size: String,
	pub data_path: String,
	/// The offset of the chunk's last byte within the data.
	pub offset: String,
	pub chunk: String,
}

impl ChunkUpload {
	pub fn new(tree: &DataTree, chunk: &TreeChunk, bytes: &[u8]) -> Self {
		Self {
			data_root: b64(&tree.root),
			data_size: tree.size.to_string(),
			data_path: b64(&chunk.data_path),
			offset: (chunk.end - 1).to_string(),
			chunk: b64(bytes),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn sample(len: usize) -> Vec<u8> {
		(0..len).map(|i| (i * 131 % 251) as u8).collect()
	}

	#[test]
	fn chunks_are_256_kib_and_the_last_two_share_a_short_rest() {
		let k = 1024;
		assert_eq!(chunk_ranges(0), vec![(0, 0)]);
		assert_eq!(chunk_ranges(10), vec![(0, 10)]);
		assert_eq!(
			chunk_ranges(256 * k),
			vec![(0, 256 * k), (256 * k, 256 * k)]
		);
		assert_eq!(
			chunk_ranges(300 * k),
			vec![(0, 256 * k), (256 * k, 300 * k)],
			"a rest of 44 KiB is long enough"
		);
		// 256 KiB + 10 KiB: the rest is under 32 KiB, so 266 KiB splits into 133 + 133.
		assert_eq!(
			chunk_ranges(266 * k),
			vec![(0, 133 * k), (133 * k, 266 * k)]
		);
		// An odd total rounds the first half up.
		assert_eq!(
			chunk_ranges(266 * k + 1),
			vec![(0, 133 * k + 1), (133 * k + 1, 266 * k + 1)]
		);
		let big = 5 * 256 * k + 7;
		let ranges = chunk_ranges(big);
		assert_eq!(ranges.len(), 6);
		assert_eq!(ranges[3], (3 * 256 * k, 4 * 256 * k));
		assert_eq!(ranges[4].1 - ranges[4].0, (256 * k + 7).div_ceil(2));
		assert_eq!(ranges.last().unwrap().1, big);
	}

	#[test]
	fn every_chunk_proves_itself_against_the_root_and_no_other_chunk_does() {
		for len in [1usize, 1000, 256 * 1024, 266 * 1024 + 1, 5 * 256 * 1024 + 7] {
			let data = sample(len);
			let tree = DataTree::of(&data);
			assert_eq!(tree.root.len(), 32);
			let expected: Vec<(u64, u64)> = chunk_ranges(len as u64)
				.into_iter()
				.filter(|(s, e)| e > s)
				.collect();
			assert_eq!(
				tree.chunks
					.iter()
					.map(|c| (c.start, c.end))
					.collect::<Vec<_>>(),
				expected,
				"len {len}: an empty last chunk is not uploaded"
			);
			for (i, chunk) in tree.chunks.iter().enumerate() {
				let bytes = &data[chunk.start as usize..chunk.end as usize];
				assert!(
					path_proves(&tree.root, tree.size, &chunk.data_path, bytes, chunk.end),
					"len {len} chunk {i}"
				);
				let mut changed = bytes.to_vec();
				changed[0] ^= 1;
				assert!(!path_proves(
					&tree.root,
					tree.size,
					&chunk.data_path,
					&changed,
					chunk.end
				));
				if let Some(other) = tree.chunks.get(i + 1) {
					assert!(!path_proves(
						&tree.root,
						tree.size,
						&other.data_path,
						bytes,
						chunk.end
					));
				}
			}
		}
		assert_eq!(DataTree::of(&[]).root, Vec::<u8>::new());
		assert!(DataTree::from_chunk_hashes(10, &[]).is_err());
	}

	#[test]
	fn a_leaf_and_a_branch_hash_as_arweave_does() {
		// One chunk: the root is the leaf, SHA-256(SHA-256(hash) ‖ SHA-256(note(end))).
		let data = b"owh";
		let tree = DataTree::of(data);
		let leaf = sha256(&[sha256(&sha256(data)), sha256(&note(3))].concat());
		assert_eq!(tree.root, leaf);
		assert_eq!(
			tree.chunks[0].data_path,
			[sha256(data).as_slice(), &note(3)].concat()
		);
		assert_eq!(note(0x0102), {
			let mut n = [0u8; 32];
			n[30] = 1;
			n[31] = 2;
			n
		});
	}

	#[test]
	fn the_deep_hash_tags_blobs_and_lists_with_their_lengths() {
		let sha384 = |d: &[u8]| -> [u8; 48] { Sha384::digest(d).into() };
		let blob = deep_hash(&DeepHashItem::Blob(b"ab"));
		assert_eq!(blob, sha384(&[sha384(b"blob2"), sha384(b"ab")].concat()));
		let list = deep_hash(&DeepHashItem::List(vec![DeepHashItem::Blob(b"ab")]));
		assert_eq!(list, sha384(&[sha384(b"list1"), blob].concat()));
		assert_eq!(deep_hash(&DeepHashItem::List(vec![])), sha384(b"list0"));
	}
}
